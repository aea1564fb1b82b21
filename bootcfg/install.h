/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Installing extlinux so that every boot disk boots: boot code in each disk's first sector
 * (mbr.bin for an MBR label, gptmbr.bin for a GPT), the boot flag or the legacy BIOS bootable
 * attribute on its /boot partition, extlinux's own files in /boot/extlinux (extlinux --install),
 * and the modules a Xen entry needs beside extlinux.conf.
 */
#ifndef TENXEN_INSTALL_H
#define TENXEN_INSTALL_H

#include "common/report.h"
#include "common/util.h"

struct boot_disk {
	const char *disk; /* the whole disk (a device, or an image file) */
	int partno;	  /* its /boot partition; for md RAID1, each member's partition */
};

struct syslinux_files {
	const char *mbr_dir;	 /* "/usr/lib/syslinux/mbr" */
	const char *modules_dir; /* "/usr/lib/syslinux/modules/bios" */
	const char *extlinux;	 /* the extlinux program: "extlinux" */
};

void syslinux_files_default(struct syslinux_files *f);

/*
 * Install extlinux on the filesystem mounted at bootdir (into bootdir/extlinux) and boot code on
 * every disk. Each step reported as it is done through r (info); the first failure stops with
 * what failed. Returns 0 or a negative errno.
 */
int bootloader_install(const char *bootdir, const struct boot_disk *disks, size_t n,
		       const struct syslinux_files *f, struct tx_report *r);
/*
 * The boot code and the bootable flag alone, on disks whose boot partition holds a filesystem
 * that bootloader_install has already given extlinux (a RAID1 /boot: one filesystem on every
 * member). Same checks and reports.
 */
int bootloader_install_disks(const struct boot_disk *disks, size_t n,
			     const struct syslinux_files *f, struct tx_report *r);

/*
 * Which partition of disk holds the filesystem mounted at bootdir: the mounted partition itself,
 * or the member of the md array mounted there (read from proc's mounts and sys's md slaves).
 * Returns 0 with *partno set, or a negative errno having said why.
 */
int bootloader_find_partition(const char *proc, const char *sys, const char *bootdir,
			      const char *disk, int *partno, struct tx_report *r);

/* The modules copied beside extlinux.conf. */
extern const char *const bootloader_modules[];

#endif
