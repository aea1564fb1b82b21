// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A reinstall over a kept volume group (volgroup --useexisting): which disks keep their
 * partition tables, the partitions found there by role, the group used as it is, the volumes
 * it reformats, makes or keeps (each kept one by name, size and bytes on each disk), and the
 * files carried from the old root. Every refusal names the line and what the machine holds.
 */
#include "storage/lvm.h"
#include "plan/builder.h"
#include "storage/partition.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

/* The volume that holds the carried files between the old root's end and the new one's start. */
#define CARRY_BYTES (32 * MiB)

#define GUID_BIOS_GRUB "21686148-6449-6e6f-744e-656564454649"
#define GUID_ESP       "c12a7328-f81f-11d2-ba4b-00a0c93ec93b"

const struct spec_volgroup *plan_kept_vg_on(struct builder *b, int j)
{
	const struct disk *d = &b->m->disks[j];

	for (size_t k = 0; k < d->nsigs; k++) {
		const struct spec_volgroup *vg;

		if (!d->sigs[k].vg || !streq(d->sigs[k].type, "LVM2_member"))
			continue;
		vg = spec_find_vg(b->s, d->sigs[k].vg);
		if (vg && vg->useexisting)
			return vg;
	}
	return NULL;
}

static char *lv_names(const struct lvm_vg *vg)
{
	struct strv w = {0};
	char *r;

	for (size_t i = 0; i < vg->nlvs; i++)
		if (vg->lvs[i].visible)
			strv_push(&w, vg->lvs[i].name);
	r = w.n ? strv_join(&w, ", ") : xstrdup("none");
	strv_free(&w);
	return r;
}

/* The byte just past a PV's last extent on its disk; UINT64_MAX when the sum wraps. */
static uint64_t pv_end(const struct machine_vg *mv, size_t p)
{
	const struct lvm_pv *pv = &mv->vg->pvs[p];
	uint64_t span = pv->pe_start + pv->pe_count * mv->vg->extent_size; /* checked by parse */

	return mv->pv_offset[p] > UINT64_MAX - span ? UINT64_MAX : mv->pv_offset[p] + span;
}

/* The kept groups as the machine has them: found, readable, every PV on a disk the volgroup
 * line names and within it, and every such disk holding one. */
void plan_check_kept(struct builder *b)
{
	const struct spec *s = b->s;
	const struct machine *m = b->m;

	for (size_t i = 0; i < s->nvgs; i++) {
		const struct spec_volgroup *vg = &s->vgs[i];
		const struct machine_vg *mv;

		if (!vg->useexisting)
			continue;
		mv = machine_find_vg(m, vg->name);
		if (!mv) {
			tx_error(
				b->r, &vg->loc,
				"volgroup %s --useexisting keeps a volume group that is on none of this machine's disks (tenxen probe lists what they hold); check its name, or make it anew without --useexisting",
				vg->name);
			continue;
		}
		if (!mv->vg) {
			tx_error(b->r, &vg->loc,
				 "volume group %s cannot be kept: its metadata cannot be read (%s)",
				 vg->name, mv->problem);
			continue;
		}
		for (size_t p = 0; p < mv->vg->npvs; p++) {
			const struct lvm_pv *pv = &mv->vg->pvs[p];
			int j = mv->pv_disk[p];
			const struct plan_disk *pd = j >= 0 ? &b->p->disks[j] : NULL;

			if (j < 0 || pv->missing) {
				tx_error(
					b->r, &vg->loc,
					"volume group %s has a physical volume on no disk here (%s, last seen as %s): a reinstall keeps a group only whole; put the disk back first, or repair the group (vgreduce --removemissing) and check again",
					vg->name, pv->id, pv->device ? pv->device : "unknown");
				continue;
			}
			if (pv_end(mv, p) > m->disks[j].size) {
				char *dd = describe_disk(&m->disks[j]);

				tx_error(
					b->r, &vg->loc,
					"volume group %s's metadata puts its physical volume %s past the end of %s (to byte %llu of %llu): the metadata is damaged or from another disk, and a reinstall keeps a group only whole; repair it with LVM's tools (vgcfgrestore) and check again",
					vg->name, pv->name, dd,
					(unsigned long long)(pv_end(mv, p) == UINT64_MAX
								     ? 0
								     : pv_end(mv, p)),
					(unsigned long long)m->disks[j].size);
				free(dd);
				continue;
			}
			if (!pd->alias || !strv_contains(&vg->disks, pd->alias)) {
				char *dd = describe_disk(&m->disks[j]);

				tx_error(
					b->r, &vg->loc,
					"volume group %s is also on %s, which volgroup %s --disks does not name; add %s",
					vg->name, dd, vg->name,
					pd->alias ? "it" : "a disk line for it, and name it there");
				free(dd);
			}
		}
		for (size_t k = 0; k < vg->disks.n; k++) {
			int j = disk_index_of_alias(b, vg->disks.v[k]);
			bool has = false;

			for (size_t p = 0; j >= 0 && p < mv->vg->npvs; p++)
				has |= mv->pv_disk[p] == j;
			if (j >= 0 && !has) {
				char *dd = describe_disk(&m->disks[j]),
				     *what = disk_describe_contents(&m->disks[j]);

				tx_error(
					b->r, &vg->loc,
					"disk %s is %s, which holds no physical volume of %s (it holds %s); volgroup %s --useexisting --disks names the disks the group is on",
					vg->disks.v[k], dd, vg->name, what ? what : "nothing",
					vg->name);
				free(dd);
				free(what);
			}
		}
	}
}

