/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * xen.cfg, the config xen.efi reads on UEFI (beside it, named after it: BOOTX64.cfg beside
 * BOOTX64.EFI), as a model with the promises of extlinux.conf's: a file is kept as its lines,
 * only the lines an edit changes are written anew, so what Tenxen does not own stays byte for
 * byte, and every edit is idempotent.
 *
 * Xen's reading, which the model follows: "[name]" opens a section, "key=value" (no space before
 * the '=') sets a key in it, '#' starts a comment anywhere and ';' at the start of a line; leading
 * white space is ignored. [global] holds default= (the section to boot) and chain=; every other
 * section with a kernel= line is a boot entry: options= is Xen's command line, kernel= dom0's
 * (its first word the kernel file, relative to the .efi file's folder), ramdisk= the initrd.
 *
 * Ownership: xencfg_parse() returns a model the caller frees with xencfg_free() (NULL safe);
 * xencfg_emit() returns text the caller frees.
 */
#ifndef TENXEN_XENCFG_H
#define TENXEN_XENCFG_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "bootcfg/bootcfg.h"

struct xcfg_line {
	char *raw;     /* as read, without the line ending; NULL for a new line */
	char *section; /* on a "[name]" line: the name */
	char *key;     /* on a "key=value" line: the key as written */
	char *value;   /* its value, without the comment and trailing white space */
	char *indent;  /* white space before the key */
	char *trail;   /* what follows the value: white space and a comment */
	int sect;      /* index of the section it is in, -1 before the first */
	int lineno;    /* 1-based; 0 for a line an edit added */
	bool dirty, deleted;
};

struct xencfg {
	struct cfg_file f; /* its path, line endings, last newline (bootcfg/lines.h) */
	struct xcfg_line *lines;
	size_t nlines;
	char **sections; /* names, in order */
	size_t *section_line;
	size_t nsections;
};

struct xencfg *xencfg_parse(const char *path, const char *text, size_t len, struct tx_report *r);
char *xencfg_emit(const struct xencfg *c, size_t *len);
void xencfg_free(struct xencfg *c);

/* Whether text reads as a xen.cfg rather than an extlinux.conf: a line opens a "[section". */
bool xencfg_looks_like(const char *text, size_t len);

/* The first section called name (the one Xen reads), or -1. */
int xencfg_section(const struct xencfg *c, const char *name);
/* The first live line of a section with this key (the one Xen reads), or -1. */
ssize_t xencfg_find(const struct xencfg *c, int sect, const char *key);
/* Set a line's value (written anew); a no-op when it is the same. */
void xencfg_set_value(struct xencfg *c, size_t line, const char *value);
/* The boot entries: sections other than [global] with a kernel= line. Caller frees the array;
 * returns how many. */
size_t xencfg_entries(const struct xencfg *c, int **out);
/* The section xen.efi boots: [global] default=, else the first entry; -1 when there is none. */
int xencfg_default(const struct xencfg *c);

/* The edits of bootcfg.h, on xen.cfg: each returns 0 or a negative errno, reported. */
int xencfg_set_serial(struct xencfg *c, const struct serial_console *s, struct tx_report *r);
struct serial_console xencfg_get_serial(const struct xencfg *c);
/* One KEY=VALUE of bootcfg set: dom0_mem, xen-append, vpmu or default (a section). */
int xencfg_set_assignment(struct xencfg *c, const char *assignment, struct tx_report *r);
/*
 * Point kernel= and ramdisk= at these files (names in the .efi file's folder, dir on this
 * machine), keeping every option: the default entry, entries booting what it booted, and entries
 * whose kernel dir lacks; an entry pinned to another kernel dir holds stays. dir NULL: all.
 */
int xencfg_set_files(struct xencfg *c, const char *kernel, const char *ramdisk, const char *dir,
		     struct tx_report *r);

#endif
