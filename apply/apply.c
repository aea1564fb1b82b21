// SPDX-License-Identifier: GPL-2.0-or-later
#include "apply/apply.h"
#include "apply/target.h"
#include "common/atomic.h"
#include "common/mounts.h"
#include "common/run.h"
#include "storage/partition.h"
#include "storage/wipe.h"
#include "storage/lvm.h"

#include <blkid.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <time.h>
#include <unistd.h>

/*
 * Before the disks are wiped: let go of whatever an earlier, failed run left in use on them
 * (mounts under the staging root, swap, its volume groups, its md array), so that the same
 * install can run again.
 */
static void release_disks(const struct plan *p, const struct apply_opts *ao, struct tx_report *r)
{
	const struct machine *m = p->machine;
	struct strv under = {0};
	char *block = xasprintf("%s/block", ao->sys);

	mounts_under(ao->proc, p->target, &under);
	for (size_t i = under.n; i-- > 0;) /* deepest first */
		if (umount2(under.v[i], 0) == 0)
			tx_info(r, NULL, "unmounted %s, left by an earlier run", under.v[i]);
	strv_free(&under);
	for (size_t i = 0; i < p->nops; i++) {
		const struct op *o = &p->ops[i];

		if ((o->kind == OP_LVCREATE || o->kind == OP_LVREUSE) && o->fstype &&
		    streq(o->fstype, "swap"))
			swapoff(o->device);
	}
	for (size_t j = 0; j < p->ndisks; j++) {
		const struct disk *d = &m->disks[p->disks[j].disk];

		if (p->disks[j].fate != FATE_ERASED)
			continue;
		for (size_t k = 0; k < d->nsigs; k++)
			if (d->sigs[k].vg && lvm_vg_deactivate(r, d->sigs[k].vg) == 0)
				tx_info(r, NULL, "deactivated volume group %s on %s", d->sigs[k].vg,
					d->path);
	}
	/* md arrays built on the erased disks */
	{
		DIR *dp = opendir(block);
		struct dirent *de;

		while (dp && (de = readdir(dp))) {
			char *slaves;
			DIR *sp;
			struct dirent *se;
			bool ours = false;

			if (!startswith(de->d_name, "md"))
				continue;
			slaves = xasprintf("%s/%s/slaves", block, de->d_name);
			sp = opendir(slaves);
			while (sp && (se = readdir(sp)))
				for (size_t j = 0; j < p->ndisks; j++)
					if ((p->disks[j].fate == FATE_ERASED ||
					     p->disks[j].fate == FATE_KEPT) &&
					    startswith(se->d_name, m->disks[p->disks[j].disk].name))
						ours = true;
			if (sp)
				closedir(sp);
			if (ours) {
				char *dev = xasprintf("/dev/%s", de->d_name);
				const char *argv[] = {"mdadm", "--stop", dev, NULL};

				if (run_quiet(r, argv, NULL) == 0)
					tx_info(r, NULL,
						"stopped md array %s, left by an earlier run", dev);
				free(dev);
			}
			free(slaves);
		}
		if (dp)
			closedir(dp);
	}
	free(block);
}

static int do_partition(const struct plan *p, size_t label_op, struct tx_report *r)
{
	const struct op *lo = &p->ops[label_op];
	struct part_layout parts[3];
	bool md = false;
	int n = 0, rc;

	for (size_t i = 0; i < p->nops; i++)
		md |= p->ops[i].kind == OP_MD;
	for (size_t i = label_op + 1; i < p->nops && p->ops[i].kind == OP_PARTITION && n < 3; i++) {
		if (p->ops[i].disk != lo->disk)
			break;
		parts[n].partno = p->ops[i].partno;
		parts[n].role = p->ops[i].role;
		parts[n].start = p->ops[i].start;
		parts[n].length = p->ops[i].length;
		n++;
	}
	rc = disk_partition(r, lo->device, lo->label, parts, n, md);
	/* nothing from before survives where the new partitions begin and end */
	for (int i = 0; i < n && rc == 0; i++) {
		uint64_t edge = parts[i].length < 2 * MiB ? parts[i].length : MiB;

		rc = disk_zero(r, lo->device, parts[i].start, edge);
		if (rc == 0 && parts[i].length > 2 * MiB)
			rc = disk_zero(r, lo->device, parts[i].start + parts[i].length - MiB, MiB);
	}
	return rc;
}

