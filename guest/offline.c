// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A Debian guest's root made offline: the install keeps the medium's dom0 root image (a Debian
 * root, iso/payload.sh) in GUEST_ROOT_DIR; a guest's disk gets that image, grown to fill the
 * disk, with dom0's kernel and initrd from the same medium in its /boot, and is then made a
 * guest of its own: host name, fstab, DHCP on eth0, a root password, ssh host keys, pygrub's
 * menu, and the dom0-only services masked.
 */
#include "guest/guest.h"
#include "common/atomic.h"
#include "common/password.h"
#include "common/rootfs.h"
#include "common/run.h"
#include "storage/image.h"

#include <errno.h>
#include <glob.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

void guest_image_free(struct guest_image *img)
{
	if (!img)
		return;
	free(img->dir);
	free(img->suite);
	free(img);
}

/* A regular file of the image's folder (name may be a pattern: the first match), or said
 * missing. */
static bool image_file(const char *dir, const char *name, const char *shown, struct tx_report *r)
{
	char *p = xasprintf("%s/%s", dir, name);
	struct stat st;
	glob_t g = {0};
	bool ok = glob(p, 0, NULL, &g) == 0 && g.gl_pathc >= 1 && stat(g.gl_pathv[0], &st) == 0 &&
		  S_ISREG(st.st_mode);

	globfree(&g);

	if (!ok)
		tx_error(
			r, NULL,
			"the root for guests made offline is incomplete: %s/%s is missing; install the host again with @guest-templates, or give --mirror URL",
			shown, name);
	free(p);
	return ok;
}

int guest_image_load(const char *root, struct tx_report *r, struct guest_image **out)
{
	char *dir = root_path(root, GUEST_ROOT_DIR), *path, *text = NULL;
	struct image_map *m = NULL;
	struct guest_image *img;
	struct stat st;
	size_t len;
	int rc;

	*out = NULL;
	if (!dir || stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		tx_error(
			r, NULL,
			"this host keeps no Debian root for guests made offline (%s; the install puts it there with @guest-templates): give --mirror URL to build the guest from a Debian mirror, or set mirror = URL in /etc/tenxen/guests.conf",
			GUEST_ROOT_DIR);
		free(dir);
		return -ENOENT;
	}
	if (!image_file(dir, "root.img.zst", GUEST_ROOT_DIR, r) ||
	    !image_file(dir, "root.img.map", GUEST_ROOT_DIR, r) ||
	    !image_file(dir, "boot/vmlinuz-*", GUEST_ROOT_DIR, r) ||
	    !image_file(dir, "release", GUEST_ROOT_DIR, r)) {
		free(dir);
		return -ENOENT;
	}
	img = xzalloc(sizeof(*img));
	img->dir = dir;
	/* the medium's release file: "Tenxen VERSION, Debian SUITE" */
	path = xasprintf("%s/release", dir);
	rc = read_text_file(path, &text, &len);
	{
		const char *d = rc == 0 ? strstr(text, ", Debian ") : NULL;
		size_t n = d ? strspn(d + 9, "abcdefghijklmnopqrstuvwxyz") : 0;

		if (n)
			img->suite = xstrndup(d + 9, n);
		else
			tx_error(r, NULL,
				 "%s/release names no Debian suite (Tenxen VERSION, Debian SUITE)",
				 GUEST_ROOT_DIR);
	}
	free(text);
	free(path);
	path = xasprintf("%s/root.img.map", dir);
	if (img->suite && image_map_read(path, r, &m) == 0) {
		img->size = m->size;
		img->used = m->used;
		if (!streq(m->filesystem, "ext4"))
			tx_error(r, NULL, "%s holds a %s image; guests are made from an ext4 root",
				 path, m->filesystem);
	}
	image_map_free(m);
	free(path);
	if (!img->suite || !img->size) {
		guest_image_free(img);
		return -EINVAL;
	}
	*out = img;
	return 0;
}

