/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The subcommands of tenxen, one file each. Each returns the process exit status. */
#ifndef TENXEN_COMMANDS_H
#define TENXEN_COMMANDS_H

#include <stdbool.h>

#include "../common/report.h"

struct globals {
	struct tx_report *report;
	const char *machine;	      /* --machine FILE, or NULL for this machine's disks */
	const char *zoneinfo;	      /* where time zones are checked */
	const char *sys, *dev, *proc; /* where probing looks */
	const char *medium;	      /* --medium DEV */
	const char *root;	      /* --root DIR: an installed host's files; "" for / */
	const char *config;	      /* --config FILE: the extlinux config to edit */
};

int cmd_check(struct globals *g, int argc, char **argv);
int cmd_probe(struct globals *g, int argc, char **argv);
int cmd_plan(struct globals *g, int argc, char **argv);
int cmd_serial_console(struct globals *g, int argc, char **argv);
int cmd_bootcfg(struct globals *g, int argc, char **argv);
int cmd_install(struct globals *g, int argc, char **argv);
int cmd_guest(struct globals *g, int argc, char **argv);
int cmd_profile(struct globals *g, int argc, char **argv);

/*
 * Read and check an answer file, take the machine (--machine or a probe), and plan. Returns 0
 * with everything set (caller frees each), or a negative errno having reported why; what was
 * made before the failure is set too, for the caller to free.
 */
struct spec;
struct machine;
struct plan;
int plan_from_answers(struct globals *g, const char *answers, struct spec **s, struct machine **m,
		      struct plan **p);

/* The machine to plan for: the profile named by --machine, or a probe. Returns 0 or -errno. */
int load_machine(struct globals *g, struct machine **out);

/* tenxen install --interactive (cmd_install_interactive.c): the newt screens, then the same plan and apply. */
struct interactive_opts {
	bool dry_run;
	const char *save_answers; /* write the answer file here (0600) */
	const char *finish_file;  /* "reboot" or "shell", for the installer's /init */
};
struct apply_opts;
int install_interactive(struct globals *g, struct apply_opts *ao,
			const struct interactive_opts *io);

#endif
