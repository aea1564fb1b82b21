// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The bootloader of a UEFI host: on every boot disk's EFI System Partition, xen.efi from the
 * installed xen-hypervisor package as \EFI\BOOT\BOOTX64.EFI (the path firmware boots with no
 * boot entry), its xen.cfg as BOOTX64.cfg, the dom0 kernel and initrd; and a firmware boot entry
 * per disk when the installer runs under UEFI.
 */
#include "apply/target.h"
#include "bootcfg/esp.h"
#include "common/rootfs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The xen.cfg of the first ESP (the plan's config operation). */
static int write_xencfg(const struct target_ctx *t, const struct op *op, struct tx_report *r)
{
	char *boot = xasprintf("%s/boot", t->target);
	char *text = target_xencfg_text(op->entry, boot, r);
	int rc = text ? target_put_path(op->path, text, 0644, r) : -EINVAL;

	free(boot);
	free(text);
	return rc;
}

/* The firmware's entry number of the line "Boot0003* LABEL", or false. */
static bool entry_of(const char *line, const char *label, char num[5])
{
	size_t n = strlen(label);

	return sscanf(line, "Boot%4[0-9A-Fa-f]", num) == 1 && strlen(line) > 10 &&
	       strncmp(line + 10, label, n) == 0 && (line[10 + n] == '\0' || line[10 + n] == '\t');
}

/* BootOrder with Tenxen's entries first, in the order of the answer file's boot disks (each new
 * entry went to the front), the others after them as they were. */
static void boot_order(const struct target_ctx *t, struct tx_report *r)
{
	const char *list[] = {"efibootmgr", NULL};
	char *out = NULL, *save = NULL, *order = NULL;
	struct strv lines = {0}, ours = {0}, rest = {0}, was = {0};

	if (run_quiet(r, list, &out) < 0) {
		free(out);
		return;
	}
	for (char *l = strtok_r(out, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		if (startswith(l, "BootOrder: "))
			strv_split(&was, l + strlen("BootOrder: "), ',');
		strv_push(&lines, l);
	}
	for (size_t i = 0; i < t->plan->nops; i++) {
		const struct op *o = &t->plan->ops[i];
		char *label, num[5];

		if (o->kind != OP_BOOTLOADER || o->boot != BOOT_INSTALL || !o->name)
			continue;
		label = xasprintf("Tenxen (%s)", o->name);

		for (size_t k = 0; k < lines.n; k++)
			if (entry_of(lines.v[k], label, num) && !strv_contains(&ours, num))
				strv_push(&ours, num);
		free(label);
	}
	for (size_t i = 0; i < was.n; i++)
		if (!strv_contains(&ours, was.v[i]))
			strv_push(&rest, was.v[i]);
	for (size_t i = 0; i < rest.n; i++)
		strv_push(&ours, rest.v[i]);
	order = strv_join(&ours, ",");
	if (*order) {
		const char *set[] = {"efibootmgr", "-q", "-o", order, NULL};

		run_quiet(r, set, NULL);
	}
	free(order);
	free(out);
	strv_free(&lines);
	strv_free(&ours);
	strv_free(&rest);
	strv_free(&was);
}

/* Replace the firmware's entries called label by one booting the disk's ESP. */
static void boot_entry(const struct target_ctx *t, const struct op *op, const char *label,
		       struct tx_report *r)
{
	const char *list[] = {"efibootmgr", NULL};
	char *out = NULL, *save = NULL, part[16];
	char *efivars = xasprintf("%s/firmware/efi/efivars", t->sys ? t->sys : "/sys");
	bool uefi = access(efivars, F_OK) == 0;

	free(efivars);
	if (!uefi) {
		tx_info(r, NULL,
			"the installer did not boot with UEFI, so %s gets no firmware boot entry; it boots by the removable-media path \\EFI\\BOOT\\BOOTX64.EFI",
			op->device);
		return;
	}
	if (run_quiet(r, list, &out) == 0) {
		for (char *l = strtok_r(out, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
			char num[5];

			/* "Boot0003* Tenxen (a)	HD(...)": the label ends at a tab, or the line */
			if (entry_of(l, label, num)) {
				const char *del[] = {"efibootmgr", "-q", "-b", num, "-B", NULL};

				run_quiet(r, del, NULL);
			}
		}
	}
	free(out);
	snprintf(part, sizeof(part), "%d", op->partno);
	{
		const char *add[] = {"efibootmgr",
				     "-q",
				     "-c",
				     "-d",
				     op->device,
				     "-p",
				     part,
				     "-L",
				     label,
				     "-l",
				     "\\EFI\\BOOT\\BOOTX64.EFI",
				     NULL};

		if (run_cmd(r, add, NULL) < 0)
			tx_warn(r, NULL,
				"efibootmgr could not add a boot entry for %s; the disk still boots by the removable-media path \\EFI\\BOOT\\BOOTX64.EFI",
				op->device);
		else
			boot_order(t, r);
	}
}

int target_efi_loader(const struct target_ctx *t, const struct op *op, struct tx_report *r)
{
	struct esp e = {.mount = op->mountpoint};
	char *kernel = NULL, *initrd = NULL, *first = NULL, *text = NULL, *label;
	struct strv done = {0};
	size_t len;
	int rc;

	if (op->boot == BOOT_CONFIG)
		return write_xencfg(t, op, r);
	e.dir = xasprintf("%s/%s", op->path, ESP_DIR);
	e.cfg = xasprintf("%s/%s", e.dir, ESP_CONFIG);
	rc = mkdir_p(e.dir);
	if (rc < 0)
		tx_error(r, NULL, "cannot create %s: %s", e.dir, strerror(-rc));
	if (rc == 0)
		rc = esp_sync_files(t->target, &e, false, &kernel, &initrd, &done, r);
	if (rc == 0 && access(e.cfg, F_OK) != 0) {
		/* every ESP holds the same config as the first */
		first = xasprintf("%s/boot/efi/%s/%s", t->target, ESP_DIR, ESP_CONFIG);
		rc = read_text_file(first, &text, &len);
		if (rc < 0)
			tx_error(r, NULL, "cannot read %s: %s", first, read_error(rc));
		else
			rc = target_put_path(e.cfg, text, 0644, r);
	}
	if (rc == 0) {
		for (size_t i = 0; i < done.n; i++)
			tx_info(r, NULL, "%s", done.v[i]);
		label = xasprintf("Tenxen (%s)", op->name ? op->name : op->device);
		boot_entry(t, op, label, r);
		free(label);
	}
	strv_free(&done);
	free(kernel);
	free(initrd);
	free(first);
	free(text);
	free(e.dir);
	free(e.cfg);
	return rc;
}
