// SPDX-License-Identifier: GPL-2.0-or-later
/* The answer-file commands for storage: disk, clearpart, ignoredisk, bootloader, part, volgroup,
 * logvol. Each checks the form of what its line says; spec_validate() checks the whole. */
#include "lang/reader.h"
#include "storage/lvm.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

void ks_cmd_disk(struct parser *p, struct cmd *c)
{
	static const char *const sels[] = {"path", "by-id", "serial", "wwn", "model", "min-size"};
	const char *alias = c->args.v[0];
	struct spec_disk *d;
	bool any = false;

	if (!ks_valid_alias(alias)) {
		ks_perr(p, &c->loc,
			"\"%s\" is not a disk name; use a letter followed by letters, digits, - or _ (at most 32), such as a or disk1",
			alias);
		return;
	}
	d = spec_find_disk(p->s, alias);
	if (d) {
		ks_perr(p, &c->loc,
			"disk %s is already defined at %s:%d; give each disk its own name", alias,
			d->loc.file, d->loc.line);
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(sels); i++)
		any |= ks_opt_has(c, sels[i]);
	if (!any) {
		ks_perr(p, &c->loc,
			"disk %s says nothing about which disk it is; add --by-id=, --serial=, --wwn=, --path=, --model= or --min-size=",
			alias);
		return;
	}
	d = xgrow(&p->s->disks, &p->s->ndisks, sizeof(*d));
	d->alias = xstrdup(alias);
	d->loc = c->loc;
	if (ks_opt_has(c, "path")) {
		d->path = xstrdup(ks_opt_get(c, "path"));
		if (!startswith(d->path, "/dev/") || strlen(d->path) < 6)
			ks_perr(p, &c->loc,
				"--path=%s is not a device; write it as /dev/sda or /dev/nvme0n1",
				d->path);
	}
	if (ks_opt_has(c, "by-id")) {
		const char *v = ks_opt_get(c, "by-id");

		if (startswith(v, "/dev/disk/by-id/"))
			v += strlen("/dev/disk/by-id/");
		d->by_id = xstrdup(v);
		if (!*v || strchr(v, '/'))
			ks_perr(p, &c->loc,
				"--by-id=%s is not a name from /dev/disk/by-id; write it as ata-MODEL_SERIAL (tenxen probe lists them)",
				ks_opt_get(c, "by-id"));
	}
	if (ks_opt_has(c, "serial")) {
		d->serial = xstrdup(ks_opt_get(c, "serial"));
		if (!*d->serial)
			ks_perr(p, &c->loc, "--serial is empty; give the disk's serial number");
	}
	if (ks_opt_has(c, "wwn")) {
		const char *v = ks_opt_get(c, "wwn");

		if (startswith(v, "wwn-"))
			v += 4;
		d->wwn = xstrdup(v);
		if (!*v)
			ks_perr(p, &c->loc,
				"--wwn is empty; give the disk's world wide name, as 0x5000c500a1b2c3d4");
	}
	if (ks_opt_has(c, "model")) {
		d->model = xstrdup(ks_opt_get(c, "model"));
		if (!*d->model)
			ks_perr(p, &c->loc, "--model is empty; give part of the disk's model name");
	}
	if (ks_opt_has(c, "min-size"))
		ks_get_size(p, c, "min-size", &d->min_size);
}

static void push_refs(struct parser *p, struct cmd *c, struct spec_ref **arr, size_t *n)
{
	struct strv names = {0};

	for (size_t i = 0; i < c->args.n; i++)
		ks_get_aliases(p, c, c->name, c->args.v[i], &names);
	for (size_t i = 0; i < names.n; i++) {
		struct spec_ref *ref;
		bool dup = false;

		for (size_t j = 0; j < *n; j++) {
			if (streq((*arr)[j].name, names.v[i])) {
				ks_perr(p, &c->loc,
					"%s already names disk %s at %s:%d; name it once", c->name,
					names.v[i], (*arr)[j].loc.file, (*arr)[j].loc.line);
				dup = true;
			}
		}
		if (dup)
			continue;
		ref = xgrow(arr, n, sizeof(*ref));
		ref->name = xstrdup(names.v[i]);
		ref->loc = c->loc;
	}
	strv_free(&names);
}

void ks_cmd_clearpart(struct parser *p, struct cmd *c)
{
	push_refs(p, c, &p->s->clear, &p->s->nclear);
}

