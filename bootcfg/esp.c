// SPDX-License-Identifier: GPL-2.0-or-later
#include "bootcfg/esp.h"
#include "bootcfg/entries.h"
#include "common/atomic.h"
#include "common/rootfs.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *esp_mount_point(int n)
{
	return n == 0 ? xstrdup("/boot/efi") : xasprintf("/boot/efi%d", n + 1);
}

/* /boot/efi, or /boot/efiN with N a number */
static bool esp_mount_name(const char *mp)
{
	if (!startswith(mp, "/boot/efi"))
		return false;
	mp += strlen("/boot/efi");
	return !*mp || (strspn(mp, "0123456789") == strlen(mp) && *mp != '0');
}

void esp_list_free(struct esp *e, size_t n)
{
	for (size_t i = 0; e && i < n; i++) {
		free(e[i].root);
		free(e[i].mount);
		free(e[i].dir);
		free(e[i].cfg);
	}
	free(e);
}

/* Whether the host's mount point is mounted: another device than its parent folder. */
static bool is_mount(const char *root, const char *mount)
{
	char *m = root_path(root, mount), *parent = m ? dir_of(m) : NULL;
	struct stat a, b;
	bool yes = m && parent && stat(m, &a) == 0 && stat(parent, &b) == 0 && a.st_dev != b.st_dev;

	free(m);
	free(parent);
	return yes;
}

static void add_esp(const char *root, const char *mount, struct esp **es, size_t *n)
{
	struct esp *e;
	char *dir = xasprintf("%s/%s", mount, ESP_DIR);

	for (size_t i = 0; i < *n; i++)
		if (streq((*es)[i].mount, mount))
			goto out;
	{
		/* two mount points that lead to one folder (a link, a bind mount listed twice) are
		 * one ESP: edited and locked once */
		char *in = root_path(root, dir);
		bool same = false;

		for (size_t i = 0; in && i < *n && !same; i++)
			same = (*es)[i].dir && streq((*es)[i].dir, in);
		free(in);
		if (same)
			goto out;
	}
	e = xgrow(es, n, sizeof(*e));
	e->root = xstrdup(root);
	e->mount = xstrdup(mount);
	e->dir = root_path(root, dir);
	if (e->dir) {
		char *cfg = xasprintf("%s/%s", dir, ESP_CONFIG);

		/* resolved inside the root too: a link planted in its place leads nowhere else */
		e->cfg = root_path(root, cfg);
		free(cfg);
	}
	if (e->cfg) {
		e->present = access(e->cfg, F_OK) == 0;
		e->blank = !e->present && (is_mount(root, mount) || access(e->dir, F_OK) == 0);
	}
out:
	free(dir);
}

