// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for storage/layout.c, storage/lvm_alloc.c and storage/pvlabel.c. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/util.h"
#include "storage/layout.h"
#include "storage/lvm_alloc.h"
#include "storage/pvlabel.h"
#include "tests/unit/unit.h"

TEST(gpt_boot_disk_layout)
{
	struct part_layout p[3];
	uint64_t size = 500107862016ULL; /* a "500 GB" disk */
	int n = layout_disk(size, 512, LABEL_GPT, 0, 512 * MiB, true, p);

	CHECK(n == 3);
	CHECK(p[0].role == ROLE_BIOS_GRUB && p[0].start == MiB && p[0].length == MiB);
	CHECK(p[1].role == ROLE_BOOT && p[1].start == 2 * MiB && p[1].length == 512 * MiB);
	CHECK(p[2].role == ROLE_LVM && p[2].start == 514 * MiB);
	/* every partition aligned to 1 MiB, and clear of the backup GPT (33 sectors) */
	for (int i = 0; i < n; i++)
		CHECK(p[i].start % MiB == 0 && p[i].length % MiB == 0);
	CHECK(p[2].start + p[2].length <= size - 33 * 512);
	CHECK(size - 33 * 512 - (p[2].start + p[2].length) < MiB);
}

TEST(msdos_and_plain_disks)
{
	struct part_layout p[3];
	int n = layout_disk(8 * GiB, 512, LABEL_MSDOS, 0, 256 * MiB, true, p);

	CHECK(n == 2);
	CHECK(p[0].role == ROLE_BOOT && p[0].start == MiB);
	CHECK(p[1].role == ROLE_LVM && p[1].start + p[1].length == 8 * GiB);
	n = layout_disk(8 * GiB, 512, LABEL_GPT, 0, 0, true, p);
	CHECK(n == 1 && p[0].role == ROLE_LVM && p[0].partno == 1);
	n = layout_disk(8 * GiB, 512, LABEL_GPT, 0, 0, false, p);
	CHECK(n == 0);
}

TEST(four_k_sectors)
{
	struct part_layout p[3];
	uint64_t size = 256 * GiB;
	int n = layout_disk(size, 4096, LABEL_GPT, 0, 512 * MiB, true, p);
	uint64_t first, end;

	layout_usable(size, 4096, LABEL_GPT, &first, &end);
	CHECK(first == 6 * 4096);      /* header sector, MBR, 4 sectors of entries */
	CHECK(end == size - 5 * 4096); /* backup header and entries */
	CHECK(n == 3 && p[2].start + p[2].length <= end);
}

TEST(refusals)
{
	struct part_layout p[3];

	CHECK(layout_disk(3 * TiB, 512, LABEL_MSDOS, 0, 512 * MiB, true, p) == -E2BIG);
	CHECK(layout_disk(3 * TiB, 4096, LABEL_MSDOS, 0, 512 * MiB, true, p) > 0); /* 4K: 16 TiB */
	CHECK(layout_disk(512 * MiB, 512, LABEL_GPT, 0, 512 * MiB, true, p) == -ENOSPC);
	CHECK(layout_min_disk(512, LABEL_GPT, 0, 512 * MiB) > 514 * MiB);
	CHECK(layout_disk(layout_min_disk(512, LABEL_GPT, 0, 512 * MiB), 512, LABEL_GPT, 0,
			  512 * MiB, true, p) == 3);
}

/* UEFI: an ESP of 256 MiB takes bios_grub's place on a GPT boot disk, and counts in the minimum. */
static void test_uefi_esp_in_place_of_bios_grub(void)
{
	struct part_layout p[3];
	uint64_t min = layout_min_disk(512, LABEL_GPT, LAYOUT_ESP, 512 * MiB);
	int n = layout_disk(8 * GiB, 512, LABEL_GPT, LAYOUT_ESP, 512 * MiB, true, p);

	CHECK(n == 3);
	CHECK(p[0].role == ROLE_ESP && p[0].start == MiB && p[0].length == 256 * MiB);
	CHECK(p[1].role == ROLE_BOOT && p[1].start == 257 * MiB);
	CHECK(p[2].role == ROLE_LVM && p[2].start == 769 * MiB);
	/* a disk without /boot gets no ESP */
	CHECK(layout_disk(8 * GiB, 512, LABEL_GPT, LAYOUT_ESP, 0, true, p) == 1 &&
	      p[0].role == ROLE_LVM);
	CHECK(min > layout_min_disk(512, LABEL_GPT, 0, 512 * MiB) + 254 * MiB);
	CHECK(layout_disk(min, 512, LABEL_GPT, LAYOUT_ESP, 512 * MiB, true, p) == 3);
	CHECK(layout_disk(min - MiB, 512, LABEL_GPT, LAYOUT_ESP, 512 * MiB, true, p) == -ENOSPC);
}

TEST(pv_extents)
{
	CHECK(lvm_pv_extents(MiB, 4 * MiB) == 0);
	CHECK(lvm_pv_extents(9 * MiB, 4 * MiB) == 2);
	CHECK(lvm_pv_extents(GiB, 4 * MiB) == 255); /* 1 MiB goes to the label and metadata */
}