void ks_cmd_ignoredisk(struct parser *p, struct cmd *c)
{
	push_refs(p, c, &p->s->ignore, &p->s->nignore);
}

void ks_cmd_bootloader(struct parser *p, struct cmd *c)
{
	struct spec_bootloader *b = &p->s->bootloader;

	if (!ks_once(p, c, &p->seen_bootloader))
		return;
	if (c->args.n && !streq(c->args.v[0], "extlinux")) {
		ks_perr(p, &c->loc,
			"bootloader \"%s\" is not supported; Tenxen boots Xen with extlinux on BIOS and with xen.efi on UEFI: write bootloader --firmware=auto --disks=a,b",
			c->args.v[0]);
	}
	if (ks_opt_has(c, "firmware")) {
		const char *v = ks_opt_get(c, "firmware");

		b->firmware_loc = c->loc;
		if (streq(v, "auto"))
			b->firmware = SPEC_FIRMWARE_AUTO;
		else if (streq(v, "bios") || streq(v, "legacy"))
			b->firmware = SPEC_FIRMWARE_BIOS;
		else if (streq(v, "uefi") || streq(v, "efi"))
			b->firmware = SPEC_FIRMWARE_UEFI;
		else
			ks_perr(p, &c->loc,
				"--firmware=%s is not a firmware; write --firmware=auto (the one the installer booted with), bios or uefi",
				v);
		if (c->args.n && streq(c->args.v[0], "extlinux") &&
		    b->firmware == SPEC_FIRMWARE_UEFI)
			ks_perr(p, &c->loc,
				"extlinux boots from BIOS only; on UEFI Tenxen starts xen.efi itself: drop the word extlinux");
	}
	b->given = true;
	b->loc = c->loc;
	if (ks_opt_has(c, "disks"))
		ks_get_aliases(p, c, "bootloader --disks", ks_opt_get(c, "disks"), &b->disks);
	if (ks_opt_has(c, "label")) {
		const char *v = ks_opt_get(c, "label");

		if (!label_type_parse(v, &b->label))
			ks_perr(p, &c->loc,
				"--label=%s is not a partition table type; write --label=gpt or --label=msdos",
				v);
	}
	if (ks_opt_has(c, "timeout"))
		ks_get_int(p, c, "timeout", 0, 600, &b->timeout);
}

void ks_cmd_part(struct parser *p, struct cmd *c)
{
	struct spec_bootpart *b = &p->s->boot;
	const char *fs;

	/* another mount point is said by ks_kickstart_words before this runs */
	if (!streq(c->args.v[0], "/boot"))
		return;
	if (!ks_once(p, c, &p->seen_part))
		return;
	b->given = true;
	b->loc = c->loc;
	b->useexisting = ks_opt_has(c, "useexisting");
	if (b->useexisting && ks_opt_has(c, "size"))
		ks_perr(p, &c->loc,
			"part /boot --useexisting reformats the /boot partitions already there, at their size: drop --size");
	else if (!b->useexisting && !ks_opt_has(c, "size"))
		ks_perr(p, &c->loc, "part /boot needs a size; add --size=512M");
	else if (!b->useexisting)
		ks_get_size(p, c, "size", &b->size);
	if (!ks_opt_has(c, "disks"))
		ks_perr(p, &c->loc,
			"part /boot needs the disks it lives on; add --disks=a (or a,b for a mirrored /boot)");
	else
		ks_get_aliases(p, c, "part /boot --disks", ks_opt_get(c, "disks"), &b->disks);
	fs = ks_opt_has(c, "fstype") ? ks_opt_get(c, "fstype") : "ext4";
	if (!streq(fs, "ext4") && !streq(fs, "ext3") && !streq(fs, "ext2")) {
		ks_perr(p, &c->loc,
			"/boot cannot be %s: extlinux reads ext2, ext3 and ext4; write --fstype=ext4",
			fs);
		return;
	}
	free(b->fstype);
	b->fstype = xstrdup(fs);
}

