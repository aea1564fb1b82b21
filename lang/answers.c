// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reader for the answer-file language. Lines are joined at a trailing backslash, split into words
 * shell-style (single quotes literal, double quotes with \" and \\, # starts a comment at a word's
 * start), and dispatched by a table of commands that says which options each takes. Everything a
 * command says is checked here for its form; what needs the whole file (aliases, volume groups) is
 * checked by spec_validate().
 */
#include "lang/reader.h"
#include "lang/fields.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libgen.h>

#define MAX_INCLUDE_DEPTH 8
/* every %include of one run, however they nest: files read, and their bytes */
#define MAX_INCLUDES	  64
#define MAX_INCLUDE_BYTES ((size_t)16 << 20)

/* ---- words and lines ---- */

/*
 * Split one logical line into words. Returns 0, or -EINVAL with *why set (static text).
 */
static int split_words(const char *line, struct strv *out, const char **why)
{
	const char *q = line;
	/* one scratch buffer for every word of the line: no word is longer than the line */
	char *w;
	int rc = 0;

	for (const char *c = line; *c; c++)
		if (((unsigned char)*c < 0x20 && *c != '\t') || *c == 0x7f) {
			*why = "the line holds a control character; an answer file is plain text (remove it)";
			return -EINVAL;
		}
	w = xmalloc(strlen(line) + 1);
	for (;;) {
		size_t n = 0;
		bool have = false;

		while (*q == ' ' || *q == '\t')
			q++;
		if (!*q || *q == '#')
			break;
		while (*q && *q != ' ' && *q != '\t') {
			if (*q == '\'') {
				const char *e = strchr(q + 1, '\'');

				if (!e) {
					*why = "a single quote is not closed; close it on the same line";
					rc = -EINVAL;
					goto out;
				}
				memcpy(w + n, q + 1, (size_t)(e - q - 1));
				n += (size_t)(e - q - 1);
				q = e + 1;
			} else if (*q == '"') {
				q++;
				while (*q && *q != '"') {
					if (*q == '\\' && (q[1] == '"' || q[1] == '\\'))
						q++;
					w[n++] = *q++;
				}
				if (!*q) {
					*why = "a double quote is not closed; close it on the same line";
					rc = -EINVAL;
					goto out;
				}
				q++;
			} else if (*q == '\\' && q[1]) {
				w[n++] = q[1];
				q += 2;
			} else {
				w[n++] = *q++;
			}
			have = true;
		}
		if (have)
			strv_push_owned(out, xstrndup(w, n));
	}
out:
	free(w);
	return rc;
}

static const struct cmd_def *find_command(const char *name)
{
	for (size_t i = 0; i < ks_ncommands; i++)
		if (streq(ks_commands[i].name, name))
			return &ks_commands[i];
	return NULL;
}

static void suggest_command(struct parser *p, const struct tx_loc *loc, const char *name)
{
	const char *names[ks_ncommands];
	const char *d;

	for (size_t i = 0; i < ks_ncommands; i++)
		names[i] = ks_commands[i].name;
	d = did_you_mean(name, names, ks_ncommands);
	if (d)
		ks_perr(p, loc, "unknown command \"%s\"; did you mean %s?", name, d);
	else
		ks_perr(p, loc, "unknown command \"%s\"; docs/answer-file.md lists the commands",
			name);
}