static int do_md(const struct op *o, struct tx_report *r)
{
	const char *argv[16];
	char *count = xasprintf("--raid-devices=%zu", o->members.n);
	size_t n = 0;
	int rc;

	argv[n++] = "mdadm";
	argv[n++] = "--create";
	argv[n++] = o->device;
	argv[n++] = "--run";
	argv[n++] = "--metadata=1.0";
	argv[n++] = "--level=1";
	argv[n++] = count;
	argv[n++] = "--name=boot";
	for (size_t i = 0; i < o->members.n && n < ARRAY_SIZE(argv) - 1; i++)
		argv[n++] = o->members.v[i];
	argv[n] = NULL;
	rc = run_cmd(r, argv, NULL);
	free(count);
	return rc;
}

static int do_mkfs(const struct op *o, struct tx_report *r)
{
	const char *label = streq(o->mountpoint, "/") ? "root"
			    : o->mountpoint[0] == '/' ? strrchr(o->mountpoint, '/') + 1
						      : o->mountpoint;

	if (streq(o->fstype, "swap")) {
		const char *argv[] = {"mkswap", "-L", "swap", o->device, NULL};

		return run_cmd(r, argv, NULL);
	}
	if (streq(o->fstype, "xfs")) {
		const char *argv[] = {"mkfs.xfs", "-f", "-q", "-L", label, o->device, NULL};

		return run_cmd(r, argv, NULL);
	}
	if (streq(o->fstype, "vfat")) {
		/* an EFI System Partition: FAT32, as UEFI requires of a disk's ESP */
		const char *argv[] = {"mkfs.vfat", "-F", "32", "-n", "ESP", o->device, NULL};

		return run_cmd(r, argv, NULL);
	}
	{
		/* lazy inode tables: the time mkfs takes does not grow with the disk */
		const char *argv[] = {"mke2fs",	 "-t", o->fstype,
				      "-F",	 "-q", "-L",
				      label,	 "-E", "lazy_itable_init=1,lazy_journal_init=1",
				      o->device, NULL};

		return run_cmd(r, argv, NULL);
	}
}

static int do_mount(const struct op *o, struct tx_report *r)
{
	int rc = mkdir_p(o->path);

	if (rc == 0 && mount(o->device, o->path, o->fstype, 0, NULL) < 0)
		rc = -errno;
	if (rc < 0)
		tx_error(r, NULL, "cannot mount %s on %s: %s", o->device, o->path, strerror(-rc));
	return rc;
}

static char *uuid_of(const char *dev)
{
	blkid_probe pr = blkid_new_probe_from_filename(dev);
	const char *v = NULL;
	char *u = NULL;

	if (!pr)
		return NULL;
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_UUID);
	if (blkid_do_safeprobe(pr) == 0 && blkid_probe_lookup_value(pr, "UUID", &v, NULL) == 0)
		u = xstrdup(v);
	blkid_free_probe(pr);
	return u;
}

