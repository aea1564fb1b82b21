// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: a guest's xl config as a host tree may hold it (guest/list.c), and what
 * guest delete makes of its disks (guest/delete.c). Whatever the text, the guest has a name, and
 * every disk read as a volume is "VG/LV" with two names lvm takes as names, never as options.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guest/guest.h"
#include "storage/lvm.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *text = malloc(size + 1);
	struct guest_info g = {0};

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	guest_info_read(text, "fuzz.cfg", &g);
	if (!g.name) {
		fprintf(stderr, "a guest with no name\n");
		abort();
	}
	for (size_t i = 0; i < g.disks.n; i++) {
		char *vl = guest_volume_of(g.disks.v[i]);
		const char *slash = vl ? strchr(vl, '/') : NULL;

		if (vl && (!slash || vl[0] == '-' || slash[1] == '-' || strchr(slash + 1, '/') ||
			   !lvm_name_ok(slash + 1))) {
			fprintf(stderr, "disk %s read as the volume %s\n", g.disks.v[i], vl);
			abort();
		}
		free(vl);
	}
	free(g.name);
	free(g.type);
	strv_free(&g.disks);
	free(text);
	return 0;
}
