// SPDX-License-Identifier: GPL-2.0-or-later
/* The payload onto the target: checked before any disk is touched, the root image or tarball,
 * the prebuilt layers and tenxen's own layer. */
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

/* Write TARGET/rel atomically (its folder made first), no backup: the file is new on this host. */
int target_put_file(const char *target, const char *rel, const char *text, mode_t mode,
		    struct tx_report *r)
{
	char *path = xasprintf("%s/%s", target, rel);
	int rc = target_put_path(path, text, mode, r);

	free(path);
	return rc;
}

int target_put_path(const char *path, const char *text, mode_t mode, struct tx_report *r)
{
	char *dir = dir_of(path);
	int rc = mkdir_p(dir);

	if (rc < 0)
		tx_error(r, NULL, "cannot create %s: %s", dir, strerror(-rc));
	else
		rc = atomic_write_file(r, path, text, strlen(text), mode, false);
	free(dir);
	return rc;
}

/*
 * Records of 1 MiB rather than tar's 10 KiB: tar reads its archive and writes each file's data
 * a record at a time, and those many small reads and writes were nearly a third of the root's
 * unpack in the test VM (18.5 s -> 13.2 s). --read-full-records takes the short last record.
 * With job, tar runs beside the caller (run_wait); else to its end.
 */
int target_untar_job(const char *file, const char *target, struct run_job *job, struct tx_report *r)
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

