/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Inside cli/: what tenxen bootcfg and serial-console share between extlinux.conf (BIOS,
 * cmd_bootcfg.c) and xen.cfg on every EFI system partition (UEFI, cmd_bootcfg_efi.c). */
#ifndef TENXEN_BOOTCFG_CLI_H
#define TENXEN_BOOTCFG_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "bootcfg/bootcfg.h"
#include "bootcfg/espedit.h"
#include "cli/commands.h"
#include "common/util.h"

/* esp_edit_run on the host under --root, its dry-run differences and (show) the config shown;
 * the result is the caller's to clear. */
int efi_run(struct globals *g, const struct esp_job *j, struct esp_result *res);
/* A unified diff of a change, by diff(1), on stdout. */
void cli_show_diff(const char *label, const char *a, size_t alen, const char *b, size_t blen);

#endif
