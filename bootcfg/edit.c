// SPDX-License-Identifier: GPL-2.0-or-later
#include "bootcfg/bootcfg.h"
#include "bootcfg/xenopts.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* extlinux ≥ 4 searches its install folder (extlinux.conf, then syslinux.cfg), then
 * /boot/syslinux, /syslinux and / of the filesystem it is installed on. */
const char *const bootcfg_search_paths[] = {
	"/boot/extlinux/extlinux.conf",
	"/boot/extlinux/syslinux.cfg",
	"/boot/extlinux.conf",
	"/boot/syslinux/extlinux.conf",
	"/boot/syslinux/syslinux.cfg",
	"/boot/syslinux.cfg",
	"/extlinux/extlinux.conf",
	"/extlinux.conf",
	"/syslinux/syslinux.cfg",
	"/syslinux.cfg",
	NULL,
};

char *bootcfg_find(const char *root)
{
	for (size_t i = 0; bootcfg_search_paths[i]; i++) {
		char *p = xasprintf("%s%s", root, bootcfg_search_paths[i]);

		if (access(p, F_OK) == 0)
			return p;
		free(p);
	}
	return NULL;
}

static const char *basename_of(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static enum entry_kind kind_of(const char *image)
{
	const char *b = basename_of(image);

	if (strcasecmp(b, "mboot.c32") == 0)
		return ENTRY_XEN;
	if (strncasecmp(b, "vmlinu", 6) == 0 || strncasecmp(b, "bzimage", 7) == 0 ||
	    strncasecmp(b, "linux", 5) == 0)
		return ENTRY_LINUX;
	return ENTRY_OTHER;
}

static void split_words(const char *s, struct strv *out)
{
	extconf_words(s, out, NULL);
}

void entries_free(struct entry *e, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < 4; k++)
			strv_free(&e[i].parts[k]);
	free(e);
}

int bootcfg_entries(const struct extconf *c, struct tx_report *r, struct entry **out)
{
	struct entry *es = NULL;
	size_t n = 0;
	int rc = 0;

	for (size_t li = 0; li < c->nlabels; li++) {
		struct entry *e;
		ssize_t k = -1;
		const char *kws[] = {"kernel", "linux", "com32"};

		if (c->lines[c->labels[li].line].deleted)
			continue;
		e = xgrow(&es, &n, sizeof(*e));
		e->label = (int)li;
		e->kind = ENTRY_OTHER;
		for (size_t j = 0; j < ARRAY_SIZE(kws); j++) {
			ssize_t f = extconf_find(c, (int)li, kws[j]);

			if (f > k)
				k = f;
		}
		e->kernel_line = k;
		e->append_line = extconf_find(c, (int)li, "append");
		e->initrd_line = extconf_find(c, (int)li, "initrd");
		if (k < 0)
			continue;
		{
			struct strv w = {0};

			split_words(c->lines[k].arg, &w);
			if (w.n)
				e->kind = kind_of(w.v[0]);
			strv_free(&w);
		}
		if (e->kind == ENTRY_LINUX) {
			ssize_t from = e->append_line >= 0 ? e->append_line
							   : extconf_find(c, -1, "append");

			/* a label without APPEND of its own boots with the global one */
			if (from >= 0)
				split_words(c->lines[from].arg, &e->parts[0]);
			e->nparts = 1;
		} else if (e->kind == ENTRY_XEN) {
			struct strv w = {0};
			size_t part = 0;

			if (e->append_line >= 0)
				split_words(c->lines[e->append_line].arg, &w);
			for (size_t j = 0; j < w.n; j++) {
				if (streq(w.v[j], "---")) {
					if (part < 3)
						part++;
					else
						strv_push(&e->parts[3], w.v[j]); /* more modules */
					continue;
				}
				strv_push(&e->parts[part], w.v[j]);
			}
			e->nparts = w.n ? part + 1 : 0;
			strv_free(&w);
			if (e->nparts < 2 || !e->parts[0].n || !e->parts[1].n) {
				struct tx_loc loc = extconf_loc(
					c, (size_t)(e->append_line >= 0 ? e->append_line : k));

				tx_error(
					r, &loc,
					"entry %s boots mboot.c32 but its APPEND is not \"XEN OPTIONS --- KERNEL OPTIONS --- INITRD\"; Tenxen cannot tell Xen's options from the kernel's: fix this line",
					c->labels[li].name);
				rc = -EINVAL;
			}
		}
	}
	if (rc < 0) {
		entries_free(es, n);
		return rc;
	}
	*out = es;
	return (int)n;
}

