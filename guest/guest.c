// SPDX-License-Identifier: GPL-2.0-or-later
/* A guest from a template: the plan (checks, volumes, xl config), then making it. */
#include "guest/guest.h"
#include "common/atomic.h"
#include "common/mounts.h"
#include "common/rootfs.h"
#include "common/run.h"
#include "storage/lvm.h"
#include "storage/lvm_alloc.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <mntent.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

void guest_plan_free(struct guest_plan *p)
{
	if (!p)
		return;
	free(p->name);
	free(p->template_name);
	free(p->vg);
	free(p->disk_lv);
	free(p->swap_lv);
	free(p->config_path);
	free(p->config_text);
	strv_free(&p->build);
	free(p->cmdline);
	free(p->image);
	free(p->image_suite);
	free(p);
}

/* A guest's name is its xl name, its host name and part of its volumes' names. */
static bool name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 48 || !isalnum((unsigned char)s[0]) || s[n - 1] == '-')
		return false;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '-')
			return false;
	return true;
}

static uint64_t mib_up(uint64_t bytes)
{
	return (bytes + MiB - 1) / MiB;
}

/* The volume group's physical volumes: free extents of each and the extent size. */
struct vg_space {
	uint64_t free[64];
	size_t npv;
	uint64_t extent;
};

static int vg_space(const char *vg, struct tx_report *r, struct vg_space *v)
{
	char *sel = xasprintf("vg_name=%s", vg), *out = NULL;
	const char *args[] = {
		"pvs", "--noheadings",		 "--units", "b", "--nosuffix", "--separator", ":",
		"-o",  "pv_free,vg_extent_size", "-S",	    sel, NULL};
	int rc = lvm_query(r, args, &out);

	memset(v, 0, sizeof(*v));
	free(sel);
	if (rc == 0) {
		for (char *l = out, *next; l && *l; l = next) {
			uint64_t pfree, ext;

			next = strchr(l, '\n');
			if (next)
				*next++ = '\0';
			if (sscanf(l, " %" SCNu64 ":%" SCNu64, &pfree, &ext) != 2 || !ext ||
			    v->npv == ARRAY_SIZE(v->free))
				continue;
			v->extent = ext;
			v->free[v->npv++] = pfree / ext;
		}
	}
	free(out);
	if (rc < 0 || v->npv == 0) {
		tx_error(
			r, NULL,
			"there is no volume group %s on this host (lvm vgs lists them); set vg = NAME in /etc/tenxen/guests.conf or give --vg",
			vg);
		return -ENOENT;
	}
	return 0;
}

static bool lv_exists(const char *vg, const char *lv, struct tx_report *r)
{
	char *full = xasprintf("%s/%s", vg, lv);
	const char *args[] = {"lvs", "--noheadings", "-o", "lv_name", full, NULL};
	bool yes = lvm_query(r, args, NULL) == 0;

	free(full);
	return yes;
}

/* Take one volume out of the space; 0, or -ENOSPC with *most the largest that would fit. */
static int take(struct vg_space *v, int mirrors, uint64_t bytes, uint64_t *most)
{
	struct lvm_placement pl;
	enum lv_type type = mirrors ? LV_RAID1 : LV_LINEAR;
	uint64_t ext = (bytes + v->extent - 1) / v->extent;

	*most = 0;
	if (lvm_place(v->free, v->npv, type, mirrors + 1, MLOG_CORE, &pl) < 0)
		return -ENOSPC;
	*most = pl.max_extents * v->extent;
	return lvm_take(v->free, v->npv, type, &pl, ext);
}

static char *disk_word(const char *vdev, const char *vg, const char *lv)
{
	return xasprintf("\"format=raw, vdev=%s, access=rw, target=/dev/%s/%s\"", vdev, vg, lv);
}

