// SPDX-License-Identifier: GPL-2.0-or-later
/* Reading what xentop and perf report print. */
#include "profiler/profile.h"
#include "common/util.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
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
		double rsect[2], wsect[2]; /* the first and the last seen */
		bool seen;
	} acc[64] = {{0}};
	size_t ndom = 0;
	int iteration = 0, col_name = -1, col_cpu = -1, col_rs = -1, col_ws = -1;

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
			col_cpu = col_rs = col_ws = -1;
			for (size_t i = 0; i < n; i++) {
				if (streq(w[i], "CPU(%)"))
					col_cpu = (int)i;
				else if (streq(w[i], "VBD_RSECT"))
					col_rs = (int)i;
				else if (streq(w[i], "VBD_WSECT"))
					col_ws = (int)i;
			}
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
			/* sectors of 512 bytes, counted since the domain started */
			if (col_rs >= 0 && col_ws >= 0 && (size_t)col_rs < n &&
			    (size_t)col_ws < n) {
				double rs = strtod(w[col_rs], NULL), ws = strtod(w[col_ws], NULL);

				if (!acc[i].seen) {
					acc[i].rsect[0] = rs;
					acc[i].wsect[0] = ws;
					acc[i].seen = true;
				}
				acc[i].rsect[1] = rs;
				acc[i].wsect[1] = ws;
			}
		}
	}
	free(copy);
	if (iteration == 0)
		return -EINVAL;
	for (size_t i = 0; i < ndom; i++) {
		out[i].percent = acc[i].n ? acc[i].sum / acc[i].n : acc[i].first;
		out[i].read_mib = acc[i].rsect[1] > acc[i].rsect[0]
					  ? (acc[i].rsect[1] - acc[i].rsect[0]) * 512 / MiB
					  : 0;
		out[i].written_mib = acc[i].wsect[1] > acc[i].wsect[0]
					     ? (acc[i].wsect[1] - acc[i].wsect[0]) * 512 / MiB
					     : 0;
	}
	return (int)ndom;
}

/* A line of perf report's table: its share into *pct, and what follows the '%'; NULL for a
 * comment, a blank line or anything else. */
static char *percent_line(char *l, double *pct)
{
	char *end;

	while (*l == ' ')
		l++;
	if (*l == '#' || !*l)
		return NULL;
	*pct = strtod(l, &end);
	return end != l && *end == '%' ? end + 1 : NULL;
}

int perf_report_parse(const char *text, struct perf_symbol *out, size_t max)
{
	char *copy = xstrdup(text), *next;
	size_t n = 0;

	for (char *l = copy; l && n < max; l = next) {
		char *p, *dso, *where, *sym;
		double pct;

		next = strchr(l, '\n');
		if (next)
			*next++ = '\0';
		p = percent_line(l, &pct);
		if (!p)
			continue;
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

int perf_comm_parse(const char *text, struct perf_comm *out, size_t max)
{
	char *copy = xstrdup(text), *next;
	size_t n = 0;

	for (char *l = copy; l && n < max; l = next) {
		char *comm;
		double pct;

		next = strchr(l, '\n');
		if (next)
			*next++ = '\0';
		comm = percent_line(l, &pct);
		if (!comm)
			continue;
		comm = strip(comm);
		if (!*comm)
			continue;
		out[n].percent = pct;
		snprintf(out[n].comm, sizeof(out[n].comm), "%s", comm);
		n++;
	}
	free(copy);
	return (int)n;
}

int blkback_domain(const char *comm, char *dev, size_t devlen)
{
	const char *p = comm;
	unsigned long id;
	char *end;
	size_t k;

	/* Linux names the thread "D.DEV-RING" (before 4.6, "blkback.D.DEV") */
	if (startswith(p, "blkback."))
		p += strlen("blkback.");
	if (*p < '0' || *p > '9')
		return -1;
	id = strtoul(p, &end, 10);
	if (*end != '.' || id > 0x7fff)
		return -1;
	p = end + 1;
	k = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789");
	if (k == 0 || p[0] < 'a' || p[0] > 'z')
		return -1;
	if (p[k] == '-' && p[k + 1] >= '0' && p[k + 1] <= '9')
		end = (char *)p + k + 1 + strspn(p + k + 1, "0123456789");
	else
		end = (char *)p + k;
	if (*end)
		return -1;
	if (dev)
		snprintf(dev, devlen, "%.*s", (int)k, p);
	return (int)id;
}

int xl_list_parse(const char *text, struct domain_name *out, size_t max)
{
	char *copy = xstrdup(text), *next;
	size_t n = 0;

	for (char *l = copy; l && n < max; l = next) {
		char *w[8], *end;
		size_t k;
		unsigned long id;

		next = strchr(l, '\n');
		if (next)
			*next++ = '\0';
		k = words(l, w, ARRAY_SIZE(w));
		if (k < 2 || streq(w[0], "Name"))
			continue;
		id = strtoul(w[1], &end, 10);
		if (*end || end == w[1] || id > 0x7fff)
			continue;
		out[n].id = (unsigned)id;
		snprintf(out[n].name, sizeof(out[n].name), "%s", w[0]);
		n++;
	}
	free(copy);
	return (int)n;
}
