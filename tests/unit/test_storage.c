// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for storage/layout.c, storage/lvm_alloc.c, storage/lvmmeta.c and storage/pvlabel.c. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/util.h"
#include "storage/layout.h"
#include "storage/lvm_alloc.h"
#include "storage/lvmmeta.h"
#include "storage/pvlabel.h"
#include "storage/wipe.h"
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

/* A volume group as lvm2 2.03 writes it: a raid1 root, a mirror with a disk log, a linear
 * volume in two segments, comments, escapes and a list over several lines. */
static const char vg_text[] =
	"# made by hand, in lvm2's own form\n"
	"vg0 {\n"
	"id = \"PlWrS4-wEwg-mMOn-an8I-IjKu-Y9VI-BUtckS\"\n"
	"seqno = 9\n"
	"status = [\"RESIZEABLE\", \"READ\", \"WRITE\"]\n"
	"extent_size = 8192\t# 4 MiB\n"
	"physical_volumes {\n"
	"pv0 {\nid = \"R10xDL-d241-RAdt-1i0a-RxpL-sMqG-YlwD6I\"\ndevice = \"/dev/vda3\"\n"
	"pe_start = 2048\npe_count = 100\n}\n"
	"pv1 {\nid = \"1MtNUb-h9f3-dri7-b7vw-Ld1z-WQOc-LfQiQz\"\ndevice = \"/dev/vdb3\"\n"
	"flags = [\"MISSING\"]\npe_start = 2048\npe_count = 100\n}\n"
	"}\n"
	"logical_volumes {\n"
	"root {\nid = \"x\"\nstatus = [\"READ\", \"WRITE\", \"VISIBLE\"]\n"
	"segment1 {\nstart_extent = 0\nextent_count = 10\ntype = \"raid1\"\n"
	"raids = [\n\"root_rmeta_0\", \"root_rimage_0\",\n\"root_rmeta_1\", \"root_rimage_1\"\n]\n}\n}\n"
	"root_rmeta_0 {\nsegment1 {\nstart_extent = 0\nextent_count = 1\ntype = \"striped\"\nstripes = [\"pv0\", 0]\n}\n}\n"
	"root_rimage_0 {\nsegment1 {\nstart_extent = 0\nextent_count = 10\ntype = \"striped\"\nstripes = [\"pv0\", 1]\n}\n}\n"
	"root_rmeta_1 {\nsegment1 {\nstart_extent = 0\nextent_count = 1\ntype = \"striped\"\nstripes = [\"pv1\", 0]\n}\n}\n"
	"root_rimage_1 {\nsegment1 {\nstart_extent = 0\nextent_count = 10\ntype = \"striped\"\nstripes = [\"pv1\", 1]\n}\n}\n"
	"swap {\nstatus = [\"VISIBLE\"]\nsegment1 {\nstart_extent = 0\nextent_count = 4\ntype = \"mirror\"\n"
	"mirror_log = \"swap_mlog\"\nmirrors = [\"swap_mimage_0\", 0, \"swap_mimage_1\", 0]\n}\n}\n"
	"swap_mimage_0 {\nsegment1 {\nstart_extent = 0\nextent_count = 4\ntype = \"striped\"\nstripes = [\"pv0\", 11]\n}\n}\n"
	"swap_mimage_1 {\nsegment1 {\nstart_extent = 0\nextent_count = 4\ntype = \"striped\"\nstripes = [\"pv1\", 11]\n}\n}\n"
	"swap_mlog {\nsegment1 {\nstart_extent = 0\nextent_count = 1\ntype = \"striped\"\nstripes = [\"pv1\", 15]\n}\n}\n"
	"guest-a {\nid = \"g\\\"a\"\nstatus = [\"VISIBLE\"]\n"
	"segment1 {\nstart_extent = 0\nextent_count = 5\ntype = \"striped\"\nstripes = [\"pv0\", 20]\n}\n"
	"segment2 {\nstart_extent = 5\nextent_count = 3\ntype = \"striped\"\nstripes = [\"pv0\", 30]\n}\n}\n"
	"}\n}\n"
	"contents = \"Text Format Volume Group\"\nversion = 1\n";

/* Build a PV label and metadata area by hand, as LVM2 lays them out, and read the VG back: the
 * metadata area is the image's second 4 KiB, a ring after its 512-byte header; the text starts
 * at loc in it and goes on after the header when it reaches the area's end. */