/* fstab as the plan has it, each entry's device given as the UUID its filesystem now has. */
static int do_fstab(const struct op *fstab, struct tx_report *r)
{
	struct strv lines = {0};
	char *path = xstrdup(fstab->path), *dir = dir_of(fstab->path), *text;
	int rc = 0;

	strv_push(&lines,
		  "# /etc/fstab of a Xen host, written by Tenxen: every filesystem by UUID");
	for (size_t i = 0; i < fstab->members.n && rc == 0; i++) {
		const char *e = fstab->members.v[i], *rest = strchr(e, ' ');
		char *dev = xstrndup(e, (size_t)(rest - e)), *uuid = uuid_of(dev);

		if (!uuid) {
			tx_error(r, NULL, "%s has no UUID after mkfs; cannot write fstab", dev);
			rc = -EIO;
		} else {
			strv_push_owned(&lines, xasprintf("UUID=%s%s", uuid, rest));
		}
		free(uuid);
		free(dev);
	}
	if (rc == 0) {
		char *body = strv_join(&lines, "\n");

		text = xasprintf("%s\n", body);
		free(body);
		rc = mkdir_p(dir);
		if (rc == 0)
			rc = atomic_write_file(r, path, text, strlen(text), 0644, true);
		free(text);
	}
	strv_free(&lines);
	free(path);
	free(dir);
	return rc;
}

/* A script operation: %pre in the installer, %post inside the target (or in the installer with
 * --nochroot). A failure stops the install only with --erroronfail. */
static int do_script(const struct target_ctx *t, const struct op *op, struct tx_report *r)
{
	int rc = target_script(t, op->script, r);

	if (rc < 0 && !op->script->erroronfail) {
		tx_warn(r, NULL, "the script of %s failed; going on (add --erroronfail to stop)",
			op->script->from);
		rc = 0;
	}
	return rc;
}

/* The installed host assembles its arrays by name: their ARRAY lines in mdadm.conf. */
static int do_mdadm_conf(const struct plan *p, const char *target, struct tx_report *r)
{
	const char *argv[] = {"mdadm", "--detail", "--scan", NULL};
	char *out = NULL, *path, *text;
	bool any = false;
	int rc;

	for (size_t i = 0; i < p->nops; i++)
		any |= p->ops[i].kind == OP_MD;
	if (!any)
		return 0;
	rc = run_cmd(r, argv, &out);
	if (rc < 0) {
		free(out);
		return rc;
	}
	path = xasprintf("%s/etc/mdadm", target);
	mkdir_p(path);
	free(path);
	path = xasprintf("%s/etc/mdadm/mdadm.conf", target);
	text = xasprintf("# mdadm.conf of this Xen host, written by Tenxen; see mdadm.conf(5)\n"
			 "HOMEHOST <system>\nMAILADDR root\n%s",
			 out);
	rc = atomic_write_file(r, path, text, strlen(text), 0644, true);
	free(out);
	free(path);
	free(text);
	return rc;
}

void apply_opts_init(struct apply_opts *o)
{
	*o = (struct apply_opts){.payload = "/run/tenxen/medium/tenxen",
				 .sys = "/sys",
				 .proc = "/proc",
				 .tmp = "/tmp"};
}

/* One run of a plan: what its steps share. */
struct run {
	const struct plan *p;
	const struct apply_opts *o;
	struct tx_report *r;
	struct target_ctx t;
	bool released; /* what an earlier run left on the disks is let go */
};

