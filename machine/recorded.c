// SPDX-License-Identifier: GPL-2.0-or-later
/* A machine recorded as JSON (probe --record) and read back (--machine FILE): hostile input,
 * every field checked. */
#include "machine/machine.h"
#include "common/json.h"

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

/* ---- JSON profiles ---- */

char *machine_to_json(const struct machine *m)
{
	json_object *root = json_object_new_object(), *disks = json_object_new_array();
	json_object *nics = json_object_new_array();

	json_object_object_add(root, "version", json_object_new_int(1));
	json_object_object_add(root, "memory", json_object_new_int64((int64_t)m->memory));
	json_put_str(root, "firmware", firmware_name(m->firmware));
	if (m->firmware == FIRMWARE_UEFI)
		json_object_object_add(root, "secure_boot",
				       json_object_new_boolean(m->secure_boot));
	for (size_t i = 0; i < m->ndisks; i++) {
		const struct disk *d = &m->disks[i];
		json_object *o = json_object_new_object(), *ids = json_object_new_array();
		json_object *sigs = json_object_new_array();

		json_put_str(o, "name", d->name);
		json_put_str(o, "path", d->path);
		json_object_object_add(o, "size", json_object_new_int64((int64_t)d->size));
		json_object_object_add(o, "logical_sector_size", json_object_new_int((int)d->lsec));
		json_object_object_add(o, "physical_sector_size",
				       json_object_new_int((int)d->psec));
		json_put_str(o, "model", d->model);
		json_put_str(o, "vendor", d->vendor);
		json_put_str(o, "serial", d->serial);
		json_put_str(o, "wwn", d->wwn);
		json_put_str(o, "transport", d->transport);
		for (size_t j = 0; j < d->by_id.n; j++)
			json_object_array_add(ids, json_object_new_string(d->by_id.v[j]));
		json_object_object_add(o, "by_id", ids);
		json_object_object_add(o, "rotational", json_object_new_boolean(d->rotational));
		json_object_object_add(o, "removable", json_object_new_boolean(d->removable));
		json_object_object_add(o, "read_only", json_object_new_boolean(d->ro));
		json_object_object_add(o, "medium", json_object_new_boolean(d->medium));
		for (size_t j = 0; j < d->nsigs; j++) {
			const struct sig *s = &d->sigs[j];
			json_object *so = json_object_new_object();

			json_put_str(so, "type", s->type);
			json_put_str(so, "usage", s->usage);
			json_put_str(so, "label", s->label);
			json_put_str(so, "uuid", s->uuid);
			json_put_str(so, "vg", s->vg);
			json_put_str(so, "pv_uuid", s->pv_uuid);
			json_put_str(so, "lvm_metadata", s->lvm_meta);
			json_object_object_add(so, "partition", json_object_new_int(s->partno));
			json_object_object_add(so, "offset",
					       json_object_new_int64((int64_t)s->offset));
			json_object_array_add(sigs, so);
		}
		json_object_object_add(o, "signatures", sigs);
		if (d->nparts) {
			json_object *pa = json_object_new_array();

			for (size_t j = 0; j < d->nparts; j++) {
				json_object *po = json_object_new_object();

				json_object_object_add(po, "number",
						       json_object_new_int(d->parts[j].partno));
				json_object_object_add(
					po, "start",
					json_object_new_int64((int64_t)d->parts[j].start));
				json_object_object_add(
					po, "size",
					json_object_new_int64((int64_t)d->parts[j].size));
				json_put_str(po, "name", d->parts[j].name);
				json_put_str(po, "type", d->parts[j].type);
				json_object_array_add(pa, po);
			}
			json_object_object_add(o, "partitions", pa);
		}
		json_put_str(o, "probe_error", d->probe_error);
		json_object_array_add(disks, o);
	}
	json_object_object_add(root, "disks", disks);
	for (size_t i = 0; i < m->nnics; i++) {
		json_object *o = json_object_new_object();

		json_put_str(o, "name", m->nics[i].name);
		json_put_str(o, "mac", m->nics[i].mac);
		json_object_array_add(nics, o);
	}
	json_object_object_add(root, "nics", nics);
	json_put_str(root, "serial", m->serial);
	return json_finish(root);
}

struct jload {
	struct tx_report *r;
	const char *path;
	bool bad;
};

