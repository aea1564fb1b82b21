// SPDX-License-Identifier: GPL-2.0-or-later
#include "target.h"
#include "../disk/image.h"
#include "../bootcfg/fresh.h"
#include "../templates/guest.h"
#include "../bootcfg/host.h"
#include "../bootcfg/install.h"
#include "../common/atomic.h"
#include "../common/run.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

/* Write TARGET/rel atomically (its folder made first), no backup: the file is new on this host. */
static int put_file(const char *target, const char *rel, const char *text, mode_t mode,
		    struct tx_report *r)
{
	char *path = xasprintf("%s/%s", target, rel), *dir = xstrdup(path);
	int rc;

	*strrchr(dir, '/') = '\0';
	rc = mkdir_p(dir);
	if (rc < 0)
		tx_error(r, NULL, "cannot create %s: %s", dir, strerror(-rc));
	else
		rc = atomic_write_file(r, path, text, strlen(text), mode, false);
	free(path);
	free(dir);
	return rc;
}

/*
 * Records of 1 MiB rather than tar's 10 KiB: tar reads its archive and writes each file's data
 * a record at a time, and those many small reads and writes were nearly a third of the root's
 * unpack in the test VM (18.5 s -> 13.2 s). --read-full-records takes the short last record.
 * With job, tar runs beside the caller (run_wait); else to its end.
 */
static int untar_job(const char *file, const char *target, struct run_job *job, struct tx_report *r)
{
	const char *argv[] = {"tar",
			      "--zstd",
			      "--blocking-factor=2048",
			      "--read-full-records",
			      "-xpf",
			      file,
			      "-C",
			      target,
			      "--numeric-owner",
			      "--xattrs",
			      "--xattrs-include=*",
			      NULL};

	if (access(file, R_OK) < 0) {
		tx_error(r, NULL,
			 "the payload %s cannot be read (%s); is the installer's medium mounted?",
			 file, strerror(errno));
		return -ENOENT;
	}
	return job ? run_start(r, argv, job) : run_cmd(r, argv, NULL);
}

static int untar(const char *file, const char *target, struct tx_report *r)
{
	return untar_job(file, target, NULL, r);
}

static int layer_removals(const char *layer, const char *target, struct strv *gone,
			  struct tx_report *r);

/* The plan's mkfs of "/", or NULL. */
static const struct op *root_mkfs(const struct plan *p)
{
	for (size_t i = 0; p && i < p->nops; i++)
		if (p->ops[i].kind == OP_MKFS && p->ops[i].mountpoint &&
		    streq(p->ops[i].mountpoint, "/"))
			return &p->ops[i];
	return NULL;
}

/* What the plan makes device hold, in bytes; 0 when the plan does not say. */
static uint64_t planned_size(const struct plan *p, const char *device)
{
	for (size_t i = 0; i < p->nops; i++) {
		const struct op *o = &p->ops[i];

		if (!o->device || !streq(o->device, device))
			continue;
		if (o->kind == OP_LVCREATE)
			return o->extents * o->pesize;
		if (o->kind == OP_PARTITION)
			return o->length;
	}
	return 0;
}

static bool payload_has(const struct target_ctx *t, const char *name)
{
	char *f = xasprintf("%s/%s", t->payload, name);
	bool yes = access(f, R_OK) == 0;

	free(f);
	return yes;
}

bool target_root_from_image(const struct target_ctx *t)
{
	const struct op *root = root_mkfs(t->plan);

	return t->payload && root && streq(root->fstype, "ext4") &&
	       payload_has(t, "root.img.zst") && payload_has(t, "root.img.map") &&
	       payload_has(t, "boot.tar.zst");
}

/* The root image's map, read and checked; NULL having said why. Caller frees. */
static struct image_map *root_map(const struct target_ctx *t, struct tx_report *r)
{
	char *path = xasprintf("%s/root.img.map", t->payload);
	struct image_map *m = NULL;

	if (image_map_read(path, r, &m) == 0 && !streq(m->filesystem, "ext4")) {
		tx_error(r, NULL, "%s holds a %s image; this installer writes ext4 roots only",
			 path, m->filesystem);
		image_map_free(m);
		m = NULL;
	}
	free(path);
	return m;
}

