/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The installed system: what an install does once the filesystems are mounted under the target.
 * Unpacking the payload, the host's own settings (hostname, network, time zone, keyboard, root's
 * password and keys, the serial login), the bootloader, package sets from the installer's
 * repository, and the record of the install kept on the host.
 *
 * Every function writes under `target` only (through atomic writes), reports through r, and
 * returns 0 or a negative errno having said what failed.
 */
#ifndef TENXEN_TARGET_H
#define TENXEN_TARGET_H

#include <sys/types.h>

#include "common/run.h"
#include "machine/machine.h"
#include "plan/plan.h"
#include "net/payload.h"

struct target_ctx {
	const char *target;  /* "/target" */
	const char *payload; /* the folder holding the root, repo/ and package-sets */
	/* when the payload is read over HTTP: its manifest; payload is then the folder of its
	 * small files, and the large ones are fetched into the target as they are needed */
	const struct payload_remote *remote;
	const struct machine *machine;
	const struct plan *plan;
	const char *answers_copy; /* the interactive run's answer file, kept in /root; or NULL */
	const char *proc;	  /* where the mount table is read: "/proc" */
	const char *tmp;	  /* where temporary folders go: "/tmp" */
	const char *sys;	  /* where the firmware's variables are looked for: "/sys" */
};

/*
 * Before any disk is touched: the payload holds the root (as an image that fits the plan's /, or
 * a tarball), tenxen's layer and, when the plan installs packages, the repository and every set
 * it names. Reports each thing missing.
 */
int target_check_payload(const struct target_ctx *t, struct tx_report *r);

/* Whether the payload has the file rel (in its folder, or in its manifest over HTTP). */
bool target_payload_has(const struct target_ctx *t, const char *rel);

/*
 * The payload's file rel (a path inside it) where it can be read, into *local (caller frees):
 * in the payload's folder, or, for a large file of a payload read over HTTP, fetched and checked
 * into the target's var/tmp/tenxen-payload/ first. target_payload_drop removes such a copy once
 * used (and does nothing to the payload's own files). 0 or -errno, said.
 */
int target_payload_get(const struct target_ctx *t, const char *rel, char **local,
		       struct tx_report *r);
void target_payload_drop(const struct target_ctx *t, const char *local);
/* The same for a folder of the payload (repo): every file of the manifest in it, fetched. */
int target_payload_folder(const struct target_ctx *t, const char *rel, char **local,
			  struct tx_report *r);
void target_payload_drop_folder(const struct target_ctx *t, const char *local, struct tx_report *r);

/*
 * Whether the root comes as the payload's ext4 image (root.img.zst, root.img.map and
 * boot.tar.zst; iso/root-image.sh) rather than its tarball: the image is there and the plan
 * makes / ext4.
 */
bool target_root_from_image(const struct target_ctx *t);
/*
 * The plan's mkfs of / when the root comes as an image: the image written onto op->device,
 * grown to fill it (resize2fs), given a new UUID and the label "root" (tune2fs).
 */
int target_write_root(const struct target_ctx *t, const struct op *op, struct tx_report *r);

/*
 * The root (its /boot alone when the root came as an image), then the package sets' prebuilt
 * layer when the payload has one for exactly the sets the plan names (layers/A+B.tar.zst, names
 * sorted; what installing them removed is in layers/A+B.removed).
 */
int target_unpack(const struct target_ctx *t, struct tx_report *r);
/* The tenxen package of the payload's repository (repo/tenxen_*.deb, exactly one), or NULL
 * having said why. Caller frees. */
char *target_own_package(const struct target_ctx *t, struct tx_report *r);
/*
 * That package installed into the unpacked root with dpkg, inside the target; the initramfs is
 * rebuilt only when the package's initramfs files differ from those the root came with.
 */
