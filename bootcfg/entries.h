/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Inside bootcfg/: what the edits (edit.c, xencfg.c) and the refresh (refresh.c) share. Other rooms use
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

/* ---- Xen's and dom0's command lines as words (shared by extlinux.conf and xen.cfg) ---- */

/* The first KEY or KEY=... word at or after from, or -1. */
ssize_t bc_opt_find(const struct strv *w, size_t from, const char *key);
/* Replace the first KEY=... word (dropping later ones), or append. */
void bc_opt_set(struct strv *w, size_t from, const char *key, const char *word);
void bc_opt_remove(struct strv *w, size_t from, const char *key);
/* 0..3 for "com1".."com4", else -1. */
int bc_com_of(const char *item);
/* Xen's comN= and console= for a serial console s (NULL: none); w[0] is the hypervisor. */
void bc_xen_serial(struct strv *w, const struct serial_console *s);
/* dom0's (xen) or a Linux entry's console= words, from index from. */
void bc_kernel_serial(struct strv *w, size_t from, const struct serial_console *s, bool xen);
/*
 * What KEY=VALUE of bootcfg set does to Xen's options (dom0_mem, vpmu, xen-append): words to set,
 * each replacing the word of its key, and keys to drop. Returns 0, 1 when key is not one of
 * them, or -EINVAL (reported).
 */
int bc_xen_change(const char *key, const char *value, struct strv *set, struct strv *drop,
		  struct tx_report *r);
/*
 * The same for dom0's kernel options (dom0-append): the words to set on dom0's command line.
 * Returns 0, 1 when key is not dom0-append, or -EINVAL (reported): no ---, and no root=, which
 * the host's own config says.
 */
int bc_dom0_change(const char *key, const char *value, struct strv *set, struct tx_report *r);
void bc_apply_change(struct strv *w, size_t from, const struct strv *set, const struct strv *drop);

/* Words w joined by spaces fit the command line of Xen (dom0 false) or dom0; else said, naming
 * the entry, and -E2BIG. */
int bc_check_cmdline(const struct strv *w, bool dom0, const char *entry, struct tx_report *r);
/* Split "KEY=VALUE" (refusing control characters); *key caller frees. 0 or -EINVAL. */
int bc_assignment(const char *assignment, char **key, const char **value, struct tx_report *r);
/* Report a key bootcfg set does not know; returns -EINVAL. */
int bc_unknown_key(const char *key, struct tx_report *r);

/* What bootcfg set needs of a dialect (extlinux.conf, xen.cfg): its default entry set, and a
 * change of Xen's options (dom0 false) or dom0's on every entry, checked for length first. */
struct bc_dialect {
	int (*set_default)(void *cfg, const char *name, struct tx_report *r);
	int (*change)(void *cfg, bool dom0, const struct strv *set, const struct strv *drop,
		      struct tx_report *r);
};
/* One KEY=VALUE of bootcfg set on a config of that dialect: the one reading of the keys. */
int bc_set_assignment(const struct bc_dialect *d, void *cfg, const char *assignment,
		      struct tx_report *r);

#endif