void ks_cmd_volgroup(struct parser *p, struct cmd *c)
{
	const char *name = c->args.v[0];
	struct spec_volgroup *vg;

	if (!lvm_name_ok(name) || startswith(name, "snapshot") || startswith(name, "pvmove")) {
		ks_perr(p, &c->loc,
			"\"%s\" is not a volume group name; use letters, digits and + _ . - (not first), such as vg0",
			name);
		return;
	}
	vg = spec_find_vg(p->s, name);
	if (vg) {
		ks_perr(p, &c->loc,
			"volume group %s is already defined at %s:%d; give each its own name", name,
			vg->loc.file, vg->loc.line);
		return;
	}
	vg = xgrow(&p->s->vgs, &p->s->nvgs, sizeof(*vg));
	vg->name = xstrdup(name);
	vg->loc = c->loc;
	vg->pesize = 4 * MiB;
	vg->useexisting = ks_opt_has(c, "useexisting");
	if (vg->useexisting && ks_opt_has(c, "pesize"))
		ks_perr(p, &c->loc,
			"volgroup %s --useexisting keeps the group as it is, with its own extent size: drop --pesize",
			name);
	if (!ks_opt_has(c, "disks"))
		ks_perr(p, &c->loc, "volgroup %s needs its disks; add --disks=a,b", name);
	else
		ks_get_aliases(p, c, "volgroup --disks", ks_opt_get(c, "disks"), &vg->disks);
	if (ks_opt_has(c, "pesize") && ks_get_size(p, c, "pesize", &vg->pesize)) {
		if (vg->pesize < 1 * MiB || (vg->pesize & (vg->pesize - 1)) || vg->pesize > 1 * GiB)
			ks_perr(p, &c->loc,
				"--pesize=%s: the extent size must be a power of two from 1M to 1G; 4M suits most hosts",
				ks_opt_get(c, "pesize"));
	}
}

static bool valid_mount(const char *m)
{
	if (m[0] != '/' || strlen(m) > 255)
		return false;
	if (strstr(m, "//") || strstr(m, "/./") || strstr(m, "/../") || endswith(m, "/.") ||
	    endswith(m, "/.."))
		return false;
	for (const char *q = m; *q; q++)
		if (isspace((unsigned char)*q) || !isprint((unsigned char)*q))
			return false;
	return true;
}

static const char *const reserved_lv_parts[] = {"_cdata", "_cmeta",   "_corig",	  "_mimage",
						"_mlog",  "_pmspare", "_rimage",  "_rmeta",
						"_tdata", "_tmeta",   "_vorigin", "_vdata"};

/* --name: an LVM name that is none of LVM's own. */
static void logvol_name(struct parser *p, struct cmd *c, struct spec_logvol *lv)
{
	const char *v = ks_opt_get(c, "name");

	if (!v) {
		ks_perr(p, &c->loc, "logvol %s needs a name; add --name=root (or another name)",
			lv->mount);
		return;
	}
	lv->name = xstrdup(v);
	if (!lvm_name_ok(v) || startswith(v, "snapshot") || startswith(v, "pvmove")) {
		ks_perr(p, &c->loc,
			"\"%s\" is not a logical volume name; use letters, digits and + _ . - (not first), such as root",
			v);
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(reserved_lv_parts); i++)
		if (strstr(v, reserved_lv_parts[i]))
			ks_perr(p, &c->loc,
				"logical volume name %s contains %s, which LVM keeps for its own volumes; choose another name",
				v, reserved_lv_parts[i]);
}

/* --size: bytes, or a share of the volume group (N%FREE, N%VG). */
static void logvol_size(struct parser *p, struct cmd *c, struct spec_logvol *lv)
{
	const char *v = ks_opt_get(c, "size");
	char *pct, *end;
	unsigned long n;

	if (!v) {
		ks_perr(p, &c->loc, "logvol %s needs a size; add --size=20G or --size=100%%FREE",
			lv->mount);
		return;
	}
	pct = strchr(v, '%');
	if (!pct) {
		lv->size_kind = SIZE_BYTES;
		ks_get_size(p, c, "size", &lv->size);
		return;
	}
	errno = 0;
	n = strtoul(v, &end, 10);
	if (end != pct || n < 1 || n > 100 || errno ||
	    (strcmp(pct, "%FREE") && strcmp(pct, "%VG"))) {
		ks_perr(p, &c->loc,
			"--size=%s: a share of the volume group is written 1%%FREE to 100%%FREE (of the space left) or 1%%VG to 100%%VG (of all of it)",
			v);
		return;
	}
	lv->size_kind = strcmp(pct, "%FREE") == 0 ? SIZE_PCT_FREE : SIZE_PCT_VG;
	lv->size = n;
}