/* The root comes as an ext4 image (root.img.zst) or as a tarball (root.tar.zst). */
static int check_root(const struct target_ctx *t, struct tx_report *r)
{
	const struct op *root = root_mkfs(t->plan);
	struct image_map *m;
	uint64_t room;

	if (!target_root_from_image(t)) {
		bool image = payload_has(t, "root.img.zst") && payload_has(t, "root.img.map");

		if (payload_has(t, "root.tar.zst"))
			return 0;
		if (image && !payload_has(t, "boot.tar.zst")) {
			tx_error(
				r, NULL,
				"the payload has the root as an image but not its /boot (boot.tar.zst, in %s); give the installer's medium, or --payload DIR",
				t->payload);
			return -ENOENT;
		}
		if (image && root) {
			tx_error(
				r, NULL,
				"the payload's root is an ext4 image, and the plan makes / %s; make it ext4 (logvol / ... --fstype=ext4, the default)",
				root->fstype);
			return -EINVAL;
		}
		tx_error(
			r, NULL,
			"the payload has no root: neither root.img.zst with root.img.map nor root.tar.zst (in %s); give the installer's medium, or --payload DIR",
			t->payload);
		return -ENOENT;
	}
	m = root_map(t, r);
	if (!m)
		return -EINVAL;
	room = planned_size(t->plan, root->device);
	if (room && room < m->size) {
		tx_error(r, NULL,
			 "/ on %s gets %" PRIu64 " MiB, and the dom0 root needs %" PRIu64
			 " MiB; give / more room (logvol / --size=)",
			 root->device, room >> 20, (m->size + (1u << 20) - 1) >> 20);
		image_map_free(m);
		return -ENOSPC;
	}
	tx_info(r, NULL,
		"the root will be written as an image: %" PRIu64 " MiB of ext4, grown to fill %s",
		m->used >> 20, root->device);
	image_map_free(m);
	return 0;
}

int target_write_root(const struct target_ctx *t, const struct op *op, struct tx_report *r)
{
	char *stream = xasprintf("%s/root.img.zst", t->payload);
	struct image_map *m = root_map(t, r);
	int rc = m ? image_write(stream, m, op->device, r) : -EINVAL;

	/* the filesystem fills its volume, and has an identity of its own */
	if (rc == 0) {
		const char *argv[] = {"resize2fs", "-f", op->device, NULL};

		rc = run_cmd(r, argv, NULL);
	}
	if (rc == 0) {
		const char *argv[] = {"tune2fs", "-U", "random", "-L", "root", op->device, NULL};

		rc = run_cmd(r, argv, NULL);
	}
	image_map_free(m);
	free(stream);
	return rc;
}

int target_check_payload(const struct target_ctx *t, struct tx_report *r)
{
	char *layer;
	int rc = check_root(t, r);

	if (!payload_has(t, "tenxen.tar.zst")) {
		tx_error(
			r, NULL,
			"the payload has no tenxen.tar.zst (in %s); give the installer's medium, or --payload DIR",
			t->payload);
		rc = -ENOENT;
	}
	layer = target_sets_layer(t);
	if (layer) {
		struct strv gone = {0};

		if (layer_removals(layer, t->target, &gone, r) < 0)
			rc = -EINVAL;
		else
			tx_info(r, NULL,
				"the package sets will come with the root: prebuilt layer %s",
				layer);
		strv_free(&gone);
		free(layer);
	}
	for (size_t i = 0; i < t->plan->nops; i++) {
		const struct op *op = &t->plan->ops[i];
		char *sets = xasprintf("%s/package-sets", t->payload);
		char *index = xasprintf("%s/repo/Packages.gz", t->payload);

		if (op->kind == OP_PACKAGES) {
			if (access(index, R_OK) < 0) {
				tx_error(r, NULL, "the payload has no package repository (%s)",
					 index);
				rc = -ENOENT;
			}
			for (size_t k = 0; k < op->members.n; k++) {
				struct strv pk = {0};

				if (op->members.v[k][0] == '@' &&
				    package_set_members(sets, op->members.v[k] + 1, &pk, r) < 0)
					rc = -ENOENT;
				strv_free(&pk);
			}
		}
		free(sets);
		free(index);
	}
	return rc;
}

char *target_sets_layer(const struct target_ctx *t)
{
	struct strv sets = {0};
	char *name, *path = NULL;

	for (size_t i = 0; i < t->plan->nops; i++) {
		const struct op *op = &t->plan->ops[i];

		if (op->kind != OP_PACKAGES)
			continue;
		for (size_t k = 0; k < op->members.n; k++)
			if (op->members.v[k][0] == '@' &&
			    !strv_contains(&sets, op->members.v[k] + 1))
				strv_push(&sets, op->members.v[k] + 1);
	}
	if (sets.n == 0)
		return NULL;
	strv_sort(&sets);
	name = strv_join(&sets, "+");
	path = xasprintf("%s/layers/%s.tar.zst", t->payload, name);
	if (access(path, R_OK) < 0) {
		free(path);
		path = NULL;
	}
	free(name);
	strv_free(&sets);
	return path;
}

