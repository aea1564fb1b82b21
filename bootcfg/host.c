// SPDX-License-Identifier: GPL-2.0-or-later
#include "bootcfg/host.h"
#include "common/atomic.h"
#include "common/rootfs.h"

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
	char *p = root_path(root, path);
	bool ok = p && access(p, F_OK) == 0;

	free(p);
	return ok;
}

/* The drop-in that lets the hvc0 login wait for its device: written, or removed, as asked. */
static int hvc0_wait(const char *root, bool enable, bool dry_run, struct strv *changes,
		     struct tx_report *r)
{
	char *path = root_path(root, HVC0_WAIT), *text = NULL;
	bool have;
	int rc = 0;

	if (!path) {
		rc = -errno;
		tx_error(r, NULL, "cannot resolve %s under %s: %s", HVC0_WAIT, root, strerror(-rc));
		return rc;
	}
	have = read_text_file(path, &text, NULL) == 0;

	if (enable && (!have || !streq(text, HVC0_WAIT_TEXT))) {
		if (!dry_run) {
			char *dir = dir_of(path);

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
			char *dir = dir_of(path);

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
	char *link = root_path(root, GETTY_WANTS), *name;
	struct stat st;
	bool have;
	int rc = 0;

	if (!link) {
		rc = -errno;
		tx_error(r, NULL, "cannot resolve %s under %s: %s", GETTY_WANTS, root,
			 strerror(-rc));
		return rc;
	}
	/* the folder resolved inside the root; the link itself is never followed */
	name = xasprintf("%s/serial-getty@hvc0.service", link);
	free(link);
	link = name;
	have = lstat(link, &st) == 0;

	if (enable && !have) {
		if (!dry_run) {
			char *dir = dir_of(link);

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

/* Where a line of text ends: its content length (without \r\n or \n) and the line's length. */
static size_t line_len(const char *p, const char *end, size_t *content)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

	*content = n > 0 && p[n - 1] == '\r' ? n - 1 : n;
	return nl ? n + 1 : n;
}

/*
 * Add or remove one line of a text file, atomically. On add, a line that starts with match is
 * the admin's own and is kept (nothing added); on remove, only the line Tenxen writes goes.
 * The file keeps its line endings (CRLF stays CRLF) and its lack of a final newline, so that
 * remove after add gives back the same bytes.
 */
static int edit_lines(const char *root, const char *path, const char *match, const char *line,
		      bool enable, bool dry_run, struct strv *changes, const char *what,
		      struct tx_report *r)
{
	char *full = root_path(root, path), *text = NULL, *out;
	size_t len = 0, olen = 0, ml = strlen(match), ll = strlen(line), cl;
	bool found = false, crlf = false;
	const char *eol;
	struct stat st;
	int rc;

	if (!full) {
		rc = -errno;
		tx_error(r, NULL, "cannot resolve %s under %s: %s", path, root, strerror(-rc));
		return rc;
	}
	rc = read_text_file(full, &text, &len);
	if (rc < 0) {
		tx_error(r, NULL, "cannot read %s: %s", full, read_error(rc));
		free(full);
		return rc;
	}
	out = xmalloc(len + ll + 4);
	for (const char *p = text, *end = text + len; p < end;) {
		size_t n = line_len(p, end, &cl);
		bool starts =
			cl >= ml && memcmp(p, match, ml) == 0 && (cl == ml || match[ml - 1] == ':');
		bool ours = cl == ll && memcmp(p, line, ll) == 0;

		crlf |= cl < n && p[cl] == '\r';
		if (enable ? starts : ours) {
			found = true;
			if (!enable) { /* the line goes, with the newline added before it */
				if (p + n == end && n == cl && olen && out[olen - 1] == '\n')
					olen -= olen > 1 && out[olen - 2] == '\r' ? 2 : 1;
				p += n;
				continue;
			}
		}
		memcpy(out + olen, p, n);
		olen += n;
		p += n;
	}
	eol = crlf ? "\r\n" : "\n";
	if (enable && !found) {
		if (olen && out[olen - 1] != '\n') { /* no final newline: keep it so */
			olen += (size_t)sprintf(out + olen, "%s%s", eol, line);
		} else {
			olen += (size_t)sprintf(out + olen, "%s%s", line, eol);
		}
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
