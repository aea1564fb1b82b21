// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The one writer of answer files: every word quoted so that the reader gives it back unchanged.
 * The canonical form of a spec (check --canonical, the install record) and the screens' answer
 * file both go through it.
 */
#include "lang/writer.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "bootcfg/xenopts.h"

/* A word quoted so that the reader gives it back unchanged. */
void ks_word(FILE *out, const char *w)
{
	bool plain = *w && *w != '#' && *w != '%';

	for (const char *q = w; *q && plain; q++)
		plain = isalnum((unsigned char)*q) || strchr("_@%+=:,./-", *q);
	if (plain) {
		fputs(w, out);
		return;
	}
	fputc('\'', out);
	for (const char *q = w; *q; q++) {
		if (*q == '\'')
			fputs("'\\''", out);
		else
			fputc(*q, out);
	}
	fputc('\'', out);
}

void ks_opt(FILE *out, const char *name, const char *value)
{
	char *w;

	if (!value)
		return;
	w = xasprintf("--%s=%s", name, value);
	fputc(' ', out);
	ks_word(out, w);
	free(w);
}

void ks_list(FILE *out, const char *name, const struct strv *sv)
{
	char *j;

	if (!sv->n)
		return;
	j = strv_join(sv, ",");
	ks_opt(out, name, j);
	free(j);
}

void ks_size_opt(FILE *out, const char *name, uint64_t bytes)
{
	char *w = spec_size_word(bytes);

	ks_opt(out, name, w);
	free(w);
}

/* The disks and what goes on them. */
static void write_storage(const struct spec *s, FILE *out)
{
	struct strv names = {0};

	for (size_t i = 0; i < s->ndisks; i++) {
		const struct spec_disk *d = &s->disks[i];

		fputs("disk ", out);
		ks_word(out, d->alias);
		ks_opt(out, "path", d->path);
		ks_opt(out, "by-id", d->by_id);
		ks_opt(out, "serial", d->serial);
		ks_opt(out, "wwn", d->wwn);
		ks_opt(out, "model", d->model);
		if (d->min_size)
			ks_size_opt(out, "min-size", d->min_size);
		fputc('\n', out);
	}
	for (size_t i = 0; i < s->nclear; i++)
		strv_push(&names, s->clear[i].name);
	if (names.n) {
		char *j = strv_join(&names, ",");

		fprintf(out, "clearpart %s\n", j);
		free(j);
	}
	strv_free(&names);
	for (size_t i = 0; i < s->nignore; i++)
		strv_push(&names, s->ignore[i].name);
	if (names.n) {
		char *j = strv_join(&names, ",");

		fprintf(out, "ignoredisk %s\n", j);
		free(j);
	}
	strv_free(&names);

	fputs(s->bootloader.firmware == SPEC_FIRMWARE_UEFI   ? "bootloader --firmware=uefi"
	      : s->bootloader.firmware == SPEC_FIRMWARE_BIOS ? "bootloader extlinux --firmware=bios"
							     : "bootloader extlinux",
	      out);
	ks_list(out, "disks", &s->bootloader.disks);
	fprintf(out, " --label=%s --timeout=%d\n", label_type_name(s->bootloader.label),
		s->bootloader.timeout);
	if (s->boot.given) {
		fputs("part /boot", out);
		if (s->boot.useexisting)
			fputs(" --useexisting", out);
		else
			ks_size_opt(out, "size", s->boot.size);
		ks_list(out, "disks", &s->boot.disks);
		ks_opt(out, "fstype", s->boot.fstype);
		fputc('\n', out);
	}
	for (size_t i = 0; i < s->nvgs; i++) {
		fputs("volgroup ", out);
		ks_word(out, s->vgs[i].name);
		ks_list(out, "disks", &s->vgs[i].disks);
		if (s->vgs[i].useexisting)
			fputs(" --useexisting", out);
		else
			ks_size_opt(out, "pesize", s->vgs[i].pesize);
		fputc('\n', out);
	}
	for (size_t i = 0; i < s->nlvs; i++) {
		const struct spec_logvol *lv = &s->lvs[i];
		char *w;

		fputs("logvol ", out);
		ks_word(out, lv->mount);
		ks_opt(out, "vg", lv->vg);
		ks_opt(out, "name", lv->name);
		if (lv->useexisting) {
			fputs(" --useexisting", out);
			ks_opt(out, "fstype", lv->fstype);
			fputc('\n', out);
			continue;
		}
		if (lv->size_kind == SIZE_BYTES)
			w = spec_size_word(lv->size);
		else
			w = xasprintf("%llu%%%s", (unsigned long long)lv->size,
				      lv->size_kind == SIZE_PCT_FREE ? "FREE" : "VG");
		ks_opt(out, "size", w);
		free(w);
		ks_opt(out, "fstype", lv->fstype);
		ks_opt(out, "type", lv_type_name(lv->type));
		if (lv->type != LV_LINEAR) {
			w = xasprintf("%d", lv->mirrors);
			ks_opt(out, "mirrors", w);
			free(w);
		}
		if (lv->type == LV_MIRROR)
			ks_opt(out, "mirrorlog", mirror_log_name(lv->mlog));
		fputc('\n', out);
	}
	if (s->npreserve) {
		fputs("preserve", out);
		for (size_t i = 0; i < s->npreserve; i++) {
			char *w = xasprintf("%s/%s", s->preserve[i].vg, s->preserve[i].pattern);

			fputc(' ', out);
			ks_word(out, w);
			free(w);
		}
		fputc('\n', out);
	}
	if (s->carry.given) {
		fputs("carryover", out);
		if (s->carry.none)
			fputs(" --none", out);
		ks_opt(out, "from", s->carry.from);
		for (size_t i = 0; i < s->carry.paths.n; i++) {
			fputc(' ', out);
			ks_word(out, s->carry.paths.v[i]);
		}
		fputc('\n', out);
	}
}

