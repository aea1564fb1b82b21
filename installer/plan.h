/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The plan: the complete, ordered list of plain operations an install performs, computed from a
 * spec and a machine inventory before anything touches a disk. Printing it is the dry run.
 *
 * Ownership: plan_build() returns a plan that the caller frees with plan_free() (NULL safe).
 */
#ifndef TENXEN_PLAN_H
#define TENXEN_PLAN_H

#include <stdio.h>

#include "../disk/inventory.h"
#include "spec.h"

enum op_kind {
	OP_SCRIPT_PRE,
	OP_WIPE,
	OP_LABEL,
	OP_PARTITION,
	OP_MD,
	OP_VGCREATE,
	OP_LVCREATE,
	OP_MKFS,
	OP_MOUNT,
	OP_UNPACK,
	OP_FSTAB,
	OP_CONFIGURE,
	OP_BOOTLOADER,
	OP_PACKAGES,
	OP_SCRIPT_POST,
	OP_FINISH,
};

struct op {
	enum op_kind kind;
	char *device; /* what it acts on: /dev/sda, /dev/sda2, /dev/md0, /dev/vg0/root */
	char *stable; /* a stable name for a disk or partition (by-id), else NULL */
	int disk;     /* index into the machine's disks, or -1 */
	int partno;
	enum part_role role;
	enum label_type label;
	uint64_t start, length; /* bytes */
	struct strv members;	/* md members, VG physical volumes, wiped signatures */
	char *name;		/* md name, VG name, LV name, script interpreter, finish action */
	char *vg;
	enum lv_type lvtype;
	int mirrors;
	enum mirror_log mlog;
	uint64_t extents, pesize;
	bool alloc_anywhere; /* a mirror log that must share a disk with a leg */
	bool nosync;	     /* a new mirror holds no data: no initial resync */
	char *fstype;
	char *mountpoint;
	char *detail; /* what else the operation does, as a phrase */
};

enum disk_fate { FATE_UNTOUCHED, FATE_ERASED, FATE_IGNORED, FATE_MEDIUM };

struct plan_disk {
	int disk;	   /* index into the machine's disks */
	const char *alias; /* not owned; NULL when no disk line names it */
	enum disk_fate fate;
};

struct plan {
	struct op *ops;
	size_t nops;
	struct plan_disk *disks;
	size_t ndisks;
	char *dom0_mem; /* Xen's dom0_mem= value */
	struct strv notes;
	char *answers; /* where the spec came from */
};

int plan_build(const struct spec *s, const struct machine *m, const char *answers,
	       struct tx_report *r, struct plan **out);
void plan_free(struct plan *p);

const char *op_kind_name(enum op_kind k);
/* One line saying what an operation does. Caller frees. */
char *plan_op_text(const struct op *o);
void plan_print(const struct plan *p, const struct machine *m, FILE *out);
char *plan_to_json(const struct plan *p, const struct machine *m); /* caller frees */

/* The device name of partition n of a disk: sda -> sda2, nvme0n1 -> nvme0n1p2. Caller frees. */
char *partition_path(const char *disk_path, int n);

#endif
