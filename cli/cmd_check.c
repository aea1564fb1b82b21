// SPDX-License-Identifier: GPL-2.0-or-later
/* tenxen check: validate answer files, and with --machine, plan them against a machine. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/util.h"
#include "lang/spec_json.h"
#include "lang/writer.h"
#include "machine/machine.h"
#include "lang/answers.h"
#include "cli/commands.h"
#include "plan/pipeline.h"

enum check_output { CHECK_SAY, CHECK_CANONICAL, CHECK_JSON };

/* A reinstall checked against its machine: what it keeps, and what it writes on kept disks. */
static void say_reinstall(const char *file, const struct plan *p)
{
	for (size_t i = 0; i < p->nkept; i++) {
		char *sz = human_size(p->kept[i].size);

		printf("%s: keeps %s/%s (%s, %s): %s\n", file, p->kept[i].vg, p->kept[i].name, sz,
		       p->kept[i].kind, p->kept[i].where);
		free(sz);
	}
	for (size_t i = 0; i < p->nops; i++) {
		const struct op *o = &p->ops[i];
		char *t;

		if (!((o->kind == OP_WIPE && o->partno) || o->kind == OP_LVREUSE ||
		      o->kind == OP_CARRY))
			continue;
		t = plan_op_text(o);
		printf("%s: writes %s\n", file, t);
		free(t);
	}
}

static int check_one(struct globals *g, const char *file, struct machine *m,
		     enum check_output output, bool strict)
{
	struct tx_report *r = g->report;
	unsigned e0 = r->errors, w0 = r->warnings;
	struct spec *s = NULL;
	int rc = answers_parse_file(file, 0, r, &s);

	if (s) {
		spec_validate(s, r);
		spec_check_timezone(s, g->zoneinfo, r);
		if (s->nwaits && output != CHECK_SAY)
			tx_error(
				r, &s->waits[0].loc,
				"%%include %s waits for %%pre: the whole file can be written out once that file exists",
				s->waits[0].path);
		if (m && r->errors == e0 && !s->nwaits) {
			struct plan *p = NULL;

			const struct plan_opts po = {.answers = file};

			if (plan_build(s, m, &po, r, &p) == 0 && output == CHECK_SAY &&
			    spec_reinstall(s))
				say_reinstall(file, p);
			plan_free(p);
		}
		if (output == CHECK_CANONICAL && r->errors == e0)
			spec_write_canonical(s, stdout);
		if (output == CHECK_JSON && r->errors == e0) {
			char *j = spec_to_json(s);

			fputs(j, stdout);
			free(j);
		}
	}
	spec_free(s);
	if (rc == -EINVAL || rc == 0)
		rc = r->errors > e0 ? -EINVAL : 0;
	if (r->errors > e0)
		fprintf(stderr, "%s: %u error%s, %u warning%s\n", file, r->errors - e0,
			r->errors - e0 == 1 ? "" : "s", r->warnings - w0,
			r->warnings - w0 == 1 ? "" : "s");
	else if (strict && r->warnings > w0)
		fprintf(stderr, "%s: %u warning%s, which --strict counts as failure\n", file,
			r->warnings - w0, r->warnings - w0 == 1 ? "" : "s");
	else if (output == CHECK_SAY)
		printf("%s: ok%s\n", file, r->warnings > w0 ? " (with warnings)" : "");
	return rc;
}

int cmd_check(struct globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{"strict", no_argument, NULL, 's'},
		{"canonical", no_argument, NULL, 'c'},
		{"json", no_argument, NULL, 'j'},
		{"machine", required_argument, NULL, 'm'},
		{NULL, 0, NULL, 0},
	};
	enum check_output output = CHECK_SAY;
	bool strict = false, bad = false;
	struct machine *m = NULL;
	struct pipeline pl;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			strict = true;
			break;
		case 'c':
			output = CHECK_CANONICAL;
			break;
		case 'j':
			output = CHECK_JSON;
			break;
		case 'm':
			g->machine = optarg;
			break;
		default:
			return cli_bad_option(g, argv);
		}
	}
	if (optind >= argc)
		return cli_usage_error(g, "check needs an answer file: tenxen check FILE...");
	cli_pipeline(g, &pl);
	if (g->machine && pipeline_machine(&pl, &m) < 0)
		return 1;
	for (int i = optind; i < argc; i++)
		if (check_one(g, argv[i], m, output, strict) < 0)
			bad = true;
	machine_free(m);
	if (strict && g->report->warnings)
		bad = true;
	return bad ? 1 : 0;
}
