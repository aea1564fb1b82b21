/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fetching an answer file from where the kernel command line or --answers says it is: a URL
 * (http, https, tftp, file; through libcurl) or a local path.
 */
#ifndef TENXEN_FETCH_H
#define TENXEN_FETCH_H

#include <stdbool.h>
#include <stddef.h>

#include "common/report.h"

/* A URL tenxen fetches before reading it: "http://", "https://", "tftp://", "file://". */
bool fetch_is_url(const char *s);

/*
 * What url names, into *out (NUL-terminated, *len bytes; caller frees). Tries again for up to
 * timeout_s seconds when nothing answers, as a network that has just come up may not answer at
 * once; an answer of "no such file" is final. Returns 0, or a negative errno having said what
 * failed and what to check.
 */
int fetch_url(const char *url, unsigned timeout_s, char **out, size_t *len, struct tx_report *r);

struct strv;

/*
 * fetch_url with request headers ("Name: value" each, or NULL), and when missing_ok, an answer
 * of "no such file" (HTTP 404 or 410, TFTP's not found) returns -ENOENT without a message, for
 * a caller that tries several names in turn.
 */
int fetch_url_ex(const char *url, const struct strv *headers, bool missing_ok, unsigned timeout_s,
		 char **out, size_t *len, struct tx_report *r);

/* fetch_url for a file that is not an answer file: what ("the payload's manifest") names it in
 * messages. */
int fetch_named(const char *what, const char *url, unsigned timeout_s, char **out, size_t *len,
		struct tx_report *r);

#endif
