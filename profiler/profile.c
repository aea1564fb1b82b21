// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Recording a whole Xen host: perf in dom0, xentrace in the hypervisor and xentop for every
 * domain run side by side for the same seconds; then one plain-text report.
 */
#include "profiler/profile.h"
#include "common/atomic.h"
#include "common/run.h"
#include "common/util.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The trace classes recorded: the scheduler and PV entry points (Xen's TRC_SCHED | TRC_PV). */
#define TRACE_MASK "0x0022f000"

static const struct {
	uint32_t event;
	const char *name;
} event_names[] = {
	{0x0001f001, "lost records"},
	{0x0001f002, "trace buffer wrapped"},
	{0x00021001, "scheduler: runstate change"},
	{0x00021002, "scheduler: continue running"},
	{0x00028003, "scheduler: sleep"},
	{0x00028004, "scheduler: wake"},
	{0x00028005, "scheduler: yield"},
	{0x00028006, "scheduler: block"},
	{0x0002800a, "scheduler: switch"},
	{0x0002800e, "scheduler: switch, previous vCPU"},
	{0x0002800f, "scheduler: switch, next vCPU"},
	{0x00201001, "PV: hypercall"},
	{0x00201003, "PV: trap"},
	{0x00201004, "PV: page fault"},
};

static const char *event_name(uint32_t e)
{
	for (size_t i = 0; i < ARRAY_SIZE(event_names); i++)
		if (event_names[i].event == e ||
		    ((e & 0x0fff0000) == 0x00200000 && event_names[i].event == (e & ~0x100u)) ||
		    /* runstate changes carry the old and new states in bits 4 to 9 */
		    ((e & 0x0ffff00f) == 0x00021001 && event_names[i].event == 0x00021001))
			return event_names[i].name;
	return NULL;
}

/* The program's full path when PATH has it (caller frees), else NULL. */
static char *find_tool(const char *path, const char *name)
{
	struct strv dirs = {0};
	char *found = NULL;

	strv_split(&dirs, path && *path ? path : "/usr/sbin:/usr/bin:/sbin:/bin", ':');
	for (size_t i = 0; i < dirs.n && !found; i++) {
		char *p = xasprintf("%s/%s", *dirs.v[i] ? dirs.v[i] : ".", name);

		if (access(p, X_OK) == 0)
			found = p;
		else
			free(p);
	}
	strv_free(&dirs);
	return found;
}

static char *slurp(const char *dir, const char *name, size_t *len)
{
	char *p = xasprintf("%s/%s", dir, name), *buf = NULL;
	size_t n = 0;

	if (read_file(p, &buf, &n) < 0)
		buf = NULL;
	free(p);
	if (len)
		*len = n;
	return buf;
}

/* The last line of a tool's output, to say why it failed. Caller frees. */
static char *last_line(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name), *text = NULL, *out;
	size_t len, start = 0;

	if (read_file(p, &text, &len) < 0 || !text) {
		free(p);
		return xstrdup("no output");
	}
	free(p);
	strip(text);
	for (size_t i = 0; text[i]; i++)
		if (text[i] == '\n')
			start = i + 1;
	out = xstrdup(text[start] ? text + start : "no output");
	free(text);
	return out;
}

struct host {
	bool root, xen, dom0;
	char *hyp_type; /* what /sys/hypervisor/type says, or NULL */
	char *xen_version, *xen_cmdline;
	char *vpmu; /* the vpmu= Xen booted with, or NULL */
	char *perf, *xentrace, *xentop, *xl;
};

static void host_free(struct host *h)
{
	free(h->hyp_type);
	free(h->xen_version);
	free(h->xen_cmdline);
	free(h->vpmu);
	free(h->perf);
	free(h->xentrace);
	free(h->xentop);
	free(h->xl);
}

static char *xl_info_field(const char *info, const char *key)
{
	size_t k = strlen(key);

	for (const char *l = info; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		if (strncmp(l, key, k) == 0 && (l[k] == ' ' || l[k] == ':')) {
			const char *c = strchr(l, ':');
			size_t n;

			if (!c)
				return NULL;
			c++;
			while (*c == ' ')
				c++;
			n = strcspn(c, "\n");
			return xstrndup(c, n);
		}
	}
	return NULL;
}

