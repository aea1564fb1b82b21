/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Inside the answer-file reader (lang/answers.c): a command as read, the parser's state, the
 * table of commands and the helpers their handlers share. The handlers live in
 * lang/ks_storage.c (disks, partitions, volumes), lang/ks_host.c (the host's upkeep: mirror,
 * timesource, updates) and lang/ks_system.c (the rest).
 * Not for other rooms: they use lang/answers.h.
 */
#ifndef TENXEN_READER_H
#define TENXEN_READER_H

#include <stdarg.h>

#include "lang/answers.h"

struct opt {
	char *name;
	char *value; /* NULL for a flag */
};

struct cmd {
	const char *name;
	struct strv args;
	struct opt *opts;
	size_t nopts;
	struct tx_loc loc;
};

struct parser {
	struct spec *s;
	struct tx_report *r;
	unsigned flags;
	int depth;
	unsigned includes;    /* files %include read, in all, and their bytes: a file that */
	size_t include_bytes; /* includes one many times over is bounded, not only a deep one */
	bool includes_over;   /* said once; the includes after it are left unread */
	struct strv stack;    /* real paths of the files being read, for include cycles */
	bool version_seen;
	/* singletons: where each was first given */
	struct tx_loc seen_xen, seen_profiler, seen_console, seen_tz, seen_kbd, seen_rootpw,
		seen_finish, seen_bootloader, seen_part, seen_hostname, seen_carry, seen_mirror,
		seen_updates;
};

enum opt_kind { FLAG, VALUE };

struct opt_def {
	const char *name;
	enum opt_kind kind;
};

struct cmd_def {
	const char *name;
	int min_args, max_args; /* -1: no limit */
	const char *args_hint;	/* what the arguments are, for messages */
	const struct opt_def *opts;
	void (*handle)(struct parser *p, struct cmd *c);
	bool secret; /* its words may be a password: never shown in a message */
};

/* The table of commands, in the order docs/answer-file.md lists them (lang/ks_table.c). */
extern const struct cmd_def ks_commands[];
extern const size_t ks_ncommands;

void ks_perr(struct parser *p, const struct tx_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ks_pwarn(struct parser *p, const struct tx_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* An option's value ("" for a flag), or NULL when the command lacks it. */
const char *ks_opt_get(const struct cmd *c, const char *name);
bool ks_opt_has(const struct cmd *c, const char *name);
/* A singleton command given twice is an error that names the first place. */
bool ks_once(struct parser *p, struct cmd *c, struct tx_loc *seen);
bool ks_valid_name(const char *s, size_t maxlen, const char *extra);
bool ks_valid_alias(const char *s);
bool ks_get_size(struct parser *p, struct cmd *c, const char *opt, uint64_t *out);
bool ks_get_int(struct parser *p, struct cmd *c, const char *opt, long lo, long hi, int *out);
void ks_get_aliases(struct parser *p, struct cmd *c, const char *what, const char *list,
		    struct strv *out);
/* A word of %packages or the packages command: @set or a package name. */
void ks_add_package(struct parser *p, const struct tx_loc *loc, const char *word);

/*
 * kickstart's spellings (lang/ks_kickstart.c): each returns true when it knew the command,
 * option (of a command, or of a section such as %post) or words, and said Tenxen's form at loc.
 */
bool ks_kickstart_command(struct parser *p, const struct tx_loc *loc, const char *name);
bool ks_kickstart_option(struct parser *p, const struct tx_loc *loc, const char *cmd,
			 const char *opt, const char *value);
bool ks_kickstart_words(struct parser *p, const struct cmd *c);
/* a word of %packages: kickstart's groups (@core, @^minimal-environment), -PACKAGE */
bool ks_kickstart_package(struct parser *p, const struct tx_loc *loc, const char *word);
/* kickstart's sections that Tenxen has not (%addon, %anaconda...): skipped to their %end */
bool ks_kickstart_section(struct parser *p, const char *name);

void ks_cmd_disk(struct parser *p, struct cmd *c);
void ks_cmd_clearpart(struct parser *p, struct cmd *c);
void ks_cmd_ignoredisk(struct parser *p, struct cmd *c);
void ks_cmd_bootloader(struct parser *p, struct cmd *c);
void ks_cmd_part(struct parser *p, struct cmd *c);
void ks_cmd_volgroup(struct parser *p, struct cmd *c);
void ks_cmd_preserve(struct parser *p, struct cmd *c);
void ks_cmd_carryover(struct parser *p, struct cmd *c);
void ks_cmd_logvol(struct parser *p, struct cmd *c);
/* the host (lang/ks_system.c) */
void ks_cmd_xen(struct parser *p, struct cmd *c);
void ks_cmd_profiler(struct parser *p, struct cmd *c);
void ks_cmd_console(struct parser *p, struct cmd *c);
void ks_cmd_network(struct parser *p, struct cmd *c);
void ks_cmd_timezone(struct parser *p, struct cmd *c);
void ks_cmd_keyboard(struct parser *p, struct cmd *c);
void ks_cmd_rootpw(struct parser *p, struct cmd *c);
void ks_cmd_sshkey(struct parser *p, struct cmd *c);
void ks_cmd_packages(struct parser *p, struct cmd *c);
void ks_cmd_finish(struct parser *p, struct cmd *c);
/* the host's upkeep (lang/ks_host.c): apt's mirror, time servers, automatic updates */
void ks_cmd_mirror(struct parser *p, struct cmd *c);
void ks_cmd_timesource(struct parser *p, struct cmd *c);
void ks_cmd_updates(struct parser *p, struct cmd *c);

#endif
