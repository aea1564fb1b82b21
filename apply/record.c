// SPDX-License-Identifier: GPL-2.0-or-later
/* The record of the install kept on the host, and letting go of the target at the end. */
#include "apply/target.h"
#include "lang/writer.h"
#include "storage/image.h"
#include "bootcfg/fresh.h"
#include "guest/guest.h"
#include "bootcfg/host.h"
#include "bootcfg/install.h"
#include "common/atomic.h"
#include "common/mounts.h"
#include "common/run.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static char *redacted_spec(const struct spec *s)
{
	char *buf = NULL, *save = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct strv out = {0};
	char *joined;

	spec_write_canonical(s, f);
	fclose(f);
	for (char *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		strv_push(&out, startswith(l, "rootpw --iscrypted")
					? "# rootpw: set at install time; the hash is not kept here"
					: l);
	explicit_bzero(buf, len);
	free(buf);
	joined = strv_join(&out, "\n");
	strv_free(&out);
	buf = xasprintf("%s\n", joined);
	free(joined);
	return buf;
}

int target_keep_record(const struct target_ctx *t, const char *log_path, const struct strv *events,
		       struct tx_report *r)
{
	char *spec = redacted_spec(t->plan->spec), *log = NULL;
	char *dir = xasprintf("%s/var/log/tenxen", t->target);
	int rc = target_put_file(t->target, "var/log/tenxen/answers.ks", spec, 0600, r);

	if (rc == 0 && t->answers_copy)
		rc = target_put_file(t->target, "root/tenxen-answers.ks", t->answers_copy, 0600, r);

	if (rc == 0 && log_path) {
		if (r->log)
			fflush(r->log);
		if (read_file(log_path, &log, NULL) == 0)
			rc = target_put_file(t->target, "var/log/tenxen/install.log", log, 0600, r);
	}
	if (rc == 0 && events && events->n) {
		char *lines = strv_join(events, "\n"), *text = xasprintf("%s\n", lines);

		rc = target_put_file(t->target, "var/log/tenxen/events.jsonl", text, 0600, r);
		free(text);
		free(lines);
	}
	if (rc == 0)
		chmod(dir, 0700);
	free(log);
	free(dir);
	free(spec);
	return rc;
}

int target_release(const char *proc, const char *target, struct tx_report *r)
{
	struct strv under = {0};
	int rc = 0;

	sync();
	mounts_under(proc, target, &under);
	for (size_t i = under.n; i-- > 0;)
		if (umount2(under.v[i], 0) < 0) {
			tx_error(r, NULL, "cannot unmount %s: %s", under.v[i], strerror(errno));
			rc = -errno;
		}
	strv_free(&under);
	return rc;
}