/* A path of a layer's list of removals: relative, and never out of the target. */
static bool safe_relative(const char *p)
{
	const char *c = p;

	if (!*p || p[0] == '/')
		return false;
	while (c) {
		if (strncmp(c, "..", 2) == 0 && (c[2] == '/' || c[2] == '\0'))
			return false;
		c = strchr(c, '/');
		c = c ? c + 1 : NULL;
	}
	return true;
}

/*
 * The prebuilt layer's list of what installing its sets removed (LAYER without .tar.zst, plus
 * .removed), read and checked whole: into gone as paths under target. 0 or -errno, said.
 */
static int layer_removals(const char *layer, const char *target, struct strv *gone,
			  struct tx_report *r)
{
	char *list = xasprintf("%.*s.removed", (int)(strlen(layer) - strlen(".tar.zst")), layer);
	char *text = NULL, *save = NULL;
	int rc = read_file(list, &text, NULL), line = 0;

	if (rc < 0)
		tx_error(
			r, NULL,
			"the prebuilt layer %s has no list of removals (%s: %s); the medium is incomplete",
			layer, list, strerror(-rc));
	for (char *l = rc == 0 ? strtok_r(text, "\n", &save) : NULL; l && rc == 0;
	     l = strtok_r(NULL, "\n", &save)) {
		line++;
		if (!safe_relative(l)) {
			tx_error(
				r, NULL,
				"%s:%d: \"%s\" is not a path inside the root; the medium is damaged",
				list, line, l);
			rc = -EINVAL;
		} else {
			strv_push_owned(gone, xasprintf("%s/%s", target, l));
		}
	}
	free(text);
	free(list);
	return rc;
}

/* The package sets' prebuilt layer (iso/layers.sh): first its removals, then what it wrote. */
static int unpack_layer(const struct target_ctx *t, const char *layer, struct tx_report *r)
{
	struct strv gone = {0};
	int rc = layer_removals(layer, t->target, &gone, r);

	for (size_t i = 0; i < gone.n && rc == 0; i++) {
		const char *argv[] = {"rm", "-rf", "--one-file-system", "--", gone.v[i], NULL};

		rc = run_quiet(r, argv, NULL);
	}
	if (rc == 0)
		rc = untar(layer, t->target, r);
	if (rc == 0)
		tx_info(r, NULL,
			"the package sets came with the root: their prebuilt layer %s (%zu removals)",
			layer, gone.n);
	strv_free(&gone);
	return rc;
}

static bool has_keygen(const struct target_ctx *t)
{
	char *keygen = xasprintf("%s/usr/bin/ssh-keygen", t->target);
	bool yes = access(keygen, X_OK) == 0;

	free(keygen);
	return yes;
}

int target_unpack(const struct target_ctx *t, struct tx_report *r)
{
	bool image = target_root_from_image(t);
	/* a root written as an image is there already (target_write_root), all but its /boot */
	char *root = xasprintf("%s/%s", t->payload, image ? "boot.tar.zst" : "root.tar.zst");
	char *boot = xasprintf("%s/boot", t->target);
	char *own = xasprintf("%s/tenxen.tar.zst", t->payload);
	char *layer = target_sets_layer(t);
	struct run_job boot_job = {0};
	/* /boot, a filesystem of its own, is unpacked beside the layers, on the other CPU */
	int rc = image ? untar_job(root, boot, &boot_job, r) : untar(root, t->target, r);

	if (rc == 0 && layer)
		rc = unpack_layer(t, layer, r);
	if (rc == 0)
		rc = untar(own, t->target, r);
	if (rc == 0)
		rc = run_wait(r, &boot_job);
	run_stop(&boot_job);
	free(layer);
	free(root);
	free(boot);
	free(own);
	return rc;
}

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
static const char *nic_mac(const struct target_ctx *t, const struct spec_network *n)
{
	if (n->device && startswith(n->device, "mac:"))
		return n->device + 4;
	for (size_t i = 0; i < t->machine->nnics; i++)
		if (!n->device || streq(t->machine->nics[i].name, n->device))
			return t->machine->nics[i].mac;
	return NULL;
}

/*
 * The network: each card is pinned by its MAC address to the name lanN (a systemd .link file),
 * so that the name is the same whatever the kernel or the slot calls it; lanN is the one port of
 * the bridge xenbrN that guests join, and the bridge carries the host's address.
 */