/* ---- options as words ---- */

static bool key_is(const char *word, const char *key)
{
	size_t n = strlen(key);

	return strncmp(word, key, n) == 0 && (word[n] == '=' || word[n] == '\0');
}

static ssize_t opt_find(const struct strv *w, size_t from, const char *key)
{
	for (size_t i = from; i < w->n; i++)
		if (key_is(w->v[i], key))
			return (ssize_t)i;
	return -1;
}

static void opt_remove_at(struct strv *w, size_t i)
{
	free(w->v[i]);
	memmove(&w->v[i], &w->v[i + 1], (w->n - i) * sizeof(char *));
	w->n--;
}

/* Replace the first KEY=... word (dropping later ones), or append. */
static void opt_set(struct strv *w, size_t from, const char *key, const char *word)
{
	ssize_t i = opt_find(w, from, key), j;

	if (i < 0) {
		strv_push(w, word);
		return;
	}
	free(w->v[i]);
	w->v[i] = xstrdup(word);
	while ((j = opt_find(w, (size_t)i + 1, key)) >= 0)
		opt_remove_at(w, (size_t)j);
}

static void opt_remove(struct strv *w, size_t from, const char *key)
{
	ssize_t i;

	while ((i = opt_find(w, from, key)) >= 0)
		opt_remove_at(w, (size_t)i);
}

static size_t count_in_label(const struct extconf *c, int label, const char *kw)
{
	size_t n = 0;

	for (size_t i = 0; i < c->nlines; i++)
		n += !c->lines[i].deleted && c->lines[i].label == label &&
		     streq(c->lines[i].kw, kw);
	return n;
}

/* Write an entry's words back to its APPEND line (adding one after the kernel when missing). */
static void write_entry(struct extconf *c, struct entry *e)
{
	struct strv groups = {0};
	char *arg;

	for (size_t k = 0; k < e->nparts; k++) {
		if (k > 0)
			strv_push(&groups, "---");
		for (size_t i = 0; i < e->parts[k].n; i++)
			strv_push(&groups, e->parts[k].v[i]);
	}
	arg = strv_join(&groups, " ");
	strv_free(&groups);
	if (e->kind == ENTRY_LINUX) {
		/* a label's APPEND that says what the label would boot with anyway goes */
		ssize_t g = extconf_find(c, -1, "append");
		struct strv inherited = {0};
		char *same;

		if (g >= 0)
			split_words(c->lines[g].arg, &inherited);
		same = strv_join(&inherited, " ");
		strv_free(&inherited);
		/* (only when it is the label's one APPEND: dropping the last of several would bring
		 * an earlier one back into force) */
		if (streq(same, arg) && count_in_label(c, e->label, "append") <= 1) {
			if (e->append_line >= 0)
				extconf_delete(c, (size_t)e->append_line);
			e->append_line = -1;
			free(same);
			free(arg);
			return;
		}
		free(same);
	}
	if (e->append_line >= 0) {
		extconf_set_arg(c, (size_t)e->append_line, arg);
	} else if (*arg) {
		const struct ext_line *k = &c->lines[e->kernel_line];

		e->append_line = (ssize_t)extconf_insert(c, (size_t)e->kernel_line + 1, e->label,
							 k->indent, "APPEND", arg);
	}
	free(arg);
}

/* ---- the serial console ---- */

static int com_of(const char *item)
{
	if (strncasecmp(item, "com", 3) == 0 && item[3] >= '1' && item[3] <= '4' && !item[4])
		return item[3] - '1';
	return -1;
}

