// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * From a spec and a machine to the ordered operations of an install. Every refusal happens here,
 * before anything is written: disks that cannot be told apart, the boot medium, data that
 * clearpart does not give up, layouts that do not fit.
 */
#include "plan/plan.h"
#include "storage/partition.h"

#include <ctype.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct builder {
	const struct spec *s;
	const struct machine *m;
	struct tx_report *r;
	struct plan *p;
	int *disk_of;			/* spec disk index -> machine disk index, or -1 */
	struct part_layout (*parts)[3]; /* per machine disk */
	int *nparts;
	char *boot_dev; /* /boot's device: a partition or the md array */
};

static int disk_index_of_alias(struct builder *b, const char *alias)
{
	for (size_t i = 0; i < b->s->ndisks; i++)
		if (streq(b->s->disks[i].alias, alias))
			return b->disk_of[i];
	return -1;
}

static char *partition_stable(const struct disk *d, int n)
{
	if (!d->by_id.n)
		return NULL;
	return xasprintf("%s-part%d", disk_stable_id(d), n);
}

static struct op *add_op(struct plan *p, enum op_kind k)
{
	struct op *o = xgrow(&p->ops, &p->nops, sizeof(*o));

	o->kind = k;
	o->disk = -1;
	return o;
}

static const char *const conf_names[] = {
	[CONF_NONE] = "?",
	[CONF_NETWORK] = "network",
	[CONF_HOSTNAME] = "hostname",
	[CONF_TIMEZONE] = "timezone",
	[CONF_KEYBOARD] = "keyboard",
	[CONF_ROOT] = "root",
	[CONF_SSHKEYS] = "ssh keys",
	[CONF_CONSOLE] = "console",
	[CONF_GUESTS] = "guests",
};

const char *conf_kind_name(enum conf_kind k)
{
	return conf_names[k];
}

static struct op *add_conf(struct plan *p, enum conf_kind k)
{
	struct op *o = add_op(p, OP_CONFIGURE);

	o->conf = k;
	return o;
}

/* ---- matching disk lines to disks ---- */

static char *norm_wwn(const char *w)
{
	char *r;

	if (startswith(w, "wwn-"))
		w += 4;
	if (startswith(w, "naa.") || startswith(w, "eui."))
		w += 4;
	if (startswith(w, "0x") || startswith(w, "0X"))
		w += 2;
	r = xstrdup(w);
	for (char *q = r; *q; q++)
		*q = (char)tolower((unsigned char)*q);
	return r;
}

static bool wwn_matches(const struct disk *d, const char *want)
{
	char *nw = norm_wwn(want);
	bool ok = false;

	if (d->wwn) {
		char *nd = norm_wwn(d->wwn);

		ok = streq(nd, nw);
		free(nd);
	}
	for (size_t i = 0; !ok && i < d->by_id.n; i++) {
		if (startswith(d->by_id.v[i], "wwn-")) {
			char *nd = norm_wwn(d->by_id.v[i]);

			ok = streq(nd, nw);
			free(nd);
		}
	}
	free(nw);
	return ok;
}

static bool disk_matches(const struct spec_disk *sd, const struct disk *d)
{
	if (sd->path) {
		if (startswith(sd->path, "/dev/disk/by-id/")) {
			if (!strv_contains(&d->by_id, sd->path + strlen("/dev/disk/by-id/")))
				return false;
		} else if (!streq(sd->path, d->path)) {
			return false;
		}
	}
	if (sd->by_id && !strv_contains(&d->by_id, sd->by_id))
		return false;
	if (sd->serial && (!d->serial || strcasecmp(sd->serial, d->serial) != 0))
		return false;
	if (sd->wwn && !wwn_matches(d, sd->wwn))
		return false;
	if (sd->model) {
		char *full =
			xasprintf("%s %s", d->vendor ? d->vendor : "", d->model ? d->model : "");
		bool ok = strcasestr(full, sd->model) != NULL;

		free(full);
		if (!ok)
			return false;
	}
	if (sd->min_size && d->size < sd->min_size)
		return false;
	return true;
}

static char *describe_selectors(const struct spec_disk *sd)
{
	struct strv w = {0};
	char *r;

	if (sd->path)
		strv_push_owned(&w, xasprintf("--path=%s", sd->path));
	if (sd->by_id)
		strv_push_owned(&w, xasprintf("--by-id=%s", sd->by_id));
	if (sd->serial)
		strv_push_owned(&w, xasprintf("--serial=%s", sd->serial));
	if (sd->wwn)
		strv_push_owned(&w, xasprintf("--wwn=%s", sd->wwn));
	if (sd->model)
		strv_push_owned(&w, xasprintf("--model=%s", sd->model));
	if (sd->min_size)
		strv_push_owned(&w, spec_size_word(sd->min_size));
	if (sd->min_size) {
		char *sz = w.v[w.n - 1];

		w.v[w.n - 1] = xasprintf("--min-size=%s", sz);
		free(sz);
	}
	r = strv_join(&w, " ");
	strv_free(&w);
	return r;
}