char *guest_render(const struct guest_template *t, const struct guest_plan *p,
		   const struct guest_host *h, const struct guest_request *q)
{
	struct strv l = {0}, disks = {0};
	const char *root_vdev = p->root_vdev;
	uint64_t mem = mib_up(q->memory ? q->memory : t->memory);
	char *text, *list;

	strv_push_owned(
		&l, xasprintf("# %s: made by \"tenxen guest create\" from the template %s (%s).",
			      p->name, t->name, t->description));
	strv_push_owned(&l, xasprintf("# Start it with: xl create %s", p->config_path));
	strv_push_owned(&l, xasprintf("name = \"%s\"", p->name));
	strv_push_owned(&l, xasprintf("type = \"%s\"", guest_type_name(t->type)));
	strv_push_owned(&l, xasprintf("memory = %" PRIu64, mem));
	strv_push_owned(&l, xasprintf("maxmem = %" PRIu64, mem));
	strv_push_owned(&l, xasprintf("vcpus = %u", q->vcpus ? q->vcpus : t->vcpus));
	if (t->type == GUEST_PVH) {
		strv_push(&l, "kernel = \"/vmlinuz\"");
		strv_push(&l, "ramdisk = \"/initrd.img\"");
		strv_push_owned(&l, xasprintf("cmdline = \"%s\"", p->cmdline));
	} else if (t->type == GUEST_PV) {
		strv_push(&l, "bootloader = \"pygrub\"");
		/* the menu's default, without curses: pygrub's menu fails where no TERM is set
		 * (xl create run by a service, xendomains at boot) */
		strv_push(&l, "bootloader_args = [ \"-q\" ]");
	}
	if (t->type == GUEST_HVM) {
		strv_push_owned(&disks, disk_word("xvda", p->vg, p->disk_lv));
		if (q->iso)
			strv_push_owned(
				&disks,
				xasprintf(
					"\"format=raw, vdev=hdc, access=ro, devtype=cdrom, target=%s\"",
					q->iso));
	} else {
		/* xen-tools' names: swap xvda1, the root xvda2; the root listed first, as the
		 * bootloader (pygrub) reads the first disk of the list */
		strv_push_owned(&disks, disk_word(root_vdev, p->vg, p->disk_lv));
		if (p->swap_lv)
			strv_push_owned(&disks, disk_word("xvda1", p->vg, p->swap_lv));
	}
	list = strv_join(&disks, ",\n        ");
	strv_push_owned(&l, xasprintf("disk = [ %s ]", list));
	free(list);
	strv_free(&disks);
	if (h->bridge)
		strv_push_owned(&l, xasprintf("vif = [ \"bridge=%s\" ]", h->bridge));
	if (t->type == GUEST_HVM) {
		strv_push(&l, "boot = \"dc\"");
		strv_push(&l, "vnc = 1");
		strv_push(&l, "vnclisten = \"127.0.0.1\"");
		strv_push(&l, "serial = \"pty\"");
	}
	strv_push(&l, "on_poweroff = \"destroy\"");
	strv_push(&l, "on_reboot = \"restart\"");
	strv_push(&l, "on_crash = \"restart\"");
	strv_push(&l, "");
	text = strv_join(&l, "\n");
	strv_free(&l);
	return text;
}

