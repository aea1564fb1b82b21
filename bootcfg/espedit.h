/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tenxen bootcfg and serial-console on a UEFI host: one edit (show, the serial console, set,
 * refresh) on the xen.cfg of every EFI System Partition of the host under root, the first
 * present one edited and its result written to every other (a blank one, mounted, is filled
 * by refresh); or on the one xen.cfg that config names.
 *
 * Ownership: the result's fields are the caller's, freed with esp_result_clear().
 */
#ifndef TENXEN_ESPEDIT_H
#define TENXEN_ESPEDIT_H

#include <stdbool.h>

#include "bootcfg/esp.h"
#include "bootcfg/lines.h"

enum esp_job_kind { EJ_SHOW, EJ_SERIAL, EJ_SET, EJ_REFRESH };

struct esp_job {
	enum esp_job_kind kind;
	const struct serial_console *serial; /* EJ_SERIAL: the console, NULL to remove it */
	int nset;			     /* EJ_SET: the KEY=VALUE words */
	char **set;
	bool dry_run;
	const char *root;   /* the host's root ("" for /) */
	const char *config; /* one xen.cfg; NULL: every ESP of root */
};

/* A change a dry run would make: the file as the host sees it, its text and the new one. */
struct cfg_diff {
	char *shown, *old, *text;
};

struct esp_result {
	bool changed;		      /* a config differs (or would) */
	struct serial_console before; /* the serial console the config set before the run */
	struct strv said;	      /* what was done, a sentence each */
	struct cfg_diff *diffs;	      /* a dry run's changes, in order */
	size_t ndiffs;
	/* EJ_SHOW: the config as read (the first present ESP's, or config's), its name, and the
	 * host's ESPs (none with config) */
	struct xencfg *config;
	char *shown;
	struct esp *esps;
	int nesps;
};

/* Run a job; 0, -ENOENT when the host has no ESP with a config (not reported: the caller says
 * what it looked for), or another negative errno (reported). */
int esp_edit_run(const struct esp_job *j, struct esp_result *res, struct tx_report *r);
void esp_result_clear(struct esp_result *res);

#endif
