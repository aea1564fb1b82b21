// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Disks are discovered from /sys/block (blkid's cache lists only devices with a signature) and
 * each one is probed with libblkid: every superblock on the whole disk (stale ones too), then the
 * partition table and what each partition holds, probed at its offset inside the whole disk so
 * that no partition device nodes are needed.
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

void probe_paths_default(struct probe_paths *pp)
{
	pp->sys = "/sys";
	pp->dev = "/dev";
	pp->proc = "/proc";
	pp->medium_mount = "/run/tenxen/medium";
	pp->medium = NULL;
	pp->only = NULL;
}

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
static void build_vgs(struct machine *m)
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

static char *sysattr(const char *sys, const char *name, const char *attr)
{
	char *p = xasprintf("%s/block/%s/%s", sys, name, attr);
	char *v = read_line_file(p);

	free(p);
	return v;
}

static bool sysflag(const char *sys, const char *name, const char *attr)
{
	char *v = sysattr(sys, name, attr);
	bool r = v && streq(v, "1");

	free(v);
	return r;
}

static bool skip_device(const char *name)
{
	static const char *const skip[] = {"ram", "zram", "dm-", "md",
					   "sr",  "fd",	  "nbd", "mtdblock"};

	for (size_t i = 0; i < ARRAY_SIZE(skip); i++)
		if (startswith(name, skip[i]))
			return true;
	return false;
}

static void add_sig(struct disk *d, blkid_probe pr, int partno, uint64_t offset, bool table)
{
	const char *v;
	struct sig *s;

	if (table) {
		if (blkid_probe_lookup_value(pr, "PTTYPE", &v, NULL) < 0)
			return;
		s = xgrow(&d->sigs, &d->nsigs, sizeof(*s));
		s->type = xstrdup(v);
		s->usage = xstrdup("partition_table");
		if (blkid_probe_lookup_value(pr, "PTUUID", &v, NULL) == 0)
			s->uuid = xstrdup(v);
	} else {
		if (blkid_probe_lookup_value(pr, "TYPE", &v, NULL) < 0)
			return;
		s = xgrow(&d->sigs, &d->nsigs, sizeof(*s));
		s->type = xstrdup(v);
		s->usage =
			xstrdup(blkid_probe_lookup_value(pr, "USAGE", &v, NULL) == 0 ? v : "other");
		if (blkid_probe_lookup_value(pr, "LABEL", &v, NULL) == 0)
			s->label = xstrdup(v);
		if (blkid_probe_lookup_value(pr, "UUID", &v, NULL) == 0)
			s->uuid = xstrdup(v);
	}
	s->partno = partno;
	s->offset = offset;
}

/* Every superblock in [offset, offset+size) of fd, stale ones included. */
static void probe_superblocks(struct disk *d, int fd, uint64_t offset, uint64_t size, int partno)
{
	blkid_probe pr = blkid_new_probe();

	if (!pr)
		return;
	if (blkid_probe_set_device(pr, fd, (blkid_loff_t)offset, (blkid_loff_t)size) == 0) {
		blkid_probe_enable_partitions(pr, 0);
		blkid_probe_enable_superblocks(pr, 1);
		blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE | BLKID_SUBLKS_LABEL |
							      BLKID_SUBLKS_UUID |
							      BLKID_SUBLKS_USAGE);
		while (blkid_do_probe(pr) == 0) {
			size_t before = d->nsigs;

			add_sig(d, pr, partno, offset, false);
			if (d->nsigs > before && streq(d->sigs[before].type, "LVM2_member")) {
				char uuid[33], *text = NULL;
				size_t len = 0;

				/* the group's name and whole metadata, from the PV's label */
				if (pv_read_metadata(fd, offset, uuid, &text, &len) == 0) {
					d->sigs[before].pv_uuid = uuid[0] ? xstrdup(uuid) : NULL;
					d->sigs[before].vg =
						text ? pv_meta_vgname(text, len) : NULL;
					d->sigs[before].lvm_meta = text;
				}
			}
		}
	}
	blkid_free_probe(pr);
}

