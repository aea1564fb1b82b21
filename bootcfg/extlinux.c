// SPDX-License-Identifier: GPL-2.0-or-later
#include "bootcfg/extlinux.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>

#define MAX_LINE 4096

static void line_clear(struct ext_line *l)
{
	free(l->raw);
	free(l->indent);
	free(l->kw);
	free(l->kw_raw);
	free(l->arg);
	free(l->orig);
	free(l->kwsep);
	free(l->trail);
}

void extconf_free(struct extconf *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nlines; i++)
		line_clear(&c->lines[i]);
	free(c->lines);
	for (size_t i = 0; i < c->nlabels; i++)
		free(c->labels[i].name);
	free(c->labels);
	free(c->path);
	free(c);
}

static char *lower(const char *s)
{
	char *d = xstrdup(s);

	for (char *q = d; *q; q++)
		*q = (char)tolower((unsigned char)*q);
	return d;
}

/* Split one line into indent, directive and argument. */
static void understand(struct ext_line *l, const char *text)
{
	const char *p = text, *kw, *e;
	size_t n;

	while (*p == ' ' || *p == '\t')
		p++;
	l->indent = xstrndup(text, (size_t)(p - text));
	if (!*p || *p == '#' || *p == '\r')
		return;
	kw = p;
	while (*p && !isspace((unsigned char)*p))
		p++;
	l->kw_raw = xstrndup(kw, (size_t)(p - kw));
	l->kw = lower(l->kw_raw);
	kw = p;
	while (*p == ' ' || *p == '\t')
		p++;
	l->kwsep = xstrndup(kw, (size_t)(p - kw));
	e = p + strlen(p);
	while (e > p && isspace((unsigned char)e[-1]))
		e--;
	n = (size_t)(e - p);
	l->arg = xstrndup(p, n);
	l->orig = xstrndup(p, n);
	l->trail = xstrdup(e);
}

struct extconf *extconf_parse(const char *path, const char *text, size_t len, struct tx_report *r)
{
	struct extconf *c = xzalloc(sizeof(*c));
	size_t pos = 0, upper = 0, lowc = 0;
	int label = -1, lineno = 0;
	bool in_text = false;
	size_t text_start = 0;

	c->path = xstrdup(path);
	if (memchr(text, '\0', len)) {
		struct tx_loc loc = {path, 1};

		tx_error(r, &loc,
			 "%s is not a text file (it holds a NUL byte); Tenxen will not edit it",
			 path);
		extconf_free(c);
		return NULL;
	}
	c->final_newline = len > 0 && text[len - 1] == '\n';
	while (pos < len) {
		const char *start = text + pos, *nl = memchr(start, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - start) : len - pos;
		struct ext_line *l;
		char *body;

		pos += n + (nl ? 1 : 0);
		lineno++;
		l = xgrow(&c->lines, &c->nlines, sizeof(*l));
		l->raw = xstrndup(start, n);
		l->lineno = lineno;
		l->label = label;
		if (n > MAX_LINE) {
			struct tx_loc loc = {path, lineno};

			tx_error(
				r, &loc,
				"a line of %zu characters is longer than extlinux reads (%d); Tenxen will not edit this file",
				n, MAX_LINE);
			extconf_free(c);
			return NULL;
		}
		if (lineno == 1 && n && start[n - 1] == '\r')
			c->crlf = true;
		body = xstrndup(start, n && start[n - 1] == '\r' ? n - 1 : n);
		if (in_text) {
			l->text = true;
			understand(l, body);
			if (streq(l->kw, "endtext"))
				in_text = false;
			free(l->kw);
			free(l->kw_raw);
			free(l->arg);
			l->kw = l->kw_raw = l->arg = NULL;
			free(body);
			continue;
		}
		understand(l, body);
		free(body);
		if (!l->kw)
			continue;
		if (isupper((unsigned char)l->kw_raw[0]))
			upper++;
		else
			lowc++;
		if (streq(l->kw, "label")) {
			struct ext_label *lb = xgrow(&c->labels, &c->nlabels, sizeof(*lb));

			lb->name = xstrdup(l->arg);
			lb->line = c->nlines - 1;
			label = (int)c->nlabels - 1;
			l->label = label;
			if (!*l->arg) {
				struct tx_loc loc = {path, lineno};

				tx_error(
					r, &loc,
					"LABEL without a name; give the entry a name or remove the line");
				extconf_free(c);
				return NULL;
			}
		} else if (streq(l->kw, "text") && strncasecmp(l->arg, "help", 4) == 0) {
			in_text = true;
			text_start = (size_t)lineno;
		}
	}
	if (in_text) {
		struct tx_loc loc = {path, (int)text_start};

		tx_error(
			r, &loc,
			"TEXT HELP has no ENDTEXT, so extlinux would read the rest of the file as help text; add ENDTEXT");
		extconf_free(c);
		return NULL;
	}
	c->upper_case = upper >= lowc;
	return c;
}

char *extconf_emit(const struct extconf *c, size_t *len)
{
	size_t cap = 256, n = 0;
	char *out = xmalloc(cap);
	bool first = true;

	for (size_t i = 0; i < c->nlines; i++) {
		const struct ext_line *l = &c->lines[i];
		char *text;
		size_t tl;

		if (l->deleted)
			continue;
		if (l->dirty || !l->raw)
			text = xasprintf(
				"%s%s%s%s%s%s", l->indent ? l->indent : "", l->kw_raw,
				l->arg && *l->arg ? (l->kwsep && *l->kwsep ? l->kwsep : " ") : "",
				l->arg ? l->arg : "", l->trail ? l->trail : "",
				c->crlf ? "\r" : "");
		else
			text = xstrdup(l->raw);
		tl = strlen(text);
		while (n + tl + 2 >= cap) {
			cap *= 2;
			out = xrealloc(out, cap);
		}
		if (!first)
			out[n++] = '\n';
		memcpy(out + n, text, tl);
		n += tl;
		first = false;
		free(text);
	}
	if (c->final_newline && !first)
		out[n++] = '\n';
	out[n] = '\0';
	if (len)
		*len = n;
	return out;
}

