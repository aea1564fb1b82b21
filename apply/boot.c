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

/* A fresh host's boot config from the plan's fields and the newest Xen and kernel in boot:
 * extlinux.conf, or on UEFI xen.cfg. Caller frees. */
static char *fresh_text(const struct op_boot *e, const char *boot, bool uefi, struct tx_report *r)
{
	char *xen = NULL, *kernel = NULL, *initrd = NULL, *text;
	struct serial_console sc = {.port = e->port, .speed = e->speed};
	const struct fresh_config f = {
		.prefix = uefi ? "" : e->prefix,
		.dom0_mem = e->dom0_mem,
		.dom0_vcpus = e->dom0_vcpus,
		.vpmu = e->vpmu,
		.xen_append = e->xen_append,
		.dom0_append = e->dom0_append,
		.root_dev = e->root_dev,
		.serial = e->serial ? &sc : NULL,
		.timeout = e->timeout,
	};
	struct fresh_config g = f;

	if (bootcfg_newest(boot, &xen, &kernel, &initrd, r) < 0)
		return NULL;
	g.xen = xen;
	g.kernel = kernel;
	g.initrd = initrd;
	text = uefi ? xencfg_fresh(&g, r) : bootcfg_fresh(&g, r);
	free(xen);
	free(kernel);
	free(initrd);
	return text;
}

char *target_extlinux_text(const struct op_boot *e, const char *boot, struct tx_report *r)
{
	return fresh_text(e, boot, false, r);
}

char *target_xencfg_text(const struct op_boot *e, const char *boot, struct tx_report *r)
{
	return fresh_text(e, boot, true, r);
}

static int write_extlinux_conf(const struct target_ctx *t, const struct op *op, struct tx_report *r)
{
	char *boot = xasprintf("%s/boot", t->target), *text;
	int rc;

	text = target_extlinux_text(op->entry, boot, r);
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
