// SPDX-License-Identifier: GPL-2.0-or-later
#include "storage/wipe.h"
#include "common/util.h"

#include <blkid.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Wipe every magic in [offset, offset+size) of fd; how many, or -errno. */
static int wipe_range(struct tx_report *r, int fd, const char *dev, uint64_t offset, uint64_t size,
		      bool tables)
{
	blkid_probe pr = blkid_new_probe();
	int n = 0;

	if (!pr)
		return -ENOMEM;
	if (blkid_probe_set_device(pr, fd, (blkid_loff_t)offset, (blkid_loff_t)size) < 0) {
		blkid_free_probe(pr);
		return -EIO;
	}
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_MAGIC | BLKID_SUBLKS_TYPE);
	blkid_probe_enable_partitions(pr, tables);
	if (tables)
		blkid_probe_set_partitions_flags(pr, BLKID_PARTS_MAGIC);
	while (blkid_do_probe(pr) == 0) {
		const char *type = NULL;

		if (blkid_probe_lookup_value(pr, "TYPE", &type, NULL) < 0)
			blkid_probe_lookup_value(pr, "PTTYPE", &type, NULL);
		if (blkid_do_wipe(pr, 0) < 0) {
			tx_error(r, NULL, "cannot erase the %s signature at byte %llu of %s: %s",
				 type ? type : "unknown", (unsigned long long)offset, dev,
				 strerror(errno));
			blkid_free_probe(pr);
			return -EIO;
		}
		tx_info(r, NULL, "%s: erased %s at byte %llu", dev, type ? type : "a signature",
			(unsigned long long)offset);
		n++;
	}
	blkid_free_probe(pr);
	return n;
}

int disk_wipe(struct tx_report *r, const char *dev)
{
	int fd = open(dev, O_RDWR | O_CLOEXEC | O_EXCL), n = 0, rc;
	uint64_t size;
	blkid_probe pr;

	if (fd < 0) {
		rc = -errno;
		tx_error(
			r, NULL, "cannot open %s to wipe it: %s%s", dev, strerror(-rc),
			rc == -EBUSY
				? " (something still uses it: a mounted filesystem, an active volume group or md array)"
				: "");
		return rc;
	}
	size = (uint64_t)lseek(fd, 0, SEEK_END);
	/* first what lies inside the partitions the old table describes */
	pr = blkid_new_probe();
	if (pr && blkid_probe_set_device(pr, fd, 0, 0) == 0) {
		blkid_partlist ls;

		blkid_probe_enable_superblocks(pr, 0);
		blkid_probe_enable_partitions(pr, 1);
		if (blkid_do_fullprobe(pr) == 0 && (ls = blkid_probe_get_partitions(pr))) {
			for (int i = 0; i < blkid_partlist_numof_partitions(ls); i++) {
				blkid_partition p = blkid_partlist_get_partition(ls, i);
				uint64_t start = (uint64_t)blkid_partition_get_start(p) * 512;
				uint64_t len = (uint64_t)blkid_partition_get_size(p) * 512;

				if (blkid_partition_is_extended(p) || start + len > size)
					continue;
				rc = wipe_range(r, fd, dev, start, len, false);
				if (rc < 0) {
					blkid_free_probe(pr);
					close(fd);
					return rc;
				}
				n += rc;
			}
		}
	}
	if (pr)
		blkid_free_probe(pr);
	rc = wipe_range(r, fd, dev, 0, size, true);
	if (rc >= 0)
		n += rc;
	if (fsync(fd) < 0 && rc >= 0)
		rc = -errno;
	close(fd);
	return rc < 0 ? rc : n;
}

int disk_zero(struct tx_report *r, const char *dev, uint64_t offset, uint64_t len)
{
	static char zero[1 << 16];
	int fd = open(dev, O_WRONLY | O_CLOEXEC), rc = 0;

	if (fd < 0) {
		rc = -errno;
		tx_error(r, NULL, "cannot open %s: %s", dev, strerror(-rc));
		return rc;
	}
	while (len) {
		size_t chunk = len < sizeof(zero) ? (size_t)len : sizeof(zero);
		ssize_t w = pwrite(fd, zero, chunk, (off_t)offset);

		if (w <= 0) {
			rc = w < 0 ? -errno : -EIO;
			tx_error(r, NULL, "cannot write to %s: %s", dev, strerror(-rc));
			break;
		}
		offset += (uint64_t)w;
		len -= (uint64_t)w;
	}
	if (rc == 0 && fsync(fd) < 0)
		rc = -errno;
	close(fd);
	return rc;
}