static int configure_network(const struct target_ctx *t, struct tx_report *r)
{
	const struct spec *s = t->spec;
	struct strv ifs = {0};
	int rc = 0;

	strv_push(&ifs, "# The network of this Xen host, written by Tenxen. Guests join xenbr0.\n"
			"source /etc/network/interfaces.d/*\n\n"
			"auto lo\niface lo inet loopback\n");
	for (size_t i = 0; i < s->nnets && rc == 0; i++) {
		const struct spec_network *n = &s->nets[i];
		const char *mac = nic_mac(t, n);
		char *port, *rel, *text;

		if (mac) {
			port = xasprintf("lan%zu", i);
			rel = xasprintf("etc/systemd/network/10-tenxen-lan%zu.link", i);
			text = xasprintf("# Written by Tenxen: the card of network line %zu keeps "
					 "one name.\n[Match]\nMACAddress=%s\n\n[Link]\nName=%s\n",
					 i + 1, mac, port);
			rc = put_file(t->target, rel, text, 0644, r);
			free(rel);
			free(text);
		} else {
			port = xstrdup(n->device ? n->device : "eth0");
		}
		if (n->dhcp)
			strv_push_owned(&ifs, xasprintf("auto xenbr%zu\niface xenbr%zu inet dhcp\n"
							"\tbridge_ports %s\n\tbridge_stp off\n"
							"\tbridge_fd 0\n",
							i, i, port));
		else {
			struct strv ns = {0};
			char *dns;

			for (size_t k = 0; k < n->nameservers.n; k++)
				strv_push(&ns, n->nameservers.v[k]);
			dns = strv_join(&ns, " ");
			strv_push_owned(
				&ifs,
				xasprintf("auto xenbr%zu\niface xenbr%zu inet static\n"
					  "\taddress %s/%d\n%s%s%s\tbridge_ports %s\n"
					  "\tbridge_stp off\n\tbridge_fd 0\n%s%s%s",
					  i, i, n->ip, n->prefix, n->gateway ? "\tgateway " : "",
					  n->gateway ? n->gateway : "", n->gateway ? "\n" : "",
					  port, ns.n ? "\tdns-nameservers " : "", ns.n ? dns : "",
					  ns.n ? "\n" : ""));
			if (ns.n && rc == 0) {
				struct strv rv = {0};
				char *body;

				for (size_t k = 0; k < ns.n; k++)
					strv_push_owned(&rv, xasprintf("nameserver %s", ns.v[k]));
				body = strv_join(&rv, "\n");
				text = xasprintf("%s\n", body);
				rc = put_file(t->target, "etc/resolv.conf", text, 0644, r);
				free(body);
				free(text);
				strv_free(&rv);
			}
			free(dns);
			strv_free(&ns);
		}
		free(port);
	}
	if (rc == 0) {
		char *body = strv_join(&ifs, "\n");

		rc = put_file(t->target, "etc/network/interfaces", body, 0644, r);
		free(body);
	}
	strv_free(&ifs);
	return rc;
}

static int configure_hostname(const struct target_ctx *t, struct tx_report *r)
{
	const char *name = NULL;
	char *text, *shortname;
	int rc;

	for (size_t i = 0; i < t->spec->nnets; i++)
		if (t->spec->nets[i].hostname)
			name = t->spec->nets[i].hostname;
	if (!name)
		name = "xenhost";
	shortname = xstrdup(name);
	shortname[strcspn(shortname, ".")] = '\0';
	text = xasprintf("%s\n", shortname);
	rc = put_file(t->target, "etc/hostname", text, 0644, r);
	free(text);
	if (rc == 0) {
		text = xasprintf("127.0.0.1\tlocalhost\n127.0.1.1\t%s%s%s\n\n"
				 "::1\tlocalhost ip6-localhost ip6-loopback\n"
				 "ff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n",
				 name, streq(name, shortname) ? "" : "\t",
				 streq(name, shortname) ? "" : shortname);
		rc = put_file(t->target, "etc/hosts", text, 0644, r);
		free(text);
	}
	free(shortname);
	return rc;
}

static int configure_timezone(const struct target_ctx *t, struct tx_report *r)
{
	const struct spec *s = t->spec;
	char *zone = xasprintf("%s/usr/share/zoneinfo/%s", t->target, s->timezone);
	char *link = xasprintf("%s/etc/localtime", t->target), *text;
	char *dest = xasprintf("/usr/share/zoneinfo/%s", s->timezone);
	int rc = 0;

	if (access(zone, R_OK) < 0) {
		tx_error(r, &s->tz_loc, "the time zone %s is not in the installed system's tzdata",
			 s->timezone);
		rc = -ENOENT;
	} else {
		unlink(link);
		if (symlink(dest, link) < 0) {
			rc = -errno;
			tx_error(r, NULL, "cannot link %s to %s: %s", link, dest, strerror(errno));
		}
	}
	if (rc == 0) {
		text = xasprintf("%s\n", s->timezone);
		rc = put_file(t->target, "etc/timezone", text, 0644, r);
		free(text);
	}
	if (rc == 0)
		rc = put_file(t->target, "etc/adjtime",
			      s->tz_utc ? "0.0 0 0.0\n0\nUTC\n" : "0.0 0 0.0\n0\nLOCAL\n", 0644, r);
	free(zone);
	free(link);
	free(dest);
	return rc;
}