ssize_t extconf_find(const struct extconf *c, int label, const char *kw)
{
	ssize_t found = -1;
	/* a label's lines follow its LABEL line up to the next label; the global ones come first:
	 * only that run is read, so that finding in every label stays linear in the file */
	size_t i = label >= 0 ? c->labels[label].line : 0;

	for (; i < c->nlines && c->lines[i].label == label; i++) {
		const struct ext_line *l = &c->lines[i];

		if (!l->deleted && l->kw && streq(l->kw, kw))
			found = (ssize_t)i;
	}
	return found;
}

int extconf_label(const struct extconf *c, const char *name)
{
	for (size_t i = 0; i < c->nlabels; i++)
		if (streq(c->labels[i].name, name) && !c->lines[c->labels[i].line].deleted)
			return (int)i;
	return -1;
}

struct spaced {
	struct strv words, seps; /* seps[i] comes before words[i] */
};

void extconf_words(const char *s, struct strv *words, struct strv *seps)
{
	const char *p = s;

	while (*p) {
		const char *w = p, *e;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		e = p;
		while (*e && *e != ' ' && *e != '\t')
			e++;
		if (seps)
			strv_push_owned(seps, xstrndup(w, (size_t)(p - w)));
		strv_push_owned(words, xstrndup(p, (size_t)(e - p)));
		p = e;
	}
}

/*
 * new_arg's words, spaced as orig spaced the words the two have in common (a longest common
 * subsequence), new words with one space. Caller frees.
 */
static char *respace(const char *orig, const char *new_arg)
{
	struct spaced o = {0}, n = {0};
	size_t no, nn, *t;
	char *out, *q;
	size_t i, j, cap;

	extconf_words(orig, &o.words, &o.seps);
	extconf_words(new_arg, &n.words, &n.seps);
	no = o.words.n;
	nn = n.words.n;
	t = xzalloc((no + 1) * (nn + 1) * sizeof(size_t));
#define T(a, b) t[(a) * (nn + 1) + (b)]
	for (i = no; i-- > 0;)
		for (j = nn; j-- > 0;)
			T(i, j) = streq(o.words.v[i], n.words.v[j])
					  ? T(i + 1, j + 1) + 1
					  : (T(i + 1, j) > T(i, j + 1) ? T(i + 1, j) : T(i, j + 1));
	cap = strlen(orig) + strlen(new_arg) + 2;
	out = q = xzalloc(cap + 1);
	for (i = 0, j = 0; j < nn;) {
		const char *sep = " ";

		if (i < no && streq(o.words.v[i], n.words.v[j])) {
			sep = o.seps.v[i];
			i++;
		} else if (i < no && T(i + 1, j) >= T(i, j + 1)) {
			i++;
			continue;
		}
		if (q == out)
			sep = "";
		if ((size_t)(q - out) + strlen(sep) + strlen(n.words.v[j]) > cap) {
			size_t used = (size_t)(q - out);

			cap = cap * 2 + strlen(sep) + strlen(n.words.v[j]);
			out = xrealloc(out, cap + 1);
			q = out + used;
		}
		q = stpcpy(q, sep);
		q = stpcpy(q, n.words.v[j]);
		j++;
	}
#undef T
	*q = '\0';
	free(t);
	strv_free(&o.words);
	strv_free(&o.seps);
	strv_free(&n.words);
	strv_free(&n.seps);
	return out;
}

void extconf_set_arg(struct extconf *c, size_t line, const char *arg)
{
	struct ext_line *l = &c->lines[line];
	char *spaced = l->orig ? respace(l->orig, arg) : xstrdup(arg);

	(void)c;
	if (streq(l->arg, spaced)) {
		free(spaced);
		return;
	}
	free(l->arg);
	l->arg = spaced;
	l->dirty = !(l->raw && streq(spaced, l->orig));
}

size_t extconf_insert(struct extconf *c, size_t at, int label, const char *indent,
		      const char *kw_upper, const char *arg)
{
	struct ext_line *l;

	xgrow(&c->lines, &c->nlines, sizeof(*l));
	memmove(&c->lines[at + 1], &c->lines[at], (c->nlines - 1 - at) * sizeof(*l));
	l = &c->lines[at];
	memset(l, 0, sizeof(*l));
	l->indent = xstrdup(indent);
	l->kw = lower(kw_upper);
	l->kw_raw = c->upper_case ? xstrdup(kw_upper) : lower(kw_upper);
	l->arg = xstrdup(arg);
	l->label = label;
	l->dirty = true;
	for (size_t i = 0; i < c->nlabels; i++)
		if (c->labels[i].line >= at)
			c->labels[i].line++;
	if (c->nlines == 1)
		c->final_newline = true;
	return at;
}

void extconf_delete(struct extconf *c, size_t line)
{
	c->lines[line].deleted = true;
}

struct tx_loc extconf_loc(const struct extconf *c, size_t line)
{
	struct tx_loc loc = {c->path, c->lines[line].lineno};

	return loc;
}
