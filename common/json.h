/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The JSON Tenxen writes (machine profiles, plans): one form, built with json-c. */
#ifndef TENXEN_JSON_H
#define TENXEN_JSON_H

#include <json-c/json.h>

/* o[k] = v, when v is not NULL. */
void json_put_str(json_object *o, const char *k, const char *v);
/* root as pretty text with a final newline; root is released. Caller frees the text. */
char *json_finish(json_object *root);

#endif
