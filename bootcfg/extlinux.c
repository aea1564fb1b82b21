// SPDX-License-Identifier: GPL-2.0-or-later
#include "bootcfg/extlinux.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>

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
	free(c->f.path);
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

/* The parse under way: the file's lines so far, and what TEXT HELP and case have shown. */
struct ext_parse {
	struct extconf *c;
	struct tx_report *r;
	int label;
	bool in_text;
	int text_start;
	size_t upper, lowc;
};

static int ext_line(void *ctx, const char *raw, size_t n, const char *body, int lineno)
{
	struct ext_parse *ps = ctx;
	struct extconf *c = ps->c;
	struct ext_line *l = xgrow(&c->lines, &c->nlines, sizeof(*l));

	l->raw = xstrndup(raw, n);
	l->lineno = lineno;
	l->label = ps->label;
	understand(l, body);
	if (ps->in_text) { /* help text: never a directive, up to ENDTEXT */
		l->text = true;
		if (streq(l->kw, "endtext"))
			ps->in_text = false;
		free(l->kw);
		free(l->kw_raw);
		free(l->arg);
		l->kw = l->kw_raw = l->arg = NULL;
		return 0;
	}
	if (!l->kw)
		return 0;
	if (isupper((unsigned char)l->kw_raw[0]))
		ps->upper++;
	else
		ps->lowc++;
	if (streq(l->kw, "label")) {
		struct ext_label *lb;
		struct tx_loc loc = {c->f.path, lineno};

		if (!*l->arg) {
			tx_error(ps->r, &loc,
				 "LABEL without a name; give the entry a name or remove the line");
			return -EINVAL;
		}
		lb = xgrow(&c->labels, &c->nlabels, sizeof(*lb));
		lb->name = xstrdup(l->arg);
		lb->line = c->nlines - 1;
		ps->label = (int)c->nlabels - 1;
		l->label = ps->label;
	} else if (streq(l->kw, "text") && strncasecmp(l->arg, "help", 4) == 0) {
		ps->in_text = true;
		ps->text_start = lineno;
	}
	return 0;
}

struct extconf *extconf_parse(const char *path, const char *text, size_t len, struct tx_report *r)
{
	struct extconf *c = xzalloc(sizeof(*c));
	struct ext_parse ps = {.c = c, .r = r, .label = -1};

	if (cfg_split(&c->f, path, text, len, "extlinux reads", ext_line, &ps, r) < 0) {
		extconf_free(c);
		return NULL;
	}
	if (ps.in_text) {
		struct tx_loc loc = {path, ps.text_start};

		tx_error(
			r, &loc,
			"TEXT HELP has no ENDTEXT, so extlinux would read the rest of the file as help text; add ENDTEXT");
		extconf_free(c);
		return NULL;
	}
	c->upper_case = ps.upper >= ps.lowc;
	return c;
}

char *extconf_emit(const struct extconf *c, size_t *len)
{
	struct strv out = {0};
	char *text;

	for (size_t i = 0; i < c->nlines; i++) {
		const struct ext_line *l = &c->lines[i];

		if (l->deleted)
			continue;
		if (l->dirty || !l->raw)
			strv_push_owned(&out,
					xasprintf("%s%s%s%s%s%s", l->indent ? l->indent : "",
						  l->kw_raw,
						  l->arg && *l->arg
							  ? (l->kwsep && *l->kwsep ? l->kwsep : " ")
							  : "",
						  l->arg ? l->arg : "", l->trail ? l->trail : "",
						  c->f.crlf ? "\r" : ""));
		else
			strv_push(&out, l->raw);
	}
	text = cfg_join(
		&c->f, &out,
		!c->nlines || c->lines[c->nlines - 1].deleted || !c->lines[c->nlines - 1].raw, len);
	strv_free(&out);
	return text;
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
	return at;
}

void extconf_delete(struct extconf *c, size_t line)
{
	c->lines[line].deleted = true;
}

struct tx_loc extconf_loc(const struct extconf *c, size_t line)
{
	struct tx_loc loc = {c->f.path, c->lines[line].lineno};

	return loc;
}
