// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Recording a whole Xen host: perf in dom0, xentrace in the hypervisor and xentop for every
 * domain run side by side for the same seconds; then one plain-text report.
 */
#include "profile.h"
#include "../common/run.h"
#include "../common/util.h"

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
		    ((e & 0x0fff0000) == 0x00200000 && event_names[i].event == (e & ~0x100u)))
			return event_names[i].name;
	return NULL;
}

/* The program's full path when PATH has it (caller frees), else NULL. */
static char *find_tool(const char *name)
{
	const char *path = getenv("PATH");
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

/* Start argv with its output (both streams) in the file out; returns the pid or -errno. */
static pid_t start(const char *const argv[], const char *out, struct tx_report *r)
{
	pid_t pid;

	if (r->log) {
		fputs("+", r->log);
		for (size_t i = 0; argv[i]; i++)
			fprintf(r->log, " %s", argv[i]);
		fputc('\n', r->log);
	}
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

		if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(126);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	return pid;
}

static int finish(pid_t pid)
{
	int st;

	if (pid <= 0)
		return -1;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
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
	h->perf = find_tool("perf");
	h->xentrace = find_tool("xentrace");
	h->xentop = find_tool("xentop");
	h->xl = find_tool("xl");
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

	fprintf(f, "\nCPU by domain (xentop, mean over the run; 100%% is one CPU)\n");
	if (n <= 0) {
		fprintf(f, "  xentop printed no domains\n");
		return;
	}
	for (int i = 0; i < n; i++)
		total += d[i].percent;
	fprintf(f, "  %-24s %8s %8s\n", "DOMAIN", "CPU %", "SHARE");
	for (int i = 0; i < n; i++)
		fprintf(f, "  %-24s %8.1f %7.1f%%\n", d[i].name, d[i].percent,
			total > 0 ? 100.0 * d[i].percent / total : 0.0);
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

static void report_trace(FILE *f, const unsigned char *buf, size_t len)
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
}

int profile_run(const struct profile_opts *o, struct tx_report *r, FILE *out)
{
	struct host h;
	struct strv cannot = {0};
	pid_t perf = 0, trace = 0, top = 0;
	char *secs = xasprintf("%u", o->seconds), *iters = xasprintf("%u", o->seconds + 1);
	const char *event = "cpu-clock";
	char *perf_data = xasprintf("%s/perf.data", o->output);
	char *trace_data = xasprintf("%s/xentrace.bin", o->output);
	char *report_path = xasprintf("%s/report.txt", o->output);
	int rc = 0;

	look(o, &h, r);
	if (!h.root)
		strv_push(
			&cannot,
			"anything: perf record -a and xentrace need root; run tenxen profile as root");
	if (!h.xen)
		strv_push_owned(
			&cannot,
			xasprintf(
				"the hypervisor trace and the CPU of each domain: this system is not running under Xen (%s/hypervisor/type %s%s%s); boot the host's Xen entry",
				o->sys, h.hyp_type ? "says \"" : "is missing",
				h.hyp_type ? h.hyp_type : "", h.hyp_type ? "\"" : ""));
	else if (!h.dom0)
		strv_push(
			&cannot,
			"the hypervisor trace and the CPU of each domain: this is a guest, not dom0; run tenxen profile in dom0");
	if (cannot.n) {
		for (size_t i = 0; i < cannot.n; i++)
			tx_error(r, NULL, "cannot record %s", cannot.v[i]);
		tx_error(r, NULL, "tenxen profile recorded nothing");
		rc = h.root ? -ENOTSUP : -EPERM;
		goto out;
	}
	if (!h.perf)
		strv_push(
			&cannot,
			"dom0's symbols: perf is not installed; install the @profiler set (apt install linux-perf)");
	if (!h.xentrace)
		strv_push(
			&cannot,
			"the hypervisor trace: xentrace is not installed (xen-utils); install @profiler");
	if (!h.xentop)
		strv_push(
			&cannot,
			"the CPU of each domain: xentop is not installed (xen-utils); install @profiler");
	if (!h.perf && !h.xentrace && !h.xentop) {
		for (size_t i = 0; i < cannot.n; i++)
			tx_error(r, NULL, "cannot record %s", cannot.v[i]);
		rc = -ENOENT;
		goto out;
	}
	if (mkdir_p(o->output) < 0) {
		tx_error(r, NULL, "cannot make the folder %s: %s", o->output, strerror(errno));
		rc = -EIO;
		goto out;
	}
	if (h.vpmu)
		event = "cycles";
	else if (h.perf)
		strv_push(
			&cannot,
			"hardware counters in dom0: Xen's virtual PMU is off (no vpmu= on Xen's command line), so dom0 was sampled by the kernel's clock (cpu-clock), which sees no cache misses or stalls; turn it on with tenxen bootcfg set vpmu=ipc and reboot (docs/profiling.md)");
	tx_info(r, NULL, "recording the whole host for %u s into %s", o->seconds, o->output);
	if (h.xentrace) {
		const char *argv[] = {h.xentrace, "-D", "-S", "64",	  "-e",
				      TRACE_MASK, "-T", secs, trace_data, NULL};
		char *log = xasprintf("%s/xentrace.log", o->output);

		trace = start(argv, log, r);
		free(log);
	}
	if (h.xentop) {
		const char *argv[] = {h.xentop, "-b", "-d", "1", "-i", iters, NULL};
		char *log = xasprintf("%s/xentop.txt", o->output);

		top = start(argv, log, r);
		free(log);
	}
	if (h.perf) {
		const char *argv[] = {h.perf, "record",	 "-a", "-q",	"-e", event,
				      "-o",   perf_data, "--", "sleep", secs, NULL};
		char *log = xasprintf("%s/perf-record.log", o->output);

		perf = start(argv, log, r);
		free(log);
	}
	if (h.perf && finish(perf) != 0) {
		char *why = last_line(o->output, "perf-record.log");

		strv_push_owned(&cannot, xasprintf("dom0's symbols: perf record failed: %s", why));
		free(why);
		perf = -1;
	}
	if (h.xentrace && finish(trace) != 0) {
		char *why = last_line(o->output, "xentrace.log");

		strv_push_owned(&cannot,
				xasprintf("the hypervisor trace: xentrace failed: %s", why));
		free(why);
		trace = -1;
	}
	if (h.xentop && finish(top) != 0) {
		char *why = last_line(o->output, "xentop.txt");

		strv_push_owned(&cannot,
				xasprintf("the CPU of each domain: xentop failed: %s", why));
		free(why);
		top = -1;
	}
	{
		FILE *f = fopen(report_path, "w");
		char host[256] = "";
		time_t now = time(NULL);
		char when[64];

		if (!f) {
			tx_error(r, NULL, "cannot write %s: %s", report_path, strerror(errno));
			rc = -EIO;
			goto out;
		}
		gethostname(host, sizeof(host) - 1);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S %Z", localtime(&now));
		fprintf(f, "Tenxen profile of %s, %s: %u seconds\n", host, when, o->seconds);
		fprintf(f, "  Xen %s; vpmu %s\n",
			h.xen_version ? h.xen_version : "(version unknown)",
			h.vpmu ? h.vpmu : "off");
		if (h.xentop && top > 0) {
			char *text = slurp(o->output, "xentop.txt", NULL);

			report_domains(f, text);
			free(text);
		}
		if (h.perf && perf > 0) {
			char *text = NULL;
			const char *argv[] = {h.perf,	 "report",	    "-i",
					      perf_data, "--stdio",	    "--no-children",
					      "--sort",	 "dso,sym",	    "-g",
					      "none",	 "--percent-limit", "0.5",
					      NULL};

			if (run_quiet(r, argv, &text) == 0)
				report_symbols(f, text, event);
			else
				strv_push(&cannot,
					  "dom0's symbols: perf report failed (see the log)");
			free(text);
		}
		if (h.xentrace && trace > 0) {
			size_t len = 0;
			char *buf = slurp(o->output, "xentrace.bin", &len);

			report_trace(f, (const unsigned char *)buf, buf ? len : 0);
			free(buf);
		}
		if (cannot.n) {
			fprintf(f, "\nNot recorded\n");
			for (size_t i = 0; i < cannot.n; i++)
				fprintf(f, "  - %s\n", cannot.v[i]);
		}
		fprintf(f, "\nFiles: %s (perf.data, xentrace.bin, xentop.txt and this report)\n",
			o->output);
		if (fclose(f) != 0) {
			tx_error(r, NULL, "cannot write %s: %s", report_path, strerror(errno));
			rc = -EIO;
			goto out;
		}
	}
	{
		char *text = NULL;
		size_t len;

		if (read_file(report_path, &text, &len) == 0)
			fwrite(text, 1, len, out);
		free(text);
	}
out:
	host_free(&h);
	strv_free(&cannot);
	free(secs);
	free(iters);
	free(perf_data);
	free(trace_data);
	free(report_path);
	return rc;
}
