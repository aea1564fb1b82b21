/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Partition geometry: where each partition of a disk goes, in bytes, aligned to 1 MiB, inside the
 * space the partition table leaves usable. Pure arithmetic; libparted writes what this decides.
 */
#ifndef TENXEN_LAYOUT_H
#define TENXEN_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>

enum label_type { LABEL_GPT, LABEL_MSDOS };
enum part_role { ROLE_NONE, ROLE_BIOS_GRUB, ROLE_ESP, ROLE_BOOT, ROLE_LVM };

#define LAYOUT_ALIGN	  (1024 * 1024ULL)
#define LAYOUT_BIOS_GRUB  (1024 * 1024ULL)
#define LAYOUT_ESP	  (256 * 1024 * 1024ULL) /* FAT32, room for two kernels with initrds */
#define LAYOUT_MIN_PV	  (8 * 1024 * 1024ULL)
#define MSDOS_MAX_SECTORS (1ULL << 32)

struct part_layout {
	int partno;
	enum part_role role;
	uint64_t start, length; /* bytes */
};

/* "gpt" or "msdos" */
/* "gpt" or "msdos": how the answer file, the plan and libparted name a label. */
const char *label_type_name(enum label_type t);
/* The label a name means ("gpt"; "msdos", "dos" or "mbr"); false when it means none. */
bool label_type_parse(const char *name, enum label_type *out);

/* The first and one past the last usable byte of a disk under a label. */
void layout_usable(uint64_t disk_bytes, unsigned lsec, enum label_type label, uint64_t *first,
		   uint64_t *end);

/*
 * Lay out a disk: GPT boot disk = bios_grub (BIOS) or an EFI System Partition of esp_size bytes
 * (UEFI, esp_size > 0), /boot, LVM; MBR boot disk = /boot, LVM; other disk = LVM. boot_size is 0
 * on a disk without /boot; pv says whether the rest becomes an LVM partition. Returns the number
 * of partitions (up to 3), or -ENOSPC (too small) or -E2BIG (MBR on a disk past 2 TiB).
 */
int layout_disk(uint64_t disk_bytes, unsigned lsec, enum label_type label, uint64_t esp_size,
		uint64_t boot_size, bool pv, struct part_layout out[3]);

/* The smallest disk layout_disk() accepts, for messages. */
uint64_t layout_min_disk(unsigned lsec, enum label_type label, uint64_t esp_size,
			 uint64_t boot_size);

#endif