static void run_command(struct parser *p, struct strv *words, const struct tx_loc *loc)
{
	const struct cmd_def *def = find_command(words->v[0]);
	struct cmd c = {.loc = *loc};
	bool bad = false;

	if (!def) {
		if (!ks_kickstart_command(p, loc, words->v[0]))
			suggest_command(p, loc, words->v[0]);
		return;
	}
	c.name = def->name;
	/* kickstart's words first (pv.01, raid.11, part /): the line's one message is that */
	if (!def->secret) {
		struct cmd pre = {.name = def->name, .loc = *loc};
		bool said;

		for (size_t i = 1; i < words->n; i++)
			if (!startswith(words->v[i], "--") || strlen(words->v[i]) == 2)
				strv_push(&pre.args, words->v[i]);
		said = ks_kickstart_words(p, &pre);
		strv_free(&pre.args);
		if (said)
			return;
	}
	for (size_t i = 1; i < words->n; i++) {
		const char *w = words->v[i];
		const struct opt_def *od = NULL;
		const char *eq;
		char *name;

		/* after rootpw's --plaintext or --iscrypted comes the password, whatever it starts with */
		if (!startswith(w, "--") || strlen(w) == 2 ||
		    (def->secret && i > 1 &&
		     (streq(words->v[i - 1], "--plaintext") ||
		      streq(words->v[i - 1], "--iscrypted")))) {
			strv_push(&c.args, w);
			continue;
		}
		eq = strchr(w, '=');
		name = eq ? xstrndup(w + 2, (size_t)(eq - w - 2)) : xstrdup(w + 2);
		for (const struct opt_def *o = def->opts; o->name; o++)
			if (streq(o->name, name))
				od = o;
		if (!od) {
			const char *cands[16];
			size_t n = 0;
			const char *d;

			for (const struct opt_def *o = def->opts; o->name && n < 16; o++)
				cands[n++] = o->name;
			d = did_you_mean(name, cands, n);
			if (ks_kickstart_option(p, loc, def->name, name, eq ? eq + 1 : NULL))
				; /* said, with Tenxen's form */
			else if (def->secret)
				ks_perr(p, loc,
					"%s has no such option (the word is not shown here: it may be a password); it takes %s",
					def->name, "--iscrypted, --plaintext and --lock");
			else if (d)
				ks_perr(p, loc, "%s has no option --%s; did you mean --%s?",
					def->name, name, d);
			else if (n == 0)
				ks_perr(p, loc, "%s takes no options; drop --%s", def->name, name);
			else
				ks_perr(p, loc,
					"%s has no option --%s; docs/answer-file.md lists its options",
					def->name, name);
			bad = true;
		} else if (ks_opt_has(&c, name)) {
			ks_perr(p, loc, "--%s is given twice; give it once", name);
			bad = true;
		} else if (od->kind == VALUE && !eq) {
			ks_perr(p, loc,
				"--%s needs a value; write --%s=VALUE with no spaces around =",
				name, name);
			bad = true;
		} else if (od->kind == FLAG && eq) {
			ks_perr(p, loc, "--%s takes no value; write --%s alone", name, name);
			bad = true;
		} else {
			struct opt *o = xgrow(&c.opts, &c.nopts, sizeof(*o));

			o->name = xstrdup(name);
			o->value = eq ? xstrdup(eq + 1) : NULL;
		}
		free(name);
	}
	if (!bad && (int)c.args.n < def->min_args) {
		ks_perr(p, loc, "%s needs %s", def->name, def->args_hint);
		bad = true;
	}
	if (!bad && def->max_args >= 0 && (int)c.args.n > def->max_args) {
		if (def->secret)
			ks_perr(p, loc,
				"%s takes %s in one word: quote a password that holds spaces (the words are not shown here)",
				def->name, def->args_hint);
		else if (def->max_args == 0)
			ks_perr(p, loc,
				"%s takes no words besides its options; \"%s\" is one too many",
				def->name, c.args.v[0]);
		else
			ks_perr(p, loc,
				"%s takes %s; \"%s\" is one word too many (quote a value that holds spaces)",
				def->name, def->args_hint, c.args.v[def->max_args]);
		bad = true;
	}
	if (!bad)
		def->handle(p, &c);
	strv_free(&c.args);
	for (size_t i = 0; i < c.nopts; i++) {
		free(c.opts[i].name);
		free(c.opts[i].value);
	}
	free(c.opts);
}

static int parse_buffer(struct parser *p, const char *file, const char *buf, size_t len);
static int not_text(const char *name, const char *buf, size_t len, const struct tx_loc *from,
		    struct tx_report *r);

static answers_url_reader url_reader;

/* An included file's lines, read where the %include stands; key (its real path or its URL) is on
 * the stack meanwhile, so that a loop back to it is found. */
