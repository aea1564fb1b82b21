// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * LVM2's metadata text is a tree of sections ("name { ... }") holding settings ("key = value",
 * where a value is a "string", a whole number, or a [list] of those) and comments from '#' to
 * the line's end. It is read into a small tree first, then the volume group is taken out of it
 * with every reference and size checked: the text comes from a disk, or from a recorded machine
 * that anyone may have written.
 */
#include "storage/lvmmeta.h"
#include "common/util.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 16
#define MAX_NODES 200000
#define SECTOR	  512ULL

enum node_type { N_SECTION, N_STR, N_NUM, N_LIST };

struct node {
	char *key; /* NULL for a list's items */
	enum node_type t;
	char *s;
	int64_t num;
	struct node *kids;
	size_t nkids;
};

struct reader {
	const char *p, *end;
	int line;
	size_t nodes;
	char *why;
};

static void node_clear(struct node *n)
{
	for (size_t i = 0; i < n->nkids; i++)
		node_clear(&n->kids[i]);
	free(n->kids);
	free(n->key);
	free(n->s);
}

static int bad(struct reader *rd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(struct reader *rd, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (rd->why)
		return -EINVAL;
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (rd->line > 0) {
		rd->why = xasprintf("line %d of the metadata: %s", rd->line, msg);
		free(msg);
	} else { /* a check of the whole group, at no one line */
		rd->why = msg;
	}
	return -EINVAL;
}

static void skip_space(struct reader *rd)
{
	while (rd->p < rd->end) {
		if (*rd->p == '#') {
			while (rd->p < rd->end && *rd->p != '\n')
				rd->p++;
		} else if (*rd->p == '\n') {
			rd->line++;
			rd->p++;
		} else if (isspace((unsigned char)*rd->p)) {
			rd->p++;
		} else {
			break;
		}
	}
}

static bool word_char(char c)
{
	return isalnum((unsigned char)c) || strchr("_.+-", c) != NULL;
}

static char *read_word(struct reader *rd)
{
	const char *s = rd->p;

	while (rd->p < rd->end && word_char(*rd->p))
		rd->p++;
	return rd->p > s ? xstrndup(s, (size_t)(rd->p - s)) : NULL;
}

static struct node *new_kid(struct reader *rd, struct node *parent)
{
	struct node *n;

	if (++rd->nodes > MAX_NODES) {
		bad(rd, "more than %d entries", MAX_NODES);
		return NULL;
	}
	n = xgrow(&parent->kids, &parent->nkids, sizeof(*n));
	memset(n, 0, sizeof(*n));
	return n;
}

/* A "string", a whole number, or (lists=true) a [list] of them, into n. */
static int read_value(struct reader *rd, struct node *n, bool lists)
{
	skip_space(rd);
	if (rd->p >= rd->end)
		return bad(rd, "a value is missing at the end");
	if (*rd->p == '"') {
		const char *q = ++rd->p;
		size_t k = 0;

		while (q < rd->end && *q != '"')
			q += *q == '\\' && q + 1 < rd->end ? 2 : 1;
		if (q >= rd->end)
			return bad(rd, "a string has no closing quote");
		n->t = N_STR;
		n->s = xmalloc((size_t)(q - rd->p) + 1);
		for (; rd->p < q; rd->p++) {
			if (*rd->p == '\\' && rd->p + 1 < q)
				rd->p++;
			if (*rd->p == '\n')
				rd->line++;
			n->s[k++] = *rd->p;
		}
		n->s[k] = 0;
		rd->p++;
		return 0;
	}
	if (*rd->p == '[' && lists) {
		rd->p++;
		n->t = N_LIST;
		for (;;) {
			struct node *item;
			int rc;

			skip_space(rd);
			if (rd->p < rd->end && *rd->p == ']') {
				rd->p++;
				return 0;
			}
			if (n->nkids && (rd->p >= rd->end || *rd->p++ != ','))
				return bad(rd, "a list's items are separated by commas");
			item = new_kid(rd, n);
			if (!item)
				return -EINVAL;
			rc = read_value(rd, item, false);
			if (rc < 0)
				return rc;
		}
	}
	if (*rd->p == '-' || isdigit((unsigned char)*rd->p)) {
		bool neg = *rd->p == '-';
		uint64_t v = 0;

		if (neg)
			rd->p++;
		if (rd->p >= rd->end || !isdigit((unsigned char)*rd->p))
			return bad(rd, "a number has no digits");
		while (rd->p < rd->end && isdigit((unsigned char)*rd->p)) {
			unsigned d = (unsigned)(*rd->p++ - '0');

			if (v > ((uint64_t)INT64_MAX - d) / 10)
				return bad(rd, "a number is too large");
			v = v * 10 + d;
		}
		if (rd->p < rd->end && *rd->p == '.') /* a fraction: kept as its whole part */
			for (rd->p++; rd->p < rd->end && isdigit((unsigned char)*rd->p); rd->p++)
				;
		n->t = N_NUM;
		n->num = neg ? -(int64_t)v : (int64_t)v;
		return 0;
	}
	return bad(rd, "'%c' is not the start of a value", *rd->p);
}

/* Settings and sections up to a '}' (depth > 0) or the end of the text, into sec. */
static int read_section(struct reader *rd, struct node *sec, int depth)
{
	if (depth > MAX_DEPTH)
		return bad(rd, "sections nest more than %d deep", MAX_DEPTH);
	for (;;) {
		struct node *n;
		char *key;
		int rc;

		skip_space(rd);
		if (rd->p >= rd->end)
			return depth ? bad(rd, "a section has no closing '}'") : 0;
		if (*rd->p == '}') {
			if (!depth)
				return bad(rd, "a '}' closes no section");
			rd->p++;
			return 0;
		}
		key = read_word(rd);
		if (!key)
			return bad(rd, "'%c' is not the start of a name", *rd->p);
		n = new_kid(rd, sec);
		if (!n) {
			free(key);
			return -EINVAL;
		}
		n->key = key;
		skip_space(rd);
		if (rd->p < rd->end && *rd->p == '{') {
			rd->p++;
			n->t = N_SECTION;
			rc = read_section(rd, n, depth + 1);
		} else if (rd->p < rd->end && *rd->p == '=') {
			rd->p++;
			rc = read_value(rd, n, true);
		} else {
			rc = bad(rd, "%s is followed by neither '=' nor '{'", key);
		}
		if (rc < 0)
			return rc;
	}
}

static const struct node *get(const struct node *sec, const char *key, enum node_type t)
{
	for (size_t i = 0; i < sec->nkids; i++)
		if (sec->kids[i].key && streq(sec->kids[i].key, key) && sec->kids[i].t == t)
			return &sec->kids[i];
	return NULL;
}

static const char *get_str(const struct node *sec, const char *key)
{
	const struct node *n = get(sec, key, N_STR);

	return n ? n->s : NULL;
}

/* A whole number of at least 0 under key, or -1 when missing or negative. */
static int64_t get_num(const struct node *sec, const char *key)
{
	const struct node *n = get(sec, key, N_NUM);

	return n && n->num >= 0 ? n->num : -1;
}

static bool list_has(const struct node *sec, const char *key, const char *word)
{
	const struct node *n = get(sec, key, N_LIST);

	for (size_t i = 0; n && i < n->nkids; i++)
		if (n->kids[i].t == N_STR && streq(n->kids[i].s, word))
			return true;
	return false;
}

void lvm_vg_free(struct lvm_vg *vg)
{
	if (!vg)
		return;
	for (size_t i = 0; i < vg->npvs; i++) {
		free(vg->pvs[i].name);
		free(vg->pvs[i].id);
		free(vg->pvs[i].device);
	}
	free(vg->pvs);
	for (size_t i = 0; i < vg->nlvs; i++) {
		for (size_t j = 0; j < vg->lvs[i].nsegs; j++) {
			free(vg->lvs[i].segs[j].type);
			free(vg->lvs[i].segs[j].areas);
		}
		free(vg->lvs[i].segs);
		free(vg->lvs[i].name);
		free(vg->lvs[i].id);
	}
	free(vg->lvs);
	free(vg->name);
	free(vg->id);
	free(vg);
}

const struct lvm_lv *lvm_vg_find_lv(const struct lvm_vg *vg, const char *name)
{
	for (size_t i = 0; i < vg->nlvs; i++)
		if (streq(vg->lvs[i].name, name))
			return &vg->lvs[i];
	return NULL;
}

static int pv_index(const struct lvm_vg *vg, const char *name)
{
	for (size_t i = 0; i < vg->npvs; i++)
		if (streq(vg->pvs[i].name, name))
			return (int)i;
	return -1;
}

static int lv_index(const struct lvm_vg *vg, const char *name)
{
	for (size_t i = 0; i < vg->nlvs; i++)
		if (streq(vg->lvs[i].name, name))
			return (int)i;
	return -1;
}

static int take_pvs(struct reader *rd, const struct node *sec, struct lvm_vg *vg)
{
	for (size_t i = 0; i < sec->nkids; i++) {
		const struct node *n = &sec->kids[i];
		struct lvm_pv *pv;
		int64_t start, count;

		if (n->t != N_SECTION)
			continue;
		pv = xgrow(&vg->pvs, &vg->npvs, sizeof(*pv));
		memset(pv, 0, sizeof(*pv));
		pv->name = xstrdup(n->key);
		pv->id = xstrdup(get_str(n, "id") ? get_str(n, "id") : "");
		if (get_str(n, "device"))
			pv->device = xstrdup(get_str(n, "device"));
		start = get_num(n, "pe_start");
		count = get_num(n, "pe_count");
		if (start < 0 || count < 0 || !*pv->id)
			return bad(rd, "physical volume %s has no id, pe_start or pe_count",
				   n->key);
		if ((uint64_t)start > UINT64_MAX / SECTOR ||
		    (uint64_t)count > (UINT64_MAX - (uint64_t)start * SECTOR) / vg->extent_size)
			return bad(rd, "physical volume %s is larger than any disk", n->key);
		pv->pe_start = (uint64_t)start * SECTOR;
		pv->pe_count = (uint64_t)count;
		pv->missing = list_has(n, "flags", "MISSING");
	}
	return 0;
}

/* A segment's areas: a list of names, each followed by its first extent unless names_only. */
static int take_areas(struct reader *rd, const struct node *list, bool names_only,
		      struct lvm_vg *vg, const char *lvname, struct lvm_seg *seg)
{
	size_t step = names_only ? 1 : 2;

	if (!list || list->nkids == 0 || list->nkids % step)
		return bad(rd, "a segment of %s lists its areas wrongly", lvname);
	for (size_t k = 0; k < list->nkids; k += step) {
		const struct node *nm = &list->kids[k];
		struct lvm_area *a;

		if (nm->t != N_STR ||
		    (!names_only && (list->kids[k + 1].t != N_NUM || list->kids[k + 1].num < 0)))
			return bad(rd, "a segment of %s lists its areas wrongly", lvname);
		a = xgrow(&seg->areas, &seg->nareas, sizeof(*a));
		a->pv = pv_index(vg, nm->s);
		a->lv = a->pv < 0 ? lv_index(vg, nm->s) : -1;
		a->start = names_only ? 0 : (uint64_t)list->kids[k + 1].num;
		if (a->pv < 0 && a->lv < 0)
			return bad(
				rd,
				"a segment of %s names %s, which is neither a physical nor a logical volume of the group",
				lvname, nm->s);
	}
	return 0;
}

static int take_segment(struct reader *rd, const struct node *n, struct lvm_vg *vg,
			struct lvm_lv *lv)
{
	struct lvm_seg *seg = xgrow(&lv->segs, &lv->nsegs, sizeof(*seg));
	int64_t start = get_num(n, "start_extent"), count = get_num(n, "extent_count");
	const char *type = get_str(n, "type");
	const struct node *list;
	int rc = 0;

	memset(seg, 0, sizeof(*seg));
	seg->log = -1;
	seg->type = xstrdup(type ? type : "");
	if (start < 0 || count <= 0 || !type)
		return bad(rd, "a segment of %s has no start_extent, extent_count or type",
			   lv->name);
	seg->start_extent = (uint64_t)start;
	seg->extent_count = (uint64_t)count;
	seg->area_extents = seg->extent_count;
	if ((list = get(n, "stripes", N_LIST))) {
		rc = take_areas(rd, list, false, vg, lv->name, seg);
		if (rc == 0 && seg->extent_count % seg->nareas)
			return bad(rd, "a segment of %s does not divide among its stripes",
				   lv->name);
		if (rc == 0)
			seg->area_extents = seg->extent_count / seg->nareas;
	} else if ((list = get(n, "mirrors", N_LIST))) {
		rc = take_areas(rd, list, false, vg, lv->name, seg);
	} else if ((list = get(n, "raids", N_LIST))) {
		rc = take_areas(rd, list, true, vg, lv->name, seg);
	}
	if (rc == 0 && get_str(n, "mirror_log")) {
		seg->log = lv_index(vg, get_str(n, "mirror_log"));
		if (seg->log < 0)
			return bad(rd, "%s's mirror log %s is not a logical volume of the group",
				   lv->name, get_str(n, "mirror_log"));
	}
	return rc;
}

static int take_lvs(struct reader *rd, const struct node *sec, struct lvm_vg *vg)
{
	/* names first: a segment may name a volume listed after it */
	for (size_t i = 0; i < sec->nkids; i++) {
		const struct node *n = &sec->kids[i];
		struct lvm_lv *lv;

		if (n->t != N_SECTION)
			continue;
		if (lv_index(vg, n->key) >= 0 || pv_index(vg, n->key) >= 0)
			return bad(rd, "%s is named twice", n->key);
		lv = xgrow(&vg->lvs, &vg->nlvs, sizeof(*lv));
		memset(lv, 0, sizeof(*lv));
		lv->name = xstrdup(n->key);
		lv->id = xstrdup(get_str(n, "id") ? get_str(n, "id") : "");
		lv->visible = list_has(n, "status", "VISIBLE");
	}
	for (size_t i = 0, k = 0; i < sec->nkids; i++) {
		const struct node *n = &sec->kids[i];
		struct lvm_lv *lv;

		if (n->t != N_SECTION)
			continue;
		lv = &vg->lvs[k++];
		for (size_t j = 0; j < n->nkids; j++) {
			int rc;

			if (n->kids[j].t != N_SECTION || !startswith(n->kids[j].key, "segment"))
				continue;
			rc = take_segment(rd, &n->kids[j], vg, lv);
			if (rc < 0)
				return rc;
			if (lv->segs[lv->nsegs - 1].start_extent != lv->extents)
				return bad(rd, "the segments of %s do not follow each other",
					   lv->name);
			if (lv->segs[lv->nsegs - 1].extent_count > UINT32_MAX * 64ULL - lv->extents)
				return bad(rd, "%s has more extents than any disk holds", lv->name);
			lv->extents += lv->segs[lv->nsegs - 1].extent_count;
		}
		if (!lv->nsegs)
			return bad(rd, "logical volume %s has no segment", lv->name);
	}
	return 0;
}

/*
 * Sub-volumes (mirror legs and logs, raid images) make a tree: no volume names itself, none is
 * part of two volumes, and no chain of them comes back to where it began. So walking a volume's
 * areas visits each volume of the group once at most, however the text is made.
 */
static int check_tree(struct reader *rd, const struct lvm_vg *vg)
{
	int *parent = xzalloc((vg->nlvs + 1) * sizeof(int));
	int rc = 0;

	for (size_t i = 0; i < vg->nlvs; i++)
		parent[i] = -1;
	for (size_t i = 0; rc == 0 && i < vg->nlvs; i++) {
		for (size_t j = 0; rc == 0 && j < vg->lvs[i].nsegs; j++) {
			const struct lvm_seg *g = &vg->lvs[i].segs[j];

			for (size_t k = 0; rc == 0 && k <= g->nareas; k++) {
				int sub = k < g->nareas ? g->areas[k].lv : g->log;

				if (sub < 0)
					continue;
				if ((size_t)sub == i)
					rc = bad(rd, "%s names itself as a part of itself",
						 vg->lvs[i].name);
				else if (parent[sub] >= 0)
					rc = bad(rd, "%s is a part of both %s and %s",
						 vg->lvs[sub].name, vg->lvs[parent[sub]].name,
						 vg->lvs[i].name);
				else
					parent[sub] = (int)i;
			}
		}
	}
	for (size_t i = 0; rc == 0 && i < vg->nlvs; i++) {
		size_t steps = 0;

		for (int p = parent[i]; p >= 0 && rc == 0; p = parent[p])
			if (++steps > vg->nlvs)
				rc = bad(rd, "%s is a part of itself, through other volumes",
					 vg->lvs[i].name);
	}
	free(parent);
	return rc;
}

struct pv_run {
	int pv, lv;
	uint64_t start, count;
};

static int cmp_run(const void *a, const void *b)
{
	const struct pv_run *x = a, *y = b;

	if (x->pv != y->pv)
		return x->pv < y->pv ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* No two areas on a PV share an extent: each extent of a disk belongs to one volume. */
static int check_overlaps(struct reader *rd, const struct lvm_vg *vg)
{
	struct pv_run *runs = NULL;
	size_t n = 0;
	int rc = 0;

	for (size_t i = 0; i < vg->nlvs; i++)
		for (size_t j = 0; j < vg->lvs[i].nsegs; j++) {
			const struct lvm_seg *g = &vg->lvs[i].segs[j];

			for (size_t k = 0; k < g->nareas; k++) {
				struct pv_run *r;

				if (g->areas[k].pv < 0)
					continue;
				r = xgrow(&runs, &n, sizeof(*r));
				*r = (struct pv_run){g->areas[k].pv, (int)i, g->areas[k].start,
						     g->area_extents};
			}
		}
	if (n)
		qsort(runs, n, sizeof(*runs), cmp_run);
	for (size_t i = 1; rc == 0 && i < n; i++) {
		const struct pv_run *a = &runs[i - 1], *b = &runs[i];

		if (a->pv == b->pv && a->start + a->count > b->start)
			rc = bad(
				rd,
				"%s and %s both claim extent %llu of %s: a disk's extent belongs to one volume",
				vg->lvs[a->lv].name, vg->lvs[b->lv].name,
				(unsigned long long)b->start, vg->pvs[b->pv].name);
	}
	free(runs);
	return rc;
}

int lvm_vg_parse(const char *text, size_t len, struct lvm_vg **out, char **why)
{
	struct reader rd = {text, text + len, 1, 0, NULL};
	struct node top = {0};
	const struct node *v = NULL, *s;
	struct lvm_vg *vg = NULL;
	int rc;

	*out = NULL;
	*why = NULL;
	rc = read_section(&rd, &top, 0);
	for (size_t i = 0; rc == 0 && i < top.nkids && !v; i++)
		if (top.kids[i].t == N_SECTION)
			v = &top.kids[i];
	if (rc == 0 && !v)
		rc = bad(&rd, "no volume group in it");
	if (rc == 0) {
		int64_t ext = get_num(v, "extent_size"), seq = get_num(v, "seqno");

		vg = xzalloc(sizeof(*vg));
		vg->name = xstrdup(v->key);
		vg->id = xstrdup(get_str(v, "id") ? get_str(v, "id") : "");
		vg->seqno = seq > 0 ? (uint64_t)seq : 0;
		if (ext <= 0 || (uint64_t)ext > (1ULL << 40) / SECTOR)
			rc = bad(&rd, "volume group %s has no extent_size, or one no disk has",
				 v->key);
		else
			vg->extent_size = (uint64_t)ext * SECTOR;
	}
	if (rc == 0 && (s = get(v, "physical_volumes", N_SECTION)))
		rc = take_pvs(&rd, s, vg);
	if (rc == 0 && (s = get(v, "logical_volumes", N_SECTION)))
		rc = take_lvs(&rd, s, vg);
	rd.line = 0; /* the checks from here on are of the whole group */
	/* every area on a PV within it (a sub-volume is taken whole, and is checked itself) */
	for (size_t i = 0; rc == 0 && vg && i < vg->nlvs; i++) {
		for (size_t j = 0; rc == 0 && j < vg->lvs[i].nsegs; j++) {
			const struct lvm_seg *g = &vg->lvs[i].segs[j];

			for (size_t k = 0; rc == 0 && k < g->nareas; k++) {
				const struct lvm_area *a = &g->areas[k];

				if (a->pv >= 0 &&
				    (a->start > vg->pvs[a->pv].pe_count ||
				     g->area_extents > vg->pvs[a->pv].pe_count - a->start))
					rc = bad(&rd, "%s reaches past the end of %s",
						 vg->lvs[i].name, vg->pvs[a->pv].name);
			}
		}
	}
	if (rc == 0 && vg)
		rc = check_tree(&rd, vg);
	if (rc == 0 && vg)
		rc = check_overlaps(&rd, vg);
	node_clear(&top);
	if (rc < 0) {
		lvm_vg_free(vg);
		*why = rd.why ? rd.why : xstrdup("unreadable metadata");
		return rc;
	}
	free(rd.why);
	*out = vg;
	return 0;
}

/* ---- the extents a volume holds ---- */

struct runs {
	struct lvm_extent *v;
	size_t n;
};

static int add_lv(const struct lvm_vg *vg, int lv, int depth, struct runs *r, char **why)
{
	const struct lvm_lv *l = &vg->lvs[lv];

	if (depth > 8) {
		*why = xasprintf("the volumes under %s nest too deep, or in a loop", l->name);
		return -EINVAL;
	}
	for (size_t j = 0; j < l->nsegs; j++) {
		const struct lvm_seg *g = &l->segs[j];
		bool known = streq(g->type, "striped") || streq(g->type, "mirror") ||
			     streq(g->type, "raid1") || streq(g->type, "linear");

		if (!known || (g->nareas == 0 && !streq(g->type, "mirror"))) {
			*why = xasprintf(
				"%s has a segment of type \"%s\", whose place on the disks Tenxen does not read",
				l->name, g->type);
			return -ENOTSUP;
		}
		for (size_t k = 0; k < g->nareas; k++) {
			int rc;

			if (g->areas[k].pv >= 0) {
				struct lvm_extent *e = xgrow(&r->v, &r->n, sizeof(*e));

				e->pv = g->areas[k].pv;
				e->start = g->areas[k].start;
				e->count = g->area_extents;
				continue;
			}
			rc = add_lv(vg, g->areas[k].lv, depth + 1, r, why);
			if (rc < 0)
				return rc;
		}
		if (g->log >= 0) {
			int rc = add_lv(vg, g->log, depth + 1, r, why);

			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

static int cmp_extent(const void *a, const void *b)
{
	const struct lvm_extent *x = a, *y = b;

	if (x->pv != y->pv)
		return x->pv < y->pv ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

int lvm_lv_extents(const struct lvm_vg *vg, const struct lvm_lv *lv, struct lvm_extent **out,
		   size_t *n, char **why)
{
	struct runs r = {0};
	size_t w = 0;
	int rc;

	*out = NULL;
	*n = 0;
	*why = NULL;
	rc = add_lv(vg, (int)(lv - vg->lvs), 0, &r, why);
	if (rc < 0) {
		free(r.v);
		return rc;
	}
	if (r.n)
		qsort(r.v, r.n, sizeof(*r.v), cmp_extent);
	for (size_t i = 0; i < r.n; i++) {
		if (w && r.v[w - 1].pv == r.v[i].pv &&
		    r.v[w - 1].start + r.v[w - 1].count >= r.v[i].start) {
			uint64_t end = r.v[i].start + r.v[i].count;

			if (end > r.v[w - 1].start + r.v[w - 1].count)
				r.v[w - 1].count = end - r.v[w - 1].start;
			continue;
		}
		r.v[w++] = r.v[i];
	}
	*out = r.v;
	*n = w;
	return 0;
}

bool lvm_uuid_equal(const char *label_uuid, const char *meta_id)
{
	const char *a = label_uuid, *b = meta_id;

	for (;;) {
		while (*b == '-')
			b++;
		if (!*a || !*b)
			return !*a && !*b;
		if (*a++ != *b++)
			return false;
	}
}
