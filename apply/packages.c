// SPDX-License-Identifier: GPL-2.0-or-later
/* Programs run inside the target: its chroot, package sets from the medium's repository,
 * and the answer file's scripts. */
#include "apply/target.h"
#include "storage/image.h"
#include "bootcfg/fresh.h"
#include "guest/guest.h"
#include "bootcfg/host.h"
#include "bootcfg/install.h"
#include "common/atomic.h"
#include "common/run.h"

#include <errno.h>
#include <glob.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

int target_chroot_enter(const char *target, struct tx_report *r)
{
	static const char *const what[][3] = {
		{"proc", "proc", "proc"},
		{"sysfs", "sys", "sysfs"},
		{"/dev", "dev", NULL},
		{"devpts", "dev/pts", "devpts"},
	};
	int rc = 0;

	for (size_t i = 0; i < ARRAY_SIZE(what) && rc == 0; i++) {
		char *dst = xasprintf("%s/%s", target, what[i][1]);

		mkdir_p(dst);
		if (mount(what[i][0], dst, what[i][2], what[i][2] ? 0 : MS_BIND, NULL) < 0) {
			rc = -errno;
			tx_error(r, NULL, "cannot mount %s on %s: %s", what[i][0], dst,
				 strerror(errno));
		}
		free(dst);
	}
	if (rc < 0)
		target_chroot_leave(target);
	return rc;
}

void target_chroot_leave(const char *target)
{
	static const char *const what[] = {"dev/pts", "dev", "sys", "proc"};

	for (size_t i = 0; i < ARRAY_SIZE(what); i++) {
		char *dst = xasprintf("%s/%s", target, what[i]);

		umount2(dst, MNT_DETACH);
		free(dst);
	}
}

/* The MAC address of the card a network line names: "mac:..." itself, or looked up by name. */
int package_set_members(const char *sets_file, const char *name, struct strv *out,
			struct tx_report *r)
{
	char *text = NULL, *save = NULL;
	bool found = false;
	int rc = read_file(sets_file, &text, NULL);

	if (rc < 0) {
		tx_error(r, NULL, "cannot read the package sets %s: %s", sets_file, strerror(-rc));
		return rc;
	}
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		size_t n = strlen(name);
		char *w, *ws = NULL;

		if (l[0] == '#' || strncmp(l, name, n) != 0 || l[n] != ':')
			continue;
		found = true;
		for (w = strtok_r(l + n + 1, " \t", &ws); w; w = strtok_r(NULL, " \t", &ws))
			strv_push(out, w);
	}
	free(text);
	if (!found) {
		tx_error(r, NULL, "the package set @%s is not in %s; this medium has no such set",
			 name, sets_file);
		return -ENOENT;
	}
	return 0;
}

#define RAMCONF "etc/initramfs-tools/update-initramfs.conf"

/*
 * Whether the packages just installed change what goes into the initramfs: hooks, scripts,
 * modules or firmware, or a conf.d setting that initramfs.conf does not already make (xen-tools
 * ships MODULES=most, Debian's default). Only then is the initramfs rebuilt, once. iso/layers.sh
 * applies the same rule to the sets it prebuilds.
 */
static const char initramfs_check[] =
	"cd /run/tenxen-repo || exit 1\n"
	"for d in *.deb; do dpkg -L \"${d%%_*}\" 2> /dev/null; done > /run/tenxen-apt/files\n"
	"grep -Eq '^/(usr/share|etc)/initramfs-tools/(hooks|scripts|modules)/.|^/(usr/)?lib/(modules|firmware)/.' /run/tenxen-apt/files && exit 10\n"
	"for f in $(grep '^/etc/initramfs-tools/conf.d/.' /run/tenxen-apt/files); do\n"
	"  grep -v '^#' \"$f\" | grep . | while read -r l; do\n"
	"    grep -qxF \"$l\" /etc/initramfs-tools/initramfs.conf || exit 10\n"
	"  done || exit 10\n"
	"done\n"
	"exit 0\n";

/*
 * dpkg triggers would rebuild the initramfs once per trigger: update-initramfs is told to do
 * nothing (update-initramfs.conf), and the caller decides after. *saved gets the file's text to
 * give back, or NULL when there is none (then nothing is deferred).
 */
static int initramfs_defer(const struct target_ctx *t, char **saved, struct tx_report *r)
{
	char *path = xasprintf("%s/" RAMCONF, t->target);
	int rc = 0;

	*saved = NULL;
	if (read_file(path, saved, NULL) == 0)
		rc = target_put_file(t->target, RAMCONF, "update_initramfs=no\n", 0644, r);
	free(path);
	return rc;
}

/* The deferral undone; returns rc, or the restore's error when rc was 0. Frees saved. */
static int initramfs_restore(const struct target_ctx *t, char *saved, int rc, struct tx_report *r)
{
	if (saved) {
		int rc2 = target_put_file(t->target, RAMCONF, saved, 0644, r);

		rc = rc < 0 ? rc : rc2;
		free(saved);
	}
	return rc;
}

