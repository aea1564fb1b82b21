/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TENXEN_SPEC_JSON_H
#define TENXEN_SPEC_JSON_H

#include "lang/spec.h"

/* What a spec means, as JSON: every field, no places. Caller frees. */
char *spec_to_json(const struct spec *s);

#endif
