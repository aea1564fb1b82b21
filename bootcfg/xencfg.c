// SPDX-License-Identifier: GPL-2.0-or-later
#include "bootcfg/xencfg.h"
#include "bootcfg/entries.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void line_clear(struct xcfg_line *l)
{
	free(l->raw);
	free(l->section);
	free(l->key);
	free(l->value);
	free(l->indent);
	free(l->trail);
}

void xencfg_free(struct xencfg *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nlines; i++)
		line_clear(&c->lines[i]);
	free(c->lines);
	for (size_t i = 0; i < c->nsections; i++)
		free(c->sections[i]);
	free(c->sections);
	free(c->section_line);
	free(c->f.path);
	free(c);
}

bool xencfg_looks_like(const char *text, size_t len)
{
	size_t pos = 0;

	while (pos < len) {
		const char *s = text + pos, *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;
		size_t i = 0;

		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i < n && s[i] == '[')
			return true;
		pos += n + 1;
	}
	return false;
}

static void add_section(struct xencfg *c, const char *name, size_t line)
{
	c->sections = xrealloc(c->sections, (c->nsections + 1) * sizeof(*c->sections));
	c->section_line = xrealloc(c->section_line, (c->nsections + 1) * sizeof(size_t));
	c->sections[c->nsections] = xstrdup(name);
	c->section_line[c->nsections] = line;
	c->nsections++;
}

/* Understand one line (without its line ending). Returns 0, or -EINVAL for a section line
 * without its ']' (reported). */
static int understand(struct xencfg *c, struct xcfg_line *l, const char *body, struct tx_report *r)
{
	const char *p = body, *eq, *hash, *e;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p || *p == '#' || *p == ';')
		return 0;
	if (*p == '[') {
		const char *close = strchr(p, ']');
		struct tx_loc loc = {c->f.path, l->lineno};

		if (!close) {
			tx_error(r, &loc,
				 "a section line without its ']'; write it as [name] or remove it");
			return -EINVAL;
		}
		l->section = xstrndup(p + 1, (size_t)(close - p - 1));
		add_section(c, l->section, c->nlines - 1);
		return 0;
	}
	hash = strchr(p, '#');
	eq = strchr(p, '=');
	if (!eq || (hash && hash < eq))
		return 0; /* Xen reads nothing here */
	if (eq == p || isspace((unsigned char)eq[-1])) {
		struct tx_loc loc = {c->f.path, l->lineno};

		tx_warn(r, &loc,
			"Xen reads no key with white space before its '='; Tenxen leaves this line as it is");
		return 0;
	}
	l->indent = xstrndup(body, (size_t)(p - body));
	l->key = xstrndup(p, (size_t)(eq - p));
	e = hash ? hash : eq + strlen(eq);
	while (e > eq + 1 && isspace((unsigned char)e[-1]))
		e--;
	l->value = xstrndup(eq + 1, (size_t)(e - eq - 1));
	l->trail = xstrdup(e);
	return 0;
}

/* The parse under way. */
struct x_parse {
	struct xencfg *c;
	struct tx_report *r;
	int sect;
};

static int x_line(void *ctx, const char *raw, size_t n, const char *body, int lineno)
{
	struct x_parse *ps = ctx;
	struct xcfg_line *l = xgrow(&ps->c->lines, &ps->c->nlines, sizeof(*l));
	int rc;

	l->raw = xstrndup(raw, n);
	l->lineno = lineno;
	rc = understand(ps->c, l, body, ps->r);
	if (l->section)
		ps->sect = (int)ps->c->nsections - 1;
	l->sect = ps->sect;
	return rc;
}

struct xencfg *xencfg_parse(const char *path, const char *text, size_t len, struct tx_report *r)
{
	struct xencfg *c = xzalloc(sizeof(*c));
	struct x_parse ps = {.c = c, .r = r, .sect = -1};

	if (cfg_split(&c->f, path, text, len, "Tenxen edits", x_line, &ps, r) < 0) {
		xencfg_free(c);
		return NULL;
	}
	return c;
}

