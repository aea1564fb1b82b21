// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: bootcfg set with arbitrary KEY=VALUE bytes on a Xen host's config. No crash,
 * no leak; a value that is taken leaves a config that reads back clean, holds no control
 * character but its line ends, keeps the lines it does not own, and is the same when set twice.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootcfg/bootcfg.h"

static const char conf[] =
	"# a host's own comment\n"
	"SERIAL 0 115200\n"
	"DEFAULT xen\n"
	"TIMEOUT 50\n"
	"LABEL xen\n"
	"  MENU LABEL Xen\n"
	"  KERNEL mboot.c32\n"
	"  APPEND /xen.gz dom0_mem=1G --- /vmlinuz root=/dev/vg0/root --- /initrd.img\n"
	"LABEL linux\n"
	"  KERNEL /vmlinuz\n"
	"  APPEND root=/dev/vg0/root\n";

static struct tx_report quiet = {.ui = NULL};

/* The config after the assignment, or NULL when it was refused. Caller frees. */
static char *set(const char *text, const char *assignment)
{
	struct extconf *c = extconf_parse("f.conf", text, strlen(text), &quiet);
	char *out = NULL;

	if (c && bootcfg_set_assignment(c, assignment, &quiet) == 0)
		out = extconf_emit(c, NULL);
	extconf_free(c);
	return out;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *a = strndup((const char *)data, size), *once, *twice;
	struct extconf *back;

	once = set(conf, a);
	if (!once) {
		free(a);
		return 0;
	}
	for (const char *p = once; *p; p++)
		if (((unsigned char)*p < 0x20 && *p != '\n') || *p == 0x7f) {
			fprintf(stderr, "a control character reached the config:\n%s", once);
			abort();
		}
	if (!strstr(once, "# a host's own comment\n") || !strstr(once, "LABEL linux\n") ||
	    !strstr(once, "  APPEND root=/dev/vg0/root\n")) {
		fprintf(stderr, "a line Tenxen does not own changed:\n%s", once);
		abort();
	}
	back = extconf_parse("f.conf", once, strlen(once), &quiet);
	if (!back) {
		fprintf(stderr, "the config does not read back:\n%s", once);
		abort();
	}
	extconf_free(back);
	twice = set(once, a);
	if (!twice || strcmp(once, twice) != 0) {
		fprintf(stderr, "setting %s twice differs from once:\n%s\n---\n%s", a, once,
			twice ? twice : "(refused)");
		abort();
	}
	free(twice);
	free(once);
	free(a);
	return 0;
}