/* Xen, the console, the host's settings, packages, scripts and the last step. */
static void write_system(const struct spec *s, FILE *out)
{
	{
		char *w = dom0_mem_word(&s->xen.mem);

		fputs("xen", out);
		ks_opt(out, "dom0-mem", w);
		free(w);
		if (s->xen.vcpus_min)
			w = xasprintf("%d-%d", s->xen.vcpus_min, s->xen.vcpus_max);
		else if (s->xen.vcpus_max)
			w = xasprintf("%d", s->xen.vcpus_max);
		else
			w = NULL;
		ks_opt(out, "dom0-max-vcpus", w);
		free(w);
		ks_opt(out, "append", s->xen.append);
		ks_opt(out, "dom0-append", s->xen.dom0_append);
		fputc('\n', out);
		if (s->xen.vpmu)
			fprintf(out, "profiler --vpmu=%s\n", s->xen.vpmu);
	}
	if (s->console.kind == CONSOLE_SERIAL)
		fprintf(out, "console serial --port=ttyS%d --speed=%u\n", s->console.port,
			s->console.speed);
	else
		fputs("console vga\n", out);
	for (size_t i = 0; i < s->nnets; i++) {
		const struct spec_network *n = &s->nets[i];

		fputs("network", out);
		if (n->name_only) {
			ks_opt(out, "hostname", n->hostname);
			fputc('\n', out);
			continue;
		}
		ks_opt(out, "device", n->device);
		if (n->slaves.n) {
			struct strv o = {0};
			char *j;

			ks_list(out, "bondslaves", &n->slaves);
			strv_push_owned(&o, xasprintf("mode=%s", n->bond_mode));
			strv_copy(&o, &n->bond_opts);
			j = strv_join(&o, ",");
			ks_opt(out, "bondopts", j);
			free(j);
			strv_free(&o);
		}
		if (n->vlan > 0) {
			char *w = xasprintf("%d", n->vlan);

			ks_opt(out, "vlanid", w);
			free(w);
		}
		if (n->bridge_vlan > 0) {
			char *w = xasprintf("%d", n->bridge_vlan);

			ks_opt(out, "bridge-vlan", w);
			free(w);
		}
		ks_opt(out, "bootproto", n->dhcp ? "dhcp" : "static");
		if (n->ip) {
			char *w = n->prefix >= 0 ? xasprintf("%s/%d", n->ip, n->prefix)
						 : xstrdup(n->ip);

			ks_opt(out, "ip", w);
			free(w);
		}
		ks_opt(out, "gateway", n->gateway);
		ks_list(out, "nameserver", &n->nameservers);
		ks_opt(out, "hostname", n->hostname);
		fputc('\n', out);
	}
	fputs("timezone ", out);
	ks_word(out, s->timezone);
	fputs(s->tz_utc ? " --utc\n" : " --localtime\n", out);
	fputs("keyboard ", out);
	ks_word(out, s->kbd_layout);
	ks_opt(out, "variant", s->kbd_variant);
	ks_opt(out, "model", s->kbd_model);
	fputc('\n', out);
	if (s->rootpw_lock) {
		fputs("rootpw --lock\n", out);
	} else if (s->rootpw_hash) {
		fputs("rootpw --iscrypted ", out);
		ks_word(out, s->rootpw_hash);
		fputc('\n', out);
	}
	for (size_t i = 0; i < s->nsshkeys; i++) {
		fputs("sshkey", out);
		ks_opt(out, "username", s->sshkeys[i].user);
		fputc(' ', out);
		ks_word(out, s->sshkeys[i].key);
		fputc('\n', out);
	}
	if (s->upkeep.mirror) {
		fputs("mirror ", out);
		ks_word(out, s->upkeep.mirror);
		ks_opt(out, "security", s->upkeep.security);
		fputs(s->upkeep.no_updates ? " --no-updates\n" : "\n", out);
	}
	if (s->upkeep.ntp_off) {
		fputs("timesource --ntp-disable\n", out);
	} else if (s->upkeep.ntp.n) {
		fputs("timesource", out);
		ks_list(out, "ntp-server", &s->upkeep.ntp);
		fputc('\n', out);
	}
	if (s->upkeep.automatic)
		fputs("updates --automatic\n", out);
	if (s->groups.n || s->packages.n) {
		fputs("packages", out);
		for (size_t i = 0; i < s->groups.n; i++)
			fprintf(out, " @%s", s->groups.v[i]);
		for (size_t i = 0; i < s->packages.n; i++)
			fprintf(out, " %s", s->packages.v[i]);
		fputc('\n', out);
	}
	for (size_t i = 0; i < s->nscripts; i++) {
		const struct spec_script *sc = &s->scripts[i];

		fputs(sc->kind == SCRIPT_PRE ? "%pre" : "%post", out);
		if (sc->nochroot)
			fputs(" --nochroot", out);
		if (sc->erroronfail)
			fputs(" --erroronfail", out);
		if (!streq(sc->interpreter, "/bin/sh"))
			ks_opt(out, "interpreter", sc->interpreter);
		fputc('\n', out);
		fputs(sc->body, out);
		fputs("%end\n", out);
	}
	fprintf(out, "%s\n", finish_name(s->finish));
}

char *spec_dom0_mem_arg(const struct spec *s, uint64_t ram, uint64_t *dom0_bytes)
{
	return dom0_mem_xen_arg(&s->xen.mem, ram, dom0_bytes);
}

void spec_guests(const struct spec *s, const char **vg, int *mirrors, const char **bridge)
{
	const struct spec_logvol *root = spec_root_lv(s);

	*vg = root ? root->vg : NULL;
	*mirrors = root && root->type != LV_LINEAR ? root->mirrors : 0;
	*bridge = NULL;
	for (size_t i = 0; i < s->nnets; i++)
		if (!s->nets[i].name_only)
			*bridge = "xenbr0";
}

void spec_write_canonical(const struct spec *s, FILE *out)
{
	fprintf(out, "#version=%d\n", s->version);
	write_storage(s, out);
	write_system(s, out);
}
