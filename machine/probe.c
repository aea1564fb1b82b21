// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Disks are discovered from /sys/block (blkid's cache lists only devices with a signature) and
 * each one is probed with libblkid: every superblock on the whole disk (stale ones too), then the
 * partition table and what each partition holds, probed at its offset inside the whole disk so
 * that no partition device nodes are needed. Network cards from /sys/class/net, the firmware from
 * /sys/firmware, memory from /proc/meminfo.
 */
#include "machine/machine.h"
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
	machine_build_vgs(m);
	m->source = xstrdup("probe");
	*out = m;
	return 0;
}
