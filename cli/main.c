// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tenxen: turns bare machines into Xen hosts. One program, one verb per file (cli/cmd_*.c); this
 * file holds the table of verbs with their usage, reads the options every verb shares, and
 * dispatches. Exit status: 0 done, 1 refused or failed, 2 the command line was wrong.
 */
#include <errno.h>
#include <unistd.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>

#include "cli/commands.h"
#include "common/atomic.h"
#include "common/util.h"
#include "plan/pipeline.h"
#include "ui/frontend.h"

#ifndef TENXEN_VERSION
#define TENXEN_VERSION "0.1"
#endif

static int cmd_version(struct globals *g, int argc, char **argv);
static int cmd_help(struct globals *g, int argc, char **argv);

const struct verb tx_verbs[] = {
	{"check", "[--strict] [--canonical | --json] [--machine FILE] FILE...",
	 "validate answer files; touch nothing",
	 "With --machine, also plan each file against that recorded machine. --canonical writes\n"
	 "the spec back as an answer file, --json what it means as JSON; --strict counts warnings\n"
	 "as failures.",
	 cmd_check},
	{"probe", "[--json] [--record FILE] [--disk DEV]...",
	 "list this machine's disks, what they hold, its network cards and memory", NULL,
	 cmd_probe},
	{"plan", "--answers FILE|URL [--machine FILE] [--json]",
	 "print every operation an install would do; write nothing", NULL, cmd_plan},
	{"install",
	 "--answers FILE|URL [--storage-only] [--target DIR] [--payload DIR|URL] [--log FILE]\n"
	 "                       [--finish-file FILE] [--report URL] [--dry-run]\n"
	 "       tenxen install --interactive [--save-answers FILE] [--dry-run] [--payload DIR|URL]\n"
	 "                       [--log FILE] [--finish-file FILE]",
	 "install: plan, check, then write the disks",
	 "--target DIR is where the new root is mounted while it is installed (default /target).\n"
	 "--report URL posts each step as JSON (start, progress, done or failed) to an http(s) URL.\n"
	 "--payload URL reads the payload from a web server (make netboot's tree): its manifest\n"
	 "payload.sums first, then each file, checked against it.",
	 cmd_install},
	{"serial-console",
	 "[--port ttyS0|ttyS1|ttyS2|ttyS3] [--speed 9600|19200|38400|57600|115200]\n"
	 "                       [--remove] [--dry-run]",
	 "turn an installed host's serial console on or off",
	 "On a UEFI host the change goes to the xen.cfg of every EFI System Partition.",
	 cmd_serial_console},
	{"bootcfg",
	 "[--dry-run] show | set KEY=VALUE... | refresh [--quiet] | new --answers FILE [--force]\n"
	 "       tenxen bootcfg install --boot DIR --disk DEV[:N]... [--syslinux DIR]",
	 "read or change an installed host's boot config; install extlinux on boot disks",
	 "The boot config is extlinux.conf on BIOS, and on UEFI the xen.cfg of every EFI System\n"
	 "Partition (each given the same change; refresh also copies xen.efi, the kernel and\n"
	 "its initrd onto each). set takes these keys:\n"
	 "  dom0_mem=SIZE[,max:SIZE]  vpmu=off|on|bts|ipc|arch  xen-append=\"OPTIONS\"\n"
	 "  dom0-append=\"OPTIONS\" (dom0's kernel)  default=ENTRY",
	 cmd_bootcfg},
	{"guest",
	 "[list]\n"
	 "       tenxen guest templates [--templates DIR]\n"
	 "       tenxen guest create --template NAME --name NAME [--size SIZE] [--memory SIZE]\n"
	 "                       [--vcpus N] [--iso PATH] [--mirror URL] [--vg VG] [--mirrors N]\n"
	 "                       [--bridge BRIDGE|none] [--templates DIR] [--dry-run]\n"
	 "       tenxen guest delete NAME --yes",
	 "list the guests, or the templates; make a guest from one; delete one",
	 "list (the default) shows each guest of /etc/xen/*.cfg: its type, memory, vCPUs,\n"
	 "state (from xl list) and disks (each with its size, or missing).\n"
	 "delete removes a stopped guest's volumes, then its config; --yes is the confirmation.\n"
	 "Templates are the package's in /usr/share/tenxen/templates and the host's own in\n"
	 "/etc/tenxen/templates, which override them; the guest volume group, its copies and\n"
	 "the bridge come from /etc/tenxen/guests.conf. guests.md has the details.",
	 cmd_guest},
	{"profile", "[--seconds N] [--output DIR]", "record the whole Xen host; write a report",
	 "Records the whole Xen host for N seconds (default 10) while your workload runs:\n"
	 "perf in dom0, xentrace in the hypervisor, xentop for every domain. The report\n"
	 "and the recordings go to DIR (default /var/log/tenxen/profile-DATE-TIME).",
	 cmd_profile},
	{"version", "", "print the version", NULL, cmd_version},
	{"help", "[COMMAND]", "this text, or one command's", NULL, cmd_help},
	{NULL, NULL, NULL, NULL, NULL},
};