static char *jstr(struct jload *jl, json_object *o, const char *k, const char *where, bool need)
{
	json_object *v;

	if (!json_object_object_get_ex(o, k, &v) || json_object_is_type(v, json_type_null)) {
		if (need) {
			tx_error(jl->r, NULL, "%s: %s has no \"%s\"; every entry needs one",
				 jl->path, where, k);
			jl->bad = true;
		}
		return NULL;
	}
	if (!json_object_is_type(v, json_type_string)) {
		tx_error(jl->r, NULL, "%s: \"%s\" of %s must be a string", jl->path, k, where);
		jl->bad = true;
		return NULL;
	}
	return xstrdup(json_object_get_string(v));
}

static uint64_t jnum(struct jload *jl, json_object *o, const char *k, const char *where, bool need,
		     uint64_t dflt)
{
	json_object *v;

	if (!json_object_object_get_ex(o, k, &v)) {
		if (need) {
			tx_error(jl->r, NULL, "%s: %s has no \"%s\"; every entry needs one",
				 jl->path, where, k);
			jl->bad = true;
		}
		return dflt;
	}
	if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) < 0) {
		tx_error(jl->r, NULL, "%s: \"%s\" of %s must be a whole number of at least 0",
			 jl->path, k, where);
		jl->bad = true;
		return dflt;
	}
	return (uint64_t)json_object_get_int64(v);
}

static bool jbool(json_object *o, const char *k)
{
	json_object *v;

	return json_object_object_get_ex(o, k, &v) && json_object_get_boolean(v);
}

/* The sizes of one disk of a profile, each checked: past DISK_MAX, or a sector size no disk has,
 * the profile is refused. */
static void load_sizes(struct jload *jl, json_object *o, const char *where, struct disk *d)
{
	d->size = jnum(jl, o, "size", where, true, 0);
	if (d->size > DISK_MAX) {
		tx_error(jl->r, NULL,
			 "%s: %s has a size of %" PRIu64
			 " bytes, larger than any disk (1 EiB at most)",
			 jl->path, where, d->size);
		jl->bad = true;
	}
	d->lsec = (unsigned)jnum(jl, o, "logical_sector_size", where, false, 512);
	d->psec = (unsigned)jnum(jl, o, "physical_sector_size", where, false, d->lsec);
	if ((d->lsec == 512 || d->lsec == 4096) &&
	    (d->psec < d->lsec || d->psec > 65536 || (d->psec & (d->psec - 1)))) {
		tx_error(
			jl->r, NULL,
			"%s: %s has a physical sector size of %u; give a power of two from its logical sector size to 65536",
			jl->path, where, d->psec);
		jl->bad = true;
	}
	if (d->lsec != 512 && d->lsec != 4096) {
		tx_error(jl->r, NULL,
			 "%s: %s has a logical sector size of %u; disks have 512 or 4096", jl->path,
			 where, d->lsec);
		jl->bad = true;
	}
}

/* The signatures found on one disk of a profile. */
static void load_sigs(struct jload *jl, json_object *a, const char *where, struct disk *d)
{
	for (size_t j = 0; j < json_object_array_length(a); j++) {
		json_object *so = json_object_array_get_idx(a, j);
		struct sig *s = xgrow(&d->sigs, &d->nsigs, sizeof(*s));

		s->type = jstr(jl, so, "type", where, true);
		s->usage = jstr(jl, so, "usage", where, false);
		if (!s->usage)
			s->usage = xstrdup("other");
		s->label = jstr(jl, so, "label", where, false);
		s->uuid = jstr(jl, so, "uuid", where, false);
		s->vg = jstr(jl, so, "vg", where, false);
		s->pv_uuid = jstr(jl, so, "pv_uuid", where, false);
		s->lvm_meta = jstr(jl, so, "lvm_metadata", where, false);
		s->partno = (int)jnum(jl, so, "partition", where, false, 0);
		s->offset = jnum(jl, so, "offset", where, false, 0);
	}
}

/* The partitions of one disk of a profile, each within the disk. */
static void load_parts(struct jload *jl, json_object *a, const char *where, struct disk *d)
{
	for (size_t j = 0; j < json_object_array_length(a); j++) {
		json_object *po = json_object_array_get_idx(a, j);
		struct part *pt = xgrow(&d->parts, &d->nparts, sizeof(*pt));

		pt->partno = (int)jnum(jl, po, "number", where, true, 0);
		pt->start = jnum(jl, po, "start", where, true, 0);
		pt->size = jnum(jl, po, "size", where, true, 0);
		pt->name = jstr(jl, po, "name", where, false);
		pt->type = jstr(jl, po, "type", where, false);
		if (pt->partno < 1 || pt->partno > 256 || pt->start > d->size ||
		    pt->size > d->size - pt->start) {
			tx_error(
				jl->r, NULL,
				"%s: partition %zu of %s is numbered outside 1-256 or lies outside the disk",
				jl->path, j + 1, where);
			jl->bad = true;
		}
	}
}