/* ---- making the root ---- */

/* A file of the guest's root, written atomically; path as the guest sees it. */
static int put(const char *mnt, const char *path, const char *text, mode_t mode,
	       struct tx_report *r)
{
	char *p = root_path(mnt, path), *dir;
	int rc;

	if (!p) {
		tx_error(r, NULL, "cannot resolve %s in the guest's root: %s", path,
			 strerror(errno));
		return -ELOOP;
	}
	dir = dir_of(p);
	mkdir_p(dir);
	free(dir);
	rc = atomic_write_file(r, p, text, strlen(text), mode, false);
	free(p);
	return rc;
}

/* A unit of the guest's systemd that is dom0's alone, masked (a link to /dev/null). */
static int mask(const char *mnt, const char *unit, struct tx_report *r)
{
	char *rel = xasprintf("/etc/systemd/system/%s", unit), *p = root_path(mnt, rel);
	int rc = 0;

	if (!p || (unlink(p) < 0 && errno != ENOENT) || symlink("/dev/null", p) < 0) {
		rc = -errno;
		tx_error(r, NULL, "cannot mask %s in the guest's root: %s", unit, strerror(errno));
	}
	free(p);
	free(rel);
	return rc;
}

/* The newest kernel of the guest's /boot, as "6.1.0-50-amd64"; NULL when there is none. */
static char *guest_kernel(const char *mnt)
{
	char *pattern = xasprintf("%s/boot/vmlinuz-*", mnt), *best = NULL;
	glob_t g = {0};

	if (glob(pattern, 0, NULL, &g) == 0)
		for (size_t i = 0; i < g.gl_pathc; i++) {
			const char *v = strrchr(g.gl_pathv[i], '/') + strlen("/vmlinuz-");

			if (!best || strverscmp(v, best) > 0) {
				free(best);
				best = xstrdup(v);
			}
		}
	globfree(&g);
	free(pattern);
	return best;
}

/* root's password in the guest's /etc/shadow: the hash of pw. */
static int set_root_password(const char *mnt, const char *pw, struct tx_report *r)
{
	char *shadow = root_path(mnt, "/etc/shadow"), *group = root_path(mnt, "/etc/group");
	char *hash = password_hash(pw);
	int rc = -EIO;

	if (!shadow || !group || !hash)
		tx_error(r, NULL, "cannot set root's password in the guest's /etc/shadow");
	else
		rc = shadow_set_root(shadow, group, hash, r);
	if (hash)
		explicit_bzero(hash, strlen(hash));
	free(hash);
	free(shadow);
	free(group);
	return rc;
}

/* The host's root's authorized ssh keys, so that who runs the host reaches the guest too. */
static int copy_keys(const char *root, const char *mnt, struct tx_report *r)
{
	char *src = root_path(root, "/root/.ssh/authorized_keys"), *text = NULL;
	size_t len;
	int rc = 0;

	if (src && read_text_file(src, &text, &len) == 0 && len) {
		char *home = root_path(mnt, "/root"), *dir = root_path(mnt, "/root/.ssh");

		if (!home || !dir ||
		    ((mkdir(home, 0700) < 0 && errno != EEXIST) ||
		     (mkdir(dir, 0700) < 0 && errno != EEXIST))) {
			rc = -errno;
			tx_error(r, NULL, "cannot make /root/.ssh in the guest's root: %s",
				 strerror(errno));
		} else {
			rc = put(mnt, "/root/.ssh/authorized_keys", text, 0600, r);
		}
		if (rc == 0)
			tx_info(r, NULL,
				"the host's /root/.ssh/authorized_keys is the guest's too: its keys log in as root");
		free(home);
		free(dir);
	}
	free(text);
	free(src);
	return rc;
}