/* "/dev/sda (ata-WDC_..., serial WD-1, 500 GB)". Caller frees. */
static char *describe_disk(const struct disk *d)
{
	char *sz = human_size_si(d->size), *r;
	const char *id = disk_stable_id(d);

	if (d->serial && !streq(id, d->serial))
		r = xasprintf("%s (%s, serial %s, %s)", d->path, id, d->serial, sz);
	else if (!streq(id, d->path))
		r = xasprintf("%s (%s, %s)", d->path, id, sz);
	else
		r = xasprintf("%s (%s%s%s)", d->path, d->model ? d->model : "",
			      d->model ? ", " : "", sz);
	free(sz);
	return r;
}

static char *list_disks(const struct machine *m, const int *which, size_t n)
{
	struct strv w = {0};
	char *r;

	for (size_t i = 0; i < n; i++)
		strv_push_owned(&w, describe_disk(&m->disks[which[i]]));
	r = w.n ? strv_join(&w, "; ") : xstrdup("none");
	strv_free(&w);
	return r;
}

static void resolve_disks(struct builder *b)
{
	const struct machine *m = b->m;

	for (size_t i = 0; i < b->s->ndisks; i++) {
		const struct spec_disk *sd = &b->s->disks[i];
		int *hits = xzalloc((m->ndisks + 1) * sizeof(int)),
		    *all = xzalloc((m->ndisks + 1) * sizeof(int));
		size_t nh = 0, nall = 0, medium_hits = 0;
		int medium = -1;
		char *sel = describe_selectors(sd);

		b->disk_of[i] = -1;
		for (size_t j = 0; j < m->ndisks; j++) {
			if (!m->disks[j].medium)
				all[nall++] = (int)j;
			if (!disk_matches(sd, &m->disks[j]))
				continue;
			if (m->disks[j].medium) {
				medium_hits++;
				medium = (int)j;
				continue;
			}
			hits[nh++] = (int)j;
		}
		if (nh == 1) {
			b->disk_of[i] = hits[0];
		} else if (nh == 0 && medium_hits) {
			char *dd = describe_disk(&m->disks[medium]);

			tx_error(
				b->r, &sd->loc,
				"disk %s (%s) matches only %s, the medium Tenxen booted from, which is never installed onto; choose another disk",
				sd->alias, sel, dd);
			free(dd);
		} else if (nh == 0) {
			char *cands = list_disks(m, all, nall);

			tx_error(b->r, &sd->loc,
				 "disk %s (%s) matches no disk of this machine; the disks are: %s",
				 sd->alias, sel, cands);
			free(cands);
		} else {
			char *cands = list_disks(m, hits, nh);

			tx_error(
				b->r, &sd->loc,
				"disk %s (%s) matches %zu disks: %s; add --serial= or --by-id= to pick one",
				sd->alias, sel, nh, cands);
			free(cands);
		}
		for (size_t k = 0; k < i && b->disk_of[i] >= 0; k++) {
			if (b->disk_of[k] == b->disk_of[i]) {
				char *dd = describe_disk(&m->disks[b->disk_of[i]]);

				tx_error(
					b->r, &sd->loc,
					"disks %s and %s are both %s; make the disk lines name two different disks",
					b->s->disks[k].alias, sd->alias, dd);
				free(dd);
			}
		}
		free(sel);
		free(hits);
		free(all);
	}
}

/* ---- which disks the install uses, and refusals ---- */

static bool alias_in_use(const struct spec *s, const char *alias, bool *boot, bool *pv)
{
	*boot = strv_contains(&s->boot.disks, alias);
	*pv = false;
	for (size_t i = 0; i < s->nvgs; i++)
		*pv |= strv_contains(&s->vgs[i].disks, alias);
	return *boot || *pv;
}