static int initramfs_if_needed(const struct target_ctx *t, struct tx_report *r)
{
	const char *check[] = {"chroot", t->target, "sh", "-c", initramfs_check, NULL};
	const char *update[] = {"chroot", t->target, "update-initramfs", "-u", "-k", "all", NULL};

	if (run_quiet(r, check, NULL) == 0) {
		tx_info(r, NULL, "the packages change nothing in the initramfs: not rebuilt");
		return 0;
	}
	tx_info(r, NULL, "the packages bring initramfs hooks or settings: rebuilding it");
	return run_cmd(r, update, NULL);
}

/*
 * apt inside the target, reading only the installer's repository (bound at /run/tenxen-repo):
 * no network, no service started, no question asked.
 */
/* apt-get update and install of pkgs inside the target, from the bound repository alone. */
static int apt_install(const struct target_ctx *t, const struct strv *pkgs, struct tx_report *r)
{
	static const char *const base[] = {
		"chroot",
		NULL, /* the target */
		"apt-get",
		"-q",
		"-y",
		"-o",
		"Dir::Etc::SourceList=/run/tenxen-apt/sources.list",
		"-o",
		"Dir::Etc::SourceParts=/nonexistent",
		"-o",
		"Dir::State::Lists=/run/tenxen-apt/lists",
		"-o",
		"Acquire::Languages=none",
		"-o",
		"APT::Install-Recommends=false",
		/* no fsync per file: the install syncs and unmounts at its end */
		"-o",
		"Dpkg::Options::=--force-unsafe-io",
		"-o",
		"Dpkg::Use-Pty=false",
	};
	char *lists = xasprintf("%s/run/tenxen-apt/lists/partial", t->target);
	struct strv argv = {0};
	int rc;

	mkdir_p(lists);
	free(lists);
	setenv("DEBIAN_FRONTEND", "noninteractive", 1);
	for (size_t i = 0; i < ARRAY_SIZE(base); i++)
		strv_push(&argv, i == 1 ? t->target : base[i]);
	strv_push(&argv, "update");
	rc = run_cmd(r, (const char *const *)argv.v, NULL);
	if (rc == 0) {
		free(argv.v[argv.n - 1]);
		argv.v[argv.n - 1] = xstrdup("install");
		for (size_t i = 0; i < pkgs->n; i++)
			strv_push(&argv, pkgs->v[i]);
		rc = run_said(
			r, (const char *const *)argv.v, NULL,
			"the packages could not be installed from the installer's repository (the log has apt's words); a package named with --packages must be on the medium");
	}
	strv_free(&argv);
	return rc;
}

int target_packages(const struct target_ctx *t, const struct op *op, struct tx_report *r)
{
	char *sets = xasprintf("%s/package-sets", t->payload);
	char *repo = NULL;
	char *bind = xasprintf("%s/run/tenxen-repo", t->target);
	char *policy = xasprintf("%s/usr/sbin/policy-rc.d", t->target);
	char *ramconf_text = NULL;
	struct strv pkgs = {0};
	char *layer = target_sets_layer(t);
	bool bound = false, entered = false;
	int rc = 0;

	/* sets unpacked with the root (target_unpack) are not installed again */
	for (size_t i = 0; i < op->members.n && rc == 0; i++) {
		if (op->members.v[i][0] != '@')
			strv_push(&pkgs, op->members.v[i]);
		else if (!layer)
			rc = package_set_members(sets, op->members.v[i] + 1, &pkgs, r);
	}
	free(layer);
	if (rc == 0 && pkgs.n == 0) {
		tx_info(r, NULL, "nothing left to install: the package sets came with the root");
		goto out;
	}
	if (rc == 0)
		rc = target_put_file(t->target, "run/tenxen-apt/sources.list",
				     "deb [trusted=yes] file:/run/tenxen-repo ./\n", 0644, r);
	if (rc == 0)
		rc = target_put_file(t->target, "usr/sbin/policy-rc.d", "#!/bin/sh\nexit 101\n",
				     0755, r);
	if (rc == 0)
		rc = target_payload_folder(t, "repo", &repo, r);
	if (rc == 0)
		rc = initramfs_defer(t, &ramconf_text, r);
	if (rc == 0) {
		mkdir_p(bind);
		if (mount(repo, bind, NULL, MS_BIND | MS_RDONLY, NULL) < 0) {
			rc = -errno;
			tx_error(r, NULL, "cannot bind the package repository %s into %s: %s", repo,
				 bind, strerror(errno));
		}
		bound = rc == 0;
	}
	if (rc == 0) {
		rc = target_chroot_enter(t->target, r);
		entered = rc == 0;
	}
	if (rc == 0)
		rc = apt_install(t, &pkgs, r);
	rc = initramfs_restore(t, ramconf_text, rc, r);
	if (rc == 0)
		rc = initramfs_if_needed(t, r);
	if (entered)
		target_chroot_leave(t->target);
	if (bound)
		umount2(bind, MNT_DETACH);
	target_payload_drop_folder(t, repo, r);
	unlink(policy);
	{
		char *apt = xasprintf("%s/run/tenxen-apt", t->target);
		const char *rm[] = {"rm", "-rf", apt, NULL};

		run_quiet(r, rm, NULL);
		rmdir(bind);
		free(apt);
	}
out:
	strv_free(&pkgs);
	free(sets);
	free(repo);
	free(bind);
	free(policy);
	return rc;
}