static void parse_included(struct parser *p, const struct tx_loc *loc, const char *key,
			   const char *name, const char *text, size_t len)
{
	if (p->includes >= MAX_INCLUDES || len > MAX_INCLUDE_BYTES - p->include_bytes) {
		if (p->includes_over)
			return;
		p->includes_over = true;
		ks_perr(p, loc,
			"%%include of %s: the includes of this file would read %s than %d files or %zu MiB in all; include each file once, or fewer",
			name, p->includes >= MAX_INCLUDES ? "more" : "more bytes", MAX_INCLUDES,
			MAX_INCLUDE_BYTES >> 20);
		return;
	}
	p->includes++;
	p->include_bytes += len;
	strv_push(&p->stack, key);
	p->depth++;
	parse_buffer(p, name, text, len);
	p->depth--;
	free(p->stack.v[--p->stack.n]);
	p->stack.v[p->stack.n] = NULL;
}

void answers_set_url_reader(answers_url_reader fn)
{
	url_reader = fn;
}

static bool is_url(const char *s)
{
	return strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0 ||
	       strncasecmp(s, "tftp://", 7) == 0;
}

/* What an %include in a file read by URL names: a URL; a path from the server's root; else a
 * name beside that file. Caller frees. */
static char *url_include(const char *file, const char *arg)
{
	const char *host = strstr(file, "://") + 3, *root = strchr(host, '/');

	if (is_url(arg))
		return xstrdup(arg);
	if (arg[0] == '/')
		return root ? xasprintf("%.*s%s", (int)(root - file), file, arg)
			    : xasprintf("%s%s", file, arg);
	return xasprintf("%.*s%s", (int)(strrchr(file, '/') - file + 1), file, arg);
}

static void include_url(struct parser *p, const char *url, const struct tx_loc *loc,
			const char *arg)
{
	char *text = NULL;
	size_t tlen = 0;

	if (!url_reader) {
		ks_perr(p, loc, "%%include %s: this command reads no URLs; give a file", arg);
		return;
	}
	if (strv_contains(&p->stack, url)) {
		ks_perr(p, loc,
			"%%include %s makes a loop: %s is already being read; remove one of the includes",
			arg, url);
		return;
	}
	if (url_reader(url, &text, &tlen, p->r) < 0) {
		ks_perr(p, loc, "%%include %s: %s could not be fetched, as said above", arg, url);
		return;
	}
	if (not_text(url, text, tlen, loc, p->r) == 0)
		parse_included(p, loc, url, url, text, tlen);
	free(text);
}

static void do_include(struct parser *p, const char *file, const struct tx_loc *loc,
		       const char *arg)
{
	char *dir, *path, *real, *text = NULL;
	size_t tlen = 0;
	int rc;

	if (p->flags & ANSWERS_NO_INCLUDE) {
		ks_perr(p, loc, "%%include is not allowed here");
		return;
	}
	if (p->depth >= MAX_INCLUDE_DEPTH) {
		ks_perr(p, loc, "%%include is nested more than %d deep; flatten the includes",
			MAX_INCLUDE_DEPTH);
		return;
	}
	if (is_url(file) || is_url(arg)) {
		path = is_url(file) ? url_include(file, arg) : xstrdup(arg);
		include_url(p, path, loc, arg);
		free(path);
		return;
	}
	if (arg[0] == '/') {
		path = xstrdup(arg);
	} else {
		char *copy = xstrdup(file);

		dir = dirname(copy);
		path = streq(dir, ".") ? xstrdup(arg) : xasprintf("%s/%s", dir, arg);
		free(copy);
	}
	real = realpath(path, NULL);
	if (!real && errno == ENOENT && !(p->flags & ANSWERS_PRE_DONE)) {
		/* perhaps a %pre script's to write: parse_top decides once the file is read */
		struct spec_include_wait *w = xgrow(&p->s->waits, &p->s->nwaits, sizeof(*w));

		w->path = xstrdup(arg);
		w->where = path;
		w->loc = *loc;
		return;
	}
	if (!real) {
		ks_perr(p, loc,
			"%%include %s: cannot read %s: %s; the path is relative to this file", arg,
			path, strerror(errno));
		free(path);
		return;
	}
	if (strv_contains(&p->stack, real)) {
		ks_perr(p, loc,
			"%%include %s makes a loop: %s is already being read; remove one of the includes",
			arg, path);
		goto out;
	}
	rc = read_file(path, &text, &tlen);
	if (rc < 0) {
		ks_perr(p, loc, "%%include %s: cannot read %s: %s", arg, path, read_error(rc));
		goto out;
	}
	if (not_text(path, text, tlen, loc, p->r) == 0)
		parse_included(p, loc, real, path, text, tlen);
out:
	free(text);
	free(real);
	free(path);
}

