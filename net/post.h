/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Posting one JSON document to a URL (http or https, through libcurl): the install's progress
 * reports. Quick to give up, as a report must never hold an install up.
 */
#ifndef TENXEN_POST_H
#define TENXEN_POST_H

#include <stddef.h>

/*
 * POST body (application/json) to url, waiting at most 3 s to connect and 5 s in all. Returns 0,
 * or -EIO with what failed in err (errlen bytes, NUL-terminated). Reports nothing itself: the
 * caller decides whether and how often to say so.
 */
int post_json(const char *url, const char *body, char *err, size_t errlen);

#endif