/* Xen: comN=SPEED,8n1 and comN in console=; see docs/bootcfg.md for why these forms. */
static void xen_serial(struct strv *w, const struct serial_console *s)
{
	ssize_t ci = opt_find(w, 1, "console");
	struct strv items = {0};
	char *word;
	bool created = false;

	if (ci >= 0 && strchr(w->v[ci], '='))
		strv_split(&items, strchr(w->v[ci], '=') + 1, ',');
	/* forget the com ports the old console list used; a new port takes the old one's place */
	for (size_t i = 0; i < items.n; i++) {
		int port = com_of(items.v[i]);
		char key[16];
		ssize_t at;

		if (port < 0 || (s && port == s->port))
			continue;
		snprintf(key, sizeof(key), "com%d", port + 1);
		at = opt_find(w, 1, key);
		if (s && at >= 0) {
			char nkey[16];

			snprintf(nkey, sizeof(nkey), "com%d", s->port + 1);
			if (opt_find(w, 1, nkey) < 0) {
				free(w->v[at]);
				w->v[at] = xasprintf("%s=", nkey); /* its value is set below */
			}
		}
		opt_remove(w, 1, key);
	}
	if (s) {
		char key[16], val[32];
		bool placed = false;

		snprintf(key, sizeof(key), "com%d", s->port + 1);
		snprintf(val, sizeof(val), "com%d=%u,8n1", s->port + 1, s->speed);
		opt_set(w, 1, key, val);
		if (ci < 0) {
			strv_push(&items, key);
			strv_push(&items, "vga");
			created = true;
		} else {
			for (size_t i = 0; i < items.n; i++) {
				if (com_of(items.v[i]) < 0)
					continue;
				if (!placed) {
					free(items.v[i]);
					items.v[i] = xstrdup(key);
					placed = true;
				} else {
					free(items.v[i]);
					items.v[i] = xstrdup("");
				}
			}
			if (!placed)
				strv_push(&items, key);
		}
	} else if (ci >= 0) {
		/* "comN,vga" is the form an add creates: dropping it restores Xen's default (vga) */
		created = items.n == 2 && com_of(items.v[0]) >= 0 &&
			  strcasecmp(items.v[1], "vga") == 0;
		for (size_t i = 0; i < items.n; i++) {
			if (com_of(items.v[i]) >= 0) {
				free(items.v[i]);
				items.v[i] = xstrdup("");
			}
		}
	}
	{
		struct strv kept = {0};

		for (size_t i = 0; i < items.n; i++)
			if (*items.v[i])
				strv_push(&kept, items.v[i]);
		if ((!s && created) || kept.n == 0) {
			if (ci >= 0)
				opt_remove(w, 1, "console");
		} else {
			char *list = strv_join(&kept, ",");

			word = xasprintf("console=%s", list);
			if (ci >= 0)
				opt_set(w, 1, "console", word);
			else
				strv_push(w, word);
			free(word);
			free(list);
		}
		strv_free(&kept);
	}
	strv_free(&items);
}

static bool is_serial_console(const char *word)
{
	return startswith(word, "console=ttyS") || startswith(word, "console=hvc");
}

/* dom0 (or a plain Linux entry): console=hvc0 under Xen, console=ttySN,SPEEDn8 without. */
static void kernel_serial(struct strv *w, size_t from, const struct serial_console *s, bool xen)
{
	char want[48];
	bool have = false;

	if (s && xen)
		snprintf(want, sizeof(want), "console=hvc0");
	else if (s)
		snprintf(want, sizeof(want), "console=ttyS%d,%un8", s->port, s->speed);
	for (size_t i = from; i < w->n;) {
		if (is_serial_console(w->v[i])) {
			if (s && !have && streq(w->v[i], want)) {
				have = true;
				i++;
				continue;
			}
			opt_remove_at(w, i);
			continue;
		}
		i++;
	}
	if (s && !have)
		strv_push(w, want);
}

/*
 * The edits below walk the entries from the last to the first: a line an edit inserts into one
 * entry then moves only lines of entries already done, never the lines still to be edited.
 */
int bootcfg_set_serial(struct extconf *c, const struct serial_console *s, struct tx_report *r)
{
	struct entry *es = NULL;
	int n = bootcfg_entries(c, r, &es);
	ssize_t first = -1;

	if (n < 0)
		return n;
	for (int i = n - 1; i >= 0; i--) {
		struct entry *e = &es[i];

		if (e->kind == ENTRY_XEN) {
			xen_serial(&e->parts[0], s);
			kernel_serial(&e->parts[1], 1, s, true);
			write_entry(c, e);
		} else if (e->kind == ENTRY_LINUX) {
			kernel_serial(&e->parts[0], 0, s, false);
			write_entry(c, e);
		}
	}
	entries_free(es, (size_t)n);
	/* SERIAL must come first in the file for extlinux to use the line from the start */
	for (size_t i = 0; i < c->nlines; i++) {
		if (c->lines[i].deleted || !streq(c->lines[i].kw, "serial"))
			continue;
		if (s && first < 0)
			first = (ssize_t)i;
		else
			extconf_delete(c, i);
	}
	if (s) {
		char *arg = xasprintf("%d %u", s->port, s->speed);

		if (first >= 0) {
			extconf_set_arg(c, (size_t)first, arg);
		} else {
			size_t at = c->nlines;

			for (size_t i = 0; i < c->nlines; i++) {
				if (!c->lines[i].deleted && c->lines[i].kw && !c->lines[i].text) {
					at = i;
					break;
				}
			}
			extconf_insert(c, at, -1, "", "SERIAL", arg);
		}
		free(arg);
	}
	return 0;
}

