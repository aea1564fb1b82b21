/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TENXEN_WIPE_H
#define TENXEN_WIPE_H

#include <stdint.h>

#include "common/report.h"

/*
 * Erase every signature libblkid finds on a disk: inside each partition of its table (stale LVM
 * labels, md superblocks, filesystems), then on the whole disk (both GPT headers, the MBR, md
 * superblocks at the end). Returns how many were erased, or a negative errno.
 */
int disk_wipe(struct tx_report *r, const char *dev);

/* Zero [offset, offset+len) of a device: the head and tail of a new partition, so that nothing
 * from before survives at the same place. Returns 0 or a negative errno. */
int disk_zero(struct tx_report *r, const char *dev, uint64_t offset, uint64_t len);

#endif