int target_install_own(const struct target_ctx *t, struct tx_report *r);
/* That layer's path, or NULL when there is none for these sets (or no sets). Caller frees. */
char *target_sets_layer(const struct target_ctx *t);
/* One "configure" operation of the plan, by its name: network, hostname, timezone... */
int target_configure(const struct target_ctx *t, const struct op *op, struct tx_report *r);
/* "config": a new extlinux.conf; "install": extlinux and boot code on op's disk. */
int target_bootloader(const struct target_ctx *t, const struct op *op, struct tx_report *r);
/* UEFI: "config": the first ESP's xen.cfg; "install": xen.efi, its xen.cfg, the kernel and
 * initrd on op's ESP (mounted at op->path), and a firmware boot entry (apply/efi.c). */
int target_efi_loader(const struct target_ctx *t, const struct op *op, struct tx_report *r);
/* The xen.cfg of a fresh host from the plan's fields: the newest kernel in boot. Caller frees. */
char *target_xencfg_text(const struct op_boot *e, const char *boot, struct tx_report *r);
/* The package sets and packages of op->members, from payload/repo, inside the target; sets
 * that came with the root as a prebuilt layer are not installed again. */
int target_packages(const struct target_ctx *t, const struct op *op, struct tx_report *r);
/* Run a script: %pre in the installer, %post inside the target (in the installer with
 * --nochroot). $TENXEN_TARGET names the target. */
int target_script(const struct target_ctx *t, const struct op_script *sc, struct tx_report *r);

/* /proc, /sys, /dev and /dev/pts of the installer inside the target, for programs run there. */
int target_chroot_enter(const char *target, struct tx_report *r);
void target_chroot_leave(const char *target);

/*
 * The record of the install on the host, under /var/log/tenxen (mode 0600): the log so far, the
 * answer file the plan was built from, written out canonically with the password hash left
 * out, and the install's events so far (events may be NULL), one JSON object a line.
 */
int target_keep_record(const struct target_ctx *t, const char *log_path, const struct strv *events,
		       struct tx_report *r);
/* With answers_copy set (an interactive install): also /root/tenxen-answers.ks, mode 0600. */

/* Unmount everything under the target, deepest first; the last step of an install. */
int target_release(const char *proc, const char *target, struct tx_report *r);

/* Write TARGET/rel atomically (its folder made first), no backup: the file is new on this host. */
int target_put_file(const char *target, const char *rel, const char *text, mode_t mode,
		    struct tx_report *r);
/* The same for a whole path. */
int target_put_path(const char *path, const char *text, mode_t mode, struct tx_report *r);
/* Unpack a tarball into target (tar, 1 MiB records); with job, beside the caller (run_wait). */
int target_untar_job(const char *file, const char *target, struct run_job *job,
		     struct tx_report *r);
int target_untar(const char *file, const char *target, struct tx_report *r);

/*
 * A new extlinux.conf from the plan's fields (op_boot_of), for a host whose /boot (with Xen,
 * the kernel and the initrd) is the folder boot. NULL when /boot lacks them (reported). Caller
 * frees.
 */
char *target_extlinux_text(const struct op_boot *e, const char *boot, struct tx_report *r);

/* The packages of a package set, read from a package-sets file ("NAME: pkg pkg"). */
int package_set_members(const char *sets_file, const char *name, struct strv *out,
			struct tx_report *r);

/*
 * A reinstall's carried files (apply/carry.c): save reads op->members (patterns) from the old
 * root op->path, read-only, into a tar archive on the new volume op->device (of op->extents, in
 * op->vg), unless an earlier run left it whole; restore unpacks it into the target.
 */
int target_carry_save(const struct target_ctx *t, const struct op *o, struct tx_report *r);
int target_carry_restore(const struct target_ctx *t, const struct op *o, struct tx_report *r);
/* Each pattern's matches under the old root at root, as paths relative to it, into rel
 * (deduplicated): its folder part resolved inside root, never "." or ".." nor out of root. */
void target_carry_expand(const char *root, const struct strv *patterns, struct strv *rel,
			 struct tx_report *r);

#endif
