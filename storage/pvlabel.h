/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TENXEN_PVLABEL_H
#define TENXEN_PVLABEL_H

#include <stddef.h>
#include <stdint.h>

/*
 * The whole metadata text of the LVM2 physical volume at byte offset of fd, read from its
 * on-disk label (so it works on image files, on partitions without device nodes, and with no
 * LVM tools): the newest copy in its first metadata area, read across
 * the area's wrap), and its UUID as the label stores it (32 characters, no dashes). Returns 0
 * with *text (caller frees; NULL with *len 0 for an orphan PV or one without a metadata area),
 * or a negative errno when there is no readable label.
 */
int pv_read_metadata(int fd, uint64_t offset, char uuid[33], char **text, size_t *len);
/* The volume group's name that metadata text starts with ("vg0 {"), or NULL. Caller frees. */
char *pv_meta_vgname(const char *text, size_t len);

#endif