/* The modules of dom0's running kernel, which a PVH guest boots, when the root lacks them. */
static int copy_modules(const char *root, const char *mnt, struct tx_report *r)
{
	struct utsname u;
	char *rel, *src, *dst;
	struct stat st;
	int rc = 0;

	if (uname(&u) < 0)
		return 0;
	rel = xasprintf("/lib/modules/%s", u.release);
	src = root_path(root, rel);
	dst = root_path(mnt, rel);
	if (src && dst && stat(dst, &st) < 0 && stat(src, &st) == 0) {
		char *parent = dir_of(dst);
		const char *argv[] = {"cp", "-a", "--", src, parent, NULL};

		rc = run_cmd(r, argv, NULL);
		if (rc == 0)
			tx_info(r, NULL, "dom0's kernel modules (%s) copied into the guest",
				u.release);
		free(parent);
	}
	free(src);
	free(dst);
	free(rel);
	return rc;
}

/*
 * The hook that writes pygrub's menu of a PV guest, its kernels newest first, run by the guest's
 * kernel packages after each kernel comes or goes (so that an upgraded guest boots its new
 * kernel, and never a removed one), and once here. @CMDLINE@ is the kernel's command line.
 */
static const char menu_hook[] =
	"#!/bin/sh\n"
	"# Tenxen: pygrub's menu of this PV guest (/boot/grub/grub.cfg), its kernels newest first.\n"
	"# Made by tenxen guest create; the kernel packages run it after a kernel comes or goes.\n"
	"# pygrub of Xen 4.17 waits for a key forever on a timeout of 0: one second it is.\n"
	"set -e\n"
	"root=\n"
	"[ \"${1:-}\" = --root ] && root=$2\n"
	"menu=$root/boot/grub/grub.cfg\n"
	"mkdir -p \"$root/boot/grub\"\n"
	"{\n"
	"\techo '# written by /etc/kernel/postinst.d/zz-tenxen-pygrub; pygrub reads it'\n"
	"\techo 'set default=0'\n"
	"\techo 'set timeout=1'\n"
	"\tfor k in $(ls \"$root\"/boot/ | sed -n 's/^vmlinuz-//p' | sort -rV); do\n"
	"\t\t[ -f \"$root/boot/initrd.img-$k\" ] || continue\n"
	"\t\tprintf \"\\nmenuentry 'Debian GNU/Linux, %s' {\\n\\tlinux /boot/vmlinuz-%s %s\\n\\tinitrd /boot/initrd.img-%s\\n}\\n\" \\\n"
	"\t\t\t\"$k\" \"$k\" '@CMDLINE@' \"$k\"\n"
	"\tdone\n"
	"} > \"$menu.new\"\n"
	"if ! grep -q '^menuentry' \"$menu.new\"; then\n"
	"\trm -f \"$menu.new\"\n"
	"\techo \"tenxen: no kernel with its initrd in $root/boot: pygrub's menu left as it was\" >&2\n"
	"\texit 1\n"
	"fi\n"
	"sync \"$menu.new\"\n"
	"mv \"$menu.new\" \"$menu\"\n";

/* The menu hook in the guest's kernel hooks, run once now. */
static int pygrub_menu(const struct guest_plan *p, const char *mnt, struct tx_report *r)
{
	const char *at = strstr(menu_hook, "@CMDLINE@");
	char *text = xasprintf("%.*s%s%s", (int)(at - menu_hook), menu_hook, p->cmdline,
			       at + strlen("@CMDLINE@"));
	char *hook = NULL, *gone = NULL;
	int rc = put(mnt, "/etc/kernel/postinst.d/zz-tenxen-pygrub", text, 0755, r);

	if (rc == 0) {
		hook = root_path(mnt, "/etc/kernel/postinst.d/zz-tenxen-pygrub");
		gone = root_path(mnt, "/etc/kernel/postrm.d/zz-tenxen-pygrub");
		if (!hook || !gone)
			rc = -ELOOP;
	}
	if (rc == 0) {
		char *dir = dir_of(gone);

		mkdir_p(dir);
		free(dir);
		unlink(gone);
		if (symlink("../postinst.d/zz-tenxen-pygrub", gone) < 0) {
			rc = -errno;
			tx_error(r, NULL, "cannot link the guest's kernel hook into postrm.d: %s",
				 strerror(errno));
		}
	}
	if (rc == 0) {
		const char *argv[] = {"sh", hook, "--root", mnt, NULL};

		rc = run_cmd(r, argv, NULL);
	}
	free(text);
	free(hook);
	free(gone);
	return rc;
}