static void probe_disk_contents(struct disk *d, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	blkid_probe pr;

	if (fd < 0) {
		d->probe_error = xstrdup(strerror(errno));
		return;
	}
	probe_superblocks(d, fd, 0, d->size, 0);
	pr = blkid_new_probe();
	if (pr && blkid_probe_set_device(pr, fd, 0, 0) == 0) {
		blkid_partlist ls;

		blkid_probe_enable_superblocks(pr, 0);
		blkid_probe_enable_partitions(pr, 1);
		blkid_probe_set_partitions_flags(pr, BLKID_PARTS_ENTRY_DETAILS);
		if (blkid_do_safeprobe(pr) == 0) {
			add_sig(d, pr, 0, 0, true);
			ls = blkid_probe_get_partitions(pr);
			for (int i = 0; ls && i < blkid_partlist_numof_partitions(ls); i++) {
				blkid_partition par = blkid_partlist_get_partition(ls, i);
				uint64_t start = (uint64_t)blkid_partition_get_start(par) * 512;
				uint64_t len = (uint64_t)blkid_partition_get_size(par) * 512;

				struct part *pt;
				const char *nm = blkid_partition_get_name(par);
				const char *ty = blkid_partition_get_type_string(par);

				if (blkid_partition_is_extended(par) || start + len > d->size)
					continue;
				pt = xgrow(&d->parts, &d->nparts, sizeof(*pt));
				pt->partno = blkid_partition_get_partno(par);
				pt->start = start;
				pt->size = len;
				pt->name = nm && *nm ? xstrdup(nm) : NULL;
				pt->type = ty ? xstrdup(ty)
					      : xasprintf("0x%02x", blkid_partition_get_type(par));
				probe_superblocks(d, fd, start, len,
						  blkid_partition_get_partno(par));
			}
		}
	}
	if (pr)
		blkid_free_probe(pr);
	close(fd);
}

static void find_by_id(struct disk *d, const char *devdir)
{
	char *dir = xasprintf("%s/disk/by-id", devdir);
	DIR *dp = opendir(dir);
	struct dirent *de;
	struct strv names = {0};

	while (dp && (de = readdir(dp))) {
		char *link, target[PATH_MAX];
		ssize_t n;

		if (de->d_name[0] == '.' || strstr(de->d_name, "-part"))
			continue;
		link = xasprintf("%s/%s", dir, de->d_name);
		n = readlink(link, target, sizeof(target) - 1);
		free(link);
		if (n <= 0)
			continue;
		target[n] = '\0';
		if (streq(strrchr(target, '/') ? strrchr(target, '/') + 1 : target, d->name))
			strv_push(&names, de->d_name);
	}
	if (dp)
		closedir(dp);
	/* sorted, so that the profile does not depend on directory order */
	if (names.n)
		qsort(names.v, names.n, sizeof(char *),
		      (int (*)(const void *, const void *))strcmp);
	for (size_t i = 0; i < names.n; i++)
		strv_push(&d->by_id, names.v[i]);
	strv_free(&names);
	free(dir);
}

static int cmp_ptr_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *transport_of(const char *sys, const char *name)
{
	char *link = xasprintf("%s/block/%s", sys, name);
	char real[PATH_MAX];
	char *r = NULL;

	if (realpath(link, real)) {
		if (strstr(real, "/usb"))
			r = xstrdup("usb");
		else if (strstr(real, "/nvme"))
			r = xstrdup("nvme");
		else if (strstr(real, "/virtio"))
			r = xstrdup("virtio");
		else if (strstr(real, "/ata"))
			r = xstrdup("sata");
		else if (strstr(real, "/host"))
			r = xstrdup("scsi");
	}
	if (!r && startswith(name, "loop"))
		r = xstrdup("loop");
	free(link);
	return r;
}

