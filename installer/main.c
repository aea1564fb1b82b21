// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tenxen: turns bare machines into Xen hosts. One program, one subcommand per file
 * (installer/cmd_*.c); this file reads the options every subcommand shares and dispatches.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/util.h"
#include "../disk/inventory.h"
#include "commands.h"
#include "frontend.h"

#ifndef TENXEN_VERSION
#define TENXEN_VERSION "0.1"
#endif

static void usage(FILE *out)
{
	fputs("Usage: tenxen [OPTIONS] COMMAND [ARGS]\n"
	      "\n"
	      "Commands:\n"
	      "  check [--strict] [--canonical] FILE...   validate answer files; touch nothing\n"
	      "  probe [--json] [--record FILE] [--disk DEV]...\n"
	      "                                           list this machine's disks and what they hold\n"
	      "  plan --answers FILE [--json]             print every operation an install would do\n"
	      "  install --answers FILE [--storage-only] [--log FILE] [--dry-run]\n"
	      "                                           install: plan, check, then write the disks\n"
	      "  serial-console [--port ttyS0] [--speed 115200] [--remove] [--dry-run]\n"
	      "                                           turn an installed host's serial console on or off\n"
	      "  bootcfg show | set KEY=VALUE... | refresh | new --answers FILE\n"
	      "                                           read or change an installed host's extlinux.conf\n"
	      "  guest templates | create --template NAME --name NAME [--size SIZE] [--dry-run]\n"
	      "                                           list guest templates; make a guest from one\n"
	      "  profile [--seconds N] [--output DIR]     record the whole Xen host; write a report\n"
	      "  version                                  print the version\n"
	      "\n"
	      "Options for every command:\n"
	      "  --machine FILE    use a recorded machine profile instead of this machine's disks\n"
	      "  --zoneinfo DIR    where time zones are checked (default /usr/share/zoneinfo)\n"
	      "  --sys DIR, --dev DIR, --proc DIR\n"
	      "                    where probing looks (default /sys, /dev, /proc)\n"
	      "  --medium DEV      the device Tenxen booted from, never a target\n"
	      "  --root DIR        an installed host's files are under DIR (default /)\n"
	      "  --config FILE     the extlinux configuration to change (default: where extlinux looks)\n"
	      "\n"
	      "docs/answer-file.md describes the answer-file language.\n",
	      out);
}

int load_machine(struct globals *g, struct machine **out)
{
	struct probe_paths pp;

	if (g->machine)
		return machine_load(g->machine, g->report, out);
	probe_paths_default(&pp);
	pp.sys = g->sys;
	pp.dev = g->dev;
	pp.proc = g->proc;
	pp.medium = g->medium;
	return machine_probe(&pp, g->report, out);
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
	const char *cmd;
	int c;

	if (getenv("TENXEN_ROOT"))
		g.root = getenv("TENXEN_ROOT"); /* for hooks run against a host under a folder */
	text_frontend_init(&ui, &tf);
	report.ui = &ui;
	/* "+": stop at the subcommand; it reads its own options */
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
			usage(stdout);
			return 0;
		case 'V':
			puts("tenxen " TENXEN_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	cmd = argv[optind];
	argc -= optind;
	argv += optind;
	optind = 0; /* reset getopt for the subcommand (0 also re-reads GNU extensions) */
	if (streq(cmd, "check"))
		return cmd_check(&g, argc, argv);
	if (streq(cmd, "probe"))
		return cmd_probe(&g, argc, argv);
	if (streq(cmd, "plan"))
		return cmd_plan(&g, argc, argv);
	if (streq(cmd, "serial-console"))
		return cmd_serial_console(&g, argc, argv);
	if (streq(cmd, "bootcfg"))
		return cmd_bootcfg(&g, argc, argv);
	if (streq(cmd, "install"))
		return cmd_install(&g, argc, argv);
	if (streq(cmd, "guest"))
		return cmd_guest(&g, argc, argv);
	if (streq(cmd, "profile"))
		return cmd_profile(&g, argc, argv);
	if (streq(cmd, "version")) {
		puts("tenxen " TENXEN_VERSION);
		return 0;
	}
	if (streq(cmd, "help")) {
		usage(stdout);
		return 0;
	}
	{
		static const char *const cmds[] = {"check",	     "probe",	"plan",	 "install",
						   "serial-console", "bootcfg", "guest", "profile",
						   "version",	     "help"};
		const char *d = did_you_mean(cmd, cmds, ARRAY_SIZE(cmds));

		fprintf(stderr,
			"tenxen: error: unknown command \"%s\"%s%s%s; tenxen --help lists them\n",
			cmd, d ? "; did you mean " : "", d ? d : "", d ? "?" : "");
	}
	return 2;
}
