// SPDX-License-Identifier: GPL-2.0-or-later
/* The host's own settings under the target's /etc: network, hostname, time zone, keyboard,
 * root's password and keys, the serial login, host keys, guests. */
#include "apply/target.h"
#include "storage/image.h"
#include "bootcfg/fresh.h"
#include "guest/guest.h"
#include "bootcfg/host.h"
#include "bootcfg/install.h"
#include "common/atomic.h"
#include "common/password.h"
#include "common/run.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

/* The operation's files, links and folders under the target, as the plan has them, in order. */
static int put_files(const struct target_ctx *t, const struct op *op, struct tx_report *r)
{
	int rc = 0;

	for (size_t i = 0; i < op->nfiles && rc == 0; i++) {
		const struct op_file *f = &op->files[i];
		char *path = xasprintf("%s/%s", t->target, f->rel), *dir;

		switch (f->kind) {
		case OPF_FILE:
			rc = target_put_file(t->target, f->rel, f->text, f->mode, r);
			break;
		case OPF_DIR:
			rc = mkdir_p(path);
			if (rc == 0 && chmod(path, f->mode) < 0)
				rc = -errno;
			if (rc < 0)
				tx_error(r, NULL, "cannot make the folder %s: %s", path,
					 strerror(-rc));
			break;
		case OPF_LINK:
			dir = dir_of(path);
			rc = mkdir_p(dir);
			if (rc == 0 && unlink(path) < 0 && errno != ENOENT)
				rc = -errno;
			if (rc == 0 && symlink(f->text, path) < 0)
				rc = -errno;
			if (rc < 0)
				tx_error(r, NULL, "cannot link %s to %s: %s", path, f->text,
					 strerror(-rc));
			free(dir);
			break;
		}
		free(path);
	}
	return rc;
}

/* /etc/localtime links into the root's own tzdata: the zone must be there. */
static int check_timezone(const struct target_ctx *t, const struct op *op, struct tx_report *r)
{
	char *zone = xasprintf("%s/usr/share/zoneinfo/%s", t->target, op->name);
	int rc = 0;

	if (access(zone, R_OK) < 0) {
		tx_error(
			r, NULL,
			"the time zone %s (the answer file's timezone line) is not in the installed system's tzdata: name one of /usr/share/zoneinfo",
			op->name);
		rc = -ENOENT;
	}
	free(zone);
	return rc;
}

/* root's password field in /etc/shadow: the hash, or "!" (locked), or "*" (no password). */
static int configure_root(const struct target_ctx *t, const struct op *op, struct tx_report *r)
{
	char *shadow = xasprintf("%s/etc/shadow", t->target);
	char *group = xasprintf("%s/etc/group", t->target);
	int rc = shadow_set_root(shadow, group, op->secret ? op->secret : "*", r);

	free(shadow);
	free(group);
	return rc;
}

static int configure_console(const struct target_ctx *t, struct tx_report *r)
{
	struct strv changes = {0};
	int rc = host_serial_login(t->target, true, false, &changes, r);

	for (size_t i = 0; i < changes.n; i++)
		tx_info(r, NULL, "%s", changes.v[i]);
	strv_free(&changes);
	return rc;
}

static bool has_keygen(const struct target_ctx *t)
{
	char *keygen = xasprintf("%s/usr/bin/ssh-keygen", t->target);
	bool yes = access(keygen, X_OK) == 0;

	free(keygen);
	return yes;
}

/* The Ed25519 and ECDSA host keys now, and the unit that makes the RSA key on the first boot
 * (the operation's files); nothing on a root without ssh-keygen. */
static int configure_hostkeys(const struct target_ctx *t, const struct op *op, struct tx_report *r)
{
	static const char *const types[] = {"ed25519", "ecdsa"};
	int rc = 0;

	if (!has_keygen(t)) {
		tx_info(r, NULL, "the root has no ssh-keygen, so no ssh host keys are made");
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(types) && rc == 0; i++) {
		char *key = xasprintf("/etc/ssh/ssh_host_%s_key", types[i]);
		char *there = xasprintf("%s%s", t->target, key);
		const char *argv[] = {"chroot", t->target, "ssh-keygen", "-q", "-t", types[i], "-N",
				      "",	"-C",	   "",		 "-f", key,  NULL};

		if (access(there, F_OK) < 0)
			rc = run_cmd(r, argv, NULL);
		free(key);
		free(there);
	}
	return rc == 0 ? put_files(t, op, r) : rc;
}

/* Set "lvm = VG" in xen-tools' configuration: the commented example line, or a new one. */
static int xen_tools_vg(const struct target_ctx *t, const char *vg, struct tx_report *r)
{
	char *path = xasprintf("%s/etc/xen-tools/xen-tools.conf", t->target), *text = NULL;
	struct strv out = {0};
	bool set = false;
	int rc = read_file(path, &text, NULL);

	if (rc < 0) {
		tx_error(r, NULL, "%s is missing, though @guest-templates installs xen-tools: %s",
			 path, strerror(-rc));
		free(path);
		return rc;
	}
	for (char *l = text, *next; l && *l; l = next) {
		char *p = l;

		next = strchr(l, '\n');
		if (next)
			*next++ = '\0';
		while (*p == ' ' || *p == '\t' || (*p == '#' && !set))
			p++;
		if (!set && startswith(p, "lvm") && p[3 + strspn(p + 3, " \t")] == '=') {
			strv_push_owned(&out, xasprintf("lvm = %s", vg));
			set = true;
		} else {
			strv_push(&out, l);
		}
	}
	if (!set)
		strv_push_owned(&out, xasprintf("lvm = %s", vg));
	strv_push(&out, "");
	free(text);
	text = strv_join(&out, "\n");
	rc = atomic_write_file(r, path, text, strlen(text), 0644, true);
	strv_free(&out);
	free(text);
	free(path);
	return rc;
}

