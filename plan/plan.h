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
#include <sys/types.h>

#include "machine/machine.h"
#include "lang/spec.h"

enum op_kind {
	OP_SCRIPT_PRE,
	OP_WIPE,
	OP_LABEL,
	OP_PARTITION,
	OP_MD,
	OP_VGCREATE,
	OP_VGUSE, /* a kept volume group: activated as it is */
	OP_LVCREATE,
	OP_LVREUSE, /* a volume of a kept group, reformatted where it is */
	OP_CARRY,   /* a reinstall: the old root's files into a volume of their own, first */
	OP_MKFS,
	OP_MOUNT,
	OP_UNPACK,
	OP_FSTAB,
	OP_RESTORE, /* the carried files into the new root */
	OP_CONFIGURE,
	OP_BOOTLOADER,
	OP_PACKAGES,
	OP_SCRIPT_POST,
	OP_CARRY_DROP, /* the carried files' volume removed, once all else is done */
	OP_FINISH,
};

/* What a configure operation sets on the installed host. */
enum conf_kind {
	CONF_NONE,
	CONF_NETWORK,
	CONF_HOSTNAME,
	CONF_TIMEZONE,
	CONF_KEYBOARD,
	CONF_ROOT,
	CONF_HOSTKEYS,
	CONF_SSHKEYS,
	CONF_CONSOLE,
	CONF_GUESTS,
	CONF_APT,     /* the host's apt sources: its release, -updates, -security */
	CONF_TIME,    /* its clock kept in sync */
	CONF_UPDATES, /* security fixes installed by themselves */
};

/* What a bootloader operation does: write the config, or install the loader on one disk (BIOS:
 * extlinux and boot code; UEFI: xen.efi, its xen.cfg, the kernel and initrd on the disk's ESP
 * and a firmware boot entry). */
enum boot_kind { BOOT_NONE, BOOT_CONFIG, BOOT_INSTALL };

/*
 * What an operation makes on the installed host, resolved when the plan is built so that the
 * plan shows it: a file with its whole text, a symbolic link with its target, or a folder.
 */
enum op_file_kind { OPF_FILE, OPF_LINK, OPF_DIR };

struct op_file {
	enum op_file_kind kind;
	char *rel;   /* under the target, no leading slash: "etc/hostname" */
	char *text;  /* a file's text, a link's target; NULL for a folder */
	mode_t mode; /* a file's or folder's mode */
};

/* What a host's boot entries are made from (the bootloader's config operation); the Xen and
 * kernel are the newest the root brings, found once it is unpacked. */
struct op_boot {
	char *prefix;	   /* how the config reaches /boot's files: "/" or "/boot/" */
	char *dom0_mem;	   /* Xen's dom0_mem= */
	char *dom0_vcpus;  /* "4" or "2-4", or NULL */
	char *vpmu;	   /* or NULL */
	char *xen_append;  /* or NULL */
	char *dom0_append; /* or NULL */
	char *root_dev;	   /* "/dev/mapper/vg0-root" */
	bool serial;	   /* Xen and dom0 on a serial port too */
	int port;	   /* 0 for com1 */
	unsigned speed;	   /* baud */
	int timeout;	   /* seconds */
};

/* A %pre or %post script, copied from the answer file. */
struct op_script {
	char *interpreter, *body;
	bool chrooted;	  /* %post inside the installed system (not --nochroot) */
	bool erroronfail; /* its failure stops the install */
	char *from;	  /* "file:line" */
};

struct op {
	enum op_kind kind;
	enum conf_kind conf; /* OP_CONFIGURE: what it sets */
	enum boot_kind boot; /* OP_BOOTLOADER: what it does */
	char *device;	     /* what it acts on: /dev/sda, /dev/sda2, /dev/md0, /dev/vg0/root */
	char *stable;	     /* a stable name for a disk or partition (by-id), else NULL */
	int disk;	     /* index into the machine's disks, or -1 */
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
	char *mountpoint; /* where the filesystem sits on the installed host: "/", "/boot" */
	char *path;	  /* the file or folder it writes, under the plan's target */
	char *detail;	  /* what else the operation does, as a phrase: shown, never acted on */
	struct op_file *files; /* what it writes, in order */
	size_t nfiles;
	char *secret; /* CONF_ROOT: root's password field ("!", "*" or a hash); never shown */
	struct op_boot *entry;	  /* OP_BOOTLOADER config: what its entries are made from */
	struct op_script *script; /* OP_SCRIPT_PRE, OP_SCRIPT_POST */
};

/* KEPT: a disk of a kept volume group: its partition table stays, and the plan writes only
 * where its operations say (/boot, the ESP, the volumes it reformats or makes). */
enum disk_fate { FATE_UNTOUCHED, FATE_ERASED, FATE_IGNORED, FATE_MEDIUM, FATE_KEPT };

/* A volume a reinstall keeps, as the plan shows it: never written. */
struct plan_kept {
	char *vg, *name;
	uint64_t size;
	char *kind;  /* "linear", "raid1", ... */
	char *where; /* its bytes on each disk (machine_lv_where) */
	bool named;  /* matched by a preserve line (else kept as no line names it) */
};

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
	enum firmware
		firmware; /* how the installed host boots: the answer file's, else the machine's */
	struct strv notes;
	struct plan_kept *kept; /* a reinstall's kept volumes */
	size_t nkept;
	struct strv carry; /* the files a reinstall carries over (patterns), from carry_from */
	char *carry_from;  /* VG/LV */
	char *release;	   /* the Debian release the host gets: "bookworm" */
	char *answers;	   /* where the spec came from */
	char *target;	   /* where the install mounts the new root: "/target" */
	/* what the plan was built from, borrowed: both must outlive the plan */
	const struct spec *spec;
	const struct machine *machine;
};

struct plan_opts {
	const char *answers; /* where the spec came from, for the plan's header */
	const char *target;  /* where the new root is mounted during the install; NULL: "/target" */
	const char *release; /* the payload's Debian release; NULL: this build's, TENXEN_SUITE */
};

int plan_build(const struct spec *s, const struct machine *m, const struct plan_opts *o,
	       struct tx_report *r, struct plan **out);
void plan_free(struct plan *p);

/* One file (or link, or folder) more for an operation: text and rel are copied. */
void op_add_file(struct op *o, enum op_file_kind kind, const char *rel, const char *text,
		 mode_t mode);
/* The boot entry's fields for a host of spec s: root_dev from its root volume. Caller frees
 * with op_boot_free (NULL safe). */
struct op_boot *op_boot_of(const struct spec *s, const char *dom0_mem, const char *prefix);
void op_boot_free(struct op_boot *b);
/* The fields as the plan shows them: "dom0_mem=..., root=...". Caller frees. */
char *op_boot_text(const struct op_boot *b);

/* A script of the answer file, copied (caller frees with op_script_free, NULL safe). */
struct op_script *op_script_of(const struct spec_script *sc);
void op_script_free(struct op_script *o);

const char *op_kind_name(enum op_kind k);
const char *conf_kind_name(enum conf_kind k);
/* One line saying what an operation does. Caller frees. */
char *plan_op_text(const struct op *o);
void plan_print(const struct plan *p, const struct machine *m, FILE *out);
char *plan_to_json(const struct plan *p, const struct machine *m); /* caller frees */

#endif