/* One disk of a profile. */
static void load_disk(struct jload *jl, json_object *o, const char *where, struct disk *d)
{
	json_object *a;

	d->name = jstr(jl, o, "name", where, true);
	d->path = jstr(jl, o, "path", where, true);
	load_sizes(jl, o, where, d);
	d->model = jstr(jl, o, "model", where, false);
	d->vendor = jstr(jl, o, "vendor", where, false);
	d->serial = jstr(jl, o, "serial", where, false);
	d->wwn = jstr(jl, o, "wwn", where, false);
	d->transport = jstr(jl, o, "transport", where, false);
	if (json_object_object_get_ex(o, "by_id", &a) && json_object_is_type(a, json_type_array))
		for (size_t j = 0; j < json_object_array_length(a); j++)
			strv_push(&d->by_id,
				  json_object_get_string(json_object_array_get_idx(a, j)));
	d->rotational = jbool(o, "rotational");
	d->removable = jbool(o, "removable");
	d->ro = jbool(o, "read_only");
	d->medium = jbool(o, "medium");
	d->probe_error = jstr(jl, o, "probe_error", where, false);
	if (json_object_object_get_ex(o, "signatures", &a) &&
	    json_object_is_type(a, json_type_array))
		load_sigs(jl, a, where, d);
	if (json_object_object_get_ex(o, "partitions", &a) &&
	    json_object_is_type(a, json_type_array))
		load_parts(jl, a, where, d);
}

int machine_load(const char *path, struct tx_report *r, struct machine **out)
{
	struct jload jl = {r, path, false};
	json_object *root, *arr;
	struct machine *m;
	char *buf;
	int rc = read_file(path, &buf, NULL);

	*out = NULL;
	if (rc < 0) {
		tx_error(r, NULL, "cannot read the machine profile %s: %s", path, strerror(-rc));
		return rc;
	}
	{
		json_tokener *tok = json_tokener_new();

		root = json_tokener_parse_ex(tok, buf, (int)strlen(buf));
		if (!root) {
			tx_error(
				r, NULL,
				"%s is not a machine profile: %s; make one with tenxen probe --record FILE",
				path, json_tokener_error_desc(json_tokener_get_error(tok)));
			json_tokener_free(tok);
			free(buf);
			return -EINVAL;
		}
		json_tokener_free(tok);
	}
	free(buf);
	if (!json_object_is_type(root, json_type_object) ||
	    !json_object_object_get_ex(root, "disks", &arr) ||
	    !json_object_is_type(arr, json_type_array)) {
		tx_error(
			r, NULL,
			"%s is not a machine profile (no \"disks\" list); make one with tenxen probe --record FILE",
			path);
		json_object_put(root);
		return -EINVAL;
	}
	m = xzalloc(sizeof(*m));
	m->source = xstrdup(path);
	m->memory = jnum(&jl, root, "memory", "the profile", false, 0);
	m->serial = jstr(&jl, root, "serial", "the profile", false);
	{
		char *fw = jstr(&jl, root, "firmware", "the profile", false);

		if (fw && streq(fw, "uefi")) {
			m->firmware = FIRMWARE_UEFI;
		} else if (fw && !streq(fw, "bios")) {
			tx_error(r, NULL,
				 "%s: \"firmware\": \"%s\" is neither \"bios\" nor \"uefi\"", path,
				 fw);
			jl.bad = true;
		}
		free(fw);
		m->secure_boot = jbool(root, "secure_boot");
	}
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		char where[32];

		snprintf(where, sizeof(where), "disk %zu", i + 1);
		load_disk(&jl, json_object_array_get_idx(arr, i), where,
			  xgrow(&m->disks, &m->ndisks, sizeof(struct disk)));
	}
	if (json_object_object_get_ex(root, "nics", &arr) &&
	    json_object_is_type(arr, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(arr); i++) {
			json_object *o = json_object_array_get_idx(arr, i);
			struct nic *n = xgrow(&m->nics, &m->nnics, sizeof(*n));

			n->name = jstr(&jl, o, "name", "a network card", true);
			n->mac = jstr(&jl, o, "mac", "a network card", false);
		}
	}
	json_object_put(root);
	if (jl.bad) {
		machine_free(m);
		return -EINVAL;
	}
	machine_build_vgs(m);
	*out = m;
	return 0;
}
