// SPDX-License-Identifier: GPL-2.0-or-later
#include "lang/spec.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *const spec_package_groups[] = {"profiler", "guest-templates"};
const size_t spec_npackage_groups = ARRAY_SIZE(spec_package_groups);

struct spec *spec_new(void)
{
	struct spec *s = xzalloc(sizeof(*s));

	s->version = SPEC_VERSION;
	s->bootloader.label = LABEL_GPT;
	s->bootloader.timeout = 5;
	s->xen.mem.is_auto = true;
	s->console.kind = CONSOLE_VGA;
	s->console.speed = 115200;
	s->timezone = xstrdup("UTC");
	s->tz_utc = true;
	s->kbd_layout = xstrdup("us");
	s->finish = FINISH_REBOOT;
	return s;
}

void spec_free(struct spec *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->ndisks; i++) {
		struct spec_disk *d = &s->disks[i];

		free(d->alias);
		free(d->path);
		free(d->by_id);
		free(d->serial);
		free(d->wwn);
		free(d->model);
	}
	free(s->disks);
	for (size_t i = 0; i < s->nclear; i++)
		free(s->clear[i].name);
	free(s->clear);
	for (size_t i = 0; i < s->nignore; i++)
		free(s->ignore[i].name);
	free(s->ignore);
	strv_free(&s->bootloader.disks);
	strv_free(&s->boot.disks);
	free(s->boot.fstype);
	for (size_t i = 0; i < s->nvgs; i++) {
		free(s->vgs[i].name);
		strv_free(&s->vgs[i].disks);
	}
	free(s->vgs);
	for (size_t i = 0; i < s->nlvs; i++) {
		free(s->lvs[i].mount);
		free(s->lvs[i].vg);
		free(s->lvs[i].name);
		free(s->lvs[i].fstype);
	}
	free(s->lvs);
	for (size_t i = 0; i < s->npreserve; i++) {
		free(s->preserve[i].vg);
		free(s->preserve[i].pattern);
	}
	free(s->preserve);
	free(s->carry.from);
	strv_free(&s->carry.paths);
	free(s->xen.append);
	free(s->xen.dom0_append);
	free(s->xen.vpmu);
	for (size_t i = 0; i < s->nnets; i++) {
		struct spec_network *n = &s->nets[i];

		free(n->device);
		strv_free(&n->slaves);
		free(n->bond_mode);
		strv_free(&n->bond_opts);
		free(n->ip);
		free(n->gateway);
		strv_free(&n->nameservers);
		free(n->hostname);
	}
	free(s->nets);
	free(s->upkeep.mirror);
	free(s->upkeep.security);
	strv_free(&s->upkeep.ntp);
	free(s->timezone);
	free(s->kbd_layout);
	free(s->kbd_variant);
	free(s->kbd_model);
	if (s->rootpw_hash)
		explicit_bzero(s->rootpw_hash, strlen(s->rootpw_hash));
	free(s->rootpw_hash);
	for (size_t i = 0; i < s->nsshkeys; i++) {
		free(s->sshkeys[i].user);
		free(s->sshkeys[i].key);
	}
	free(s->sshkeys);
	strv_free(&s->groups);
	strv_free(&s->packages);
	for (size_t i = 0; i < s->nscripts; i++) {
		free(s->scripts[i].interpreter);
		free(s->scripts[i].body);
	}
	free(s->scripts);
	for (size_t i = 0; i < s->nwaits; i++) {
		free(s->waits[i].path);
		free(s->waits[i].where);
	}
	free(s->waits);
	strv_free(&s->files);
	free(s);
}

struct spec_disk *spec_find_disk(const struct spec *s, const char *alias)
{
	for (size_t i = 0; i < s->ndisks; i++)
		if (streq(s->disks[i].alias, alias))
			return &s->disks[i];
	return NULL;
}

static bool in_refs(const struct spec_ref *refs, size_t n, const char *alias)
{
	for (size_t i = 0; i < n; i++)
		if (streq(refs[i].name, alias))
			return true;
	return false;
}

bool spec_disk_cleared(const struct spec *s, const char *alias)
{
	return in_refs(s->clear, s->nclear, alias);
}

