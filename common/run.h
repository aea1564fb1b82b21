/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Running the well-kept tools (lvm, mdadm, mke2fs, extlinux): argv, never a shell. */
#ifndef TENXEN_RUN_H
#define TENXEN_RUN_H

#include <stdio.h>
#include <sys/types.h>

#include "common/report.h"
#include "common/util.h"

/*
 * Run argv[0] (looked up in PATH) with its output captured; the command line and its output go
 * to the report's log. Returns 0 when it exits 0; otherwise reports "ARGV0 failed: OUTPUT" and
 * returns -EIO. *output (may be NULL) gets what it printed (caller frees).
 */
int run_cmd(struct tx_report *r, const char *const argv[], char **output);
/* The same, a failure reported once as the caller's sentence (what it means and what to do),
 * followed by what the program said; never two messages for one failure. */
int run_said(struct tx_report *r, const char *const argv[], char **output, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The same, but a failure is only returned, not reported (for probing commands). */
int run_quiet(struct tx_report *r, const char *const argv[], char **output);

/*
 * A command that runs while the caller goes on (tar unpacking /boot while the layers unpack).
 * run_start logs the command line and starts it, its output kept in an unnamed temporary file;
 * run_wait waits for it, logs its output and, like run_cmd, reports a failure and returns -EIO.
 * run_wait on a job never started (or already waited for) returns 0. run_stop kills and reaps
 * a job that is no longer wanted, silently. A zeroed struct run_job is a job not started.
 */
struct run_job {
	pid_t pid;
	FILE *out;
	char *name; /* argv[0], for the report */
};
int run_start(struct tx_report *r, const char *const argv[], struct run_job *job);
/* The same, its output (both streams) into the file at out_path, which stays. */
int run_start_file(struct tx_report *r, const char *const argv[], const char *out_path,
		   struct run_job *job);
/* Wait for a job without reporting: its exit status, or 128 when a signal ended it, or -1
 * when it never started. Its output stays where it went. */
int run_finish(struct run_job *job);
int run_wait(struct tx_report *r, struct run_job *job);
void run_stop(struct run_job *job);

#endif