/* The block device holding the installer's medium mount, from /proc/self/mounts. */
static char *medium_source(const struct probe_paths *pp)
{
	char *mounts = xasprintf("%s/self/mounts", pp->proc), *buf, *line, *save = NULL;
	char *r = NULL;

	if (read_file(mounts, &buf, NULL) < 0) {
		free(mounts);
		return NULL;
	}
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char src[256], dst[256];

		if (sscanf(line, "%255s %255s", src, dst) == 2 && streq(dst, pp->medium_mount) &&
		    startswith(src, "/dev/"))
			r = xstrdup(src);
	}
	free(buf);
	free(mounts);
	return r;
}

/* A device path names this disk or one of its partitions. */
static bool path_is_on_disk(const char *dev, const struct disk *d)
{
	size_t n = strlen(d->path);

	if (streq(dev, d->path))
		return true;
	if (strncmp(dev, d->path, n) != 0)
		return false;
	dev += n;
	if (*dev == 'p')
		dev++;
	return *dev && strspn(dev, "0123456789") == strlen(dev);
}

static void probe_one(struct machine *m, const struct probe_paths *pp, const char *name,
		      const char *medium_dev)
{
	char *size = sysattr(pp->sys, name, "size"), *v;
	struct disk *d;

	/* sysfs counts 512-byte sectors: a count past DISK_MAX is no disk Tenxen can plan for */
	if (!size || strtoull(size, NULL, 10) == 0 || strtoull(size, NULL, 10) > DISK_MAX / 512) {
		free(size);
		return;
	}
	d = xgrow(&m->disks, &m->ndisks, sizeof(*d));
	d->name = xstrdup(name);
	d->path = xasprintf("%s/%s", pp->dev, name);
	d->size = strtoull(size, NULL, 10) * 512; /* sysfs counts 512-byte sectors */
	free(size);
	v = sysattr(pp->sys, name, "queue/logical_block_size");
	d->lsec = v ? (unsigned)strtoul(v, NULL, 10) : 512;
	free(v);
	v = sysattr(pp->sys, name, "queue/physical_block_size");
	d->psec = v ? (unsigned)strtoul(v, NULL, 10) : d->lsec;
	free(v);
	d->model = sysattr(pp->sys, name, "device/model");
	d->vendor = sysattr(pp->sys, name, "device/vendor");
	d->serial = sysattr(pp->sys, name, "device/serial");
	if (!d->serial)
		d->serial = sysattr(pp->sys, name, "serial"); /* virtio */
	d->wwn = sysattr(pp->sys, name, "wwid");
	if (!d->wwn)
		d->wwn = sysattr(pp->sys, name, "device/wwid");
	d->rotational = sysflag(pp->sys, name, "queue/rotational");
	d->removable = sysflag(pp->sys, name, "removable");
	d->ro = sysflag(pp->sys, name, "ro");
	d->transport = transport_of(pp->sys, name);
	find_by_id(d, pp->dev);
	probe_disk_contents(d, d->path);
	if (medium_dev && path_is_on_disk(medium_dev, d))
		d->medium = true;
	for (size_t i = 0; i < d->nsigs; i++)
		if (streq(d->sigs[i].type, "iso9660") && startswith(d->sigs[i].label, "TENXEN"))
			d->medium = true;
}

void machine_probe_nics(struct machine *m, const struct probe_paths *pp)
{
	char *dir = xasprintf("%s/class/net", pp->sys);
	DIR *dp = opendir(dir);
	struct dirent *de;
	struct strv names = {0};

	/* cards only: a VLAN, bond or bridge (such as the installer's tenxen.vlan= interface,
	 * which has its card's MAC address) has no device behind it */
	while (dp && (de = readdir(dp))) {
		char *dev = xasprintf("%s/%s/device", dir, de->d_name);

		if (de->d_name[0] != '.' && !streq(de->d_name, "lo") && access(dev, F_OK) == 0)
			strv_push(&names, de->d_name);
		free(dev);
	}
	if (dp)
		closedir(dp);
	if (names.n)
		qsort(names.v, names.n, sizeof(char *), cmp_ptr_strings);
	for (size_t i = 0; i < names.n; i++) {
		char *p = xasprintf("%s/%s/address", dir, names.v[i]);
		struct nic *n = xgrow(&m->nics, &m->nnics, sizeof(*n));

		n->name = xstrdup(names.v[i]);
		n->mac = read_line_file(p);
		free(p);
	}
	strv_free(&names);
	free(dir);
}