/* The guest's own settings, inside its mounted root. */
static int make_guest(const struct guest_plan *p, const char *root, const char *mnt,
		      struct tx_report *r, char **password)
{
	char *kernel = guest_kernel(mnt), *text;
	int rc = 0;

	if (!kernel) {
		tx_error(r, NULL, "the guest's root has no kernel in /boot after copying %s/boot",
			 p->image);
		return -ENOENT;
	}
	text = xasprintf("%s\n", p->name);
	rc = put(mnt, "/etc/hostname", text, 0644, r);
	free(text);
	if (rc == 0) {
		text = xasprintf(
			"127.0.0.1\tlocalhost\n127.0.1.1\t%s\n\n::1\tlocalhost ip6-localhost ip6-loopback\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n",
			p->name);
		rc = put(mnt, "/etc/hosts", text, 0644, r);
		free(text);
	}
	if (rc == 0) {
		text = xasprintf("# made by tenxen guest create\n"
				 "/dev/%s\t/\text4\terrors=remount-ro\t0\t1\n%s",
				 p->root_vdev,
				 p->swap_lv ? "/dev/xvda1\tnone\tswap\tsw\t0\t0\n" : "");
		rc = put(mnt, "/etc/fstab", text, 0644, r);
		free(text);
	}
	if (rc == 0)
		rc = put(mnt, "/etc/network/interfaces",
			 "# made by tenxen guest create: DHCP on the guest's network card\n"
			 "source /etc/network/interfaces.d/*\n\n"
			 "auto lo\niface lo inet loopback\n\n"
			 "allow-hotplug eth0\niface eth0 inet dhcp\n",
			 0644, r);
	/* pygrub reads the menu of a PV guest; a PVH guest boots dom0's kernel (the config) */
	if (rc == 0 && p->type == GUEST_PV)
		rc = pygrub_menu(p, mnt, r);
	if (rc == 0 && p->type == GUEST_PVH)
		rc = copy_modules(root, mnt, r);
	/* Xen's own daemons and its domains' autostart belong to dom0 */
	if (rc == 0)
		rc = mask(mnt, "xen.service", r);
	if (rc == 0)
		rc = mask(mnt, "xendomains.service", r);
	if (rc == 0) {
		*password = password_random(16);
		rc = *password ? set_root_password(mnt, *password, r) : -EIO;
	}
	if (rc == 0)
		rc = copy_keys(root, mnt, r);
	if (rc == 0) {
		const char *argv[] = {"ssh-keygen", "-q", "-A", "-f", mnt, NULL};

		rc = run_cmd(r, argv, NULL);
	}
	free(kernel);
	return rc;
}

/* The kernels, initrds and their configs of from, copied into the folder to. */
static int copy_kernels(const char *from, const char *to, struct tx_report *r)
{
	static const char *const kinds[] = {"vmlinuz-", "initrd.img-", "config-", "System.map-"};
	struct strv argv = {0};
	int rc;

	strv_push(&argv, "cp");
	strv_push(&argv, "-p");
	strv_push(&argv, "--");
	for (size_t k = 0; k < ARRAY_SIZE(kinds); k++) {
		char *pattern = xasprintf("%s/%s*", from, kinds[k]);
		glob_t g = {0};

		if (glob(pattern, 0, NULL, &g) == 0)
			for (size_t i = 0; i < g.gl_pathc; i++)
				strv_push(&argv, g.gl_pathv[i]);
		globfree(&g);
		free(pattern);
	}
	strv_push(&argv, to);
	rc = run_cmd(r, (const char *const *)argv.v, NULL);
	strv_free(&argv);
	return rc;
}

