// SPDX-License-Identifier: GPL-2.0-or-later
/* The bootloader of the installed host: its extlinux.conf, extlinux and boot code. */
#include "apply/target.h"
#include "storage/image.h"
#include "bootcfg/fresh.h"
#include "guest/guest.h"
#include "bootcfg/host.h"
#include "bootcfg/install.h"
#include "common/atomic.h"
#include "common/run.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

/* A fresh host's boot config from its answers and the newest Xen and kernel in boot:
 * extlinux.conf, or on UEFI xen.cfg. Caller frees. */
static char *fresh_text(const struct spec *s, const char *boot, const char *prefix,
			const char *dom0_mem, bool uefi, struct tx_report *r)
{
	char *xen = NULL, *kernel = NULL, *initrd = NULL, *vcpus = NULL, *root_dev = NULL;
	const struct spec_logvol *root = spec_root_lv(s);
	struct serial_console sc = {.port = s->console.port, .speed = s->console.speed};
	char *text = NULL;

	if (bootcfg_newest(boot, &xen, &kernel, &initrd, r) < 0)
		return NULL;
	if (s->xen.vcpus_min)
		vcpus = xasprintf("%d-%d", s->xen.vcpus_min, s->xen.vcpus_max);
	else if (s->xen.vcpus_max)
		vcpus = xasprintf("%d", s->xen.vcpus_max);
	root_dev = xasprintf("/dev/mapper/%s-%s", root->vg, root->name);
	{
		const struct fresh_config f = {
			.xen = xen,
			.kernel = kernel,
			.initrd = initrd,
			.prefix = prefix,
			.dom0_mem = dom0_mem,
			.dom0_vcpus = vcpus,
			.vpmu = s->xen.vpmu,
			.xen_append = s->xen.append,
			.dom0_append = s->xen.dom0_append,
			.root_dev = root_dev,
			.serial = s->console.kind == CONSOLE_SERIAL ? &sc : NULL,
			.timeout = s->bootloader.timeout,
		};

		text = uefi ? xencfg_fresh(&f, r) : bootcfg_fresh(&f, r);
	}
	free(xen);
	free(kernel);
	free(initrd);
	free(vcpus);
	free(root_dev);
	return text;
}

char *target_extlinux_text(const struct spec *s, const char *boot, const char *prefix,
			   const char *dom0_mem, struct tx_report *r)
{
	return fresh_text(s, boot, prefix, dom0_mem, false, r);
}

char *target_xencfg_text(const struct spec *s, const char *boot, const char *dom0_mem,
			 struct tx_report *r)
{
	return fresh_text(s, boot, "", dom0_mem, true, r);
}

static int write_extlinux_conf(const struct target_ctx *t, const struct op *op, struct tx_report *r)
{
	char *boot = xasprintf("%s/boot", t->target), *text;
	bool own_boot = false; /* /boot is a filesystem of its own when the plan makes one */
	int rc;

	for (size_t i = 0; i < t->plan->nops; i++)
		own_boot |= t->plan->ops[i].kind == OP_MKFS &&
			    streq(t->plan->ops[i].mountpoint, "/boot");
	text = target_extlinux_text(t->spec, boot, own_boot ? "/" : "/boot/", t->plan->dom0_mem, r);
	rc = text ? target_put_path(op->path, text, 0644, r) : -EINVAL;
	free(boot);
	free(text);
	return rc;
}

int target_bootloader(const struct target_ctx *t, const struct op *op, struct tx_report *r)
{
	struct syslinux_files f;
	struct boot_disk d = {.disk = op->device, .partno = op->partno};
	char *boot, *mbr, *mods;
	bool first = true;
	int rc;

	if (op->boot == BOOT_CONFIG)
		return write_extlinux_conf(t, op, r);
	/* extlinux from the installer, its boot code and modules from the installed system, so
	 * that a later `tenxen bootcfg install` on the host writes the same files */
	syslinux_files_default(&f);
	f.mbr_dir = mbr = xasprintf("%s/usr/lib/syslinux/mbr", t->target);
	f.modules_dir = mods = xasprintf("%s/usr/lib/syslinux/modules/bios", t->target);
	boot = xasprintf("%s/boot", t->target);
	/* one /boot for every boot disk (RAID1 when there are more): extlinux goes into it once,
	 * with the first disk; the others get their boot code */
	for (const struct op *o = t->plan->ops; o < op; o++)
		if (o->kind == OP_BOOTLOADER && o->boot == BOOT_INSTALL)
			first = false;
	if (first)
		rc = bootloader_install(boot, &d, 1, &f, r);
	else
		rc = bootloader_install_disks(&d, 1, &f, r);
	free(boot);
	free(mbr);
	free(mods);
	return rc;
}