bool spec_disk_ignored(const struct spec *s, const char *alias)
{
	return in_refs(s->ignore, s->nignore, alias);
}

struct spec_volgroup *spec_find_vg(const struct spec *s, const char *name)
{
	for (size_t i = 0; i < s->nvgs; i++)
		if (streq(s->vgs[i].name, name))
			return &s->vgs[i];
	return NULL;
}

const struct spec_logvol *spec_root_lv(const struct spec *s)
{
	for (size_t i = 0; i < s->nlvs; i++)
		if (streq(s->lvs[i].mount, "/"))
			return &s->lvs[i];
	return NULL;
}

const char *const spec_carry_defaults[] = {"/etc/ssh/ssh_host_*", "/etc/xen",
					   "/etc/tenxen/guests.conf"};
const size_t spec_ncarry_defaults = ARRAY_SIZE(spec_carry_defaults);

bool spec_reinstall(const struct spec *s)
{
	for (size_t i = 0; i < s->nvgs; i++)
		if (s->vgs[i].useexisting)
			return true;
	return false;
}

char *spec_carry_from(const struct spec *s)
{
	const struct spec_logvol *root = spec_root_lv(s);

	if (s->carry.none)
		return NULL;
	if (s->carry.from)
		return xstrdup(s->carry.from);
	if (root && root->useexisting && root->vg && root->name)
		return xasprintf("%s/%s", root->vg, root->name);
	return NULL;
}

const char *lv_type_name(enum lv_type t)
{
	return t == LV_MIRROR ? "mirror" : t == LV_RAID1 ? "raid1" : "linear";
}

const char *mirror_log_name(enum mirror_log m)
{
	return m == MLOG_CORE ? "core" : m == MLOG_MIRRORED ? "mirrored" : "disk";
}

const char *finish_name(enum finish_action f)
{
	return f == FINISH_POWEROFF ? "poweroff" : f == FINISH_SHELL ? "shell" : "reboot";
}

/* ---- validation ---- */

/* An alias used at loc must be defined and not ignored; suggests the nearest name otherwise. */
static bool check_alias(const struct spec *s, struct tx_report *r, const struct tx_loc *loc,
			const char *what, const char *alias, bool may_be_ignored)
{
	const char **names;
	const char *d;

	if (spec_find_disk(s, alias)) {
		if (!may_be_ignored && spec_disk_ignored(s, alias)) {
			tx_error(
				r, loc,
				"%s names disk %s, which ignoredisk says to leave alone; use another disk or drop it from ignoredisk",
				what, alias);
			return false;
		}
		return true;
	}
	names = xzalloc((s->ndisks + 1) * sizeof(*names));
	for (size_t i = 0; i < s->ndisks; i++)
		names[i] = s->disks[i].alias;
	d = did_you_mean(alias, names, s->ndisks);
	if (d)
		tx_error(r, loc, "%s names disk %s, which no disk line defines; did you mean %s?",
			 what, alias, d);
	else
		tx_error(
			r, loc,
			"%s names disk %s, which no disk line defines; add disk %s --by-id=... (tenxen probe lists the disks)",
			what, alias, alias);
	free(names);
	return false;
}

static bool disk_used(const struct spec *s, const char *alias)
{
	if (strv_contains(&s->bootloader.disks, alias) || strv_contains(&s->boot.disks, alias))
		return true;
	for (size_t i = 0; i < s->nvgs; i++)
		if (strv_contains(&s->vgs[i].disks, alias))
			return true;
	return false;
}

static bool same_set(const struct strv *a, const struct strv *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (!strv_contains(b, a->v[i]))
			return false;
	return true;
}

const char *spec_firmware_name(enum spec_firmware f)
{
	return f == SPEC_FIRMWARE_UEFI ? "uefi" : f == SPEC_FIRMWARE_BIOS ? "bios" : "auto";
}