static bool part_has_label(const struct disk *d, int partno, const char *label)
{
	for (size_t k = 0; k < d->nsigs; k++)
		if (d->sigs[k].partno == partno && d->sigs[k].label &&
		    streq(d->sigs[k].label, label) && startswith(d->sigs[k].type, "ext"))
			return true;
	return false;
}

static enum part_role role_of(struct builder *b, int j, const struct part *pt,
			      const struct machine_vg *mv)
{
	const struct disk *d = &b->m->disks[j];

	for (size_t p = 0; mv && mv->vg && p < mv->vg->npvs; p++)
		if (mv->pv_disk[p] == j && mv->pv_offset[p] == pt->start)
			return ROLE_LVM;
	if (streq(pt->name, "bios") || (pt->type && !strcasecmp(pt->type, GUID_BIOS_GRUB)))
		return ROLE_BIOS_GRUB;
	if (streq(pt->name, "esp") || (pt->type && !strcasecmp(pt->type, GUID_ESP)))
		return ROLE_ESP;
	if (streq(pt->name, "boot") || part_has_label(d, pt->partno, "boot"))
		return ROLE_BOOT;
	return ROLE_NONE;
}

/* The partition table a disk has: its label, or -1 when it has none Tenxen reads. */
static int label_of(const struct disk *d)
{
	enum label_type t;

	for (size_t k = 0; k < d->nsigs; k++)
		if (streq(d->sigs[k].usage, "partition_table") &&
		    label_type_parse(d->sigs[k].type, &t))
			return (int)t;
	return -1;
}

/* What signatures a partition holds, for its wipe's line. */
static void part_sigs(const struct disk *d, int partno, struct strv *out)
{
	for (size_t k = 0; k < d->nsigs; k++)
		if (d->sigs[k].partno == partno)
			strv_push(out, d->sigs[k].type);
}

/* A partition a reinstall writes (/boot, an ESP) must not share a byte with a PV it keeps: the
 * partition table and the group's metadata disagree, and one of them is wrong. Said, true. */
static bool overlaps_pv(struct builder *b, int j, const struct part *pt,
			const struct spec_volgroup *vg, const struct machine_vg *mv)
{
	for (size_t p = 0; mv && mv->vg && p < mv->vg->npvs; p++) {
		uint64_t a = mv->pv_offset[p], z = pv_end(mv, p);

		if (mv->pv_disk[p] != j || pt->start >= z || a >= pt->start + pt->size)
			continue;
		tx_error(
			b->r, &vg->loc,
			"disk %s: partition %d (%s, bytes %llu-%llu) overlaps physical volume %s of the kept group %s (bytes %llu-%llu): the partition table and the group's metadata disagree, and a reinstall would write over one of them; repair the disk first",
			b->p->disks[j].alias ? b->p->disks[j].alias : b->m->disks[j].path,
			pt->partno, pt->name ? pt->name : "no name", (unsigned long long)pt->start,
			(unsigned long long)(pt->start + pt->size - 1), mv->vg->pvs[p].name,
			vg->name, (unsigned long long)a, (unsigned long long)(z - 1));
		return true;
	}
	return false;
}