int esp_find(const char *root, struct esp **out, struct tx_report *r)
{
	char *fstab = root_path(root, "/etc/fstab"), *text = NULL, *save = NULL;
	struct esp *es = NULL;
	size_t n = 0, len;
	int rc = fstab ? read_text_file(fstab, &text, &len) : -ENOENT;

	if (rc < 0 && rc != -ENOENT) {
		tx_error(r, NULL, "cannot read %s: %s", fstab, read_error(rc));
		free(fstab);
		return rc;
	}
	for (char *line = text ? strtok_r(text, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		char spec[256], mp[256], type[64];

		if (sscanf(line, " %255s %255s %63s", spec, mp, type) == 3 && spec[0] != '#' &&
		    streq(type, "vfat") && esp_mount_name(mp))
			add_esp(root, mp, &es, &n);
	}
	if (!n) {
		add_esp(root, "/boot/efi", &es, &n);
		if (!es[0].present) {
			esp_list_free(es, n);
			es = NULL;
			n = 0;
		}
	}
	free(text);
	free(fstab);
	*out = es;
	return (int)n;
}

static bool is_link(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
}

/*
 * Copy the host's file src to dst (both as the host sees them, each resolved inside root, so a
 * link planted as a kernel's name or on the ESP leads nowhere outside it), atomically, unless
 * dst already holds the same bytes.
 */
static int copy_if_differs(const char *root, const char *src, const char *dst, const char *shown,
			   bool dry_run, struct strv *changes, struct tx_report *r)
{
	char *a = NULL, *b = NULL, *from = NULL, *to = NULL;
	size_t al = 0, bl = 0;
	char *dst_dir = dir_of(dst);
	int rc = root_chase(root, src, &from);

	/* the destination's folder is resolved, not its name: a link planted there is replaced,
	 * never written through */
	if (rc == 0 && (rc = root_chase(root, dst_dir, &to)) == 0) {
		char *full = xasprintf("%s/%s", to, strrchr(dst, '/') + 1);

		free(to);
		to = full;
	}
	free(dst_dir);
	if (rc < 0) {
		tx_error(r, NULL, "cannot resolve %s under %s: %s", rc == 0 ? dst : src,
			 *root ? root : "/", strerror(-rc));
		goto out;
	}
	rc = read_file(from, &a, &al);
	if (rc < 0) {
		tx_error(r, NULL, "cannot read %s: %s", from, read_error(rc));
		goto out;
	}
	if (!is_link(to) && read_file(to, &b, &bl) == 0 && al == bl && memcmp(a, b, al) == 0)
		goto out;
	strv_push_owned(changes, xasprintf("%s %s", dry_run ? "would copy" : "copied", shown));
	if (!dry_run)
		rc = atomic_write_file(r, to, a, al, 0644, false);
out:
	free(a);
	free(b);
	free(from);
	free(to);
	return rc;
}

int esp_sync_files(const char *root, const struct esp *e, bool dry_run, char **kernel,
		   char **initrd, struct strv *changes, struct tx_report *r)
{
	char *boot = root_path(root, "/boot"), *xen = NULL;
	int rc = -ENOENT;

	*kernel = *initrd = NULL;
	if (!boot || !e->dir) {
		tx_error(r, NULL, "cannot resolve /boot or %s/%s under %s", e->mount, ESP_DIR,
			 *root ? root : "/");
		free(boot);
		return -ENOENT;
	}
	xen = bootcfg_newest_file(boot, "xen-", ".efi");
	*kernel = bootcfg_newest_file(boot, "vmlinuz-", "");
	if (*kernel) {
		char *p;

		*initrd = xasprintf("initrd.img-%s", *kernel + strlen("vmlinuz-"));
		p = xasprintf("%s/%s", boot, *initrd);
		if (access(p, F_OK) != 0) {
			free(*initrd);
			*initrd = NULL;
		}
		free(p);
	}
	if (!xen || !*kernel || !*initrd) {
		tx_error(
			r, NULL,
			"the host's /boot lacks %s; a UEFI Xen host's /boot holds xen-*.efi (the xen-hypervisor package), vmlinuz-VERSION and initrd.img-VERSION",
			!xen	   ? "xen.efi (xen-*.efi)"
			: !*kernel ? "a kernel"
				   : "the kernel's initrd");
		goto out;
	}
	{
		const char *src[3] = {xen, *kernel, *initrd};
		const char *dst[3] = {ESP_LOADER, *kernel, *initrd};

		rc = 0;
		for (int i = 0; i < 3 && rc == 0; i++) {
			char *s = xasprintf("/boot/%s", src[i]);
			char *d = xasprintf("%s/%s/%s", e->mount, ESP_DIR, dst[i]);
			char *shown = xasprintf("%s to %s", s, d);

			rc = copy_if_differs(root, s, d, shown, dry_run, changes, r);
			free(s);
			free(d);
			free(shown);
		}
	}
out:
	if (rc < 0) {
		free(*kernel);
		free(*initrd);
		*kernel = *initrd = NULL;
	}
	free(xen);
	free(boot);
	return rc;
}

int esp_copy_named(const struct esp *src, const struct esp *dst, const struct xencfg *c,
		   struct strv *changes, struct tx_report *r)
{
	int rc = 0;

	for (size_t i = 0; i < c->nlines && rc == 0; i++) {
		const struct xcfg_line *l = &c->lines[i];
		struct strv w = {0};

		if (!l->deleted && l->key && (streq(l->key, "kernel") || streq(l->key, "ramdisk")))
			bc_split_words(l->value, &w);
		if (w.n && !strchr(w.v[0], '/') && !strchr(w.v[0], '\\')) {
			char *from = xasprintf("%s/%s/%s", src->mount, ESP_DIR, w.v[0]);
			char *to = xasprintf("%s/%s/%s", dst->mount, ESP_DIR, w.v[0]);
			char *shown = xasprintf("%s to %s", from, to),
			     *in = root_path(dst->root, to);

			if (in && access(in, F_OK) != 0)
				rc = copy_if_differs(src->root, from, to, shown, false, changes, r);
			free(in);
			free(from);
			free(to);
			free(shown);
		}
		strv_free(&w);
	}
	return rc;
}

/* Whether any kernel= or ramdisk= of the config names this file. */
static bool named(const struct xencfg *c, const char *name)
{
	for (size_t i = 0; i < c->nlines; i++) {
		const struct xcfg_line *l = &c->lines[i];
		struct strv w = {0};
		bool hit;

		if (l->deleted || !l->key ||
		    (!streq(l->key, "kernel") && !streq(l->key, "ramdisk")))
			continue;
		bc_split_words(l->value, &w);
		hit = w.n && streq(bc_basename(w.v[0]), name);
		strv_free(&w);
		if (hit)
			return true;
	}
	return false;
}

void esp_prune(const struct esp *e, const struct xencfg *c, bool dry_run, struct strv *changes,
	       struct tx_report *r)
{
	DIR *d = e->dir ? opendir(e->dir) : NULL;
	struct dirent *de;

	while (d && (de = readdir(d))) {
		const char *nm = de->d_name;
		char *p;

		if ((!startswith(nm, "vmlinuz-") && !startswith(nm, "initrd.img-")) || named(c, nm))
			continue;
		p = xasprintf("%s/%s", e->dir, nm);
		if (dry_run)
			strv_push_owned(changes,
					xasprintf("would remove %s/%s/%s, which no entry boots",
						  e->mount, ESP_DIR, nm));
		else if (unlink(p) == 0)
			strv_push_owned(changes, xasprintf("removed %s/%s/%s, which no entry boots",
							   e->mount, ESP_DIR, nm));
		else
			tx_warn(r, NULL, "cannot remove %s: %s", p, strerror(errno));
		free(p);
	}
	if (d)
		closedir(d);
}
