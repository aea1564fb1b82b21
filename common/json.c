// SPDX-License-Identifier: GPL-2.0-or-later
#include "common/json.h"
#include "common/util.h"

void json_put_str(json_object *o, const char *k, const char *v)
{
	if (v)
		json_object_object_add(o, k, json_object_new_string(v));
}

char *json_finish(json_object *root)
{
	char *out =
		xasprintf("%s\n", json_object_to_json_string_ext(
					  root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
							JSON_C_TO_STRING_NOSLASHESCAPE));

	json_object_put(root);
	return out;
}
