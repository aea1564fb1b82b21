// SPDX-License-Identifier: GPL-2.0-or-later
#include "storage/partition.h"
#include "common/util.h"

#include <ctype.h>
#include <errno.h>
#include <parted/parted.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static struct tx_report *parted_report;

static PedExceptionOption on_exception(PedException *ex)
{
	if (parted_report && ex->type >= PED_EXCEPTION_ERROR)
		tx_error(parted_report, NULL, "libparted: %s", ex->message);
	else if (parted_report)
		tx_info(parted_report, NULL, "libparted: %s", ex->message);
	/* questions get the safe answer */
	if (ex->options & PED_EXCEPTION_IGNORE && ex->type < PED_EXCEPTION_ERROR)
		return PED_EXCEPTION_IGNORE;
	return PED_EXCEPTION_CANCEL;
}

void parted_report_to(struct tx_report *r)
{
	parted_report = r;
	ped_exception_set_handler(r ? on_exception : NULL);
}

char *partition_path(const char *disk_path, int n)
{
	size_t l = strlen(disk_path);

	if (l && isdigit((unsigned char)disk_path[l - 1]))
		return xasprintf("%sp%d", disk_path, n);
	return xasprintf("%s%d", disk_path, n);
}

int disk_partition(struct tx_report *r, const char *dev, enum label_type label,
		   const struct part_layout *parts, int n, bool boot_is_md)
{
	PedDevice *pdev;
	PedDisk *disk = NULL;
	bool uefi = false;
	int rc = 0;

	for (int i = 0; i < n; i++)
		uefi |= parts[i].role == ROLE_ESP;
	parted_report_to(r);
	pdev = ped_device_get(dev);
	if (!pdev || !ped_device_open(pdev)) {
		tx_error(r, NULL, "libparted cannot open %s", dev);
		rc = -ENODEV;
		goto out;
	}
	disk = ped_disk_new_fresh(pdev, ped_disk_type_get(label_type_name(label)));
	if (!disk) {
		tx_error(r, NULL, "cannot make a new %s label on %s", label_type_name(label), dev);
		rc = -EIO;
		goto out;
	}
	for (int i = 0; i < n && rc == 0; i++) {
		const struct part_layout *p = &parts[i];
		long long ss = pdev->sector_size;
		PedSector start = (PedSector)(p->start / (uint64_t)ss);
		PedSector end = (PedSector)((p->start + p->length) / (uint64_t)ss) - 1;
		PedPartition *part =
			ped_partition_new(disk, PED_PARTITION_NORMAL, NULL, start, end);
		PedConstraint *exact;

		if (!part) {
			rc = -EIO;
			break;
		}
		exact = ped_constraint_exact(&part->geom);
		if (!ped_disk_add_partition(disk, part, exact)) {
			tx_error(r, NULL,
				 "libparted will not put partition %d of %s at bytes %llu-%llu",
				 p->partno, dev, (unsigned long long)p->start,
				 (unsigned long long)(p->start + p->length - 1));
			ped_constraint_destroy(exact);
			rc = -EIO;
			break;
		}
		ped_constraint_destroy(exact);
		if (part->num != p->partno || part->geom.start != start || part->geom.end != end) {
			tx_error(
				r, NULL,
				"libparted made partition %d of %s differ from the plan; nothing was written",
				p->partno, dev);
			rc = -EIO;
			break;
		}
		if (label == LABEL_GPT)
			ped_partition_set_name(part, p->role == ROLE_BIOS_GRUB ? "bios"
						     : p->role == ROLE_ESP     ? "esp"
						     : p->role == ROLE_BOOT    ? "boot"
									       : "lvm");
		switch (p->role) {
		case ROLE_BIOS_GRUB:
			ped_partition_set_flag(part, PED_PARTITION_BIOS_GRUB, 1);
			break;
		case ROLE_ESP:
			/* the EFI System Partition type GUID */
			ped_partition_set_flag(part, PED_PARTITION_ESP, 1);
			break;
		case ROLE_BOOT:
			/* extlinux's boot code looks for the bootable one; UEFI does not */
			if (!uefi)
				ped_partition_set_flag(part,
						       label == LABEL_GPT
							       ? PED_PARTITION_LEGACY_BOOT
							       : PED_PARTITION_BOOT,
						       1);
			if (boot_is_md)
				ped_partition_set_flag(part, PED_PARTITION_RAID, 1);
			break;
		case ROLE_LVM:
			ped_partition_set_flag(part, PED_PARTITION_LVM, 1);
			break;
		default:
			break;
		}
	}
	if (rc == 0 && !ped_disk_commit(disk)) {
		tx_error(r, NULL, "cannot write the partition table of %s", dev);
		rc = -EIO;
	}
	/* the kernel makes the nodes (devtmpfs); wait for them a little */
	for (int i = 0; i < n && rc == 0; i++) {
		char *node = partition_path(dev, parts[i].partno);
		struct timespec ts = {0, 50 * 1000 * 1000};
		int tries = 100;

		while (access(node, F_OK) != 0 && tries--)
			nanosleep(&ts, NULL);
		if (access(node, F_OK) != 0) {
			tx_error(r, NULL, "the kernel shows no %s after the new partition table",
				 node);
			rc = -ENOENT;
		}
		free(node);
	}
out:
	if (disk)
		ped_disk_destroy(disk);
	if (pdev)
		ped_device_destroy(pdev);
	parted_report_to(NULL);
	return rc;
}

/*
 * Open a disk's label and its /boot partition; with set, mark the partition bootable the way its
 * label wants (and write the label back). *gpt says which label it is.
 */
int partition_boot_flag(struct tx_report *r, const char *disk, int partno, bool set, bool *gpt)
{
	PedDevice *dev;
	PedDisk *pd = NULL;
	PedPartition *part;
	int rc = 0;

	parted_report_to(r);
	dev = ped_device_get(disk);
	if (!dev) {
		tx_error(r, NULL, "libparted cannot open %s", disk);
		return -ENODEV;
	}
	if (ped_disk_probe(dev))
		pd = ped_disk_new(dev);
	if (!pd) {
		tx_error(r, NULL,
			 "%s has no partition table libparted can read; partition it first", disk);
		rc = -EINVAL;
		goto out;
	}
	*gpt = streq(pd->type->name, "gpt");
	if (!*gpt && !streq(pd->type->name, "msdos")) {
		tx_error(r, NULL,
			 "%s has a %s partition table; extlinux boots from gpt and msdos ones",
			 disk, pd->type->name);
		rc = -EINVAL;
		goto out;
	}
	part = ped_disk_get_partition(pd, partno);
	if (!part) {
		tx_error(r, NULL, "%s has no partition %d", disk, partno);
		rc = -ENOENT;
		goto out;
	}
	if (set && (!ped_partition_set_flag(
			    part, *gpt ? PED_PARTITION_LEGACY_BOOT : PED_PARTITION_BOOT, 1) ||
		    !ped_disk_commit_to_dev(pd))) {
		tx_error(r, NULL, "cannot mark partition %d of %s bootable", partno, disk);
		rc = -EIO;
	}
out:
	if (pd)
		ped_disk_destroy(pd);
	ped_device_destroy(dev);
	parted_report_to(NULL);
	return rc;
}
