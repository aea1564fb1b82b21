/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The EFI System Partitions of a UEFI host. Every boot disk has one, mounted at /boot/efi (the
 * first), /boot/efi2, /boot/efi3...; each holds the same files in \EFI\BOOT, the path firmware
 * boots with no boot entry: BOOTX64.EFI (Xen's xen.efi), BOOTX64.cfg (its xen.cfg), and the dom0
 * kernel and initrd under their versioned names. Tenxen keeps them identical (docs/storage.md).
 *
 * Ownership: esp_find() fills an array the caller frees with esp_list_free() (NULL safe).
 */
#ifndef TENXEN_ESP_H
#define TENXEN_ESP_H

#include <stdbool.h>
#include <stddef.h>

#include "bootcfg/xencfg.h"
#include "common/report.h"
#include "common/util.h"

#define ESP_DIR	   "EFI/BOOT"	 /* on the ESP */
#define ESP_LOADER "BOOTX64.EFI" /* xen.efi, under the removable-media name */
#define ESP_CONFIG "BOOTX64.cfg" /* xen.efi reads the .cfg named after it */

struct esp {
	char *root;  /* the host's root ("" for /): every file of it is read and written inside */
	char *mount; /* where the host mounts it: "/boot/efi" */
	char *dir; /* its EFI/BOOT folder on this machine (under the root); NULL if unresolvable */
	char *cfg; /* dir/BOOTX64.cfg */
	bool present; /* the config is there (the partition is mounted, its disk not gone) */
	bool blank;   /* no config, but mounted (or holding EFI/BOOT): refresh fills it */
};

/* Where the host mounts the ESP of its n-th boot disk (0-based): "/boot/efi", "/boot/efi2"...
 * Caller frees. */
char *esp_mount_point(int n);

/*
 * The host's ESPs, from the vfat lines of its /etc/fstab whose mount point is /boot/efi or
 * /boot/efiN (in fstab's order); without any, /boot/efi when it holds a config. Returns how many
 * (0: not a UEFI host), or a negative errno.
 */
int esp_find(const char *root, struct esp **out, struct tx_report *r);
void esp_list_free(struct esp *e, size_t n);

/*
 * Bring one ESP's files up to the host's /boot: the newest xen-*.efi as BOOTX64.EFI, the newest
 * kernel and its initrd under their own names, each copied atomically and only when it differs.
 * *kernel and *initrd (caller frees) name the files there. Each copy made (or, with dry_run,
 * that would be) is added to changes. Returns 0 or a negative errno (reported).
 */
int esp_sync_files(const char *root, const struct esp *e, bool dry_run, char **kernel,
		   char **initrd, struct strv *changes, struct tx_report *r);

/* Copy each file the config names that dst lacks from src (a blank ESP filled from another). */
int esp_copy_named(const struct esp *src, const struct esp *dst, const struct xencfg *c,
		   struct strv *changes, struct tx_report *r);

/* Remove the kernels and initrds of an ESP folder that the config names nowhere. */
void esp_prune(const struct esp *e, const struct xencfg *c, bool dry_run, struct strv *changes,
	       struct tx_report *r);

#endif
