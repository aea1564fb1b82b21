// SPDX-License-Identifier: GPL-2.0-or-later
/* tenxen profile [--seconds N] [--output DIR]: record the whole host, then a report. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/rootfs.h"
#include "common/util.h"
#include "profiler/profile.h"
#include "cli/commands.h"

int cmd_profile(struct globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{"seconds", required_argument, NULL, 's'},
		{"output", required_argument, NULL, 'o'},
		{NULL, 0, NULL, 0},
	};
	struct profile_opts o = {
		.seconds = 10, .sys = g->sys, .proc = g->proc, .path = getenv("PATH")};
	char *dflt = NULL;
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': {
			char *end;
			long v = strtol(optarg, &end, 10);

			if (!*optarg || *end || v < 1 || v > 3600) {
				return cli_usage_error(
					g, "--seconds %s is not a number of seconds from 1 to 3600",
					optarg);
			}
			o.seconds = (unsigned)v;
			break;
		}
		case 'o':
			o.output = optarg;
			break;
		default:
			return cli_bad_option(g, argv);
		}
	}
	if (optind < argc)
		return cli_usage_error(g, "profile takes no argument %s; see tenxen profile --help",
				       argv[optind]);
	if (!o.output) {
		time_t now = time(NULL);
		char stamp[32];

		char *rel;

		strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", localtime(&now));
		/* under --root, resolved inside it: a planted link never leads the recording out */
		rel = xasprintf("/var/log/tenxen/profile-%s", stamp);
		dflt = root_path(g->root, rel);
		free(rel);
		if (!dflt) {
			tx_error(g->report, NULL, "cannot resolve /var/log/tenxen under %s: %s",
				 *g->root ? g->root : "/", strerror(errno));
			return 1;
		}
		o.output = dflt;
	}
	rc = profile_run(&o, g->report, stdout);
	free(dflt);
	return rc == 0 ? 0 : 1;
}