/* The device of one of the guest's volumes: on this host /dev/VG/LV, under --root inside it. */
static char *volume_device(const char *root, const char *vg, const char *lv)
{
	char *dev = xasprintf("/dev/%s/%s", vg, lv), *p;

	if (!*root)
		return dev;
	p = root_path(root, dev);
	free(dev);
	return p;
}

int guest_build_offline(const struct guest_plan *p, const char *root, struct tx_report *r,
			char **password)
{
	char *dir = root_path(root, p->image), *disk = volume_device(root, p->vg, p->disk_lv);
	char *swap = p->swap_lv ? volume_device(root, p->vg, p->swap_lv) : NULL;
	char *stream = NULL, *map = NULL, *boot = NULL, *bootdir = NULL;
	char *mnt = xasprintf("%s/tenxen-guest-root.XXXXXX", p->tmp ? p->tmp : "/tmp");
	struct image_map *m = NULL;
	bool mounted = false, made = false;
	int rc;

	*password = NULL;
	if (!dir || !disk || (p->swap_lv && !swap)) {
		tx_error(r, NULL, "cannot resolve the guest's devices or %s under %s", p->image,
			 root);
		rc = -ELOOP;
		goto out;
	}
	stream = xasprintf("%s/root.img.zst", dir);
	map = xasprintf("%s/root.img.map", dir);
	boot = xasprintf("%s/boot", dir);
	tx_info(r, NULL,
		"writing the guest's root from this host's Debian %s root (%s), offline: no mirror is used",
		p->image_suite, p->image);
	rc = image_map_read(map, r, &m);
	if (rc == 0)
		rc = image_write(stream, m, disk, r);
	if (rc == 0) {
		const char *argv[] = {"resize2fs", "-f", disk, NULL};

		rc = run_cmd(r, argv, NULL);
	}
	if (rc == 0) {
		const char *argv[] = {"tune2fs", "-U", "random", "-L", "root", disk, NULL};

		rc = run_cmd(r, argv, NULL);
	}
	if (rc == 0 && swap) {
		const char *argv[] = {"mkswap", "-L", "swap", swap, NULL};

		rc = run_cmd(r, argv, NULL);
	}
	if (rc == 0) {
		made = mkdtemp(mnt) != NULL;
		if (!made) {
			rc = -errno;
			tx_error(r, NULL, "cannot make a folder %s: %s", mnt, strerror(errno));
		}
	}
	if (rc == 0) {
		/* mount(8), not mount(2): a disk that is a file (a test's) gets a loop device */
		const char *argv[] = {"mount", "-t", "ext4", "--", disk, mnt, NULL};

		rc = run_cmd(r, argv, NULL);
		mounted = rc == 0;
	}
	if (rc == 0) {
		/* the medium's kernel and initrd, as the install kept them; Xen stays dom0's */
		bootdir = xasprintf("%s/boot", mnt);
		rc = copy_kernels(boot, bootdir, r);
	}
	if (rc == 0)
		rc = make_guest(p, root, mnt, r, password);
	if (mounted) {
		sync();
		if (umount2(mnt, 0) < 0 && umount2(mnt, MNT_DETACH) < 0 && rc == 0) {
			rc = -errno;
			tx_error(r, NULL, "cannot unmount the guest's root from %s: %s", mnt,
				 strerror(errno));
		}
	}
	if (made)
		rmdir(mnt);
	if (rc < 0 && *password) {
		explicit_bzero(*password, strlen(*password));
		free(*password);
		*password = NULL;
	}
out:
	free(mnt);
	image_map_free(m);
	free(dir);
	free(disk);
	free(swap);
	free(stream);
	free(map);
	free(boot);
	free(bootdir);
	return rc;
}