/* --fstype, and whether it fits the mount point. */
static void logvol_fstype(struct parser *p, struct cmd *c, struct spec_logvol *lv)
{
	static const char *const fstypes[] = {"ext4", "ext3", "ext2", "swap", "none"};
	const char *mount = lv->mount, *v = ks_opt_get(c, "fstype");
	bool ok = false;

	if (!v)
		v = streq(mount, "swap") ? "swap" : streq(mount, "-") ? "none" : "ext4";
	for (size_t i = 0; i < ARRAY_SIZE(fstypes); i++)
		ok |= streq(v, fstypes[i]);
	if (streq(v, "xfs")) {
		/* said before the disks, not by a mkfs that is not there */
		ks_perr(p, &c->loc,
			"--fstype=xfs: the installer has no mkfs.xfs (its medium carries e2fsprogs alone); use ext4, and make xfs on the host later if you need it");
		ok = true;
	} else if (!ok) {
		const char *dym = did_you_mean(v, fstypes, ARRAY_SIZE(fstypes));

		ks_perr(p, &c->loc,
			"--fstype=%s is not a filesystem Tenxen makes; %s%s%suse ext4, ext3, ext2, swap or none",
			v, dym ? "did you mean " : "", dym ? dym : "", dym ? "? " : "");
	}
	lv->fstype = xstrdup(v);
	if (streq(mount, "swap") && !streq(v, "swap"))
		ks_perr(p, &c->loc, "logvol swap must have --fstype=swap (or no --fstype)");
	if (streq(mount, "-") && !streq(v, "none"))
		ks_perr(p, &c->loc,
			"logvol - has no mount point, so it gets no filesystem; drop --fstype=%s or give a mount point",
			v);
	if (!streq(mount, "swap") && !streq(mount, "-") && (streq(v, "swap") || streq(v, "none")))
		ks_perr(p, &c->loc,
			"logvol %s is mounted, so it needs a filesystem; use --fstype=ext4", mount);
}

/* --type, --mirrors and --mirrorlog: linear, a mirror with its log, or raid1. */
static void logvol_layout(struct parser *p, struct cmd *c, struct spec_logvol *lv)
{
	const char *v = ks_opt_get(c, "type");

	lv->type = LV_LINEAR;
	if (ks_opt_has(c, "mirrors") || ks_opt_has(c, "mirrorlog"))
		lv->type = LV_MIRROR;
	if (v && streq(v, "linear"))
		lv->type = LV_LINEAR;
	else if (v && streq(v, "mirror"))
		lv->type = LV_MIRROR;
	else if (v && streq(v, "raid1"))
		lv->type = LV_RAID1;
	else if (v)
		ks_perr(p, &c->loc, "--type=%s is not a volume type; use linear, mirror or raid1",
			v);
	if (lv->type != LV_LINEAR)
		lv->mirrors = 1;
	if (ks_opt_has(c, "mirrors")) {
		/* LVM's limits: a mirror has at most 8 legs, a raid1 at most 10 images. */
		int max = lv->type == LV_RAID1 ? 9 : 7;

		if (lv->type == LV_LINEAR)
			ks_perr(p, &c->loc,
				"--mirrors goes with --type=mirror or --type=raid1, not linear");
		else
			ks_get_int(p, c, "mirrors", 1, max, &lv->mirrors);
	}
	v = ks_opt_get(c, "mirrorlog");
	if (!v)
		return;
	if (lv->type != LV_MIRROR)
		ks_perr(p, &c->loc,
			"--mirrorlog is for --type=mirror; a %s volume keeps its own metadata",
			lv_type_name(lv->type));
	else if (streq(v, "disk"))
		lv->mlog = MLOG_DISK;
	else if (streq(v, "core"))
		lv->mlog = MLOG_CORE;
	else if (streq(v, "mirrored"))
		lv->mlog = MLOG_MIRRORED;
	else
		ks_perr(p, &c->loc,
			"--mirrorlog=%s is not a mirror log; use disk, core or mirrored", v);
}

