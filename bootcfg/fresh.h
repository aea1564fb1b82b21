/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The boot config of a freshly installed Xen host: extlinux.conf (BIOS) or xen.cfg (UEFI). */
#ifndef TENXEN_FRESH_H
#define TENXEN_FRESH_H

#include "bootcfg/bootcfg.h"
#include "bootcfg/xencfg.h"

struct fresh_config {
	const char *xen, *kernel, *initrd; /* file names in /boot */
	const char *prefix;	 /* how the config reaches /boot's files: "/" when /boot is
					    * a filesystem of its own */
	const char *dom0_mem;	 /* Xen's form */
	const char *dom0_vcpus;	 /* "4" or "2-4", or NULL */
	const char *vpmu;	 /* Xen's vpmu= (on, bts, ipc, arch), or NULL for off */
	const char *xen_append;	 /* more Xen options, or NULL */
	const char *dom0_append; /* more options for dom0's kernel, or NULL */
	const char *root_dev;	 /* "/dev/mapper/vg0-root" */
	const struct serial_console *serial; /* NULL for VGA only */
	int timeout;			     /* seconds */
};

/*
 * The whole config: a Xen entry (the default), a safe-mode Xen entry, and a plain Linux entry
 * without Xen for recovery; with the serial console set as bootcfg_set_serial() sets it, so that
 * a later edit of it changes nothing. Caller frees.
 */
char *bootcfg_fresh(const struct fresh_config *f, struct tx_report *r);

/*
 * The xen.cfg of a fresh UEFI host: [xen] (the default) and [xen-safe]; kernel and initrd are
 * names in the .efi file's folder on the ESP (prefix and xen are not used). Caller frees.
 */
char *xencfg_fresh(const struct fresh_config *f, struct tx_report *r);

/* The newest Xen, kernel and its initrd in bootdir (caller frees each); 0 or -ENOENT. */
int bootcfg_newest(const char *bootdir, char **xen, char **kernel, char **initrd,
		   struct tx_report *r);

#endif
