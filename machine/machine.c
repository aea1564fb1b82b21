// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The machine as Tenxen models it, however it was found (probe.c) or recorded (recorded.c): its
 * disks, what they hold, the volume groups their PVs make, and sentences about them.
 */
#include "machine/machine.h"
#include "common/json.h"
#include "storage/pvlabel.h"

#include <blkid.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static void sig_clear(struct sig *s)
{
	free(s->type);
	free(s->usage);
	free(s->label);
	free(s->uuid);
	free(s->vg);
	free(s->pv_uuid);
	free(s->lvm_meta);
}

static void disk_clear(struct disk *d)
{
	free(d->name);
	free(d->path);
	free(d->model);
	free(d->vendor);
	free(d->serial);
	free(d->wwn);
	free(d->transport);
	free(d->probe_error);
	strv_free(&d->by_id);
	for (size_t i = 0; i < d->nsigs; i++)
		sig_clear(&d->sigs[i]);
	free(d->sigs);
	for (size_t i = 0; i < d->nparts; i++) {
		free(d->parts[i].name);
		free(d->parts[i].type);
	}
	free(d->parts);
}

static void vgs_clear(struct machine *m)
{
	for (size_t i = 0; i < m->nvgs; i++) {
		lvm_vg_free(m->vgs[i].vg);
		free(m->vgs[i].name);
		free(m->vgs[i].problem);
		free(m->vgs[i].pv_disk);
		free(m->vgs[i].pv_offset);
	}
	free(m->vgs);
	m->vgs = NULL;
	m->nvgs = 0;
}

const struct machine_vg *machine_find_vg(const struct machine *m, const char *name)
{
	for (size_t i = 0; i < m->nvgs; i++)
		if (streq(m->vgs[i].name, name))
			return &m->vgs[i];
	return NULL;
}

const char *lvm_lv_kind(const struct lvm_lv *lv)
{
	const char *t = lv->nsegs ? lv->segs[0].type : "";

	return streq(t, "striped") && lv->segs[0].nareas == 1 ? "linear" : t;
}

char *machine_lv_where(const struct machine *m, const struct machine_vg *mv,
		       const struct lvm_lv *lv, char **why)
{
	struct lvm_extent *e;
	size_t n;
	struct strv w = {0};
	char *out;

	if (lvm_lv_extents(mv->vg, lv, &e, &n, why) < 0)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const struct lvm_pv *pv = &mv->vg->pvs[e[i].pv];
		int d = mv->pv_disk[e[i].pv];
		uint64_t first = pv->pe_start + e[i].start * mv->vg->extent_size;
		uint64_t len = e[i].count * mv->vg->extent_size;

		if (d < 0)
			strv_push_owned(&w, xasprintf("the missing PV %s (was %s)", pv->id,
						      pv->device ? pv->device : "unknown"));
		else
			strv_push_owned(&w,
					xasprintf("%s bytes %" PRIu64 "-%" PRIu64, m->disks[d].path,
						  mv->pv_offset[e[i].pv] + first,
						  mv->pv_offset[e[i].pv] + first + len - 1));
	}
	free(e);
	out = w.n ? strv_join(&w, ", ") : xstrdup("no extents");
	strv_free(&w);
	return out;
}

/*
 * The volume groups of the disks' PV signatures: each group's newest metadata (the highest
 * seqno any of its PVs holds), its PVs placed by their labels' UUIDs. A group whose metadata
 * cannot be read is still listed, by name, with the reason.
 */
