// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * serial-console and bootcfg on a UEFI host: the edit itself is bootcfg/espedit.c's; this shows
 * what it found or would change.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bootcfg/espedit.h"
#include "common/util.h"
#include "cli/bootcfg_cli.h"

static void show(const struct esp_result *res)
{
	const struct esp *es = res->esps;
	int n = res->nesps;
	struct serial_console sc = xencfg_get_serial(res->config);
	int d = xencfg_default(res->config), *en;
	size_t ne = xencfg_entries(res->config, &en);

	printf("config:  %s (xen.cfg, read by xen.efi on UEFI)\n", res->shown);
	printf("default: %s\n", d >= 0 ? res->config->sections[d] : "(none)");
	if (sc.port >= 0)
		printf("serial:  ttyS%d at %u (Xen com%d)\n", sc.port, sc.speed, sc.port + 1);
	else
		printf("serial:  none\n");
	printf("entries:\n");
	for (size_t i = 0; i < ne; i++) {
		static const char *const keys[] = {"options", "kernel", "ramdisk"};

		printf("  %s\n", res->config->sections[en[i]]);
		for (size_t k = 0; k < ARRAY_SIZE(keys); k++) {
			ssize_t l = xencfg_find(res->config, en[i], keys[k]);

			printf("      %-9s %s\n", keys[k],
			       l >= 0 && *res->config->lines[l].value ? res->config->lines[l].value
								      : "(none)");
		}
	}
	free(en);
	if (n > 0) {
		printf("EFI system partitions:\n");
		for (int i = 0; i < n; i++)
			printf("  %-12s %s\n", es[i].mount,
			       es[i].present ? "holds the config"
					     : "no config (not mounted, or its disk is gone)");
	}
}

int efi_run(struct globals *g, const struct esp_job *job, struct esp_result *res)
{
	struct esp_job j = *job;
	int rc;

	j.root = g->root;
	rc = esp_edit_run(&j, res, g->report);
	for (size_t i = 0; i < res->ndiffs; i++) {
		const struct cfg_diff *d = &res->diffs[i];

		cli_show_diff(d->shown, d->old, strlen(d->old), d->text, strlen(d->text));
	}
	if (rc == 0 && j.kind == EJ_SHOW)
		show(res);
	return rc;
}
