/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * apply: run a plan's operations in order, each logged and reported as progress. The first
 * failure stops the run with the step and its cause. Disks the plan did not name are never
 * opened for writing.
 */
#ifndef TENXEN_APPLY_H
#define TENXEN_APPLY_H

#include "plan/plan.h"
#include "net/payload.h"

struct apply_opts {
	bool storage_only;	 /* stop after the filesystems are mounted and fstab written */
	const char *fault_after; /* fail on purpose after the first operation of this kind */
	const char *log_path;	 /* named in the failure message, and kept on the host */
	const char *payload; /* the root (image or tarball), tenxen.tar.zst, repo/, package-sets */
	const struct payload_remote *remote; /* a payload read over HTTP, opened; or NULL */
	double *seconds;		     /* when set: wall time spent per op_kind, added up */
	const char *answers_copy;  /* kept as /root/tenxen-answers.ks (interactive installs) */
	const char *sys, *proc;	   /* where md arrays and mounts are read: "/sys", "/proc" */
	const char *tmp;	   /* where temporary folders go: "/tmp" (cli/ gives TMPDIR's) */
	const struct strv *events; /* the install's events so far, kept in the record; or NULL */
};

/* Defaults: the medium's payload, /sys and /proc. */
void apply_opts_init(struct apply_opts *o);

/* Everything comes from the plan: its target, its operations and what they carry. */
int apply_plan(const struct plan *p, const struct apply_opts *o, struct tx_report *r);

#endif