char *xencfg_emit(const struct xencfg *c, size_t *len)
{
	struct strv out = {0};
	char *text;

	for (size_t i = 0; i < c->nlines; i++) {
		const struct xcfg_line *l = &c->lines[i];

		if (l->deleted)
			continue;
		if (l->dirty || !l->raw) {
			if (l->section)
				strv_push_owned(&out, xasprintf("[%s]%s", l->section,
								c->f.crlf ? "\r" : ""));
			else
				strv_push_owned(&out, xasprintf("%s%s=%s%s%s",
								l->indent ? l->indent : "", l->key,
								l->value, l->trail ? l->trail : "",
								c->f.crlf ? "\r" : ""));
		} else {
			strv_push(&out, l->raw);
		}
	}
	text = cfg_join(
		&c->f, &out,
		!c->nlines || c->lines[c->nlines - 1].deleted || !c->lines[c->nlines - 1].raw, len);
	strv_free(&out);
	return text;
}

int xencfg_section(const struct xencfg *c, const char *name)
{
	for (size_t i = 0; i < c->nsections; i++)
		if (!c->lines[c->section_line[i]].deleted && streq(c->sections[i], name))
			return (int)i;
	return -1;
}

ssize_t xencfg_find(const struct xencfg *c, int sect, const char *key)
{
	/* Xen takes the first */
	for (size_t i = 0; i < c->nlines; i++)
		if (!c->lines[i].deleted && c->lines[i].sect == sect && streq(c->lines[i].key, key))
			return (ssize_t)i;
	return -1;
}

void xencfg_set_value(struct xencfg *c, size_t line, const char *value)
{
	struct xcfg_line *l = &c->lines[line];

	if (streq(l->value, value))
		return;
	free(l->value);
	l->value = xstrdup(value);
	l->dirty = true;
}

/* Insert before line at, in section sect: "key=value"; "[value]" when key is NULL; a blank line
 * when both are. Returns its index. */
static size_t insert_line(struct xencfg *c, size_t at, int sect, const char *key, const char *value)
{
	struct xcfg_line *l;

	xgrow(&c->lines, &c->nlines, sizeof(*l));
	memmove(&c->lines[at + 1], &c->lines[at], (c->nlines - 1 - at) * sizeof(*l));
	l = &c->lines[at];
	memset(l, 0, sizeof(*l));
	l->sect = sect;
	if (key) {
		l->key = xstrdup(key);
		l->value = xstrdup(value);
	} else if (value) {
		l->section = xstrdup(value);
	} else {
		l->raw = xstrdup(""); /* a blank line */
	}
	for (size_t i = 0; i < c->nsections; i++)
		if (c->section_line[i] >= at)
			c->section_line[i]++;
	return at;
}

size_t xencfg_entries(const struct xencfg *c, int **out)
{
	int *es = xzalloc((c->nsections + 1) * sizeof(*es));
	size_t n = 0;

	/* in the order of the file */
	for (size_t i = 0; i < c->nlines; i++) {
		const struct xcfg_line *l = &c->lines[i];
		ssize_t k;

		if (!l->section || l->deleted || streq(l->section, "global"))
			continue;
		k = xencfg_find(c, l->sect, "kernel");
		if (k >= 0 && c->lines[k].value[strspn(c->lines[k].value, " \t")])
			es[n++] = l->sect; /* a kernel= naming no file boots nothing */
	}
	*out = es;
	return n;
}

int xencfg_default(const struct xencfg *c)
{
	int g = xencfg_section(c, "global"), *es, d = -1;
	ssize_t line = g >= 0 ? xencfg_find(c, g, "default") : -1;
	size_t n = xencfg_entries(c, &es);

	if (line >= 0)
		d = xencfg_section(c, c->lines[line].value);
	if ((d < 0 || xencfg_find(c, d, "kernel") < 0) && n)
		d = es[0];
	free(es);
	return d;
}

static int no_entry(const struct xencfg *c, struct tx_report *r)
{
	struct tx_loc loc = {c->f.path, 0};

	tx_error(
		r, &loc,
		"has no boot entry (a section with kernel=), so there is nothing to set; run tenxen on a Xen host's xen.cfg");
	return -ENOENT;
}

/* Read a key's words (the empty list when the line is missing). */
static void words_of(const struct xencfg *c, ssize_t line, struct strv *w)
{
	if (line >= 0)
		bc_split_words(c->lines[line].value, w);
}

