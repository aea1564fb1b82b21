// SPDX-License-Identifier: GPL-2.0-or-later
/* The answer-file commands for the system: xen, profiler, console, network, timezone, keyboard,
 * rootpw, sshkey, packages, finish (the table of commands is lang/ks_table.c). */
#include "lang/reader.h"
#include "common/password.h"
#include "lang/fields.h"
#include "bootcfg/bootcfg.h"

/* What an answer file may add to Xen's and dom0's command lines: what those programs read, less
 * room for the options Tenxen writes itself (bootcfg/bootcfg.h) */
#define XEN_APPEND_MAX	(BC_XEN_CMDLINE_MAX - 255)
#define DOM0_APPEND_MAX (BC_DOM0_CMDLINE_MAX - 511)

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void ks_cmd_xen(struct parser *p, struct cmd *c)
{
	struct spec_xen *x = &p->s->xen;
	const char *v;

	if (!ks_once(p, c, &p->seen_xen))
		return;
	x->loc = c->loc;
	v = ks_opt_get(c, "dom0-mem");
	if (v) {
		char *why = NULL;

		if (dom0_mem_parse(v, &x->mem, &why) < 0)
			ks_perr(p, &c->loc, "--dom0-mem=%s: %s", v, why);
		free(why);
	}
	v = ks_opt_get(c, "dom0-max-vcpus");
	if (v) {
		char *end;
		long a, b;

		errno = 0;
		a = strtol(v, &end, 10);
		b = a;
		if (*end == '-')
			b = strtol(end + 1, &end, 10);
		if (!isdigit((unsigned char)*v) || *end || errno || a < 1 || b < a || b > 4096)
			ks_perr(p, &c->loc,
				"--dom0-max-vcpus=%s is not a count; write a number such as 4, or a range such as 2-4",
				v);
		else if (a == b) {
			x->vcpus_max = (int)a;
		} else {
			x->vcpus_min = (int)a;
			x->vcpus_max = (int)b;
		}
	}
	v = ks_opt_get(c, "append");
	if (v) {
		if (strstr(v, "---"))
			ks_perr(p, &c->loc,
				"--append holds ---, which separates the Xen, kernel and initrd parts of the boot line; give only Xen's options");
		else if (strchr(v, '\n'))
			ks_perr(p, &c->loc, "--append must be one line");
		else if (strlen(v) > XEN_APPEND_MAX)
			ks_perr(p, &c->loc,
				"--append has %zu characters; Xen reads %d of its command line, and Tenxen's own options (dom0_mem, the serial console) need %d of them: give at most %d",
				strlen(v), BC_XEN_CMDLINE_MAX, BC_XEN_CMDLINE_MAX - XEN_APPEND_MAX,
				XEN_APPEND_MAX);
		else
			x->append = xstrdup(v);
	}
	v = ks_opt_get(c, "dom0-append");
	if (v) {
		struct strv w = {0};
		char *copy = xstrdup(v), *save = NULL;
		bool root = false;

		for (char *t = strtok_r(copy, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
			root |= streq(t, "root") || startswith(t, "root=");
			strv_push(&w, t);
		}
		if (strstr(v, "---"))
			ks_perr(p, &c->loc,
				"--dom0-append holds ---, which separates the Xen, kernel and initrd parts of the boot line; give only dom0's kernel options");
		else if (root)
			ks_perr(p, &c->loc,
				"--dom0-append holds root=, which Tenxen sets to the root volume; leave it out");
		else if (!w.n)
			ks_perr(p, &c->loc,
				"--dom0-append is empty; give dom0's kernel options, as --dom0-append=\"xen-pciback.hide=(0000:03:00.0)\"");
		else if (strlen(v) > DOM0_APPEND_MAX)
			ks_perr(p, &c->loc,
				"--dom0-append has %zu characters; Linux reads %d of dom0's command line, and Tenxen's own options (root=, the console) need %d of them: give at most %d",
				strlen(v), BC_DOM0_CMDLINE_MAX,
				BC_DOM0_CMDLINE_MAX - DOM0_APPEND_MAX, DOM0_APPEND_MAX);
		else
			x->dom0_append = strv_join(&w, " ");
		strv_free(&w);
		free(copy);
	}
}

/* Xen's virtual PMU for the profiler stack: off (Xen's default), on, bts, ipc, arch. */
void ks_cmd_profiler(struct parser *p, struct cmd *c)
{
	struct spec_xen *x = &p->s->xen;
	const char *v = ks_opt_get(c, "vpmu");

	if (!ks_once(p, c, &p->seen_profiler))
		return;
	if (!v) {
		ks_perr(p, &c->loc,
			"profiler needs --vpmu=MODE: off, on, bts, ipc or arch (docs/profiling.md says what each allows)");
		return;
	}
	if (vpmu_mode_known(v)) {
		x->vpmu_loc = c->loc;
		free(x->vpmu);
		x->vpmu = streq(v, "off") ? NULL : xstrdup(v);
		return;
	}
	{
		const char *d = did_you_mean(v, vpmu_modes, NVPMU_MODES);

		ks_perr(p, &c->loc, "--vpmu=%s is not a mode; %s%s%suse off, on, bts, ipc or arch",
			v, d ? "did you mean " : "", d ? d : "", d ? "? " : "");
	}
}

void ks_cmd_console(struct parser *p, struct cmd *c)
{
	struct spec_console *k = &p->s->console;
	const char *what = c->args.v[0];

	if (!ks_once(p, c, &p->seen_console))
		return;
	k->loc = c->loc;
	if (streq(what, "vga")) {
		k->kind = CONSOLE_VGA;
		if (ks_opt_has(c, "port") || ks_opt_has(c, "speed"))
			ks_perr(p, &c->loc,
				"--port and --speed are for console serial, not console vga");
		return;
	}
	if (!streq(what, "serial")) {
		ks_perr(p, &c->loc,
			"console %s: write console serial --port=ttyS0 --speed=115200, or console vga",
			what);
		return;
	}
	k->kind = CONSOLE_SERIAL;
	if (ks_opt_has(c, "port")) {
		const char *v = ks_opt_get(c, "port");

		if (!field_serial_port(v, true, &k->port))
			ks_perr(p, &c->loc,
				"--port=%s is not a serial port Xen drives; use ttyS0, ttyS1, ttyS2 or ttyS3",
				v);
	}
	if (ks_opt_has(c, "speed")) {
		const char *v = ks_opt_get(c, "speed");

		if (!field_serial_speed(v, &k->speed))
			ks_perr(p, &c->loc, "--speed=%s is not a serial speed; use %s", v,
				field_speeds_text);
	}
}

/* A card as the file names it: an interface name, or mac: and its address (lower case kept).
 * Returns a copy (caller frees); says what is wrong at the line. */
static char *network_card(struct parser *p, struct cmd *c, const char *opt, const char *v)
{
	if (strncasecmp(v, "mac:", 4) == 0) {
		char *mac = xstrdup(v);

		for (char *q = mac; *q; q++)
			*q = (char)tolower((unsigned char)*q);
		if (!field_mac(mac + 4))
			ks_perr(p, &c->loc,
				"--%s=%s: a MAC address is six pairs of hex digits, as mac:52:54:00:12:34:56",
				opt, v);
		return mac;
	}
	if (field_ifname(v))
		ks_perr(p, &c->loc,
			"--%s=%s: %s %s; write a name such as eno1 or bond0, or mac:52:54:00:12:34:56",
			opt, v, v, field_ifname(v));
	return xstrdup(v);
}

/* A VLAN tag option: 0 when absent, -1 when wrong (said). */
static int network_vlan(struct parser *p, struct cmd *c, const char *opt)
{
	const char *v = ks_opt_get(c, opt);
	char *end;
	long id;

	if (!v)
		return 0;
	id = strtol(v, &end, 10);
	if (!isdigit((unsigned char)*v) || *end || id < 1 || id > 4094) {
		ks_perr(p, &c->loc,
			"--%s=%s: a VLAN tag is a number from 1 to 4094 (0 and 4095 are reserved)",
			opt, v);
		return -1;
	}
	return (int)id;
}

/* Where a card of this line is already used by an earlier line: its line, or NULL. */
static const struct spec_network *network_user(const struct spec *s, const char *card,
					       const struct spec_network *self)
{
	for (const struct spec_network *o = s->nets; o < s->nets + s->nnets; o++) {
		if (o == self)
			continue;
		if ((!o->slaves.n && streq(o->device, card)) || strv_contains(&o->slaves, card))
			return o;
	}
	return NULL;
}

static const char *const bond_modes[] = {"active-backup", "802.3ad"};

/*
 * --bondopts, as kickstart writes them: key=value separated by commas (or by semicolons, when
 * a value holds a comma). mode is active-backup (the default; any switch) or 802.3ad (LACP: the
 * switch's ports must be set up for it); miimon (default 100), updelay and downdelay in ms;
 * primary, a card of the bond; lacp_rate and xmit_hash_policy with 802.3ad.
 */
static void network_bondopts(struct parser *p, struct cmd *c, struct spec_network *n, const char *v)
{
	struct strv words = {0}, keys = {0};
	bool miimon = false;
	const char *lacp = NULL, *hash = NULL;

	strv_split(&words, v, strchr(v, ';') ? ';' : ',');
	for (size_t i = 0; i < words.n; i++) {
		char *w = words.v[i], *eq = strchr(w, '='), *val, *end;

		if (!*w)
			continue;
		if (!eq || eq == w || !eq[1]) {
			ks_perr(p, &c->loc,
				"--bondopts: \"%s\" is not key=value; write --bondopts=mode=active-backup,miimon=100",
				w);
			continue;
		}
		*eq = '\0';
		val = eq + 1;
		if (strv_contains(&keys, w)) {
			ks_perr(p, &c->loc, "--bondopts gives %s twice; keep one", w);
			continue;
		}
		strv_push(&keys, w);
		if (streq(w, "mode")) {
			free(n->bond_mode);
			n->bond_mode = NULL;
			if (streq(val, "1"))
				val = "active-backup";
			else if (streq(val, "4"))
				val = "802.3ad";
			for (size_t k = 0; k < ARRAY_SIZE(bond_modes); k++)
				if (streq(val, bond_modes[k]))
					n->bond_mode = xstrdup(val);
			if (!n->bond_mode)
				ks_perr(p, &c->loc,
					"--bondopts: mode=%s: Tenxen builds mode=active-backup (one card at a time; any switch) or mode=802.3ad (LACP; the switch's ports must form the same group)",
					val);
		} else if (streq(w, "miimon") || streq(w, "updelay") || streq(w, "downdelay")) {
			long ms = strtol(val, &end, 10);

			if (!isdigit((unsigned char)*val) || *end || ms > 60000)
				ks_perr(p, &c->loc,
					"--bondopts: %s=%s: give milliseconds, 0 to 60000", w, val);
			else
				strv_push_owned(&n->bond_opts, xasprintf("%s=%ld", w, ms));
			miimon |= streq(w, "miimon");
		} else if (streq(w, "primary")) {
			char *card = network_card(p, c, "bondopts primary", val);

			if (!strv_contains(&n->slaves, card))
				ks_perr(p, &c->loc,
					"--bondopts: primary=%s is not a card of --bondslaves",
					val);
			else
				strv_push_owned(&n->bond_opts, xasprintf("primary=%s", card));
			free(card);
		} else if (streq(w, "lacp_rate")) {
			lacp = streq(val, "slow") || streq(val, "fast") ? "ok" : NULL;
			if (!lacp)
				ks_perr(p, &c->loc, "--bondopts: lacp_rate=%s: use slow or fast",
					val);
			else
				strv_push_owned(&n->bond_opts, xasprintf("lacp_rate=%s", val));
		} else if (streq(w, "xmit_hash_policy")) {
			hash = streq(val, "layer2") || streq(val, "layer2+3") ||
					       streq(val, "layer3+4")
				       ? "ok"
				       : NULL;
			if (!hash)
				ks_perr(p, &c->loc,
					"--bondopts: xmit_hash_policy=%s: use layer2, layer2+3 or layer3+4",
					val);
			else
				strv_push_owned(&n->bond_opts,
						xasprintf("xmit_hash_policy=%s", val));
		} else {
			ks_perr(p, &c->loc,
				"--bondopts: Tenxen does not know the bond option %s; it knows mode, miimon, primary, updelay, downdelay, lacp_rate and xmit_hash_policy",
				w);
		}
	}
	strv_free(&words);
	strv_free(&keys);
	if (!n->bond_mode)
		n->bond_mode = xstrdup("active-backup");
	if (!miimon)
		strv_push(&n->bond_opts, "miimon=100");
	if ((lacp || hash) && !streq(n->bond_mode, "802.3ad"))
		ks_perr(p, &c->loc,
			"--bondopts: lacp_rate and xmit_hash_policy are for mode=802.3ad; drop them, or give that mode");
	if (streq(n->bond_mode, "802.3ad"))
		for (size_t i = 0; i < n->bond_opts.n; i++)
			if (startswith(n->bond_opts.v[i], "primary="))
				ks_perr(p, &c->loc,
					"--bondopts: primary= is for mode=active-backup; 802.3ad uses every card at once");
}

/* --bondslaves (and --bondopts): the bond's cards, each in one bond and on no other line. */
static void network_bond(struct parser *p, struct cmd *c, struct spec_network *n)
{
	const char *v = ks_opt_get(c, "bondslaves");
	struct strv words = {0};

	if (!v) {
		if (ks_opt_has(c, "bondopts"))
			ks_perr(p, &c->loc,
				"--bondopts without --bondslaves: name the bond's cards, as --device=bond0 --bondslaves=eno1,eno2");
		return;
	}
	if (!n->device || startswith(n->device, "mac:")) {
		ks_perr(p, &c->loc,
			"a bond needs a name of its own: write --device=bond0 --bondslaves=%s", v);
		return;
	}
	strv_split(&words, v, ',');
	for (size_t i = 0; i < words.n; i++) {
		char *card = network_card(p, c, "bondslaves", words.v[i]);
		const struct spec_network *o;

		if (strv_contains(&n->slaves, card))
			ks_perr(p, &c->loc, "--bondslaves names %s twice", card);
		else if (streq(card, n->device))
			ks_perr(p, &c->loc,
				"--bondslaves: %s is the bond's own name (--device); name its cards",
				card);
		else if ((o = network_user(p->s, card, n)))
			ks_perr(p, &c->loc,
				"--bondslaves: %s is already in %s at %s:%d; a card belongs to one network line",
				card,
				o->slaves.n ? "the bond of the network line" : "the network line",
				o->loc.file, o->loc.line);
		strv_push_owned(&n->slaves, card);
	}
	strv_free(&words);
	if (n->slaves.n < 2)
		ks_perr(p, &c->loc,
			"--bondslaves=%s: a bond needs two or more cards; with one card, write --device=%s and no bond",
			v, v);
	network_bondopts(p, c, n, ks_opt_get(c, "bondopts") ? ks_opt_get(c, "bondopts") : "");
}

void ks_cmd_network(struct parser *p, struct cmd *c)
{
	struct spec_network *n;
	const struct spec_network *o;
	const char *v;

	/* kickstart's habit: a line of its own for the host name (spec_validate decides whether
	 * it also stands for the first card: only when no other line names one) */
	bool name_only = c->nopts == 1 && ks_opt_has(c, "hostname");

	v = ks_opt_get(c, "device");
	for (size_t i = 0; i < p->s->nnets && !name_only; i++) {
		if (!p->s->nets[i].name_only && streq(p->s->nets[i].device, v)) {
			ks_perr(p, &c->loc, "network for %s is already given at %s:%d; keep one",
				v ? v : "the first network card", p->s->nets[i].loc.file,
				p->s->nets[i].loc.line);
			return;
		}
	}
	n = xgrow(&p->s->nets, &p->s->nnets, sizeof(*n));
	n->loc = c->loc;
	n->prefix = -1;
	n->dhcp = true;
	n->name_only = name_only;
	if (v)
		n->device = network_card(p, c, "device", v);
	network_bond(p, c, n);
	if (n->device && !n->slaves.n && (o = network_user(p->s, n->device, n)))
		ks_perr(p, &c->loc,
			"%s is a card of the bond %s (%s:%d), whose bridge it already carries; drop this line, or take %s out of --bondslaves",
			n->device, o->device, o->loc.file, o->loc.line, n->device);
	n->vlan = network_vlan(p, c, "vlanid");
	n->bridge_vlan = network_vlan(p, c, "bridge-vlan");
	/* the kernel's names have 15 characters at most: bond0.42 must fit (a card's own name
	 * becomes lanN on the host) */
	for (int k = 0; k < 2 && n->slaves.n; k++) {
		int tag = k ? n->bridge_vlan : n->vlan;
		char *name = tag > 0 ? xasprintf("%s.%d", n->device, tag) : NULL;

		if (name && strlen(name) > 15)
			ks_perr(p, &c->loc,
				"the VLAN interface %s would have more than 15 characters, the kernel's limit; give the bond a shorter name",
				name);
		free(name);
	}
	v = ks_opt_get(c, "bootproto");
	if (v) {
		if (streq(v, "static"))
			n->dhcp = false;
		else if (!streq(v, "dhcp"))
			ks_perr(p, &c->loc, "--bootproto=%s: use dhcp or static", v);
	}
	v = ks_opt_get(c, "ip");
	if (v) {
		const char *slash = strchr(v, '/');
		char *addr = slash ? xstrndup(v, (size_t)(slash - v)) : xstrdup(v);

		if (n->dhcp)
			ks_perr(p, &c->loc,
				"--ip goes with --bootproto=static; add it, or drop --ip for DHCP");
		if (!field_ip(addr))
			ks_perr(p, &c->loc, "--ip=%s is not an IP address", v);
		if (slash) {
			char *end;
			long pl = strtol(slash + 1, &end, 10);

			if (!isdigit((unsigned char)slash[1]) || *end || pl < 1 ||
			    pl > (strchr(addr, ':') ? 128 : 32))
				ks_perr(p, &c->loc,
					"--ip=%s: the prefix after / is not a prefix length", v);
			else
				n->prefix = (int)pl;
		}
		n->ip = addr;
	}
	v = ks_opt_get(c, "netmask");
	if (v) {
		bool v6 = n->ip && strchr(n->ip, ':');
		int pl = field_prefix(v, v6);

		if (pl < 0)
			ks_perr(p, &c->loc,
				"--netmask=%s is not a netmask; write 255.255.255.0 or 24%s", v,
				v6 ? " (an IPv6 prefix: 1 to 128)" : " (a prefix: 1 to 32)");
		else if (n->prefix >= 0 && n->prefix != pl)
			ks_perr(p, &c->loc,
				"--netmask=%s disagrees with the prefix in --ip; give one of them",
				v);
		else
			n->prefix = pl;
	}
	v = ks_opt_get(c, "gateway");
	if (v) {
		if (!field_ip(v))
			ks_perr(p, &c->loc, "--gateway=%s is not an IP address", v);
		n->gateway = xstrdup(v);
	}
	v = ks_opt_get(c, "nameserver");
	if (v) {
		strv_split(&n->nameservers, v, ',');
		for (size_t i = 0; i < n->nameservers.n; i++)
			if (!field_ip(n->nameservers.v[i]))
				ks_perr(p, &c->loc,
					"--nameserver: \"%s\" is not an IP address; list addresses separated by commas",
					n->nameservers.v[i]);
	}
	v = ks_opt_get(c, "hostname");
	if (v) {
		if (ks_once(p, c, &p->seen_hostname) && !field_hostname(v))
			ks_perr(p, &c->loc,
				"--hostname=%s is not a host name; use letters, digits and -, with dots between parts",
				v);
		n->hostname = xstrdup(v);
	}
	if (!n->dhcp) {
		if (!n->ip)
			ks_perr(p, &c->loc,
				"--bootproto=static needs an address; add --ip=192.0.2.10/24");
		else if (n->prefix < 0)
			ks_perr(p, &c->loc,
				"the static address %s has no netmask; add --netmask=255.255.255.0 or write --ip=%s/24",
				n->ip, n->ip);
	} else if (n->gateway || n->nameservers.n) {
		ks_pwarn(p, &c->loc,
			 "--gateway and --nameserver are ignored with DHCP, which supplies them");
	}
}

void ks_cmd_timezone(struct parser *p, struct cmd *c)
{
	const char *tz = c->args.v[0];

	if (!ks_once(p, c, &p->seen_tz))
		return;
	p->s->tz_loc = c->loc;
	if (!ks_valid_name(tz, 64, "/_+-") || tz[0] == '/' || strstr(tz, "//") ||
	    endswith(tz, "/")) {
		ks_perr(p, &c->loc,
			"\"%s\" is not a time zone; write Area/City, such as Europe/Berlin, or UTC",
			tz);
		return;
	}
	if (ks_opt_has(c, "utc") && ks_opt_has(c, "localtime")) {
		ks_perr(p, &c->loc, "choose one of --utc and --localtime");
		return;
	}
	free(p->s->timezone);
	p->s->timezone = xstrdup(tz);
	p->s->tz_utc = !ks_opt_has(c, "localtime");
}

void ks_cmd_keyboard(struct parser *p, struct cmd *c)
{
	const char *v;

	if (!ks_once(p, c, &p->seen_kbd))
		return;
	p->s->kbd_loc = c->loc;
	if (!ks_valid_name(c->args.v[0], 32, "_-")) {
		ks_perr(p, &c->loc,
			"\"%s\" is not a keyboard layout; write an X layout name such as us or de",
			c->args.v[0]);
		return;
	}
	free(p->s->kbd_layout);
	p->s->kbd_layout = xstrdup(c->args.v[0]);
	v = ks_opt_get(c, "variant");
	if (v) {
		if (!ks_valid_name(v, 32, "_-"))
			ks_perr(p, &c->loc,
				"--variant=%s is not a keyboard variant, such as nodeadkeys", v);
		else
			p->s->kbd_variant = xstrdup(v);
	}
	v = ks_opt_get(c, "model");
	if (v) {
		if (!ks_valid_name(v, 32, "_-"))
			ks_perr(p, &c->loc, "--model=%s is not a keyboard model, such as pc105", v);
		else
			p->s->kbd_model = xstrdup(v);
	}
}

static bool looks_like_crypt(const char *h)
{
	static const char *const pfx[] = {"$y$", "$gy$", "$7$",	 "$6$",
					  "$5$", "$2b$", "$2y$", "$1$"};

	for (size_t i = 0; i < ARRAY_SIZE(pfx); i++)
		if (startswith(h, pfx[i]) && strlen(h) > strlen(pfx[i]) + 8 &&
		    !strpbrk(h, " \t:\n"))
			return true;
	return false;
}

void ks_cmd_rootpw(struct parser *p, struct cmd *c)
{
	bool crypted = ks_opt_has(c, "iscrypted"), plain = ks_opt_has(c, "plaintext"),
	     lock = ks_opt_has(c, "lock");

	if (!ks_once(p, c, &p->seen_rootpw))
		return;
	p->s->rootpw_loc = c->loc;
	if (crypted + plain + lock == 0 && c->args.n == 1) {
		ks_perr(p, &c->loc,
			"rootpw PASSWORD is kickstart's plain password; Tenxen wants it said: rootpw --plaintext PASSWORD, or better rootpw --iscrypted HASH with a hash from mkpasswd -m yescrypt (the word is not shown here)");
		p->s->kickstart_hints++;
		return;
	}
	if (crypted + plain + lock != 1) {
		ks_perr(p, &c->loc,
			"rootpw needs exactly one of --iscrypted HASH, --plaintext PASSWORD or --lock");
		return;
	}
	if (lock) {
		if (c->args.n)
			ks_perr(p, &c->loc,
				"rootpw --lock takes no password; drop the word after it (not shown here: it may be a password)");
		p->s->rootpw_lock = true;
		return;
	}
	if (c->args.n != 1) {
		ks_perr(p, &c->loc, "rootpw %s needs the %s after it, quoted: rootpw %s '...'",
			crypted ? "--iscrypted" : "--plaintext", crypted ? "hash" : "password",
			crypted ? "--iscrypted" : "--plaintext");
		return;
	}
	if (crypted) {
		if (!looks_like_crypt(c->args.v[0])) {
			ks_perr(p, &c->loc,
				"rootpw --iscrypted: the value is not a crypt(3) hash; make one with mkpasswd -m yescrypt, or use --plaintext");
			return;
		}
		if (startswith(c->args.v[0], "$1$"))
			ks_pwarn(
				p, &c->loc,
				"rootpw --iscrypted: an MD5 ($1$) hash is weak; make a yescrypt one with mkpasswd -m yescrypt");
		p->s->rootpw_hash = xstrdup(c->args.v[0]);
		return;
	}
	if (!*c->args.v[0]) {
		ks_perr(p, &c->loc,
			"rootpw --plaintext: the password is empty; give one, or use --lock");
		return;
	}
	{
		/* Stored only hashed: yescrypt, libcrypt's default strength, fresh salt. */
		char *h = password_hash(c->args.v[0]);

		if (!h)
			ks_perr(p, &c->loc,
				"rootpw --plaintext: this system cannot hash the password with yescrypt; give --iscrypted with a hash made elsewhere");
		else
			p->s->rootpw_hash = h;
		explicit_bzero(c->args.v[0], strlen(c->args.v[0]));
	}
}

void ks_cmd_sshkey(struct parser *p, struct cmd *c)
{
	static const char *const types[] = {"ssh-ed25519 ",
					    "ssh-rsa ",
					    "ecdsa-sha2-nistp256 ",
					    "ecdsa-sha2-nistp384 ",
					    "ecdsa-sha2-nistp521 ",
					    "sk-ssh-ed25519@openssh.com ",
					    "sk-ecdsa-sha2-nistp256@openssh.com "};
	const char *key = c->args.v[0], *user = ks_opt_get(c, "username");
	struct spec_sshkey *k;
	bool ok = false;

	for (size_t i = 0; i < ARRAY_SIZE(types); i++)
		ok |= startswith(key, types[i]) && strlen(key) > strlen(types[i]) + 16;
	if (!ok || strchr(key, '\n')) {
		ks_perr(p, &c->loc,
			"sshkey: the key is not an OpenSSH public key; give one line of a .pub file, quoted: sshkey 'ssh-ed25519 AAAA... user@host'");
		return;
	}
	if (user && !ks_valid_name(user, 32, "_-.")) {
		ks_perr(p, &c->loc, "--username=%s is not a user name", user);
		return;
	}
	if (user && !streq(user, "root")) {
		/* the key would go to a home folder no user owns */
		ks_perr(p, &c->loc,
			"--username=%s: the installed dom0 has one user, root, and Tenxen makes no other; drop --username (the key is root's) or add the user in a %%post script and its key there",
			user);
		return;
	}
	k = xgrow(&p->s->sshkeys, &p->s->nsshkeys, sizeof(*k));
	k->user = xstrdup(user ? user : "root");
	k->key = xstrdup(key);
	k->loc = c->loc;
}

void ks_add_package(struct parser *p, const struct tx_loc *loc, const char *word)
{
	if (word[0] == '@') {
		const char *g = word + 1;
		bool known = false;

		for (size_t i = 0; i < spec_npackage_groups; i++)
			known |= streq(g, spec_package_groups[i]);
		if (!known && ks_kickstart_package(p, loc, word))
			return;
		if (!known) {
			const char *d = did_you_mean(g, spec_package_groups, spec_npackage_groups);

			ks_perr(p, loc,
				"there is no package set @%s; %s%s%sthe sets are @profiler and @guest-templates",
				g, d ? "did you mean @" : "", d ? d : "", d ? "? " : "");
			return;
		}
		if (!strv_contains(&p->s->groups, g))
			strv_push(&p->s->groups, g);
		return;
	}
	if (word[0] == '-' && ks_kickstart_package(p, loc, word))
		return;
	if (!islower((unsigned char)word[0]) && !isdigit((unsigned char)word[0])) {
		ks_perr(p, loc,
			"\"%s\" is not a Debian package name (lower case letters, digits and + - .)",
			word);
		return;
	}
	if (!ks_valid_name(word, 128, "+-.") || strlen(word) < 2) {
		ks_perr(p, loc,
			"\"%s\" is not a Debian package name (lower case letters, digits and + - .)",
			word);
		return;
	}
	for (const char *q = word; *q; q++) {
		if (isupper((unsigned char)*q)) {
			ks_perr(p, loc,
				"\"%s\" is not a Debian package name; package names are lower case",
				word);
			return;
		}
	}
	strv_push(&p->s->packages, word); /* each once: parse_top dedupes the list at its end */
}

void ks_cmd_packages(struct parser *p, struct cmd *c)
{
	for (size_t i = 0; i < c->args.n; i++)
		ks_add_package(p, &c->loc, c->args.v[i]);
}

void ks_cmd_finish(struct parser *p, struct cmd *c)
{
	if (!ks_once(p, c, &p->seen_finish))
		return;
	p->s->finish_given = true;
	p->s->finish_loc = c->loc;
	p->s->finish = streq(c->name, "poweroff") ? FINISH_POWEROFF
		       : streq(c->name, "shell")  ? FINISH_SHELL
						  : FINISH_REBOOT;
}
