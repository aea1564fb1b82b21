// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The spec as JSON, every field of what it means and nothing of where it was written (places,
 * file names). Two answer files that mean the same give the same text: the round-trip tests and
 * the fuzz target compare the spec this way, not the text the writer makes.
 */
#include "lang/spec_json.h"

#include "common/json.h"
#include "lang/writer.h"

static void put_int(json_object *o, const char *k, int64_t v)
{
	json_object_object_add(o, k, json_object_new_int64(v));
}

static void put_bool(json_object *o, const char *k, bool v)
{
	json_object_object_add(o, k, json_object_new_boolean(v));
}

static json_object *strv_json(const struct strv *sv)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < sv->n; i++)
		json_object_array_add(a, json_object_new_string(sv->v[i]));
	return a;
}

static json_object *refs_json(const struct spec_ref *refs, size_t n)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_string(refs[i].name));
	return a;
}

static json_object *disks_json(const struct spec *s)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < s->ndisks; i++) {
		const struct spec_disk *d = &s->disks[i];
		json_object *o = json_object_new_object();

		json_put_str(o, "alias", d->alias);
		json_put_str(o, "path", d->path);
		json_put_str(o, "by_id", d->by_id);
		json_put_str(o, "serial", d->serial);
		json_put_str(o, "wwn", d->wwn);
		json_put_str(o, "model", d->model);
		put_int(o, "min_size", (int64_t)d->min_size);
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *storage_json(const struct spec *s)
{
	json_object *o = json_object_new_object(), *b = json_object_new_object();
	json_object *vgs = json_object_new_array(), *lvs = json_object_new_array();

	json_object_object_add(o, "disks", disks_json(s));
	json_object_object_add(o, "clearpart", refs_json(s->clear, s->nclear));
	json_object_object_add(o, "ignoredisk", refs_json(s->ignore, s->nignore));
	json_object_object_add(b, "disks", strv_json(&s->bootloader.disks));
	json_put_str(b, "label", label_type_name(s->bootloader.label));
	put_int(b, "timeout", s->bootloader.timeout);
	json_put_str(b, "firmware", spec_firmware_name(s->bootloader.firmware));
	json_object_object_add(o, "bootloader", b);
	b = json_object_new_object();
	put_bool(b, "given", s->boot.given);
	put_int(b, "size", (int64_t)s->boot.size);
	if (s->boot.useexisting)
		put_bool(b, "useexisting", true);
	json_object_object_add(b, "disks", strv_json(&s->boot.disks));
	json_put_str(b, "fstype", s->boot.fstype);
	json_object_object_add(o, "boot", b);
	for (size_t i = 0; i < s->nvgs; i++) {
		json_object *v = json_object_new_object();

		json_put_str(v, "name", s->vgs[i].name);
		json_object_object_add(v, "disks", strv_json(&s->vgs[i].disks));
		put_int(v, "pesize", (int64_t)s->vgs[i].pesize);
		if (s->vgs[i].useexisting)
			put_bool(v, "useexisting", true);
		json_object_array_add(vgs, v);
	}
	json_object_object_add(o, "volgroups", vgs);
	for (size_t i = 0; i < s->nlvs; i++) {
		const struct spec_logvol *lv = &s->lvs[i];
		json_object *v = json_object_new_object();

		json_put_str(v, "mount", lv->mount);
		json_put_str(v, "vg", lv->vg);
		json_put_str(v, "name", lv->name);
		json_put_str(v, "size_kind",
			     lv->size_kind == SIZE_BYTES      ? "bytes"
			     : lv->size_kind == SIZE_PCT_FREE ? "%FREE"
							      : "%VG");
		put_int(v, "size", (int64_t)lv->size);
		json_put_str(v, "fstype", lv->fstype);
		json_put_str(v, "type", lv_type_name(lv->type));
		put_int(v, "mirrors", lv->mirrors);
		json_put_str(v, "mirrorlog",
			     lv->type == LV_MIRROR ? mirror_log_name(lv->mlog) : NULL);
		if (lv->useexisting)
			put_bool(v, "useexisting", true);
		json_object_array_add(lvs, v);
	}
	json_object_object_add(o, "logvols", lvs);
	if (spec_reinstall(s)) {
		json_object *pa = json_object_new_array(), *c = json_object_new_object();
		char *from = spec_carry_from(s);

		for (size_t i = 0; i < s->npreserve; i++) {
			char *w = xasprintf("%s/%s", s->preserve[i].vg, s->preserve[i].pattern);

			json_object_array_add(pa, json_object_new_string(w));
			free(w);
		}
		json_object_object_add(o, "preserve", pa);
		json_put_str(c, "from", from);
		if (from && !s->carry.given) {
			struct strv d = {0};

			for (size_t i = 0; i < spec_ncarry_defaults; i++)
				strv_push(&d, spec_carry_defaults[i]);
			json_object_object_add(c, "paths", strv_json(&d));
			strv_free(&d);
		} else {
			json_object_object_add(c, "paths", strv_json(&s->carry.paths));
		}
		json_object_object_add(o, "carryover", c);
		free(from);
	}
	return o;
}

static json_object *nets_json(const struct spec *s)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < s->nnets; i++) {
		const struct spec_network *n = &s->nets[i];
		json_object *o = json_object_new_object();

		json_put_str(o, "device", n->device);
		if (n->name_only)
			put_bool(o, "name_only", true);
		if (n->slaves.n) {
			json_object *b = json_object_new_object();

			json_object_object_add(b, "cards", strv_json(&n->slaves));
			json_put_str(b, "mode", n->bond_mode);
			json_object_object_add(b, "options", strv_json(&n->bond_opts));
			json_object_object_add(o, "bond", b);
		}
		if (n->vlan)
			put_int(o, "vlan", n->vlan);
		if (n->bridge_vlan)
			put_int(o, "bridge_vlan", n->bridge_vlan);
		put_bool(o, "dhcp", n->dhcp);
		json_put_str(o, "ip", n->ip);
		put_int(o, "prefix", n->prefix);
		json_put_str(o, "gateway", n->gateway);
		json_object_object_add(o, "nameservers", strv_json(&n->nameservers));
		json_put_str(o, "hostname", n->hostname);
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *system_json(const struct spec *s)
{
	json_object *o = json_object_new_object(), *x = json_object_new_object();
	json_object *keys = json_object_new_array(), *scripts = json_object_new_array();
	char *mem = dom0_mem_word(&s->xen.mem);

	json_put_str(x, "dom0_mem", mem);
	free(mem);
	put_int(x, "vcpus_min", s->xen.vcpus_min);
	put_int(x, "vcpus_max", s->xen.vcpus_max);
	json_put_str(x, "append", s->xen.append);
	json_put_str(x, "dom0_append", s->xen.dom0_append);
	json_put_str(x, "vpmu", s->xen.vpmu);
	json_object_object_add(o, "xen", x);
	x = json_object_new_object();
	json_put_str(x, "kind", s->console.kind == CONSOLE_SERIAL ? "serial" : "vga");
	if (s->console.kind == CONSOLE_SERIAL) {
		put_int(x, "port", s->console.port);
		put_int(x, "speed", s->console.speed);
	}
	json_object_object_add(o, "console", x);
	json_object_object_add(o, "network", nets_json(s));
	json_put_str(o, "timezone", s->timezone);
	put_bool(o, "utc", s->tz_utc);
	json_put_str(o, "keyboard", s->kbd_layout);
	json_put_str(o, "keyboard_variant", s->kbd_variant);
	json_put_str(o, "keyboard_model", s->kbd_model);
	json_put_str(o, "rootpw_hash", s->rootpw_hash);
	put_bool(o, "rootpw_lock", s->rootpw_lock);
	for (size_t i = 0; i < s->nsshkeys; i++) {
		json_object *k = json_object_new_object();

		json_put_str(k, "user", s->sshkeys[i].user);
		json_put_str(k, "key", s->sshkeys[i].key);
		json_object_array_add(keys, k);
	}
	json_object_object_add(o, "sshkeys", keys);
	x = json_object_new_object();
	json_put_str(x, "mirror", s->upkeep.mirror ? s->upkeep.mirror : SPEC_DEFAULT_MIRROR);
	json_put_str(x, "security",
		     s->upkeep.security ? s->upkeep.security : SPEC_DEFAULT_SECURITY);
	put_bool(x, "updates_suite", !s->upkeep.no_updates);
	json_object_object_add(x, "ntp_servers", strv_json(&s->upkeep.ntp));
	put_bool(x, "ntp", !s->upkeep.ntp_off);
	put_bool(x, "automatic_updates", s->upkeep.automatic);
	json_object_object_add(o, "upkeep", x);
	json_object_object_add(o, "groups", strv_json(&s->groups));
	json_object_object_add(o, "packages", strv_json(&s->packages));
	for (size_t i = 0; i < s->nscripts; i++) {
		const struct spec_script *sc = &s->scripts[i];
		json_object *k = json_object_new_object();

		json_put_str(k, "kind", sc->kind == SCRIPT_PRE ? "pre" : "post");
		put_bool(k, "nochroot", sc->nochroot);
		put_bool(k, "erroronfail", sc->erroronfail);
		json_put_str(k, "interpreter", sc->interpreter);
		json_put_str(k, "body", sc->body);
		json_object_array_add(scripts, k);
	}
	json_object_object_add(o, "scripts", scripts);
	json_put_str(o, "finish", finish_name(s->finish));
	return o;
}

char *spec_to_json(const struct spec *s)
{
	json_object *root = json_object_new_object();

	put_int(root, "version", s->version);
	json_object_object_add(root, "storage", storage_json(s));
	json_object_object_add(root, "system", system_json(s));
	return json_finish(root);
}
