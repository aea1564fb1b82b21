// SPDX-License-Identifier: GPL-2.0-or-later
/* tenxen probe: this machine's disks, network cards and memory; optionally recorded. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/atomic.h"
#include "common/util.h"
#include "machine/machine.h"
#include "cli/commands.h"

static void print_table(const struct machine *m)
{
	char *mem = human_size(m->memory);

	printf("%-14s %10s  %-8s %-24s %-20s %s\n", "DISK", "SIZE", "BUS", "MODEL", "SERIAL",
	       "HOLDS");
	for (size_t i = 0; i < m->ndisks; i++) {
		const struct disk *d = &m->disks[i];
		char *sz = human_size_si(d->size), *what = disk_describe_contents(d);

		printf("%-14s %10s  %-8s %-24.24s %-20s %s%s%s\n", d->path, sz,
		       d->transport ? d->transport : "-", d->model ? d->model : "-",
		       d->serial ? d->serial : "-", what ? what : "nothing",
		       d->medium ? " [install medium]" : "", d->ro ? " [read-only]" : "");
		free(sz);
		free(what);
	}
	for (size_t i = 0; i < m->nvgs; i++) {
		const struct machine_vg *mv = &m->vgs[i];
		size_t missing = 0;

		if (!mv->vg) {
			printf("volume group %s: its volumes are not known: %s\n", mv->name,
			       mv->problem);
			continue;
		}
		for (size_t p = 0; p < mv->vg->npvs; p++)
			missing += mv->pv_disk[p] < 0;
		printf("volume group %s: %zu physical volume%s", mv->name, mv->vg->npvs,
		       mv->vg->npvs == 1 ? "" : "s");
		if (missing)
			printf(", %zu of them on no disk here", missing);
		printf("\n");
		for (size_t l = 0; l < mv->vg->nlvs; l++) {
			const struct lvm_lv *lv = &mv->vg->lvs[l];
			char *why = NULL, *where, *sz;

			if (!lv->visible)
				continue;
			where = machine_lv_where(m, mv, lv, &why);
			sz = human_size(lv->extents * mv->vg->extent_size);
			printf("  %-16s %10s  %-8s %s\n", lv->name, sz, lvm_lv_kind(lv),
			       where ? where : why);
			free(sz);
			free(where);
			free(why);
		}
	}
	printf("memory: %s; network cards:", m->memory ? mem : "unknown");
	for (size_t i = 0; i < m->nnics; i++)
		printf(" %s (%s)", m->nics[i].name, m->nics[i].mac ? m->nics[i].mac : "no MAC");
	printf("%s\n", m->nnics ? "" : " none");
	printf("firmware: %s\n", m->firmware == FIRMWARE_BIOS ? "BIOS (legacy boot)"
				 : m->secure_boot	      ? "UEFI, Secure Boot on"
							      : "UEFI, Secure Boot off");
	free(mem);
}

int cmd_probe(struct globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'j'},
		{"record", required_argument, NULL, 'r'},
		{"disk", required_argument, NULL, 'd'},
		{NULL, 0, NULL, 0},
	};
	const char *record = NULL;
	bool json = false;
	struct strv only = {0};
	struct probe_paths pp;
	struct machine *m = NULL;
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'r':
			record = optarg;
			break;
		case 'd':
			strv_push(&only, optarg);
			break;
		default:
			strv_free(&only);
			return cli_bad_option(g, argv);
		}
	}
	if (optind < argc) {
		strv_free(&only);
		return cli_usage_error(g, "probe takes no arguments; name disks with --disk %s",
				       argv[optind]);
	}
	probe_paths_default(&pp);
	pp.sys = g->sys;
	pp.dev = g->dev;
	pp.proc = g->proc;
	pp.medium = g->medium;
	pp.only = &only;
	if (g->machine)
		rc = machine_load(g->machine, g->report, &m);
	else
		rc = machine_probe(&pp, g->report, &m);
	strv_free(&only);
	if (rc < 0 || g->report->errors) {
		machine_free(m);
		return 1;
	}
	if (record) {
		char *j = machine_to_json(m);

		rc = atomic_write_file(g->report, record, j, strlen(j), 0644, true);
		free(j);
		if (rc == 0)
			fprintf(stderr, "tenxen: recorded %zu disk%s in %s\n", m->ndisks,
				m->ndisks == 1 ? "" : "s", record);
	}
	if (json) {
		char *j = machine_to_json(m);

		fputs(j, stdout);
		free(j);
	} else if (!record) {
		print_table(m);
	}
	machine_free(m);
	return rc < 0 ? 1 : 0;
}
