// SPDX-License-Identifier: GPL-2.0-or-later
/* From answers to a plan: the one path both frontends and every verb take. */
#include "plan/pipeline.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

#include "lang/answers.h"
#include "lang/fields.h"
#include "net/fetch.h"

/* %include by URL: the answer file's own fetch, with the default wait */
static int include_reader(const char *url, char **out, size_t *len, struct tx_report *r)
{
	return fetch_url(url, 30, out, len, r);
}

void pipeline_init(struct pipeline *pl)
{
	*pl = (struct pipeline){
		.zoneinfo = "/usr/share/zoneinfo", .target = "/target", .fetch_timeout = 30};
	probe_paths_default(&pl->probe);
	answers_set_url_reader(include_reader);
}

int pipeline_machine(const struct pipeline *pl, struct machine **out)
{
	if (pl->machine)
		return machine_load(pl->machine, pl->report, out);
	return machine_probe(&pl->probe, pl->report, out);
}

/* A card's MAC as the machine says it, used in a URL and a header only when it is one. */
static bool mac_ok(const struct nic *n)
{
	return n->mac && field_mac(n->mac);
}

/* A value a header may carry: printable ASCII, no CR or LF that would start another header,
 * and short. The machine's serial number (DMI) and cards' names are read from the hardware. */
static bool header_value_ok(const char *s)
{
	size_t n = 0;

	for (; s && *s; s++, n++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return false;
	return s && n > 0 && n <= 128;
}

/* A folder URL's candidates for this machine, in order, each with why it is tried. */
static void host_candidates(const char *folder, const struct machine *m, struct strv *urls,
			    struct strv *whys)
{
	for (size_t i = 0; i < m->nnics; i++) {
		char *name;

		if (!mac_ok(&m->nics[i]))
			continue;
		name = xstrdup(m->nics[i].mac);
		for (char *q = name; *q; q++)
			*q = *q == ':' ? '-' : (char)tolower((unsigned char)*q);
		strv_push_owned(urls, xasprintf("%s%s.ks", folder, name));
		strv_push_owned(whys, xasprintf("the MAC address of card %s", m->nics[i].name));
		free(name);
	}
	if (m->serial) {
		char *name = xstrdup(m->serial);

		/* a serial number as a file name: letters, digits, '-' and '.' kept, others '_' */
		for (char *q = name; *q; q++)
			if (!isalnum((unsigned char)*q) && *q != '-' && *q != '.')
				*q = '_';
		strv_push_owned(urls, xasprintf("%s%s.ks", folder, name));
		strv_push(whys, "the machine's serial number");
		free(name);
	}
	strv_push_owned(urls, xasprintf("%sdefault.ks", folder));
	strv_push(whys, "no file for this machine's cards or serial number");
}

/*
 * A folder URL (ending in /): the file of this machine, by the MAC address of each card
 * (52-54-00-12-34-56.ks), its serial number, then default.ks. Each request says who asks, in
 * Tenxen's headers and in those anaconda sends, so that a server can make the file. Sets *url
 * to the one read (caller frees).
 */
static int fetch_host_answers(const struct pipeline *pl, const char *folder,
			      const struct machine *m, char **url, char **buf, size_t *len)
{
	struct strv urls = {0}, whys = {0}, headers = {0};
	int rc = -ENOENT;
	size_t i;

	host_candidates(folder, m, &urls, &whys);
	for (i = 0; i < m->nnics; i++) {
		if (!mac_ok(&m->nics[i]) || !header_value_ok(m->nics[i].name))
			continue;
		strv_push_owned(&headers, xasprintf("X-Tenxen-MAC-%zu: %s %s", i, m->nics[i].name,
						    m->nics[i].mac));
		strv_push_owned(&headers, xasprintf("X-RHN-Provisioning-MAC-%zu: %s %s", i,
						    m->nics[i].name, m->nics[i].mac));
	}
	if (m->serial && header_value_ok(m->serial))
		strv_push_owned(&headers, xasprintf("X-Tenxen-Serial: %s", m->serial));
	for (i = 0; i < urls.n && rc == -ENOENT; i++)
		rc = fetch_url_ex(urls.v[i], &headers, true, pl->fetch_timeout, buf, len,
				  pl->report);
	if (rc == 0) {
		*url = xstrdup(urls.v[i - 1]);
		tx_info(pl->report, NULL, "the answer file is %s (%s)", *url, whys.v[i - 1]);
	} else if (rc == -ENOENT) {
		char *list = strv_join(&urls, ", ");

		tx_error(
			pl->report, NULL,
			"no answer file for this machine under %s: tried %s; add a file named after a card's MAC address (as 52-54-00-12-34-56.ks), or default.ks",
			folder, list);
		free(list);
	}
	strv_free(&urls);
	strv_free(&whys);
	strv_free(&headers);
	return rc;
}

static int read_answers(const struct pipeline *pl, const char *answers, unsigned flags,
			const struct machine *m, struct spec **s)
{
	char *buf = NULL, *url = NULL;
	size_t len = 0;
	int rc;

	if (!fetch_is_url(answers))
		return answers_parse_file(answers, flags, pl->report, s);
	if (endswith(answers, "/") && m)
		rc = fetch_host_answers(pl, answers, m, &url, &buf, &len);
	else
		rc = fetch_url(answers, pl->fetch_timeout, &buf, &len, pl->report);
	if (rc == 0)
		rc = answers_parse_buffer(url ? url : answers, buf, len, flags, pl->report, s);
	free(buf);
	free(url);
	return rc;
}

/* %pre first, then the file again with what %pre wrote, as kickstart does. */
static int read_after_pre(const struct pipeline *pl, const char *answers, const struct machine *m,
			  struct spec **s)
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
		rc = read_answers(pl, answers, ANSWERS_PRE_DONE, m, s);
	if (*s)
		(*s)->pre_done = true;
	return rc;
}

int pipeline_plan(const struct pipeline *pl, const char *answers, struct spec **s,
		  struct machine **m, struct plan **p)
{
	const struct plan_opts po = {
		.answers = answers, .target = pl->target, .release = pl->release};
	int rc = 0;

	*m = NULL;
	/* a folder of answer files: the machine first, as its cards and serial choose the file */
	if (fetch_is_url(answers) && endswith(answers, "/"))
		rc = pipeline_machine(pl, m);
	if (rc == 0)
		rc = read_answers(pl, answers, 0, *m, s);
	if (*s && rc == 0 && (*s)->nwaits)
		rc = read_after_pre(pl, answers, *m, s);
	if (*s && rc == 0)
		rc = spec_validate(*s, pl->report);
	if (rc == 0)
		rc = spec_check_timezone(*s, pl->zoneinfo, pl->report);
	if (rc == 0 && !*m)
		rc = pipeline_machine(pl, m);
	if (rc == 0)
		rc = plan_build(*s, *m, &po, pl->report, p);
	return rc;
}
