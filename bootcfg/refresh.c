// SPDX-License-Identifier: GPL-2.0-or-later
/* bootcfg refresh: every entry Tenxen tracks points at the newest Xen, kernel and initrd in
 * /boot; and the check that the files a config names exist. */
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
#include "bootcfg/entries.h"
#include "common/rootfs.h"

/* The version in a file name (vmlinuz-6.2.0-rc7-amd64 -> 6.2.0~rc7-amd64): a kernel's -rcN is
 * its package's ~rcN, which dpkg sorts before the release. Caller frees. */
static char *name_version(const char *name, size_t skip, size_t cut)
{
	char *v = xstrndup(name + skip, strlen(name) - skip - cut), *rc;

	for (char *p = v; (rc = strstr(p, "-rc")) && isdigit((unsigned char)rc[3]); p = rc + 3)
		*rc = '~';
	return v;
}

/* A name Tenxen may write into a boot config as it is: no space, quote or control character. */
static bool plain_name(const char *s)
{
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.+~_-") ==
	       strlen(s);
}

char *bootcfg_newest_file(const char *dir, const char *prefix, const char *suffix)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	char *best = NULL, *bestv = NULL;
	size_t pl = strlen(prefix), sl = strlen(suffix);

	while (dp && (de = readdir(dp))) {
		const char *nm = de->d_name;

		if (!startswith(nm, prefix) || !endswith(nm, suffix) ||
		    strlen(nm) <= strlen(prefix) + strlen(suffix))
			continue;
		if (strstr(nm, "syms") || endswith(nm, ".config") || endswith(nm, ".old"))
			continue;
		if (!plain_name(nm))
			continue; /* never written into a config: it could split or end its line */
		{
			char *v = name_version(nm, pl, sl);

			if (!best || deb_version_cmp(v, bestv) > 0) {
				free(best);
				free(bestv);
				best = xstrdup(nm);
				bestv = v;
			} else {
				free(v);
			}
		}
	}
	if (dp)
		closedir(dp);
	free(bestv);
	return best;
}

/* A versioned name: PREFIX followed by a digit (xen-4.17-amd64.gz, vmlinuz-6.1.0-27-amd64). */
static bool versioned(const char *path, const char *prefix)
{
	const char *b = bc_basename(path);

	return startswith(b, prefix) && isdigit((unsigned char)b[strlen(prefix)]);
}

/*
 * Where a path from the config lives on the host: absolute paths are relative to the filesystem
 * extlinux is installed on (the host's /boot when it is a partition of its own, else /);
 * relative ones to the config's folder (confdir, as the host sees it). Every link is followed
 * inside root; NULL when the path cannot be resolved there (a loop of links), which counts as
 * missing. Caller frees.
 */
static char *host_path(const char *root, const char *confdir, const char *path)
{
	char *p, *q;

	if (path[0] != '/') {
		q = xasprintf("%s/%s", confdir, path);
		p = root_path(root, q);
		free(q);
		return p;
	}
	q = xasprintf("/boot%s", path);
	p = root_path(root, q);
	free(q);
	if ((p && access(p, F_OK) == 0) || !startswith(path, "/boot/"))
		return p;
	free(p);
	return root_path(root, path);
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

	if (!newname || !versioned(*word, f->prefix[kind]) || streq(bc_basename(*word), newname))
		return false;
	p = host_path(f->root, f->confdir, *word);
	gone = !p || access(p, F_OK) != 0;
	free(p);
	if (!gone && !streq(*word, f->tracked[kind]))
		return false;
	n = xasprintf("%.*s%s", (int)(bc_basename(*word) - *word), *word, newname);
	free(*word);
	*word = n;
	return true;
}

/* Replace the first word of a directive's argument (KERNEL, INITRD). */
static void set_first_word(struct extconf *c, ssize_t line, const char *word)
{
	struct strv w = {0};
	char *a;

	bc_split_words(c->lines[line].arg, &w);
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

	bc_split_words(s, &w);
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
			bc_write_entry(c, e);
	} else {
		if (k.moved)
			set_first_word(c, e->kernel_line, k.word);
		if (i.moved && initrd_opt >= 0) {
			free(e->parts[0].v[initrd_opt]);
			e->parts[0].v[initrd_opt] = xasprintf("initrd=%s", i.word);
			bc_write_entry(c, e);
		} else if (i.moved) {
			set_first_word(c, e->initrd_line, i.word);
		}
	}
	free(k.word);
	free(i.word);
}

int bootcfg_refresh(struct extconf *c, const char *root, const char *confdir, struct tx_report *r)
{
	char *bootdir = root_path(root, "/boot"), *cdir, *xen, *kernel, *initrd = NULL;
	struct refresher f = {root, NULL, {NULL}, {"xen-", "vmlinuz-", "initrd.img-"}, {NULL}};
	struct entry *es = NULL;
	int n = 0;

	if (!bootdir) {
		tx_error(r, NULL, "cannot resolve /boot under %s: %s", *root ? root : "/",
			 strerror(errno));
		return -ELOOP;
	}
	cdir = xstrdup(confdir);
	f.confdir = cdir;
	xen = bootcfg_newest_file(bootdir, "xen-", ".gz");
	kernel = bootcfg_newest_file(bootdir, "vmlinuz-", "");
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

			bc_split_words(c->lines[e->kernel_line].arg, &kw);
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

			bc_split_words(c->lines[e->initrd_line].arg, &iw);
			if (iw.n)
				strv_push(&files, iw.v[0]);
			strv_free(&iw);
		}
		loc = extconf_loc(c,
				  (size_t)(e->append_line >= 0 ? e->append_line : e->kernel_line));
		for (size_t k = 0; k < files.n; k++) {
			char *p = host_path(root, confdir, files.v[k]);

			if (!p || access(p, F_OK) != 0) {
				tx_warn(r, &loc, "entry %s names %s, which is missing (no %s)",
					c->labels[e->label].name, files.v[k],
					p ? p + strlen(root) : files.v[k]);
				missing++;
			}
			free(p);
		}
		strv_free(&files);
	}
	if (n > 0)
		entries_free(es, (size_t)n);
	return missing;
}
