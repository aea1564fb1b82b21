// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What every command of the answer-file reader shares (lang/reader.h): saying a fault at its
 * line, reading an option's value, and the checks of names, sizes, counts and disk aliases.
 */
#include "lang/reader.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void ks_perr(struct parser *p, const struct tx_loc *loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tx_vmsg(p->r, TX_ERROR, loc, fmt, ap);
	va_end(ap);
}

void ks_pwarn(struct parser *p, const struct tx_loc *loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tx_vmsg(p->r, TX_WARNING, loc, fmt, ap);
	va_end(ap);
}

const char *ks_opt_get(const struct cmd *c, const char *name)
{
	for (size_t i = 0; i < c->nopts; i++)
		if (streq(c->opts[i].name, name))
			return c->opts[i].value ? c->opts[i].value : "";
	return NULL;
}

bool ks_opt_has(const struct cmd *c, const char *name)
{
	return ks_opt_get(c, name) != NULL;
}

/* A singleton command given twice is an error that names the first place. */
bool ks_once(struct parser *p, struct cmd *c, struct tx_loc *seen)
{
	if (seen->file) {
		ks_perr(p, &c->loc, "%s is already given at %s:%d; keep one of the two", c->name,
			seen->file, seen->line);
		return false;
	}
	*seen = c->loc;
	return true;
}

bool ks_valid_name(const char *s, size_t maxlen, const char *extra)
{
	size_t n = strlen(s);

	if (n == 0 || n > maxlen)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (!isalnum(ch) && !strchr(extra, ch))
			return false;
	}
	return true;
}

bool ks_valid_alias(const char *s)
{
	return isalpha((unsigned char)s[0]) && ks_valid_name(s, 32, "_-");
}

/* Sizes in the answer file: a bare number is MiB, as in kickstart. */
bool ks_get_size(struct parser *p, struct cmd *c, const char *opt, uint64_t *out)
{
	const char *v = ks_opt_get(c, opt);
	int rc = parse_size(v, MiB, out);

	if (rc == -ERANGE || (rc == 0 && *out > DISK_MAX)) {
		ks_perr(p, &c->loc,
			"--%s=%s is larger than any disk (1 EiB at most); give the size in G or T",
			opt, v);
		return false;
	}
	if (rc < 0) {
		ks_perr(p, &c->loc,
			"--%s=%s is not a size; write a number with a unit, such as 512M, 20G or 1T",
			opt, v);
		return false;
	}
	if (*out == 0) {
		ks_perr(p, &c->loc, "--%s=%s is zero; give a size greater than zero", opt, v);
		return false;
	}
	return true;
}

bool ks_get_int(struct parser *p, struct cmd *c, const char *opt, long lo, long hi, int *out)
{
	const char *v = ks_opt_get(c, opt);
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (!*v || *end || errno || n < lo || n > hi) {
		ks_perr(p, &c->loc, "--%s=%s is not a whole number from %ld to %ld", opt, v, lo,
			hi);
		return false;
	}
	*out = (int)n;
	return true;
}

/* A list of disk aliases: "a,b". */
void ks_get_aliases(struct parser *p, struct cmd *c, const char *what, const char *list,
		    struct strv *out)
{
	struct strv parts = {0};

	strv_split(&parts, list, ',');
	for (size_t i = 0; i < parts.n; i++) {
		if (!ks_valid_alias(parts.v[i])) {
			ks_perr(p, &c->loc,
				"%s: \"%s\" is not a disk name; name disks with a disk line (disk a --serial=...) and list them separated by commas, as in a,b",
				what, parts.v[i]);
			continue;
		}
		if (strv_contains(out, parts.v[i])) {
			ks_perr(p, &c->loc, "%s names disk %s twice; name each disk once", what,
				parts.v[i]);
			continue;
		}
		strv_push(out, parts.v[i]);
	}
	strv_free(&parts);
}
