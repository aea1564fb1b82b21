// SPDX-License-Identifier: GPL-2.0-or-later
/* The storage operations: labels and partitions by byte range, /boot (md RAID1 on two disks),
 * volume groups and logical volumes by extents, filesystems and mounts. */
#include "plan/builder.h"
#include "storage/partition.h"
#include "bootcfg/esp.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- storage operations ---- */

void plan_partitions(struct builder *b)
{
	const struct spec *s = b->s;
	const struct machine *m = b->m;
	enum label_type label = s->bootloader.label;
	uint64_t esp = b->p->firmware == FIRMWARE_UEFI ? LAYOUT_ESP : 0;

	for (size_t j = 0; j < m->ndisks; j++) {
		const struct plan_disk *pd = &b->p->disks[j];
		const struct disk *d = &m->disks[j];
		struct op *o;

		if (pd->fate == FATE_KEPT)
			plan_kept_partitions(b, (int)j);
		if (pd->fate != FATE_ERASED)
			continue;
		o = add_op(b->p, OP_WIPE);
		o->device = xstrdup(d->path);
		o->stable = xstrdup(disk_stable_id(d));
		o->disk = (int)j;
		for (size_t k = 0; k < d->nsigs; k++) {
			const struct sig *sg = &d->sigs[k];

			if (sg->partno)
				strv_push_owned(&o->members, xasprintf("%s on partition %d",
								       sg->type, sg->partno));
			else
				strv_push(&o->members, sg->type);
		}
	}
	for (size_t j = 0; j < m->ndisks; j++) {
		const struct plan_disk *pd = &b->p->disks[j];
		const struct disk *d = &m->disks[j];
		bool boot, pv;
		int n;

		if (pd->fate != FATE_ERASED || !alias_in_use(s, pd->alias, &boot, &pv))
			continue;
		n = layout_disk(d->size, d->lsec, label, esp, boot ? s->boot.size : 0, pv,
				b->parts[j]);
		if (n == -E2BIG) {
			char *dd = describe_disk(d);

			tx_error(
				b->r, &s->bootloader.loc,
				"disk %s is %s; an MBR partition table reaches only the first 2 TiB: use --label=gpt",
				pd->alias, dd);
			free(dd);
			continue;
		}
		if (n < 0) {
			char *dd = describe_disk(d);
			char *need = human_size(
				layout_min_disk(d->lsec, label, esp, boot ? s->boot.size : 0));

			tx_error(
				b->r, &spec_find_disk(s, pd->alias)->loc,
				"disk %s is %s, too small for its part of the layout (at least %s); choose a larger disk or a smaller /boot",
				pd->alias, dd, need);
			free(dd);
			free(need);
			continue;
		}
		b->nparts[j] = n;
		{
			struct op *o = add_op(b->p, OP_LABEL);

			o->device = xstrdup(d->path);
			o->stable = xstrdup(disk_stable_id(d));
			o->disk = (int)j;
			o->label = label;
		}
		for (int k = 0; k < n; k++) {
			struct op *o = add_op(b->p, OP_PARTITION);

			o->device = partition_path(d->path, b->parts[j][k].partno);
			o->stable = partition_stable(d, b->parts[j][k].partno);
			o->disk = (int)j;
			o->partno = b->parts[j][k].partno;
			o->role = b->parts[j][k].role;
			o->label = label;
			o->start = b->parts[j][k].start;
			o->length = b->parts[j][k].length;
			if (o->role == ROLE_BOOT && !esp)
				o->detail = xstrdup(label == LABEL_GPT ? "legacy BIOS bootable"
								       : "boot flag");
			else if (o->role == ROLE_ESP)
				o->detail = xstrdup("the ESP type, FAT32");
		}
	}
}

const struct part_layout *part_of(struct builder *b, int disk, enum part_role role)
{
	if (disk < 0)
		return NULL;
	for (int k = 0; k < b->nparts[disk]; k++)
		if (b->parts[disk][k].role == role)
			return &b->parts[disk][k];
	return NULL;
}

