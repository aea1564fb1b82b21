// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the extlinux.conf model and every edit on arbitrary bytes. No crash, no
 * leak, no undefined behaviour; an unmodified file emits byte for byte; and each edit applied
 * twice gives what it gave once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootcfg/bootcfg.h"

static struct tx_report quiet = {.ui = NULL};

static char *edit(const char *text, size_t len, int which)
{
	struct extconf *c = extconf_parse("f.conf", text, len, &quiet);
	struct serial_console s = {1, 57600};
	char *out = NULL;
	int rc = -1;

	if (!c)
		return NULL;
	switch (which) {
	case 0:
		rc = bootcfg_set_serial(c, &s, &quiet);
		break;
	case 1:
		rc = bootcfg_set_serial(c, NULL, &quiet);
		break;
	case 2:
		rc = bootcfg_set_dom0_mem(c, "2G,max:2G", &quiet);
		break;
	case 3:
		rc = bootcfg_set_xen_options(c, "loglvl=all", &quiet);
		break;
	}
	if (rc == 0)
		out = extconf_emit(c, NULL);
	extconf_free(c);
	return out;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const char *text = (const char *)data;
	struct extconf *c = extconf_parse("f.conf", text, size, &quiet);

	if (!c)
		return 0;
	{
		size_t len = 0;
		char *out = extconf_emit(c, &len);

		if (len != size || memcmp(out, data, size) != 0) {
			fprintf(stderr, "an unmodified file did not emit byte for byte\n");
			abort();
		}
		free(out);
	}
	extconf_free(c);
	for (int which = 0; which < 4; which++) {
		char *once = edit(text, size, which), *twice;

		if (!once)
			continue;
		twice = edit(once, strlen(once), which);
		if (!twice || strcmp(once, twice) != 0) {
			fprintf(stderr, "edit %d applied twice differs from once:\n%s\n---\n%s\n",
				which, once, twice ? twice : "(refused)");
			abort();
		}
		free(once);
		free(twice);
	}
	return 0;
}
