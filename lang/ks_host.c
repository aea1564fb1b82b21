// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The host's upkeep in the answer file: mirror (where apt finds the release, its -updates and
 * its -security suites), timesource (the time servers) and updates (security fixes installed
 * by themselves, or not). Each value is checked for the file it reaches: a deb822 source, a
 * timesyncd.conf, apt's configuration.
 */
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "lang/fields.h"
#include "lang/reader.h"

void ks_cmd_mirror(struct parser *p, struct cmd *c)
{
	struct spec_upkeep *u = &p->s->upkeep;
	const char *url = c->args.v[0], *sec = ks_opt_get(c, "security"), *why;

	if (!ks_once(p, c, &p->seen_mirror))
		return;
	u->mirror_loc = c->loc;
	/* an address that holds a password is not repeated: the message would show it */
	why = field_http_url(url);
	if (why) {
		ks_perr(p, &c->loc, "mirror %s %s; write mirror http://deb.debian.org/debian",
			strchr(url, '@') ? "(its address)" : url, why);
		return;
	}
	if (sec && !streq(sec, "none") && (why = field_http_url(sec))) {
		ks_perr(p, &c->loc,
			"--security=%s %s; write --security=http://security.debian.org/debian-security, or --security=none",
			strchr(sec, '@') ? "(its address)" : sec, why);
		return;
	}
	free(u->mirror);
	u->mirror = xstrdup(url);
	free(u->security);
	u->security = sec ? xstrdup(sec) : NULL;
	u->no_updates = ks_opt_has(c, "no-updates");
}

void ks_cmd_timesource(struct parser *p, struct cmd *c)
{
	struct spec_upkeep *u = &p->s->upkeep;
	const char *v = ks_opt_get(c, "ntp-server");
	struct strv servers = {0};

	if (!u->ntp_loc.file)
		u->ntp_loc = c->loc;
	if (ks_opt_has(c, "ntp-disable")) {
		if (v || u->ntp.n)
			ks_perr(p, &c->loc,
				"--ntp-disable turns time sync off, so it takes no --ntp-server: keep one of them");
		u->ntp_off = true;
		return;
	}
	if (!v || !*v) {
		ks_perr(p, &c->loc,
			"timesource needs --ntp-server=HOST (a name or an address; several as a,b), or --ntp-disable");
		return;
	}
	if (u->ntp_off) {
		ks_perr(p, &c->loc,
			"an earlier timesource line turned time sync off (--ntp-disable): keep one of them");
		return;
	}
	strv_split(&servers, v, ',');
	for (size_t i = 0; i < servers.n; i++) {
		if (!field_hostname(servers.v[i]) && !field_ip(servers.v[i]))
			ks_perr(p, &c->loc,
				"--ntp-server: \"%s\" is neither a host name nor an address; write --ntp-server=0.debian.pool.ntp.org or an address, several separated by commas",
				servers.v[i]);
		else if (!strv_contains(&u->ntp, servers.v[i]))
			strv_push(&u->ntp, servers.v[i]);
	}
	strv_free(&servers);
}

void ks_cmd_updates(struct parser *p, struct cmd *c)
{
	struct spec_upkeep *u = &p->s->upkeep;

	if (!ks_once(p, c, &p->seen_updates))
		return;
	u->updates_loc = c->loc;
	if (ks_opt_has(c, "automatic") == ks_opt_has(c, "manual")) {
		ks_perr(p, &c->loc,
			"updates takes one of --automatic (the host installs security fixes itself, and never reboots for them) and --manual (the default)");
		return;
	}
	u->automatic = ks_opt_has(c, "automatic");
}
