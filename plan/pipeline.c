// SPDX-License-Identifier: GPL-2.0-or-later
/* From answers to a plan: the one path both frontends and every verb take. */
#include "plan/pipeline.h"

#include <errno.h>
#include <stdlib.h>

#include "lang/answers.h"
#include "net/fetch.h"

void pipeline_init(struct pipeline *pl)
{
	*pl = (struct pipeline){
		.zoneinfo = "/usr/share/zoneinfo", .target = "/target", .fetch_timeout = 30};
	probe_paths_default(&pl->probe);
}

int pipeline_machine(const struct pipeline *pl, struct machine **out)
{
	if (pl->machine)
		return machine_load(pl->machine, pl->report, out);
	return machine_probe(&pl->probe, pl->report, out);
}

static int read_answers(const struct pipeline *pl, const char *answers, unsigned flags,
			struct spec **s)
{
	char *buf = NULL;
	size_t len = 0;
	int rc;

	if (!fetch_is_url(answers))
		return answers_parse_file(answers, flags, pl->report, s);
	rc = fetch_url(answers, pl->fetch_timeout, &buf, &len, pl->report);
	if (rc == 0)
		rc = answers_parse_buffer(answers, buf, len, flags, pl->report, s);
	free(buf);
	return rc;
}

/* %pre first, then the file again with what %pre wrote, as kickstart does. */
static int read_after_pre(const struct pipeline *pl, const char *answers, struct spec **s)
{
	struct tx_loc loc = (*s)->waits[0].loc;
	int rc;

	if (!pl->run_pre) {
		tx_error(
			pl->report, &loc,
			"%%include %s does not exist yet, and only the install runs the %%pre script that is to write it; write the file and plan again, or install",
			(*s)->waits[0].path);
		return -EAGAIN;
	}
	tx_info(pl->report, &loc,
		"%%include %s waits for %%pre: running the %%pre scripts, then reading the file again",
		(*s)->waits[0].path);
	rc = pl->run_pre(*s, pl->pre_ctx, pl->report);
	spec_free(*s);
	*s = NULL;
	if (rc == 0)
		rc = read_answers(pl, answers, ANSWERS_PRE_DONE, s);
	if (*s)
		(*s)->pre_done = true;
	return rc;
}

int pipeline_plan(const struct pipeline *pl, const char *answers, struct spec **s,
		  struct machine **m, struct plan **p)
{
	const struct plan_opts po = {.answers = answers, .target = pl->target};
	int rc = read_answers(pl, answers, 0, s);

	if (*s && rc == 0 && (*s)->nwaits)
		rc = read_after_pre(pl, answers, s);
	if (*s && rc == 0)
		rc = spec_validate(*s, pl->report);
	if (rc == 0)
		rc = spec_check_timezone(*s, pl->zoneinfo, pl->report);
	if (rc == 0)
		rc = pipeline_machine(pl, m);
	if (rc == 0)
		rc = plan_build(*s, *m, &po, pl->report, p);
	return rc;
}
