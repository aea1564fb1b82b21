/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The verbs of tenxen, one file each (cli/cmd_*.c), listed once in cli/main.c's table with
 * their usage. Each returns the process exit status: 0 done, 1 refused or failed, 2 usage.
 */
#ifndef TENXEN_COMMANDS_H
#define TENXEN_COMMANDS_H

#include <stdbool.h>

#include "common/report.h"

struct verb;

struct globals {
	struct tx_report *report;
	const char *machine;	      /* --machine FILE, or NULL for this machine's disks */
	const char *zoneinfo;	      /* where time zones are checked */
	const char *sys, *dev, *proc; /* where probing looks */
	const char *medium;	      /* --medium DEV */
	const char *root;	      /* --root DIR: an installed host's files; "" for / */
	const char *config;	      /* --config FILE: the extlinux config to edit */
	const struct verb *verb;      /* the verb running */
};

enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2 };

struct verb {
	const char *name;
	const char *synopsis; /* what follows "tenxen NAME"; lines after the first are whole */
	const char *summary;  /* one line for tenxen --help */
	const char *help;     /* more for tenxen NAME --help, or NULL */
	int (*run)(struct globals *g, int argc, char **argv);
};

/* The table of verbs, ending with a NULL name. */
extern const struct verb tx_verbs[];

/* The running verb's usage on stderr; returns EXIT_USAGE. */
int cli_usage(const struct globals *g);
/* getopt's '?': the word it did not take, through the report channel, then the usage. */
int cli_bad_option(const struct globals *g, char **argv);
/* A usage error as one sentence through the report channel; returns EXIT_USAGE. */
/* The screens (newt) draw on the terminal itself: their escape sequences pass unfiltered. */
void cli_raw_stdout(void);
/* --root DIR names a folder that exists (or is not given): else said, and false. Every verb's
 * --root passes through it before anything is read. */
bool cli_root_ok(const struct globals *g);
int cli_usage_error(const struct globals *g, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

int cmd_check(struct globals *g, int argc, char **argv);
int cmd_probe(struct globals *g, int argc, char **argv);
int cmd_plan(struct globals *g, int argc, char **argv);
int cmd_serial_console(struct globals *g, int argc, char **argv);
int cmd_bootcfg(struct globals *g, int argc, char **argv);
int cmd_install(struct globals *g, int argc, char **argv);
int cmd_guest(struct globals *g, int argc, char **argv);
int cmd_profile(struct globals *g, int argc, char **argv);

/* The pipeline's settings from the options every verb shares. */
struct pipeline;
void cli_pipeline(const struct globals *g, struct pipeline *pl);

#endif