static void build_command(const struct guest_template *t, struct guest_plan *p,
			  const struct guest_host *h, const struct guest_request *q,
			  const char *mirror)
{
	struct strv *b = &p->build;

	strv_push(b, "xen-create-image");
	strv_push_owned(b, xasprintf("--hostname=%s", p->name));
	strv_push_owned(b, xasprintf("--image-dev=/dev/%s/%s", p->vg, p->disk_lv));
	if (p->swap_lv)
		strv_push_owned(b, xasprintf("--swap-dev=/dev/%s/%s", p->vg, p->swap_lv));
	else
		strv_push(b, "--noswap");
	strv_push_owned(b, xasprintf("--dist=%s", t->dist));
	strv_push(b, "--arch=amd64");
	strv_push(b, "--fs=ext4");
	strv_push_owned(
		b, xasprintf("--memory=%" PRIu64 "M", mib_up(q->memory ? q->memory : t->memory)));
	strv_push_owned(b, xasprintf("--vcpus=%u", q->vcpus ? q->vcpus : t->vcpus));
	if (t->type == GUEST_PV) {
		strv_push(b, "--pygrub");
	} else {
		/* Debian's xen-tools.conf turns pygrub on; a PVH guest boots dom0's kernel instead
		 * and needs its modules copied in */
		strv_push(b, "--nopygrub");
		struct utsname u;

		uname(&u);
		strv_push_owned(b, xasprintf("--modules=/lib/modules/%s", u.release));
	}
	if (mirror)
		strv_push_owned(b, xasprintf("--mirror=%s", mirror));
	if (h->bridge)
		strv_push_owned(b, xasprintf("--bridge=%s", h->bridge));
	strv_push(b, "--dhcp");
	strv_push(b, "--genpass=1");
	strv_push(b, "--nohosts");
}

/* A path written into an xl disk spec as target=PATH inside a quoted string: no character
 * that ends the string, starts another key, or cannot be seen. */
static bool iso_path_ok(const char *s)
{
	if (strlen(s) > 1024)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f || strchr("\"'\\,=", *s))
			return false;
	return true;
}

/* What the request itself says, checked before anything is looked at. Returns 0 or -EINVAL. */
static int check_request(const struct guest_template *t, const struct guest_host *h,
			 const struct guest_request *q, const char *root, struct tx_report *r)
{
	unsigned before = r->errors;

	if (!name_ok(q->name)) {
		tx_error(
			r, NULL,
			"\"%s\" is not a guest name: use lowercase letters, digits and '-' (at most 48, not ending in '-'), as web1",
			q->name);
		return -EINVAL;
	}
	if (!h->vg) {
		tx_error(
			r, NULL,
			"this host has no guest volume group: /etc/tenxen/guests.conf sets none; write vg = NAME there or give --vg NAME");
		return -EINVAL;
	}
	if (t->type == GUEST_HVM && !q->iso) {
		tx_error(
			r, NULL,
			"the template %s boots an install ISO: give it with --iso /path/to/install.iso",
			t->name);
		return -EINVAL;
	}
	if (q->iso) {
		struct stat st;
		char *iso = root_path(root, q->iso);

		if (t->type != GUEST_HVM)
			tx_error(r, NULL,
				 "--iso is for hvm templates; %s builds its root with xen-tools",
				 t->name);
		else if (q->iso[0] != '/')
			tx_error(r, NULL, "--iso %s: give the ISO's absolute path", q->iso);
		else if (!iso_path_ok(q->iso))
			tx_error(
				r, NULL,
				"--iso %s: an ISO's path in an xl config is one quoted value: it may not hold a quote, a backslash, a comma, '=' or a control character; rename the file or link to it",
				q->iso);
		else if (startswith(q->iso, "/dev/") || startswith(q->iso, "/proc/") ||
			 startswith(q->iso, "/sys/"))
			tx_error(r, NULL,
				 "--iso %s: give an ISO image file, not a device or kernel file",
				 q->iso);
		else if (!iso || stat(iso, &st) < 0 || !S_ISREG(st.st_mode))
			tx_error(r, NULL, "--iso %s: there is no such file", q->iso);
		free(iso);
		if (r->errors > before)
			return -EINVAL;
	}
	if (q->mirror && !t->xen_tools) {
		tx_error(r, NULL, "--mirror is for templates xen-tools builds; %s builds no root",
			 t->name);
		return -EINVAL;
	}
	return 0;
}

