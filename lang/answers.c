// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reader for the answer-file language. Lines are joined at a trailing backslash, split into words
 * shell-style (single quotes literal, double quotes with \" and \\, # starts a comment at a word's
 * start), and dispatched by a table of commands that says which options each takes. Everything a
 * command says is checked here for its form; what needs the whole file (aliases, volume groups) is
 * checked by spec_validate().
 */
#include "lang/answers.h"
#include "lang/fields.h"

#include <arpa/inet.h>
#include <crypt.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INCLUDE_DEPTH 8

struct opt {
	char *name;
	char *value; /* NULL for a flag */
};

struct cmd {
	const char *name;
	struct strv args;
	struct opt *opts;
	size_t nopts;
	struct tx_loc loc;
};

struct parser {
	struct spec *s;
	struct tx_report *r;
	unsigned flags;
	int depth;
	struct strv stack; /* real paths of the files being read, for include cycles */
	bool version_seen;
	/* singletons: where each was first given */
	struct tx_loc seen_xen, seen_profiler, seen_console, seen_tz, seen_kbd, seen_rootpw,
		seen_finish, seen_bootloader, seen_part, seen_hostname;
};

enum opt_kind { FLAG, VALUE };

struct opt_def {
	const char *name;
	enum opt_kind kind;
};

struct cmd_def {
	const char *name;
	int min_args, max_args; /* -1: no limit */
	const char *args_hint;	/* what the arguments are, for messages */
	const struct opt_def *opts;
	void (*handle)(struct parser *p, struct cmd *c);
};

