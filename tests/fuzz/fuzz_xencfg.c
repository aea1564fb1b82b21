// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the xen.cfg model and every edit on arbitrary bytes. No crash, no leak, no
 * undefined behaviour; an unmodified file emits byte for byte; each edit applied twice gives what
 * it gave once; and the text an edit gives reads back as a xen.cfg.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootcfg/xencfg.h"

static struct tx_report quiet = {.ui = NULL};

static char *edit(const char *text, size_t len, int which)
{
	static const char *const sets[] = {"dom0_mem=2G,max:2G", "vpmu=on",
					   "vpmu=off",		 "xen-append=loglvl=all iommu=1",
					   "default=xen",	 "dom0-append=iommu=pt quiet"};
	struct xencfg *c = xencfg_parse("f.cfg", text, len, &quiet);
	struct serial_console s = {1, 57600};
	char *out = NULL;
	int rc = -1;

	if (!c)
		return NULL;
	if (which == 0)
		rc = xencfg_set_serial(c, &s, &quiet);
	else if (which == 1)
		rc = xencfg_set_serial(c, NULL, &quiet);
	else if (which == 2)
		rc = xencfg_set_files(c, "vmlinuz-6.1.0-28-amd64", "initrd.img-6.1.0-28-amd64",
				      NULL, &quiet);
	else
		rc = xencfg_set_assignment(c, sets[which - 3], &quiet);
	if (rc == 0)
		out = xencfg_emit(c, NULL);
	xencfg_free(c);
	return out;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const char *text = (const char *)data;
	struct xencfg *c = xencfg_parse("f.cfg", text, size, &quiet);

	if (!c)
		return 0;
	{
		size_t len = 0;
		char *out = xencfg_emit(c, &len);

		if (len != size || memcmp(out, data, size) != 0) {
			fprintf(stderr, "an unmodified file did not emit byte for byte\n");
			abort();
		}
		free(out);
	}
	(void)xencfg_get_serial(c);
	xencfg_free(c);
	for (int which = 0; which < 9; which++) {
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