TEST(mirror_core_log_on_two_pvs)
{
	uint64_t free_ext[2] = {1000, 1000};
	struct lvm_placement pl;

	CHECK(lvm_place(free_ext, 2, LV_MIRROR, 2, MLOG_CORE, &pl) == 0);
	CHECK(pl.max_extents == 1000 && !pl.anywhere && pl.nlogs == 0);
	CHECK(lvm_take(free_ext, 2, LV_MIRROR, &pl, 400) == 0);
	CHECK(free_ext[0] == 600 && free_ext[1] == 600);
	CHECK(lvm_take(free_ext, 2, LV_MIRROR, &pl, 2000) == -ENOSPC);
	CHECK(free_ext[0] == 600); /* unchanged by a refusal */
}

TEST(mirror_disk_log_needs_anywhere_on_two_pvs)
{
	uint64_t two[2] = {1000, 1000}, three[3] = {1000, 1000, 10};
	struct lvm_placement pl;

	CHECK(lvm_place(two, 2, LV_MIRROR, 2, MLOG_DISK, &pl) == 0);
	CHECK(pl.anywhere && pl.nlogs == 1 && pl.max_extents == 999);
	CHECK(lvm_take(two, 2, LV_MIRROR, &pl, 999) == 0);
	CHECK(two[0] + two[1] == 1); /* legs and the log used all but one extent */
	/* with a third PV the log goes there, apart from the legs */
	CHECK(lvm_place(three, 3, LV_MIRROR, 2, MLOG_DISK, &pl) == 0);
	CHECK(!pl.anywhere && pl.logs[0] == 2 && pl.max_extents == 1000);
	/* a mirrored log: two extents on two PVs */
	CHECK(lvm_place(three, 3, LV_MIRROR, 2, MLOG_MIRRORED, &pl) == 0);
	CHECK(pl.nlogs == 2 && pl.anywhere);
}

TEST(raid1_metadata_and_leg_count)
{
	uint64_t f[2] = {500, 800}, one[1] = {1000};
	struct lvm_placement pl;

	CHECK(lvm_place(f, 2, LV_RAID1, 2, MLOG_DISK, &pl) == 0);
	CHECK(pl.max_extents == 499); /* the smaller leg, less one metadata extent */
	CHECK(lvm_place(one, 1, LV_RAID1, 2, MLOG_DISK, &pl) == -ENOSPC);
	CHECK(lvm_place(f, 2, LV_LINEAR, 1, MLOG_DISK, &pl) == 0 && pl.max_extents == 1300);
}

/* Build a PV label and metadata area by hand, as LVM2 lays them out, and read the VG back. */
static int make_pv_image(const char *path, const char *text)
{
	unsigned char buf[8192] = {0};
	uint64_t v;
	uint32_t w;
	int fd;

	memcpy(buf + 512, "LABELONE", 8);
	w = 32; /* offset_xl */
	memcpy(buf + 512 + 20, &w, 4);
	memcpy(buf + 512 + 24, "LVM2 001", 8);
	/* pv header at 544: uuid[32], size, data area {1 MiB, 0}, end, mda {4096, 1 MiB}, end */
	v = 1048576;
	memcpy(buf + 544 + 40, &v, 8);
	v = 4096;
	memcpy(buf + 544 + 40 + 32, &v, 8);
	v = 1044480;
	memcpy(buf + 544 + 40 + 40, &v, 8);
	memcpy(buf + 4096 + 4, " LVM2 x[5A%r0N*>", 16);
	if (text) {
		v = 512; /* text 512 bytes into the metadata area */
		memcpy(buf + 4096 + 40, &v, 8);
		v = strlen(text);
		memcpy(buf + 4096 + 48, &v, 8);
		memcpy(buf + 4096 + 512, text, strlen(text));
	}
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return -1;
	if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf)) {
		close(fd);
		return -1;
	}
	return fd;
}

TEST(pv_label_names_its_vg)
{
	char path[] = "/tmp/tenxen-pv-XXXXXX";
	int tmp = mkstemp(path), fd;
	char *vg = NULL;

	close(tmp);
	fd = make_pv_image(path, "vg_data {\nid = \"x\"\n}\n");
	CHECK(fd >= 0);
	CHECK(pv_read_vgname(fd, 0, &vg) == 0);
	CHECK_STR(vg, "vg_data");
	free(vg);
	close(fd);
	fd = make_pv_image(path, NULL); /* an orphan PV: empty metadata area */
	CHECK(pv_read_vgname(fd, 0, &vg) == 0 && vg == NULL);
	close(fd);
	fd = open("/dev/zero", O_RDONLY);
	CHECK(pv_read_vgname(fd, 0, &vg) == -ENOENT);
	close(fd);
	unlink(path);
}

int main(void)
{
	RUN(gpt_boot_disk_layout);
	RUN(msdos_and_plain_disks);
	RUN(four_k_sectors);
	RUN(refusals);
	RUN(uefi_esp_in_place_of_bios_grub);
	RUN(pv_extents);
	RUN(mirror_core_log_on_two_pvs);
	RUN(mirror_disk_log_needs_anywhere_on_two_pvs);
	RUN(raid1_metadata_and_leg_count);
	RUN(pv_label_names_its_vg);
	UNIT_EXIT();
}
