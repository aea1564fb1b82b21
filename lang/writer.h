/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Writing answer files: words, options and whole specs, in the form the reader reads back. */
#ifndef TENXEN_WRITER_H
#define TENXEN_WRITER_H

#include <stdint.h>
#include <stdio.h>

#include "lang/spec.h"

/* A word, quoted ('...') when it holds anything the reader would split, strip or take as a
 * comment or a block. */
void ks_word(FILE *out, const char *w);
/* " --name=value", quoted as one word; nothing when value is NULL. */
void ks_opt(FILE *out, const char *name, const char *value);
/* " --name=a,b,c"; nothing for an empty list. */
void ks_list(FILE *out, const char *name, const struct strv *sv);
/* " --name=20G": a size in the largest unit that writes it whole. */
void ks_size_opt(FILE *out, const char *name, uint64_t bytes);

/* The spec as an answer file that reads back to the same spec: every default written out. */
void spec_write_canonical(const struct spec *s, FILE *out);

#endif
