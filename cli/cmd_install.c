// SPDX-License-Identifier: GPL-2.0-or-later
/* tenxen install: plan, check, then apply; --dry-run stops after showing the plan. */
#include <errno.h>
#include <unistd.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "apply/apply.h"
#include "apply/target.h"
#include "cli/commands.h"
#include "cli/events.h"
#include "common/atomic.h"
#include "common/run.h"
#include "common/util.h"
#include "plan/pipeline.h"
#include "net/fetch.h"
#include "net/payload.h"
#include "ui/wizard.h"

struct install_args {
	const char *answers, *log_path, *finish_file, *save_answers, *report_url;
	bool dry_run, payload_given, interactive;
	struct apply_opts ao;
	struct pipeline pl;
	struct payload_limits limits;  /* from TENXEN_PAYLOAD_TRIES, _MIN_RATE, _GRACE */
	struct payload_remote *remote; /* --payload URL, opened */
	char *release;		       /* the payload's Debian release, when it says one */
	char *cache;		       /* its small files' folder, removed at the end */
};

/*
 * The install's log, appended to: a regular file (made if missing), never a FIFO or a device,
 * which are refused at once instead of waited on. Close-on-exec: not inherited by lvm, mdadm...
 */
static int open_log(struct globals *g, const char *path)
{
	struct stat st;
	bool odd = stat(path, &st) == 0 && !S_ISREG(st.st_mode);
	int fd = odd ? -1
		     : open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NONBLOCK | O_NOCTTY,
			    0600);

	if (odd || (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)))) {
		if (fd >= 0)
			close(fd);
		tx_error(
			g->report, NULL,
			"the log %s is not a regular file (a FIFO, a device or a socket); give a file's path",
			path);
		return EXIT_FAILED;
	}
	if (fd >= 0)
		fcntl(fd, F_SETFL, O_APPEND);
	g->report->log = fd >= 0 ? fdopen(fd, "a") : NULL;
	if (!g->report->log) {
		tx_error(g->report, NULL, "cannot open the log %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return EXIT_FAILED;
	}
	return EXIT_OK;
}

/* A positive count from the environment, at most max; 0 (the default) when unset or not one. */
static unsigned env_count(const char *name, unsigned max)
{
	const char *v = getenv(name);
	char *end;
	unsigned long n = v ? strtoul(v, &end, 10) : 0;

	return v && *v && !*end && n <= max ? (unsigned)n : 0;
}

/*
 * --payload URL: its manifest and small files fetched and checked into a folder of this run's
 * own, which then stands for the payload (ao.payload); the large files come when needed.
 */
static int open_remote(struct globals *g, struct install_args *a)
{
	const char *tmp = getenv("TMPDIR");
	int rc;

	if (!payload_is_url(a->ao.payload))
		return 0;
	a->limits.tries = env_count("TENXEN_PAYLOAD_TRIES", 99);
	a->limits.min_rate = env_count("TENXEN_PAYLOAD_MIN_RATE", 1u << 30);
	a->limits.grace = env_count("TENXEN_PAYLOAD_GRACE", 86400);
	a->cache = xasprintf("%s/tenxen-payload-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(a->cache)) {
		rc = -errno;
		tx_error(g->report, NULL, "cannot make a folder %s for the payload's manifest: %s",
			 a->cache, strerror(errno));
		free(a->cache);
		a->cache = NULL;
		return rc;
	}
	rc = payload_remote_open(a->ao.payload, a->cache, a->pl.fetch_timeout, &a->limits,
				 g->report, &a->remote);
	if (rc == 0) {
		a->ao.remote = a->remote;
		a->ao.payload = a->cache;
	}
	return rc;
}

static void close_remote(struct install_args *a)
{
	if (a->cache) {
		const char *argv[] = {"rm", "-rf", "--", a->cache, NULL};
		struct tx_report quiet = {0};

		run_quiet(&quiet, argv, NULL);
	}
	payload_remote_free(a->remote);
	free(a->cache);
}

