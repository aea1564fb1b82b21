// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A reinstall's carried files: read from the old root (mounted read-only, with no journal
 * replayed), written as a tar archive onto a volume of their own in the kept group before
 * anything else is written, put into the new root once it is configured, and the volume
 * removed only when the whole install is done. A run that fails after the old root was
 * reformatted finds the volume on its next run and carries its files, not the new root's.
 */
#include "apply/target.h"
#include "common/rootfs.h"
#include "storage/lvm.h"

#include <blkid.h>
#include <errno.h>
#include <glob.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static bool is_block(const char *dev)
{
	struct stat st;

	return stat(dev, &st) == 0 && S_ISBLK(st.st_mode);
}

/* The archive on the volume reads whole (tar lists it without an error). */
static bool archive_whole(const char *dev, struct tx_report *r)
{
	const char *argv[] = {"tar", "-tf", dev, NULL};

	return run_quiet(r, argv, NULL) == 0;
}

/* The old root mounted read-only at a new folder under tmp (caller unmounts, removes). */
static char *mount_old_root(const char *dev, const char *tmp, struct tx_report *r)
{
	char *dir = xasprintf("%s/tenxen-oldroot-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	const char *type = NULL;
	blkid_probe pr = blkid_new_probe_from_filename(dev);
	char *fstype = NULL;
	int e = 0;

	if (pr && blkid_do_safeprobe(pr) == 0 &&
	    blkid_probe_lookup_value(pr, "TYPE", &type, NULL) == 0)
		fstype = xstrdup(type);
	if (pr)
		blkid_free_probe(pr);
	if (!fstype) {
		tx_error(
			r, NULL,
			"the old root %s holds no filesystem Tenxen can read, so its files cannot be carried over; write carryover --none to reinstall without them",
			dev);
		free(dir);
		return NULL;
	}
	if (!mkdtemp(dir)) {
		e = errno;
		tx_error(r, NULL, "cannot make a folder to read the old root in (%s): %s", dir,
			 strerror(e));
		free(dir);
		free(fstype);
		return NULL;
	}
	/* read-only, and no journal replayed: nothing of the old root is written */
	if (mount(dev, dir, fstype, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  startswith(fstype, "ext") ? "noload"
		  : streq(fstype, "xfs")    ? "norecovery"
					    : NULL) != 0) {
		e = errno;
		tx_error(
			r, NULL,
			"cannot mount the old root %s (%s) to read the files to carry over: %s; write carryover --none to reinstall without them",
			dev, fstype, strerror(e));
		rmdir(dir);
		free(dir);
		dir = NULL;
	}
	free(fstype);
	return dir;
}

/*
 * Each pattern's matches under the old root, as paths relative to it: the folder part resolved
 * inside the root (its links followed there, never out of it), the last part matched there. A
 * pattern that matches nothing is said, and is no error (a host may have no guests yet).
 */
void target_carry_expand(const char *root, const struct strv *patterns, struct strv *rel,
			 struct tx_report *r)
{
	for (size_t i = 0; i < patterns->n; i++) {
		char *copy = xstrdup(patterns->v[i]), *copy2 = xstrdup(patterns->v[i]);
		const char *dir = dirname(copy), *base = basename(copy2);
		char *real = NULL, *pat;
		glob_t g = {0};
		size_t rl = strlen(root);

		if (root_chase(root, dir, &real) < 0) {
			tx_info(r, NULL, "nothing to carry at %s on the old root", patterns->v[i]);
			free(copy);
			free(copy2);
			continue;
		}
		pat = xasprintf("%s/%s", real, base);
		if (glob(pat, GLOB_NOSORT, NULL, &g) != 0 || g.gl_pathc == 0) {
			tx_info(r, NULL, "nothing to carry at %s on the old root", patterns->v[i]);
		} else {
			for (size_t k = 0; k < g.gl_pathc; k++) {
				const char *m = g.gl_pathv[k], *last = strrchr(m, '/');

				/* ".*" matches "." and "..": the folder itself or its parent,
				 * which may be the old root's parent, are never carried */
				if (last && (streq(last, "/.") || streq(last, "/..")))
					continue;
				if (startswith(m, root) && m[rl] == '/' && m[rl + 1])
					strv_push(rel, m + rl + 1);
			}
		}
		globfree(&g);
		free(pat);
		free(real);
		free(copy);
		free(copy2);
	}
	strv_dedupe(rel);
}

int target_carry_save(const struct target_ctx *t, const struct op *o, struct tx_report *r)
{
	struct strv rel = {0};
	char *dir;
	int rc;

	if (is_block(o->device)) {
		if (archive_whole(o->device, r)) {
			tx_info(r, NULL,
				"the files an earlier run of this reinstall carried over are in %s: those are the ones carried",
				o->device);
			return 0;
		}
		/* an earlier run stopped while writing it: the old root was not touched yet */
		rc = lvm_lvremove(r, o->vg, o->name);
		if (rc < 0)
			return rc;
	}
	dir = mount_old_root(o->path, t->tmp, r);
	if (!dir)
		return -EIO;
	target_carry_expand(dir, &o->members, &rel, r);
	rc = lvm_lvcreate(r, o->vg, o->name, LV_LINEAR, 0, MLOG_CORE, false, o->extents);
	if (rc == 0) {
		const char **argv = xzalloc((rel.n + 8) * sizeof(*argv));
		size_t n = 0;

		argv[n++] = "tar";
		argv[n++] = "--numeric-owner";
		argv[n++] = "-C";
		argv[n++] = dir;
		argv[n++] = "-cf";
		argv[n++] = o->device;
		if (!rel.n) {
			argv[n++] = "-T";
			argv[n++] = "/dev/null";
		} else {
			argv[n++] = "--";
		}
		for (size_t i = 0; i < rel.n; i++)
			argv[n++] = rel.v[i];
		argv[n] = NULL;
		char *sz = human_size(o->length);

		rc = run_said(
			r, argv, NULL,
			"the files to carry over could not be written to %s (%s): they may be larger than it; carry fewer (carryover PATH...) or none (carryover --none)",
			o->device, sz);
		free(sz);
		free(argv);
		if (rc < 0) {
			lvm_lvremove(r, o->vg, o->name);
		} else {
			tx_info(r, NULL, "carried over from the old root: %zu path%s into %s",
				rel.n, rel.n == 1 ? "" : "s", o->device);
		}
	}
	if (umount2(dir, 0) != 0)
		umount2(dir, MNT_DETACH);
	rmdir(dir);
	free(dir);
	strv_free(&rel);
	return rc;
}

int target_carry_restore(const struct target_ctx *t, const struct op *o, struct tx_report *r)
{
	const char *argv[] = {"tar", "--numeric-owner", "-p", "-C", t->target,
			      "-xf", o->device,		NULL};
	int rc;

	if (!is_block(o->device)) {
		tx_error(
			r, NULL,
			"the carried files' volume %s is not there; run the reinstall again (it carries them anew from the old root when that is untouched)",
			o->device);
		return -ENOENT;
	}
	rc = run_cmd(r, argv, NULL);
	if (rc == 0)
		tx_info(r, NULL, "the carried files are in the new root (%s)", o->detail);
	return rc;
}
