/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Inside bootcfg/: what the edits (edit.c) and the refresh (refresh.c) share. Other rooms use
 * bootcfg/bootcfg.h. */
#ifndef TENXEN_ENTRIES_H
#define TENXEN_ENTRIES_H

#include "bootcfg/bootcfg.h"

/* The last part of a path. Not owned: points into path. */
const char *bc_basename(const char *path);
/* An APPEND line's words, quotes kept as extlinux reads them. */
void bc_split_words(const char *s, struct strv *out);
/* Write an entry's words back to its APPEND line (adding one after the kernel when missing). */
void bc_write_entry(struct extconf *c, struct entry *e);

#endif