struct serial_console bootcfg_get_serial(const struct extconf *c)
{
	struct serial_console s = {-1, 0};
	ssize_t i = extconf_find(c, -1, "serial");

	for (size_t k = 0; i < 0 && k < c->nlines; k++)
		if (!c->lines[k].deleted && streq(c->lines[k].kw, "serial"))
			i = (ssize_t)k;
	if (i >= 0) {
		char *end;
		long port = strtol(c->lines[i].arg, &end, 10);

		s.port = port >= 0 && port <= 3 ? (int)port : -1;
		s.speed = (unsigned)strtoul(end, NULL, 10);
		if (!s.speed)
			s.speed = 9600; /* extlinux's default */
	}
	return s;
}

/* ---- dom0 memory, Xen options, default ---- */

static int count_xen(const struct entry *es, int n)
{
	int x = 0;

	for (int i = 0; i < n; i++)
		x += es[i].kind == ENTRY_XEN;
	return x;
}

static int no_xen_entry(struct extconf *c, struct tx_report *r)
{
	struct tx_loc loc = {c->path, 0};

	tx_error(
		r, &loc,
		"has no Xen entry (a LABEL booting mboot.c32), so there is nothing to set; run tenxen on a Xen host's config");
	return -ENOENT;
}

/* KEY=... on every Xen entry's hypervisor options: set to word, or removed when word is NULL. */
static int xen_option_everywhere(struct extconf *c, const char *key, const char *word,
				 struct tx_report *r)
{
	struct entry *es = NULL;
	int n = bootcfg_entries(c, r, &es);

	if (n < 0)
		return n;
	if (!count_xen(es, n)) {
		entries_free(es, (size_t)n);
		return no_xen_entry(c, r);
	}
	for (int i = n - 1; i >= 0; i--) {
		if (es[i].kind != ENTRY_XEN)
			continue;
		if (word)
			opt_set(&es[i].parts[0], 1, key, word);
		else
			opt_remove(&es[i].parts[0], 1, key);
		write_entry(c, &es[i]);
	}
	entries_free(es, (size_t)n);
	return 0;
}

int bootcfg_set_dom0_mem(struct extconf *c, const char *value, struct tx_report *r)
{
	struct dom0_mem m;
	char *why = NULL, *word, *arg;
	int rc;

	if (dom0_mem_parse(value, &m, &why) < 0 || m.is_auto) {
		tx_error(r, NULL, "dom0_mem=%s: %s", value,
			 why ? why : "auto needs the host's memory; give a size such as 2G,max:2G");
		free(why);
		return -EINVAL;
	}
	arg = dom0_mem_xen_arg(&m, 0, NULL);
	word = xasprintf("dom0_mem=%s", arg);
	rc = xen_option_everywhere(c, "dom0_mem", word, r);
	free(arg);
	free(word);
	return rc;
}

int bootcfg_set_vpmu(struct extconf *c, const char *mode, struct tx_report *r)
{
	char *word;
	int rc;

	if (!vpmu_mode_known(mode)) {
		tx_error(r, NULL,
			 "vpmu=%s is not a mode; use off, on, bts, ipc or arch (docs/profiling.md)",
			 mode);
		return -EINVAL;
	}
	word = streq(mode, "off") ? NULL : xasprintf("vpmu=%s", mode);
	rc = xen_option_everywhere(c, "vpmu", word, r);
	free(word);
	return rc;
}