/* Write words back to a key of a section, adding the line after the section's header. */
static void put_words(struct xencfg *c, int sect, const char *key, const struct strv *w,
		      size_t skip)
{
	ssize_t line = xencfg_find(c, sect, key);
	struct strv tail = {0};
	char *value;

	for (size_t i = skip; i < w->n; i++)
		strv_push(&tail, w->v[i]);
	value = strv_join(&tail, " ");
	strv_free(&tail);
	if (line >= 0) {
		/* the same words keep the line as written (its spacing) */
		struct strv old = {0};
		char *was;

		words_of(c, line, &old);
		was = strv_join(&old, " ");
		if (!streq(was, value))
			xencfg_set_value(c, (size_t)line, value);
		free(was);
		strv_free(&old);
	} else if (*value) {
		insert_line(c, c->section_line[sect] + 1, sect, key, value);
	}
	free(value);
}

/* An entry's options= with a stand-in for the hypervisor at [0], as the extlinux edits see it. */
static void xen_words(const struct xencfg *c, int sect, struct strv *w)
{
	strv_push(w, "xen.efi");
	words_of(c, xencfg_find(c, sect, "options"), w);
}

int xencfg_set_serial(struct xencfg *c, const struct serial_console *s, struct tx_report *r)
{
	int *es;
	size_t n = xencfg_entries(c, &es);

	if (!n) {
		free(es);
		return no_entry(c, r);
	}
	for (size_t i = 0; i < n; i++) {
		struct strv x = {0}, k = {0};

		xen_words(c, es[i], &x);
		bc_xen_serial(&x, s);
		put_words(c, es[i], "options", &x, 1);
		words_of(c, xencfg_find(c, es[i], "kernel"), &k);
		bc_kernel_serial(&k, 1, s, true);
		put_words(c, es[i], "kernel", &k, 0);
		strv_free(&x);
		strv_free(&k);
	}
	free(es);
	return 0;
}

struct serial_console xencfg_get_serial(const struct xencfg *c)
{
	struct serial_console s = {-1, 0};
	int d = xencfg_default(c);
	struct strv w = {0}, items = {0};
	ssize_t ci;

	if (d < 0)
		return s;
	xen_words(c, d, &w);
	ci = bc_opt_find(&w, 1, "console");
	if (ci >= 0 && strchr(w.v[ci], '='))
		strv_split(&items, strchr(w.v[ci], '=') + 1, ',');
	for (size_t i = 0; i < items.n && s.port < 0; i++) {
		int port = bc_com_of(items.v[i]);
		char key[16];
		ssize_t at;

		if (port < 0)
			continue;
		snprintf(key, sizeof(key), "com%d", port + 1);
		at = bc_opt_find(&w, 1, key);
		s.port = port;
		s.speed = at >= 0 && strchr(w.v[at], '=')
				  ? (unsigned)strtoul(strchr(w.v[at], '=') + 1, NULL, 10)
				  : 0;
		if (!s.speed)
			s.speed = 115200; /* Xen's comN without a speed keeps the firmware's */
	}
	strv_free(&items);
	strv_free(&w);
	return s;
}

static int set_default(struct xencfg *c, const char *name, struct tx_report *r)
{
	int sect = xencfg_section(c, name), g;
	ssize_t line;

	if (sect < 0 || streq(name, "global") || xencfg_find(c, sect, "kernel") < 0) {
		int *es;
		size_t n = xencfg_entries(c, &es);
		struct strv names = {0};
		char *list;

		for (size_t i = 0; i < n; i++)
			strv_push(&names, c->sections[es[i]]);
		list = names.n ? strv_join(&names, ", ") : xstrdup("none");
		tx_error(r, NULL, "%s has no entry called %s; its entries are: %s", c->f.path, name,
			 list);
		free(list);
		free(es);
		strv_free(&names);
		return -ENOENT;
	}
	g = xencfg_section(c, "global");
	if (g < 0) {
		/* a [global] section at the top, as Xen's examples have it */
		insert_line(c, 0, -1, NULL, "global");
		add_section(c, "global", 0);
		g = (int)c->nsections - 1;
		/* what came before the first section is now in [global], as Xen will read it */
		for (size_t i = 0; i < c->nlines && c->lines[i].sect < 0; i++)
			c->lines[i].sect = g;
		c->lines[0].sect = g;
		insert_line(c, 1, g, "default", name);
		insert_line(c, 2, g, NULL, NULL);
		return 0;
	}
	line = xencfg_find(c, g, "default");
	if (line >= 0)
		xencfg_set_value(c, (size_t)line, name);
	else
		insert_line(c, c->section_line[g] + 1, g, "default", name);
	return 0;
}