static const char global_options[] =
	"Options for every command, before it:\n"
	"  --machine FILE    use a recorded machine profile instead of this machine's disks\n"
	"  --zoneinfo DIR    where time zones are checked (default /usr/share/zoneinfo)\n"
	"  --sys DIR, --dev DIR, --proc DIR\n"
	"                    where probing looks (default /sys, /dev, /proc)\n"
	"  --medium DEV      the device Tenxen booted from, never a target\n"
	"  --root DIR        an installed host's files are under DIR (default /)\n"
	"  --config FILE     the extlinux.conf or xen.cfg to change (default: the host's own)\n"
	"  --help, --version\n";

static void usage_all(FILE *out)
{
	fputs("Usage: tenxen [OPTIONS] COMMAND [ARGS]\n\nCommands:\n", out);
	for (const struct verb *v = tx_verbs; v->name; v++)
		fprintf(out, "  %s%s%s\n                    %s\n", v->name, *v->synopsis ? " " : "",
			v->synopsis, v->summary);
	fprintf(out, "\n%s\n", global_options);
	fputs("tenxen COMMAND --help says more of a command; man tenxen says all of it, and\n"
	      "man tenxen-answers the answer-file language. Exit status: 0 done, 1 refused or\n"
	      "failed, 2 the command line was wrong.\n",
	      out);
}

static void usage_verb(const struct verb *v, FILE *out, bool full)
{
	fprintf(out, "Usage: tenxen %s%s%s\n", v->name, *v->synopsis ? " " : "", v->synopsis);
	if (!full)
		return;
	fprintf(out, "\n%s.\n", v->summary);
	if (v->help)
		fprintf(out, "%s\n", v->help);
}

int cli_usage(const struct globals *g)
{
	usage_verb(g->verb, stderr, false);
	fprintf(stderr, "tenxen %s --help says more.\n", g->verb->name);
	return EXIT_USAGE;
}

int cli_bad_option(const struct globals *g, char **argv)
{
	tx_error(g->report, NULL, "%s: no such option for %s, or its value is missing",
		 argv[optind - 1], g->verb->name);
	return cli_usage(g);
}

int cli_usage_error(const struct globals *g, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tx_vmsg(g->report, TX_ERROR, NULL, fmt, ap);
	va_end(ap);
	return EXIT_USAGE;
}

/*
 * What the verbs print goes through here: a control character other than newline and tab (an
 * escape sequence, a carriage return, in a guest's name, a disk's label or a file name from a
 * host tree) is written as \xNN, never raw to the terminal. The report channel does the same
 * for messages (ui/frontend_text.c).
 */
static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static ssize_t printable_write(void *cookie, const char *buf, size_t n)
{
	char out[4096];
	size_t o = 0;

	(void)cookie;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)buf[i];

		if (o > sizeof(out) - 8) {
			if (write_all(STDOUT_FILENO, out, o) < 0)
				return -1;
			o = 0;
		}
		if ((ch < 0x20 && ch != '\n' && ch != '\t') || ch == 0x7f)
			o += (size_t)snprintf(out + o, sizeof(out) - o, "\\x%02x", ch);
		else
			out[o++] = (char)ch;
	}
	return o && write_all(STDOUT_FILENO, out, o) < 0 ? -1 : (ssize_t)n;
}

static FILE *raw_stdout;

static void printable_stdout(void)
{
	static const cookie_io_functions_t io = {.write = printable_write};
	FILE *f = fopencookie(NULL, "w", io);

	if (f) {
		fflush(stdout);
		raw_stdout = stdout;
		stdout = f;
	}
}

void cli_raw_stdout(void)
{
	if (raw_stdout) {
		fflush(stdout);
		stdout = raw_stdout;
		raw_stdout = NULL;
	}
}

bool cli_root_ok(const struct globals *g)
{
	struct stat st;

	if (!g->root || !*g->root)
		return true;
	if (stat(g->root, &st) == 0 && S_ISDIR(st.st_mode))
		return true;
	tx_error(g->report, NULL,
		 "--root %s: there is no such folder; give the folder that holds the host's files",
		 g->root);
	return false;
}