int bootcfg_set_xen_options(struct extconf *c, const char *opts, struct tx_report *r)
{
	struct strv words = {0};
	struct entry *es = NULL;
	int n;

	split_words(opts, &words);
	if (!words.n || strstr(opts, "---")) {
		tx_error(
			r, NULL,
			"xen-append=\"%s\": give Xen options such as \"loglvl=all iommu=1\" (without ---)",
			opts);
		strv_free(&words);
		return -EINVAL;
	}
	n = bootcfg_entries(c, r, &es);
	if (n < 0) {
		strv_free(&words);
		return n;
	}
	if (!count_xen(es, n)) {
		strv_free(&words);
		entries_free(es, (size_t)n);
		return no_xen_entry(c, r);
	}
	for (int i = n - 1; i >= 0; i--) {
		if (es[i].kind != ENTRY_XEN)
			continue;
		for (size_t k = 0; k < words.n; k++) {
			char *key = xstrndup(words.v[k], strcspn(words.v[k], "="));

			opt_set(&es[i].parts[0], 1, key, words.v[k]);
			free(key);
		}
		write_entry(c, &es[i]);
	}
	strv_free(&words);
	entries_free(es, (size_t)n);
	return 0;
}

int bootcfg_set_default(struct extconf *c, const char *label, struct tx_report *r)
{
	ssize_t d = extconf_find(c, -1, "default");

	if (extconf_label(c, label) < 0) {
		struct strv names = {0};
		char *list;

		for (size_t i = 0; i < c->nlabels; i++)
			if (!c->lines[c->labels[i].line].deleted)
				strv_push(&names, c->labels[i].name);
		list = names.n ? strv_join(&names, ", ") : xstrdup("none");
		tx_error(r, NULL, "%s has no entry called %s; its entries are: %s", c->path, label,
			 list);
		free(list);
		strv_free(&names);
		return -ENOENT;
	}
	if (d >= 0) {
		extconf_set_arg(c, (size_t)d, label);
	} else {
		size_t at = c->nlabels ? c->labels[0].line : c->nlines;

		extconf_insert(c, at, -1, "", "DEFAULT", label);
	}
	return 0;
}

/* ---- files in /boot ---- */

char *bootcfg_newest_file(const char *dir, const char *prefix, const char *suffix)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	char *best = NULL;

	while (dp && (de = readdir(dp))) {
		const char *nm = de->d_name;

		if (!startswith(nm, prefix) || !endswith(nm, suffix) ||
		    strlen(nm) <= strlen(prefix) + strlen(suffix))
			continue;
		if (strstr(nm, "syms") || endswith(nm, ".config") || endswith(nm, ".old"))
			continue;
		if (!best || strverscmp(nm, best) > 0) {
			free(best);
			best = xstrdup(nm);
		}
	}
	if (dp)
		closedir(dp);
	return best;
}

/* A versioned name: PREFIX followed by a digit (xen-4.17-amd64.gz, vmlinuz-6.1.0-27-amd64). */
static bool versioned(const char *path, const char *prefix)
{
	const char *b = basename_of(path);

	return startswith(b, prefix) && isdigit((unsigned char)b[strlen(prefix)]);
}

/*
 * Where a path from the config lives on the host: absolute paths are relative to the filesystem
 * extlinux is installed on (the host's /boot when it is a partition of its own, else /);
 * relative ones to the config's folder. Caller frees.
 */
static char *host_path(const char *root, const char *confdir, const char *path)
{
	char *p;

	if (path[0] != '/')
		return xasprintf("%s/%s", confdir, path);
	p = xasprintf("%s/boot%s", root, path);
	if (access(p, F_OK) == 0 || !startswith(path, "/boot/"))
		return p;
	free(p);
	return xasprintf("%s%s", root, path);
}

struct refresher {
	const char *root, *confdir;
	const char *newest[3]; /* xen, kernel, initrd */
	const char *prefix[3]; /* "xen-", "vmlinuz-", "initrd.img-" */
	char *tracked[3];      /* what the default entry boots now */
};

/*
 * Move one file reference to the newest version when it is the file the default entry boots (so
 * entries that follow the default keep following it) or when it is gone; a reference pinned to
 * another version that still exists stays. Unversioned names (xen.gz, vmlinuz) are links that
 * follow upgrades by themselves and stay too.
 */
static bool refresh_word(struct refresher *f, int kind, char **word)
{
	const char *newname = f->newest[kind];
	char *p, *n;
	bool gone;

	if (!newname || !versioned(*word, f->prefix[kind]) || streq(basename_of(*word), newname))
		return false;
	p = host_path(f->root, f->confdir, *word);
	gone = access(p, F_OK) != 0;
	free(p);
	if (!gone && !streq(*word, f->tracked[kind]))
		return false;
	n = xasprintf("%.*s%s", (int)(basename_of(*word) - *word), *word, newname);
	free(*word);
	*word = n;
	return true;
}

