/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The pipeline every frontend shares: answers (a file or a URL) -> spec -> validated spec, the
 * machine (a recorded profile or a probe), then the plan. Nothing here prints or touches a disk.
 */
#ifndef TENXEN_PIPELINE_H
#define TENXEN_PIPELINE_H

#include "machine/machine.h"
#include "plan/plan.h"

struct pipeline {
	const char *zoneinfo;	  /* where time zones are checked: "/usr/share/zoneinfo" */
	const char *machine;	  /* a recorded machine profile, or NULL to probe */
	struct probe_paths probe; /* where probing looks */
	const char *target;	  /* where the install mounts its root: "/target" */
	const char *release;	  /* the payload's Debian release, or NULL: this build's */
	unsigned fetch_timeout;	  /* seconds to wait for an answer file by URL */
	struct tx_report *report; /* every message goes here */
	/* Runs the %pre scripts of an answer file whose %include waits for them (the install sets
	 * it; without it such a file cannot be planned). Returns 0 or -errno, reported. */
	int (*run_pre)(const struct spec *s, void *ctx, struct tx_report *r);
	void *pre_ctx;
};

/* Defaults for every field; the caller sets report. */
void pipeline_init(struct pipeline *pl);

/* The machine to plan for: the recorded profile, or a probe. Returns 0 or -errno (reported);
 * *out is the caller's to free with machine_free. */
int pipeline_machine(const struct pipeline *pl, struct machine **out);

/*
 * Read and check an answer file (a path or an http(s)/tftp URL; a URL ending in / is a folder
 * where this machine's file is looked up by its cards' MACs, its serial number, then default.ks),
 * take the machine and plan. When
 * the file's %include names a file that its %pre scripts are to write, run_pre runs them first and
 * the file is read again (the plan then does not run them).
 * Returns 0 with everything set, or a negative errno having reported why; what was made before
 * the failure is set too. The caller frees all three (spec_free, machine_free, plan_free).
 */
int pipeline_plan(const struct pipeline *pl, const char *answers, struct spec **s,
		  struct machine **m, struct plan **p);

#endif