/*
 * The medium's root image, its map, its /boot and its release kept on the host (GUEST_ROOT_DIR),
 * so that Debian guests are made offline from it (guest/offline.c). A payload without the image
 * (a root as a tarball) leaves guests to a mirror, and says so.
 */
static int keep_guest_root(const struct target_ctx *t, struct tx_report *r)
{
	static const char *const files[] = {"release", "root.img.map", "root.img.zst"};
	char *dir = xasprintf("%s%s", t->target, GUEST_ROOT_DIR);
	char *staged = xasprintf("%s/var/tmp/tenxen-payload/", t->target);
	int rc = 0;

	if (!target_root_from_image(t) || !target_payload_has(t, "release")) {
		tx_warn(r, NULL,
			"the payload has no root image, so this host keeps no root for guests made offline: Debian guests need a mirror (mirror = URL in /etc/tenxen/guests.conf)");
		goto out;
	}
	rc = mkdir_p(dir);
	for (size_t i = 0; i < ARRAY_SIZE(files) && rc == 0; i++) {
		char *local = NULL, *dest = xasprintf("%s/%s", dir, files[i]);

		rc = target_payload_get(t, files[i], &local, r);
		/* a file fetched over HTTP is in the target already: moved, not copied */
		if (rc == 0 && !(startswith(local, staged) && rename(local, dest) == 0))
			rc = atomic_copy_file(r, local, dest, 0644);
		target_payload_drop(t, local);
		free(local);
		free(dest);
	}
	/* the kernel and initrd unpacked: a host has no zstd program to unpack them later */
	if (rc == 0) {
		char *local = NULL, *boot = xasprintf("%s/boot", dir);

		rc = mkdir_p(boot);
		if (rc == 0)
			rc = target_payload_get(t, "boot.tar.zst", &local, r);
		if (rc == 0) {
			const char *argv[] = {"tar",
					      "--zstd",
					      "-xpf",
					      local,
					      "-C",
					      boot,
					      "--numeric-owner",
					      "--wildcards",
					      "./vmlinuz-*",
					      "./initrd.img-*",
					      "./config-*",
					      "./System.map-*",
					      NULL};

			rc = run_cmd(r, argv, NULL);
		}
		target_payload_drop(t, local);
		free(local);
		free(boot);
	}
	if (rc == 0)
		tx_info(r, NULL,
			"the medium's Debian root kept in %s: guests are made from it offline",
			GUEST_ROOT_DIR);
out:
	free(dir);
	free(staged);
	return rc;
}

/*
 * Where guests go (guests.conf, the operation's file), and xen-tools pointed at the same group.
 * The templates stay the package's, in /usr/share/tenxen/templates, so that an upgrade brings
 * new ones; an admin's own in /etc/tenxen/templates override them (guest_template_dirs).
 */
static int configure_guests(const struct target_ctx *t, const struct op *op, struct tx_report *r)
{
	struct strv dirs = {0}, names = {0};
	int rc;

	strv_push_owned(&dirs, xasprintf("%s/usr/share/tenxen/templates", t->target));
	rc = guest_template_names(&dirs, &names);
	if (rc < 0 || names.n == 0) {
		tx_error(
			r, NULL,
			"the target has no guest templates in %s; the tenxen package is incomplete",
			dirs.v[0]);
		rc = -ENOENT;
	}
	if (rc == 0)
		rc = put_files(t, op, r);
	if (rc == 0 && op->vg)
		rc = xen_tools_vg(t, op->vg, r);
	if (rc == 0)
		rc = keep_guest_root(t, r);
	strv_free(&names);
	strv_free(&dirs);
	return rc < 0 ? rc : 0;
}

int target_configure(const struct target_ctx *t, const struct op *op, struct tx_report *r)
{
	int rc;

	switch (op->conf) {
	case CONF_NETWORK:
	case CONF_HOSTNAME:
	case CONF_KEYBOARD:
	case CONF_SSHKEYS:
	case CONF_APT:
	case CONF_TIME:
	case CONF_UPDATES:
		return put_files(t, op, r);
	case CONF_TIMEZONE:
		rc = check_timezone(t, op, r);
		return rc == 0 ? put_files(t, op, r) : rc;
	case CONF_ROOT:
		return configure_root(t, op, r);
	case CONF_HOSTKEYS:
		return configure_hostkeys(t, op, r);
	case CONF_CONSOLE:
		return configure_console(t, r);
	case CONF_GUESTS:
		return configure_guests(t, op, r);
	default:
		tx_error(r, NULL, "tenxen does not know how to configure %s",
			 conf_kind_name(op->conf));
		return -ENOTSUP;
	}
}