static void look(const struct profile_opts *o, struct host *h, struct tx_report *r)
{
	char *p = xasprintf("%s/hypervisor/type", o->sys), *caps;

	memset(h, 0, sizeof(*h));
	h->root = geteuid() == 0;
	h->hyp_type = read_line_file(p);
	free(p);
	h->xen = streq(h->hyp_type, "xen");
	p = xasprintf("%s/xen/capabilities", o->proc);
	caps = read_line_file(p);
	free(p);
	h->dom0 = caps && strstr(caps, "control_d");
	free(caps);
	h->perf = find_tool(o->path, "perf");
	h->xentrace = find_tool(o->path, "xentrace");
	h->xentop = find_tool(o->path, "xentop");
	h->xl = find_tool(o->path, "xl");
	if (h->xen && h->dom0 && h->root && h->xl) {
		const char *argv[] = {h->xl, "info", NULL};
		char *info = NULL;

		if (run_quiet(r, argv, &info) == 0) {
			h->xen_version = xl_info_field(info, "xen_version");
			h->xen_cmdline = xl_info_field(info, "xen_commandline");
		}
		free(info);
		if (h->xen_cmdline) {
			char *v = strstr(h->xen_cmdline, "vpmu=");

			if (v && (v == h->xen_cmdline || v[-1] == ' ')) {
				v += 5;
				h->vpmu = xstrndup(v, strcspn(v, " "));
				if (streq(h->vpmu, "0") || streq(h->vpmu, "off") ||
				    streq(h->vpmu, "false") || streq(h->vpmu, "no")) {
					free(h->vpmu);
					h->vpmu = NULL;
				}
			}
		}
	}
}

static void report_domains(FILE *f, const char *text)
{
	struct domain_cpu d[64];
	int n = text ? xentop_parse(text, d, ARRAY_SIZE(d)) : -EINVAL;
	double total = 0;

	fprintf(f,
		"\nCPU by domain (xentop, mean over the run; 100%% is one CPU), and its virtual disks' I/O\n");
	if (n <= 0) {
		fprintf(f, "  xentop printed no domains\n");
		return;
	}
	for (int i = 0; i < n; i++)
		total += d[i].percent;
	fprintf(f, "  %-24s %8s %8s %11s %9s\n", "DOMAIN", "CPU %", "SHARE", "WRITTEN", "READ");
	for (int i = 0; i < n; i++)
		fprintf(f, "  %-24s %8.1f %7.1f%% %7.1f MiB %5.1f MiB\n", d[i].name, d[i].percent,
			total > 0 ? 100.0 * d[i].percent / total : 0.0, d[i].written_mib,
			d[i].read_mib);
}

/* A domain's name from xl list, or NULL. */
static const char *domain_name(const struct domain_name *names, int n, unsigned id)
{
	for (int i = 0; i < n; i++)
		if (names[i].id == id)
			return names[i].name;
	return NULL;
}

/* The time each domain ran, from the trace's runstate changes, busiest first. */
static void report_domain_time(FILE *f, const struct trace_summary *t,
			       const struct domain_name *names, int nnames)
{
	uint64_t busy = 0;
	size_t order[32], n = 0;

	fprintf(f,
		"  time on the CPUs by domain (runstate changes; share of the time domains ran):\n");
	for (size_t i = 0; i < t->ndoms; i++)
		if (t->doms[i].domid != 32767 && t->doms[i].cycles) {
			busy += t->doms[i].cycles;
			order[n++] = i;
		}
	if (!busy) {
		fprintf(f, "  %10s  no domain's vCPU was seen to run and stop\n", "");
		return;
	}
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && t->doms[order[j - 1]].cycles < t->doms[order[j]].cycles;
		     j--) {
			size_t x = order[j];

			order[j] = order[j - 1];
			order[j - 1] = x;
		}
	for (size_t i = 0; i < n; i++) {
		unsigned id = t->doms[order[i]].domid;
		const char *name = domain_name(names, nnames, id);
		char label[96];

		snprintf(label, sizeof(label), "%s (domain %u)", name ? name : "?", id);
		fprintf(f, "  %9.1f%%  %s\n",
			100.0 * (double)t->doms[order[i]].cycles / (double)busy, label);
	}
}