/* Replace the first word of a directive's argument (KERNEL, INITRD). */
static void set_first_word(struct extconf *c, ssize_t line, const char *word)
{
	struct strv w = {0};
	char *a;

	split_words(c->lines[line].arg, &w);
	if (!w.n)
		strv_push(&w, word);
	free(w.v[0]);
	w.v[0] = xstrdup(word);
	a = strv_join(&w, " ");
	extconf_set_arg(c, (size_t)line, a);
	free(a);
	strv_free(&w);
}

static char *first_word(const char *s)
{
	struct strv w = {0};
	char *r;

	split_words(s, &w);
	r = w.n ? xstrdup(w.v[0]) : NULL;
	strv_free(&w);
	return r;
}

/* What the default entry boots: the references entries following it share. */
static void find_tracked(const struct extconf *c, const struct entry *es, int n,
			 struct refresher *f)
{
	ssize_t d = extconf_find(c, -1, "default");
	int label = d >= 0 ? extconf_label(c, c->lines[d].arg) : 0;

	for (int i = 0; i < n; i++) {
		const struct entry *e = &es[i];

		if (e->label != label)
			continue;
		if (e->kind == ENTRY_XEN) {
			f->tracked[0] = xstrdup(e->parts[0].v[0]);
			f->tracked[1] = xstrdup(e->parts[1].v[0]);
			if (e->nparts > 2 && e->parts[2].n)
				f->tracked[2] = xstrdup(e->parts[2].v[0]);
		} else if (e->kind == ENTRY_LINUX) {
			f->tracked[1] = first_word(c->lines[e->kernel_line].arg);
			if (e->initrd_line >= 0)
				f->tracked[2] = first_word(c->lines[e->initrd_line].arg);
			for (size_t k = 0; k < e->parts[0].n && !f->tracked[2]; k++)
				if (startswith(e->parts[0].v[k], "initrd="))
					f->tracked[2] = xstrdup(e->parts[0].v[k] + 7);
		}
	}
}

/* Where an entry names its kernel and initrd: a word we can read and write back. */
struct ref {
	char *word;
	bool moved;
};

/*
 * Refresh one entry as a unit: Xen moves alone, but a kernel and its initrd move together or not
 * at all, since a kernel booted with another version's initrd finds no modules.
 */
static void refresh_entry(struct extconf *c, struct entry *e, struct refresher *f,
			  struct tx_report *r)
{
	struct ref k = {0}, i = {0};
	ssize_t initrd_opt = -1;
	bool xen_moved = false;

	if (e->kind == ENTRY_OTHER)
		return;
	if (e->kind == ENTRY_XEN) {
		xen_moved = refresh_word(f, 0, &e->parts[0].v[0]);
		k.word = xstrdup(e->parts[1].v[0]);
		if (e->nparts > 2 && e->parts[2].n)
			i.word = xstrdup(e->parts[2].v[0]);
	} else {
		k.word = first_word(c->lines[e->kernel_line].arg);
		if (e->initrd_line >= 0)
			i.word = first_word(c->lines[e->initrd_line].arg);
		for (size_t x = 0; x < e->parts[0].n && !i.word; x++) {
			if (startswith(e->parts[0].v[x], "initrd=")) {
				initrd_opt = (ssize_t)x;
				i.word = xstrdup(e->parts[0].v[x] + 7);
			}
		}
	}
	if (k.word)
		k.moved = refresh_word(f, 1, &k.word);
	if (i.word)
		i.moved = refresh_word(f, 2, &i.word);
	if (i.word && k.moved != i.moved) {
		struct tx_loc loc = extconf_loc(
			c, (size_t)(e->append_line >= 0 ? e->append_line : e->kernel_line));

		tx_warn(r, &loc,
			"entry %s: its kernel and its initrd cannot move to the newest version together, so both stay; point them at a matching pair by hand",
			c->labels[e->label].name);
		k.moved = i.moved = false;
	}
	if (e->kind == ENTRY_XEN) {
		if (k.moved) {
			free(e->parts[1].v[0]);
			e->parts[1].v[0] = xstrdup(k.word);
		}
		if (i.moved) {
			free(e->parts[2].v[0]);
			e->parts[2].v[0] = xstrdup(i.word);
		}
		if (xen_moved || k.moved || i.moved)
			write_entry(c, e);
	} else {
		if (k.moved)
			set_first_word(c, e->kernel_line, k.word);
		if (i.moved && initrd_opt >= 0) {
			free(e->parts[0].v[initrd_opt]);
			e->parts[0].v[initrd_opt] = xasprintf("initrd=%s", i.word);
			write_entry(c, e);
		} else if (i.moved) {
			set_first_word(c, e->initrd_line, i.word);
		}
	}
	free(k.word);
	free(i.word);
}