/* One line of wall times per phase: storage, unpack, configure, bootloader, packages, scripts. */
static void print_phases(const double *sec, double total)
{
	double storage = 0, scripts = sec[OP_SCRIPT_PRE] + sec[OP_SCRIPT_POST];

	for (int k = OP_WIPE; k <= OP_MOUNT; k++)
		storage += sec[k];
	printf("tenxen: phases: storage %.1f s, unpack %.1f s, configure %.1f s, bootloader %.1f s, packages %.1f s, scripts %.1f s, finish %.1f s, total %.1f s\n",
	       storage, sec[OP_UNPACK], sec[OP_FSTAB] + sec[OP_RESTORE] + sec[OP_CONFIGURE],
	       sec[OP_BOOTLOADER], sec[OP_PACKAGES], scripts, sec[OP_CARRY_DROP] + sec[OP_FINISH],
	       total);
}

static int parse_args(struct globals *g, int argc, char **argv, struct install_args *a)
{
	static const struct option opts[] = {
		{"answers", required_argument, NULL, 'a'},
		{"storage-only", no_argument, NULL, 's'},
		{"target", required_argument, NULL, 't'},
		{"log", required_argument, NULL, 'l'},
		{"dry-run", no_argument, NULL, 'n'},
		{"machine", required_argument, NULL, 'm'},
		{"payload", required_argument, NULL, 'p'},
		{"finish-file", required_argument, NULL, 'f'},
		{"interactive", no_argument, NULL, 'i'},
		{"save-answers", required_argument, NULL, 'S'},
		{"report", required_argument, NULL, 'r'},
		{NULL, 0, NULL, 0},
	};
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			a->answers = optarg;
			break;
		case 's':
			a->ao.storage_only = true;
			break;
		case 't':
			a->pl.target = optarg;
			break;
		case 'l':
			a->log_path = optarg;
			break;
		case 'n':
			a->dry_run = true;
			break;
		case 'm':
			a->pl.machine = g->machine = optarg;
			break;
		case 'p':
			a->ao.payload = optarg;
			a->payload_given = true;
			break;
		case 'f':
			a->finish_file = optarg;
			break;
		case 'i':
			a->interactive = true;
			break;
		case 'S':
			a->save_answers = optarg;
			break;
		case 'r':
			a->report_url = optarg;
			break;
		default:
			return cli_bad_option(g, argv);
		}
	}
	if (optind < argc)
		return cli_usage_error(g, "install takes no argument %s", argv[optind]);
	if (a->answers && a->interactive)
		return cli_usage_error(g,
				       "install takes --answers FILE or --interactive, not both");
	if (!a->answers && !a->interactive)
		return cli_usage_error(
			g,
			"install needs its answer file (tenxen install --answers FILE) or --interactive for the installer's screens");
	if (a->report_url && (a->interactive || !fetch_is_url(a->report_url) ||
			      strncasecmp(a->report_url, "http", 4) != 0))
		return cli_usage_error(
			g, "--report takes an http or https URL, and goes with --answers: %s",
			a->report_url);
	if (a->save_answers && !a->interactive)
		return cli_usage_error(
			g, "--save-answers is for --interactive: an answer file is already one");
	if (g->machine && !a->dry_run)
		return cli_usage_error(
			g,
			"--machine describes a recorded machine, which cannot be installed onto; add --dry-run");
	if (!a->pl.target[0] || a->pl.target[0] != '/')
		return cli_usage_error(g, "--target %s: give an absolute folder, such as /target",
				       a->pl.target);
	return EXIT_OK;
}

static double since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}
/* The %pre scripts, before the plan, for an answer file whose %include one of them writes. A
 * failing script stops the install only with --erroronfail, as when the plan runs them. */
static int run_pre(const struct spec *s, void *ctx, struct tx_report *r)
{
	const struct install_args *a = ctx;
	const struct target_ctx t = {.target = a->pl.target};

	for (size_t i = 0; i < s->nscripts; i++) {
		struct op_script *sc;
		int rc;

		if (s->scripts[i].kind != SCRIPT_PRE)
			continue;
		sc = op_script_of(&s->scripts[i]);
		rc = target_script(&t, sc, r);
		if (rc < 0 && !sc->erroronfail)
			tx_warn(r, NULL,
				"the script of %s failed; going on (add --erroronfail to stop)",
				sc->from);
		op_script_free(sc);
		if (rc < 0 && s->scripts[i].erroronfail)
			return rc;
	}
	return 0;
}

/* The payload's Debian release, when it says one: the plan names it (the host's apt sources). */
static void take_release(struct install_args *a)
{
	if (!a->ao.payload || payload_is_url(a->ao.payload))
		return;
	free(a->release);
	a->release = payload_release(a->ao.payload);
	if (a->release)
		a->pl.release = a->release;
}