static void perr(struct parser *p, const struct tx_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void perr(struct parser *p, const struct tx_loc *loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tx_vmsg(p->r, TX_ERROR, loc, fmt, ap);
	va_end(ap);
}

static void pwarn(struct parser *p, const struct tx_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void pwarn(struct parser *p, const struct tx_loc *loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tx_vmsg(p->r, TX_WARNING, loc, fmt, ap);
	va_end(ap);
}

static const char *opt_get(const struct cmd *c, const char *name)
{
	for (size_t i = 0; i < c->nopts; i++)
		if (streq(c->opts[i].name, name))
			return c->opts[i].value ? c->opts[i].value : "";
	return NULL;
}

static bool opt_has(const struct cmd *c, const char *name)
{
	return opt_get(c, name) != NULL;
}

/* A singleton command given twice is an error that names the first place. */
static bool once(struct parser *p, struct cmd *c, struct tx_loc *seen)
{
	if (seen->file) {
		perr(p, &c->loc, "%s is already given at %s:%d; keep one of the two", c->name,
		     seen->file, seen->line);
		return false;
	}
	*seen = c->loc;
	return true;
}

static bool valid_name(const char *s, size_t maxlen, const char *extra)
{
	size_t n = strlen(s);

	if (n == 0 || n > maxlen)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (!isalnum(ch) && !strchr(extra, ch))
			return false;
	}
	return true;
}

static bool valid_alias(const char *s)
{
	return isalpha((unsigned char)s[0]) && valid_name(s, 32, "_-");
}

/* Sizes in the answer file: a bare number is MiB, as in kickstart. */
static bool get_size(struct parser *p, struct cmd *c, const char *opt, uint64_t *out)
{
	const char *v = opt_get(c, opt);
	int rc = parse_size(v, MiB, out);

	if (rc == -ERANGE) {
		perr(p, &c->loc, "--%s=%s is too large", opt, v);
		return false;
	}
	if (rc < 0) {
		perr(p, &c->loc,
		     "--%s=%s is not a size; write a number with a unit, such as 512M, 20G or 1T",
		     opt, v);
		return false;
	}
	if (*out == 0) {
		perr(p, &c->loc, "--%s=%s is zero; give a size greater than zero", opt, v);
		return false;
	}
	return true;
}

static bool get_int(struct parser *p, struct cmd *c, const char *opt, long lo, long hi, int *out)
{
	const char *v = opt_get(c, opt);
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (!*v || *end || errno || n < lo || n > hi) {
		perr(p, &c->loc, "--%s=%s is not a whole number from %ld to %ld", opt, v, lo, hi);
		return false;
	}
	*out = (int)n;
	return true;
}

/* A list of disk aliases: "a,b". */
static void get_aliases(struct parser *p, struct cmd *c, const char *what, const char *list,
			struct strv *out)
{
	struct strv parts = {0};

	strv_split(&parts, list, ',');
	for (size_t i = 0; i < parts.n; i++) {
		if (!valid_alias(parts.v[i])) {
			perr(p, &c->loc,
			     "%s: \"%s\" is not a disk name; name disks with a disk line (disk a --serial=...) and list them separated by commas, as in a,b",
			     what, parts.v[i]);
			continue;
		}
		if (strv_contains(out, parts.v[i])) {
			perr(p, &c->loc, "%s names disk %s twice; name each disk once", what,
			     parts.v[i]);
			continue;
		}
		strv_push(out, parts.v[i]);
	}
	strv_free(&parts);
}

/* ---- the commands ---- */

static void cmd_disk(struct parser *p, struct cmd *c)
{
	static const char *const sels[] = {"path", "by-id", "serial", "wwn", "model", "min-size"};
	const char *alias = c->args.v[0];
	struct spec_disk *d;
	bool any = false;

	if (!valid_alias(alias)) {
		perr(p, &c->loc,
		     "\"%s\" is not a disk name; use a letter followed by letters, digits, - or _ (at most 32), such as a or disk1",
		     alias);
		return;
	}
	d = spec_find_disk(p->s, alias);
	if (d) {
		perr(p, &c->loc, "disk %s is already defined at %s:%d; give each disk its own name",
		     alias, d->loc.file, d->loc.line);
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(sels); i++)
		any |= opt_has(c, sels[i]);
	if (!any) {
		perr(p, &c->loc,
		     "disk %s says nothing about which disk it is; add --by-id=, --serial=, --wwn=, --path=, --model= or --min-size=",
		     alias);
		return;
	}
	d = xgrow(&p->s->disks, &p->s->ndisks, sizeof(*d));
	d->alias = xstrdup(alias);
	d->loc = c->loc;
	if (opt_has(c, "path")) {
		d->path = xstrdup(opt_get(c, "path"));
		if (!startswith(d->path, "/dev/") || strlen(d->path) < 6)
			perr(p, &c->loc,
			     "--path=%s is not a device; write it as /dev/sda or /dev/nvme0n1",
			     d->path);
	}
	if (opt_has(c, "by-id")) {
		const char *v = opt_get(c, "by-id");

		if (startswith(v, "/dev/disk/by-id/"))
			v += strlen("/dev/disk/by-id/");
		d->by_id = xstrdup(v);
		if (!*v || strchr(v, '/'))
			perr(p, &c->loc,
			     "--by-id=%s is not a name from /dev/disk/by-id; write it as ata-MODEL_SERIAL (tenxen probe lists them)",
			     opt_get(c, "by-id"));
	}
	if (opt_has(c, "serial")) {
		d->serial = xstrdup(opt_get(c, "serial"));
		if (!*d->serial)
			perr(p, &c->loc, "--serial is empty; give the disk's serial number");
	}
	if (opt_has(c, "wwn")) {
		const char *v = opt_get(c, "wwn");

		if (startswith(v, "wwn-"))
			v += 4;
		d->wwn = xstrdup(v);
		if (!*v)
			perr(p, &c->loc,
			     "--wwn is empty; give the disk's world wide name, as 0x5000c500a1b2c3d4");
	}
	if (opt_has(c, "model")) {
		d->model = xstrdup(opt_get(c, "model"));
		if (!*d->model)
			perr(p, &c->loc, "--model is empty; give part of the disk's model name");
	}
	if (opt_has(c, "min-size"))
		get_size(p, c, "min-size", &d->min_size);
}

static void push_refs(struct parser *p, struct cmd *c, struct spec_ref **arr, size_t *n)
{
	struct strv names = {0};

	for (size_t i = 0; i < c->args.n; i++)
		get_aliases(p, c, c->name, c->args.v[i], &names);
	for (size_t i = 0; i < names.n; i++) {
		struct spec_ref *ref;
		bool dup = false;

		for (size_t j = 0; j < *n; j++) {
			if (streq((*arr)[j].name, names.v[i])) {
				perr(p, &c->loc, "%s already names disk %s at %s:%d; name it once",
				     c->name, names.v[i], (*arr)[j].loc.file, (*arr)[j].loc.line);
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

static void cmd_clearpart(struct parser *p, struct cmd *c)
{
	push_refs(p, c, &p->s->clear, &p->s->nclear);
}

static void cmd_ignoredisk(struct parser *p, struct cmd *c)
{
	push_refs(p, c, &p->s->ignore, &p->s->nignore);
}

static void cmd_bootloader(struct parser *p, struct cmd *c)
{
	struct spec_bootloader *b = &p->s->bootloader;

	if (!once(p, c, &p->seen_bootloader))
		return;
	if (!streq(c->args.v[0], "extlinux")) {
		perr(p, &c->loc,
		     "bootloader \"%s\" is not supported; Tenxen installs extlinux: write bootloader extlinux --disks=a,b",
		     c->args.v[0]);
		return;
	}
	b->given = true;
	b->loc = c->loc;
	if (opt_has(c, "disks"))
		get_aliases(p, c, "bootloader --disks", opt_get(c, "disks"), &b->disks);
	if (opt_has(c, "label")) {
		const char *v = opt_get(c, "label");

		if (!label_type_parse(v, &b->label))
			perr(p, &c->loc,
			     "--label=%s is not a partition table type; write --label=gpt or --label=msdos",
			     v);
	}
	if (opt_has(c, "timeout"))
		get_int(p, c, "timeout", 0, 600, &b->timeout);
}

static void cmd_part(struct parser *p, struct cmd *c)
{
	struct spec_bootpart *b = &p->s->boot;
	const char *fs;

	if (!streq(c->args.v[0], "/boot")) {
		perr(p, &c->loc,
		     "part %s: only /boot is a partition; put other mount points on logical volumes with logvol",
		     c->args.v[0]);
		return;
	}
	if (!once(p, c, &p->seen_part))
		return;
	b->given = true;
	b->loc = c->loc;
	if (!opt_has(c, "size"))
		perr(p, &c->loc, "part /boot needs a size; add --size=512M");
	else
		get_size(p, c, "size", &b->size);
	if (!opt_has(c, "disks"))
		perr(p, &c->loc,
		     "part /boot needs the disks it lives on; add --disks=a (or a,b for a mirrored /boot)");
	else
		get_aliases(p, c, "part /boot --disks", opt_get(c, "disks"), &b->disks);
	fs = opt_has(c, "fstype") ? opt_get(c, "fstype") : "ext4";
	if (!streq(fs, "ext4") && !streq(fs, "ext3") && !streq(fs, "ext2")) {
		perr(p, &c->loc,
		     "/boot cannot be %s: extlinux reads ext2, ext3 and ext4; write --fstype=ext4",
		     fs);
		return;
	}
	free(b->fstype);
	b->fstype = xstrdup(fs);
}

/* LVM's rules for names: letters, digits and + _ . -, not starting with -, not . or .. */
static bool valid_lvm_name(const char *s)
{
	return valid_name(s, 127, "+_.-") && s[0] != '-' && !streq(s, ".") && !streq(s, "..");
}

static void cmd_volgroup(struct parser *p, struct cmd *c)
{
	const char *name = c->args.v[0];
	struct spec_volgroup *vg;

	if (!valid_lvm_name(name) || startswith(name, "snapshot") || startswith(name, "pvmove")) {
		perr(p, &c->loc,
		     "\"%s\" is not a volume group name; use letters, digits and + _ . - (not first), such as vg0",
		     name);
		return;
	}
	vg = spec_find_vg(p->s, name);
	if (vg) {
		perr(p, &c->loc,
		     "volume group %s is already defined at %s:%d; give each its own name", name,
		     vg->loc.file, vg->loc.line);
		return;
	}
	vg = xgrow(&p->s->vgs, &p->s->nvgs, sizeof(*vg));
	vg->name = xstrdup(name);
	vg->loc = c->loc;
	vg->pesize = 4 * MiB;
	if (!opt_has(c, "disks"))
		perr(p, &c->loc, "volgroup %s needs its disks; add --disks=a,b", name);
	else
		get_aliases(p, c, "volgroup --disks", opt_get(c, "disks"), &vg->disks);
	if (opt_has(c, "pesize") && get_size(p, c, "pesize", &vg->pesize)) {
		if (vg->pesize < 1 * MiB || (vg->pesize & (vg->pesize - 1)) || vg->pesize > 1 * GiB)
			perr(p, &c->loc,
			     "--pesize=%s: the extent size must be a power of two from 1M to 1G; 4M suits most hosts",
			     opt_get(c, "pesize"));
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

static void cmd_logvol(struct parser *p, struct cmd *c)
{
	static const char *const fstypes[] = {"ext4", "ext3", "ext2", "xfs", "swap", "none"};
	struct spec_logvol *lv;
	const char *m = c->args.v[0];
	const char *v;
	char *mount = xstrdup(m);
	size_t ml = strlen(mount);

	while (ml > 1 && mount[ml - 1] == '/')
		mount[--ml] = '\0';
	if (!streq(mount, "swap") && !streq(mount, "-") && !valid_mount(mount)) {
		perr(p, &c->loc,
		     "\"%s\" is not a mount point; write an absolute path such as /var, or swap, or - for a volume with no filesystem",
		     m);
		free(mount);
		return;
	}
	lv = xgrow(&p->s->lvs, &p->s->nlvs, sizeof(*lv));
	lv->mount = mount;
	lv->loc = c->loc;
	lv->mlog = MLOG_DISK;

	if (!opt_has(c, "vg"))
		perr(p, &c->loc, "logvol %s needs its volume group; add --vg=vg0", mount);
	else
		lv->vg = xstrdup(opt_get(c, "vg"));

	if (!opt_has(c, "name")) {
		perr(p, &c->loc, "logvol %s needs a name; add --name=root (or another name)",
		     mount);
	} else {
		v = opt_get(c, "name");
		lv->name = xstrdup(v);
		if (!valid_lvm_name(v) || startswith(v, "snapshot") || startswith(v, "pvmove")) {
			perr(p, &c->loc,
			     "\"%s\" is not a logical volume name; use letters, digits and + _ . - (not first), such as root",
			     v);
		} else {
			for (size_t i = 0; i < ARRAY_SIZE(reserved_lv_parts); i++)
				if (strstr(v, reserved_lv_parts[i]))
					perr(p, &c->loc,
					     "logical volume name %s contains %s, which LVM keeps for its own volumes; choose another name",
					     v, reserved_lv_parts[i]);
		}
	}

	if (!opt_has(c, "size")) {
		perr(p, &c->loc, "logvol %s needs a size; add --size=20G or --size=100%%FREE",
		     mount);
	} else {
		char *pct;

		v = opt_get(c, "size");
		pct = strchr(v, '%');
		if (pct) {
			char *end;
			unsigned long n;

			errno = 0;
			n = strtoul(v, &end, 10);
			if (end != pct || n < 1 || n > 100 || errno ||
			    (strcmp(pct, "%FREE") && strcmp(pct, "%VG"))) {
				perr(p, &c->loc,
				     "--size=%s: a share of the volume group is written 1%%FREE to 100%%FREE (of the space left) or 1%%VG to 100%%VG (of all of it)",
				     v);
			} else {
				lv->size_kind =
					strcmp(pct, "%FREE") == 0 ? SIZE_PCT_FREE : SIZE_PCT_VG;
				lv->size = n;
			}
		} else {
			lv->size_kind = SIZE_BYTES;
			get_size(p, c, "size", &lv->size);
		}
	}

	v = opt_get(c, "fstype");
	if (!v)
		v = streq(mount, "swap") ? "swap" : streq(mount, "-") ? "none" : "ext4";
	{
		const char *dym = NULL;
		bool ok = false;

		for (size_t i = 0; i < ARRAY_SIZE(fstypes); i++)
			ok |= streq(v, fstypes[i]);
		if (!ok) {
			dym = did_you_mean(v, fstypes, ARRAY_SIZE(fstypes));
			perr(p, &c->loc,
			     "--fstype=%s is not a filesystem Tenxen makes; %s%s%suse ext4, ext3, ext2, xfs, swap or none",
			     v, dym ? "did you mean " : "", dym ? dym : "", dym ? "? " : "");
		}
	}
	lv->fstype = xstrdup(v);
	if (streq(mount, "swap") && !streq(v, "swap"))
		perr(p, &c->loc, "logvol swap must have --fstype=swap (or no --fstype)");
	if (streq(mount, "-") && !streq(v, "none"))
		perr(p, &c->loc,
		     "logvol - has no mount point, so it gets no filesystem; drop --fstype=%s or give a mount point",
		     v);
	if (!streq(mount, "swap") && !streq(mount, "-") && (streq(v, "swap") || streq(v, "none")))
		perr(p, &c->loc,
		     "logvol %s is mounted, so it needs a filesystem; use --fstype=ext4 or xfs",
		     mount);

	lv->type = LV_LINEAR;
	if (opt_has(c, "mirrors") || opt_has(c, "mirrorlog"))
		lv->type = LV_MIRROR;
	v = opt_get(c, "type");
	if (v) {
		if (streq(v, "linear"))
			lv->type = LV_LINEAR;
		else if (streq(v, "mirror"))
			lv->type = LV_MIRROR;
		else if (streq(v, "raid1"))
			lv->type = LV_RAID1;
		else
			perr(p, &c->loc,
			     "--type=%s is not a volume type; use linear, mirror or raid1", v);
	}
	if (lv->type != LV_LINEAR)
		lv->mirrors = 1;
	if (opt_has(c, "mirrors")) {
		/* LVM's limits: a mirror has at most 8 legs, a raid1 at most 10 images. */
		int max = lv->type == LV_RAID1 ? 9 : 7;

		if (lv->type == LV_LINEAR)
			perr(p, &c->loc,
			     "--mirrors goes with --type=mirror or --type=raid1, not linear");
		else
			get_int(p, c, "mirrors", 1, max, &lv->mirrors);
	}
	v = opt_get(c, "mirrorlog");
	if (v) {
		if (lv->type != LV_MIRROR)
			perr(p, &c->loc,
			     "--mirrorlog is for --type=mirror; a %s volume keeps its own metadata",
			     lv_type_name(lv->type));
		else if (streq(v, "disk"))
			lv->mlog = MLOG_DISK;
		else if (streq(v, "core"))
			lv->mlog = MLOG_CORE;
		else if (streq(v, "mirrored"))
			lv->mlog = MLOG_MIRRORED;
		else
			perr(p, &c->loc,
			     "--mirrorlog=%s is not a mirror log; use disk, core or mirrored", v);
	}
}

/* Xen's dom0_mem syntax: [min:SIZE,][max:SIZE,][SIZE], or "auto". */
static void cmd_xen(struct parser *p, struct cmd *c)
{
	struct spec_xen *x = &p->s->xen;
	const char *v;

	if (!once(p, c, &p->seen_xen))
		return;
	x->loc = c->loc;
	v = opt_get(c, "dom0-mem");
	if (v) {
		char *why = NULL;

		if (dom0_mem_parse(v, &x->mem, &why) < 0)
			perr(p, &c->loc, "--dom0-mem=%s: %s", v, why);
		free(why);
	}
	v = opt_get(c, "dom0-max-vcpus");
	if (v) {
		char *end;
		long a, b;

		errno = 0;
		a = strtol(v, &end, 10);
		b = a;
		if (*end == '-')
			b = strtol(end + 1, &end, 10);
		if (!isdigit((unsigned char)*v) || *end || errno || a < 1 || b < a || b > 4096)
			perr(p, &c->loc,
			     "--dom0-max-vcpus=%s is not a count; write a number such as 4, or a range such as 2-4",
			     v);
		else if (a == b) {
			x->vcpus_max = (int)a;
		} else {
			x->vcpus_min = (int)a;
			x->vcpus_max = (int)b;
		}
	}
	v = opt_get(c, "append");
	if (v) {
		if (strstr(v, "---"))
			perr(p, &c->loc,
			     "--append holds ---, which separates the Xen, kernel and initrd parts of the boot line; give only Xen's options");
		else if (strchr(v, '\n'))
			perr(p, &c->loc, "--append must be one line");
		else
			x->append = xstrdup(v);
	}
}

/* Xen's virtual PMU for the profiler stack: off (Xen's default), on, bts, ipc, arch. */
static void cmd_profiler(struct parser *p, struct cmd *c)
{
	struct spec_xen *x = &p->s->xen;
	const char *v = opt_get(c, "vpmu");

	if (!once(p, c, &p->seen_profiler))
		return;
	if (!v) {
		perr(p, &c->loc,
		     "profiler needs --vpmu=MODE: off, on, bts, ipc or arch (docs/profiling.md says what each allows)");
		return;
	}
	if (vpmu_mode_known(v)) {
		x->vpmu_loc = c->loc;
		free(x->vpmu);
		x->vpmu = streq(v, "off") ? NULL : xstrdup(v);
		return;
	}
	{
		const char *d = did_you_mean(v, vpmu_modes, NVPMU_MODES);

		perr(p, &c->loc, "--vpmu=%s is not a mode; %s%s%suse off, on, bts, ipc or arch", v,
		     d ? "did you mean " : "", d ? d : "", d ? "? " : "");
	}
}

static void cmd_console(struct parser *p, struct cmd *c)
{
	struct spec_console *k = &p->s->console;
	const char *what = c->args.v[0];

	if (!once(p, c, &p->seen_console))
		return;
	k->loc = c->loc;
	if (streq(what, "vga")) {
		k->kind = CONSOLE_VGA;
		if (opt_has(c, "port") || opt_has(c, "speed"))
			perr(p, &c->loc,
			     "--port and --speed are for console serial, not console vga");
		return;
	}
	if (!streq(what, "serial")) {
		perr(p, &c->loc,
		     "console %s: write console serial --port=ttyS0 --speed=115200, or console vga",
		     what);
		return;
	}
	k->kind = CONSOLE_SERIAL;
	if (opt_has(c, "port")) {
		const char *v = opt_get(c, "port");

		if (!field_serial_port(v, true, &k->port))
			perr(p, &c->loc,
			     "--port=%s is not a serial port Xen drives; use ttyS0, ttyS1, ttyS2 or ttyS3",
			     v);
	}
	if (opt_has(c, "speed")) {
		const char *v = opt_get(c, "speed");

		if (!field_serial_speed(v, &k->speed))
			perr(p, &c->loc, "--speed=%s is not a serial speed; use %s", v,
			     field_speeds_text);
	}
}

static void cmd_network(struct parser *p, struct cmd *c)
{
	struct spec_network *n;
	const char *v;

	v = opt_get(c, "device");
	for (size_t i = 0; i < p->s->nnets; i++) {
		if (streq(p->s->nets[i].device, v)) {
			perr(p, &c->loc, "network for %s is already given at %s:%d; keep one",
			     v ? v : "the first network card", p->s->nets[i].loc.file,
			     p->s->nets[i].loc.line);
			return;
		}
	}
	n = xgrow(&p->s->nets, &p->s->nnets, sizeof(*n));
	n->loc = c->loc;
	n->prefix = -1;
	n->dhcp = true;
	if (v) {
		if (startswith(v, "mac:")) {
			char *mac = xstrdup(v);

			for (char *q = mac; *q; q++)
				*q = (char)tolower((unsigned char)*q);
			n->device = mac;
			if (!field_mac(mac + 4))
				perr(p, &c->loc,
				     "--device=%s: a MAC address is six pairs of hex digits, as mac:52:54:00:12:34:56",
				     v);
		} else {
			n->device = xstrdup(v);
			if (!valid_name(v, 15, "_.-"))
				perr(p, &c->loc,
				     "--device=%s is not a network interface name; write a name such as eno1, or mac:52:54:00:12:34:56",
				     v);
		}
	}
	v = opt_get(c, "bootproto");
	if (v) {
		if (streq(v, "static"))
			n->dhcp = false;
		else if (!streq(v, "dhcp"))
			perr(p, &c->loc, "--bootproto=%s: use dhcp or static", v);
	}
	v = opt_get(c, "ip");
	if (v) {
		const char *slash = strchr(v, '/');
		char *addr = slash ? xstrndup(v, (size_t)(slash - v)) : xstrdup(v);

		if (n->dhcp)
			perr(p, &c->loc,
			     "--ip goes with --bootproto=static; add it, or drop --ip for DHCP");
		if (!field_ip(addr))
			perr(p, &c->loc, "--ip=%s is not an IP address", v);
		if (slash) {
			char *end;
			long pl = strtol(slash + 1, &end, 10);

			if (!isdigit((unsigned char)slash[1]) || *end || pl < 1 ||
			    pl > (strchr(addr, ':') ? 128 : 32))
				perr(p, &c->loc,
				     "--ip=%s: the prefix after / is not a prefix length", v);
			else
				n->prefix = (int)pl;
		}
		n->ip = addr;
	}
	v = opt_get(c, "netmask");
	if (v) {
		int pl = isdigit((unsigned char)*v) && !strchr(v, '.') ? atoi(v)
								       : field_netmask_prefix(v);

		if (pl < 1 || pl > 128)
			perr(p, &c->loc, "--netmask=%s is not a netmask; write 255.255.255.0 or 24",
			     v);
		else if (n->prefix >= 0 && n->prefix != pl)
			perr(p, &c->loc,
			     "--netmask=%s disagrees with the prefix in --ip; give one of them", v);
		else
			n->prefix = pl;
	}
	v = opt_get(c, "gateway");
	if (v) {
		if (!field_ip(v))
			perr(p, &c->loc, "--gateway=%s is not an IP address", v);
		n->gateway = xstrdup(v);
	}
	v = opt_get(c, "nameserver");
	if (v) {
		strv_split(&n->nameservers, v, ',');
		for (size_t i = 0; i < n->nameservers.n; i++)
			if (!field_ip(n->nameservers.v[i]))
				perr(p, &c->loc,
				     "--nameserver: \"%s\" is not an IP address; list addresses separated by commas",
				     n->nameservers.v[i]);
	}
	v = opt_get(c, "hostname");
	if (v) {
		if (once(p, c, &p->seen_hostname) && !field_hostname(v))
			perr(p, &c->loc,
			     "--hostname=%s is not a host name; use letters, digits and -, with dots between parts",
			     v);
		n->hostname = xstrdup(v);
	}
	if (!n->dhcp) {
		if (!n->ip)
			perr(p, &c->loc,
			     "--bootproto=static needs an address; add --ip=192.0.2.10/24");
		else if (n->prefix < 0)
			perr(p, &c->loc,
			     "the static address %s has no netmask; add --netmask=255.255.255.0 or write --ip=%s/24",
			     n->ip, n->ip);
	} else if (n->gateway || n->nameservers.n) {
		pwarn(p, &c->loc,
		      "--gateway and --nameserver are ignored with DHCP, which supplies them");
	}
}

static void cmd_timezone(struct parser *p, struct cmd *c)
{
	const char *tz = c->args.v[0];

	if (!once(p, c, &p->seen_tz))
		return;
	p->s->tz_loc = c->loc;
	if (!valid_name(tz, 64, "/_+-") || tz[0] == '/' || strstr(tz, "//") || endswith(tz, "/")) {
		perr(p, &c->loc,
		     "\"%s\" is not a time zone; write Area/City, such as Europe/Berlin, or UTC",
		     tz);
		return;
	}
	if (opt_has(c, "utc") && opt_has(c, "localtime")) {
		perr(p, &c->loc, "choose one of --utc and --localtime");
		return;
	}
	free(p->s->timezone);
	p->s->timezone = xstrdup(tz);
	p->s->tz_utc = !opt_has(c, "localtime");
}

static void cmd_keyboard(struct parser *p, struct cmd *c)
{
	const char *v;

	if (!once(p, c, &p->seen_kbd))
		return;
	p->s->kbd_loc = c->loc;
	if (!valid_name(c->args.v[0], 32, "_-")) {
		perr(p, &c->loc,
		     "\"%s\" is not a keyboard layout; write an X layout name such as us or de",
		     c->args.v[0]);
		return;
	}
	free(p->s->kbd_layout);
	p->s->kbd_layout = xstrdup(c->args.v[0]);
	v = opt_get(c, "variant");
	if (v) {
		if (!valid_name(v, 32, "_-"))
			perr(p, &c->loc,
			     "--variant=%s is not a keyboard variant, such as nodeadkeys", v);
		else
			p->s->kbd_variant = xstrdup(v);
	}
	v = opt_get(c, "model");
	if (v) {
		if (!valid_name(v, 32, "_-"))
			perr(p, &c->loc, "--model=%s is not a keyboard model, such as pc105", v);
		else
			p->s->kbd_model = xstrdup(v);
	}
}

static bool looks_like_crypt(const char *h)
{
	static const char *const pfx[] = {"$y$", "$gy$", "$7$",	 "$6$",
					  "$5$", "$2b$", "$2y$", "$1$"};

	for (size_t i = 0; i < ARRAY_SIZE(pfx); i++)
		if (startswith(h, pfx[i]) && strlen(h) > strlen(pfx[i]) + 8 &&
		    !strpbrk(h, " \t:\n"))
			return true;
	return false;
}

static void cmd_rootpw(struct parser *p, struct cmd *c)
{
	bool crypted = opt_has(c, "iscrypted"), plain = opt_has(c, "plaintext"),
	     lock = opt_has(c, "lock");

	if (!once(p, c, &p->seen_rootpw))
		return;
	p->s->rootpw_loc = c->loc;
	if (crypted + plain + lock != 1) {
		perr(p, &c->loc,
		     "rootpw needs exactly one of --iscrypted HASH, --plaintext PASSWORD or --lock");
		return;
	}
	if (lock) {
		if (c->args.n)
			perr(p, &c->loc, "rootpw --lock takes no password; drop \"%s\"",
			     c->args.v[0]);
		p->s->rootpw_lock = true;
		return;
	}
	if (c->args.n != 1) {
		perr(p, &c->loc, "rootpw %s needs the %s after it, quoted: rootpw %s '...'",
		     crypted ? "--iscrypted" : "--plaintext", crypted ? "hash" : "password",
		     crypted ? "--iscrypted" : "--plaintext");
		return;
	}
	if (crypted) {
		if (!looks_like_crypt(c->args.v[0])) {
			perr(p, &c->loc,
			     "rootpw --iscrypted: the value is not a crypt(3) hash; make one with mkpasswd -m yescrypt, or use --plaintext");
			return;
		}
		if (startswith(c->args.v[0], "$1$"))
			pwarn(p, &c->loc,
			      "rootpw --iscrypted: an MD5 ($1$) hash is weak; make a yescrypt one with mkpasswd -m yescrypt");
		p->s->rootpw_hash = xstrdup(c->args.v[0]);
		return;
	}
	if (!*c->args.v[0]) {
		perr(p, &c->loc,
		     "rootpw --plaintext: the password is empty; give one, or use --lock");
		return;
	}
	{
		/* Stored only hashed: yescrypt, libcrypt's default strength, fresh salt. */
		char *h = field_hash_password(c->args.v[0]);

		if (!h)
			perr(p, &c->loc,
			     "rootpw --plaintext: this system cannot hash the password with yescrypt; give --iscrypted with a hash made elsewhere");
		else
			p->s->rootpw_hash = h;
		explicit_bzero(c->args.v[0], strlen(c->args.v[0]));
	}
}

static void cmd_sshkey(struct parser *p, struct cmd *c)
{
	static const char *const types[] = {"ssh-ed25519 ",
					    "ssh-rsa ",
					    "ecdsa-sha2-nistp256 ",
					    "ecdsa-sha2-nistp384 ",
					    "ecdsa-sha2-nistp521 ",
					    "sk-ssh-ed25519@openssh.com ",
					    "sk-ecdsa-sha2-nistp256@openssh.com "};
	const char *key = c->args.v[0], *user = opt_get(c, "username");
	struct spec_sshkey *k;
	bool ok = false;

	for (size_t i = 0; i < ARRAY_SIZE(types); i++)
		ok |= startswith(key, types[i]) && strlen(key) > strlen(types[i]) + 16;
	if (!ok || strchr(key, '\n')) {
		perr(p, &c->loc,
		     "sshkey: the key is not an OpenSSH public key; give one line of a .pub file, quoted: sshkey 'ssh-ed25519 AAAA... user@host'");
		return;
	}
	if (user && !valid_name(user, 32, "_-.")) {
		perr(p, &c->loc, "--username=%s is not a user name", user);
		return;
	}
	k = xgrow(&p->s->sshkeys, &p->s->nsshkeys, sizeof(*k));
	k->user = xstrdup(user ? user : "root");
	k->key = xstrdup(key);
	k->loc = c->loc;
}

static void add_package(struct parser *p, const struct tx_loc *loc, const char *word)
{
	if (word[0] == '@') {
		const char *g = word + 1;
		bool known = false;

		for (size_t i = 0; i < spec_npackage_groups; i++)
			known |= streq(g, spec_package_groups[i]);
		if (!known) {
			const char *d = did_you_mean(g, spec_package_groups, spec_npackage_groups);

			perr(p, loc,
			     "there is no package set @%s; %s%s%sthe sets are @profiler and @guest-templates",
			     g, d ? "did you mean @" : "", d ? d : "", d ? "? " : "");
			return;
		}
		if (!strv_contains(&p->s->groups, g))
			strv_push(&p->s->groups, g);
		return;
	}
	if (!islower((unsigned char)word[0]) && !isdigit((unsigned char)word[0])) {
		perr(p, loc,
		     "\"%s\" is not a Debian package name (lower case letters, digits and + - .)",
		     word);
		return;
	}
	if (!valid_name(word, 128, "+-.") || strlen(word) < 2) {
		perr(p, loc,
		     "\"%s\" is not a Debian package name (lower case letters, digits and + - .)",
		     word);
		return;
	}
	for (const char *q = word; *q; q++) {
		if (isupper((unsigned char)*q)) {
			perr(p, loc,
			     "\"%s\" is not a Debian package name; package names are lower case",
			     word);
			return;
		}
	}
	if (!strv_contains(&p->s->packages, word))
		strv_push(&p->s->packages, word);
}

static void cmd_packages(struct parser *p, struct cmd *c)
{
	for (size_t i = 0; i < c->args.n; i++)
		add_package(p, &c->loc, c->args.v[i]);
}

static void cmd_finish(struct parser *p, struct cmd *c)
{
	if (!once(p, c, &p->seen_finish))
		return;
	p->s->finish_given = true;
	p->s->finish_loc = c->loc;
	p->s->finish = streq(c->name, "poweroff") ? FINISH_POWEROFF
		       : streq(c->name, "shell")  ? FINISH_SHELL
						  : FINISH_REBOOT;
}

static const struct opt_def no_opts[] = {{NULL, FLAG}};
static const struct opt_def disk_opts[] = {{"path", VALUE}, {"by-id", VALUE}, {"serial", VALUE},
					   {"wwn", VALUE},  {"model", VALUE}, {"min-size", VALUE},
					   {NULL, FLAG}};
static const struct opt_def bootloader_opts[] = {
	{"disks", VALUE}, {"label", VALUE}, {"timeout", VALUE}, {NULL, FLAG}};
static const struct opt_def part_opts[] = {
	{"size", VALUE}, {"disks", VALUE}, {"fstype", VALUE}, {NULL, FLAG}};
static const struct opt_def volgroup_opts[] = {{"disks", VALUE}, {"pesize", VALUE}, {NULL, FLAG}};
static const struct opt_def logvol_opts[] = {
	{"vg", VALUE},	 {"name", VALUE},    {"size", VALUE},	   {"fstype", VALUE},
	{"type", VALUE}, {"mirrors", VALUE}, {"mirrorlog", VALUE}, {NULL, FLAG}};
static const struct opt_def xen_opts[] = {
	{"dom0-mem", VALUE}, {"dom0-max-vcpus", VALUE}, {"append", VALUE}, {NULL, FLAG}};
static const struct opt_def profiler_opts[] = {{"vpmu", VALUE}, {NULL, FLAG}};
static const struct opt_def console_opts[] = {{"port", VALUE}, {"speed", VALUE}, {NULL, FLAG}};
static const struct opt_def network_opts[] = {
	{"device", VALUE},  {"bootproto", VALUE},  {"ip", VALUE},	{"netmask", VALUE},
	{"gateway", VALUE}, {"nameserver", VALUE}, {"hostname", VALUE}, {NULL, FLAG}};
static const struct opt_def timezone_opts[] = {{"utc", FLAG}, {"localtime", FLAG}, {NULL, FLAG}};
static const struct opt_def keyboard_opts[] = {{"variant", VALUE}, {"model", VALUE}, {NULL, FLAG}};
static const struct opt_def rootpw_opts[] = {
	{"iscrypted", FLAG}, {"plaintext", FLAG}, {"lock", FLAG}, {NULL, FLAG}};
static const struct opt_def sshkey_opts[] = {{"username", VALUE}, {NULL, FLAG}};

static const struct cmd_def commands[] = {
	{"disk", 1, 1, "a name for the disk", disk_opts, cmd_disk},
	{"clearpart", 1, -1, "the disks to erase, as a,b", no_opts, cmd_clearpart},
	{"ignoredisk", 1, -1, "the disks to leave alone, as c", no_opts, cmd_ignoredisk},
	{"bootloader", 1, 1, "extlinux", bootloader_opts, cmd_bootloader},
	{"part", 1, 1, "/boot", part_opts, cmd_part},
	{"volgroup", 1, 1, "the volume group's name", volgroup_opts, cmd_volgroup},
	{"logvol", 1, 1, "a mount point, swap or -", logvol_opts, cmd_logvol},
	{"xen", 0, 0, "nothing", xen_opts, cmd_xen},
	{"profiler", 0, 0, "nothing", profiler_opts, cmd_profiler},
	{"console", 1, 1, "serial or vga", console_opts, cmd_console},
	{"network", 0, 0, "nothing", network_opts, cmd_network},
	{"timezone", 1, 1, "a time zone such as Europe/Berlin", timezone_opts, cmd_timezone},
	{"keyboard", 1, 1, "a layout such as us", keyboard_opts, cmd_keyboard},
	{"rootpw", 0, 1, "the hash or password", rootpw_opts, cmd_rootpw},
	{"sshkey", 1, 1, "one quoted public key", sshkey_opts, cmd_sshkey},
	{"packages", 1, -1, "package sets such as @profiler, or package names", no_opts,
	 cmd_packages},
	{"reboot", 0, 0, "nothing", no_opts, cmd_finish},
	{"poweroff", 0, 0, "nothing", no_opts, cmd_finish},
	{"shell", 0, 0, "nothing", no_opts, cmd_finish},
};

/* ---- words and lines ---- */

/*
 * Split one logical line into words. Returns 0, or -EINVAL with *why set (static text).
 */
static int split_words(const char *line, struct strv *out, const char **why)
{
	const char *q = line;

	for (;;) {
		char *w;
		size_t n = 0;
		bool have = false;

		while (*q == ' ' || *q == '\t')
			q++;
		if (!*q || *q == '#')
			return 0;
		w = xmalloc(strlen(q) + 1);
		while (*q && *q != ' ' && *q != '\t') {
			if (*q == '\'') {
				const char *e = strchr(q + 1, '\'');

				if (!e) {
					free(w);
					*why = "a single quote is not closed; close it on the same line";
					return -EINVAL;
				}
				memcpy(w + n, q + 1, (size_t)(e - q - 1));
				n += (size_t)(e - q - 1);
				q = e + 1;
			} else if (*q == '"') {
				q++;
				while (*q && *q != '"') {
					if (*q == '\\' && (q[1] == '"' || q[1] == '\\'))
						q++;
					w[n++] = *q++;
				}
				if (!*q) {
					free(w);
					*why = "a double quote is not closed; close it on the same line";
					return -EINVAL;
				}
				q++;
			} else if (*q == '\\' && q[1]) {
				w[n++] = q[1];
				q += 2;
			} else {
				w[n++] = *q++;
			}
			have = true;
		}
		w[n] = '\0';
		if (have)
			strv_push_owned(out, w);
		else
			free(w);
	}
}

static const struct cmd_def *find_command(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (streq(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static void suggest_command(struct parser *p, const struct tx_loc *loc, const char *name)
{
	const char *names[ARRAY_SIZE(commands)];
	const char *d;

	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		names[i] = commands[i].name;
	d = did_you_mean(name, names, ARRAY_SIZE(commands));
	if (d)
		perr(p, loc, "unknown command \"%s\"; did you mean %s?", name, d);
	else
		perr(p, loc, "unknown command \"%s\"; docs/answer-file.md lists the commands",
		     name);
}

static void run_command(struct parser *p, struct strv *words, const struct tx_loc *loc)
{
	const struct cmd_def *def = find_command(words->v[0]);
	struct cmd c = {.loc = *loc};
	bool bad = false;

	if (!def) {
		suggest_command(p, loc, words->v[0]);
		return;
	}
	c.name = def->name;
	for (size_t i = 1; i < words->n; i++) {
		const char *w = words->v[i];
		const struct opt_def *od = NULL;
		const char *eq;
		char *name;

		if (!startswith(w, "--") || strlen(w) == 2) {
			strv_push(&c.args, w);
			continue;
		}
		eq = strchr(w, '=');
		name = eq ? xstrndup(w + 2, (size_t)(eq - w - 2)) : xstrdup(w + 2);
		for (const struct opt_def *o = def->opts; o->name; o++)
			if (streq(o->name, name))
				od = o;
		if (!od) {
			const char *cands[16];
			size_t n = 0;
			const char *d;

			for (const struct opt_def *o = def->opts; o->name && n < 16; o++)
				cands[n++] = o->name;
			d = did_you_mean(name, cands, n);
			if (d)
				perr(p, loc, "%s has no option --%s; did you mean --%s?", def->name,
				     name, d);
			else if (n == 0)
				perr(p, loc, "%s takes no options; drop --%s", def->name, name);
			else
				perr(p, loc,
				     "%s has no option --%s; docs/answer-file.md lists its options",
				     def->name, name);
			bad = true;
		} else if (opt_has(&c, name)) {
			perr(p, loc, "--%s is given twice; give it once", name);
			bad = true;
		} else if (od->kind == VALUE && !eq) {
			perr(p, loc,
			     "--%s needs a value; write --%s=VALUE with no spaces around =", name,
			     name);
			bad = true;
		} else if (od->kind == FLAG && eq) {
			perr(p, loc, "--%s takes no value; write --%s alone", name, name);
			bad = true;
		} else {
			struct opt *o = xgrow(&c.opts, &c.nopts, sizeof(*o));

			o->name = xstrdup(name);
			o->value = eq ? xstrdup(eq + 1) : NULL;
		}
		free(name);
	}
	if (!bad && (int)c.args.n < def->min_args) {
		perr(p, loc, "%s needs %s", def->name, def->args_hint);
		bad = true;
	}
	if (!bad && def->max_args >= 0 && (int)c.args.n > def->max_args) {
		if (def->max_args == 0)
			perr(p, loc,
			     "%s takes no words besides its options; \"%s\" is one too many",
			     def->name, c.args.v[0]);
		else
			perr(p, loc,
			     "%s takes %s; \"%s\" is one word too many (quote a value that holds spaces)",
			     def->name, def->args_hint, c.args.v[def->max_args]);
		bad = true;
	}
	if (!bad)
		def->handle(p, &c);
	strv_free(&c.args);
	for (size_t i = 0; i < c.nopts; i++) {
		free(c.opts[i].name);
		free(c.opts[i].value);
	}
	free(c.opts);
}

static int parse_buffer(struct parser *p, const char *file, const char *buf, size_t len);

static void do_include(struct parser *p, const char *file, const struct tx_loc *loc,
		       const char *arg)
{
	char *dir, *path, *real, *text = NULL;
	size_t tlen = 0;
	int rc;

	if (p->flags & ANSWERS_NO_INCLUDE) {
		perr(p, loc, "%%include is not allowed here");
		return;
	}
	if (p->depth >= MAX_INCLUDE_DEPTH) {
		perr(p, loc, "%%include is nested more than %d deep; flatten the includes",
		     MAX_INCLUDE_DEPTH);
		return;
	}
	if (arg[0] == '/') {
		path = xstrdup(arg);
	} else {
		char *copy = xstrdup(file);

		dir = dirname(copy);
		path = streq(dir, ".") ? xstrdup(arg) : xasprintf("%s/%s", dir, arg);
		free(copy);
	}
	real = realpath(path, NULL);
	if (!real) {
		perr(p, loc, "%%include %s: cannot read %s: %s; the path is relative to this file",
		     arg, path, strerror(errno));
		free(path);
		return;
	}
	if (strv_contains(&p->stack, real)) {
		perr(p, loc,
		     "%%include %s makes a loop: %s is already being read; remove one of the includes",
		     arg, path);
		goto out;
	}
	rc = read_file(path, &text, &tlen);
	if (rc < 0) {
		perr(p, loc, "%%include %s: cannot read %s: %s", arg, path, strerror(-rc));
		goto out;
	}
	strv_push(&p->stack, real);
	p->depth++;
	parse_buffer(p, path, text, tlen);
	p->depth--;
	free(p->stack.v[--p->stack.n]);
	p->stack.v[p->stack.n] = NULL;
out:
	free(text);
	free(real);
	free(path);
}

/* The file name as every tx_loc of the spec will point at it. */
static const char *intern_file(struct spec *s, const char *file)
{
	for (size_t i = 0; i < s->files.n; i++)
		if (streq(s->files.v[i], file))
			return s->files.v[i];
	strv_push(&s->files, file);
	return s->files.v[s->files.n - 1];
}

struct lines {
	const char *buf;
	size_t len, pos;
	int lineno;
};

/* Next physical line, without its newline (and a trailing \r). Caller frees. */
static char *next_line(struct lines *l)
{
	const char *start, *nl;
	size_t n;

	if (l->pos >= l->len)
		return NULL;
	start = l->buf + l->pos;
	nl = memchr(start, '\n', l->len - l->pos);
	n = nl ? (size_t)(nl - start) : l->len - l->pos;
	l->pos += n + (nl ? 1 : 0);
	l->lineno++;
	if (n && start[n - 1] == '\r')
		n--;
	return xstrndup(start, n);
}

static void read_block(struct parser *p, struct lines *l, const struct tx_loc *loc,
		       struct strv *words, const char *file)
{
	const char *what = words->v[0];
	bool is_pkg = streq(what, "%packages");
	struct spec_script *sc = NULL;
	char *body = xstrdup("");
	bool ended = false, bad = false;
	char *line;

	for (size_t i = 1; i < words->n; i++) {
		const char *w = words->v[i];

		if (!is_pkg && streq(w, "--nochroot") && streq(what, "%post"))
			continue;
		if (!is_pkg && streq(w, "--erroronfail"))
			continue;
		if (!is_pkg && startswith(w, "--interpreter=") && w[14] == '/')
			continue;
		perr(p, loc, "%s does not take %s; %s", what, w,
		     is_pkg ? "%packages takes no options"
		     : streq(what, "%post")
			     ? "%post takes --nochroot, --erroronfail and --interpreter=/path"
			     : "%pre takes --erroronfail and --interpreter=/path");
		bad = true;
	}
	while ((line = next_line(l))) {
		struct tx_loc here = {file, l->lineno};
		char *t = xstrdup(line);

		strip(t);
		if (streq(t, "%end")) {
			free(t);
			free(line);
			ended = true;
			break;
		}
		if (is_pkg) {
			if (*t && *t != '#') {
				struct strv pw = {0};
				const char *why;

				if (split_words(t, &pw, &why) < 0)
					perr(p, &here, "%s", why);
				for (size_t i = 0; i < pw.n; i++)
					add_package(p, &here, pw.v[i]);
				strv_free(&pw);
			}
		} else {
			char *nb = xasprintf("%s%s\n", body, line);

			free(body);
			body = nb;
		}
		free(t);
		free(line);
	}
	if (!ended)
		perr(p, loc, "%s has no %%end; add a line %%end after the %s", what,
		     is_pkg ? "package list" : "script");
	if (!is_pkg && !bad) {
		sc = xgrow(&p->s->scripts, &p->s->nscripts, sizeof(*sc));
		sc->kind = streq(what, "%pre") ? SCRIPT_PRE : SCRIPT_POST;
		sc->loc = *loc;
		sc->interpreter = xstrdup("/bin/sh");
		for (size_t i = 1; i < words->n; i++) {
			if (streq(words->v[i], "--nochroot"))
				sc->nochroot = true;
			else if (streq(words->v[i], "--erroronfail"))
				sc->erroronfail = true;
			else if (startswith(words->v[i], "--interpreter=")) {
				free(sc->interpreter);
				sc->interpreter = xstrdup(words->v[i] + 14);
			}
		}
		sc->body = body;
		body = NULL;
	}
	free(body);
}

static void version_line(struct parser *p, const struct tx_loc *loc, const char *v)
{
	char *end;
	long n = strtol(v, &end, 10);

	if (!isdigit((unsigned char)*v) || *end) {
		perr(p, loc, "#version=%s: the version is a number; write #version=1", v);
		return;
	}
	if (p->version_seen && n != p->s->version) {
		perr(p, loc, "#version=%s disagrees with the version given before", v);
		return;
	}
	if (n != SPEC_VERSION) {
		perr(p, loc,
		     "#version=%s: this Tenxen reads version %d of the language; see docs/answer-file.md",
		     v, SPEC_VERSION);
		return;
	}
	p->version_seen = true;
	p->s->version = (int)n;
}

static int parse_buffer(struct parser *p, const char *file, const char *buf, size_t len)
{
	struct lines l = {buf, len, 0, 0};
	char *line;

	file = intern_file(p->s, file);
	if (memchr(buf, '\0', len)) {
		struct tx_loc loc = {file, 1};

		perr(p, &loc, "this is not a text file (it holds a NUL byte); give an answer file");
		return -EINVAL;
	}
	while ((line = next_line(&l))) {
		struct tx_loc loc = {file, l.lineno};
		struct strv words = {0};
		const char *why = NULL;
		char *t;

		/* join continuation lines: a backslash at the very end */
		while (endswith(line, "\\") && !endswith(line, "\\\\")) {
			char *more = next_line(&l), *joined;

			line[strlen(line) - 1] = '\0';
			if (!more) {
				perr(p, &loc,
				     "the last line ends in a backslash, which continues it onto a line that is not there");
				break;
			}
			joined = xasprintf("%s %s", line, more);
			free(line);
			free(more);
			line = joined;
		}
		t = line;
		while (*t == ' ' || *t == '\t')
			t++;
		if (startswith(t, "#version=")) {
			char *v = xstrdup(t + 9);

			version_line(p, &loc, strip(v));
			free(v);
			free(line);
			continue;
		}
		if (split_words(t, &words, &why) < 0) {
			perr(p, &loc, "%s", why);
		} else if (words.n == 0) {
			/* blank or comment */
		} else if (words.v[0][0] == '%') {
			if (streq(words.v[0], "%include")) {
				if (words.n != 2)
					perr(p, &loc, "%%include takes one file name");
				else
					do_include(p, file, &loc, words.v[1]);
			} else if (streq(words.v[0], "%pre") || streq(words.v[0], "%post") ||
				   streq(words.v[0], "%packages")) {
				read_block(p, &l, &loc, &words, file);
			} else if (streq(words.v[0], "%end")) {
				perr(p, &loc,
				     "%%end without a %%pre, %%post or %%packages before it");
			} else {
				perr(p, &loc,
				     "unknown section \"%s\"; the sections are %%pre, %%post, %%packages and %%include",
				     words.v[0]);
			}
		} else {
			run_command(p, &words, &loc);
		}
		strv_free(&words);
		free(line);
	}
	return 0;
}

static int parse_top(const char *name, const char *buf, size_t len, unsigned flags,
		     struct tx_report *r, struct spec **out)
{
	struct parser p = {.s = spec_new(), .r = r, .flags = flags};
	unsigned before = r->errors;
	char *real = realpath(name, NULL);

	if (real)
		strv_push_owned(&p.stack, real);
	parse_buffer(&p, name, buf, len);
	strv_free(&p.stack);
	p.s->end_loc.file = p.s->files.v[0];
	p.s->end_loc.line = 1;
	for (size_t i = 0; i < len; i++)
		if (buf[i] == '\n' && i + 1 < len)
			p.s->end_loc.line++;
	if (!p.version_seen && r->errors == before) {
		struct tx_loc loc = {p.s->files.v[0], 1};

		tx_warn(r, &loc,
			"no #version line; reading it as version %d (add #version=%d first)",
			SPEC_VERSION, SPEC_VERSION);
	}
	p.s->parse_errors = r->errors - before;
	*out = p.s;
	return r->errors > before ? -EINVAL : 0;
}

int answers_parse_buffer(const char *name, const char *buf, size_t len, unsigned flags,
			 struct tx_report *r, struct spec **out)
{
	return parse_top(name, buf, len, flags, r, out);
}

int answers_parse_file(const char *path, unsigned flags, struct tx_report *r, struct spec **out)
{
	char *buf;
	size_t len;
	int rc = read_file(path, &buf, &len);

	*out = NULL;
	if (rc < 0) {
		tx_error(r, NULL, "cannot read the answer file %s: %s", path, strerror(-rc));
		return rc;
	}
	rc = parse_top(path, buf, len, flags, r, out);
	free(buf);
	return rc;
}
