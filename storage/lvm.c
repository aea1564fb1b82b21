// SPDX-License-Identifier: GPL-2.0-or-later
#include "storage/lvm.h"
#include "common/run.h"
#include "common/util.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* See platform notes: with Debian's defaults and no udev, lvcreate fails ("device not
 * cleared"); these settings work without udev, lvmpolld or dmeventd. */
static const char *const config =
	"global { use_lvmpolld = 0 event_activation = 0 } "
	"activation { udev_sync = 0 udev_rules = 0 verify_udev_operations = 0 monitoring = 0 } "
	"devices { obtain_device_list_from_udev = 0 external_device_info_source = \"none\" "
	"use_devicesfile = 0 } "
	"backup { backup = 0 archive = 0 }";

static int lvm_run(struct tx_report *r, const char *const args[], char **output, bool quiet,
		   const char *said)
{
	const char *argv[32];
	size_t n = 0;

	argv[n++] = "lvm";
	argv[n++] = args[0];
	argv[n++] = "--config";
	argv[n++] = config;
	for (size_t i = 1; args[i] && n < ARRAY_SIZE(argv) - 1; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	if (said)
		return run_said(r, argv, output, "%s", said);
	return quiet ? run_quiet(r, argv, output) : run_cmd(r, argv, output);
}

bool lvm_name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 127 || s[0] == '-' || streq(s, ".") || streq(s, ".."))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("+_.-", *s))
			return false;
	return true;
}

int lvm_cmd(struct tx_report *r, const char *const args[], char **output)
{
	return lvm_run(r, args, output, false, NULL);
}

int lvm_said(struct tx_report *r, const char *const args[], char **output, const char *fmt, ...)
{
	va_list ap;
	char *said;
	int rc;

	va_start(ap, fmt);
	said = xvasprintf(fmt, ap);
	va_end(ap);
	rc = lvm_run(r, args, output, false, said);
	free(said);
	return rc;
}

int lvm_query(struct tx_report *r, const char *const args[], char **output)
{
	return lvm_run(r, args, output, true, NULL);
}

int lvm_vgcreate(struct tx_report *r, const char *vg, const char *const pvs[], uint64_t pesize)
{
	const char *args[32];
	char *s = xasprintf("%lluk", (unsigned long long)(pesize / 1024));
	size_t n = 0;
	int rc;

	args[n++] = "vgcreate";
	args[n++] = "-y";
	/* the members are made physical volumes here, whatever label they carried */
	args[n++] = "-ff";
	args[n++] = "-s";
	args[n++] = s;
	args[n++] = vg;
	for (size_t i = 0; pvs[i] && n < ARRAY_SIZE(args) - 1; i++)
		args[n++] = pvs[i];
	args[n] = NULL;
	rc = lvm_cmd(r, args, NULL);
	free(s);
	return rc;
}

int lvm_lvcreate(struct tx_report *r, const char *vg, const char *lv, enum lv_type type,
		 int mirrors, enum mirror_log mlog, bool alloc_anywhere, uint64_t extents)
{
	char *ext = xasprintf("%llu", (unsigned long long)extents);
	char *m = xasprintf("%d", mirrors);
	const char *args[24];
	size_t n = 0;
	int rc;

	args[n++] = "lvcreate";
	args[n++] = "-y";
	args[n++] = "--wipesignatures";
	args[n++] = "y";
	args[n++] = "-n";
	args[n++] = lv;
	args[n++] = "-l";
	args[n++] = ext;
	if (type != LV_LINEAR) {
		args[n++] = "--type";
		args[n++] = type == LV_RAID1 ? "raid1" : "mirror";
		args[n++] = "-m";
		args[n++] = m;
		/* a new volume holds no data: nothing to copy between its legs */
		args[n++] = "--nosync";
	}
	if (type == LV_MIRROR) {
		args[n++] = "--mirrorlog";
		args[n++] = mlog == MLOG_CORE	    ? "core"
			    : mlog == MLOG_MIRRORED ? "mirrored"
						    : "disk";
	}
	if (alloc_anywhere) {
		args[n++] = "--alloc";
		args[n++] = "anywhere";
	}
	args[n++] = vg;
	args[n] = NULL;
	rc = lvm_cmd(r, args, NULL);
	free(ext);
	free(m);
	return rc;
}

int lvm_vg_deactivate(struct tx_report *r, const char *vg)
{
	const char *args[] = {"vgchange", "-an", vg, NULL};

	return lvm_query(r, args, NULL);
}

int lvm_vg_activate(struct tx_report *r, const char *vg)
{
	const char *args[] = {"vgchange", "-ay", vg, NULL};

	return lvm_cmd(r, args, NULL);
}

int lvm_lvremove(struct tx_report *r, const char *vg, const char *lv)
{
	char *path = xasprintf("%s/%s", vg, lv);
	const char *args[] = {"lvremove", "-y", path, NULL};
	int rc = lvm_cmd(r, args, NULL);

	free(path);
	return rc;
}