int bootcfg_refresh(struct extconf *c, const char *root, const char *confdir, struct tx_report *r)
{
	char *bootdir = xasprintf("%s/boot", root), *cdir = xasprintf("%s%s", root, confdir);
	char *xen = bootcfg_newest_file(bootdir, "xen-", ".gz");
	char *kernel = bootcfg_newest_file(bootdir, "vmlinuz-", "");
	char *initrd = NULL;
	struct refresher f = {root, cdir, {NULL}, {"xen-", "vmlinuz-", "initrd.img-"}, {NULL}};
	struct entry *es = NULL;
	int n = 0;

	if (kernel) {
		char *name = xasprintf("initrd.img-%s", kernel + strlen("vmlinuz-"));
		char *p = xasprintf("%s/%s", bootdir, name);

		if (access(p, F_OK) == 0)
			initrd = name;
		else {
			tx_warn(r, NULL,
				"/boot has no %s for the newest kernel %s; the entries keep their initrd",
				name, kernel);
			free(name);
		}
		free(p);
	}
	if (!xen && !kernel) {
		tx_error(r, NULL, "%s holds no xen-*.gz and no vmlinuz-*; is it the host's /boot?",
			 bootdir);
		n = -ENOENT;
		goto out;
	}
	f.newest[0] = xen;
	f.newest[1] = kernel;
	f.newest[2] = initrd;
	n = bootcfg_entries(c, r, &es);
	if (n < 0)
		goto out;
	find_tracked(c, es, n, &f);
	for (int i = n - 1; i >= 0; i--)
		refresh_entry(c, &es[i], &f, r);
	entries_free(es, (size_t)n);
	n = 0;
out:
	for (int k = 0; k < 3; k++)
		free(f.tracked[k]);
	free(xen);
	free(kernel);
	free(initrd);
	free(bootdir);
	free(cdir);
	return n < 0 ? n : 0;
}

int bootcfg_check_files(const struct extconf *c, const char *root, const char *confdir,
			struct tx_report *r)
{
	struct entry *es = NULL;
	int n, missing = 0;

	n = bootcfg_entries(c, r, &es);
	for (int i = 0; i < n; i++) {
		const struct entry *e = &es[i];
		struct strv files = {0};
		struct tx_loc loc;

		if (e->kind == ENTRY_OTHER)
			continue;
		{
			struct strv kw = {0};

			split_words(c->lines[e->kernel_line].arg, &kw);
			if (kw.n)
				strv_push(&files, kw.v[0]);
			strv_free(&kw);
		}
		if (e->kind == ENTRY_XEN) {
			for (size_t k = 0; k < e->nparts && k < 3; k++)
				if (e->parts[k].n)
					strv_push(&files, e->parts[k].v[0]);
		} else if (e->initrd_line >= 0) {
			struct strv iw = {0};

			split_words(c->lines[e->initrd_line].arg, &iw);
			if (iw.n)
				strv_push(&files, iw.v[0]);
			strv_free(&iw);
		}
		loc = extconf_loc(c,
				  (size_t)(e->append_line >= 0 ? e->append_line : e->kernel_line));
		for (size_t k = 0; k < files.n; k++) {
			char *rel = xasprintf("%s%s", root, confdir);
			char *p = host_path(root, rel, files.v[k]);

			if (access(p, F_OK) != 0) {
				tx_warn(r, &loc, "entry %s names %s, which is missing (no %s)",
					c->labels[e->label].name, files.v[k], p + strlen(root));
				missing++;
			}
			free(p);
			free(rel);
		}
		strv_free(&files);
	}
	if (n > 0)
		entries_free(es, (size_t)n);
	return missing;
}
