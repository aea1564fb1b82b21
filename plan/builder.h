/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Inside the planner: the state plan_build() hands its stages, in their order: match the disk
 * lines to disks and decide each disk's fate (plan/disks.c), then the storage (plan/storage.c),
 * then the system (plan/system.c). Not for other rooms: they use plan/plan.h.
 */
#ifndef TENXEN_BUILDER_H
#define TENXEN_BUILDER_H

#include "plan/plan.h"

struct builder {
	const struct spec *s;
	const struct machine *m;
	struct tx_report *r;
	struct plan *p;
	int *disk_of;			/* spec disk index -> machine disk index, or -1 */
	struct part_layout (*parts)[3]; /* per machine disk */
	int *nparts;
	char *boot_dev; /* /boot's device: a partition or the md array */
};

/* A new operation at the end of the plan (the array may move: re-take pointers into it). */
struct op *add_op(struct plan *p, enum op_kind k);
struct op *add_conf(struct plan *p, enum conf_kind k);
/* The machine disk a disk line's alias names, or -1. */
int disk_index_of_alias(struct builder *b, const char *alias);
/* A partition's stable name (DISK-ID-partN), or NULL when the disk has no by-id name. */
char *partition_stable(const struct disk *d, int n);
/* The partition of a role on a machine disk, or NULL. */
const struct part_layout *part_of(struct builder *b, int disk, enum part_role role);

/* Whether a disk line's alias holds /boot (*boot) or a physical volume (*pv). */
bool alias_in_use(const struct spec *s, const char *alias, bool *boot, bool *pv);
/* A disk as a sentence names it: its path, stable name or model, and size. Caller frees. */
char *describe_disk(const struct disk *d);

/* The firmware the host will boot with, and the refusals it brings (plan/system.c). */
void plan_firmware(struct builder *b);
void plan_resolve_disks(struct builder *b);
void plan_decide_fates(struct builder *b);
void plan_check_nics(struct builder *b);
void plan_partitions(struct builder *b);
void plan_boot(struct builder *b);
void plan_vg(struct builder *b, const struct spec_volgroup *vg);
/* The logical volumes a file makes in a group, in its free extents (per PV, npv of them). */
void plan_vg_lvs(struct builder *b, const struct spec_volgroup *vg, uint64_t *free_ext, size_t npv,
		 uint64_t pesize, uint64_t total);
/* A reinstall (plan/reinstall.c): the kept group a machine disk holds a PV of, or NULL; the
 * kept groups checked against the machine; a kept disk's partitions by role; a kept group's
 * volumes reformatted, made, kept and the carried files. */
const struct spec_volgroup *plan_kept_vg_on(struct builder *b, int j);
void plan_check_kept(struct builder *b);
void plan_kept_partitions(struct builder *b, int j);
void plan_vg_kept(struct builder *b, const struct spec_volgroup *vg);
void plan_filesystems(struct builder *b);
void plan_system(struct builder *b);
/* The host's settings as the files they write (plan/settings.c); guests' after packages. */
void plan_settings(struct builder *b);
void plan_guest_settings(struct builder *b);

#endif