/* dom0's block back-end threads (DOMID.DEV-RING), each with the guest it serves. */
static void report_blkback(FILE *f, const char *text, const struct domain_name *names, int nnames)
{
	struct perf_comm c[64];
	int n = text ? perf_comm_parse(text, c, ARRAY_SIZE(c)) : 0, shown = 0;

	fprintf(f,
		"\ndom0's block back-end by guest (perf: its threads' share of dom0's samples; DOMAIN.DISK-QUEUE)\n");
	for (int i = 0; i < n; i++) {
		char dev[32];
		int id = blkback_domain(c[i].comm, dev, sizeof(dev));
		const char *name = id >= 0 ? domain_name(names, nnames, (unsigned)id) : NULL;

		if (id < 0)
			continue;
		fprintf(f, "  %6.2f%%  %-24s %s (domain %d, its %s)\n", c[i].percent,
			name ? name : "?", c[i].comm, id, dev);
		shown++;
	}
	if (!shown)
		fprintf(f,
			"  no block back-end thread was sampled: no guest's disk kept dom0 busy\n");
}

static void report_symbols(FILE *f, const char *text, const char *asked)
{
	struct perf_symbol s[20];
	int n = text ? perf_report_parse(text, s, ARRAY_SIZE(s)) : 0;
	const char *ev = text ? strstr(text, "of event '") : NULL;
	char event[64];

	/* what perf really sampled: it falls back to cpu-clock where the CPU has no counter */
	if (ev)
		snprintf(event, sizeof(event), "%.*s", (int)strcspn(ev + 10, "':"), ev + 10);
	else
		snprintf(event, sizeof(event), "%s", asked);

	fprintf(f, "\nTop symbols in dom0 (perf, %s samples)\n", event);
	if (n <= 0) {
		fprintf(f, "  perf report listed no symbols\n");
		return;
	}
	for (int i = 0; i < n; i++)
		fprintf(f, "  %6.2f%%  %s %-40s %s\n", s[i].percent, s[i].where, s[i].name,
			s[i].dso);
}

static void report_trace(FILE *f, const unsigned char *buf, size_t len,
			 const struct domain_name *names, int nnames)
{
	struct trace_summary t;
	size_t order[32];

	fprintf(f, "\nHypervisor trace (xentrace: scheduler and PV entry points)\n");
	if (trace_summarize(buf, len, &t) < 0 || t.records == 0) {
		fprintf(f, "  xentrace wrote no records (%zu bytes)\n", len);
		return;
	}
	fprintf(f, "  %" PRIu64 " records in %" PRIu64 " bytes%s", t.records, t.bytes,
		t.truncated ? ", the last one cut short" : "");
	if (t.lost)
		fprintf(f, "; %" PRIu64 " records lost (buffers too small: raise -S)", t.lost);
	fputc('\n', f);
	for (int i = 0; i < 16; i++)
		if (t.by_class[i])
			fprintf(f, "  %10" PRIu64 "  %s\n", t.by_class[i], trace_class_name(i));
	for (int c = 0; c < t.ncpus; c++)
		fprintf(f, "  cpu %-3d %10" PRIu64 " records\n", c, t.per_cpu[c]);
	for (size_t i = 0; i < t.nevents; i++)
		order[i] = i;
	for (size_t i = 1; i < t.nevents; i++)
		for (size_t j = i; j > 0 && t.events[order[j - 1]].count < t.events[order[j]].count;
		     j--) {
			size_t x = order[j];

			order[j] = order[j - 1];
			order[j - 1] = x;
		}
	fprintf(f, "  most frequent events:\n");
	for (size_t i = 0; i < t.nevents && i < 10; i++) {
		const char *name = event_name(t.events[order[i]].event);

		fprintf(f, "  %10" PRIu64 "  0x%08" PRIx32 "%s%s\n", t.events[order[i]].count,
			t.events[order[i]].event, name ? "  " : "", name ? name : "");
	}
	report_domain_time(f, &t, names, nnames);
}

/* What a recording needs: files, and the jobs that write them. */
struct recording {
	const struct profile_opts *o;
	struct tx_report *r;
	struct host h;
	struct strv cannot; /* what was not recorded, and why */
	const char *event;  /* perf's event: cycles with Xen's vPMU, else cpu-clock */
	char *perf_data, *trace_data, *report_path;
	bool perf, trace, top; /* each recorded */
};