/* The file name as every tx_loc of the spec will point at it. */
static const char *intern_file(struct spec *s, const char *file)
{
	for (size_t i = 0; i < s->files.n; i++)
		if (streq(s->files.v[i], file))
			return s->files.v[i];
	strv_push(&s->files, file);
	return s->files.v[s->files.n - 1];
}

struct lines {
	const char *buf;
	size_t len, pos;
	int lineno;
};

/* Next physical line, without its newline (and a trailing \r). Caller frees. */
static char *next_line(struct lines *l)
{
	const char *start, *nl;
	size_t n;

	if (l->pos >= l->len)
		return NULL;
	start = l->buf + l->pos;
	nl = memchr(start, '\n', l->len - l->pos);
	n = nl ? (size_t)(nl - start) : l->len - l->pos;
	l->pos += n + (nl ? 1 : 0);
	l->lineno++;
	if (n && start[n - 1] == '\r')
		n--;
	return xstrndup(start, n);
}

static void read_block(struct parser *p, struct lines *l, const struct tx_loc *loc,
		       struct strv *words, const char *file)
{
	const char *what = words->v[0];
	bool is_pkg = streq(what, "%packages");
	struct spec_script *sc = NULL;
	char *body = xstrdup("");
	bool ended = false, bad = false;
	char *line;

	for (size_t i = 1; i < words->n; i++) {
		const char *w = words->v[i];

		if (!is_pkg && streq(w, "--nochroot") && streq(what, "%post"))
			continue;
		if (!is_pkg && streq(w, "--erroronfail"))
			continue;
		if (!is_pkg && startswith(w, "--interpreter=") && w[14] == '/')
			continue;
		bad = true;
		if (startswith(w, "--")) {
			const char *eq = strchr(w, '=');
			char *name = eq ? xstrndup(w + 2, (size_t)(eq - w - 2)) : xstrdup(w + 2);
			bool said = ks_kickstart_option(p, loc, what, name, eq ? eq + 1 : NULL);

			free(name);
			if (said)
				continue;
		}
		ks_perr(p, loc, "%s does not take %s; %s", what, w,
			is_pkg ? "%packages takes no options"
			: streq(what, "%post")
				? "%post takes --nochroot, --erroronfail and --interpreter=/path"
				: "%pre takes --erroronfail and --interpreter=/path");
	}
	while ((line = next_line(l))) {
		struct tx_loc here = {file, l->lineno};
		char *t = xstrdup(line);

		strip(t);
		if (streq(t, "%end")) {
			free(t);
			free(line);
			ended = true;
			break;
		}
		if (is_pkg) {
			if (*t && *t != '#') {
				struct strv pw = {0};
				const char *why;

				if (split_words(t, &pw, &why) < 0)
					ks_perr(p, &here, "%s", why);
				for (size_t i = 0; i < pw.n; i++)
					ks_add_package(p, &here, pw.v[i]);
				strv_free(&pw);
			}
		} else {
			char *nb = xasprintf("%s%s\n", body, line);

			free(body);
			body = nb;
		}
		free(t);
		free(line);
	}
	if (!ended)
		ks_perr(p, loc, "%s has no %%end; add a line %%end after the %s", what,
			is_pkg ? "package list" : "script");
	if (!is_pkg && !bad) {
		sc = xgrow(&p->s->scripts, &p->s->nscripts, sizeof(*sc));
		sc->kind = streq(what, "%pre") ? SCRIPT_PRE : SCRIPT_POST;
		sc->loc = *loc;
		sc->interpreter = xstrdup("/bin/sh");
		for (size_t i = 1; i < words->n; i++) {
			if (streq(words->v[i], "--nochroot"))
				sc->nochroot = true;
			else if (streq(words->v[i], "--erroronfail"))
				sc->erroronfail = true;
			else if (startswith(words->v[i], "--interpreter=")) {
				free(sc->interpreter);
				sc->interpreter = xstrdup(words->v[i] + 14);
			}
		}
		sc->body = body;
		body = NULL;
	}
	free(body);
}

