// SPDX-License-Identifier: GPL-2.0-or-later
/* Reading what xentop and perf report print. */
#include "profiler/profile.h"
#include "common/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Split a line into at most max whitespace-separated words, in place. */
static size_t words(char *line, char **w, size_t max)
{
	size_t n = 0;

	for (char *tok = strtok(line, " \t"); tok && n < max; tok = strtok(NULL, " \t"))
		w[n++] = tok;
	return n;
}

int xentop_parse(const char *text, struct domain_cpu *out, size_t max)
{
	char *copy = xstrdup(text), *next;
	struct {
		double sum, first;
		unsigned n;
	} acc[64] = {{0}};
	size_t ndom = 0;
	int iteration = 0, col_name = -1, col_cpu = -1;

	for (char *l = copy; l; l = next) {
		char *w[32];
		size_t n;

		next = strchr(l, '\n');
		if (next)
			*next++ = '\0';
		n = words(l, w, ARRAY_SIZE(w));
		if (n == 0)
			continue;
		if (streq(w[0], "NAME")) {
			iteration++;
			col_name = 0;
			col_cpu = -1;
			for (size_t i = 0; i < n; i++)
				if (streq(w[i], "CPU(%)"))
					col_cpu = (int)i;
			continue;
		}
		if (col_cpu < 0 || (size_t)col_cpu >= n)
			continue;
		{
			char *end;
			double pct = strtod(w[col_cpu], &end);
			size_t i;

			if (*end)
				continue;
			for (i = 0; i < ndom; i++)
				if (streq(out[i].name, w[col_name]))
					break;
			if (i == ndom) {
				if (ndom == max || ndom == ARRAY_SIZE(acc))
					continue;
				snprintf(out[ndom].name, sizeof(out[ndom].name), "%s", w[col_name]);
				ndom++;
			}
			/* the first iteration covers no interval (its figures are zero): it
			 * counts only when there is no other */
			if (iteration == 1) {
				acc[i].first = pct;
			} else {
				acc[i].sum += pct;
				acc[i].n++;
			}
		}
	}
	free(copy);
	if (iteration == 0)
		return -EINVAL;
	for (size_t i = 0; i < ndom; i++)
		out[i].percent = acc[i].n ? acc[i].sum / acc[i].n : acc[i].first;
	return (int)ndom;
}

int perf_report_parse(const char *text, struct perf_symbol *out, size_t max)
{
	char *copy = xstrdup(text), *next;
	size_t n = 0;

	for (char *l = copy; l && n < max; l = next) {
		char *end, *p = l, *dso, *where, *sym;
		double pct;

		next = strchr(l, '\n');
		if (next)
			*next++ = '\0';
		while (*p == ' ')
			p++;
		if (*p == '#' || !*p)
			continue;
		pct = strtod(p, &end);
		if (end == p || *end != '%')
			continue;
		p = end + 1;
		dso = strtok(p, " \t");
		where = strtok(NULL, " \t");
		sym = strtok(NULL, "");
		if (!dso || !where || !sym)
			continue;
		while (*sym == ' ')
			sym++;
		out[n].percent = pct;
		snprintf(out[n].dso, sizeof(out[n].dso), "%s", dso);
		snprintf(out[n].where, sizeof(out[n].where), "%s", where);
		snprintf(out[n].name, sizeof(out[n].name), "%s", strip(sym));
		n++;
	}
	free(copy);
	return (int)n;
}
