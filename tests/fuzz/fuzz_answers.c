// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the answer-file reader, the meaning checks and the canonical writer on
 * arbitrary bytes. No crash, no leak, no undefined behaviour; and whatever reads clean must write
 * back to text that reads clean again.
 */
#include <stdio.h>
#include <stdlib.h>

#include "lang/answers.h"
#include "lang/writer.h"

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
		spec_free(again);
		free(text);
	}
	spec_free(s);
	return 0;
}
