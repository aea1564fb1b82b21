/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * extlinux.conf as a model. A file is kept as its lines; each is understood as a directive
 * (keyword and argument), a comment or a blank, and belongs to the label above it. Only lines an
 * edit touches are written anew, so an unmodified file is emitted byte for byte, and everything
 * Tenxen does not own (comments, MENU lines, INCLUDE, other labels, order, indentation) stays.
 *
 * Ownership: extconf_parse() returns a model the caller frees with extconf_free() (NULL safe);
 * extconf_emit() returns text the caller frees.
 */
#ifndef TENXEN_EXTLINUX_H
#define TENXEN_EXTLINUX_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "bootcfg/lines.h"
#include "common/report.h"
#include "common/util.h"

struct ext_line {
	char *raw;    /* as read, without the line ending; NULL for a new line */
	char *indent; /* leading white space */
	char *kw;     /* the directive in lower case; NULL for a blank line or a comment */
	char *kw_raw; /* the directive as written */
	char *arg;    /* what follows it, without surrounding white space */
	char *orig;   /* arg as read: an edit keeps the spacing of the words it leaves */
	char *kwsep;  /* the white space between directive and argument, as read */
	char *trail;  /* trailing white space, as read */
	int label;    /* index of the label it follows, -1 before the first */
	int lineno;   /* 1-based; 0 for a line an edit added */
	bool dirty;   /* written anew from indent, kw_raw and arg */
	bool deleted;
	bool text; /* inside TEXT HELP ... ENDTEXT: never a directive */
};

struct ext_label {
	char *name;
	size_t line; /* index of its LABEL line */
};

struct extconf {
	struct cfg_file f; /* its path, line endings, last newline (bootcfg/lines.h) */
	struct ext_line *lines;
	size_t nlines;
	struct ext_label *labels;
	size_t nlabels;
	bool upper_case; /* the file writes its directives in upper case */
};

struct extconf *extconf_parse(const char *path, const char *text, size_t len, struct tx_report *r);
char *extconf_emit(const struct extconf *c, size_t *len);
void extconf_free(struct extconf *c);

/* Index of the last live line of label (or of the global part, label -1) with this directive,
 * or -1. */
ssize_t extconf_find(const struct extconf *c, int label, const char *kw);
/* The label called name (case as written), or -1. */
int extconf_label(const struct extconf *c, const char *name);
/* Set a line's argument (words separated by single spaces). The line is written anew, keeping
 * the spacing the file had around every word it still holds. */
void extconf_set_arg(struct extconf *c, size_t line, const char *arg);
/* Insert a new directive before line `at` (at == nlines appends), in the file's case and with
 * the given indent. Returns its index. */
size_t extconf_insert(struct extconf *c, size_t at, int label, const char *indent,
		      const char *kw_upper, const char *arg);
void extconf_delete(struct extconf *c, size_t line);
/* Split an argument into its words at spaces and tabs; seps (may be NULL) gets the white space
 * before each word. */
void extconf_words(const char *s, struct strv *words, struct strv *seps);
/* The location of a line, for messages. */
struct tx_loc extconf_loc(const struct extconf *c, size_t line);

#endif
