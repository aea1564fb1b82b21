// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the payload's manifest as a web server sends it (net/payload.c). Whatever
 * the text, it is read or refused; every file read is a relative path inside the payload's folder
 * with no "." or ".." part, named once, and any size is a number the text gave.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/payload.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct tx_report r = {0};
	struct payload_remote p = {0};
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (payload_manifest_parse(&p, "http://fuzz/payload.sums", text, &r) == 0) {
		for (size_t i = 0; i < p.nfiles; i++) {
			const char *f = p.files[i].path;

			if (f[0] == '/' || !strcmp(f, "..") || !strncmp(f, "../", 3) ||
			    strstr(f, "/../") || strstr(f, "/./") || !strncmp(f, "./", 2)) {
				fprintf(stderr, "a path out of the folder: %s\n", f);
				abort();
			}
			for (size_t k = 0; k < i; k++)
				if (!strcmp(p.files[k].path, f)) {
					fprintf(stderr, "%s named twice\n", f);
					abort();
				}
		}
	}
	for (size_t i = 0; i < p.nfiles; i++)
		free(p.files[i].path);
	free(p.files);
	free(text);
	return 0;
}
