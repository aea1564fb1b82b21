// SPDX-License-Identifier: GPL-2.0-or-later
#include "bootcfg/host.h"
#include "common/atomic.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define GETTY_WANTS "/etc/systemd/system/getty.target.wants"
#define GETTY_LINK  GETTY_WANTS "/serial-getty@hvc0.service"
#define GETTY_UNIT  "/lib/systemd/system/serial-getty@.service"
/* systemd gives up on a device after 90 s, and the login on hvc0 with it: a first boot in the
 * emulator (udev busy while a core-log mirror resyncs) has announced hvc0 later than that */
#define HVC0_WAIT_DIR "/etc/systemd/system/dev-hvc0.device.d"
#define HVC0_WAIT     HVC0_WAIT_DIR "/tenxen-wait.conf"
#define HVC0_WAIT_TEXT                                                                             \
	"# Written by Tenxen: the login on hvc0 waits for Xen's console device for as long as a\n" \
	"# slow boot takes to announce it (systemd's default is 90 s), but not forever: a boot\n"  \
	"# without Xen has no hvc0.\n"                                                             \
	"[Unit]\n"                                                                                 \
	"JobRunningTimeoutSec=10min\n"
#define INITTAB_ID "hvc0:"

static bool exists(const char *root, const char *path)
{
	char *p = xasprintf("%s%s", root, path);
	bool ok = access(p, F_OK) == 0;

	free(p);
	return ok;
}

/* The drop-in that lets the hvc0 login wait for its device: written, or removed, as asked. */
static int hvc0_wait(const char *root, bool enable, bool dry_run, struct strv *changes,
		     struct tx_report *r)
{
	char *path = xasprintf("%s%s", root, HVC0_WAIT), *text = NULL;
	bool have = read_file(path, &text, NULL) == 0;
	int rc = 0;

	if (enable && (!have || !streq(text, HVC0_WAIT_TEXT))) {
		if (!dry_run) {
			char *dir = xasprintf("%s%s", root, HVC0_WAIT_DIR);

			rc = mkdir_p(dir);
			if (rc < 0)
				tx_error(r, NULL, "cannot create %s: %s", dir, strerror(-rc));
			else
				rc = atomic_write_file(r, path, HVC0_WAIT_TEXT,
						       strlen(HVC0_WAIT_TEXT), 0644, have);
			free(dir);
		}
		if (rc == 0)
			strv_push_owned(changes,
					xasprintf("let the hvc0 login wait up to 10 minutes "
						  "for its device (%s)",
						  HVC0_WAIT));
	} else if (!enable && have) {
		if (!dry_run && unlink(path) < 0) {
			rc = -errno;
			tx_error(r, NULL, "cannot remove %s: %s", path, strerror(-rc));
		}
		if (!dry_run && rc == 0) {
			char *dir = xasprintf("%s%s", root, HVC0_WAIT_DIR);

			rmdir(dir); /* when nothing else is in it */
			free(dir);
		}
		if (rc == 0)
			strv_push_owned(changes, xasprintf("remove %s", HVC0_WAIT));
	}
	free(text);
	free(path);
	return rc;
}

static int systemd_getty(const char *root, bool enable, bool dry_run, struct strv *changes,
			 struct tx_report *r)
{
	char *link = xasprintf("%s%s", root, GETTY_LINK);
	struct stat st;
	bool have = lstat(link, &st) == 0;
	int rc = 0;

	if (enable && !have) {
		if (!dry_run) {
			char *dir = xasprintf("%s%s", root, GETTY_WANTS);

			rc = mkdir_p(dir);
			if (rc == 0 && symlink(GETTY_UNIT, link) < 0)
				rc = -errno;
			if (rc < 0)
				tx_error(r, NULL, "cannot enable the hvc0 login (%s): %s", link,
					 strerror(-rc));
			free(dir);
		}
		if (rc == 0)
			strv_push_owned(changes,
					xasprintf("enable a login on hvc0 (%s)", GETTY_LINK));
	} else if (!enable && have) {
		if (!dry_run && unlink(link) < 0) {
			rc = -errno;
			tx_error(r, NULL, "cannot remove %s: %s", link, strerror(-rc));
		}
		if (rc == 0)
			strv_push_owned(changes,
					xasprintf("disable the login on hvc0 (%s)", GETTY_LINK));
	}
	free(link);
	return rc < 0 ? rc : hvc0_wait(root, enable, dry_run, changes, r);
}

/* Add or remove one line of a text file (matched by its start), atomically. */
static int edit_lines(const char *root, const char *path, const char *match, const char *line,
		      bool enable, bool dry_run, struct strv *changes, const char *what,
		      struct tx_report *r)
{
	char *full = xasprintf("%s%s", root, path), *text = NULL, *out;
	size_t len = 0, olen = 0;
	bool found = false;
	int rc = read_file(full, &text, &len);
	struct stat st;

	if (rc < 0) {
		tx_error(r, NULL, "cannot read %s: %s", full, strerror(-rc));
		free(full);
		return rc;
	}
	out = xmalloc(len + strlen(line) + 3);
	for (char *p = text; *p;) {
		char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		bool is = strncmp(p, match, strlen(match)) == 0 &&
			  (n == strlen(match) || match[strlen(match) - 1] == ':');

		if (is)
			found = true;
		if (!is || enable) {
			memcpy(out + olen, p, n);
			olen += n;
			if (nl)
				out[olen++] = '\n';
		}
		p += n + (nl ? 1 : 0);
	}
	if (enable && !found) {
		if (olen && out[olen - 1] != '\n')
			out[olen++] = '\n';
		olen += (size_t)sprintf(out + olen, "%s\n", line);
	}
	if (enable != found) {
		strv_push_owned(changes, xasprintf("%s %s", what, path));
		if (!dry_run)
			rc = atomic_write_file(r, full, out, olen,
					       stat(full, &st) == 0 ? st.st_mode & 07777 : 0644,
					       true);
	}
	free(out);
	free(text);
	free(full);
	return rc;
}

int host_serial_login(const char *root, bool enable, bool dry_run, struct strv *changes,
		      struct tx_report *r)
{
	int rc = 0;

	if (exists(root, "/etc/inittab")) {
		rc = edit_lines(root, "/etc/inittab", INITTAB_ID,
				"hvc0:2345:respawn:/sbin/getty -L hvc0 115200 vt100", enable,
				dry_run, changes,
				enable ? "add a login on hvc0 to" : "remove the hvc0 login from",
				r);
	} else if (exists(root, "/lib/systemd/systemd") ||
		   exists(root, "/usr/lib/systemd/systemd")) {
		rc = systemd_getty(root, enable, dry_run, changes, r);
	} else if (enable) {
		tx_warn(r, NULL,
			"found neither /etc/inittab nor systemd under %s; add a login on hvc0 yourself",
			*root ? root : "/");
	}
	if (rc == 0 && exists(root, "/etc/securetty"))
		rc = edit_lines(root, "/etc/securetty", "hvc0", "hvc0", enable, dry_run, changes,
				enable ? "allow root on hvc0 in" : "remove hvc0 from", r);
	return rc;
}
