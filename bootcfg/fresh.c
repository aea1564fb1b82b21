// SPDX-License-Identifier: GPL-2.0-or-later
#include "bootcfg/fresh.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Xen's options of a fresh host's entries, as one line. Caller frees. */
static char *xen_options(const struct fresh_config *f)
{
	struct strv xen = {0};
	char *line;

	strv_push_owned(&xen, xasprintf("dom0_mem=%s", f->dom0_mem));
	if (f->dom0_vcpus)
		strv_push_owned(&xen, xasprintf("dom0_max_vcpus=%s", f->dom0_vcpus));
	if (f->vpmu)
		strv_push_owned(&xen, xasprintf("vpmu=%s", f->vpmu));
	if (f->xen_append)
		strv_push(&xen, f->xen_append);
	line = strv_join(&xen, " ");
	strv_free(&xen);
	return line;
}

char *bootcfg_fresh(const struct fresh_config *f, struct tx_report *r)
{
	/* dom0's own options go on both Xen entries, not on the recovery entry without Xen */
	const char *d0 = f->dom0_append ? f->dom0_append : "", *sp = *d0 ? " " : "";
	char *xopts, *text, *out = NULL;
	struct extconf *c;

	xopts = xen_options(f);
	text = xasprintf(
		"# extlinux.conf of a Xen host, written by Tenxen. Change it with \"tenxen bootcfg\" and\n"
		"# \"tenxen serial-console\", which keep your own edits; each keeps the previous file\n"
		"# as extlinux.conf.tenxen-old.\n"
		"DEFAULT xen\n"
		"PROMPT 1\n"
		"TIMEOUT %d\n"
		"\n"
		"LABEL xen\n"
		"  MENU LABEL Xen with the Debian dom0\n"
		"  KERNEL mboot.c32\n"
		"  APPEND %s%s %s --- %s%s root=%s ro%s%s --- %s%s\n"
		"\n"
		"LABEL xen-safe\n"
		"  MENU LABEL Xen in safe mode (one CPU, no ACPI)\n"
		"  KERNEL mboot.c32\n"
		"  APPEND %s%s %s nosmp noreboot noirqbalance acpi=off noapic --- %s%s root=%s ro nomodeset%s%s --- %s%s\n"
		"\n"
		"LABEL linux\n"
		"  MENU LABEL Debian without Xen, for recovery\n"
		"  KERNEL %s%s\n"
		"  APPEND root=%s ro\n"
		"  INITRD %s%s\n",
		f->timeout * 10, f->prefix, f->xen, xopts, f->prefix, f->kernel, f->root_dev, sp,
		d0, f->prefix, f->initrd, f->prefix, f->xen, xopts, f->prefix, f->kernel,
		f->root_dev, sp, d0, f->prefix, f->initrd, f->prefix, f->kernel, f->root_dev,
		f->prefix, f->initrd);
	free(xopts);
	c = extconf_parse("extlinux.conf", text, strlen(text), r);
	free(text);
	if (!c)
		return NULL;
	if (!f->serial || bootcfg_set_serial(c, f->serial, r) == 0)
		out = extconf_emit(c, NULL);
	extconf_free(c);
	return out;
}

int bootcfg_newest(const char *bootdir, char **xen, char **kernel, char **initrd,
		   struct tx_report *r)
{
	*xen = bootcfg_newest_file(bootdir, "xen-", ".gz");
	*kernel = bootcfg_newest_file(bootdir, "vmlinuz-", "");
	*initrd = NULL;
	if (*kernel) {
		char *name = xasprintf("initrd.img-%s", *kernel + strlen("vmlinuz-"));
		char *p = xasprintf("%s/%s", bootdir, name);

		if (access(p, F_OK) == 0)
			*initrd = name;
		else
			free(name);
		free(p);
	}
	if (!*xen || !*kernel || !*initrd) {
		tx_error(
			r, NULL,
			"%s lacks %s; a Xen host's /boot holds xen-*.gz, vmlinuz-VERSION and initrd.img-VERSION",
			bootdir,
			!*xen	   ? "Xen (xen-*.gz)"
			: !*kernel ? "a kernel (vmlinuz-*)"
				   : "the kernel's initrd.img");
		free(*xen);
		free(*kernel);
		free(*initrd);
		*xen = *kernel = *initrd = NULL;
		return -ENOENT;
	}
	return 0;
}

char *xencfg_fresh(const struct fresh_config *f, struct tx_report *r)
{
	const char *d0 = f->dom0_append ? f->dom0_append : "", *sp = *d0 ? " " : "";
	char *xopts, *text, *out = NULL;
	struct xencfg *c;

	xopts = xen_options(f);
	text = xasprintf(
		"# xen.cfg of a Xen host, read by xen.efi beside it; written by Tenxen. Change it with\n"
		"# \"tenxen bootcfg\" and \"tenxen serial-console\", which keep your own edits and write\n"
		"# the same change to every EFI System Partition of the host.\n"
		"[global]\n"
		"default=xen\n"
		"\n"
		"[xen]\n"
		"options=%s\n"
		"kernel=%s root=%s ro%s%s\n"
		"ramdisk=%s\n"
		"\n"
		"[xen-safe]\n"
		"options=%s nosmp noreboot noirqbalance acpi=off noapic\n"
		"kernel=%s root=%s ro nomodeset%s%s\n"
		"ramdisk=%s\n",
		xopts, f->kernel, f->root_dev, sp, d0, f->initrd, xopts, f->kernel, f->root_dev, sp,
		d0, f->initrd);
	free(xopts);
	c = xencfg_parse("xen.cfg", text, strlen(text), r);
	free(text);
	if (!c)
		return NULL;
	if (!f->serial || xencfg_set_serial(c, f->serial, r) == 0)
		out = xencfg_emit(c, NULL);
	xencfg_free(c);
	return out;
}
