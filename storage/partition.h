/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TENXEN_PARTITION_H
#define TENXEN_PARTITION_H

#include "common/report.h"
#include "storage/layout.h"

/*
 * Write a new label with exactly these partitions (byte ranges from the plan) using libparted,
 * with their flags (bios_grub; legacy BIOS bootable or boot flag on /boot; raid on an md member;
 * lvm), tell the kernel, and wait for the partition nodes. A geometry libparted would change is
 * an error: what is written is what the plan showed. Returns 0 or a negative errno.
 */
int disk_partition(struct tx_report *r, const char *dev, enum label_type label,
		   const struct part_layout *parts, int n, bool boot_is_md);

/*
 * libparted's questions and messages, from now on: errors reported through r, questions given
 * the safe answer (cancel), never a prompt on stderr. NULL gives libparted its own back.
 */
void parted_report_to(struct tx_report *r);
/*
 * Open a disk's label and its partition partno (the /boot extlinux boots from); with set, mark it
 * bootable the way its label wants (GPT: legacy_boot; msdos: boot) and write the label back.
 * *gpt says which label it is. 0, or -errno having said why (no label, another kind, no such
 * partition). bootcfg/ installs extlinux with it: libparted is used here alone.
 */
int partition_boot_flag(struct tx_report *r, const char *disk, int partno, bool set, bool *gpt);

/* The device name of partition n of a disk: sda -> sda2, nvme0n1 -> nvme0n1p2. Caller frees. */
char *partition_path(const char *disk_path, int n);

#endif