static void validate_boot(struct spec *s, struct tx_report *r)
{
	struct spec_bootloader *bl = &s->bootloader;

	if (bl->firmware == SPEC_FIRMWARE_UEFI && bl->label == LABEL_MSDOS)
		tx_error(
			r, &bl->loc,
			"--label=msdos with --firmware=uefi: Tenxen puts an EFI System Partition on a GPT on each boot disk; write --label=gpt (or leave --label out)");
	if (!s->boot.given) {
		tx_error(
			r, &s->end_loc,
			"there is no part /boot; extlinux cannot read LVM, so /boot must be a partition: add part /boot --size=512M --disks=a");
		return;
	}
	for (size_t i = 0; i < s->boot.disks.n; i++)
		check_alias(s, r, &s->boot.loc, "part /boot", s->boot.disks.v[i], false);
	if (s->boot.size && s->boot.size < 64 * MiB)
		tx_error(
			r, &s->boot.loc,
			"/boot of %llu MiB cannot hold Xen, a kernel and an initrd; give at least --size=256M",
			(unsigned long long)(s->boot.size / MiB));
	else if (s->boot.size && s->boot.size < 256 * MiB)
		tx_warn(r, &s->boot.loc,
			"/boot of %llu MiB leaves little room for a second kernel during upgrades; 512M is safer",
			(unsigned long long)(s->boot.size / MiB));
	if (!bl->given || bl->disks.n == 0) {
		strv_free(&bl->disks);
		strv_copy(&bl->disks, &s->boot.disks);
		if (!bl->given)
			bl->loc = s->boot.loc;
		return;
	}
	for (size_t i = 0; i < bl->disks.n; i++)
		check_alias(s, r, &bl->loc, "bootloader --disks", bl->disks.v[i], false);
	if (!same_set(&bl->disks, &s->boot.disks)) {
		char *a = strv_join(&bl->disks, ","), *b = strv_join(&s->boot.disks, ",");

		tx_error(
			r, &bl->loc,
			"bootloader --disks=%s differs from the disks of /boot (%s); extlinux goes on every disk that holds /boot and only there: write --disks=%s",
			a, b, b);
		free(a);
		free(b);
	}
}

static void validate_vgs(struct spec *s, struct tx_report *r)
{
	if (s->nvgs == 0) {
		tx_error(
			r, &s->end_loc,
			"there is no volume group; the root filesystem lives on LVM: add volgroup vg0 --disks=a");
		return;
	}
	for (size_t i = 0; i < s->nvgs; i++) {
		struct spec_volgroup *vg = &s->vgs[i];
		bool any = false;

		for (size_t j = 0; j < vg->disks.n; j++) {
			check_alias(s, r, &vg->loc, "volgroup --disks", vg->disks.v[j], false);
			for (size_t k = 0; k < i; k++)
				if (strv_contains(&s->vgs[k].disks, vg->disks.v[j]))
					tx_error(
						r, &vg->loc,
						"disk %s is already in volume group %s (%s:%d); a disk belongs to one volume group",
						vg->disks.v[j], s->vgs[k].name, s->vgs[k].loc.file,
						s->vgs[k].loc.line);
		}
		for (size_t j = 0; j < s->nlvs; j++)
			any |= streq(s->lvs[j].vg, vg->name);
		if (!any)
			tx_warn(r, &vg->loc,
				"volume group %s has no logical volumes; it will be left empty",
				vg->name);
	}
}

