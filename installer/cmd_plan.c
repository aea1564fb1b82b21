// SPDX-License-Identifier: GPL-2.0-or-later
/* tenxen plan: the complete, ordered operations of an install, touching nothing. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "../common/util.h"
#include "../disk/inventory.h"
#include "answers.h"
#include "fetch.h"
#include "commands.h"
#include "plan.h"

int plan_from_answers(struct globals *g, const char *answers, struct spec **s, struct machine **m,
		      struct plan **p)
{
	int rc;

	if (fetch_is_url(answers)) {
		char *buf = NULL;
		size_t len = 0;

		const char *wait = getenv("TENXEN_FETCH_TIMEOUT");

		rc = fetch_url(answers, wait ? (unsigned)atoi(wait) : 30, &buf, &len, g->report);
		if (rc == 0)
			rc = answers_parse_buffer(answers, buf, len, 0, g->report, s);
		free(buf);
	} else {
		rc = answers_parse_file(answers, 0, g->report, s);
	}

	if (*s && rc == 0)
		rc = spec_validate(*s, g->report);
	if (rc == 0)
		rc = spec_check_timezone(*s, g->zoneinfo, g->report);
	if (rc == 0)
		rc = load_machine(g, m);
	if (rc == 0)
		rc = plan_build(*s, *m, answers, g->report, p);
	return rc;
}

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
			fputs("Usage: tenxen plan --answers FILE [--machine FILE] [--json]\n",
			      stderr);
			return 2;
		}
	}
	if (!answers || optind < argc) {
		fputs("tenxen: error: plan needs its answer file: tenxen plan --answers FILE\n",
		      stderr);
		return 2;
	}
	rc = plan_from_answers(g, answers, &s, &m, &p);
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