void plan_kept_partitions(struct builder *b, int j)
{
	const struct spec *s = b->s;
	const struct disk *d = &b->m->disks[j];
	const struct plan_disk *pd = &b->p->disks[j];
	const struct spec_volgroup *vg = plan_kept_vg_on(b, j);
	const struct machine_vg *mv = vg ? machine_find_vg(b->m, vg->name) : NULL;
	bool boot = strv_contains(&s->boot.disks, pd->alias);
	bool uefi = b->p->firmware == FIRMWARE_UEFI;
	int label = label_of(d), n = 0;

	if (boot && !s->boot.useexisting) {
		tx_error(
			b->r, &s->boot.loc,
			"disk %s keeps its partitions (volume group %s is kept on it), so /boot cannot be made anew there: write part /boot --useexisting --disks=... to reformat the /boot it has",
			pd->alias, vg ? vg->name : "?");
		return;
	}
	if (label >= 0 && (enum label_type)label != s->bootloader.label) {
		tx_error(
			b->r, &s->bootloader.loc,
			"disk %s has %s partition table, which a reinstall keeps: write bootloader --label=%s",
			pd->alias, label == LABEL_GPT ? "a GPT" : "an MBR",
			label_type_name((enum label_type)label));
		return;
	}
	for (size_t k = 0; k < d->nparts && n < 3; k++) {
		const struct part *pt = &d->parts[k];
		enum part_role role = role_of(b, j, pt, mv);
		struct op *o;

		if (role == ROLE_NONE || (role != ROLE_LVM && part_of(b, j, role)))
			continue;
		if (role != ROLE_LVM && overlaps_pv(b, j, pt, vg, mv))
			return;
		b->parts[j][n++] = (struct part_layout){pt->partno, role, pt->start, pt->size};
		b->nparts[j] = n;
		if (!((role == ROLE_BOOT && boot) || (role == ROLE_ESP && uefi && boot)))
			continue;
		o = add_op(b->p, OP_WIPE);
		o->device = partition_path(d->path, pt->partno);
		o->stable = partition_stable(d, pt->partno);
		o->disk = j;
		o->partno = pt->partno;
		o->start = pt->start;
		o->length = pt->size;
		part_sigs(d, pt->partno, &o->members);
	}
	b->nparts[j] = n;
	if (boot && !part_of(b, j, ROLE_BOOT))
		tx_error(
			b->r, &s->boot.loc,
			"disk %s keeps its partitions, and none of them is a /boot Tenxen made (a partition named boot, or an ext4 filesystem labelled boot); a reinstall over it needs one: erase the disk instead (clearpart), or take it out of part /boot",
			pd->alias);
	else if (boot && uefi && !part_of(b, j, ROLE_ESP))
		tx_error(
			b->r, &s->bootloader.loc,
			"disk %s has no EFI System Partition: it was installed to boot by BIOS, and a reinstall keeps its partitions, so it boots the same way: write bootloader --firmware=bios",
			pd->alias);
}

/* Extents each PV of a group has in use, by every segment on it (hidden volumes too). */
static void used_extents(const struct lvm_vg *vg, uint64_t *used)
{
	for (size_t i = 0; i < vg->nlvs; i++)
		for (size_t j = 0; j < vg->lvs[i].nsegs; j++) {
			const struct lvm_seg *g = &vg->lvs[i].segs[j];

			for (size_t k = 0; k < g->nareas; k++)
				if (g->areas[k].pv >= 0)
					used[g->areas[k].pv] += g->area_extents;
		}
}

static const struct spec_logvol *logvol_of(const struct spec *s, const char *vg, const char *name)
{
	for (size_t i = 0; i < s->nlvs; i++)
		if (s->lvs[i].name && streq(s->lvs[i].vg, vg) && streq(s->lvs[i].name, name))
			return &s->lvs[i];
	return NULL;
}

static void keep_lv(struct builder *b, const struct machine_vg *mv, const struct lvm_lv *lv,
		    bool named)
{
	struct plan_kept *k = xgrow(&b->p->kept, &b->p->nkept, sizeof(*k));
	char *why = NULL;

	k->vg = xstrdup(mv->name);
	k->name = xstrdup(lv->name);
	k->size = lv->extents * mv->vg->extent_size;
	k->kind = xstrdup(lvm_lv_kind(lv));
	k->where = machine_lv_where(b->m, mv, lv, &why);
	if (!k->where)
		k->where = xasprintf("where, Tenxen cannot say: %s", why);
	free(why);
	k->named = named;
}