void plan_boot(struct builder *b)
{
	const struct spec *s = b->s;
	struct strv members = {0};

	for (size_t i = 0; i < s->boot.disks.n; i++) {
		int j = disk_index_of_alias(b, s->boot.disks.v[i]);
		const struct part_layout *pl = part_of(b, j, ROLE_BOOT);

		if (pl)
			strv_push_owned(&members, partition_path(b->m->disks[j].path, pl->partno));
	}
	if (members.n == 0)
		return;
	if (members.n == 1) {
		b->boot_dev = xstrdup(members.v[0]);
		strv_free(&members);
		return;
	}
	{
		struct op *o = add_op(b->p, OP_MD);

		o->device = xstrdup("/dev/md/boot");
		o->name = xstrdup("boot");
		o->members = members;
		o->detail = xstrdup(
			"RAID1, metadata 1.0 (at the end, so each member reads as a plain filesystem to extlinux)");
		b->boot_dev = xstrdup(o->device);
	}
}

static int lv_order(const struct spec_logvol *lv)
{
	return lv->size_kind == SIZE_BYTES ? 0 : lv->size_kind == SIZE_PCT_VG ? 1 : 2;
}

/* vgcreate makes each partition a physical volume itself: one lvm run, not one a disk. Sets
 * each disk's free extents; returns the total, or 0 when a disk has no LVM partition. */
static uint64_t plan_vgcreate(struct builder *b, const struct spec_volgroup *vg, uint64_t *free_ext)
{
	struct op *o = add_op(b->p, OP_VGCREATE);
	struct strv pvs = {0};
	uint64_t total = 0;

	o->name = xstrdup(vg->name);
	o->device = xasprintf("/dev/%s", vg->name);
	o->pesize = vg->pesize;
	for (size_t i = 0; i < vg->disks.n; i++) {
		int j = disk_index_of_alias(b, vg->disks.v[i]);
		const struct part_layout *pl = part_of(b, j, ROLE_LVM);
		char *path, *stable, *h;

		if (!pl) {
			strv_free(&pvs);
			return 0; /* reported already */
		}
		path = partition_path(b->m->disks[j].path, pl->partno);
		stable = partition_stable(&b->m->disks[j], pl->partno);
		free_ext[i] = lvm_pv_extents(pl->length, vg->pesize);
		total += free_ext[i];
		h = human_size(free_ext[i] * vg->pesize);
		strv_push_owned(&pvs,
				xasprintf("%s%s%s%s (%llu extents, %s)", path, stable ? " [" : "",
					  stable ? stable : "", stable ? "]" : "",
					  (unsigned long long)free_ext[i], h));
		strv_push_owned(&o->members, path);
		free(stable);
		free(h);
	}
	o->extents = total;
	o->detail = strv_join(&pvs, " + ");
	strv_free(&pvs);
	return total;
}

/* Why a volume of want extents does not fit where lvm_place put it. */
static void refuse_size(struct builder *b, uint64_t pesize, const struct spec_volgroup *vg,
			const struct spec_logvol *lv, int legs, uint64_t want, uint64_t max)
{
	char *word = spec_size_word(lv->size);
	char *need = human_size(want * pesize);
	char *have = human_size(max * pesize);

	if (want == 0)
		tx_error(
			b->r, &lv->loc,
			"logvol %s gets no space: volume group %s is full by then; make the volumes before it smaller",
			lv->mount, vg->name);
	else if (legs > 1)
		tx_error(
			b->r, &lv->loc,
			"logvol %s --size=%s does not fit: each of its %d legs needs %s on a disk of its own in %s, and at most %s is free there; make it smaller, or use --size=100%%FREE",
			lv->mount, word, legs, need, vg->name, have);
	else
		tx_error(
			b->r, &lv->loc,
			"logvol %s --size=%s does not fit: volume group %s has %s free at that point; make it smaller, or use --size=100%%FREE",
			lv->mount, word, vg->name, have);
	free(word);
	free(need);
	free(have);
}

