// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: LVM2's metadata text as a disk or a recorded machine may hold it
 * (storage/lvmmeta.c). Whatever the text, it is read or refused with a reason; a volume group
 * read has every volume's extents on its PVs, sorted, apart, and within each PV.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/lvmmeta.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct lvm_vg *vg = NULL;
	char *why = NULL;

	if (lvm_vg_parse((const char *)data, size, &vg, &why) < 0) {
		if (!why || !*why) {
			fprintf(stderr, "refused without a reason\n");
			abort();
		}
		free(why);
		return 0;
	}
	for (size_t i = 0; i < vg->nlvs; i++) {
		struct lvm_extent *e;
		size_t n;

		if (lvm_lv_extents(vg, &vg->lvs[i], &e, &n, &why) < 0) {
			free(why);
			continue;
		}
		for (size_t k = 0; k < n; k++) {
			const struct lvm_pv *pv = &vg->pvs[e[k].pv];

			if (e[k].start > pv->pe_count || e[k].count > pv->pe_count - e[k].start ||
			    (k && e[k - 1].pv == e[k].pv &&
			     e[k - 1].start + e[k - 1].count >= e[k].start)) {
				fprintf(stderr, "%s: a run outside its PV, or not apart\n",
					vg->lvs[i].name);
				abort();
			}
		}
		free(e);
	}
	lvm_vg_free(vg);
	return 0;
}
