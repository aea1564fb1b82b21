// SPDX-License-Identifier: GPL-2.0-or-later
#include "bootcfg/bootcfg.h"
#include "bootcfg/xenopts.h"
#include "common/rootfs.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include "bootcfg/entries.h"

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
		/* resolved inside the root: an absolute link there means the host's own file */
		char *p = root_path(root, bootcfg_search_paths[i]);

		if (p && access(p, F_OK) == 0)
			return p;
		free(p);
	}
	return NULL;
}

const char *bc_basename(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static enum entry_kind kind_of(const char *image)
{
	const char *b = bc_basename(image);

	if (strcasecmp(b, "mboot.c32") == 0)
		return ENTRY_XEN;
	if (strncasecmp(b, "vmlinu", 6) == 0 || strncasecmp(b, "bzimage", 7) == 0 ||
	    strncasecmp(b, "linux", 5) == 0)
		return ENTRY_LINUX;
	return ENTRY_OTHER;
}

void bc_split_words(const char *s, struct strv *out)
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

			bc_split_words(c->lines[k].arg, &w);
			if (w.n)
				e->kind = kind_of(w.v[0]);
			strv_free(&w);
		}
		if (e->kind == ENTRY_LINUX) {
			ssize_t from = e->append_line >= 0 ? e->append_line
							   : extconf_find(c, -1, "append");

			/* a label without APPEND of its own boots with the global one */
			if (from >= 0)
				bc_split_words(c->lines[from].arg, &e->parts[0]);
			e->nparts = 1;
		} else if (e->kind == ENTRY_XEN) {
			struct strv w = {0};
			size_t part = 0;

			if (e->append_line >= 0)
				bc_split_words(c->lines[e->append_line].arg, &w);
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

ssize_t bc_opt_find(const struct strv *w, size_t from, const char *key)
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
void bc_opt_set(struct strv *w, size_t from, const char *key, const char *word)
{
	ssize_t i = bc_opt_find(w, from, key), j;

	if (i < 0) {
		strv_push(w, word);
		return;
	}
	free(w->v[i]);
	w->v[i] = xstrdup(word);
	while ((j = bc_opt_find(w, (size_t)i + 1, key)) >= 0)
		opt_remove_at(w, (size_t)j);
}

void bc_opt_remove(struct strv *w, size_t from, const char *key)
{
	ssize_t i;

	while ((i = bc_opt_find(w, from, key)) >= 0)
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
void bc_write_entry(struct extconf *c, struct entry *e)
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
			bc_split_words(c->lines[g].arg, &inherited);
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

int bc_com_of(const char *item)
{
	if (strncasecmp(item, "com", 3) == 0 && item[3] >= '1' && item[3] <= '4' && !item[4])
		return item[3] - '1';
	return -1;
}

/* Xen: comN=SPEED,8n1 and comN in console=; see docs/bootcfg.md for why these forms. */
void bc_xen_serial(struct strv *w, const struct serial_console *s)
{
	ssize_t ci = bc_opt_find(w, 1, "console");
	struct strv items = {0};
	char *word;
	bool created = false;

	if (ci >= 0 && strchr(w->v[ci], '='))
		strv_split(&items, strchr(w->v[ci], '=') + 1, ',');
	/* forget the com ports the old console list used; a new port takes the old one's place */
	for (size_t i = 0; i < items.n; i++) {
		int port = bc_com_of(items.v[i]);
		char key[16];
		ssize_t at;

		if (port < 0 || (s && port == s->port))
			continue;
		snprintf(key, sizeof(key), "com%d", port + 1);
		at = bc_opt_find(w, 1, key);
		if (s && at >= 0) {
			char nkey[16];

			snprintf(nkey, sizeof(nkey), "com%d", s->port + 1);
			if (bc_opt_find(w, 1, nkey) < 0) {
				free(w->v[at]);
				w->v[at] = xasprintf("%s=", nkey); /* its value is set below */
			}
		}
		bc_opt_remove(w, 1, key);
	}
	if (s) {
		char key[16], val[32];
		bool placed = false;

		snprintf(key, sizeof(key), "com%d", s->port + 1);
		snprintf(val, sizeof(val), "com%d=%u,8n1", s->port + 1, s->speed);
		bc_opt_set(w, 1, key, val);
		if (ci < 0) {
			strv_push(&items, key);
			strv_push(&items, "vga");
			created = true;
		} else {
			for (size_t i = 0; i < items.n; i++) {
				if (bc_com_of(items.v[i]) < 0)
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
		created = items.n == 2 && bc_com_of(items.v[0]) >= 0 &&
			  strcasecmp(items.v[1], "vga") == 0;
		for (size_t i = 0; i < items.n; i++) {
			if (bc_com_of(items.v[i]) >= 0) {
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
				bc_opt_remove(w, 1, "console");
		} else {
			char *list = strv_join(&kept, ",");

			word = xasprintf("console=%s", list);
			if (ci >= 0)
				bc_opt_set(w, 1, "console", word);
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
void bc_kernel_serial(struct strv *w, size_t from, const struct serial_console *s, bool xen)
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
			bc_xen_serial(&e->parts[0], s);
			bc_kernel_serial(&e->parts[1], 1, s, true);
			bc_write_entry(c, e);
		} else if (e->kind == ENTRY_LINUX) {
			bc_kernel_serial(&e->parts[0], 0, s, false);
			bc_write_entry(c, e);
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
	struct tx_loc loc = {c->f.path, 0};

	tx_error(
		r, &loc,
		"has no Xen entry (a LABEL booting mboot.c32), so there is nothing to set; run tenxen on a Xen host's config");
	return -ENOENT;
}

/* Apply a change (words to set, keys to drop) to every Xen entry's hypervisor options (part 0)
 * or dom0's (part 1). */
static int change_everywhere(struct extconf *c, int part, const struct strv *set,
			     const struct strv *drop, struct tx_report *r)
{
	struct entry *es = NULL;
	int n = bootcfg_entries(c, r, &es);

	if (n < 0)
		return n;
	if (!count_xen(es, n)) {
		entries_free(es, (size_t)n);
		return no_xen_entry(c, r);
	}
	/* every entry changed and checked first, then written: one too long changes none */
	for (int i = n - 1; i >= 0; i--) {
		if (es[i].kind != ENTRY_XEN)
			continue;
		bc_apply_change(&es[i].parts[part], 1, set, drop);
		if (bc_check_cmdline(&es[i].parts[part], part == 1,
				     es[i].label >= 0 ? c->labels[es[i].label].name : "an entry",
				     r) < 0) {
			entries_free(es, (size_t)n);
			return -E2BIG;
		}
	}
	for (int i = n - 1; i >= 0; i--)
		if (es[i].kind == ENTRY_XEN)
			bc_write_entry(c, &es[i]);
	entries_free(es, (size_t)n);
	return 0;
}

int bc_check_cmdline(const struct strv *w, bool dom0, const char *entry, struct tx_report *r)
{
	size_t len = 0, max = dom0 ? BC_DOM0_CMDLINE_MAX : BC_XEN_CMDLINE_MAX;

	for (size_t i = 0; i < w->n; i++)
		len += strlen(w->v[i]) + (i > 0);
	if (len <= max)
		return 0;
	tx_error(
		r, NULL,
		"%s's %s command line would be %zu characters, and %s reads %zu at most; nothing was changed: give fewer or shorter options",
		entry, dom0 ? "dom0" : "Xen", len, dom0 ? "Linux" : "Xen", max);
	return -E2BIG;
}

void bc_apply_change(struct strv *w, size_t from, const struct strv *set, const struct strv *drop)
{
	for (size_t k = 0; k < drop->n; k++)
		bc_opt_remove(w, from, drop->v[k]);
	for (size_t k = 0; k < set->n; k++) {
		char *key = xstrndup(set->v[k], strcspn(set->v[k], "="));

		bc_opt_set(w, from, key, set->v[k]);
		free(key);
	}
}

int bc_xen_change(const char *key, const char *value, struct strv *set, struct strv *drop,
		  struct tx_report *r)
{
	if (streq(key, "dom0_mem") || streq(key, "dom0-mem")) {
		struct dom0_mem m;
		char *why = NULL, *arg;

		if (dom0_mem_parse(value, &m, &why) < 0 || m.is_auto) {
			tx_error(
				r, NULL, "dom0_mem=%s: %s", value,
				why ? why
				    : "auto needs the host's memory; give a size such as 2G,max:2G");
			free(why);
			return -EINVAL;
		}
		arg = dom0_mem_xen_arg(&m, 0, NULL);
		strv_push_owned(set, xasprintf("dom0_mem=%s", arg));
		free(arg);
		return 0;
	}
	if (streq(key, "vpmu")) {
		if (!vpmu_mode_known(value)) {
			tx_error(
				r, NULL,
				"vpmu=%s is not a mode; use off, on, bts, ipc or arch (docs/profiling.md)",
				value);
			return -EINVAL;
		}
		if (streq(value, "off"))
			strv_push(drop, "vpmu");
		else
			strv_push_owned(set, xasprintf("vpmu=%s", value));
		return 0;
	}
	if (streq(key, "xen-append") || streq(key, "xen_append")) {
		struct strv words = {0};

		bc_split_words(value, &words);
		if (!words.n || strstr(value, "---")) {
			tx_error(
				r, NULL,
				"xen-append=\"%s\": give Xen options such as \"loglvl=all iommu=1\" (without ---)",
				value);
			strv_free(&words);
			return -EINVAL;
		}
		strv_copy(set, &words);
		strv_free(&words);
		return 0;
	}
	return 1;
}

int bc_dom0_change(const char *key, const char *value, struct strv *set, struct tx_report *r)
{
	struct strv words = {0};
	ssize_t root;

	if (!streq(key, "dom0-append") && !streq(key, "dom0_append"))
		return 1;
	bc_split_words(value, &words);
	root = bc_opt_find(&words, 0, "root");
	if (!words.n || strstr(value, "---") || root >= 0) {
		tx_error(
			r, NULL,
			"dom0-append=\"%s\": give dom0's kernel options such as \"xen-pciback.hide=(0000:03:00.0)\"%s",
			value,
			root >= 0 ? "; root= is the host's own, not changed here"
				  : " (without ---)");
		strv_free(&words);
		return -EINVAL;
	}
	strv_copy(set, &words);
	strv_free(&words);
	return 0;
}

/* One Xen option assignment on every Xen entry. */
static int xen_assign(struct extconf *c, const char *key, const char *value, struct tx_report *r)
{
	struct strv set = {0}, drop = {0};
	int rc = bc_xen_change(key, value, &set, &drop, r);

	if (rc == 0)
		rc = change_everywhere(c, 0, &set, &drop, r);
	strv_free(&set);
	strv_free(&drop);
	return rc;
}

int bootcfg_set_dom0_mem(struct extconf *c, const char *value, struct tx_report *r)
{
	return xen_assign(c, "dom0_mem", value, r);
}

int bootcfg_set_vpmu(struct extconf *c, const char *mode, struct tx_report *r)
{
	return xen_assign(c, "vpmu", mode, r);
}

int bootcfg_set_xen_options(struct extconf *c, const char *opts, struct tx_report *r)
{
	return xen_assign(c, "xen-append", opts, r);
}

/* The first control character of s, or NULL: no boot config line may hold one. */
static const char *control_char(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return s;
	return NULL;
}

int bc_assignment(const char *assignment, char **key, const char **value, struct tx_report *r)
{
	const char *eq = strchr(assignment, '='), *bad = control_char(assignment);

	if (bad) {
		tx_error(
			r, NULL,
			"bootcfg set: the value holds a control character (byte 0x%02x at %zu); a boot config line is one line of text",
			(unsigned char)*bad, (size_t)(bad - assignment) + 1);
		return -EINVAL;
	}
	if (!eq || !eq[1]) {
		tx_error(r, NULL, "bootcfg set %s: write KEY=VALUE, as dom0_mem=2G,max:2G",
			 assignment);
		return -EINVAL;
	}
	*key = xstrndup(assignment, (size_t)(eq - assignment));
	*value = eq + 1;
	return 0;
}

int bc_unknown_key(const char *key, struct tx_report *r)
{
	static const char *const keys[] = {"dom0_mem", "xen-append", "vpmu", "dom0-append",
					   "default"};
	const char *d = did_you_mean(key, keys, ARRAY_SIZE(keys));

	tx_error(
		r, NULL,
		"bootcfg set knows no %s%s%s%s; it sets dom0_mem, xen-append, vpmu, dom0-append and default",
		key, d ? " (did you mean " : "", d ? d : "", d ? "?)" : "");
	return -EINVAL;
}

int bc_set_assignment(const struct bc_dialect *d, void *cfg, const char *assignment,
		      struct tx_report *r)
{
	struct strv set = {0}, drop = {0};
	const char *value;
	char *key;
	int rc = bc_assignment(assignment, &key, &value, r);

	if (rc < 0)
		return rc;
	if (streq(key, "default"))
		rc = d->set_default(cfg, value, r);
	else if ((rc = bc_xen_change(key, value, &set, &drop, r)) == 0)
		rc = d->change(cfg, false, &set, &drop, r);
	else if (rc > 0 && (rc = bc_dom0_change(key, value, &set, r)) == 0)
		rc = d->change(cfg, true, &set, &drop, r);
	else if (rc > 0)
		rc = bc_unknown_key(key, r);
	strv_free(&set);
	strv_free(&drop);
	free(key);
	return rc;
}

static int ext_set_default(void *cfg, const char *name, struct tx_report *r)
{
	return bootcfg_set_default(cfg, name, r);
}

static int ext_change(void *cfg, bool dom0, const struct strv *set, const struct strv *drop,
		      struct tx_report *r)
{
	return change_everywhere(cfg, dom0 ? 1 : 0, set, drop, r);
}

int bootcfg_set_assignment(struct extconf *c, const char *assignment, struct tx_report *r)
{
	static const struct bc_dialect extlinux = {ext_set_default, ext_change};

	return bc_set_assignment(&extlinux, c, assignment, r);
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
		tx_error(r, NULL, "%s has no entry called %s; its entries are: %s", c->f.path,
			 label, list);
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
