/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Editing an extlinux.conf for a Xen host: the serial console, dom0 memory, Xen's options, the
 * default entry, and pointing entries at the newest Xen and kernel. Every edit is idempotent:
 * applied twice, it changes nothing the second time. Each returns 0 or a negative errno, having
 * reported why at FILE:LINE.
 *
 * A Xen entry boots mboot.c32 with APPEND "XEN OPTIONS --- KERNEL OPTIONS --- INITRD"; a Linux
 * entry boots a kernel (vmlinuz..., bzImage, linux) directly; other entries are left alone.
 */
#ifndef TENXEN_BOOTCFG_H
#define TENXEN_BOOTCFG_H

#include <stdio.h>

#include "bootcfg/extlinux.h"

enum entry_kind { ENTRY_XEN, ENTRY_LINUX, ENTRY_OTHER };

/*
 * The longest command lines the programs that read them take: Xen keeps 1023 characters of its
 * own (COMMAND_LINE_SIZE on x86), Linux 2047 of dom0's; a line of extlinux.conf or xen.cfg has
 * room for both and their paths (the readers' MAX_LINE, 4096).
 */
#define BC_XEN_CMDLINE_MAX  1023
#define BC_DOM0_CMDLINE_MAX 2047

struct entry {
	int label;
	enum entry_kind kind;
	ssize_t kernel_line, append_line, initrd_line;
	struct strv
		parts[4]; /* Xen: hypervisor+opts, kernel+opts, modules; Linux: parts[0] = opts */
	size_t nparts;
};

/* Read the entries of a config (caller frees each with entry_clear). Returns how many, or a
 * negative errno when a Xen entry cannot be understood (reported at its line). */
int bootcfg_entries(const struct extconf *c, struct tx_report *r, struct entry **out);
void entries_free(struct entry *e, size_t n);

struct serial_console {
	int port; /* 0..3: ttyS0..ttyS3, Xen's com1..com4 */
	unsigned speed;
};

/* Turn the serial console on (s) or off (NULL) everywhere it matters:
 * SERIAL, Xen's comN= and console=, dom0's console=hvc0, Linux entries' console=ttySN. */
int bootcfg_set_serial(struct extconf *c, const struct serial_console *s, struct tx_report *r);
/* Set dom0_mem= on every Xen entry; value is Xen's form (checked). */
int bootcfg_set_dom0_mem(struct extconf *c, const char *value, struct tx_report *r);
/* Set each KEY[=VALUE] of opts on every Xen entry's hypervisor options, replacing the same key. */
int bootcfg_set_xen_options(struct extconf *c, const char *opts, struct tx_report *r);
/* Xen's virtual PMU on every Xen entry: "off" drops vpmu=; on, bts, ipc and arch set it. */
int bootcfg_set_vpmu(struct extconf *c, const char *mode, struct tx_report *r);
int bootcfg_set_default(struct extconf *c, const char *label, struct tx_report *r);
/*
 * Point entries at the newest Xen, kernel and initrd in the host's /boot (root "" for /; confdir
 * is the config's folder as the host sees it), keeping every option and each path's folder. A
 * reference moves when it names what the default entry boots, or a file that is gone; entries
 * pinned to another version that still exists stay.
 */
int bootcfg_refresh(struct extconf *c, const char *root, const char *confdir, struct tx_report *r);
/* The newest file in dir named PREFIX<version>SUFFIX, by version order (debug symbols,
 * .config and .old files left out). Caller frees; NULL when there is none. */
char *bootcfg_newest_file(const char *dir, const char *prefix, const char *suffix);
/*
 * Warn about each file an entry names that is missing; returns how many are missing. root is the
 * host's root ("" for /), confdir the config's folder as the host sees it.
 */
int bootcfg_check_files(const struct extconf *c, const char *root, const char *confdir,
			struct tx_report *r);

/* The serial console a config sets, or port -1. */
struct serial_console bootcfg_get_serial(const struct extconf *c);

/* Where extlinux looks for its config, relative to a host's root, in its own order. */
extern const char *const bootcfg_search_paths[];
/* The first of bootcfg_search_paths that exists under root. Caller frees; NULL if none. */
char *bootcfg_find(const char *root);

/*
 * One "KEY=VALUE" of bootcfg set: dom0_mem, xen-append, vpmu or default. A value holding a
 * control character (a newline, a CR) is refused before anything changes. Returns 0 or -EINVAL
 * (reported).
 */
int bootcfg_set_assignment(struct extconf *c, const char *assignment, struct tx_report *r);

#endif
