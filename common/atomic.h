/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TENXEN_ATOMIC_H
#define TENXEN_ATOMIC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "common/report.h"

/*
 * Replace path with data, so that a crash at any moment leaves either the old file or the new one:
 * write PATH.tenxen-new, fsync it, keep the old file as PATH.tenxen-old when backup is set (a hard
 * link, so the old name never disappears), rename over PATH, fsync the directory.
 * Returns 0 or a negative errno, having reported the cause.
 */
int atomic_write_file(struct tx_report *r, const char *path, const void *data, size_t len,
		      mode_t mode, bool backup);

/*
 * Copy the regular file src to dest the same way, streaming (a large file: the root image the
 * host keeps): PATH.tenxen-new made afresh, fsync, rename, fsync the folder; no backup.
 * Returns 0 or a negative errno, having reported the cause.
 */
int atomic_copy_file(struct tx_report *r, const char *src, const char *dest, mode_t mode);

/*
 * Lock the folder that holds PATH (flock, never waiting), so that two runs never edit one file
 * at once; nothing is created, so a dry run or a refused run leaves nothing behind. Returns an
 * fd to close when done, or a negative errno having reported who holds it.
 */
int lock_for(struct tx_report *r, const char *path);

/* For the fault tests: the atomic write kills its own process at this point ("mid-write",
 * "after-write", "after-fsync", "after-backup", "after-rename"); NULL for none. cli/ sets it
 * from TENXEN_FAULT. */
void atomic_fault_at(const char *point);

#endif
