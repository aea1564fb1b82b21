// SPDX-License-Identifier: GPL-2.0-or-later
/* Which disk each disk line names, and what happens to every disk: erased, left alone, ignored,
 * the medium; with the refusals that keep data safe. */
#include "plan/builder.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
char *describe_disk(const struct disk *d)
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

void plan_resolve_disks(struct builder *b)
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

bool alias_in_use(const struct spec *s, const char *alias, bool *boot, bool *pv)
{
	*boot = strv_contains(&s->boot.disks, alias);
	*pv = false;
	for (size_t i = 0; i < s->nvgs; i++)
		*pv |= strv_contains(&s->vgs[i].disks, alias);
	return *boot || *pv;
}

void plan_decide_fates(struct builder *b)
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
		if (plan_kept_vg_on(b, j)) {
			const struct spec_volgroup *kv = plan_kept_vg_on(b, j);

			for (size_t c = 0; c < s->nclear; c++)
				if (streq(s->clear[c].name, sd->alias))
					tx_error(
						b->r, &s->clear[c].loc,
						"disk %s holds volume group %s, which volgroup %s --useexisting keeps (%s:%d), and clearpart would erase it: take %s out of clearpart",
						sd->alias, kv->name, kv->name, kv->loc.file,
						kv->loc.line, sd->alias);
			if (d->ro) {
				char *dd = describe_disk(d);

				tx_error(
					b->r, &sd->loc,
					"disk %s is %s, which is read-only; a reinstall writes /boot and the root there",
					sd->alias, dd);
				free(dd);
			}
			pd->fate = FATE_KEPT;
			continue;
		}
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

		if (b->p->disks[j].fate == FATE_ERASED || b->p->disks[j].fate == FATE_KEPT)
			continue;
		for (size_t k = 0; k < d->nsigs; k++) {
			const struct spec_volgroup *vg =
				d->sigs[k].vg ? spec_find_vg(s, d->sigs[k].vg) : NULL;
			char *dd;

			if (!vg || vg->useexisting)
				continue; /* a kept group on a disk no line names: plan_check_kept says */
			dd = describe_disk(d);
			tx_error(
				b->r, &vg->loc,
				"volume group %s already exists on %s, which this install leaves alone; name the new volume group otherwise, or erase that disk with clearpart",
				vg->name, dd);
			free(dd);
		}
	}
}