/* Whether anything can be recorded here; says what cannot. Returns 0 or -errno. */
static int can_record(struct recording *rec)
{
	const struct profile_opts *o = rec->o;
	struct host *h = &rec->h;
	struct tx_report *r = rec->r;

	if (!h->root)
		strv_push(
			&rec->cannot,
			"anything: perf record -a and xentrace need root; run tenxen profile as root");
	if (!h->xen)
		strv_push_owned(
			&rec->cannot,
			xasprintf(
				"the hypervisor trace and the CPU of each domain: this system is not running under Xen (%s/hypervisor/type %s%s%s); boot the host's Xen entry",
				o->sys, h->hyp_type ? "says \"" : "is missing",
				h->hyp_type ? h->hyp_type : "", h->hyp_type ? "\"" : ""));
	else if (!h->dom0)
		strv_push(
			&rec->cannot,
			"the hypervisor trace and the CPU of each domain: this is a guest, not dom0; run tenxen profile in dom0");
	if (rec->cannot.n) {
		for (size_t i = 0; i < rec->cannot.n; i++)
			tx_error(r, NULL, "cannot record %s", rec->cannot.v[i]);
		tx_error(r, NULL, "tenxen profile recorded nothing");
		return h->root ? -ENOTSUP : -EPERM;
	}
	if (!h->perf)
		strv_push(
			&rec->cannot,
			"dom0's symbols: perf is not installed; install the @profiler set (apt install linux-perf)");
	if (!h->xentrace)
		strv_push(
			&rec->cannot,
			"the hypervisor trace: xentrace is not installed (xen-utils); install @profiler");
	if (!h->xentop)
		strv_push(
			&rec->cannot,
			"the CPU of each domain: xentop is not installed (xen-utils); install @profiler");
	if (!h->perf && !h->xentrace && !h->xentop) {
		for (size_t i = 0; i < rec->cannot.n; i++)
			tx_error(r, NULL, "cannot record %s", rec->cannot.v[i]);
		return -ENOENT;
	}
	if (mkdir_p(o->output) < 0) {
		tx_error(r, NULL, "cannot make the folder %s: %s", o->output, strerror(errno));
		return -EIO;
	}
	return 0;
}

/* Start a recorder with its output in OUTPUT/log. */
static void start_in(struct recording *rec, const char *const argv[], const char *log,
		     struct run_job *job)
{
	char *path = xasprintf("%s/%s", rec->o->output, log);

	run_start_file(rec->r, argv, path, job);
	free(path);
}

/* Whether a recorder ended well; if not, what its log's last line says goes to cannot. */
static bool ended_well(struct recording *rec, struct run_job *job, const char *log,
		       const char *what)
{
	char *why;

	if (run_finish(job) == 0)
		return true;
	why = last_line(rec->o->output, log);
	strv_push_owned(&rec->cannot, xasprintf("%s failed: %s", what, why));
	free(why);
	return false;
}

/* perf, xentrace and xentop side by side for the seconds asked. */
static void record(struct recording *rec)
{
	const struct host *h = &rec->h;
	char *secs = xasprintf("%u", rec->o->seconds),
	     *iters = xasprintf("%u", rec->o->seconds + 1);
	struct run_job perf = {0}, trace = {0}, top = {0};

	/* the domains' names by id, for the trace and blkback's threads, which know only ids */
	if (h->xl) {
		const char *argv[] = {h->xl, "list", NULL};
		char *text = NULL, *path = xasprintf("%s/xl-list.txt", rec->o->output);

		if (run_quiet(rec->r, argv, &text) == 0)
			atomic_write_file(rec->r, path, text, strlen(text), 0644, false);
		free(text);
		free(path);
	}
	if (h->xentrace) {
		const char *argv[] = {
			h->xentrace,	 "-D", "-S", "64", "-e", TRACE_MASK, "-T", secs,
			rec->trace_data, NULL};

		start_in(rec, argv, "xentrace.log", &trace);
	}
	if (h->xentop) {
		const char *argv[] = {h->xentop, "-b", "-d", "1", "-i", iters, NULL};

		start_in(rec, argv, "xentop.txt", &top);
	}
	if (h->perf) {
		const char *argv[] = {h->perf, "record",       "-a", "-q",    "-e", rec->event,
				      "-o",    rec->perf_data, "--", "sleep", secs, NULL};

		start_in(rec, argv, "perf-record.log", &perf);
	}
	rec->perf =
		h->perf && ended_well(rec, &perf, "perf-record.log", "dom0's symbols: perf record");
	rec->trace = h->xentrace &&
		     ended_well(rec, &trace, "xentrace.log", "the hypervisor trace: xentrace");
	rec->top =
		h->xentop && ended_well(rec, &top, "xentop.txt", "the CPU of each domain: xentop");
	free(secs);
	free(iters);
}