/* One logical volume placed in the volume group's free extents, and its lvcreate; false when
 * it does not fit (reported). *anywhere: its log had to share a disk with a leg. */
static bool plan_lv(struct builder *b, const struct spec_volgroup *vg, const struct spec_logvol *lv,
		    uint64_t *free_ext, size_t npv, uint64_t pesize, uint64_t total, bool *anywhere)
{
	int legs = lv->type == LV_LINEAR ? 1 : lv->mirrors + 1;
	struct lvm_placement pl;
	uint64_t want, free_sum = 0;
	struct op *o;

	for (size_t k = 0; k < npv; k++)
		free_sum += free_ext[k];
	if (lvm_place(free_ext, npv, lv->type, legs, lv->mlog, &pl) < 0) {
		tx_error(
			b->r, &lv->loc,
			"logvol %s does not fit: volume group %s has no room left on %d separate disks for its legs; make the volumes before it smaller",
			lv->mount, vg->name, legs);
		return false;
	}
	if (lv->size_kind == SIZE_BYTES) {
		want = (lv->size + pesize - 1) / pesize;
	} else {
		want = (lv->size_kind == SIZE_PCT_VG ? total : free_sum) * lv->size / 100 /
		       (uint64_t)legs;
		if (want > pl.max_extents)
			want = pl.max_extents;
	}
	if (lvm_take(free_ext, npv, lv->type, &pl, want) < 0) {
		refuse_size(b, pesize, vg, lv, legs, want, pl.max_extents);
		return false;
	}
	o = add_op(b->p, OP_LVCREATE);
	o->name = xstrdup(lv->name);
	o->vg = xstrdup(vg->name);
	o->device = xasprintf("/dev/%s/%s", vg->name, lv->name);
	o->lvtype = lv->type;
	o->mirrors = lv->type == LV_LINEAR ? 0 : lv->mirrors;
	o->mlog = lv->mlog;
	o->extents = want;
	o->pesize = pesize;
	o->length = want * pesize;
	o->alloc_anywhere = pl.anywhere;
	o->nosync = lv->type != LV_LINEAR;
	o->mountpoint = xstrdup(lv->mount);
	o->fstype = xstrdup(lv->fstype);
	*anywhere = pl.anywhere;
	return true;
}

void plan_vg(struct builder *b, const struct spec_volgroup *vg)
{
	uint64_t *free_ext, total;

	if (vg->useexisting) {
		plan_vg_kept(b, vg);
		return;
	}
	free_ext = xzalloc((vg->disks.n + 1) * sizeof(uint64_t));
	total = plan_vgcreate(b, vg, free_ext);
	if (total)
		plan_vg_lvs(b, vg, free_ext, vg->disks.n, vg->pesize, total);
	free(free_ext);
}

void plan_vg_lvs(struct builder *b, const struct spec_volgroup *vg, uint64_t *free_ext, size_t npv,
		 uint64_t pesize, uint64_t total)
{
	const struct spec *s = b->s;
	struct strv anywhere = {0};

	/* sizes first, then shares of the whole group, then shares of what is left */
	for (int pass = 0; pass < 3; pass++) {
		for (size_t i = 0; i < s->nlvs; i++) {
			const struct spec_logvol *lv = &s->lvs[i];
			bool shared = false;

			if (!streq(lv->vg, vg->name) || lv->useexisting || lv_order(lv) != pass)
				continue;
			if (plan_lv(b, vg, lv, free_ext, npv, pesize, total, &shared) && shared)
				strv_push(&anywhere, lv->name);
		}
	}
	if (anywhere.n) {
		char *names = strv_join(&anywhere, ", ");

		strv_push_owned(
			&b->p->notes,
			xasprintf(
				"%s: the mirror log%s of %s share%s a disk with a leg, since volume group %s has no disk apart from the legs; LVM allows that only with --alloc anywhere. Losing that disk loses the log too, and LVM resynchronises the mirror once the disk is back",
				vg->name, anywhere.n == 1 ? "" : "s", names,
				anywhere.n == 1 ? "s" : "", vg->name));
		free(names);
	}
	strv_free(&anywhere);
}