void machine_build_vgs(struct machine *m)
{
	vgs_clear(m);
	for (size_t i = 0; i < m->ndisks; i++) {
		for (size_t k = 0; k < m->disks[i].nsigs; k++) {
			const struct sig *s = &m->disks[i].sigs[k];
			struct lvm_vg *vg = NULL;
			struct machine_vg *mv = NULL;
			char *why = NULL;

			if (!s->vg || !streq(s->type, "LVM2_member"))
				continue;
			if (s->lvm_meta &&
			    lvm_vg_parse(s->lvm_meta, strlen(s->lvm_meta), &vg, &why) == 0 &&
			    !streq(vg->name, s->vg)) {
				why = xasprintf("its metadata names the group %s", vg->name);
				lvm_vg_free(vg);
				vg = NULL;
			}
			for (size_t j = 0; j < m->nvgs && !mv; j++)
				if (streq(m->vgs[j].name, s->vg))
					mv = &m->vgs[j];
			if (!mv) {
				mv = xgrow(&m->vgs, &m->nvgs, sizeof(*mv));
				mv->name = xstrdup(s->vg);
			}
			if (vg && (!mv->vg || vg->seqno > mv->vg->seqno)) {
				lvm_vg_free(mv->vg);
				mv->vg = vg;
				free(mv->problem);
				mv->problem = NULL;
				vg = NULL;
			} else if (!mv->vg && !mv->problem) {
				mv->problem =
					why ? why
					    : xstrdup("none of its physical volumes gave readable metadata");
				why = NULL;
			}
			lvm_vg_free(vg);
			free(why);
		}
	}
	for (size_t j = 0; j < m->nvgs; j++) {
		struct machine_vg *mv = &m->vgs[j];

		if (!mv->vg)
			continue;
		mv->pv_disk = xmalloc((mv->vg->npvs + 1) * sizeof(int));
		mv->pv_offset = xzalloc((mv->vg->npvs + 1) * sizeof(uint64_t));
		for (size_t p = 0; p < mv->vg->npvs; p++) {
			mv->pv_disk[p] = -1;
			for (size_t i = 0; i < m->ndisks && mv->pv_disk[p] < 0; i++) {
				for (size_t k = 0; k < m->disks[i].nsigs; k++) {
					const struct sig *s = &m->disks[i].sigs[k];

					if (s->pv_uuid && streq(s->type, "LVM2_member") &&
					    lvm_uuid_equal(s->pv_uuid, mv->vg->pvs[p].id)) {
						mv->pv_disk[p] = (int)i;
						mv->pv_offset[p] = s->offset;
						break;
					}
				}
			}
		}
	}
}

void machine_free(struct machine *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->ndisks; i++)
		disk_clear(&m->disks[i]);
	free(m->disks);
	vgs_clear(m);
	for (size_t i = 0; i < m->nnics; i++) {
		free(m->nics[i].name);
		free(m->nics[i].mac);
	}
	free(m->nics);
	free(m->serial);
	free(m->source);
	free(m);
}

const char *disk_stable_id(const struct disk *d)
{
	for (size_t i = 0; i < d->by_id.n; i++)
		if (!startswith(d->by_id.v[i], "wwn-") && !startswith(d->by_id.v[i], "nvme-eui."))
			return d->by_id.v[i];
	if (d->by_id.n)
		return d->by_id.v[0];
	if (d->serial)
		return d->serial;
	return d->path;
}

static const char *pretty_type(const char *t)
{
	if (streq(t, "gpt"))
		return "a GPT partition table";
	if (streq(t, "dos"))
		return "an MBR partition table";
	if (streq(t, "LVM2_member"))
		return "an LVM physical volume";
	if (streq(t, "linux_raid_member"))
		return "an md RAID member";
	if (streq(t, "swap"))
		return "swap";
	if (streq(t, "iso9660"))
		return "an ISO 9660 image";
	return NULL;
}

bool disk_has_contents(const struct disk *d)
{
	return d->nsigs || d->probe_error;
}

static const char *article(const char *word)
{
	return strchr("aeiouAEIOU", word[0]) ? "an" : "a";
}

char *disk_describe_contents(const struct disk *d)
{
	struct strv parts = {0};
	char *out;

	if (d->probe_error)
		strv_push_owned(&parts,
				xasprintf("contents Tenxen could not read (%s)", d->probe_error));
	for (size_t i = 0; i < d->nsigs; i++) {
		const struct sig *s = &d->sigs[i];
		const char *pt = pretty_type(s->type);
		char *what, *where;

		if (streq(s->type, "LVM2_member") && s->vg)
			what = xasprintf("an LVM physical volume of volume group %s", s->vg);
		else if (streq(s->type, "linux_raid_member") && s->label)
			what = xasprintf("an md RAID member of array %s", s->label);
		else if (pt)
			what = xstrdup(pt);
		else if (s->label)
			what = xasprintf("%s %s filesystem labelled \"%s\"", article(s->type),
					 s->type, s->label);
		else
			what = xasprintf("%s %s %s", article(s->type), s->type,
					 streq(s->usage, "filesystem") ? "filesystem"
								       : "signature");
		where = s->partno ? xasprintf("%s on partition %d", what, s->partno)
				  : xstrdup(what);
		strv_push_owned(&parts, where);
		free(what);
	}
	out = parts.n ? strv_join(&parts, ", ") : NULL;
	strv_free(&parts);
	return out;
}

/* ---- probing ---- */

const char *firmware_name(enum firmware f)
{
	return f == FIRMWARE_UEFI ? "uefi" : "bios";
}
