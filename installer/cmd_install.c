// SPDX-License-Identifier: GPL-2.0-or-later
/* tenxen install: plan, check, then apply; --dry-run stops after showing the plan. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../common/atomic.h"
#include "../common/util.h"
#include "../disk/inventory.h"
#include "answers.h"
#include "apply.h"
#include "commands.h"
#include "plan.h"
#include "target.h"

/* One line of wall times per phase: storage, unpack, configure, bootloader, packages, scripts. */
static void print_phases(const double *sec, double total)
{
	double storage = 0, scripts = sec[OP_SCRIPT_PRE] + sec[OP_SCRIPT_POST];

	for (int k = OP_WIPE; k <= OP_MOUNT; k++)
		storage += sec[k];
	printf("tenxen: phases: storage %.1f s, unpack %.1f s, configure %.1f s, bootloader %.1f s, packages %.1f s, scripts %.1f s, finish %.1f s, total %.1f s\n",
	       storage, sec[OP_UNPACK], sec[OP_FSTAB] + sec[OP_CONFIGURE], sec[OP_BOOTLOADER],
	       sec[OP_PACKAGES], scripts, sec[OP_FINISH], total);
}

int cmd_install(struct globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{"answers", required_argument, NULL, 'a'},
		{"storage-only", no_argument, NULL, 's'},
		{"target", required_argument, NULL, 't'},
		{"log", required_argument, NULL, 'l'},
		{"dry-run", no_argument, NULL, 'n'},
		{"machine", required_argument, NULL, 'm'},
		{"payload", required_argument, NULL, 'p'},
		{"finish-file", required_argument, NULL, 'f'},
		{"interactive", no_argument, NULL, 'i'},
		{"save-answers", required_argument, NULL, 'S'},
		{NULL, 0, NULL, 0},
	};
	double seconds[OP_FINISH + 1] = {0};
	struct apply_opts ao = {.target = "/target",
				.fault_after = getenv("TENXEN_FAULT_AFTER"),
				.payload = "/run/tenxen/medium/tenxen",
				.seconds = seconds};
	const char *answers = NULL, *log_path = NULL, *finish_file = NULL;
	bool dry_run = false, payload_given = false, interactive = false;
	const char *save_answers = NULL;
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
		case 'p':
			ao.payload = optarg;
			payload_given = true;
			break;
		case 'f':
			finish_file = optarg;
			break;
		case 'i':
			interactive = true;
			break;
		case 'S':
			save_answers = optarg;
			break;
		default:
			fputs("Usage: tenxen install --answers FILE|URL [--storage-only] [--target DIR] [--payload DIR] [--log FILE] [--finish-file FILE] [--dry-run]\n"
			      "       tenxen install --interactive [--save-answers FILE] [--dry-run] [--payload DIR] [--log FILE] [--finish-file FILE]\n",
			      stderr);
			return 2;
		}
	}
	if (optind < argc || (answers && interactive) || (!answers && !interactive)) {
		fputs(interactive
			      ? "tenxen: error: install takes --answers FILE or --interactive, not both\n"
			      : "tenxen: error: install needs its answer file (tenxen install --answers FILE) or --interactive for the installer's screens\n",
		      stderr);
		return 2;
	}
	if (save_answers && !interactive) {
		fputs("tenxen: error: --save-answers is for --interactive: an answer file is already one\n",
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
	if (interactive) {
		struct interactive_opts io = {.dry_run = dry_run,
					      .save_answers = save_answers,
					      .finish_file = finish_file};

		rc = install_interactive(g, &ao, &io);
		if (g->report->log)
			fclose(g->report->log);
		g->report->log = NULL;
		return rc;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = plan_from_answers(g, answers, &s, &m, &p);
	if (rc == 0 && !ao.storage_only && (!dry_run || payload_given)) {
		const struct target_ctx t = {.payload = ao.payload, .plan = p};

		rc = target_check_payload(&t, g->report);
	}
	if (rc < 0) {
		fprintf(stderr, "tenxen: the install was refused before any disk was touched\n");
	} else if (dry_run) {
		plan_print(p, m, stdout);
	} else {
		rc = apply_plan(p, m, s, &ao, g->report);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (rc == 0) {
			double total = (double)(t1.tv_sec - t0.tv_sec) +
				       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;

			print_phases(seconds, total);
			if (ao.storage_only)
				printf("tenxen: storage done in %.1f s; the target is mounted at %s\n",
				       total, ao.target);
			else
				printf("tenxen: install done in %.1f s; the host boots from its disks now\n",
				       total);
			if (finish_file) {
				char *text = xasprintf("%s\n", finish_name(s->finish));

				atomic_write_file(g->report, finish_file, text, strlen(text), 0644,
						  false);
				free(text);
			}
		}
	}
	if (g->report->log)
		fclose(g->report->log);
	g->report->log = NULL;
	plan_free(p);
	machine_free(m);
	spec_free(s);
	return rc == 0 ? 0 : 1;
}