/* From an answer file: plan, check the payload, then show (--dry-run) or apply. */
static int unattended(struct globals *g, struct install_args *a)
{
	double seconds[OP_FINISH + 1] = {0};
	struct spec *s = NULL;
	struct machine *m = NULL;
	struct plan *p = NULL;
	struct timespec t0;
	int rc;

	struct install_events *ev = events_new(a->report_url, g->report);

	a->ao.seconds = seconds;
	a->ao.events = events_lines(ev);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (a->report_url) {
		/* the cards say which machine reports: the recorded ones, else a quick look (what is
		 * wrong with a profile is said once, by the pipeline) */
		struct tx_report quiet = {0};
		struct machine *who = NULL;

		if (a->pl.machine)
			machine_load(a->pl.machine, &quiet, &who);
		else
			machine_probe_nics(who = xzalloc(sizeof(*who)), &a->pl.probe);
		events_identify(ev, who);
		machine_free(who);
	}
	events_start(ev, a->answers);
	if (!a->dry_run) {
		a->pl.run_pre = run_pre;
		a->pl.pre_ctx = a;
	}
	/* the payload first, when it is read: its release is the one the plan names */
	rc = 0;
	if (!a->ao.storage_only && (!a->dry_run || a->payload_given))
		rc = open_remote(g, a);
	if (rc == 0)
		take_release(a);
	if (rc == 0)
		rc = pipeline_plan(&a->pl, a->answers, &s, &m, &p);
	if (rc == 0 && !a->ao.storage_only && (!a->dry_run || a->payload_given)) {
		const struct target_ctx t = {
			.payload = a->ao.payload, .remote = a->remote, .plan = p};

		rc = target_check_payload(&t, g->report);
	}
	if (rc < 0) {
		fprintf(stderr, "tenxen: the install was refused before any disk was touched\n");
		events_failed(ev, NULL, NULL); /* no whole plan: the log's end says why */
	} else if (a->dry_run) {
		plan_print(p, m, stdout);
		events_done(ev, since(&t0));
	} else {
		rc = apply_plan(p, &a->ao, g->report);
		if (rc < 0)
			events_failed(ev, p, m);
		if (rc == 0) {
			double total = since(&t0);

			events_done(ev, total);
			print_phases(seconds, total);
			if (a->ao.storage_only)
				printf("tenxen: storage done in %.1f s; the target is mounted at %s\n",
				       total, p->target);
			else
				printf("tenxen: install done in %.1f s; the host boots from its disks now\n",
				       total);
			if (a->finish_file) {
				char *text = xasprintf("%s\n", finish_name(s->finish));

				atomic_write_file(g->report, a->finish_file, text, strlen(text),
						  0644, false);
				free(text);
			}
		}
	}
	events_free(ev);
	plan_free(p);
	machine_free(m);
	spec_free(s);
	return rc == 0 ? EXIT_OK : EXIT_FAILED;
}

int cmd_install(struct globals *g, int argc, char **argv)
{
	struct install_args a = {0};
	int rc;

	apply_opts_init(&a.ao);
	a.ao.fault_after = getenv("TENXEN_FAULT_AFTER");
	a.ao.sys = g->sys;
	a.ao.proc = g->proc;
	a.ao.tmp = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	cli_pipeline(g, &a.pl);
	rc = parse_args(g, argc, argv, &a);
	if (rc != EXIT_OK)
		return rc;
	if (a.log_path && a.dry_run) {
		/* a dry run writes nothing, its log neither */
		tx_info(g->report, NULL, "dry run: the log %s is not written", a.log_path);
		a.log_path = NULL;
	}
	if (a.log_path) {
		rc = open_log(g, a.log_path);
		if (rc != EXIT_OK)
			return rc;
		a.ao.log_path = a.log_path;
	}
	if (a.interactive)
		cli_raw_stdout();
	if (a.interactive) {
		const struct interactive_opts io = {.dry_run = a.dry_run,
						    .save_answers = a.save_answers,
						    .finish_file = a.finish_file};

		rc = open_remote(g, &a) < 0 ? EXIT_FAILED : 0;
		if (rc == 0) {
			take_release(&a);
			rc = install_interactive(&a.pl, &a.ao, &io);
		}
	} else {
		rc = unattended(g, &a);
	}
	close_remote(&a);
	free(a.release);
	if (g->report->log)
		fclose(g->report->log);
	g->report->log = NULL;
	return rc;
}