/* The name is free (no config, no volume, no running domain) and the volumes fit. */
static void check_host(struct guest_plan *p, const char *root, struct tx_report *r)
{
	unsigned before = r->errors;
	char *path = root_path(root, p->config_path);
	struct vg_space v;
	uint64_t most;

	if (!path)
		tx_error(r, NULL, "cannot resolve %s under %s: %s", p->config_path, root,
			 strerror(errno));
	else if (access(path, F_OK) == 0)
		tx_error(
			r, NULL,
			"a guest called %s exists already (%s); choose another name or remove it first",
			p->name, path);
	free(path);
	if (r->errors > before || vg_space(p->vg, r, &v) < 0)
		return;
	p->vg_free = 0;
	for (size_t i = 0; i < v.npv; i++)
		p->vg_free += v.free[i] * v.extent;
	if (lv_exists(p->vg, p->disk_lv, r) || (p->swap_lv && lv_exists(p->vg, p->swap_lv, r))) {
		tx_error(
			r, NULL,
			"the volume group %s already holds a volume of guest %s (%s); choose another name or remove it with lvremove",
			p->vg, p->name, p->disk_lv);
	} else if (!*root) {
		const char *argv[] = {"xl", "domid", p->name, NULL};

		if (run_quiet(r, argv, NULL) == 0)
			tx_error(r, NULL,
				 "a domain called %s is running (xl list); choose another name",
				 p->name);
	}
	if (r->errors == before && (size_t)p->mirrors + 1 > v.npv)
		tx_error(
			r, NULL,
			"guests.conf asks for %d extra copies of each guest disk, but %s has %zu disk%s; lower mirrors or give --mirrors 0",
			p->mirrors, p->vg, v.npv, v.npv == 1 ? "" : "s");
	if (r->errors == before && take(&v, p->mirrors, p->disk_bytes, &most) < 0) {
		char *want = human_size(p->disk_bytes);

		tx_error(r, NULL,
			 "no space left for a disk of %s in %s: the largest that fits is %" PRIu64
			 " MiB%s; give a smaller --size or free space in %s",
			 want, p->vg, (uint64_t)(most / MiB),
			 p->mirrors ? " (each copy on its own disk)" : "", p->vg);
		free(want);
	}
	if (r->errors == before && p->swap_lv && take(&v, p->mirrors, p->swap_bytes, &most) < 0) {
		char *want = human_size(p->swap_bytes);

		tx_error(
			r, NULL,
			"no space left in %s for the guest's swap of %s after its disk; give a smaller --size",
			p->vg, want);
		free(want);
	}
}

/*
 * A Debian template with no mirror: its root comes from the host's image, which must be of the
 * template's release and fit the disk.
 */
static void check_offline(const struct guest_template *t, struct guest_plan *p, const char *root,
			  struct tx_report *r)
{
	struct guest_image *img;

	if (guest_image_load(root, r, &img) < 0)
		return;
	if (!t->dist || !streq(t->dist, img->suite)) {
		tx_error(
			r, NULL,
			"the template %s is Debian %s, and this host's root for guests made offline is Debian %s (%s): give --mirror URL to build %s from a Debian mirror, or set mirror = URL in /etc/tenxen/guests.conf",
			t->name, t->dist ? t->dist : "(no dist)", img->suite, GUEST_ROOT_DIR,
			t->dist ? t->dist : "it");
	} else if (p->disk_bytes < img->size) {
		char *need = human_size((img->size + MiB - 1) / MiB * MiB);

		tx_error(
			r, NULL,
			"the guest's root is written from a %s image (%s): give its disk at least %s (--size)",
			need, GUEST_ROOT_DIR, need);
		free(need);
	} else {
		p->image = xstrdup(GUEST_ROOT_DIR);
		p->image_suite = xstrdup(img->suite);
		p->image_bytes = img->used;
	}
	guest_image_free(img);
}

int guest_plan_make(const struct guest_template *t, const struct guest_host *h,
		    const struct guest_request *q, const char *root, struct tx_report *r,
		    struct guest_plan **out)
{
	unsigned before = r->errors;
	const char *mirror = q->mirror ? q->mirror : h->mirror;
	struct guest_plan *p;