/* The text of each of tenxen's initramfs files in the target (hooks and scripts named tenxen*),
 * path and content in turn, to tell whether installing the package changed any. */
static void own_initramfs_files(const char *target, struct strv *out)
{
	char *pattern = xasprintf("%s/usr/share/initramfs-tools/{hooks,scripts/*}/tenxen*", target);
	glob_t g = {0};

	if (glob(pattern, GLOB_BRACE | GLOB_NOSORT, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++) {
			char *text = NULL;

			strv_push(out, g.gl_pathv[i]);
			strv_push_owned(out, read_file(g.gl_pathv[i], &text, NULL) == 0
						     ? text
						     : xstrdup(""));
		}
	}
	globfree(&g);
	free(pattern);
}

static bool strv_same(const struct strv *a, const struct strv *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (!streq(a->v[i], b->v[i]))
			return false;
	return true;
}

int target_install_own(const struct target_ctx *t, struct tx_report *r)
{
	char *rel = target_own_package(t, r), *copy = xasprintf("%s/tmp/tenxen.deb", t->target);
	char *deb = NULL;
	const char *cp[] = {"cp", "--", NULL, copy, NULL};
	/* by its path: the installer's busybox chroot would run its own dpkg applet instead */
	const char *dpkg[] = {
		"chroot",	   t->target, "/usr/bin/dpkg", "--force-unsafe-io", "-i",
		"/tmp/tenxen.deb", NULL};
	const char *update[] = {"chroot", t->target, "update-initramfs", "-u", "-k", "all", NULL};
	struct strv before = {0}, after = {0};
	char *ramconf_text = NULL;
	bool entered = false;
	int rc = rel ? target_payload_get(t, rel, &deb, r) : -ENOENT;

	cp[2] = deb;
	if (rc == 0)
		rc = run_quiet(r, cp, NULL);
	target_payload_drop(t, deb);
	own_initramfs_files(t->target, &before);
	if (rc == 0)
		rc = initramfs_defer(t, &ramconf_text, r);
	if (rc == 0) {
		rc = target_chroot_enter(t->target, r);
		entered = rc == 0;
	}
	if (rc == 0) {
		setenv("DEBIAN_FRONTEND", "noninteractive", 1);
		rc = run_said(r, dpkg, NULL,
			      "dpkg could not install %s into the target (the log has its words)",
			      deb);
	}
	rc = initramfs_restore(t, ramconf_text, rc, r);
	own_initramfs_files(t->target, &after);
	/* the root's initramfs was made with the payload's copies of these files: rebuilt only
	 * when the package brought others */
	if (rc == 0 && !strv_same(&before, &after)) {
		tx_info(r, NULL,
			"the tenxen package brings initramfs files the root's initramfs lacks: rebuilding it");
		rc = run_cmd(r, update, NULL);
	}
	if (entered)
		target_chroot_leave(t->target);
	if (rc == 0)
		tx_info(r, NULL, "tenxen installed from %s with dpkg", deb);
	unlink(copy);
	strv_free(&before);
	strv_free(&after);
	free(copy);
	free(deb);
	free(rel);
	return rc;
}

int target_script(const struct target_ctx *t, const struct op_script *sc, struct tx_report *r)
{
	bool chrooted = sc->chrooted;
	char *dir = chrooted ? xasprintf("%s/tmp", t->target) : xstrdup("/tmp");
	char *path = xasprintf("%s/tenxen-script-XXXXXX", dir);
	const char *inside;
	int fd, rc;

	mkdir_p(dir);
	fd = mkstemp(path);
	if (fd < 0 || write(fd, sc->body, strlen(sc->body)) < 0) {
		tx_error(r, NULL, "cannot write the script of %s to %s", sc->from, dir);
		if (fd >= 0)
			close(fd);
		free(dir);
		free(path);
		return -EIO;
	}
	close(fd);
	inside = path + strlen(dir) - strlen("/tmp");
	setenv("TENXEN_TARGET", t->target, 1);
	if (!chrooted) {
		const char *argv[] = {sc->interpreter, path, NULL};

		rc = run_cmd(r, argv, NULL);
	} else {
		const char *argv[] = {"chroot", t->target, sc->interpreter, inside, NULL};

		rc = target_chroot_enter(t->target, r);
		if (rc == 0) {
			rc = run_cmd(r, argv, NULL);
			target_chroot_leave(t->target);
		}
	}
	unlink(path);
	free(dir);
	free(path);
	return rc;
}
