/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Xen's options that Tenxen writes: dom0 memory, in the answer file and on the boot line. */
#ifndef TENXEN_XENOPTS_H
#define TENXEN_XENOPTS_H

#include <stdbool.h>
#include <stdint.h>

struct dom0_mem {
	bool is_auto;		   /* computed from the host's memory */
	uint64_t amount, min, max; /* bytes; 0 unset */
};

/*
 * Parse "auto" or Xen's form [min:SIZE,][max:SIZE,][SIZE] (in any order). A unit is required,
 * since Xen reads a bare number as KiB. Returns 0, or -EINVAL with *why set to a sentence
 * (caller frees).
 */
int dom0_mem_parse(const char *v, struct dom0_mem *m, char **why);
/* As the answer file writes it: "auto", "2G,max:2G". Caller frees. */
char *dom0_mem_word(const struct dom0_mem *m);
/*
 * As Xen's dom0_mem= reads it ("2048M,max:2048M"). For auto: 1 GiB plus 5% of ram, at most 8 GiB,
 * fixed; on a machine with less than that, half its memory. *bytes (may be NULL) gets dom0's memory. Caller frees.
 */
char *dom0_mem_xen_arg(const struct dom0_mem *m, uint64_t ram, uint64_t *bytes);

/* Xen's vpmu= modes Tenxen writes ("off" means no vpmu= at all); NVPMU_MODES of them. */
#define NVPMU_MODES 5
extern const char *const vpmu_modes[NVPMU_MODES];
bool vpmu_mode_known(const char *mode);

#endif