static int configure_keyboard(const struct target_ctx *t, struct tx_report *r)
{
	const struct spec *s = t->spec;
	char *text = xasprintf("# Keyboard of this host, written by Tenxen (see keyboard(5)).\n"
			       "XKBMODEL=\"%s\"\nXKBLAYOUT=\"%s\"\nXKBVARIANT=\"%s\"\n"
			       "XKBOPTIONS=\"\"\nBACKSPACE=\"guess\"\n",
			       s->kbd_model ? s->kbd_model : "pc105", s->kbd_layout,
			       s->kbd_variant ? s->kbd_variant : "");
	int rc = put_file(t->target, "etc/default/keyboard", text, 0644, r);

	free(text);
	return rc;
}

/* root's password field in /etc/shadow: the hash, or "!" (locked), or "*" (no password). */
static int configure_root(const struct target_ctx *t, struct tx_report *r)
{
	const struct spec *s = t->spec;
	char *path = xasprintf("%s/etc/shadow", t->target), *text = NULL, *save = NULL;
	const char *pw = s->rootpw_lock ? "!" : s->rootpw_hash ? s->rootpw_hash : "*";
	struct strv out = {0};
	bool found = false;
	size_t tlen = 0;
	int rc = read_file(path, &text, &tlen);

	if (rc < 0) {
		tx_error(r, NULL, "cannot read %s: %s", path, strerror(-rc));
		free(path);
		return rc;
	}
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *c1 = strchr(l, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;

		if (startswith(l, "root:") && c2) {
			strv_push_owned(&out, xasprintf("root:%s%s", pw, c2));
			found = true;
		} else {
			strv_push(&out, l);
		}
	}
	if (!found)
		strv_push_owned(&out, xasprintf("root:%s:20000:0:99999:7:::", pw));
	{
		char *body = strv_join(&out, "\n"), *all = xasprintf("%s\n", body);

		rc = atomic_write_file(r, path, all, strlen(all), 0640, false);
		explicit_bzero(all, strlen(all));
		explicit_bzero(body, strlen(body));
		free(all);
		free(body);
	}
	/* /etc/shadow belongs to the group shadow, by the installed system's number for it */
	if (rc == 0) {
		char *grp = xasprintf("%s/etc/group", t->target), *gt = NULL, *gs = NULL;

		if (read_file(grp, &gt, NULL) == 0)
			for (char *l = strtok_r(gt, "\n", &gs); l; l = strtok_r(NULL, "\n", &gs))
				if (startswith(l, "shadow:")) {
					char *g3 = strchr(l + 7, ':');

					if (g3 && chown(path, 0, (gid_t)atoi(g3 + 1)) < 0)
						tx_warn(r, NULL, "cannot give %s to group shadow",
							path);
				}
		free(gt);
		free(grp);
	}
	explicit_bzero(text, tlen);
	free(text);
	strv_free(&out);
	free(path);
	return rc;
}