int target_untar(const char *file, const char *target, struct tx_report *r)
{
	return target_untar_job(file, target, NULL, r);
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

bool target_payload_has(const struct target_ctx *t, const char *name)
{
	char *f;
	bool yes;

	if (t->remote)
		return payload_remote_find(t->remote, name) != NULL;
	f = xasprintf("%s/%s", t->payload, name);
	yes = access(f, R_OK) == 0;
	free(f);
	return yes;
}

/* Where the large files of a payload read over HTTP are put, inside the target. */
static char *staging(const struct target_ctx *t)
{
	return xasprintf("%s/var/tmp/tenxen-payload", t->target);
}

int target_payload_get(const struct target_ctx *t, const char *rel, char **local,
		       struct tx_report *r)
{
	char *dir;
	int rc;

	if (!t->remote || payload_remote_cached(t->remote, rel)) {
		*local = xasprintf("%s/%s", t->payload, rel);
		return 0;
	}
	dir = staging(t);
	*local = xasprintf("%s/%s", dir, rel);
	free(dir);
	rc = payload_remote_fetch(t->remote, rel, *local, r);
	if (rc < 0) {
		free(*local);
		*local = NULL;
	}
	return rc;
}

void target_payload_drop(const struct target_ctx *t, const char *local)
{
	char *dir = staging(t);

	if (t->remote && local && startswith(local, dir))
		unlink(local);
	free(dir);
}

int target_payload_folder(const struct target_ctx *t, const char *rel, char **local,
			  struct tx_report *r)
{
	struct strv names = {0};
	char *pattern, *dir;
	int rc = 0;

	if (!t->remote) {
		*local = xasprintf("%s/%s", t->payload, rel);
		return 0;
	}
	dir = staging(t);
	*local = xasprintf("%s/%s", dir, rel);
	pattern = xasprintf("%s/*", rel);
	payload_remote_glob(t->remote, pattern, &names);
	for (size_t i = 0; i < names.n && rc == 0; i++) {
		char *dest = xasprintf("%s/%s", dir, names.v[i]);

		if (payload_remote_cached(t->remote, names.v[i])) {
			char *src = xasprintf("%s/%s", t->payload, names.v[i]);
			const char *cp[] = {"cp", "--", src, dest, NULL};

			rc = mkdir_p(*local);
			if (rc == 0)
				rc = run_quiet(r, cp, NULL);
			free(src);
		} else {
			rc = payload_remote_fetch(t->remote, names.v[i], dest, r);
		}
		free(dest);
	}
	if (rc < 0) {
		target_payload_drop_folder(t, *local, r);
		free(*local);
		*local = NULL;
	}
	strv_free(&names);
	free(pattern);
	free(dir);
	return rc;
}

void target_payload_drop_folder(const struct target_ctx *t, const char *local, struct tx_report *r)
{
	char *dir = staging(t);

	if (t->remote && local && startswith(local, dir)) {
		const char *argv[] = {"rm", "-rf", "--one-file-system", "--", local, NULL};

		run_quiet(r, argv, NULL);
	}
	free(dir);
}

/* The root image's bytes over HTTP, for image_write_from. */
static int remote_read(void *ctx, uint64_t offset, uint64_t length, image_give give, void *arg,
		       char **why)
{
	const struct target_ctx *t = ctx;

	return payload_remote_read(t->remote, "root.img.zst", offset, length, give, arg, why);
}

bool target_root_from_image(const struct target_ctx *t)
{
	const struct op *root = root_mkfs(t->plan);

	return t->payload && root && streq(root->fstype, "ext4") &&
	       target_payload_has(t, "root.img.zst") && target_payload_has(t, "root.img.map") &&
	       target_payload_has(t, "boot.tar.zst");
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

/* Where the payload is, for messages: its URL, or its folder. */
static const char *where(const struct target_ctx *t)
{
	return t->remote ? t->remote->url : t->payload;
}

/* The root comes as an ext4 image (root.img.zst) or as a tarball (root.tar.zst). */
static int check_root(const struct target_ctx *t, struct tx_report *r)
{
	const struct op *root = root_mkfs(t->plan);
	struct image_map *m;
	uint64_t room;

	if (!target_root_from_image(t)) {
		bool image = target_payload_has(t, "root.img.zst") &&
			     target_payload_has(t, "root.img.map");

		if (target_payload_has(t, "root.tar.zst"))
			return 0;
		if (image && !target_payload_has(t, "boot.tar.zst")) {
			tx_error(
				r, NULL,
				"the payload has the root as an image but not its /boot (boot.tar.zst, in %s); give the installer's medium, or --payload DIR",
				where(t));
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
			where(t));
		return -ENOENT;
	}
	m = root_map(t, r);
	if (!m)
		return -EINVAL;
	if (t->remote && !image_map_digested(m)) {
		tx_error(
			r, NULL,
			"the root image's map (%sroot.img.map) gives no SHA-256 of its frames, and a root read over HTTP is written only frame by frame checked; build the payload again with this release (make netboot)",
			t->remote->url);
		image_map_free(m);
		return -EINVAL;
	}
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
	char *stream = t->remote ? xasprintf("%sroot.img.zst", t->remote->url)
				 : xasprintf("%s/root.img.zst", t->payload);
	struct image_map *m = root_map(t, r);
	const struct payload_file *f =
		t->remote ? payload_remote_find(t->remote, "root.img.zst") : NULL;
	const struct image_source src = {stream, f ? f->size : 0, remote_read, (void *)t};
	int rc = !m	     ? -EINVAL
		 : t->remote ? image_write_from(&src, m, op->device, r)
			     : image_write(stream, m, op->device, r);

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

char *target_own_package(const struct target_ctx *t, struct tx_report *r)
{
	char *pattern = xasprintf("%s/repo/tenxen_*.deb", t->payload), *found = NULL;
	struct strv names = {0};
	glob_t g = {0};

	if (t->remote) {
		free(pattern);
		pattern = xasprintf("%srepo/tenxen_*.deb", t->remote->url);
		payload_remote_glob(t->remote, "repo/tenxen_*.deb", &names);
	} else if (glob(pattern, 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++)
			strv_push(&names, g.gl_pathv[i] + strlen(t->payload) + 1);
	}
	if (names.n == 0)
		tx_error(
			r, NULL,
			"the payload has no tenxen package (%s); give the installer's medium, or --payload DIR",
			pattern);
	else if (names.n > 1)
		tx_error(
			r, NULL,
			"the payload's repository holds %zu tenxen packages (%s/%s, %s/%s...); keep one",
			names.n, t->payload, names.v[0], t->payload, names.v[1]);
	else
		found = xstrdup(names.v[0]);
	strv_free(&names);
	globfree(&g);
	free(pattern);
	return found;
}

/*
 * A payload over HTTP: the large files this install will read are on the server at the
 * manifest's sizes (the small ones were fetched and checked when it was opened).
 */
static int check_remote(const struct target_ctx *t, const char *own, const char *layer,
			struct tx_report *r)
{
	struct strv names = {0};
	int rc = 0;

	if (target_root_from_image(t)) {
		strv_push(&names, "root.img.zst");
		strv_push(&names, "boot.tar.zst");
	} else if (target_payload_has(t, "root.tar.zst")) {
		strv_push(&names, "root.tar.zst");
	}
	if (own)
		strv_push(&names, own);
	if (layer)
		strv_push(&names, layer + strlen(t->payload) + 1);
	for (size_t i = 0; i < names.n; i++)
		if (payload_remote_check(t->remote, names.v[i], r) < 0)
			rc = -EIO;
	if (rc == 0)
		tx_info(r, NULL,
			"the payload's large files are on the server at their sizes: %zu checked",
			names.n);
	strv_free(&names);
	return rc;
}

int target_check_payload(const struct target_ctx *t, struct tx_report *r)
{
	char *layer, *own;
	int rc = check_root(t, r);

	own = target_own_package(t, r);
	if (!own)
		rc = -ENOENT;
	layer = target_sets_layer(t);
	if (t->remote && rc == 0 && check_remote(t, own, layer, r) < 0)
		rc = -EIO;
	free(own);
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
				tx_error(
					r, NULL,
					"the payload has no package repository (%s%srepo/Packages.gz)",
					where(t), t->remote ? "" : "/");
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
	if (!target_payload_has(t, path + strlen(t->payload) + 1)) {
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
	char *local = NULL;
	int rc = layer_removals(layer, t->target, &gone, r);

	/* fetched (over HTTP) before anything is removed */
	if (rc == 0)
		rc = target_payload_get(t, layer + strlen(t->payload) + 1, &local, r);
	for (size_t i = 0; i < gone.n && rc == 0; i++) {
		const char *argv[] = {"rm", "-rf", "--one-file-system", "--", gone.v[i], NULL};

		rc = run_quiet(r, argv, NULL);
	}
	if (rc == 0)
		rc = target_untar(local, t->target, r);
	target_payload_drop(t, local);
	free(local);
	if (rc == 0)
		tx_info(r, NULL,
			"the package sets came with the root: their prebuilt layer %s (%zu removals)",
			layer, gone.n);
	strv_free(&gone);
	return rc;
}

int target_unpack(const struct target_ctx *t, struct tx_report *r)
{
	bool image = target_root_from_image(t);
	/* a root written as an image is there already (target_write_root), all but its /boot */
	char *boot = xasprintf("%s/boot", t->target), *root = NULL;
	char *layer = target_sets_layer(t);
	struct run_job boot_job = {0};
	/* /boot, a filesystem of its own, is unpacked beside the layers, on the other CPU */
	int rc = target_payload_get(t, image ? "boot.tar.zst" : "root.tar.zst", &root, r);

	if (rc == 0)
		rc = image ? target_untar_job(root, boot, &boot_job, r)
			   : target_untar(root, t->target, r);
	if (rc == 0 && layer)
		rc = unpack_layer(t, layer, r);
	if (rc == 0)
		rc = run_wait(r, &boot_job);
	run_stop(&boot_job);
	target_payload_drop(t, root);
	free(layer);
	free(root);
	free(boot);
	return rc;
}