static void validate_lvs(struct spec *s, struct tx_report *r)
{
	const struct spec_logvol *root = spec_root_lv(s);

	for (size_t i = 0; i < s->nlvs; i++) {
		struct spec_logvol *lv = &s->lvs[i];
		struct spec_volgroup *vg = lv->vg ? spec_find_vg(s, lv->vg) : NULL;

		if (lv->vg && !vg) {
			const char **names = xzalloc((s->nvgs + 1) * sizeof(*names));
			const char *d;

			for (size_t k = 0; k < s->nvgs; k++)
				names[k] = s->vgs[k].name;
			d = did_you_mean(lv->vg, names, s->nvgs);
			tx_error(
				r, &lv->loc,
				"logvol %s is in volume group %s, which no volgroup line defines%s%s%s",
				lv->mount, lv->vg, d ? "; did you mean " : "; add volgroup ",
				d ? d : lv->vg, d ? "?" : " --disks=...");
			free(names);
		}
		if (streq(lv->mount, "/boot")) {
			tx_error(
				r, &lv->loc,
				"/boot cannot be a logical volume: extlinux cannot read LVM; use part /boot --size=512M --disks=a");
			continue;
		}
		for (size_t j = 0; j < i; j++) {
			const struct spec_logvol *o = &s->lvs[j];

			if (lv->name && streq(lv->name, o->name) && streq(lv->vg, o->vg))
				tx_error(
					r, &lv->loc,
					"volume group %s already has a logical volume %s (%s:%d); give this one another --name",
					lv->vg, lv->name, o->loc.file, o->loc.line);
			if (lv->mount[0] == '/' && streq(lv->mount, o->mount))
				tx_error(
					r, &lv->loc,
					"%s is already the mount point of logical volume %s (%s:%d); one volume per mount point",
					lv->mount, o->name ? o->name : "?", o->loc.file,
					o->loc.line);
		}
		if (lv->type == LV_MIRROR && lv->mlog == MLOG_MIRRORED)
			tx_error(
				r, &lv->loc,
				"--mirrorlog=mirrored: Debian 12's LVM (2.03) deprecates mirrored logs and will not create one; use --mirrorlog=disk (on a disk apart from the legs when the group has one), --mirrorlog=core, or --type=raid1");
		if (vg && lv->type != LV_LINEAR && (size_t)(lv->mirrors + 1) > vg->disks.n) {
			tx_error(
				r, &lv->loc,
				"logvol %s is a %s with %d legs, but volume group %s has %zu disk%s; each leg needs a disk of its own: add disks to %s or lower --mirrors",
				lv->mount, lv_type_name(lv->type), lv->mirrors + 1, vg->name,
				vg->disks.n, vg->disks.n == 1 ? "" : "s", vg->name);
		}
		if (lv->size_kind == SIZE_PCT_FREE) {
			for (size_t j = 0; j < i; j++) {
				const struct spec_logvol *o = &s->lvs[j];

				if (streq(o->vg, lv->vg) && o->size_kind == SIZE_PCT_FREE &&
				    o->size == 100)
					tx_error(
						r, &lv->loc,
						"logvol %s --size=%llu%%FREE gets nothing: logvol %s (%s:%d) takes 100%%FREE of %s before it; give it a fixed size or a smaller share",
						lv->mount, (unsigned long long)lv->size, o->mount,
						o->loc.file, o->loc.line, lv->vg);
			}
		}
	}
	for (size_t i = 0; i < s->nvgs; i++) {
		uint64_t pct = 0;
		const struct spec_logvol *last = NULL;

		for (size_t j = 0; j < s->nlvs; j++) {
			if (streq(s->lvs[j].vg, s->vgs[i].name) &&
			    s->lvs[j].size_kind == SIZE_PCT_VG) {
				pct += s->lvs[j].size;
				last = &s->lvs[j];
			}
		}
		if (pct > 100)
			tx_error(
				r, &last->loc,
				"the %%VG shares of volume group %s add up to %llu%%; they can take 100%% at most",
				s->vgs[i].name, (unsigned long long)pct);
	}
	if (!root)
		tx_error(r, &s->end_loc,
			 "there is no root filesystem; add logvol / --vg=%s --name=root --size=20G",
			 s->nvgs ? s->vgs[0].name : "vg0");
}

