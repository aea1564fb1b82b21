/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The mount table, read from PROC/self/mounts so that tests can hand in their own. */
#ifndef TENXEN_MOUNTS_H
#define TENXEN_MOUNTS_H

#include "common/util.h"

/*
 * Every mount, in the table's order (outermost first): its source in src, its mount point in
 * dst, each when non-NULL. Octal escapes (\040 for a space) are decoded. Returns 0, or -errno
 * when the table cannot be read (the lists are then left empty).
 */
int mounts_read(const char *proc, struct strv *src, struct strv *dst);

/* The mount points at dir and below it (not /target2 for /target), outermost first. */
void mounts_under(const char *proc, const char *dir, struct strv *out);

#endif