static void version_line(struct parser *p, const struct tx_loc *loc, const char *v)
{
	char *end;
	long n = strtol(v, &end, 10);

	if (!isdigit((unsigned char)*v) || *end) {
		ks_perr(p, loc, "#version=%s: the version is a number; write #version=1", v);
		return;
	}
	if (p->version_seen && n != p->s->version) {
		ks_perr(p, loc, "#version=%s disagrees with the version given before", v);
		return;
	}
	if (n != SPEC_VERSION) {
		ks_perr(p, loc,
			"#version=%s: this Tenxen reads version %d of the language; see docs/answer-file.md",
			v, SPEC_VERSION);
		return;
	}
	p->version_seen = true;
	p->s->version = (int)n;
}

/* A backslash at the very end continues a line onto the next: the lines joined with a space,
 * in one buffer that grows by doubling (time linear in the lines joined). Takes line. */
static char *join_continued(struct parser *p, struct lines *l, char *line, const struct tx_loc *loc)
{
	size_t n = strlen(line), cap = n + 1;

	while (n && line[n - 1] == '\\' && !(n > 1 && line[n - 2] == '\\')) {
		char *more = next_line(l);
		size_t m;

		line[--n] = '\0';
		if (!more) {
			ks_perr(p, loc,
				"the last line ends in a backslash, which continues it onto a line that is not there");
			break;
		}
		m = strlen(more);
		if (n + m + 2 > cap) {
			cap = (n + m + 2) * 2;
			line = xrealloc(line, cap);
		}
		line[n++] = ' ';
		memcpy(line + n, more, m + 1);
		n += m;
		free(more);
	}
	return line;
}

/* A section of kickstart's that Tenxen has not: said once, and its lines to %end left. */
static void skip_section(struct parser *p, struct lines *l, const struct tx_loc *loc,
			 const char *what)
{
	char *line;

	while ((line = next_line(l))) {
		bool end = streq(strip(line), "%end");

		free(line);
		if (end) {
			ks_perr(p, loc,
				"%s is kickstart's section, not Tenxen's; remove it with its lines up to %%end",
				what);
			return;
		}
	}
	ks_perr(p, loc, "%s is kickstart's section, not Tenxen's, and has no %%end; remove it",
		what);
}

static int parse_buffer(struct parser *p, const char *file, const char *buf, size_t len)
{
	struct lines l = {buf, len, 0, 0};
	char *line;

	/* its bytes were checked where they were read: no NUL, at most TEXT_MAX */
	file = intern_file(p->s, file);
	while ((line = next_line(&l))) {
		struct tx_loc loc = {file, l.lineno};
		struct strv words = {0};
		const char *why = NULL;
		char *t;

		line = join_continued(p, &l, line, &loc);
		t = line;
		while (*t == ' ' || *t == '\t')
			t++;
		if (startswith(t, "#version=")) {
			char *v = xstrdup(t + 9);

			version_line(p, &loc, strip(v));
			free(v);
			free(line);
			continue;
		}
		if (split_words(t, &words, &why) < 0) {
			ks_perr(p, &loc, "%s", why);
		} else if (words.n == 0) {
			/* blank or comment */
		} else if (words.v[0][0] == '%') {
			if (streq(words.v[0], "%include")) {
				if (words.n != 2)
					ks_perr(p, &loc, "%%include takes one file name");
				else
					do_include(p, file, &loc, words.v[1]);
			} else if (streq(words.v[0], "%pre") || streq(words.v[0], "%post") ||
				   streq(words.v[0], "%packages")) {
				read_block(p, &l, &loc, &words, file);
			} else if (ks_kickstart_section(p, words.v[0])) {
				skip_section(p, &l, &loc, words.v[0]);
			} else if (streq(words.v[0], "%end")) {
				ks_perr(p, &loc,
					"%%end without a %%pre, %%post or %%packages before it");
			} else {
				ks_perr(p, &loc,
					"unknown section \"%s\"; the sections are %%pre, %%post, %%packages and %%include",
					words.v[0]);
			}
		} else {
			run_command(p, &words, &loc);
		}
		strv_free(&words);
		free(line);
	}
	return 0;
}