void cli_pipeline(const struct globals *g, struct pipeline *pl)
{
	const char *wait = getenv("TENXEN_FETCH_TIMEOUT");

	pipeline_init(pl);
	pl->report = g->report;
	pl->zoneinfo = g->zoneinfo;
	pl->machine = g->machine;
	pl->probe.sys = g->sys;
	pl->probe.dev = g->dev;
	pl->probe.proc = g->proc;
	pl->probe.medium = g->medium;
	if (wait && atoi(wait) > 0)
		pl->fetch_timeout = (unsigned)atoi(wait);
}

static const struct verb *find_verb(const char *name)
{
	for (const struct verb *v = tx_verbs; v->name; v++)
		if (streq(v->name, name))
			return v;
	return NULL;
}

static int cmd_version(struct globals *g, int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return cli_usage(g);
	puts("tenxen " TENXEN_VERSION);
	return EXIT_OK;
}

static int cmd_help(struct globals *g, int argc, char **argv)
{
	const struct verb *v;

	if (argc < 2) {
		usage_all(stdout);
		return EXIT_OK;
	}
	v = find_verb(argv[1]);
	if (!v || argc > 2)
		return cli_usage_error(g, "help takes one command: tenxen help COMMAND");
	usage_verb(v, stdout, true);
	return EXIT_OK;
}

/* --help anywhere among a verb's words (before a "--") asks for its usage. */
static bool asks_help(int argc, char **argv)
{
	for (int i = 1; i < argc && !streq(argv[i], "--"); i++)
		if (streq(argv[i], "--help") || streq(argv[i], "-h"))
			return true;
	return false;
}

static void unknown_verb(struct globals *g, const char *cmd)
{
	const char *names[ARRAY_SIZE(tx_verbs)];
	size_t n = 0;
	const char *d;

	for (const struct verb *v = tx_verbs; v->name; v++)
		names[n++] = v->name;
	d = did_you_mean(cmd, names, n);
	tx_error(g->report, NULL, "unknown command \"%s\"%s%s%s; tenxen --help lists them", cmd,
		 d ? "; did you mean " : "", d ? d : "", d ? "?" : "");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"machine", required_argument, NULL, 'm'},
		{"zoneinfo", required_argument, NULL, 'z'},
		{"sys", required_argument, NULL, 'S'},
		{"dev", required_argument, NULL, 'D'},
		{"proc", required_argument, NULL, 'P'},
		{"medium", required_argument, NULL, 'M'},
		{"root", required_argument, NULL, 'R'},
		{"config", required_argument, NULL, 'C'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	struct text_frontend tf = {stderr, TX_INFO};
	struct tx_ui ui;
	struct tx_report report = {0};
	struct globals g = {.report = &report,
			    .zoneinfo = "/usr/share/zoneinfo",
			    .sys = "/sys",
			    .dev = "/dev",
			    .proc = "/proc",
			    .root = ""};
	const struct verb *v;
	int c;

	if (getenv("TENXEN_ROOT"))
		g.root = getenv("TENXEN_ROOT"); /* for hooks run against a host under a folder */
	printable_stdout();
	atomic_fault_at(getenv("TENXEN_FAULT")); /* the fault tests' kill points */
	text_frontend_init(&ui, &tf);
	report.ui = &ui;
	opterr = 0; /* getopt's own complaints would bypass the report channel */
	/* "+": stop at the verb; it reads its own options */
	while ((c = getopt_long(argc, argv, "+hV", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			g.machine = optarg;
			break;
		case 'z':
			g.zoneinfo = optarg;
			break;
		case 'S':
			g.sys = optarg;
			break;
		case 'D':
			g.dev = optarg;
			break;
		case 'P':
			g.proc = optarg;
			break;
		case 'M':
			g.medium = optarg;
			break;
		case 'R':
			g.root = optarg;
			break;
		case 'C':
			g.config = optarg;
			break;
		case 'h':
			usage_all(stdout);
			return EXIT_OK;
		case 'V':
			puts("tenxen " TENXEN_VERSION);
			return EXIT_OK;
		default:
			tx_error(&report, NULL,
				 "unknown or incomplete option %s; tenxen --help lists them",
				 argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage_all(stderr);
		return EXIT_USAGE;
	}
	v = find_verb(argv[optind]);
	if (!v) {
		unknown_verb(&g, argv[optind]);
		return EXIT_USAGE;
	}
	g.verb = v;
	argc -= optind;
	argv += optind;
	if (asks_help(argc, argv)) {
		usage_verb(v, stdout, true);
		return EXIT_OK;
	}
	if (!cli_root_ok(&g))
		return EXIT_USAGE;
	optind = 0; /* reset getopt for the verb (0 also re-reads GNU extensions) */
	return v->run(&g, argc, argv);
}
