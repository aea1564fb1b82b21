// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the answer-file reader, the meaning checks and the canonical writer on
 * arbitrary bytes. No crash, no leak, no undefined behaviour; and whatever reads clean must write
 * back to text that reads clean again and means the same: the spec read back equals the first,
 * field by field (spec_to_json), so a writer that drops or bends a line is caught.
 */
#include <stdio.h>
#include <stdlib.h>

#include "lang/answers.h"
#include "lang/spec_json.h"
#include "lang/writer.h"
#include "common/util.h"

static void quiet(void *data, enum tx_level level, const struct tx_loc *loc, const char *text)
{
	(void)data;
	(void)level;
	(void)loc;
	(void)text;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct tx_ui ui = {quiet, NULL, NULL};
	struct tx_report r = {.ui = &ui};
	struct spec *s = NULL;
	char *text = NULL;
	size_t len = 0;

	answers_parse_buffer("fuzz.ks", (const char *)data, size, ANSWERS_NO_INCLUDE, &r, &s);
	if (s && spec_validate(s, &r) == 0 && r.errors == 0) {
		FILE *f = open_memstream(&text, &len);
		struct tx_report r2 = {.ui = &ui};
		struct spec *again = NULL;

		spec_write_canonical(s, f);
		fclose(f);
		answers_parse_buffer("canonical.ks", text, len, ANSWERS_NO_INCLUDE, &r2, &again);
		if (again)
			spec_validate(again, &r2);
		if (r2.errors) {
			fprintf(stderr, "canonical text does not read back:\n%s", text);
			abort();
		}
		{
			char *j1 = spec_to_json(s), *j2 = spec_to_json(again);

			if (!streq(j1, j2)) {
				fprintf(stderr, "canonical text means something else:\n%s\n%s\n%s",
					text, j1, j2);
				abort();
			}
			free(j1);
			free(j2);
		}
		spec_free(again);
		free(text);
	}
	spec_free(s);
	return 0;
}
