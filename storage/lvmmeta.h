/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A volume group as LVM2's metadata text describes it: its physical volumes, its logical volumes
 * and the extents each one holds on each physical volume, read with no LVM tools (from a PV's
 * metadata area, pvlabel.c, or a recorded machine), so that a plan can say what it keeps, where.
 *
 * Ownership: lvm_vg_parse() returns a volume group freed with lvm_vg_free() (NULL safe);
 * lvm_lv_extents() returns an array the caller frees with free().
 */
#ifndef TENXEN_LVMMETA_H
#define TENXEN_LVMMETA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where a piece of a segment lies: on a PV (pv >= 0) from extent start, or a sub-volume (lv). */
struct lvm_area {
	int pv;		/* index into the VG's pvs, or -1 */
	int lv;		/* index into the VG's lvs, or -1 */
	uint64_t start; /* first extent on that PV or sub-volume */
};

struct lvm_seg {
	uint64_t start_extent, extent_count;
	char *type;	       /* "striped", "mirror", "raid1", ... */
	uint64_t area_extents; /* extents of each area (striped: extent_count / stripes) */
	struct lvm_area *areas;
	size_t nareas;
	int log; /* a mirror's log volume, or -1 */
};

struct lvm_lv {
	char *name, *id;
	bool visible;	  /* a volume of its own, not a mirror leg, raid image or log */
	uint64_t extents; /* logical extents, all segments */
	struct lvm_seg *segs;
	size_t nsegs;
};

struct lvm_pv {
	char *name;	   /* "pv0", as the metadata calls it */
	char *id;	   /* its UUID, with dashes */
	char *device;	   /* the device it had when the metadata was written: a hint only */
	uint64_t pe_start; /* bytes from the PV's start to its first extent */
	uint64_t pe_count;
	bool missing; /* flagged MISSING in the metadata */
};

struct lvm_vg {
	char *name, *id;
	uint64_t seqno;
	uint64_t extent_size; /* bytes */
	struct lvm_pv *pvs;
	size_t npvs;
	struct lvm_lv *lvs;
	size_t nlvs;
};

/*
 * The volume group in metadata text (len bytes; need not end in NUL). Checks every reference
 * and every size (no extent past its PV's end, no sum that wraps). Returns 0 with *out, or
 * -EINVAL with *why (caller frees) saying what is wrong.
 */
int lvm_vg_parse(const char *text, size_t len, struct lvm_vg **out, char **why);
void lvm_vg_free(struct lvm_vg *vg);

/* The logical volume of that name, or NULL. */
const struct lvm_lv *lvm_vg_find_lv(const struct lvm_vg *vg, const char *name);

/* A run of extents a volume holds on one PV. */
struct lvm_extent {
	int pv;
	uint64_t start, count;
};

/*
 * Every extent the volume holds on each PV, through its sub-volumes (mirror legs and log, raid
 * images and their metadata), sorted by PV and start, runs that touch merged. Returns 0, or
 * -ENOTSUP with *why (caller frees) for a segment type whose areas Tenxen does not read (thin,
 * cache, ...).
 */
int lvm_lv_extents(const struct lvm_vg *vg, const struct lvm_lv *lv, struct lvm_extent **out,
		   size_t *n, char **why);

/* The PV's UUID as its label stores it (32 characters, no dashes) equals the metadata's id. */
bool lvm_uuid_equal(const char *label_uuid, const char *meta_id);

#endif
