/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * How the silent core speaks. Parsing, planning and applying never print: they hand each message
 * to the frontend's callbacks (newt, plain text, tests). A message is logged once, where the
 * problem is found, and says what is wrong, where, and how to fix it.
 */
#ifndef TENXEN_REPORT_H
#define TENXEN_REPORT_H

#include <stdarg.h>
#include <stdio.h>

enum tx_level {
	TX_DEBUG,
	TX_INFO,
	TX_WARNING,
	TX_ERROR,
};

/* Where a message points: an answer-file line, or nothing (file NULL). Not owned. */
struct tx_loc {
	const char *file;
	int line;
};

struct tx_ui {
	/* One finished sentence, at a place (loc may be NULL). */
	void (*message)(void *data, enum tx_level level, const struct tx_loc *loc,
			const char *text);
	/* Progress of a long run: step of nsteps, and what it is doing. May be NULL. */
	void (*progress)(void *data, unsigned step, unsigned nsteps, const char *what);
	void *data;
};

/* The channel a core function reports through; counts what it said. */
struct tx_report {
	const struct tx_ui *ui;
	unsigned errors;
	unsigned warnings;
	FILE *log; /* when set, every message and every command run is also written here */
};

void tx_msg(struct tx_report *r, enum tx_level level, const struct tx_loc *loc, const char *fmt,
	    ...) __attribute__((format(printf, 4, 5)));
void tx_vmsg(struct tx_report *r, enum tx_level level, const struct tx_loc *loc, const char *fmt,
	     va_list ap);
#define tx_error(r, loc, ...) tx_msg((r), TX_ERROR, (loc), __VA_ARGS__)
#define tx_warn(r, loc, ...)  tx_msg((r), TX_WARNING, (loc), __VA_ARGS__)
#define tx_info(r, loc, ...)  tx_msg((r), TX_INFO, (loc), __VA_ARGS__)

#endif