/* The forms of a reinstall: what --useexisting allows, preserve and carryover. */
static void validate_reinstall(struct spec *s, struct tx_report *r)
{
	for (size_t i = 0; i < s->nlvs; i++) {
		const struct spec_logvol *lv = &s->lvs[i];
		const struct spec_volgroup *vg = lv->vg ? spec_find_vg(s, lv->vg) : NULL;

		if (lv->useexisting && vg && !vg->useexisting)
			tx_error(
				r, &lv->loc,
				"logvol %s --useexisting reformats a volume of a kept group, and volume group %s is made anew here (%s:%d): add --useexisting to that volgroup line, or drop it here",
				lv->mount, vg->name, vg->loc.file, vg->loc.line);
	}
	if (s->boot.useexisting && !spec_reinstall(s))
		tx_error(
			r, &s->boot.loc,
			"part /boot --useexisting reformats the /boot of a host being reinstalled, and no volume group here is kept: add --useexisting to the volgroup line, or drop it here");
	for (size_t i = 0; i < s->npreserve; i++) {
		const struct spec_preserve *pr = &s->preserve[i];
		const struct spec_volgroup *vg = spec_find_vg(s, pr->vg);

		if (!vg || !vg->useexisting) {
			tx_error(
				r, &pr->loc,
				"preserve %s/%s keeps volumes of volume group %s, which %s: write volgroup %s --useexisting --disks=...",
				pr->vg, pr->pattern, pr->vg,
				vg ? "this file makes anew" : "no volgroup line names", pr->vg);
			continue;
		}
		for (size_t j = 0; j < s->nlvs; j++) {
			const struct spec_logvol *lv = &s->lvs[j];

			if (lv->name && streq(lv->vg, pr->vg) &&
			    fnmatch(pr->pattern, lv->name, 0) == 0)
				tx_error(
					r, &pr->loc,
					"preserve %s/%s keeps %s/%s, which logvol %s (%s:%d) writes; keep it, or let the logvol line have it, not both",
					pr->vg, pr->pattern, pr->vg, lv->name, lv->mount,
					lv->loc.file, lv->loc.line);
		}
	}
	if (s->carry.given && !s->carry.none) {
		char *from = spec_carry_from(s);

		if (!from)
			tx_error(
				r, &s->carry.loc,
				"carryover brings files from the old root, and this file keeps no root volume: add --from=VG/LV naming the old root, or write logvol / --useexisting");
		else if (!spec_reinstall(s))
			tx_error(
				r, &s->carry.loc,
				"carryover brings files from the old root of a host being reinstalled, and no volume group here is kept: write volgroup NAME --useexisting");
		else {
			char *vg = xstrndup(from, strcspn(from, "/"));
			const struct spec_volgroup *kept = spec_find_vg(s, vg);

			/* a group made anew is wiped first: there would be nothing to read */
			if (!kept || !kept->useexisting)
				tx_error(
					r, &s->carry.loc,
					"carryover --from=%s reads the old root from volume group %s, which this file %s: the files could not be read; keep it (volgroup %s --useexisting), name a volume of a kept group, or write carryover --none",
					from, vg, kept ? "makes anew" : "does not name", vg);
			free(vg);
		}
		free(from);
	}
}

int spec_validate(struct spec *s, struct tx_report *r)
{
	unsigned before = r->errors;

	/* a kickstart file: the whole-file checks would only say again what its lines lack */
	if (s->kickstart_hints) {
		tx_info(r, &s->end_loc,
			"%u %s kickstart's spelling%s, with Tenxen's form; the whole file (disks, volume groups, the root) is checked once %s carried over, as docs/answer-file.md shows under \"Coming from kickstart\"",
			s->kickstart_hints,
			s->kickstart_hints == 1 ? "error above is" : "of the errors above are",
			s->kickstart_hints == 1 ? "" : "s",
			s->kickstart_hints == 1 ? "it is" : "they are");
		return -EINVAL;
	}
	/* files a %pre script is to write: what they hold is not known until it has run */
	if (s->nwaits) {
		const struct spec_script *pre = s->scripts;

		while (pre < s->scripts + s->nscripts && pre->kind != SCRIPT_PRE)
			pre++;
		for (size_t i = 0; i < s->nwaits && pre < s->scripts + s->nscripts; i++)
			tx_warn(r, &s->waits[i].loc,
				"%%include %s does not exist yet: the %%pre script at %s:%d is to write it; it is read, and the whole file checked, once %%pre has run at install (or check again where the file exists)",
				s->waits[i].path, pre->loc.file, pre->loc.line);
		return r->errors > before ? -EINVAL : 0;
	}
	/* a line with only --hostname names no card when other lines do; alone, it is the
	 * first card's, by DHCP */
	{
		bool cards = false;

		for (size_t i = 0; i < s->nnets; i++)
			cards |= !s->nets[i].name_only;
		for (size_t i = 0; i < s->nnets && !cards; i++)
			s->nets[i].name_only = false;
	}
	for (size_t i = 0; i < s->nclear; i++)
		check_alias(s, r, &s->clear[i].loc, "clearpart", s->clear[i].name, false);
	for (size_t i = 0; i < s->nignore; i++)
		check_alias(s, r, &s->ignore[i].loc, "ignoredisk", s->ignore[i].name, true);
	validate_boot(s, r);
	validate_vgs(s, r);
	validate_lvs(s, r);
	validate_reinstall(s, r);
	for (size_t i = 0; i < s->ndisks; i++) {
		const struct spec_disk *d = &s->disks[i];

		if (disk_used(s, d->alias) || spec_disk_ignored(s, d->alias))
			continue;
		if (spec_disk_cleared(s, d->alias))
			tx_warn(r, &d->loc,
				"disk %s is named by clearpart but used by nothing; it will be wiped and left blank",
				d->alias);
		else
			tx_warn(r, &d->loc,
				"disk %s is defined but used by nothing; drop it or use it",
				d->alias);
	}
	if (s->xen.vpmu && s->xen.append &&
	    (strncmp(s->xen.append, "vpmu=", 5) == 0 || strstr(s->xen.append, " vpmu=")))
		tx_error(
			r, &s->xen.vpmu_loc,
			"vpmu is set twice: by profiler --vpmu and in xen --append (line %d); keep profiler --vpmu",
			s->xen.loc.line);
	if (s->xen.vpmu && !strv_contains(&s->groups, "profiler"))
		tx_warn(r, &s->xen.vpmu_loc,
			"profiler --vpmu=%s lets guests and dom0 count with the CPU's counters, but the tools are in @profiler, which packages does not name; add packages @profiler",
			s->xen.vpmu);
	if (!s->rootpw_hash && !s->rootpw_lock && s->nsshkeys == 0 && r->errors == before &&
	    s->parse_errors == 0)
		tx_warn(r, &s->end_loc,
			"there is no rootpw and no sshkey, so root can log in only on the console; add rootpw --iscrypted '...' or an sshkey");
	return r->errors > before ? -EINVAL : 0;
}