static int configure_sshkeys(const struct target_ctx *t, struct tx_report *r)
{
	const struct spec *s = t->spec;
	struct strv users = {0};
	int rc = 0;

	for (size_t i = 0; i < s->nsshkeys; i++)
		if (!strv_contains(&users, s->sshkeys[i].user))
			strv_push(&users, s->sshkeys[i].user);
	for (size_t u = 0; u < users.n && rc == 0; u++) {
		struct strv keys = {0};
		char *home = streq(users.v[u], "root") ? xstrdup("root")
						       : xasprintf("home/%s", users.v[u]);
		char *rel = xasprintf("%s/.ssh/authorized_keys", home), *body, *text;
		char *dir = xasprintf("%s/%s/.ssh", t->target, home);

		for (size_t i = 0; i < s->nsshkeys; i++)
			if (streq(s->sshkeys[i].user, users.v[u]))
				strv_push(&keys, s->sshkeys[i].key);
		body = strv_join(&keys, "\n");
		text = xasprintf("%s\n", body);
		rc = put_file(t->target, rel, text, 0600, r);
		if (rc == 0 && chmod(dir, 0700) < 0)
			rc = -errno;
		free(body);
		free(text);
		free(rel);
		free(dir);
		free(home);
		strv_free(&keys);
	}
	strv_free(&users);
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

/*
 * The host's own ssh host keys (the payload carries none). Ed25519 and ECDSA keys take a moment
 * and are made now. An RSA key takes seconds of arithmetic (up to half a minute in an emulator),
 * which the install would only wait for: the host makes it on its first boot, before sshd starts
 * (ssh-keygen -A makes whichever keys are missing).
 */
static const char ssh_keys_unit[] =
	"# Written by Tenxen: the ssh host keys this host does not have yet, made before sshd\n"
	"# starts; the install made Ed25519 and ECDSA keys, this makes the RSA key once.\n"
	"[Unit]\n"
	"Description=Make the ssh host keys this host lacks\n"
	"ConditionPathExists=!/etc/ssh/ssh_host_rsa_key\n"
	"Before=ssh.service\n"
	"\n"
	"[Service]\n"
	"Type=oneshot\n"
	"ExecStart=/usr/bin/ssh-keygen -A\n"
	"\n"
	"[Install]\n"
	"WantedBy=multi-user.target\n";

static int configure_hostkeys(const struct target_ctx *t, struct tx_report *r)
{
	static const char *const types[] = {"ed25519", "ecdsa"};
	const char *unit = "etc/systemd/system/tenxen-ssh-keys.service";
	char *link, *dir;
	int rc = 0;

	if (!has_keygen(t))
		return 0;
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
	if (rc == 0)
		rc = put_file(t->target, unit, ssh_keys_unit, 0644, r);
	if (rc < 0)
		return rc;
	dir = xasprintf("%s/etc/systemd/system/multi-user.target.wants", t->target);
	link = xasprintf("%s/tenxen-ssh-keys.service", dir);
	rc = mkdir_p(dir);
	unlink(link);
	if (rc == 0 && symlink("/etc/systemd/system/tenxen-ssh-keys.service", link) < 0)
		rc = -errno;
	if (rc < 0)
		tx_error(r, NULL, "cannot enable %s: %s", unit, strerror(-rc));
	free(dir);
	free(link);
	return rc;
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

/* The guest templates, where guests go (guests.conf), and xen-tools pointed at the same group. */
static int configure_guests(const struct target_ctx *t, struct tx_report *r)
{
	struct guest_host h = {0};
	const char *vg, *bridge;
	char *from = xasprintf("%s/usr/share/tenxen/templates", t->target);
	char *to = xasprintf("%s/etc/tenxen/templates", t->target), *text;
	struct strv names = {0};
	int rc;

	spec_guests(t->spec, &vg, &h.mirrors, &bridge);
	rc = guest_template_names(from, &names);
	if (rc < 0 || names.n == 0)
		tx_error(
			r, NULL,
			"the target has no guest templates in %s; the payload's tenxen layer is incomplete",
			from);
	else
		rc = mkdir_p(to);
	for (size_t i = 0; rc == 0 && i < names.n; i++) {
		char *src = xasprintf("%s/%s.tmpl", from, names.v[i]), *body = NULL;
		char *rel = xasprintf("etc/tenxen/templates/%s.tmpl", names.v[i]);
		size_t len;

		rc = read_file(src, &body, &len);
		if (rc < 0)
			tx_error(r, NULL, "cannot read %s: %s", src, strerror(-rc));
		else
			rc = put_file(t->target, rel, body, 0644, r);
		free(body);
		free(src);
		free(rel);
	}
	if (rc == 0 && vg) {
		h.vg = (char *)vg;
		h.bridge = (char *)bridge;
		text = guest_host_text(&h);
		rc = put_file(t->target, "etc/tenxen/guests.conf", text, 0644, r);
		free(text);
		if (rc == 0)
			rc = xen_tools_vg(t, vg, r);
	}
	strv_free(&names);
	free(from);
	free(to);
	return rc < 0 ? rc : 0;
}

int target_configure(const struct target_ctx *t, const struct op *op, struct tx_report *r)
{
	static bool keys_done;
	int rc;

	if (streq(op->name, "network"))
		return configure_network(t, r);
	if (streq(op->name, "hostname"))
		return configure_hostname(t, r);
	if (streq(op->name, "timezone"))
		return configure_timezone(t, r);
	if (streq(op->name, "keyboard"))
		return configure_keyboard(t, r);
	if (streq(op->name, "root")) {
		rc = configure_root(t, r);
		if (rc == 0 && !keys_done) {
			rc = configure_hostkeys(t, r);
			keys_done = true;
		}
		return rc;
	}
	if (streq(op->name, "ssh keys"))
		return configure_sshkeys(t, r);
	if (streq(op->name, "console"))
		return configure_console(t, r);
	if (streq(op->name, "guests"))
		return configure_guests(t, r);
	tx_error(r, NULL, "tenxen does not know how to configure %s", op->name);
	return -ENOTSUP;
}

static int write_extlinux_conf(const struct target_ctx *t, struct tx_report *r)
{
	const struct spec *s = t->spec;
	char *boot = xasprintf("%s/boot", t->target), *xen = NULL, *kernel = NULL, *initrd = NULL;
	char *vcpus = NULL, *root_dev = NULL, *text = NULL;
	const struct spec_logvol *root = spec_root_lv(s);
	struct serial_console sc = {.port = s->console.port, .speed = s->console.speed};
	int rc = bootcfg_newest(boot, &xen, &kernel, &initrd, r);

	if (rc == 0) {
		if (s->xen.vcpus_min)
			vcpus = xasprintf("%d-%d", s->xen.vcpus_min, s->xen.vcpus_max);
		else if (s->xen.vcpus_max)
			vcpus = xasprintf("%d", s->xen.vcpus_max);
		root_dev = xasprintf("/dev/mapper/%s-%s", root->vg, root->name);
		{
			/* /boot is a filesystem of its own when the plan makes one */
			bool own_boot = false;

			for (size_t i = 0; i < t->plan->nops; i++)
				own_boot |= t->plan->ops[i].kind == OP_MKFS &&
					    streq(t->plan->ops[i].mountpoint, "/boot");
			struct fresh_config f = {
				.xen = xen,
				.kernel = kernel,
				.initrd = initrd,
				.prefix = own_boot ? "/" : "/boot/",
				.dom0_mem = t->plan->dom0_mem,
				.dom0_vcpus = vcpus,
				.vpmu = s->xen.vpmu,
				.xen_append = s->xen.append,
				.root_dev = root_dev,
				.serial = s->console.kind == CONSOLE_SERIAL ? &sc : NULL,
				.timeout = s->bootloader.timeout,
			};

			text = bootcfg_fresh(&f, r);
		}
		rc = text ? put_file(t->target, "boot/extlinux/extlinux.conf", text, 0644, r)
			  : -EINVAL;
	}
	free(boot);
	free(xen);
	free(kernel);
	free(initrd);
	free(vcpus);
	free(root_dev);
	free(text);
	return rc;
}

int target_bootloader(const struct target_ctx *t, const struct op *op, struct tx_report *r)
{
	struct syslinux_files f;
	struct boot_disk d = {.disk = op->device, .partno = op->partno};
	char *boot, *mbr, *mods;
	bool first = true;
	int rc;

	if (streq(op->name, "config"))
		return write_extlinux_conf(t, r);
	/* extlinux from the installer, its boot code and modules from the installed system, so
	 * that a later `tenxen bootcfg install` on the host writes the same files */
	syslinux_files_default(&f);
	f.mbr_dir = mbr = xasprintf("%s/usr/lib/syslinux/mbr", t->target);
	f.modules_dir = mods = xasprintf("%s/usr/lib/syslinux/modules/bios", t->target);
	boot = xasprintf("%s/boot", t->target);
	/* one /boot for every boot disk (RAID1 when there are more): extlinux goes into it once,
	 * with the first disk; the others get their boot code */
	for (const struct op *o = t->plan->ops; o < op; o++)
		if (o->kind == OP_BOOTLOADER && streq(o->name, "install"))
			first = false;
	if (first)
		rc = bootloader_install(boot, &d, 1, &f, r);
	else
		rc = bootloader_install_disks(&d, 1, &f, r);
	free(boot);
	free(mbr);
	free(mods);
	return rc;
}

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
int target_packages(const struct target_ctx *t, const struct op *op, struct tx_report *r)
{
	char *sets = xasprintf("%s/package-sets", t->payload);
	char *repo = xasprintf("%s/repo", t->payload);
	char *bind = xasprintf("%s/run/tenxen-repo", t->target);
	char *policy = xasprintf("%s/usr/sbin/policy-rc.d", t->target);
	char *ramconf = xasprintf("%s/" RAMCONF, t->target), *ramconf_text = NULL;
	struct strv pkgs = {0}, argv = {0};
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
		rc = put_file(t->target, "run/tenxen-apt/sources.list",
			      "deb [trusted=yes] file:/run/tenxen-repo ./\n", 0644, r);
	if (rc == 0)
		rc = put_file(t->target, "usr/sbin/policy-rc.d", "#!/bin/sh\nexit 101\n", 0755, r);
	/* dpkg triggers would rebuild the initramfs once per trigger: defer it, decide after */
	if (rc == 0 && read_file(ramconf, &ramconf_text, NULL) == 0)
		rc = put_file(t->target, RAMCONF, "update_initramfs=no\n", 0644, r);
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
	if (rc == 0) {
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
			for (size_t i = 0; i < pkgs.n; i++)
				strv_push(&argv, pkgs.v[i]);
			rc = run_cmd(r, (const char *const *)argv.v, NULL);
			if (rc < 0)
				tx_error(
					r, NULL,
					"the packages could not be installed from the installer's repository (the log has apt's words); a package named with --packages must be on the medium");
		}
	}
	if (ramconf_text) {
		int rc2 = put_file(t->target, RAMCONF, ramconf_text, 0644, r);

		rc = rc < 0 ? rc : rc2;
		free(ramconf_text);
	}
	if (rc == 0)
		rc = initramfs_if_needed(t, r);
	if (entered)
		target_chroot_leave(t->target);
	if (bound)
		umount2(bind, MNT_DETACH);
	unlink(policy);
	{
		char *apt = xasprintf("%s/run/tenxen-apt", t->target);
		const char *rm[] = {"rm", "-rf", apt, NULL};

		run_quiet(r, rm, NULL);
		rmdir(bind);
		free(apt);
	}
out:
	strv_free(&argv);
	strv_free(&pkgs);
	free(sets);
	free(repo);
	free(bind);
	free(policy);
	free(ramconf);
	return rc;
}

int target_script(const struct target_ctx *t, const struct spec_script *sc, struct tx_report *r)
{
	bool chrooted = sc->kind == SCRIPT_POST && !sc->nochroot;
	char *dir = chrooted ? xasprintf("%s/tmp", t->target) : xstrdup("/tmp");
	char *path = xasprintf("%s/tenxen-script-XXXXXX", dir);
	const char *inside;
	int fd, rc;

	mkdir_p(dir);
	fd = mkstemp(path);
	if (fd < 0 || write(fd, sc->body, strlen(sc->body)) < 0) {
		tx_error(r, NULL, "cannot write the script of %s:%d to %s", sc->loc.file,
			 sc->loc.line, dir);
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

static char *redacted_spec(const struct spec *s)
{
	char *buf = NULL, *save = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct strv out = {0};
	char *joined;

	spec_write_canonical(s, f);
	fclose(f);
	for (char *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		strv_push(&out, startswith(l, "rootpw --iscrypted")
					? "# rootpw: set at install time; the hash is not kept here"
					: l);
	explicit_bzero(buf, len);
	free(buf);
	joined = strv_join(&out, "\n");
	strv_free(&out);
	buf = xasprintf("%s\n", joined);
	free(joined);
	return buf;
}

int target_keep_record(const struct target_ctx *t, const char *log_path, struct tx_report *r)
{
	char *spec = redacted_spec(t->spec), *log = NULL;
	char *dir = xasprintf("%s/var/log/tenxen", t->target);
	int rc = put_file(t->target, "var/log/tenxen/answers.ks", spec, 0600, r);

	if (rc == 0 && t->answers_copy)
		rc = put_file(t->target, "root/tenxen-answers.ks", t->answers_copy, 0600, r);

	if (rc == 0 && log_path) {
		if (r->log)
			fflush(r->log);
		if (read_file(log_path, &log, NULL) == 0)
			rc = put_file(t->target, "var/log/tenxen/install.log", log, 0600, r);
	}
	if (rc == 0)
		chmod(dir, 0700);
	free(log);
	free(dir);
	free(spec);
	return rc;
}

void target_mounts(const char *target, struct strv *out)
{
	char *mounts = NULL, *save = NULL;
	size_t n = strlen(target);

	if (read_file("/proc/self/mounts", &mounts, NULL) < 0)
		return;
	for (char *l = strtok_r(mounts, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char src[512], dst[512];

		/* the target itself and what is below it; not /target2 */
		if (sscanf(l, "%511s %511s", src, dst) == 2 && strncmp(dst, target, n) == 0 &&
		    (dst[n] == '\0' || dst[n] == '/'))
			strv_push(out, dst);
	}
	free(mounts);
}

int target_release(const char *target, struct tx_report *r)
{
	struct strv under = {0};
	int rc = 0;

	sync();
	target_mounts(target, &under);
	for (size_t i = under.n; i-- > 0;)
		if (umount2(under.v[i], 0) < 0) {
			tx_error(r, NULL, "cannot unmount %s: %s", under.v[i], strerror(errno));
			rc = -errno;
		}
	strv_free(&under);
	return rc;
}
