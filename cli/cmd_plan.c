// SPDX-License-Identifier: GPL-2.0-or-later
/* tenxen plan: the complete, ordered operations of an install, touching nothing. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/util.h"
#include "machine/machine.h"
#include "cli/commands.h"
#include "plan/pipeline.h"

int cmd_plan(struct globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{"answers", required_argument, NULL, 'a'},
		{"machine", required_argument, NULL, 'm'},
		{"json", no_argument, NULL, 'j'},
		{NULL, 0, NULL, 0},
	};
	const char *answers = NULL;
	bool json = false;
	struct machine *m = NULL;
	struct spec *s = NULL;
	struct plan *p = NULL;
	struct pipeline pl;
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			answers = optarg;
			break;
		case 'm':
			g->machine = optarg;
			break;
		case 'j':
			json = true;
			break;
		default:
			return cli_bad_option(g, argv);
		}
	}
	if (!answers || optind < argc)
		return cli_usage_error(g, "plan needs its answer file: tenxen plan --answers FILE");
	cli_pipeline(g, &pl);
	rc = pipeline_plan(&pl, answers, &s, &m, &p);
	if (rc == 0) {
		if (json) {
			char *j = plan_to_json(p, m);

			fputs(j, stdout);
			free(j);
		} else {
			plan_print(p, m, stdout);
		}
	} else {
		fprintf(stderr, "tenxen: the plan was refused; nothing was written to any disk\n");
	}
	plan_free(p);
	machine_free(m);
	spec_free(s);
	return rc == 0 ? 0 : 1;
}
