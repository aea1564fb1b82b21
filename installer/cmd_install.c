// SPDX-License-Identifier: GPL-2.0-or-later
/* tenxen install: plan, check, then apply; --dry-run stops after showing the plan. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../common/util.h"
#include "../disk/inventory.h"
#include "answers.h"
#include "apply.h"
#include "commands.h"
#include "plan.h"

int cmd_install(struct globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{"answers", required_argument, NULL, 'a'},
		{"storage-only", no_argument, NULL, 's'},
		{"target", required_argument, NULL, 't'},
		{"log", required_argument, NULL, 'l'},
		{"dry-run", no_argument, NULL, 'n'},
		{"machine", required_argument, NULL, 'm'},
		{NULL, 0, NULL, 0},
	};
	struct apply_opts ao = {.target = "/target", .fault_after = getenv("TENXEN_FAULT_AFTER")};
	const char *answers = NULL, *log_path = NULL;
	bool dry_run = false;
	struct spec *s = NULL;
	struct machine *m = NULL;
	struct plan *p = NULL;
	struct timespec t0, t1;
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			answers = optarg;
			break;
		case 's':
			ao.storage_only = true;
			break;
		case 't':
			ao.target = optarg;
			break;
		case 'l':
			log_path = optarg;
			break;
		case 'n':
			dry_run = true;
			break;
		case 'm':
			g->machine = optarg;
			break;
		default:
			fputs("Usage: tenxen install --answers FILE [--storage-only] [--target DIR] [--log FILE] [--dry-run]\n",
			      stderr);
			return 2;
		}
	}
	if (!answers || optind < argc) {
		fputs("tenxen: error: install needs its answer file: tenxen install --answers FILE\n",
		      stderr);
		return 2;
	}
	if (g->machine && !dry_run) {
		fputs("tenxen: error: --machine describes a recorded machine, which cannot be installed onto; add --dry-run\n",
		      stderr);
		return 2;
	}
	if (log_path) {
		g->report->log =
			fopen(log_path, "ae"); /* close-on-exec: not inherited by lvm, mdadm... */
		if (!g->report->log) {
			fprintf(stderr, "tenxen: error: cannot open the log %s: %s\n", log_path,
				strerror(errno));
			return 1;
		}
		ao.log_path = log_path;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = plan_from_answers(g, answers, &s, &m, &p);
	if (rc < 0) {
		fprintf(stderr, "tenxen: the install was refused before any disk was touched\n");
	} else if (dry_run) {
		plan_print(p, m, stdout);
	} else {
		rc = apply_plan(p, m, s, &ao, g->report);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (rc == 0)
			printf("tenxen: %s done in %.1f s; the target is mounted at %s\n",
			       ao.storage_only ? "storage" : "install",
			       (double)(t1.tv_sec - t0.tv_sec) +
				       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
			       ao.target);
	}
	if (g->report->log)
		fclose(g->report->log);
	g->report->log = NULL;
	plan_free(p);
	machine_free(m);
	spec_free(s);
	return rc == 0 ? 0 : 1;
}
