/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the machine has: its disks (from /sys/block, probed with libblkid), network cards and
 * memory. An inventory can be recorded to a JSON machine profile and loaded back, so that planning
 * is testable without disks.
 *
 * Ownership: machine_free() releases a machine and everything in it (NULL safe).
 */
#ifndef TENXEN_MACHINE_H
#define TENXEN_MACHINE_H

#include <stdbool.h>
#include <stdint.h>

#include "common/report.h"
#include "common/util.h"
#include "storage/lvmmeta.h"

/* Something found on a disk: a partition table, a filesystem, an LVM PV, an md member... */
struct sig {
	char *type;  /* blkid's TYPE or PTTYPE: "gpt", "ext4", "LVM2_member", "linux_raid_member" */
	char *usage; /* "partition_table", "filesystem", "raid", "crypto", "other" */
	char *label;
	char *uuid;
	char *vg;	 /* for LVM2_member: the volume group it belongs to, when readable */
	char *pv_uuid;	 /* for LVM2_member: the PV's UUID as its label has it (no dashes) */
	char *lvm_meta;	 /* for LVM2_member: its volume group's metadata text, as on the PV */
	int partno;	 /* 0 on the whole disk, else the partition it is in */
	uint64_t offset; /* byte offset of the partition (0 on the whole disk) */
};

/* A partition of a disk's table. */
struct part {
	int partno;
	uint64_t start, size; /* bytes */
	char *name;	      /* GPT's partition name ("boot", "lvm"), or NULL */
	char *type;	      /* GPT's type GUID, or MBR's type as "0x83" */
};

struct disk {
	char *name; /* "sda" */
	char *path; /* "/dev/sda" */
	uint64_t size;
	unsigned lsec, psec; /* logical and physical sector sizes */
	char *model, *vendor, *serial, *wwn;
	char *transport;   /* "sata", "nvme", "virtio", "usb", "scsi", "loop", or NULL */
	struct strv by_id; /* names under /dev/disk/by-id */
	bool rotational, removable, ro;
	bool medium; /* holds the medium Tenxen booted from */
	struct sig *sigs;
	size_t nsigs;
	struct part *parts;
	size_t nparts;
	char *probe_error; /* why its contents could not be read; such a disk counts as holding data */
};

struct nic {
	char *name;
	char *mac;
};

/*
 * A volume group found on the machine's disks, from the newest metadata any of its PVs holds;
 * each of its PVs placed on a disk by the UUID of the label there.
 */
struct machine_vg {
	struct lvm_vg *vg;   /* NULL when its metadata could not be read: problem says why */
	char *name;	     /* the group's name, also when vg is NULL */
	char *problem;	     /* why its metadata could not be read, or NULL */
	int *pv_disk;	     /* for each of vg->pvs: index into the machine's disks, -1 missing */
	uint64_t *pv_offset; /* for each of vg->pvs: the PV's byte offset on that disk */
};

/* How the machine booted the installer, so how the installed host will boot. */
enum firmware { FIRMWARE_BIOS, FIRMWARE_UEFI };

struct machine {
	char *source;		/* "probe" or the profile's path */
	enum firmware firmware; /* a profile without "firmware" is a BIOS machine */
	bool secure_boot;	/* UEFI with Secure Boot on */
	uint64_t memory;	/* bytes of RAM, 0 unknown */
	char *serial;		/* the system's serial number (DMI), or NULL */
	struct disk *disks;
	size_t ndisks;
	struct nic *nics;
	size_t nnics;
	struct machine_vg *vgs; /* made from the disks' PV signatures, by probe and load alike */
	size_t nvgs;
};

/* Where probing looks; every path can be pointed elsewhere for tests. */
struct probe_paths {
	const char *sys;	  /* "/sys" */
	const char *dev;	  /* "/dev" */
	const char *proc;	  /* "/proc" */
	const char *medium_mount; /* where the installer mounts its medium: "/run/tenxen/medium" */
	const char *medium;	  /* a device given by the user as the medium, or NULL */
	const struct strv *only;  /* probe only these devices (paths), when non-empty */
};

void probe_paths_default(struct probe_paths *pp);

/* Probe this machine. Returns 0 or -errno (reported); *out caller frees with machine_free. */
int machine_probe(const struct probe_paths *pp, struct tx_report *r, struct machine **out);
int machine_load(const char *path, struct tx_report *r, struct machine **out);
/* The network cards alone (not their VLANs, bonds or bridges), added to m: quick, for saying
 * which machine speaks (install --report) before the whole probe. */
void machine_probe_nics(struct machine *m, const struct probe_paths *pp);
/* The profile as JSON text; caller frees. */
char *machine_to_json(const struct machine *m);
void machine_free(struct machine *m);

/* The volume group of that name found on the machine, or NULL. */
const struct machine_vg *machine_find_vg(const struct machine *m, const char *name);
/* The volume groups of m's disks, from their PV signatures (probe.c and recorded.c, once the
 * disks are read). */
void machine_build_vgs(struct machine *m);

/*
 * Where a logical volume of mv lies, byte by byte: "/dev/sda bytes 543162368-3764387839,
 * /dev/sdb bytes ..." (first and last byte of each run), a missing PV named as such. Caller
 * frees; NULL with *why (caller frees) when its layout cannot be read (lvm_lv_extents).
 */
char *machine_lv_where(const struct machine *m, const struct machine_vg *mv,
		       const struct lvm_lv *lv, char **why);
/* "linear", "mirror", "raid1", ...: what a volume is, from its first segment. */
const char *lvm_lv_kind(const struct lvm_lv *lv);

/* "bios" or "uefi" */
const char *firmware_name(enum firmware f);

/* The disk holds something (or could not be read, so might). */
bool disk_has_contents(const struct disk *d);
/* A sentence naming what a disk holds ("a GPT partition table; ext4 \"data\" on partition 1"),
 * or NULL when it holds nothing Tenxen can see. Caller frees. */
char *disk_describe_contents(const struct disk *d);
/* The name Tenxen shows for a disk: its first stable /dev/disk/by-id name, else its serial, else
 * its path. Not owned by the caller. */
const char *disk_stable_id(const struct disk *d);

#endif