static int mount_cmp(const void *a, const void *b)
{
	const struct op *x = *(const struct op *const *)a, *y = *(const struct op *const *)b;
	size_t dx = 0, dy = 0;

	for (const char *q = x->mountpoint; *q; q++)
		dx += *q == '/';
	for (const char *q = y->mountpoint; *q; q++)
		dy += *q == '/';
	if (streq(x->mountpoint, "/"))
		dx = 0;
	if (streq(y->mountpoint, "/"))
		dy = 0;
	if (dx != dy)
		return dx < dy ? -1 : 1;
	return strcmp(x->mountpoint, y->mountpoint);
}

void plan_filesystems(struct builder *b)
{
	struct plan *p = b->p;
	size_t nlv = p->nops, nm = 0;
	const struct op **mounts;
	struct op boot = {.kind = OP_MKFS};

	if (b->boot_dev) {
		struct op *o = add_op(p, OP_MKFS);

		o->device = xstrdup(b->boot_dev);
		o->fstype = xstrdup(b->s->boot.fstype);
		o->mountpoint = xstrdup("/boot");
		boot = *o;
	}
	for (size_t i = 0; i < nlv; i++) {
		const struct op *lv = &p->ops[i];
		struct op *o;

		if ((lv->kind != OP_LVCREATE && lv->kind != OP_LVREUSE) ||
		    streq(lv->fstype, "none"))
			continue;
		o = add_op(p, OP_MKFS);
		lv = &p->ops[i]; /* add_op may have moved the array */
		o->device = xstrdup(lv->device);
		o->fstype = xstrdup(lv->fstype);
		o->mountpoint = xstrdup(lv->mountpoint);
	}
	/* an EFI System Partition on every boot disk, each mounted: /boot/efi, /boot/efi2... */
	for (size_t i = 0; i < b->s->bootloader.disks.n; i++) {
		int j = disk_index_of_alias(b, b->s->bootloader.disks.v[i]);
		const struct part_layout *pl = part_of(b, j, ROLE_ESP);
		struct op *o;

		if (!pl)
			continue;
		o = add_op(p, OP_MKFS);
		o->device = partition_path(b->m->disks[j].path, pl->partno);
		o->fstype = xstrdup("vfat");
		o->mountpoint = esp_mount_point((int)i);
		o->detail = xstrdup("FAT32, the EFI System Partition");
	}
	mounts = xzalloc((p->nops + 2) * sizeof(*mounts));
	if (b->boot_dev)
		mounts[nm++] = &boot;
	for (size_t i = nlv; i < p->nops; i++)
		if (p->ops[i].kind == OP_MKFS && p->ops[i].mountpoint[0] == '/' &&
		    !streq(p->ops[i].mountpoint, "/boot"))
			mounts[nm++] = &p->ops[i];
	qsort(mounts, nm, sizeof(*mounts), mount_cmp);
	{
		struct strv devs = {0}, mps = {0}, fss = {0};

		for (size_t i = 0; i < nm; i++) {
			strv_push(&devs, mounts[i]->device);
			strv_push(&mps, mounts[i]->mountpoint);
			strv_push(&fss, mounts[i]->fstype);
		}
		for (size_t i = 0; i < nm; i++) {
			struct op *o = add_op(p, OP_MOUNT);

			o->device = xstrdup(devs.v[i]);
			o->mountpoint = xstrdup(mps.v[i]);
			o->fstype = xstrdup(fss.v[i]);
			o->path = streq(mps.v[i], "/") ? xstrdup(p->target)
						       : xasprintf("%s%s", p->target, mps.v[i]);
		}
		strv_free(&devs);
		strv_free(&mps);
		strv_free(&fss);
	}
	free(mounts);
}
