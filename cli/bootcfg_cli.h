/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Inside cli/: what tenxen bootcfg and serial-console share between extlinux.conf (BIOS,
 * cmd_bootcfg.c) and xen.cfg on every EFI system partition (UEFI, cmd_bootcfg_efi.c). */
#ifndef TENXEN_BOOTCFG_CLI_H
#define TENXEN_BOOTCFG_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "bootcfg/bootcfg.h"
#include "cli/commands.h"
#include "common/util.h"

enum efi_job_kind { EJ_SHOW, EJ_SERIAL, EJ_SET, EJ_REFRESH };

struct efi_job {
	enum efi_job_kind kind;
	const struct serial_console *serial; /* EJ_SERIAL: the console, NULL to remove it */
	int nset;			     /* EJ_SET: the KEY=VALUE words */
	char **set;
	bool dry_run;
	const char *config; /* one xen.cfg given with --config; NULL: every ESP of --root */
};

struct efi_result {
	bool changed;		      /* a config differs (or would) */
	struct serial_console before; /* the serial console the config set before the run */
	struct strv said;	      /* what was done, a sentence each (caller frees) */
};

/* Run a job; 0, -ENOENT when the host has no ESP with a config (not reported: the caller
 * says what it looked for), or another negative errno (reported). */
int efi_run(struct globals *g, const struct efi_job *j, struct efi_result *res);
/* A unified diff of a change, by diff(1), on stdout. */
void cli_show_diff(const char *label, const char *a, size_t alen, const char *b, size_t blen);

#endif
