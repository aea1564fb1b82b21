// SPDX-License-Identifier: GPL-2.0-or-later
#include "storage/lvm_alloc.h"

#include <errno.h>
#include <string.h>

uint64_t lvm_pv_extents(uint64_t part_bytes, uint64_t pesize)
{
	if (part_bytes <= LVM_PE_START || !pesize)
		return 0;
	return (part_bytes - LVM_PE_START) / pesize;
}

/* PV indexes sorted by free extents, most first; ties keep disk order. */
static void order_by_free(const uint64_t *free, size_t n, int *idx)
{
	for (size_t i = 0; i < n; i++)
		idx[i] = (int)i;
	for (size_t i = 1; i < n; i++) {
		int v = idx[i];
		size_t j = i;

		while (j > 0 && free[idx[j - 1]] < free[v]) {
			idx[j] = idx[j - 1];
			j--;
		}
		idx[j] = v;
	}
}

int lvm_place(const uint64_t *free, size_t npv, enum lv_type type, int legs, enum mirror_log mlog,
	      struct lvm_placement *pl)
{
	int idx[64];
	size_t n = npv < 64 ? npv : 64;
	int nlog = type == LV_MIRROR ? (mlog == MLOG_DISK ? 1 : mlog == MLOG_MIRRORED ? 2 : 0) : 0;
	uint64_t meta = type == LV_RAID1 ? 1 : 0;
	uint64_t cost[64] = {0};

	memset(pl, 0, sizeof(*pl));
	if (type == LV_LINEAR) {
		for (size_t i = 0; i < n; i++)
			pl->max_extents += free[i];
		return pl->max_extents ? 0 : -ENOSPC;
	}
	if (legs < 1 || legs > LVM_MAX_LEGS)
		return -EINVAL;
	order_by_free(free, n, idx);
	if ((size_t)legs > n || free[idx[legs - 1]] <= meta)
		return -ENOSPC;
	pl->nlegs = legs;
	for (int i = 0; i < legs; i++)
		pl->legs[i] = idx[i];
	/* logs: first on PVs that hold no leg, then (alloc anywhere) on the roomiest legs */
	for (size_t i = (size_t)legs; i < n && pl->nlogs < nlog; i++)
		if (free[idx[i]] >= 1)
			pl->logs[pl->nlogs++] = idx[i];
	for (int i = 0; pl->nlogs < nlog && i < legs; i++) {
		pl->logs[pl->nlogs++] = idx[i];
		pl->anywhere = true;
		cost[idx[i]]++;
	}
	pl->max_extents = UINT64_MAX;
	for (int i = 0; i < legs; i++) {
		uint64_t f = free[idx[i]];
		uint64_t need = meta + cost[idx[i]];
		uint64_t avail = f > need ? f - need : 0;

		if (avail < pl->max_extents)
			pl->max_extents = avail;
	}
	return pl->max_extents ? 0 : -ENOSPC;
}

int lvm_take(uint64_t *free, size_t npv, enum lv_type type, const struct lvm_placement *pl,
	     uint64_t extents)
{
	if (extents == 0 || extents > pl->max_extents)
		return -ENOSPC;
	if (type == LV_LINEAR) {
		uint64_t left = extents;

		for (size_t i = 0; i < npv && left; i++) {
			uint64_t t = free[i] < left ? free[i] : left;

			free[i] -= t;
			left -= t;
		}
		return 0;
	}
	for (int i = 0; i < pl->nlegs; i++)
		free[pl->legs[i]] -= extents + (type == LV_RAID1 ? 1 : 0);
	for (int i = 0; i < pl->nlogs; i++)
		free[pl->logs[i]] -= 1;
	return 0;
}
