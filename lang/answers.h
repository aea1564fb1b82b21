/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The answer-file language: kickstart-style line commands, %include, and %pre/%post/%packages
 * blocks. See docs/answer-file.md for the language itself.
 */
#ifndef TENXEN_ANSWERS_H
#define TENXEN_ANSWERS_H

#include <stddef.h>

#include "lang/spec.h"

enum {
	ANSWERS_NO_INCLUDE = 1 << 0, /* refuse %include (the fuzzer reads no files) */
	ANSWERS_PRE_DONE = 1 << 1,   /* the %pre scripts have run: every %include must exist */
};

/*
 * Read an answer file into a new spec (*out, caller frees with spec_free, set even when the file
 * has errors so that later checks can still run). Reports every problem found at FILE:LINE.
 * Returns 0, or -EINVAL when anything was reported as an error, or -errno when path is unreadable.
 */
int answers_parse_file(const char *path, unsigned flags, struct tx_report *r, struct spec **out);

/*
 * How %include reads a URL (http, https, tftp), and a relative name in a file read by URL: set
 * by the pipeline, which has the network. Without it, such an include is an error. The reader
 * returns 0 with *out (caller frees), or -errno having reported why.
 */
typedef int (*answers_url_reader)(const char *url, char **out, size_t *len, struct tx_report *r);
void answers_set_url_reader(answers_url_reader fn);
int answers_parse_buffer(const char *name, const char *buf, size_t len, unsigned flags,
			 struct tx_report *r, struct spec **out);

#endif