/* The volumes of a kept group each logvol line reformats: there, visible, and of a kind whose
 * place is known. */
static void plan_reused(struct builder *b, const struct spec_volgroup *vg,
			const struct machine_vg *mv)
{
	const struct spec *s = b->s;

	for (size_t i = 0; i < s->nlvs; i++) {
		const struct spec_logvol *sl = &s->lvs[i];
		const struct lvm_lv *lv;
		struct op *o;
		char *why = NULL, *where;

		if (!streq(sl->vg, vg->name) || !sl->name)
			continue;
		lv = lvm_vg_find_lv(mv->vg, sl->name);
		if (streq(sl->name, LVM_CARRY_LV)) {
			tx_error(
				b->r, &sl->loc,
				"%s is the name Tenxen gives the volume that holds the files a reinstall carries over; choose another name",
				LVM_CARRY_LV);
			continue;
		}
		if (!sl->useexisting) {
			if (lv) {
				char *sz = human_size(lv->extents * mv->vg->extent_size);

				tx_error(
					b->r, &sl->loc,
					"volume group %s already holds a volume %s (%s, %s), which it keeps: add --useexisting to reformat that one where it is, or give this one another --name",
					vg->name, sl->name, sz, lvm_lv_kind(lv));
				free(sz);
			}
			continue;
		}
		if (!lv || !lv->visible) {
			char *names = lv_names(mv->vg);

			tx_error(
				b->r, &sl->loc,
				"logvol %s --useexisting: volume group %s has no volume %s; its volumes are %s",
				sl->mount, vg->name, sl->name, names);
			free(names);
			continue;
		}
		where = machine_lv_where(b->m, mv, lv, &why);
		o = add_op(b->p, OP_LVREUSE);
		o->name = xstrdup(sl->name);
		o->vg = xstrdup(vg->name);
		o->device = xasprintf("/dev/%s/%s", vg->name, sl->name);
		o->length = lv->extents * mv->vg->extent_size;
		o->extents = lv->extents;
		o->pesize = mv->vg->extent_size;
		o->mountpoint = xstrdup(sl->mount);
		o->fstype = xstrdup(sl->fstype);
		o->detail = xasprintf("%s, %s", lvm_lv_kind(lv), where ? where : why);
		free(where);
		free(why);
	}
}

/* preserve's patterns each match a volume; every volume no logvol line names is kept. */
static void plan_keep(struct builder *b, const struct spec_volgroup *vg,
		      const struct machine_vg *mv)
{
	const struct spec *s = b->s;

	for (size_t i = 0; i < s->npreserve; i++) {
		const struct spec_preserve *pr = &s->preserve[i];
		bool any = false;

		if (!streq(pr->vg, vg->name))
			continue;
		for (size_t k = 0; k < mv->vg->nlvs; k++)
			any |= mv->vg->lvs[k].visible &&
			       fnmatch(pr->pattern, mv->vg->lvs[k].name, 0) == 0;
		if (!any) {
			char *names = lv_names(mv->vg);

			tx_error(
				b->r, &pr->loc,
				"preserve %s/%s: volume group %s has no such volume; its volumes are %s",
				pr->vg, pr->pattern, vg->name, names);
			free(names);
		}
	}
	for (size_t k = 0; k < mv->vg->nlvs; k++) {
		const struct lvm_lv *lv = &mv->vg->lvs[k];
		bool named = false;

		if (!lv->visible || logvol_of(s, vg->name, lv->name) ||
		    streq(lv->name, LVM_CARRY_LV))
			continue;
		for (size_t i = 0; i < s->npreserve; i++)
			named |= streq(s->preserve[i].vg, vg->name) &&
				 fnmatch(s->preserve[i].pattern, lv->name, 0) == 0;
		keep_lv(b, mv, lv, named);
	}
}

/* The carried files' volume: made in the group's free space, or the one an earlier run of this
 * reinstall left (its files are then the ones carried). */
