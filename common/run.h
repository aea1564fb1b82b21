/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Running the well-kept tools (lvm, mdadm, mke2fs, extlinux): argv, never a shell. */
#ifndef TENXEN_RUN_H
#define TENXEN_RUN_H

#include "report.h"
#include "util.h"

/*
 * Run argv[0] (looked up in PATH) with its output captured; the command line and its output go
 * to the report's log. Returns 0 when it exits 0; otherwise reports "ARGV0 failed: OUTPUT" and
 * returns -EIO. *output (may be NULL) gets what it printed (caller frees).
 */
int run_cmd(struct tx_report *r, const char *const argv[], char **output);
/* The same, but a failure is only returned, not reported (for probing commands). */
int run_quiet(struct tx_report *r, const char *const argv[], char **output);

#endif