const char *firmware_name(enum firmware f)
{
	return f == FIRMWARE_UEFI ? "uefi" : "bios";
}

/* UEFI when the kernel shows /sys/firmware/efi; Secure Boot from its efivar (4 bytes of
 * attributes, then 1 when on). */
static void probe_firmware(struct machine *m, const struct probe_paths *pp)
{
	char *efi = xasprintf("%s/firmware/efi", pp->sys);
	char *sb = xasprintf(
		"%s/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c", pp->sys);
	char *v = NULL;
	size_t len = 0;

	m->firmware = access(efi, F_OK) == 0 ? FIRMWARE_UEFI : FIRMWARE_BIOS;
	if (m->firmware == FIRMWARE_UEFI && read_file(sb, &v, &len) == 0 && len >= 5)
		m->secure_boot = v[4] == 1;
	free(v);
	free(efi);
	free(sb);
}

int machine_probe(const struct probe_paths *pp, struct tx_report *r, struct machine **out)
{
	struct machine *m = xzalloc(sizeof(*m));
	char *dir = xasprintf("%s/block", pp->sys), *medium;
	struct strv names = {0};
	DIR *dp = opendir(dir);
	struct dirent *de;
	char *meminfo, *buf;

	if (!dp) {
		int e = errno;

		tx_error(r, NULL, "cannot list the disks in %s: %s; is sysfs mounted?", dir,
			 strerror(e));
		free(dir);
		machine_free(m);
		return -e;
	}
	while ((de = readdir(dp)))
		if (de->d_name[0] != '.' && !skip_device(de->d_name))
			strv_push(&names, de->d_name);
	closedir(dp);
	if (names.n)
		qsort(names.v, names.n, sizeof(char *), cmp_ptr_strings);
	medium = pp->medium ? xstrdup(pp->medium) : medium_source(pp);
	for (size_t i = 0; i < names.n; i++) {
		char *path = xasprintf("%s/%s", pp->dev, names.v[i]);

		if (!pp->only || !pp->only->n || strv_contains(pp->only, path))
			probe_one(m, pp, names.v[i], medium);
		free(path);
	}
	if (pp->only) {
		for (size_t i = 0; i < pp->only->n; i++) {
			bool found = false;

			for (size_t j = 0; j < m->ndisks; j++)
				found |= streq(m->disks[j].path, pp->only->v[i]);
			if (!found)
				tx_error(r, NULL,
					 "%s is not a disk of this machine (none in %s, or empty)",
					 pp->only->v[i], dir);
		}
	}
	strv_free(&names);
	free(medium);
	free(dir);
	machine_probe_nics(m, pp);
	meminfo = xasprintf("%s/meminfo", pp->proc);
	if (read_file(meminfo, &buf, NULL) == 0) {
		char *p = strstr(buf, "MemTotal:");

		if (p)
			m->memory = strtoull(p + 9, NULL, 10) * KiB;
		free(buf);
	}
	free(meminfo);
	probe_firmware(m, pp);
	{
		/* what vendors leave in it when they set none is no serial */
		char *p = xasprintf("%s/class/dmi/id/product_serial", pp->sys);

		m->serial = read_line_file(p);
		if (m->serial && (!*m->serial || strcasestr(m->serial, "to be filled") ||
				  strcasecmp(m->serial, "none") == 0 ||
				  strcasecmp(m->serial, "default string") == 0)) {
			free(m->serial);
			m->serial = NULL;
		}
		free(p);
	}
	build_vgs(m);
	m->source = xstrdup("probe");
	*out = m;
	return 0;
}

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
	build_vgs(m);
	*out = m;
	return 0;
}
