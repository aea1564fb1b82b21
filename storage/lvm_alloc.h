/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * How LVM will lay logical volumes onto physical volumes, modelled closely enough to tell, before
 * anything is written, whether a layout fits and how many extents each volume gets.
 *
 * The rules modelled (LVM's "normal" allocation policy):
 * - a PV gives (partition size - 1 MiB of label and metadata) / extent size extents;
 * - each leg of a mirror or raid1 volume lies on a PV of its own (here: a whole leg on one PV);
 * - raid1 adds one metadata extent per leg;
 * - a mirror's disk log takes one extent, a mirrored log two, on PVs apart from the legs; when no
 *   such PV has room, the log shares a leg's PV, which LVM allows only with --alloc anywhere.
 */
#ifndef TENXEN_LVM_ALLOC_H
#define TENXEN_LVM_ALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum lv_type { LV_LINEAR, LV_MIRROR, LV_RAID1 };
enum mirror_log { MLOG_DISK, MLOG_CORE, MLOG_MIRRORED };

#define LVM_PE_START (1024 * 1024ULL) /* where LVM puts the first extent on a new PV */
#define LVM_MAX_LEGS 10

/* Extents a PV on a partition of part_bytes offers. */
uint64_t lvm_pv_extents(uint64_t part_bytes, uint64_t pesize);

struct lvm_placement {
	uint64_t max_extents; /* the largest volume that fits now */
	bool anywhere;	      /* the log must share a leg's PV */
	int legs[LVM_MAX_LEGS];
	int nlegs;
	int logs[2];
	int nlogs;
};

/*
 * Where a volume of this kind would go given each PV's free extents. Returns 0, or -ENOSPC when
 * there are fewer PVs with free space than legs.
 */
int lvm_place(const uint64_t *free, size_t npv, enum lv_type type, int legs, enum mirror_log mlog,
	      struct lvm_placement *pl);

/*
 * Take a volume of `extents` logical extents out of free[] as placed by pl (from lvm_place).
 * Returns 0, or -ENOSPC when it does not fit (free[] unchanged).
 */
int lvm_take(uint64_t *free, size_t npv, enum lv_type type, const struct lvm_placement *pl,
	     uint64_t extents);

#endif
