// SPDX-License-Identifier: GPL-2.0-or-later
/* Allocation that never fails (it aborts), strings, string vectors and "did you mean". */
#include "common/util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void oom(void)
{
	fputs("tenxen: out of memory\n", stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		oom();
	return p;
}

void *xzalloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);

	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *xgrow(void *arr_ptr, size_t *n, size_t sz)
{
	char **arr = arr_ptr;
	char *base = xrealloc(*arr, (*n + 1) * sz);

	memset(base + *n * sz, 0, sz);
	*arr = base;
	return base + (*n)++ * sz;
}

char *xstrdup(const char *s)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		oom();
	return d;
}

char *xstrndup(const char *s, size_t n)
{
	char *d = strndup(s, n);

	if (!d)
		oom();
	return d;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	char *s;

	if (vasprintf(&s, fmt, ap) < 0)
		oom();
	return s;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

bool streq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

bool startswith(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

bool endswith(const char *s, const char *suffix)
{
	size_t a, b;

	if (!s)
		return false;
	a = strlen(s);
	b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

char *strip(char *s)
{
	char *e;

	while (*s && isspace((unsigned char)*s))
		memmove(s, s + 1, strlen(s));
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* The slots a list of n strings has (with its NULL): the power of two at or above n + 1, so that
 * pushing grows the array by doubling, and a long list is built in linear time. */
static size_t strv_slots(size_t n)
{
	size_t s = 4;

	while (s < n + 1)
		s *= 2;
	return s;
}

void strv_push_owned(struct strv *sv, char *s)
{
	if (!sv->v || sv->n + 2 > strv_slots(sv->n))
		sv->v = xrealloc(sv->v, strv_slots(sv->n + 1) * sizeof(char *));
	sv->v[sv->n++] = s;
	sv->v[sv->n] = NULL;
}

void strv_push(struct strv *sv, const char *s)
{
	strv_push_owned(sv, xstrdup(s));
}

static int strv_index_cmp(const void *a, const void *b)
{
	const char *const *x = *(const char *const *const *)a, *const *y = *(
								       const char *const *const *)b;
	int c = strcmp(*x, *y);

	return c ? c : (x < y ? -1 : x > y);
}

void strv_dedupe(struct strv *sv)
{
	char ***byname = xmalloc((sv->n + 1) * sizeof(*byname));
	size_t k = 0;

	for (size_t i = 0; i < sv->n; i++)
		byname[i] = &sv->v[i];
	qsort(byname, sv->n, sizeof(*byname), strv_index_cmp);
	/* a name's later copies, by position, are dropped */
	for (size_t i = 1; i < sv->n; i++)
		if (streq(*byname[i], *byname[i - 1])) {
			free(*byname[i]);
			*byname[i] = NULL;
		}
	free(byname);
	for (size_t i = 0; i < sv->n; i++)
		if (sv->v[i])
			sv->v[k++] = sv->v[i];
	sv->n = k;
	if (sv->v)
		sv->v[k] = NULL;
}

bool strv_contains(const struct strv *sv, const char *s)
{
	for (size_t i = 0; i < sv->n; i++)
		if (streq(sv->v[i], s))
			return true;
	return false;
}

void strv_free(struct strv *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = 0;
}

void strv_copy(struct strv *dst, const struct strv *src)
{
	for (size_t i = 0; i < src->n; i++)
		strv_push(dst, src->v[i]);
}

void strv_split(struct strv *dst, const char *s, char sep)
{
	const char *p = s;

	for (;;) {
		const char *e = strchr(p, sep);

		if (!e) {
			strv_push(dst, p);
			return;
		}
		strv_push_owned(dst, xstrndup(p, (size_t)(e - p)));
		p = e + 1;
	}
}

char *strv_join(const struct strv *sv, const char *sep)
{
	size_t len = 1, sl = strlen(sep);
	char *out, *p;

	for (size_t i = 0; i < sv->n; i++)
		len += strlen(sv->v[i]) + sl;
	out = p = xmalloc(len);
	*p = '\0';
	for (size_t i = 0; i < sv->n; i++) {
		if (i)
			p = stpcpy(p, sep);
		p = stpcpy(p, sv->v[i]);
	}
	return out;
}

size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t *d = xzalloc((la + 1) * (lb + 1) * sizeof(size_t));
	size_t r;

#define D(i, j) d[(i) * (lb + 1) + (j)]
	for (size_t i = 0; i <= la; i++)
		D(i, 0) = i;
	for (size_t j = 0; j <= lb; j++)
		D(0, j) = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = tolower((unsigned char)a[i - 1]) !=
				      tolower((unsigned char)b[j - 1]);
			size_t best = D(i - 1, j) + 1;

			if (D(i, j - 1) + 1 < best)
				best = D(i, j - 1) + 1;
			if (D(i - 1, j - 1) + cost < best)
				best = D(i - 1, j - 1) + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    D(i - 2, j - 2) + 1 < best)
				best = D(i - 2, j - 2) + 1;
			D(i, j) = best;
		}
	}
	r = D(la, lb);
#undef D
	free(d);
	return r;
}

const char *did_you_mean(const char *word, const char *const *cands, size_t n)
{
	const char *best = NULL;
	size_t bestd = (size_t)-1;
	size_t limit = strlen(word) <= 4 ? 1 : strlen(word) <= 8 ? 2 : 3;

	for (size_t i = 0; i < n; i++) {
		size_t d = edit_distance(word, cands[i]);

		if (d < bestd) {
			bestd = d;
			best = cands[i];
		}
	}
	return bestd <= limit ? best : NULL;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void strv_sort(struct strv *sv)
{
	if (sv->n > 1)
		qsort(sv->v, sv->n, sizeof(*sv->v), cmp_str);
}