static void plan_carry(struct builder *b, const struct spec_volgroup *vg,
		       const struct machine_vg *mv, uint64_t *free_ext)
{
	const struct spec *s = b->s;
	char *from = spec_carry_from(s);
	const char *slash = from ? strchr(from, '/') : NULL;
	const struct lvm_lv *old = lvm_vg_find_lv(mv->vg, LVM_CARRY_LV);
	struct lvm_placement pl;
	uint64_t want = (CARRY_BYTES + mv->vg->extent_size - 1) / mv->vg->extent_size;
	struct op *o;

	if (!from || !slash || strncmp(from, vg->name, (size_t)(slash - from)) ||
	    vg->name[slash - from]) {
		free(from);
		return;
	}
	if (!lvm_vg_find_lv(mv->vg, slash + 1)) {
		char *names = lv_names(mv->vg);

		if (!s->carry.from) { /* the root's own line said it already */
			free(names);
			free(from);
			return;
		}
		tx_error(
			b->r, s->carry.given ? &s->carry.loc : &vg->loc,
			"carryover reads the old root from %s, and volume group %s has no volume %s; its volumes are %s",
			from, vg->name, slash + 1, names);
		free(names);
		free(from);
		return;
	}
	if (!old && (lvm_place(free_ext, mv->vg->npvs, LV_LINEAR, 1, MLOG_CORE, &pl) < 0 ||
		     lvm_take(free_ext, mv->vg->npvs, LV_LINEAR, &pl, want) < 0)) {
		char *need = human_size(want * mv->vg->extent_size);

		tx_error(
			b->r, &vg->loc,
			"volume group %s has no %s free on one disk for the files a reinstall carries over (%s); free some (lvreduce or lvremove a volume it keeps), or write carryover --none",
			vg->name, need, LVM_CARRY_LV);
		free(need);
		free(from);
		return;
	}
	o = add_op(b->p, OP_CARRY);
	o->vg = xstrdup(vg->name);
	o->name = xstrdup(LVM_CARRY_LV);
	o->device = xasprintf("/dev/%s/%s", vg->name, LVM_CARRY_LV);
	o->extents = old ? old->extents : want;
	o->pesize = mv->vg->extent_size;
	o->length = o->extents * mv->vg->extent_size;
	o->path = xasprintf("/dev/%s", from);
	if (s->carry.given) {
		strv_copy(&o->members, &s->carry.paths);
	} else {
		for (size_t i = 0; i < spec_ncarry_defaults; i++)
			strv_push(&o->members, spec_carry_defaults[i]);
	}
	o->detail =
		old ? xstrdup("made by an earlier run of this reinstall: its files are the ones carried")
		    : NULL;
	strv_copy(&b->p->carry, &o->members);
	b->p->carry_from = from;
}

void plan_vg_kept(struct builder *b, const struct spec_volgroup *vg)
{
	const struct machine_vg *mv = machine_find_vg(b->m, vg->name);
	uint64_t *used, *free_ext, total;
	struct op *o;
	struct strv pvs = {0};

	if (!mv || !mv->vg)
		return; /* refused already */
	used = xzalloc((mv->vg->npvs + 1) * sizeof(uint64_t));
	free_ext = xzalloc((mv->vg->npvs + 1) * sizeof(uint64_t));
	used_extents(mv->vg, used);
	o = add_op(b->p, OP_VGUSE);
	o->name = xstrdup(vg->name);
	o->device = xasprintf("/dev/%s", vg->name);
	o->pesize = mv->vg->extent_size;
	for (size_t p = 0; p < mv->vg->npvs; p++) {
		int j = mv->pv_disk[p];
		char *h;

		free_ext[p] =
			used[p] < mv->vg->pvs[p].pe_count ? mv->vg->pvs[p].pe_count - used[p] : 0;
		o->extents += mv->vg->pvs[p].pe_count;
		h = human_size(free_ext[p] * mv->vg->extent_size);
		strv_push_owned(&pvs,
				xasprintf("%s (%s free)", j >= 0 ? b->m->disks[j].path : "?", h));
		free(h);
	}
	o->detail = strv_join(&pvs, " + ");
	total = o->extents;
	strv_free(&pvs);
	/* add_op may move the operations from here on: o is not used again */
	plan_reused(b, vg, mv);
	plan_keep(b, vg, mv);
	plan_carry(b, vg, mv, free_ext);
	plan_vg_lvs(b, vg, free_ext, mv->vg->npvs, mv->vg->extent_size, total);
	free(used);
	free(free_ext);
}
