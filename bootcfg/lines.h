/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the boot configuration files Tenxen edits have in common, under their two dialects
 * (extlinux.conf in extlinux.h, xen.cfg in xencfg.h): a file is kept as its lines, each as read;
 * the dialect says what a line means and writes anew only the lines an edit changed, so that an
 * unmodified file is emitted byte for byte, with its line endings (LF or CRLF) and its last
 * line's newline (or none) as they were.
 */
#ifndef TENXEN_LINES_H
#define TENXEN_LINES_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "common/report.h"
#include "common/util.h"

/* The longest line either reader takes (extlinux's and Xen's MAX_LINE). */
#define CFG_MAX_LINE 4096

struct cfg_file {
	char *path;	    /* as messages name it */
	bool final_newline; /* the last line ended with a newline */
	bool crlf;	    /* lines end with \r\n (as the first line does) */
};

/*
 * Split text into lines and hand each to the dialect: each(ctx, raw, n, body, lineno), raw the
 * line as read without its newline (n bytes, not terminated), body the same without a final \r
 * (terminated); a negative return stops the split and is returned. A file holding a NUL byte, or
 * a line longer than CFG_MAX_LINE, is refused at its line (reader says who stops there: "extlinux reads").
 * f->path is set (caller frees) before the first line.
 */
int cfg_split(struct cfg_file *f, const char *path, const char *text, size_t len,
	      const char *reader,
	      int (*each)(void *ctx, const char *raw, size_t n, const char *body, int lineno),
	      void *ctx, struct tx_report *r);

/*
 * The file's text from its live lines' texts (each without its newline; a line written anew
 * ends in \r on a CRLF file). The last line ends with a newline when the file's did, or when
 * the file's last line is gone or new (last_changed), so that an appended line always ends.
 * Caller frees; *len (may be NULL) gets its length.
 */
char *cfg_join(const struct cfg_file *f, const struct strv *lines, bool last_changed, size_t *len);

/*
 * One edit of a config on this machine: locked (a lock file beside it, common/atomic.h) for the
 * whole read, change and write; its text as it was kept to tell whether the edit changes it and
 * to show the difference; written atomically with the old one kept as FILE.tenxen-old.
 */
struct cfg_session {
	char *path;  /* the file on this machine (under --root) */
	char *shown; /* the file as the host sees it */
	int lock;    /* -1 when none is held (a dry run where there is no folder to lock in) */
	char *old;   /* its text ("" when it does not exist yet) */
	size_t oldlen;
	mode_t mode; /* its mode, kept; 0644 for a new file */
	bool existed;
};

/*
 * Lock and read path (shown: its name for messages). must_exist false: a missing file reads as
 * empty, and (not a dry run) its folder is made. 0 or -errno, reported; close the session
 * either way.
 */
int cfg_session_open(struct cfg_session *s, const char *path, const char *shown, bool must_exist,
		     bool dry_run, struct tx_report *r);
/* Whether text differs from what the file held. */
bool cfg_session_changes(const struct cfg_session *s, const char *text);
/* Write text atomically, keeping the old file as .tenxen-old. 0 or -errno, reported. */
int cfg_session_commit(struct cfg_session *s, const char *text, struct tx_report *r);
void cfg_session_close(struct cfg_session *s); /* NULL-field safe; unlocks */

#endif