static void decide_fates(struct builder *b)
{
	const struct spec *s = b->s;
	const struct machine *m = b->m;

	b->p->disks = xzalloc((m->ndisks + 1) * sizeof(*b->p->disks));
	b->p->ndisks = m->ndisks;
	for (size_t j = 0; j < m->ndisks; j++) {
		struct plan_disk *pd = &b->p->disks[j];

		pd->disk = (int)j;
		pd->fate = m->disks[j].medium ? FATE_MEDIUM : FATE_UNTOUCHED;
	}
	for (size_t i = 0; i < s->ndisks; i++) {
		const struct spec_disk *sd = &s->disks[i];
		int j = b->disk_of[i];
		const struct disk *d;
		struct plan_disk *pd;
		bool boot, pv, used;

		if (j < 0)
			continue;
		d = &m->disks[j];
		pd = &b->p->disks[j];
		pd->alias = sd->alias;
		used = alias_in_use(s, sd->alias, &boot, &pv);
		if (spec_disk_ignored(s, sd->alias)) {
			pd->fate = FATE_IGNORED;
			continue;
		}
		if (!used && !spec_disk_cleared(s, sd->alias))
			continue;
		if (d->ro) {
			char *dd = describe_disk(d);

			tx_error(b->r, &sd->loc,
				 "disk %s is %s, which is read-only; choose another disk",
				 sd->alias, dd);
			free(dd);
			continue;
		}
		if (!spec_disk_cleared(s, sd->alias) && disk_has_contents(d)) {
			char *dd = describe_disk(d), *what = disk_describe_contents(d);

			tx_error(
				b->r, &sd->loc,
				"disk %s is %s, which holds %s; clearpart does not name it, so Tenxen will not touch it: add %s to clearpart to erase it, or choose a blank disk",
				sd->alias, dd, what, sd->alias);
			free(dd);
			free(what);
			continue;
		}
		pd->fate = FATE_ERASED;
	}
	/* A volume group of the same name on a disk left alone would clash with the new one. */
	for (size_t j = 0; j < m->ndisks; j++) {
		const struct disk *d = &m->disks[j];

		if (b->p->disks[j].fate == FATE_ERASED)
			continue;
		for (size_t k = 0; k < d->nsigs; k++) {
			const struct spec_volgroup *vg =
				d->sigs[k].vg ? spec_find_vg(s, d->sigs[k].vg) : NULL;
			char *dd;

			if (!vg)
				continue;
			dd = describe_disk(d);
			tx_error(
				b->r, &vg->loc,
				"volume group %s already exists on %s, which this install leaves alone; name the new volume group otherwise, or erase that disk with clearpart",
				vg->name, dd);
			free(dd);
		}
	}
}

/* ---- storage operations ---- */

static void plan_partitions(struct builder *b)
{
	const struct spec *s = b->s;
	const struct machine *m = b->m;
	enum label_type label = s->bootloader.label;

	for (size_t j = 0; j < m->ndisks; j++) {
		const struct plan_disk *pd = &b->p->disks[j];
		const struct disk *d = &m->disks[j];
		struct op *o;

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
		n = layout_disk(d->size, d->lsec, label, boot ? s->boot.size : 0, pv, b->parts[j]);
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
				layout_min_disk(d->lsec, label, boot ? s->boot.size : 0));

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
		}
	}
}

static const struct part_layout *part_of(struct builder *b, int disk, enum part_role role)
{
	if (disk < 0)
		return NULL;
	for (int k = 0; k < b->nparts[disk]; k++)
		if (b->parts[disk][k].role == role)
			return &b->parts[disk][k];
	return NULL;
}

static void plan_boot(struct builder *b)
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

