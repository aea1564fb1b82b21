// SPDX-License-Identifier: GPL-2.0-or-later
#include "common/atomic.h"
#include "common/util.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

/*
 * Fault injection for the crash tests: TENXEN_FAULT=NAME kills the process at that point of a
 * write, as a power cut would.
 */
static const char *fault_at;

void atomic_fault_at(const char *point)
{
	fault_at = point;
}

static void fault_point(const char *name)
{
	if (fault_at && strcmp(fault_at, name) == 0)
		raise(SIGKILL);
}

static int fsync_dir_of(const char *path)
{
	char *copy = xstrdup(path);
	int fd, rc = 0;

	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		rc = -errno;
	else if (fsync(fd) < 0)
		rc = -errno;
	if (fd >= 0)
		close(fd);
	free(copy);
	return rc;
}

#define FAT_MAGIC 0x4d44 /* MSDOS_SUPER_MAGIC: vfat, as on an EFI System Partition */

/* FAT keeps no owner, no mode and no hard links: on an ESP the backup is a copy of its own. */
static int backup_by_copy(struct tx_report *r, const char *path, const char *old)
{
	char *data = NULL;
	size_t len = 0;
	int rc = read_file(path, &data, &len);

	if (rc < 0) {
		tx_error(r, NULL, "cannot read %s to keep a backup of it: %s", path,
			 read_error(rc));
		return rc;
	}
	rc = atomic_write_file(r, old, data, len, 0644, false);
	free(data);
	return rc;
}

int atomic_write_file(struct tx_report *r, const char *path, const void *data, size_t len,
		      mode_t mode, bool backup)
{
	struct statfs sfs;
	bool fat;
	char *tmp = xasprintf("%s.tenxen-new", path);
	char *old = xasprintf("%s.tenxen-old", path);
	const char *p = data;
	size_t left = len;
	struct stat st;
	int fd, rc = 0;

	/* a temp left by a killed run, or a link planted in its place, is removed, never followed:
	 * the new file is made afresh (O_EXCL) and a link at its name is refused (O_NOFOLLOW) */
	if (unlink(tmp) < 0 && errno != ENOENT) {
		rc = -errno;
		tx_error(r, NULL, "cannot remove the stale %s: %s", tmp, strerror(-rc));
		goto out;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0) {
		rc = -errno;
		tx_error(r, NULL,
			 "cannot create %s: %s; check that its folder exists and is writable", tmp,
			 strerror(-rc));
		goto out;
	}
	while (left) {
		ssize_t w;

		if (left < len / 2 + 1 && left != len)
			fault_point("mid-write"); /* half the new file is on disk */
		w = write(fd, p, left > len / 2 + 1 ? len / 2 + 1 : left);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			rc = -errno;
			tx_error(r, NULL, "cannot write %s: %s", tmp, strerror(-rc));
			goto fail;
		}
		p += w;
		left -= (size_t)w;
	}
	fault_point("after-write");
	fat = fstatfs(fd, &sfs) == 0 && sfs.f_type == FAT_MAGIC;
	/* an edited file keeps its owner and group (the mode is the caller's) */
	if (!fat && lstat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    (st.st_uid != geteuid() || st.st_gid != getegid()) &&
	    fchown(fd, st.st_uid, st.st_gid) < 0) {
		rc = -errno;
		tx_error(r, NULL, "cannot give %s the owner of %s: %s", tmp, path, strerror(-rc));
		goto fail;
	}
	if ((!fat && fchmod(fd, mode) < 0) || fsync(fd) < 0) {
		rc = -errno;
		tx_error(r, NULL, "cannot flush %s to disk: %s", tmp, strerror(-rc));
		goto fail;
	}
	close(fd);
	fd = -1;
	fault_point("after-fsync");
	if (backup && access(path, F_OK) == 0) {
		if (unlink(old) < 0 && errno != ENOENT) {
			rc = -errno;
			tx_error(r, NULL, "cannot replace the backup %s: %s", old, strerror(-rc));
			goto fail;
		}
		if (fat) {
			rc = backup_by_copy(r, path, old);
			if (rc < 0)
				goto fail;
		} else if (link(path, old) < 0) {
			rc = -errno;
			tx_error(r, NULL, "cannot keep a backup of %s as %s: %s", path, old,
				 strerror(-rc));
			goto fail;
		}
	}
	fault_point("after-backup");
	if (rename(tmp, path) < 0) {
		rc = -errno;
		tx_error(r, NULL, "cannot move %s into place as %s: %s", tmp, path, strerror(-rc));
		goto fail;
	}
	fault_point("after-rename");
	rc = fsync_dir_of(path);
	if (rc < 0)
		tx_error(r, NULL, "cannot flush the folder of %s to disk: %s", path, strerror(-rc));
	goto out;
fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
out:
	free(tmp);
	free(old);
	return rc;
}

int lock_for(struct tx_report *r, const char *path)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	int fd;

	if (slash)
		*(slash == dir ? slash + 1 : slash) = '\0';
	else
		strcpy(dir, ".");
	/* the folder itself is locked: no lock file to leave behind, none a dry run would create */
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		tx_error(r, NULL, "cannot open %s to lock it: %s", dir, strerror(e));
		free(dir);
		return -e;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno;

		if (e == EWOULDBLOCK)
			tx_error(
				r, NULL,
				"another run is changing %s right now (it holds the lock on %s); try again when it has finished",
				path, dir);
		else
			tx_error(r, NULL, "cannot lock %s: %s", dir, strerror(e));
		close(fd);
		free(dir);
		return e == EWOULDBLOCK ? -EBUSY : -e;
	}
	free(dir);
	return fd;
}

int atomic_copy_file(struct tx_report *r, const char *src, const char *dest, mode_t mode)
{
	char *tmp = xasprintf("%s.tenxen-new", dest), *dir = dir_of(dest);
	int in = open(src, O_RDONLY | O_CLOEXEC), out = -1, rc = 0;
	struct stat st;

	if (in < 0 || fstat(in, &st) < 0 || !S_ISREG(st.st_mode)) {
		rc = in < 0 ? -errno : -EINVAL;
		tx_error(r, NULL, "cannot read %s: %s", src,
			 in < 0 ? strerror(errno) : "not a file");
		goto out;
	}
	/* a temp left by a killed run, or a link planted in its place, is removed, never followed */
	unlink(tmp);
	out = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (out < 0) {
		rc = -errno;
		tx_error(r, NULL, "cannot make %s: %s", tmp, strerror(errno));
		goto out;
	}
	for (off_t left = st.st_size; left > 0 && rc == 0;) {
		ssize_t n = copy_file_range(in, NULL, out, NULL,
					    (size_t)(left < (1 << 30) ? left : (1 << 30)), 0);

		if (n <= 0) {
			/* a filesystem that cannot (the ISO's, on older kernels): plain reads */
			char buf[1 << 16];
			ssize_t got = read(in, buf, sizeof(buf));

			if (got <= 0 || write(out, buf, (size_t)got) != got)
				rc = -EIO;
			else
				left -= got;
		} else {
			left -= n;
		}
	}
	if (rc == 0 && (fsync(out) < 0 || rename(tmp, dest) < 0))
		rc = -errno;
	if (rc < 0) {
		tx_error(r, NULL, "cannot copy %s to %s: %s", src, dest, strerror(-rc));
		unlink(tmp);
	} else {
		int d = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		if (d >= 0) {
			fsync(d);
			close(d);
		}
	}
out:
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	free(tmp);
	free(dir);
	return rc;
}