	*out = NULL;
	if (check_request(t, h, q, root, r) < 0)
		return -EINVAL;
	p = xzalloc(sizeof(*p));
	p->name = xstrdup(q->name);
	p->template_name = xstrdup(t->name);
	p->vg = xstrdup(h->vg);
	p->mirrors = h->mirrors;
	p->disk_lv = xasprintf("%s-disk", q->name);
	p->disk_bytes = q->size ? q->size : t->size;
	if (t->swap && t->xen_tools) {
		p->swap_lv = xasprintf("%s-swap", q->name);
		p->swap_bytes = t->swap;
	}
	p->config_path = xasprintf("/etc/xen/%s.cfg", q->name);
	p->type = t->type;
	p->root_vdev = p->swap_lv ? "xvda2" : "xvda1";
	/* eth0, as the guest's interfaces file says, rather than systemd's enX0 for Xen's NICs */
	p->cmdline = xasprintf("root=/dev/%s ro console=hvc0 net.ifnames=0", p->root_vdev);
	check_host(p, root, r);
	if (r->errors == before && t->xen_tools && !mirror)
		check_offline(t, p, root, r);
	if (r->errors > before) {
		guest_plan_free(p);
		return -EINVAL;
	}
	p->config_text = guest_render(t, p, h, q);
	if (t->xen_tools && mirror)
		build_command(t, p, h, q, mirror);
	*out = p;
	return 0;
}

/* ---- carrying it out ---- */

static int lv_create(const struct guest_plan *p, const char *lv, uint64_t bytes,
		     struct tx_report *r)
{
	char *size = xasprintf("%" PRIu64 "b", bytes), *m = xasprintf("%d", p->mirrors);
	const char *linear[] = {"lvcreate", "-y", "-W", "y", "-n", lv, "-L", size, p->vg, NULL};
	const char *raid[] = {"lvcreate", "-y", "-W", "y",  "--type", "raid1", "-m", m,
			      "--nosync", "-n", lv,   "-L", size,     p->vg,   NULL};
	int rc = lvm_cmd(r, p->mirrors ? raid : linear, NULL);

	free(size);
	free(m);
	return rc;
}

/*
 * A builder that fails half-way (xen-tools does) can leave the volume mounted, with more mounts
 * below: unmount those, deepest first, so that the volume can go.
 */
static void unmount_volume(const char *proc, const char *dev, struct tx_report *r)
{
	char *real = realpath(dev, NULL);
	struct strv src = {0}, dst = {0}, points = {0};

	if (!real)
		return;
	mounts_read(proc, &src, &dst);
	for (size_t i = 0; i < src.n; i++) {
		char *s = realpath(src.v[i], NULL);

		if (s && streq(s, real))
			strv_push(&points, dst.v[i]);
		free(s);
	}
	for (size_t i = 0; i < points.n; i++) {
		struct strv below = {0};

		mounts_under(proc, points.v[i], &below);
		for (size_t j = below.n; j-- > 0;) /* deepest first; the point itself last */
			if (!streq(below.v[j], points.v[i]) && umount2(below.v[j], 0) < 0)
				umount2(below.v[j], MNT_DETACH);
		strv_free(&below);
		if (umount2(points.v[i], 0) < 0)
			umount2(points.v[i], MNT_DETACH);
		tx_info(r, NULL, "unmounted %s, which the failed build left mounted", points.v[i]);
		if (strstr(points.v[i], "/tenxen-guest"))
			rmdir(points.v[i]);
	}
	strv_free(&src);
	strv_free(&dst);
	strv_free(&points);
	free(real);
}

static void lv_remove(const struct guest_plan *p, const char *lv, struct tx_report *r)
{
	char *full = xasprintf("%s/%s", p->vg, lv);
	char *dev = xasprintf("/dev/%s/%s", p->vg, lv);

	unmount_volume(p->proc ? p->proc : "/proc", dev, r);
	free(dev);
	const char *args[] = {"lvremove", "-y", full, NULL};

	if (lvm_said(r, args, NULL, "could not remove %s; remove it with lvremove %s", full,
		     full) == 0)
		tx_info(r, NULL, "removed the volume %s again", full);
	free(full);
}

