/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tenxen profile: record a whole Xen host at once for a few seconds (perf in dom0, xentrace in
 * the hypervisor, xentop for every domain) and write a plain-text report.
 *
 * The readers of what the tools wrote are apart from the recording, so that tests can feed
 * them recorded output.
 */
#ifndef TENXEN_PROFILE_H
#define TENXEN_PROFILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/report.h"

struct profile_opts {
	unsigned seconds;
	const char *output; /* the folder for the recordings and report.txt */
	const char *sys;    /* where /sys is ("/sys"); tests point it elsewhere */
	const char *proc;   /* where /proc is */
	const char *path;   /* where the tools are looked for: PATH's folders (cli/ gives PATH) */
};

/*
 * Check what can be recorded, record for o->seconds, write OUTPUT/report.txt and print it to
 * out. Returns 0 when a report was written (saying what could not be recorded and why), or a
 * negative errno when nothing could be recorded, having reported why.
 */
int profile_run(const struct profile_opts *o, struct tx_report *r, FILE *out);

/* Per-domain CPU from "xentop -b" output: the mean CPU(%) of each domain over the iterations
 * after the first (whose figures cover no interval). */
struct domain_cpu {
	char name[64];
	double percent;
	double read_mib,
		written_mib; /* the domain's virtual disks over the run (VBD_RSECT/WSECT) */
};
/* Returns the number of domains (at most max), or -EINVAL when the text holds no table. */
int xentop_parse(const char *text, struct domain_cpu *out, size_t max);

/* The top symbols of "perf report --stdio" output. */
struct perf_symbol {
	double percent;
	char where[16]; /* [k] kernel, [.] user */
	char name[128];
	char dso[64];
};
int perf_report_parse(const char *text, struct perf_symbol *out, size_t max);

/* The threads of "perf report --sort comm --stdio": each thread name with its share. */
struct perf_comm {
	double percent;
	char comm[64];
};
int perf_comm_parse(const char *text, struct perf_comm *out, size_t max);

/* dom0's block back-end thread for a guest's disk: "DOMID.DEV-RING" (Linux 4.6 on), or
 * "blkback.DOMID.DEV". Returns the domain's id, or -1 when comm is no such thread; dev (may be
 * NULL) gets DEV. */
int blkback_domain(const char *comm, char *dev, size_t devlen);

/* Domains by id, from "xl list": returns how many (at most max). */
struct domain_name {
	unsigned id;
	char name[64];
};
int xl_list_parse(const char *text, struct domain_name *out, size_t max);

/* A summary of a xentrace file: records by class and by event, per CPU, and lost records. */
struct trace_summary {
	uint64_t records, bytes, lost;
	uint64_t by_class[16]; /* index: trace_class_index() */
	struct {
		uint32_t event;
		uint64_t count;
	} events[32];
	size_t nevents; /* the distinct events counted (the first 32 seen) */
	uint64_t per_cpu[64];
	int ncpus;
	uint64_t tsc_first, tsc_last;
	int truncated; /* the file ended inside a record */
	/* the time each domain's vCPUs ran (TSC cycles), from the scheduler's runstate changes:
	 * a vCPU runs on a CPU from its change to running to its change away from it there */
	struct {
		unsigned domid; /* 32767 is Xen's idle domain */
		uint64_t cycles;
	} doms[32];
	size_t ndoms;
};
int trace_summarize(const unsigned char *buf, size_t len, struct trace_summary *s);
const char *trace_class_name(int index);

#endif