/* The report from what was recorded, into f. */
static void write_report(struct recording *rec, FILE *f)
{
	const struct profile_opts *o = rec->o;
	char host[256] = "", when[64];
	time_t now = time(NULL);

	gethostname(host, sizeof(host) - 1);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S %Z", localtime(&now));
	fprintf(f, "Tenxen profile of %s, %s: %u seconds\n", host, when, o->seconds);
	fprintf(f, "  Xen %s; vpmu %s\n",
		rec->h.xen_version ? rec->h.xen_version : "(version unknown)",
		rec->h.vpmu ? rec->h.vpmu : "off");
	char *list = slurp(o->output, "xl-list.txt", NULL);
	struct domain_name names[64];
	int nnames = list ? xl_list_parse(list, names, ARRAY_SIZE(names)) : 0;

	free(list);
	if (rec->top) {
		char *text = slurp(o->output, "xentop.txt", NULL);

		report_domains(f, text);
		free(text);
	}
	if (rec->perf) {
		char *text = NULL;
		const char *argv[] = {
			rec->h.perf,	   "report", "-i",	rec->perf_data, "--stdio",
			"--no-children",   "--sort", "dso,sym", "-g",		"none",
			"--percent-limit", "0.5",    NULL};

		if (run_quiet(rec->r, argv, &text) == 0)
			report_symbols(f, text, rec->event);
		else
			strv_push(&rec->cannot, "dom0's symbols: perf report failed (see the log)");
		free(text);
		text = NULL;
		{
			const char *by_thread[] = {rec->h.perf,	   "report",  "-i",
						   rec->perf_data, "--stdio", "--no-children",
						   "--sort",	   "comm",    "-g",
						   "none",	   NULL};

			if (run_quiet(rec->r, by_thread, &text) == 0)
				report_blkback(f, text, names, nnames);
			free(text);
		}
	}
	if (rec->trace) {
		size_t len = 0;
		char *buf = slurp(o->output, "xentrace.bin", &len);

		report_trace(f, (const unsigned char *)buf, buf ? len : 0, names, nnames);
		free(buf);
	}
	if (rec->cannot.n) {
		fprintf(f, "\nNot recorded\n");
		for (size_t i = 0; i < rec->cannot.n; i++)
			fprintf(f, "  - %s\n", rec->cannot.v[i]);
	}
	fprintf(f,
		"\nFiles: %s (perf.data, xentrace.bin, xentop.txt, xl-list.txt and this report)\n",
		o->output);
}

int profile_run(const struct profile_opts *o, struct tx_report *r, FILE *out)
{
	struct recording rec = {.o = o, .r = r, .event = "cpu-clock"};
	FILE *f;
	int rc;

	rec.perf_data = xasprintf("%s/perf.data", o->output);
	rec.trace_data = xasprintf("%s/xentrace.bin", o->output);
	rec.report_path = xasprintf("%s/report.txt", o->output);
	look(o, &rec.h, r);
	rc = can_record(&rec);
	if (rc < 0)
		goto out;
	if (rec.h.vpmu)
		rec.event = "cycles";
	else if (rec.h.perf)
		strv_push(
			&rec.cannot,
			"hardware counters in dom0: Xen's virtual PMU is off (no vpmu= on Xen's command line), so dom0 was sampled by the kernel's clock (cpu-clock), which sees no cache misses or stalls; turn it on with tenxen bootcfg set vpmu=ipc and reboot (docs/profiling.md)");
	tx_info(r, NULL, "recording the whole host for %u s into %s", o->seconds, o->output);
	record(&rec);
	{
		/* made in memory, then written as every file Tenxen writes is (common/atomic.h) */
		char *text = NULL;
		size_t len = 0;

		f = open_memstream(&text, &len);
		if (!f) {
			tx_error(r, NULL, "out of memory for the report");
			rc = -ENOMEM;
			goto out;
		}
		write_report(&rec, f);
		fclose(f);
		rc = atomic_write_file(r, rec.report_path, text, len, 0644, false);
		free(text);
		if (rc < 0)
			goto out;
	}
	{
		char *text = NULL;
		size_t len;

		if (read_file(rec.report_path, &text, &len) == 0)
			fwrite(text, 1, len, out);
		free(text);
	}
out:
	host_free(&rec.h);
	strv_free(&rec.cannot);
	free(rec.perf_data);
	free(rec.trace_data);
	free(rec.report_path);
	return rc;
}