int spec_check_timezone(const struct spec *s, const char *zoneinfo_dir, struct tx_report *r)
{
	char *path, *area, *slash;
	struct stat st;
	int rc = 0;

	if (streq(s->timezone, "UTC"))
		return 0;
	if (stat(zoneinfo_dir, &st) < 0) {
		tx_warn(r, &s->tz_loc, "cannot check time zone %s: %s is missing", s->timezone,
			zoneinfo_dir);
		return 0;
	}
	path = xasprintf("%s/%s", zoneinfo_dir, s->timezone);
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
		goto out;
	rc = -ENOENT;
	area = xstrdup(s->timezone);
	slash = strrchr(area, '/');
	{
		/* Suggest a neighbour from the same area (Europe/Berln -> Europe/Berlin). */
		const char *leaf = slash ? slash + 1 : area;
		char *dir = slash ? xasprintf("%s/%.*s", zoneinfo_dir, (int)(slash - area), area)
				  : xstrdup(zoneinfo_dir);
		DIR *dp = opendir(dir);
		struct strv names = {0};
		const char *d = NULL;
		struct dirent *de;

		while (dp && (de = readdir(dp)))
			if (de->d_name[0] != '.')
				strv_push(&names, de->d_name);
		if (dp)
			closedir(dp);
		if (names.n)
			d = did_you_mean(leaf, (const char *const *)names.v, names.n);
		if (d)
			tx_error(r, &s->tz_loc, "there is no time zone %s; did you mean %.*s%s?",
				 s->timezone, slash ? (int)(slash - area + 1) : 0, area, d);
		else
			tx_error(
				r, &s->tz_loc,
				"there is no time zone %s; write Area/City as in %s, such as Europe/Berlin",
				s->timezone, zoneinfo_dir);
		strv_free(&names);
		free(dir);
	}
	free(area);
out:
	free(path);
	return rc;
}

/* ---- writing back ---- */

char *spec_size_word(uint64_t b)
{
	if (b % TiB == 0)
		return xasprintf("%lluT", (unsigned long long)(b / TiB));
	if (b % GiB == 0)
		return xasprintf("%lluG", (unsigned long long)(b / GiB));
	if (b % MiB == 0)
		return xasprintf("%lluM", (unsigned long long)(b / MiB));
	if (b % KiB == 0)
		return xasprintf("%lluK", (unsigned long long)(b / KiB));
	return xasprintf("%lluB", (unsigned long long)b);
}