/* xen-tools prints the root password it made; say it once, as the user must know it. */
static void relay_password(const char *out, struct tx_report *r)
{
	const char *l = out ? strstr(out, "Root Password") : NULL;

	if (l) {
		const char *c = strchr(l, ':');
		size_t n = c ? strcspn(c + 1, "\n") : 0;

		if (c && n) {
			char *pw = xstrndup(c + 1, n);

			tx_info(r, NULL, "the guest's root password (made by xen-tools): %s",
				strip(pw));
			free(pw);
		}
	}
}

int guest_apply(const struct guest_plan *p, const char *root, struct tx_report *r)
{
	bool made_disk = false, made_swap = false, made_config = false;
	char *cfg = root_path(root, p->config_path);
	int rc;

	if (!cfg) {
		tx_error(r, NULL, "cannot resolve %s under %s: %s", p->config_path, root,
			 strerror(errno));
		return -ELOOP;
	}
	tx_info(r, NULL, "creating the volume %s/%s", p->vg, p->disk_lv);
	rc = lv_create(p, p->disk_lv, p->disk_bytes, r);
	made_disk = rc == 0;
	if (rc == 0 && p->swap_lv) {
		tx_info(r, NULL, "creating the volume %s/%s", p->vg, p->swap_lv);
		rc = lv_create(p, p->swap_lv, p->swap_bytes, r);
		made_swap = rc == 0;
	}
	if (rc == 0) {
		char *dir = dir_of(cfg);

		mkdir_p(dir);
		free(dir);
		tx_info(r, NULL, "writing %s", p->config_path);
		rc = atomic_write_file(r, cfg, p->config_text, strlen(p->config_text), 0644, false);
		made_config = rc == 0;
	}
	if (rc == 0 && p->image) {
		char *pw = NULL;

		rc = guest_build_offline(p, root, r, &pw);
		if (rc == 0)
			tx_info(r, NULL, "the guest's root password (made here, said once): %s",
				pw);
		else
			tx_error(r, NULL, "could not make the root of %s", p->name);
		if (pw)
			explicit_bzero(pw, strlen(pw));
		free(pw);
	} else if (rc == 0 && p->build.n) {
		char *tmp = xasprintf("%s/tenxen-guest.XXXXXX", p->tmp ? p->tmp : "/tmp");
		struct strv argv = {0};
		char *out = NULL;

		/* xen-tools writes a config of its own; Tenxen's is the one kept */
		if (!mkdtemp(tmp)) {
			rc = -errno;
			tx_error(r, NULL, "cannot make a folder %s: %s", tmp, strerror(errno));
		} else {
			strv_copy(&argv, &p->build);
			strv_push_owned(&argv, xasprintf("--output=%s", tmp));
			tx_info(r, NULL,
				"xen-tools builds the guest's root (%s); this takes minutes, its log is /var/log/xen-tools/%s.log",
				p->build.v[0], p->name);
			rc = run_said(
				r, (const char *const *)argv.v, &out,
				"xen-tools could not build the root of %s; see /var/log/xen-tools/%s.log",
				p->name, p->name);
			if (rc == 0)
				relay_password(out, r);
			free(out);
			strv_free(&argv);
			{
				char *f = xasprintf("%s/%s.cfg", tmp, p->name);

				unlink(f);
				free(f);
			}
			rmdir(tmp);
		}
		free(tmp);
	}
	if (rc < 0) {
		if (made_config) {
			if (unlink(cfg) == 0)
				tx_info(r, NULL, "removed %s again", p->config_path);
			else
				tx_error(r, NULL, "could not remove %s: %s", cfg, strerror(errno));
		}
		if (made_swap)
			lv_remove(p, p->swap_lv, r);
		if (made_disk)
			lv_remove(p, p->disk_lv, r);
	}
	free(cfg);
	return rc;
}