static int parse_top(const char *name, const char *buf, size_t len, unsigned flags,
		     struct tx_report *r, struct spec **out)
{
	struct parser p = {.s = spec_new(), .r = r, .flags = flags};
	unsigned before = r->errors;
	char *real = is_url(name) ? xstrdup(name) : realpath(name, NULL);

	if (real)
		strv_push_owned(&p.stack, real);
	parse_buffer(&p, name, buf, len);
	strv_free(&p.stack);
	if (p.s->nwaits) {
		bool pre = false;

		for (size_t i = 0; i < p.s->nscripts; i++)
			pre |= p.s->scripts[i].kind == SCRIPT_PRE;
		for (size_t i = 0; !pre && i < p.s->nwaits; i++)
			ks_perr(&p, &p.s->waits[i].loc,
				"%%include %s: there is no file %s, and no %%pre script of this file to write it first%s",
				p.s->waits[i].path, p.s->waits[i].where,
				p.s->waits[i].path[0] == '/'
					? ""
					: "; the path is relative to this file");
	}
	strv_dedupe(&p.s->packages);
	p.s->end_loc.file = p.s->files.v[0];
	p.s->end_loc.line = 1;
	for (size_t i = 0; i < len; i++)
		if (buf[i] == '\n' && i + 1 < len)
			p.s->end_loc.line++;
	if (!p.version_seen && r->errors == before) {
		struct tx_loc loc = {p.s->files.v[0], 1};

		tx_warn(r, &loc,
			"no #version line; reading it as version %d (add #version=%d first)",
			SPEC_VERSION, SPEC_VERSION);
	}
	p.s->parse_errors = r->errors - before;
	*out = p.s;
	return r->errors > before ? -EINVAL : 0;
}

/* An answer file is text: too large, or holding a NUL byte, it is said at its file and the
 * NUL's line like any other fault of a line. 0, or -EINVAL (said). */
static int not_text(const char *name, const char *buf, size_t len, const struct tx_loc *from,
		    struct tx_report *r)
{
	const char *nul = len <= TEXT_MAX ? memchr(buf, '\0', len) : NULL;
	struct tx_loc loc = {name, 1};

	if (len > TEXT_MAX) {
		tx_error(r, from, "cannot read the answer file %s: %s", name, read_error(-EFBIG));
		return -EINVAL;
	}
	if (!nul)
		return 0;
	for (const char *q = buf; q < nul; q++)
		loc.line += *q == '\n';
	tx_error(
		r, &loc,
		"the line holds a NUL byte (at byte %zu of the file); an answer file is plain text: remove it",
		(size_t)(nul - buf) + 1);
	return -EINVAL;
}

int answers_parse_buffer(const char *name, const char *buf, size_t len, unsigned flags,
			 struct tx_report *r, struct spec **out)
{
	*out = NULL;
	if (not_text(name, buf, len, NULL, r) < 0)
		return -EINVAL;
	return parse_top(name, buf, len, flags, r, out);
}

int answers_parse_file(const char *path, unsigned flags, struct tx_report *r, struct spec **out)
{
	char *buf;
	size_t len;
	int rc = read_file(path, &buf, &len);

	*out = NULL;
	if (rc < 0) {
		tx_error(r, NULL, "cannot read the answer file %s: %s", path, read_error(rc));
		return rc;
	}
	rc = not_text(path, buf, len, NULL, r);
	if (rc == 0)
		rc = parse_top(path, buf, len, flags, r, out);
	free(buf);
	return rc;
}