/*
 * A change (words to set, keys to drop) on every entry: on Xen's options=, or with dom0 on the
 * kernel's words of kernel= after its file name (an entry without kernel= has no dom0).
 */
static int change_entries(struct xencfg *c, bool dom0, const struct strv *set,
			  const struct strv *drop, struct tx_report *r)
{
	int *es;
	size_t n = xencfg_entries(c, &es);
	int rc = n ? 0 : no_entry(c, r);

	/* every entry's new words checked first, then written: one too long changes none */
	for (int pass = 0; pass < 2 && rc == 0; pass++) {
		for (size_t i = 0; i < n && rc == 0; i++) {
			struct strv w = {0};

			if (dom0)
				words_of(c, xencfg_find(c, es[i], "kernel"), &w);
			else
				xen_words(c, es[i], &w);
			if (w.n) {
				bc_apply_change(&w, 1, set, drop);
				if (pass == 0)
					rc = bc_check_cmdline(&w, dom0, c->sections[es[i]], r);
				else
					put_words(c, es[i], dom0 ? "kernel" : "options", &w,
						  dom0 ? 0 : 1);
			}
			strv_free(&w);
		}
	}
	free(es);
	return rc;
}

static int x_set_default(void *cfg, const char *name, struct tx_report *r)
{
	return set_default(cfg, name, r);
}

static int x_change(void *cfg, bool dom0, const struct strv *set, const struct strv *drop,
		    struct tx_report *r)
{
	return change_entries(cfg, dom0, set, drop, r);
}

int xencfg_set_assignment(struct xencfg *c, const char *assignment, struct tx_report *r)
{
	static const struct bc_dialect xen_cfg = {x_set_default, x_change};

	return bc_set_assignment(&xen_cfg, c, assignment, r);
}

/* The first word of a key's value (a file name), or NULL. Caller frees. */
static char *first_word(const struct xencfg *c, int sect, const char *key)
{
	struct strv w = {0};
	char *f;

	words_of(c, xencfg_find(c, sect, key), &w);
	f = w.n ? xstrdup(w.v[0]) : NULL;
	strv_free(&w);
	return f;
}

int xencfg_set_files(struct xencfg *c, const char *kernel, const char *ramdisk, const char *dir,
		     struct tx_report *r)
{
	int *es, d = xencfg_default(c);
	size_t n = xencfg_entries(c, &es);
	char *tracked = d >= 0 ? first_word(c, d, "kernel") : NULL;

	if (!n) {
		free(es);
		return no_entry(c, r);
	}
	for (size_t i = 0; i < n; i++) {
		struct strv k = {0};
		ssize_t rd = xencfg_find(c, es[i], "ramdisk");
		bool move = !dir || es[i] == d;

		words_of(c, xencfg_find(c, es[i], "kernel"), &k);
		if (!move && k.n) {
			/* an entry pinned to another kernel keeps it while the ESP holds it */
			char *p = xasprintf("%s/%s", dir, k.v[0]);

			move = streq(k.v[0], tracked) || access(p, F_OK) != 0;
			free(p);
		}
		if (move && k.n) {
			free(k.v[0]);
			k.v[0] = xstrdup(kernel);
			put_words(c, es[i], "kernel", &k, 0);
			if (ramdisk && rd >= 0)
				xencfg_set_value(c, (size_t)rd, ramdisk);
			else if (ramdisk)
				insert_line(c, (size_t)xencfg_find(c, es[i], "kernel") + 1, es[i],
					    "ramdisk", ramdisk);
		}
		strv_free(&k);
	}
	free(tracked);
	free(es);
	return 0;
}
