// SPDX-License-Identifier: GPL-2.0-or-later
/* The line model under both boot configuration dialects, and the edit session around it. */
#include "bootcfg/lines.h"
#include "common/atomic.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cfg_split(struct cfg_file *f, const char *path, const char *text, size_t len,
	      const char *reader,
	      int (*each)(void *ctx, const char *raw, size_t n, const char *body, int lineno),
	      void *ctx, struct tx_report *r)
{
	size_t pos = 0;
	int lineno = 0;

	f->path = xstrdup(path);
	if (memchr(text, '\0', len)) {
		struct tx_loc loc = {path, 1};

		tx_error(r, &loc,
			 "%s is not a text file (it holds a NUL byte); Tenxen will not edit it",
			 path);
		return -EINVAL;
	}
	f->final_newline = len > 0 && text[len - 1] == '\n';
	while (pos < len) {
		const char *start = text + pos, *nl = memchr(start, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - start) : len - pos;
		char *body;
		int rc;

		pos += n + (nl ? 1 : 0);
		lineno++;
		if (n > CFG_MAX_LINE) {
			struct tx_loc loc = {path, lineno};

			tx_error(
				r, &loc,
				"a line of %zu characters is longer than %s (%d); Tenxen will not edit this file",
				n, reader, CFG_MAX_LINE);
			return -E2BIG;
		}
		if (lineno == 1 && n && start[n - 1] == '\r')
			f->crlf = true;
		body = xstrndup(start, n && start[n - 1] == '\r' ? n - 1 : n);
		rc = each(ctx, start, n, body, lineno);
		free(body);
		if (rc < 0)
			return rc;
	}
	return 0;
}

char *cfg_join(const struct cfg_file *f, const struct strv *lines, bool last_changed, size_t *len)
{
	size_t total = 0;
	char *text, *p;

	for (size_t i = 0; i < lines->n; i++)
		total += strlen(lines->v[i]) + 1;
	p = text = xmalloc(total + 1);
	for (size_t i = 0; i < lines->n; i++) {
		size_t l = strlen(lines->v[i]);

		memcpy(p, lines->v[i], l);
		p += l;
		if (i + 1 < lines->n || f->final_newline || last_changed)
			*p++ = '\n';
	}
	*p = '\0';
	if (len)
		*len = (size_t)(p - text);
	return text;
}

int cfg_session_open(struct cfg_session *s, const char *path, const char *shown, bool must_exist,
		     bool dry_run, struct tx_report *r)
{
	char *dir = dir_of(path);
	struct stat st;
	int rc = 0;

	memset(s, 0, sizeof(*s));
	s->lock = -1;
	s->path = xstrdup(path);
	s->shown = xstrdup(shown);
	s->mode = 0644;
	if (!must_exist && !dry_run && *dir) { /* a fresh /boot or ESP has no folder yet */
		rc = mkdir_p(dir);
		if (rc < 0)
			tx_error(r, NULL, "cannot create %s: %s", dir, strerror(-rc));
	}
	/* a dry run makes no folder: where there is none, there is nothing to lock either */
	if (rc == 0 && (!dry_run || access(dir, F_OK) == 0)) {
		s->lock = lock_for(r, path);
		if (s->lock < 0)
			rc = s->lock;
	}
	free(dir);
	if (rc < 0)
		return rc;
	rc = read_text_file(path, &s->old, &s->oldlen);
	if (rc == -ENOENT && !must_exist) {
		s->old = xstrdup("");
		return 0;
	}
	if (rc < 0) {
		tx_error(r, NULL, "cannot read %s: %s", path, read_error(rc));
		return rc;
	}
	s->existed = true;
	if (stat(path, &st) == 0)
		s->mode = st.st_mode & 07777;
	return 0;
}

bool cfg_session_changes(const struct cfg_session *s, const char *text)
{
	size_t len = strlen(text);

	return len != s->oldlen || memcmp(text, s->old, len) != 0;
}

int cfg_session_commit(struct cfg_session *s, const char *text, struct tx_report *r)
{
	return atomic_write_file(r, s->path, text, strlen(text), s->mode, true);
}

void cfg_session_close(struct cfg_session *s)
{
	if (s->lock >= 0)
		close(s->lock);
	s->lock = -1;
	free(s->old);
	free(s->path);
	free(s->shown);
	s->old = s->path = s->shown = NULL;
}