/* One operation, by its kind. Returns 0 or -errno (reported). */
static int run_op(struct run *run, size_t i)
{
	const struct plan *p = run->p;
	const struct op *op = &p->ops[i];
	struct tx_report *r = run->r;

	switch (op->kind) {
	case OP_SCRIPT_PRE:
		return do_script(&run->t, op, r);
	case OP_WIPE:
		if (!run->released) {
			release_disks(p, run->o, r);
			run->released = true;
		}
		return disk_wipe(r, op->device);
	case OP_LABEL:
		return do_partition(p, i, r);
	case OP_PARTITION:
		return 0; /* written with its label */
	case OP_MD:
		return do_md(op, r);
	case OP_VGCREATE:
		return lvm_vgcreate(r, op->name, (const char *const *)op->members.v, op->pesize);
	case OP_VGUSE:
		return lvm_vg_activate(r, op->name);
	case OP_LVREUSE: {
		struct stat st;

		if (stat(op->device, &st) == 0 && S_ISBLK(st.st_mode))
			return 0;
		tx_error(r, NULL,
			 "%s is not there after activating %s; lvs shows what the group holds",
			 op->device, op->vg);
		return -ENOENT;
	}
	case OP_CARRY:
		return target_carry_save(&run->t, op, r);
	case OP_RESTORE:
		return target_carry_restore(&run->t, op, r);
	case OP_CARRY_DROP:
		return lvm_lvremove(r, op->vg, op->name);
	case OP_LVCREATE:
		return lvm_lvcreate(r, op->vg, op->name, op->lvtype, op->mirrors, op->mlog,
				    op->alloc_anywhere, op->extents);
	case OP_MKFS:
		if (!run->o->storage_only && streq(op->mountpoint, "/") &&
		    target_root_from_image(&run->t))
			return target_write_root(&run->t, op, r);
		return do_mkfs(op, r);
	case OP_MOUNT:
		return do_mount(op, r);
	case OP_FSTAB: {
		int rc = do_fstab(op, r);

		if (rc == 0 && !run->o->storage_only)
			rc = do_mdadm_conf(p, p->target, r);
		return rc;
	}
	case OP_UNPACK: {
		int rc = target_unpack(&run->t, r);

		return rc == 0 ? target_install_own(&run->t, r) : rc;
	}
	case OP_CONFIGURE:
		return target_configure(&run->t, op, r);
	case OP_BOOTLOADER:
		return run->t.plan->firmware == FIRMWARE_UEFI ? target_efi_loader(&run->t, op, r)
							      : target_bootloader(&run->t, op, r);
	case OP_PACKAGES:
		return target_packages(&run->t, op, r);
	case OP_SCRIPT_POST:
		return do_script(&run->t, op, r);
	case OP_FINISH: {
		int rc = target_keep_record(&run->t, run->o->log_path, run->o->events, r);

		return rc == 0 ? target_release(run->o->proc, p->target, r) : rc;
	}
	}
	tx_error(r, NULL, "this version of tenxen cannot do a %s step", op_kind_name(op->kind));
	return -ENOTSUP;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

int apply_plan(const struct plan *p, const struct apply_opts *o, struct tx_report *r)
{
	struct run run = {
		.p = p,
		.o = o,
		.r = r,
		.t = {.target = p->target,
		      .payload = o->payload,
		      .remote = o->remote,
		      .machine = p->machine,
		      .answers_copy = o->answers_copy,
		      .proc = o->proc,
		      .tmp = o->tmp,
		      .sys = o->sys,
		      .plan = p},
	};
	size_t last = p->nops;
	int rc = 0;

	if (o->storage_only)
		for (size_t i = 0; i < p->nops; i++)
			if (p->ops[i].kind == OP_FSTAB)
				last = i + 1;
	for (size_t i = 0; i < last && rc == 0; i++) {
		const struct op *op = &p->ops[i];
		char *text;
		struct timespec t0;
		double took;

		if (o->storage_only && op->kind == OP_UNPACK)
			continue;
		text = plan_op_text(op);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (r->ui && r->ui->progress)
			r->ui->progress(r->ui->data, (unsigned)i + 1, (unsigned)last, text);
		if (r->log)
			fprintf(r->log, "step %zu/%zu: %s %s\n", i + 1, last,
				op_kind_name(op->kind), text);
		rc = run_op(&run, i);
		took = seconds_since(&t0);
		if (o->seconds)
			o->seconds[op->kind] += took;
		if (r->log && rc >= 0)
			fprintf(r->log, "step %zu/%zu: done in %.2f s\n", i + 1, last, took);
		if (rc >= 0 && o->fault_after && streq(o->fault_after, op_kind_name(op->kind))) {
			tx_error(
				r, NULL,
				"a fault was injected after this step, as TENXEN_FAULT_AFTER=%s asks",
				o->fault_after);
			rc = -EIO;
		}
		if (rc < 0)
			tx_error(r, NULL, "the install stopped at step %zu (%s %s); the log is %s",
				 i + 1, op_kind_name(op->kind), text,
				 o->log_path ? o->log_path : "not kept");
		else
			rc = 0;
		free(text);
	}
	return rc;
}