void ks_cmd_logvol(struct parser *p, struct cmd *c)
{
	struct spec_logvol *lv;
	const char *m = c->args.v[0];
	char *mount = xstrdup(m);
	size_t ml = strlen(mount);

	while (ml > 1 && mount[ml - 1] == '/')
		mount[--ml] = '\0';
	if (!streq(mount, "swap") && !streq(mount, "-") && !valid_mount(mount)) {
		ks_perr(p, &c->loc,
			"\"%s\" is not a mount point; write an absolute path such as /var, or swap, or - for a volume with no filesystem",
			m);
		free(mount);
		return;
	}
	lv = xgrow(&p->s->lvs, &p->s->nlvs, sizeof(*lv));
	lv->mount = mount;
	lv->loc = c->loc;
	lv->mlog = MLOG_DISK;
	if (!ks_opt_has(c, "vg"))
		ks_perr(p, &c->loc, "logvol %s needs its volume group; add --vg=vg0", mount);
	else
		lv->vg = xstrdup(ks_opt_get(c, "vg"));
	logvol_name(p, c, lv);
	lv->useexisting = ks_opt_has(c, "useexisting");
	if (lv->useexisting) {
		static const char *const fixed[] = {"size", "type", "mirrors", "mirrorlog"};

		/* the volume is reformatted where it is: its size and legs are what it has */
		for (size_t i = 0; i < ARRAY_SIZE(fixed); i++)
			if (ks_opt_has(c, fixed[i]))
				ks_perr(p, &c->loc,
					"logvol %s --useexisting keeps the volume's size and legs as they are: drop --%s",
					mount, fixed[i]);
	} else {
		logvol_size(p, c, lv);
		logvol_layout(p, c, lv);
	}
	logvol_fstype(p, c, lv);
}

/* preserve VG/NAME...: volumes of a kept group that the install must find and never write. */
void ks_cmd_preserve(struct parser *p, struct cmd *c)
{
	for (size_t i = 0; i < c->args.n; i++) {
		const char *a = c->args.v[i], *slash = strchr(a, '/');
		struct spec_preserve *pr;
		char *vg;
		bool ok;

		vg = slash ? xstrndup(a, (size_t)(slash - a)) : NULL;
		ok = vg && lvm_name_ok(vg) && slash[1] && !strchr(slash + 1, '/');
		for (const char *q = slash ? slash + 1 : ""; ok && *q; q++)
			ok = isalnum((unsigned char)*q) || strchr("+_.-*?[]!", *q);
		if (!ok) {
			ks_perr(p, &c->loc,
				"\"%s\" is not a volume to keep; write VG/NAME, such as vg0/guest-web, or a pattern such as vg0/guest-*",
				a);
			free(vg);
			continue;
		}
		pr = xgrow(&p->s->preserve, &p->s->npreserve, sizeof(*pr));
		pr->vg = vg;
		pr->pattern = xstrdup(slash + 1);
		pr->loc = c->loc;
	}
}

/* carryover [--from=VG/LV] PATH... | carryover --none: files of the old root for the new one. */
void ks_cmd_carryover(struct parser *p, struct cmd *c)
{
	struct spec_carry *cy = &p->s->carry;

	if (!ks_once(p, c, &p->seen_carry))
		return;
	cy->given = true;
	cy->loc = c->loc;
	cy->none = ks_opt_has(c, "none");
	if (cy->none && (c->args.n || ks_opt_has(c, "from"))) {
		ks_perr(p, &c->loc, "carryover --none carries nothing: drop the paths and --from");
		return;
	}
	if (!cy->none && !c->args.n) {
		ks_perr(p, &c->loc,
			"carryover needs the files to bring over, such as /etc/ssh/ssh_host_* /etc/xen; or write carryover --none");
		return;
	}
	if (ks_opt_has(c, "from")) {
		const char *f = ks_opt_get(c, "from"), *slash = strchr(f, '/');
		char *vg = slash ? xstrndup(f, (size_t)(slash - f)) : NULL;

		if (!vg || !lvm_name_ok(vg) || !lvm_name_ok(slash + 1))
			ks_perr(p, &c->loc,
				"--from=%s is not a volume; write --from=VG/LV, such as --from=vg0/root",
				f);
		else
			cy->from = xstrdup(f);
		free(vg);
	}
	for (size_t i = 0; i < c->args.n; i++) {
		const char *a = c->args.v[i];

		if (!valid_mount(a) || streq(a, "/")) {
			ks_perr(p, &c->loc,
				"\"%s\" is not a file to carry over; write an absolute path below /, such as /etc/xen or /etc/ssh/ssh_host_*",
				a);
			continue;
		}
		strv_push(&cy->paths, a);
	}
}

/* Xen's dom0_mem syntax: [min:SIZE,][max:SIZE,][SIZE], or "auto". */