static void plan_vg(struct builder *b, const struct spec_volgroup *vg)
{
	const struct spec *s = b->s;
	uint64_t *free_ext = xzalloc((vg->disks.n + 1) * sizeof(uint64_t)), total = 0;
	struct strv anywhere = {0};
	struct op *o;

	struct strv pvs = {0};

	/* vgcreate makes each partition a physical volume itself: one lvm run, not one a disk */
	o = add_op(b->p, OP_VGCREATE);
	o->name = xstrdup(vg->name);
	o->device = xasprintf("/dev/%s", vg->name);
	o->pesize = vg->pesize;
	for (size_t i = 0; i < vg->disks.n; i++) {
		int j = disk_index_of_alias(b, vg->disks.v[i]);
		const struct part_layout *pl = part_of(b, j, ROLE_LVM);
		char *path, *stable, *h;

		if (!pl) {
			strv_free(&pvs);
			free(free_ext);
			return; /* reported already */
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
	for (int pass = 0; pass < 3; pass++) {
		for (size_t i = 0; i < s->nlvs; i++) {
			const struct spec_logvol *lv = &s->lvs[i];
			int legs = lv->type == LV_LINEAR ? 1 : lv->mirrors + 1;
			struct lvm_placement pl;
			uint64_t want = 0, free_sum = 0;

			if (!streq(lv->vg, vg->name) || lv_order(lv) != pass)
				continue;
			for (size_t k = 0; k < vg->disks.n; k++)
				free_sum += free_ext[k];
			if (lvm_place(free_ext, vg->disks.n, lv->type, legs, lv->mlog, &pl) < 0) {
				tx_error(
					b->r, &lv->loc,
					"logvol %s does not fit: volume group %s has no room left on %d separate disks for its legs; make the volumes before it smaller",
					lv->mount, vg->name, legs);
				continue;
			}
			if (lv->size_kind == SIZE_BYTES) {
				want = (lv->size + vg->pesize - 1) / vg->pesize;
			} else {
				uint64_t base = lv->size_kind == SIZE_PCT_VG ? total : free_sum;

				want = base * lv->size / 100 / (uint64_t)legs;
				if (want > pl.max_extents)
					want = pl.max_extents;
			}
			if (lvm_take(free_ext, vg->disks.n, lv->type, &pl, want) < 0) {
				char *word = spec_size_word(lv->size);
				char *need = human_size(want * vg->pesize);
				char *have = human_size(pl.max_extents * vg->pesize);

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
				continue;
			}
			o = add_op(b->p, OP_LVCREATE);
			o->name = xstrdup(lv->name);
			o->vg = xstrdup(vg->name);
			o->device = xasprintf("/dev/%s/%s", vg->name, lv->name);
			o->lvtype = lv->type;
			o->mirrors = lv->type == LV_LINEAR ? 0 : lv->mirrors;
			o->mlog = lv->mlog;
			o->extents = want;
			o->pesize = vg->pesize;
			o->length = want * vg->pesize;
			o->alloc_anywhere = pl.anywhere;
			o->nosync = lv->type != LV_LINEAR;
			o->mountpoint = xstrdup(lv->mount);
			o->fstype = xstrdup(lv->fstype);
			if (pl.anywhere)
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
	free(free_ext);
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

static void plan_filesystems(struct builder *b)
{
	struct plan *p = b->p;
	size_t nlv = p->nops, nm = 0;
	const struct op **mounts = xzalloc((p->nops + 2) * sizeof(*mounts));
	struct op boot = {.kind = OP_MKFS};

	if (b->boot_dev) {
		struct op *o = add_op(p, OP_MKFS);

		o->device = xstrdup(b->boot_dev);
		o->fstype = xstrdup(b->s->boot.fstype);
		o->mountpoint = xstrdup("/boot");
		boot = *o;
		mounts[nm++] = &boot;
	}
	for (size_t i = 0; i < nlv; i++) {
		const struct op *lv = &p->ops[i];
		struct op *o;

		if (lv->kind != OP_LVCREATE || streq(lv->fstype, "none"))
			continue;
		o = add_op(p, OP_MKFS);
		lv = &p->ops[i]; /* add_op may have moved the array */
		o->device = xstrdup(lv->device);
		o->fstype = xstrdup(lv->fstype);
		o->mountpoint = xstrdup(lv->mountpoint);
	}
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

static void plan_system(struct builder *b)
{
	const struct spec *s = b->s;
	struct plan *p = b->p;
	struct op *o;
	uint64_t dom0 = 0;

	o = add_op(p, OP_UNPACK);
	o->path = xstrdup(p->target);
	o->detail = xstrdup("the Debian dom0 root from the installer's payload");
	o = add_op(p, OP_FSTAB);
	o->path = xasprintf("%s/etc/fstab", p->target);
	o->detail = xstrdup("/boot, every filesystem and swap, by UUID");
	for (size_t i = 0; i < s->nnets; i++) {
		const struct spec_network *n = &s->nets[i];

		o = add_conf(p, CONF_NETWORK);
		o->device = xstrdup(n->device ? n->device : "the first wired network card");
		if (n->dhcp)
			o->detail = xstrdup("DHCP");
		else
			o->detail =
				xasprintf("static %s/%d%s%s", n->ip, n->prefix,
					  n->gateway ? " via " : "", n->gateway ? n->gateway : "");
		if (n->hostname) {
			o = add_conf(p, CONF_HOSTNAME);
			o->detail = xstrdup(n->hostname);
		}
	}
	o = add_conf(p, CONF_TIMEZONE);
	o->detail = xasprintf("%s, hardware clock in %s", s->timezone,
			      s->tz_utc ? "UTC" : "local time");
	o = add_conf(p, CONF_KEYBOARD);
	o->detail = xasprintf("%s%s%s", s->kbd_layout, s->kbd_variant ? " " : "",
			      s->kbd_variant ? s->kbd_variant : "");
	o = add_conf(p, CONF_ROOT);
	o->detail = xstrdup(s->rootpw_lock   ? "password locked"
			    : s->rootpw_hash ? "password set from its hash"
					     : "no password (console only)");
	if (s->nsshkeys) {
		o = add_conf(p, CONF_SSHKEYS);
		o->detail =
			xasprintf("%zu authorized key%s", s->nsshkeys, s->nsshkeys == 1 ? "" : "s");
	}
	if (s->console.kind == CONSOLE_SERIAL) {
		o = add_conf(p, CONF_CONSOLE);
		o->detail = xasprintf("getty on hvc0; Xen on com%d at %u", s->console.port + 1,
				      s->console.speed);
	}
	p->dom0_mem = spec_dom0_mem_arg(s, b->m->memory, &dom0);
	if (b->m->memory && dom0 >= b->m->memory) {
		char *a = human_size(dom0), *bb = human_size(b->m->memory);

		tx_error(
			b->r, s->xen.loc.file ? &s->xen.loc : &s->end_loc,
			"dom0 memory of %s is not less than the machine's %s; lower --dom0-mem or use --dom0-mem=auto",
			a, bb);
		free(a);
		free(bb);
	}
	o = add_op(p, OP_BOOTLOADER);
	o->boot = BOOT_CONFIG;
	o->path = xasprintf("%s/boot/extlinux/extlinux.conf", p->target);
	{
		struct strv d = {0};

		strv_push_owned(&d, xasprintf("dom0_mem=%s", p->dom0_mem));
		if (s->xen.vcpus_max)
			strv_push_owned(&d,
					s->xen.vcpus_min
						? xasprintf("dom0_max_vcpus=%d-%d",
							    s->xen.vcpus_min, s->xen.vcpus_max)
						: xasprintf("dom0_max_vcpus=%d", s->xen.vcpus_max));
		if (s->xen.vpmu)
			strv_push_owned(&d, xasprintf("vpmu=%s", s->xen.vpmu));
		if (s->console.kind == CONSOLE_SERIAL)
			strv_push_owned(
				&d, xasprintf("com%d=%u,8n1 console=com%d,vga; dom0 console=hvc0",
					      s->console.port + 1, s->console.speed,
					      s->console.port + 1));
		if (s->xen.append)
			strv_push(&d, s->xen.append);
		{
			const struct spec_logvol *root = spec_root_lv(s);

			if (root)
				strv_push_owned(&d, xasprintf("root=/dev/mapper/%s-%s", root->vg,
							      root->name));
		}
		o->detail = strv_join(&d, ", ");
		strv_free(&d);
	}
	for (size_t i = 0; i < s->bootloader.disks.n; i++) {
		int j = disk_index_of_alias(b, s->bootloader.disks.v[i]);
		const struct part_layout *pl = part_of(b, j, ROLE_BOOT);

		if (!pl)
			continue;
		o = add_op(p, OP_BOOTLOADER);
		o->boot = BOOT_INSTALL;
		o->disk = j;
		o->device = xstrdup(b->m->disks[j].path);
		o->stable = xstrdup(disk_stable_id(&b->m->disks[j]));
		o->label = s->bootloader.label;
		o->partno = pl->partno;
		o->detail = xasprintf("%s boot code, %s on partition %d, extlinux with mboot.c32",
				      s->bootloader.label == LABEL_GPT ? "gptmbr.bin" : "mbr.bin",
				      s->bootloader.label == LABEL_GPT ? "legacy BIOS bootable"
								       : "boot flag",
				      pl->partno);
	}
	if (s->groups.n || s->packages.n) {
		o = add_op(p, OP_PACKAGES);
		for (size_t i = 0; i < s->groups.n; i++)
			strv_push_owned(&o->members, xasprintf("@%s", s->groups.v[i]));
		strv_copy(&o->members, &s->packages);
		o->detail = xstrdup(
			"offline, from the installer's medium (prebuilt layer or repository)");
	}
	if (strv_contains(&s->groups, "guest-templates")) {
		const char *vg, *bridge;
		int mirrors;

		spec_guests(s, &vg, &mirrors, &bridge);
		o = add_conf(p, CONF_GUESTS);
		o->detail = xasprintf(
			"templates in /etc/tenxen/templates; guests' disks in %s%s%s, on %s%s (guests.conf, xen-tools.conf)",
			vg ? vg : "?", mirrors ? " as raid1" : "", mirrors ? " volumes" : "",
			bridge ? "the bridge " : "no network", bridge ? bridge : "");
	}
}

static void check_nics(struct builder *b)
{
	const struct machine *m = b->m;

	for (size_t i = 0; i < b->s->nnets; i++) {
		const struct spec_network *n = &b->s->nets[i];
		struct strv names = {0};
		bool found = false;
		char *list;

		if (!n->device)
			continue;
		for (size_t j = 0; j < m->nnics; j++) {
			if (startswith(n->device, "mac:"))
				found |= m->nics[j].mac &&
					 strcasecmp(m->nics[j].mac, n->device + 4) == 0;
			else
				found |= streq(m->nics[j].name, n->device);
			strv_push_owned(&names,
					xasprintf("%s (%s)", m->nics[j].name,
						  m->nics[j].mac ? m->nics[j].mac : "no MAC"));
		}
		list = names.n ? strv_join(&names, ", ") : xstrdup("none");
		if (!found)
			tx_error(
				b->r, &n->loc,
				"network --device=%s: this machine has no such network card; it has %s",
				n->device, list);
		free(list);
		strv_free(&names);
	}
}

int plan_build(const struct spec *s, const struct machine *m, const struct plan_opts *po,
	       struct tx_report *r, struct plan **out)
{
	struct builder b = {.s = s, .m = m, .r = r};
	unsigned before = r->errors;
	struct plan *p = xzalloc(sizeof(*p));

	b.p = p;
	p->answers = xstrdup(po->answers);
	p->target = xstrdup(po->target ? po->target : "/target");
	p->spec = s;
	p->machine = m;
	b.disk_of = xzalloc((s->ndisks + 1) * sizeof(int));
	b.parts = xzalloc((m->ndisks + 1) * sizeof(*b.parts));
	b.nparts = xzalloc((m->ndisks + 1) * sizeof(int));

	for (size_t i = 0; i < s->nscripts; i++) {
		if (s->scripts[i].kind == SCRIPT_PRE) {
			struct op *o = add_op(p, OP_SCRIPT_PRE);

			o->name = xstrdup(s->scripts[i].interpreter);
			o->detail = xasprintf("from %s:%d", s->scripts[i].loc.file,
					      s->scripts[i].loc.line);
		}
	}
	resolve_disks(&b);
	decide_fates(&b);
	check_nics(&b);
	if (r->errors == before) {
		plan_partitions(&b);
		plan_boot(&b);
		for (size_t i = 0; i < s->nvgs; i++)
			plan_vg(&b, &s->vgs[i]);
		plan_filesystems(&b);
		plan_system(&b);
		for (size_t i = 0; i < s->nscripts; i++) {
			if (s->scripts[i].kind == SCRIPT_POST) {
				struct op *o = add_op(p, OP_SCRIPT_POST);

				o->name = xstrdup(s->scripts[i].interpreter);
				o->detail = xasprintf("from %s:%d, %s", s->scripts[i].loc.file,
						      s->scripts[i].loc.line,
						      s->scripts[i].nochroot
							      ? "in the installer (--nochroot)"
							      : "inside the installed system");
			}
		}
		{
			struct op *o = add_op(p, OP_FINISH);

			o->name = xstrdup(finish_name(s->finish));
		}
	}
	free(b.disk_of);
	free(b.parts);
	free(b.nparts);
	free(b.boot_dev);
	*out = p;
	return r->errors > before ? -EINVAL : 0;
}

void plan_free(struct plan *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nops; i++) {
		struct op *o = &p->ops[i];

		free(o->device);
		free(o->stable);
		strv_free(&o->members);
		free(o->name);
		free(o->vg);
		free(o->fstype);
		free(o->mountpoint);
		free(o->path);
		free(o->detail);
	}
	free(p->ops);
	free(p->disks);
	free(p->dom0_mem);
	strv_free(&p->notes);
	free(p->answers);
	free(p->target);
	free(p);
}

/* ---- showing the plan ---- */

static const char *const op_names[] = {
	[OP_SCRIPT_PRE] = "pre-script",
	[OP_WIPE] = "wipe",
	[OP_LABEL] = "label",
	[OP_PARTITION] = "partition",
	[OP_MD] = "md",
	[OP_VGCREATE] = "vgcreate",
	[OP_LVCREATE] = "lvcreate",
	[OP_MKFS] = "mkfs",
	[OP_MOUNT] = "mount",
	[OP_UNPACK] = "unpack",
	[OP_FSTAB] = "fstab",
	[OP_CONFIGURE] = "configure",
	[OP_BOOTLOADER] = "bootloader",
	[OP_PACKAGES] = "packages",
	[OP_SCRIPT_POST] = "post-script",
	[OP_FINISH] = "finish",
};

const char *op_kind_name(enum op_kind k)
{
	return op_names[k];
}

static const char *role_name(enum part_role r)
{
	return r == ROLE_BIOS_GRUB ? "bios_grub"
	       : r == ROLE_BOOT	   ? "boot"
	       : r == ROLE_LVM	   ? "lvm"
				   : "none";
}

static const char *fate_name(enum disk_fate f)
{
	return f == FATE_ERASED	   ? "erase"
	       : f == FATE_IGNORED ? "ignored"
	       : f == FATE_MEDIUM  ? "medium"
				   : "untouched";
}

char *plan_op_text(const struct op *o)
{
	char *a = NULL, *b = NULL, *t;

	switch (o->kind) {
	case OP_SCRIPT_PRE:
		return xasprintf("%%pre script %s, run by %s before any disk is touched", o->detail,
				 o->name);
	case OP_SCRIPT_POST:
		return xasprintf("%%post script %s, run by %s", o->detail, o->name);
	case OP_WIPE:
		a = strv_join(&o->members, ", ");
		t = xasprintf("%s [%s]: remove every signature (%s)", o->device, o->stable,
			      o->members.n ? a : "none found");
		break;
	case OP_LABEL:
		return xasprintf("%s [%s]: new %s partition table", o->device, o->stable,
				 o->label == LABEL_GPT ? "GPT" : "MBR");
	case OP_PARTITION:
		a = human_size(o->length);
		t = xasprintf(
			"%s%s%s%s: %s, bytes %llu-%llu (%s)%s", o->device, o->stable ? " [" : "",
			o->stable ? o->stable : "", o->stable ? "]" : "", role_name(o->role),
			(unsigned long long)o->start,
			(unsigned long long)(o->start + o->length - 1), a,
			o->role == ROLE_BOOT
				? (o->label == LABEL_GPT ? ", legacy BIOS bootable" : ", boot flag")
				: "");
		break;
	case OP_MD:
		a = strv_join(&o->members, " + ");
		t = xasprintf("%s: %s of %s", o->device, o->detail, a);
		break;
	case OP_VGCREATE:
		b = human_size(o->pesize);
		t = xasprintf("%s on %s, each made a physical volume; extents of %s, %llu in all",
			      o->name, o->detail, b, (unsigned long long)o->extents);
		break;
	case OP_LVCREATE:
		a = human_size(o->length);
		b = human_size(o->pesize);
		if (o->lvtype == LV_LINEAR)
			t = xasprintf("%s/%s: linear, %llu extents of %s (%s)", o->vg, o->name,
				      (unsigned long long)o->extents, b, a);
		else
			t = xasprintf(
				"%s/%s: %s, %d legs%s%s%s, %llu extents of %s (%s) each, no initial sync%s",
				o->vg, o->name, lv_type_name(o->lvtype), o->mirrors + 1,
				o->lvtype == LV_MIRROR ? ", " : "",
				o->lvtype == LV_MIRROR ? mirror_log_name(o->mlog) : "",
				o->lvtype == LV_MIRROR ? " log" : "",
				(unsigned long long)o->extents, b, a,
				o->alloc_anywhere ? ", --alloc anywhere" : "");
		break;
	case OP_MKFS:
		if (streq(o->fstype, "swap"))
			return xasprintf("%s: swap space", o->device);
		return xasprintf("%s: %s for %s", o->device, o->fstype, o->mountpoint);
	case OP_MOUNT:
		return xasprintf("%s on %s", o->device, o->path);
	case OP_UNPACK:
	case OP_FSTAB:
		return xasprintf("%s: %s", o->path, o->detail);
	case OP_CONFIGURE:
		return o->device ? xasprintf("%s %s: %s", conf_kind_name(o->conf), o->device,
					     o->detail)
				 : xasprintf("%s: %s", conf_kind_name(o->conf), o->detail);
	case OP_BOOTLOADER:
		if (o->boot == BOOT_CONFIG)
			return xasprintf("%s: Xen entry with %s", o->path, o->detail);
		return xasprintf("%s [%s]: %s", o->device, o->stable, o->detail);
	case OP_PACKAGES:
		a = strv_join(&o->members, " ");
		t = xasprintf("%s, %s", a, o->detail);
		break;
	case OP_FINISH:
		return xstrdup(o->name);
	default:
		return xstrdup("?");
	}
	free(a);
	free(b);
	return t;
}

void plan_print(const struct plan *p, const struct machine *m, FILE *out)
{
	char *mem = human_size(m->memory);

	fprintf(out, "Install plan\n  answers: %s\n  machine: %s (%zu disk%s, %s of memory)\n\n",
		p->answers, m->source, m->ndisks, m->ndisks == 1 ? "" : "s",
		m->memory ? mem : "unknown amount");
	free(mem);
	fputs("Disks\n", out);
	for (size_t i = 0; i < p->ndisks; i++) {
		const struct plan_disk *pd = &p->disks[i];
		const struct disk *d = &m->disks[pd->disk];
		char *sz = human_size_si(d->size), *what = disk_describe_contents(d);

		fprintf(out, "  %-9s %-3s %-14s %-40s %9s  holds %s\n", fate_name(pd->fate),
			pd->alias ? pd->alias : "-", d->path, disk_stable_id(d), sz,
			what ? what : "nothing");
		free(sz);
		free(what);
	}
	fputs("\nOperations\n", out);
	for (size_t i = 0; i < p->nops; i++) {
		char *t = plan_op_text(&p->ops[i]);

		fprintf(out, "  %3zu  %-11s %s\n", i + 1, op_kind_name(p->ops[i].kind), t);
		free(t);
	}
	if (p->notes.n) {
		fputs("\nNotes\n", out);
		for (size_t i = 0; i < p->notes.n; i++)
			fprintf(out, "  - %s\n", p->notes.v[i]);
	}
}

static void jstr(json_object *o, const char *k, const char *v)
{
	if (v)
		json_object_object_add(o, k, json_object_new_string(v));
}

char *plan_to_json(const struct plan *p, const struct machine *m)
{
	json_object *root = json_object_new_object(), *disks = json_object_new_array();
	json_object *ops = json_object_new_array(), *notes = json_object_new_array();
	char *out;

	jstr(root, "answers", p->answers);
	jstr(root, "machine", m->source);
	jstr(root, "dom0_mem", p->dom0_mem);
	for (size_t i = 0; i < p->ndisks; i++) {
		const struct plan_disk *pd = &p->disks[i];
		const struct disk *d = &m->disks[pd->disk];
		json_object *o = json_object_new_object();
		char *what = disk_describe_contents(d), *hs = human_size_si(d->size);

		jstr(o, "path", d->path);
		jstr(o, "stable_id", disk_stable_id(d));
		jstr(o, "alias", pd->alias);
		jstr(o, "fate", fate_name(pd->fate));
		json_object_object_add(o, "size", json_object_new_int64((int64_t)d->size));
		jstr(o, "size_human", hs);
		jstr(o, "holds", what);
		json_object_array_add(disks, o);
		free(what);
		free(hs);
	}
	for (size_t i = 0; i < p->nops; i++) {
		const struct op *op = &p->ops[i];
		json_object *o = json_object_new_object();
		char *t = plan_op_text(op);

		json_object_object_add(o, "step", json_object_new_int((int)i + 1));
		jstr(o, "op", op_kind_name(op->kind));
		jstr(o, "device", op->device);
		jstr(o, "stable_id", op->stable);
		jstr(o, "name", op->name);
		jstr(o, "vg", op->vg);
		jstr(o, "path", op->path);
		if (op->kind == OP_CONFIGURE)
			jstr(o, "sets", conf_kind_name(op->conf));
		if (op->kind == OP_BOOTLOADER)
			jstr(o, "does", op->boot == BOOT_CONFIG ? "config" : "install");
		if (op->kind == OP_PARTITION) {
			char *h = human_size(op->length);

			json_object_object_add(o, "number", json_object_new_int(op->partno));
			jstr(o, "role", role_name(op->role));
			json_object_object_add(o, "start",
					       json_object_new_int64((int64_t)op->start));
			json_object_object_add(o, "size",
					       json_object_new_int64((int64_t)op->length));
			jstr(o, "size_human", h);
			free(h);
		}
		if (op->kind == OP_LABEL || op->kind == OP_PARTITION ||
		    (op->kind == OP_BOOTLOADER && op->disk >= 0))
			jstr(o, "label", label_type_name(op->label));
		if (op->kind == OP_VGCREATE || op->kind == OP_LVCREATE) {
			json_object_object_add(o, "extents",
					       json_object_new_int64((int64_t)op->extents));
			json_object_object_add(o, "extent_size",
					       json_object_new_int64((int64_t)op->pesize));
		}
		if (op->kind == OP_LVCREATE) {
			char *h = human_size(op->length);

			jstr(o, "type", lv_type_name(op->lvtype));
			json_object_object_add(o, "size",
					       json_object_new_int64((int64_t)op->length));
			jstr(o, "size_human", h);
			free(h);
			if (op->lvtype != LV_LINEAR) {
				json_object_object_add(o, "mirrors",
						       json_object_new_int(op->mirrors));
				json_object_object_add(o, "nosync",
						       json_object_new_boolean(op->nosync));
			}
			if (op->lvtype == LV_MIRROR) {
				jstr(o, "mirrorlog", mirror_log_name(op->mlog));
				json_object_object_add(o, "alloc_anywhere",
						       json_object_new_boolean(op->alloc_anywhere));
			}
		}
		jstr(o, "fstype", op->fstype);
		jstr(o, "mountpoint", op->mountpoint);
		if (op->members.n) {
			json_object *a = json_object_new_array();

			for (size_t k = 0; k < op->members.n; k++)
				json_object_array_add(a, json_object_new_string(op->members.v[k]));
			json_object_object_add(o, "members", a);
		}
		jstr(o, "text", t);
		free(t);
		json_object_array_add(ops, o);
	}
	for (size_t i = 0; i < p->notes.n; i++)
		json_object_array_add(notes, json_object_new_string(p->notes.v[i]));
	json_object_object_add(root, "disks", disks);
	json_object_object_add(root, "operations", ops);
	json_object_object_add(root, "notes", notes);
	out = xasprintf("%s\n", json_object_to_json_string_ext(
					root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
						      JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
	return out;
}