static int make_pv_image_at(const char *path, const char *text, uint64_t loc)
{
	unsigned char buf[8192] = {0};
	uint64_t v;
	uint32_t w;
	int fd;

	memcpy(buf + 512, "LABELONE", 8);
	w = 32; /* offset_xl */
	memcpy(buf + 512 + 20, &w, 4);
	memcpy(buf + 512 + 24, "LVM2 001", 8);
	/* pv header at 544: uuid[32], size, data area {1 MiB, 0}, end, mda {4096, 4096}, end */
	memcpy(buf + 544, "R10xDLd241RAdt1i0aRxpLsMqGYlwD6I", 32);
	v = 1048576;
	memcpy(buf + 544 + 40, &v, 8);
	v = 4096;
	memcpy(buf + 544 + 40 + 32, &v, 8);
	memcpy(buf + 544 + 40 + 40, &v, 8);
	memcpy(buf + 4096 + 4, " LVM2 x[5A%r0N*>", 16);
	memcpy(buf + 4096 + 32, &v, 8); /* the area's size */
	if (text) {
		size_t len = strlen(text), first = len < 4096 - loc ? len : 4096 - loc;

		memcpy(buf + 4096 + 40, &loc, 8);
		v = len;
		memcpy(buf + 4096 + 48, &v, 8);
		memcpy(buf + 4096 + loc, text, first);
		memcpy(buf + 4096 + 512, text + first, len - first);
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

static int make_pv_image(const char *path, const char *text)
{
	return make_pv_image_at(path, text, 512);
}

TEST(pv_label_names_its_vg)
{
	char path[] = "/tmp/tenxen-pv-XXXXXX";
	int tmp = mkstemp(path), fd;
	char *vg = NULL, *t = NULL, id[33];
	size_t n = 0;

	close(tmp);
	fd = make_pv_image(path, "vg_data {\nid = \"x\"\n}\n");
	CHECK(fd >= 0);
	CHECK(pv_read_metadata(fd, 0, id, &t, &n) == 0 && t);
	vg = t ? pv_meta_vgname(t, n) : NULL;
	CHECK_STR(vg, "vg_data");
	free(vg);
	free(t);
	CHECK(pv_meta_vgname("vg0{", 4) == NULL && pv_meta_vgname("vg0", 3) == NULL);
	close(fd);
	fd = make_pv_image(path, NULL); /* an orphan PV: empty metadata area */
	CHECK(pv_read_metadata(fd, 0, id, &t, &n) == 0 && t == NULL);
	close(fd);
	fd = open("/dev/zero", O_RDONLY);
	CHECK(pv_read_metadata(fd, 0, id, &t, &n) == -ENOENT);
	close(fd);
	/* the whole text and the PV's UUID; then a text that wraps round the area's end */
	{
		char uuid[33], *text = NULL;
		size_t len = 0;

		fd = make_pv_image(path, vg_text);
		CHECK(pv_read_metadata(fd, 0, uuid, &text, &len) == 0);
		CHECK_STR(uuid, "R10xDLd241RAdt1i0aRxpLsMqGYlwD6I");
		CHECK(len == strlen(vg_text) && text && strcmp(text, vg_text) == 0);
		free(text);
		close(fd);
		fd = make_pv_image_at(path, vg_text, 4000);
		CHECK(pv_read_metadata(fd, 0, uuid, &text, &len) == 0);
		CHECK(len == strlen(vg_text) && text && strcmp(text, vg_text) == 0);
		free(text);
		close(fd);
		fd = make_pv_image(path, NULL);
		CHECK(pv_read_metadata(fd, 0, uuid, &text, &len) == 0 && !text && len == 0);
		close(fd);
	}
	unlink(path);
}

TEST(lvm_metadata_read)
{
	struct lvm_vg *vg = NULL;
	struct lvm_extent *e = NULL;
	const struct lvm_lv *lv;
	char *why = NULL;
	size_t n = 0;

	CHECK(lvm_vg_parse(vg_text, strlen(vg_text), &vg, &why) == 0);
	if (!vg) {
		fprintf(stderr, "  %s\n", why);
		free(why);
		return;
	}
	CHECK_STR(vg->name, "vg0");
	CHECK(vg->seqno == 9 && vg->extent_size == 4 * MiB && vg->npvs == 2);
	CHECK(vg->pvs[0].pe_start == MiB && vg->pvs[0].pe_count == 100 && !vg->pvs[0].missing);
	CHECK(vg->pvs[1].missing);
	CHECK(lvm_uuid_equal("R10xDLd241RAdt1i0aRxpLsMqGYlwD6I", vg->pvs[0].id));
	CHECK(!lvm_uuid_equal("R10xDLd241RAdt1i0aRxpLsMqGYlwD6", vg->pvs[0].id));
	/* raid1: each leg's metadata extent and image, one run a PV */
	lv = lvm_vg_find_lv(vg, "root");
	CHECK(lv && lv->visible && lv->extents == 10);
	CHECK(lv && lvm_lv_extents(vg, lv, &e, &n, &why) == 0);
	CHECK(n == 2 && e[0].pv == 0 && e[0].start == 0 && e[0].count == 11 && e[1].pv == 1 &&
	      e[1].start == 0 && e[1].count == 11);
	free(e);
	/* a mirror with its disk log beside its second leg */
	lv = lvm_vg_find_lv(vg, "swap");
	CHECK(lv && lvm_lv_extents(vg, lv, &e, &n, &why) == 0);
	CHECK(n == 2 && e[0].pv == 0 && e[0].start == 11 && e[0].count == 4 && e[1].pv == 1 &&
	      e[1].start == 11 && e[1].count == 5);
	free(e);
	/* two segments that do not touch; the escaped quote kept */
	lv = lvm_vg_find_lv(vg, "guest-a");
	CHECK(lv && lv->extents == 8 && lv->nsegs == 2);
	CHECK_STR(lv ? lv->id : NULL, "g\"a");
	CHECK(lv && lvm_lv_extents(vg, lv, &e, &n, &why) == 0);
	CHECK(n == 2 && e[0].start == 20 && e[0].count == 5 && e[1].start == 30 && e[1].count == 3);
	free(e);
	CHECK(!lvm_vg_find_lv(vg, "root_rimage_0")->visible);
	lvm_vg_free(vg);
	lvm_vg_free(NULL);
}

/* Metadata from a disk or a recorded machine is hostile: each of these is refused, saying why. */
TEST(lvm_metadata_refused)
{
	static const struct {
		const char *text, *why;
	} bad[] = {
		{"", "no volume group"},
		{"vg0 {\nid = \"x\n}\n", "no closing quote"},
		{"vg0 {\nextent_size = 8192\n", "no closing '}'"},
		{"vg0 {\nextent_size = 99999999999999999999\n}\n", "too large"},
		{"vg0 {\nextent_size = 0\n}\n", "no extent_size"},
		{"vg0 {\nextent_size = 8192\nx = [1 2]\n}\n", "separated by commas"},
		{"vg0 {\nextent_size = 8192\n}\n}\n", "closes no section"},
		{"vg0 {\nextent_size = 8192\nphysical_volumes {\npv0 {\nid = \"a\"\npe_start = 2048\n"
		 "pe_count = 18446744073709551\n}\n}\n}\n",
		 "larger than any disk"},
		{"vg0 {\nextent_size = 8192\nphysical_volumes {\npv0 {\nid = \"a\"\npe_start = 2048\n"
		 "pe_count = 10\n}\n}\nlogical_volumes {\nlv {\nsegment1 {\nstart_extent = 0\n"
		 "extent_count = 8\ntype = \"striped\"\nstripes = [\"pv0\", 5]\n}\n}\n}\n}\n",
		 "reaches past the end of pv0"},
		{"vg0 {\nextent_size = 8192\nlogical_volumes {\nlv {\nsegment1 {\nstart_extent = 0\n"
		 "extent_count = 8\ntype = \"striped\"\nstripes = [\"pv9\", 0]\n}\n}\n}\n}\n",
		 "names pv9, which is neither"},
		{"vg0 {\nextent_size = 8192\nlogical_volumes {\nlv {\nsegment1 {\nstart_extent = 3\n"
		 "extent_count = 8\ntype = \"thin\"\n}\n}\n}\n}\n",
		 "do not follow each other"},
		{"vg0 {\nextent_size = 8192\nlogical_volumes {\nlv {\n}\n}\n}\n", "has no segment"},
		{"vg0 {\nextent_size = 8192\nlogical_volumes {\nlv {\nsegment1 {\n}\n}\n}\n}\n",
		 "has no start_extent"},
		{"vg0 {\nextent_size = 8192\nlogical_volumes {\nlv {\n}\nlv {\n}\n}\n}\n",
		 "lv is named twice"},
		/* a volume that names itself */
		{"vg0 {\nextent_size = 8192\nlogical_volumes {\na {\nsegment1 {\nstart_extent = 0\n"
		 "extent_count = 1\ntype = \"mirror\"\nmirrors = [\"a\", 0]\n}\n}\n}\n}\n",
		 "a names itself"},
		{"vg0 {\nextent_size = 8192\nlogical_volumes {\na {\nsegment1 {\nstart_extent = 0\n"
		 "extent_count = 1\ntype = \"mirror\"\nmirrors = [\"b\", 0]\nmirror_log = \"a\"\n}\n}\n"
		 "b {\nsegment1 {\nstart_extent = 0\nextent_count = 1\ntype = \"striped\"\n}\n}\n}\n}\n",
		 "a names itself"},
		/* a fan-out: one sub-volume taken twice, by one volume or by two */
		{"vg0 {\nextent_size = 8192\nlogical_volumes {\na {\nsegment1 {\nstart_extent = 0\n"
		 "extent_count = 1\ntype = \"mirror\"\nmirrors = [\"b\", 0, \"b\", 0]\n}\n}\n"
		 "b {\nsegment1 {\nstart_extent = 0\nextent_count = 1\ntype = \"striped\"\n}\n}\n}\n}\n",
		 "b is a part of both a and a"},
		{"vg0 {\nextent_size = 8192\nlogical_volumes {\n"
		 "a {\nsegment1 {\nstart_extent = 0\nextent_count = 1\ntype = \"mirror\"\nmirrors = [\"c\", 0]\n}\n}\n"
		 "b {\nsegment1 {\nstart_extent = 0\nextent_count = 1\ntype = \"raid1\"\nraids = [\"c\"]\n}\n}\n"
		 "c {\nsegment1 {\nstart_extent = 0\nextent_count = 1\ntype = \"striped\"\n}\n}\n}\n}\n",
		 "c is a part of both a and b"},
		/* a loop through two volumes */
		{"vg0 {\nextent_size = 8192\nlogical_volumes {\n"
		 "a {\nsegment1 {\nstart_extent = 0\nextent_count = 1\ntype = \"mirror\"\nmirrors = [\"b\", 0]\n}\n}\n"
		 "b {\nsegment1 {\nstart_extent = 0\nextent_count = 1\ntype = \"mirror\"\nmirrors = [\"a\", 0]\n}\n}\n}\n}\n",
		 "a part of itself, through other volumes"},
		/* two volumes on the same extents of one disk; touching runs are fine (below) */
		{"vg0 {\nextent_size = 8192\nphysical_volumes {\npv0 {\nid = \"a\"\npe_start = 2048\n"
		 "pe_count = 100\n}\n}\nlogical_volumes {\n"
		 "root {\nsegment1 {\nstart_extent = 0\nextent_count = 10\ntype = \"striped\"\nstripes = [\"pv0\", 0]\n}\n}\n"
		 "guest {\nsegment1 {\nstart_extent = 0\nextent_count = 10\ntype = \"striped\"\nstripes = [\"pv0\", 9]\n}\n}\n}\n}\n",
		 "root and guest both claim extent 9 of pv0"},
		/* extent counts whose sum wraps */
		{"vg0 {\nextent_size = 8192\nlogical_volumes {\nlv {\nsegment1 {\nstart_extent = 0\n"
		 "extent_count = 9223372036854775807\ntype = \"striped\"\n}\nsegment2 {\n"
		 "start_extent = 9223372036854775807\nextent_count = 9223372036854775807\n"
		 "type = \"striped\"\n}\n}\n}\n}\n",
		 "more extents than any disk holds"},
	};
	char deep[400] = "vg0 {\n";

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct lvm_vg *vg = NULL;
		char *why = NULL;

		CHECK(lvm_vg_parse(bad[i].text, strlen(bad[i].text), &vg, &why) == -EINVAL);
		CHECK(vg == NULL && why && strstr(why, bad[i].why));
		if (!why || !strstr(why, bad[i].why))
			fprintf(stderr, "  case %zu: %s\n", i, why ? why : "(accepted)");
		free(why);
		lvm_vg_free(vg);
	}
	for (int i = 0; i < 40; i++)
		strcat(deep, "a {\n");
	{
		struct lvm_vg *vg = NULL;
		char *why = NULL;

		CHECK(lvm_vg_parse(deep, strlen(deep), &vg, &why) == -EINVAL);
		CHECK(why && strstr(why, "nest more than"));
		free(why);
		/* not NUL-terminated: only len bytes are read */
		CHECK(lvm_vg_parse("vg0 { extent_size = 8192 }XXXX", 26, &vg, &why) == 0);
		lvm_vg_free(vg);
	}
}

/* A segment type whose place Tenxen does not read; volumes whose runs touch but do not share. */
TEST(lvm_extents_refused)
{
	static const char text[] =
		"vg0 {\nextent_size = 8192\nphysical_volumes {\npv0 {\nid = \"a\"\npe_start = 2048\n"
		"pe_count = 100\n}\n}\nlogical_volumes {\n"
		"a {\nsegment1 {\nstart_extent = 0\nextent_count = 10\ntype = \"striped\"\nstripes = [\"pv0\", 0]\n}\n}\n"
		"b {\nsegment1 {\nstart_extent = 0\nextent_count = 10\ntype = \"striped\"\nstripes = [\"pv0\", 10]\n}\n}\n"
		"t {\nsegment1 {\nstart_extent = 0\nextent_count = 1\ntype = \"thin\"\n}\n}\n"
		"}\n}\n";
	struct lvm_vg *vg = NULL;
	struct lvm_extent *e = NULL;
	char *why = NULL;
	size_t n = 9;

	CHECK(lvm_vg_parse(text, strlen(text), &vg, &why) == 0);
	if (!vg) {
		fprintf(stderr, "  %s\n", why);
		free(why);
		return;
	}
	CHECK(lvm_lv_extents(vg, lvm_vg_find_lv(vg, "b"), &e, &n, &why) == 0);
	CHECK(n == 1 && e[0].start == 10 && e[0].count == 10);
	free(e);
	CHECK(lvm_lv_extents(vg, lvm_vg_find_lv(vg, "t"), &e, &n, &why) == -ENOTSUP);
	CHECK(why && strstr(why, "\"thin\""));
	free(why);
	lvm_vg_free(vg);
}

/*
 * disk_wipe erases what the old partitions hold, not only the disk's own table: an image file
 * with a GPT and an ext4 filesystem in each of two partitions; after the wipe, libblkid finds
 * nothing at either partition's offset nor on the disk. (Wiping the disk alone would leave both
 * filesystems to reappear when a new table puts a partition at the same place.)
 */
TEST(wipe_inside_old_partitions)
{
	char dir[] = "/tmp/tenxen-unit-wipe-XXXXXX";
	struct tx_report r = {0};
	char *img, *cmd;
	int n;

	r.log = fopen("/dev/null", "w");
	CHECK(mkdtemp(dir) != NULL);
	img = xasprintf("%s/disk.img", dir);
	cmd = xasprintf(
		"set -e; truncate -s 64M %s; parted -s %s mklabel gpt mkpart a 1MiB 17MiB "
		"mkpart b 17MiB 33MiB; mkfs.ext4 -q -F -L olda -E offset=1048576 %s 16M; "
		"mkfs.ext4 -q -F -L oldb -E offset=17825792 %s 16M; "
		"blkid -p -O 1048576 %s | grep -q olda; blkid -p -O 17825792 %s | grep -q oldb",
		img, img, img, img, img, img);
	CHECK(system(cmd) == 0);
	free(cmd);
	n = disk_wipe(&r, img);
	CHECK(n >= 3); /* the GPT (and its protective MBR), and both filesystems */
	cmd = xasprintf("blkid -p -O 1048576 %s || blkid -p -O 17825792 %s || blkid -p %s", img,
			img, img);
	CHECK(system(cmd) != 0); /* blkid finds nothing at any of the three */
	free(cmd);
	cmd = xasprintf("rm -rf %s", dir);
	CHECK(system(cmd) == 0);
	free(cmd);
	free(img);
	fclose(r.log);
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
	RUN(lvm_metadata_read);
	RUN(lvm_metadata_refused);
	RUN(lvm_extents_refused);
	RUN(wipe_inside_old_partitions);
	UNIT_EXIT();
}
