// SPDX-License-Identifier: GPL-2.0-or-later
#include "storage/layout.h"
#include "common/util.h"

#include <errno.h>

/* A GPT keeps 128 entries of 128 bytes after its header at both ends of the disk. */
#define GPT_ENTRIES_BYTES (128 * 128ULL)

void layout_usable(uint64_t disk_bytes, unsigned lsec, enum label_type label, uint64_t *first,
		   uint64_t *end)
{
	uint64_t sectors = disk_bytes / lsec;

	if (label == LABEL_GPT) {
		uint64_t table = (GPT_ENTRIES_BYTES + lsec - 1) / lsec;

		*first = (2 + table) * lsec;
		*end = sectors > 1 + table ? (sectors - 1 - table) * lsec : 0;
	} else {
		*first = lsec;
		*end = sectors * lsec;
	}
}

static uint64_t align_up(uint64_t v)
{
	return (v + LAYOUT_ALIGN - 1) / LAYOUT_ALIGN * LAYOUT_ALIGN;
}

int layout_disk(uint64_t disk_bytes, unsigned lsec, enum label_type label, uint64_t esp_size,
		uint64_t boot_size, bool pv, struct part_layout out[3])
{
	uint64_t first, end, pos;
	int n = 0;

	if (label == LABEL_MSDOS && disk_bytes / lsec > MSDOS_MAX_SECTORS)
		return -E2BIG;
	layout_usable(disk_bytes, lsec, label, &first, &end);
	end = end / LAYOUT_ALIGN * LAYOUT_ALIGN;
	pos = align_up(first);
	if (boot_size && label == LABEL_GPT) {
		uint64_t len = esp_size ? align_up(esp_size) : LAYOUT_BIOS_GRUB;

		out[n] =
			(struct part_layout){n + 1, esp_size ? ROLE_ESP : ROLE_BIOS_GRUB, pos, len};
		pos += len;
		n++;
	}
	if (boot_size) {
		out[n] = (struct part_layout){n + 1, ROLE_BOOT, pos, align_up(boot_size)};
		pos += align_up(boot_size);
		n++;
	}
	if (!pv)
		return pos <= end ? n : -ENOSPC;
	if (pos >= end || end - pos < LAYOUT_MIN_PV)
		return -ENOSPC;
	out[n] = (struct part_layout){n + 1, ROLE_LVM, pos, end - pos};
	return n + 1;
}

uint64_t layout_min_disk(unsigned lsec, enum label_type label, uint64_t esp_size,
			 uint64_t boot_size)
{
	uint64_t first, end, tail;

	layout_usable(64 * LAYOUT_ALIGN, lsec, label, &first, &end);
	tail = 64 * LAYOUT_ALIGN - end;
	return align_up(first) +
	       (boot_size && label == LABEL_GPT ? (esp_size ? align_up(esp_size) : LAYOUT_BIOS_GRUB)
						: 0) +
	       align_up(boot_size) + LAYOUT_MIN_PV + align_up(tail);
}

const char *label_type_name(enum label_type t)
{
	return t == LABEL_MSDOS ? "msdos" : "gpt";
}

bool label_type_parse(const char *name, enum label_type *out)
{
	if (streq(name, "gpt"))
		*out = LABEL_GPT;
	else if (streq(name, "msdos") || streq(name, "dos") || streq(name, "mbr"))
		*out = LABEL_MSDOS;
	else
		return false;
	return true;
}
