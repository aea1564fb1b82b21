// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The host's own settings as the files they become: the network (ifupdown's interfaces, a
 * systemd .link file a card, resolv.conf), the host name, time zone, keyboard, root's keys, the
 * ssh host keys' unit, guests.conf; and what the boot entries are made from. Each is computed
 * here once, carried by its operation, shown by the plan and written by apply/ as it is.
 */
#include "plan/builder.h"
#include "guest/guest.h"

#include <stdlib.h>
#include <string.h>

void op_add_file(struct op *o, enum op_file_kind kind, const char *rel, const char *text,
		 mode_t mode)
{
	struct op_file *f = xgrow(&o->files, &o->nfiles, sizeof(*f));

	f->kind = kind;
	f->rel = xstrdup(rel);
	f->text = text ? xstrdup(text) : NULL;
	f->mode = mode;
}

/* A card's MAC address: given as mac:..., or the machine's card of that name (NULL: the first
 * wired card); NULL when not known. */
static const char *card_mac(const struct machine *m, const char *card)
{
	if (card && startswith(card, "mac:"))
		return card + 4;
	for (size_t i = 0; i < m->nnics; i++)
		if (!card || streq(m->nics[i].name, card))
			return m->nics[i].mac;
	return NULL;
}

/* The host's name for the next card (*k counts them over all lines): lanK, pinned to its MAC
 * by a systemd .link file, or the name the file gives when its MAC is not known. Caller frees. */
static char *host_card(struct op *o, const struct machine *m, const char *card, size_t *k)
{
	const char *mac = card_mac(m, card);
	char *name, *rel, *text;

	if (!mac)
		return xstrdup(card ? card : "eth0");
	name = xasprintf("lan%zu", *k);
	rel = xasprintf("etc/systemd/network/10-tenxen-lan%zu.link", *k);
	text = xasprintf(
		"# Written by Tenxen: network card %zu keeps one name (Type=ether: not the\n"
		"# VLANs and bonds that carry its address).\n[Match]\nMACAddress=%s\n"
		"Type=ether\n\n[Link]\nName=%s\n",
		*k + 1, mac, name);
	(*k)++;
	op_add_file(o, OPF_FILE, rel, text, 0644);
	free(rel);
	free(text);
	return name;
}

/* One ifupdown stanza: with the line's address (DHCP or static) or none ("manual"), then
 * EXTRA's lines. Caller frees. */
static char *stanza(const char *ifname, const struct spec_network *n, bool address,
		    const char *extra)
{
	char *dns, *text;

	if (!address)
		return xasprintf("auto %s\niface %s inet manual\n%s", ifname, ifname, extra);
	if (n->dhcp)
		return xasprintf("auto %s\niface %s inet dhcp\n%s", ifname, ifname, extra);
	dns = strv_join(&n->nameservers, " ");
	text = xasprintf("auto %s\niface %s inet static\n\taddress %s/%d\n%s%s%s%s%s%s%s", ifname,
			 ifname, n->ip, n->prefix, n->gateway ? "\tgateway " : "",
			 n->gateway ? n->gateway : "", n->gateway ? "\n" : "", extra,
			 n->nameservers.n ? "\tdns-nameservers " : "", n->nameservers.n ? dns : "",
			 n->nameservers.n ? "\n" : "");
	free(dns);
	return text;
}

/* A bond's lines for ifenslave: its cards (by their host names), mode and options. */
static char *bond_lines(struct op *o, const struct machine *m, const struct spec_network *n,
			size_t *k)
{
	struct strv names = {0}, lines = {0};
	char *j, *text;

	for (size_t i = 0; i < n->slaves.n; i++)
		strv_push_owned(&names, host_card(o, m, n->slaves.v[i], k));
	j = strv_join(&names, " ");
	strv_push_owned(&lines, xasprintf("\tbond-slaves %s\n\tbond-mode %s\n", j, n->bond_mode));
	free(j);
	for (size_t i = 0; i < n->bond_opts.n; i++) {
		char *key = xstrdup(n->bond_opts.v[i]), *val = strchr(key, '=');

		*val++ = '\0';
		for (char *q = key; *q; q++)
			if (*q == '_')
				*q = '-';
		if (streq(key, "primary")) /* the card's name on the host */
			for (size_t c = 0; c < n->slaves.n; c++)
				if (streq(n->slaves.v[c], val))
					val = names.v[c];
		strv_push_owned(&lines, xasprintf("\tbond-%s %s\n", key, val));
		free(key);
	}
	text = strv_join(&lines, "");
	strv_free(&names);
	strv_free(&lines);
	return text;
}

/* How the plan names one network line: its link, its address, its bridge. Caller frees. */
static char *network_phrase(const struct spec_network *n, size_t br)
{
	char *cards, *link, *addr, *t;

	cards = strv_join(&n->slaves, ", ");
	if (n->slaves.n)
		link = xasprintf("%s, a bond (%s) of %s", n->device, n->bond_mode, cards);
	else
		link = xstrdup(n->device ? n->device : "the first wired network card");
	free(cards);
	if (n->dhcp)
		addr = xstrdup("DHCP");
	else
		addr = xasprintf("static %s/%d%s%s", n->ip, n->prefix, n->gateway ? " via " : "",
				 n->gateway ? n->gateway : "");
	if (!n->vlan && !n->bridge_vlan) {
		t = xasprintf("%s: %s; guests' bridge xenbr%zu", link, addr, br);
	} else {
		char *tag = n->bridge_vlan ? xasprintf("on VLAN %d", n->bridge_vlan)
					   : xstrdup("untagged");

		t = n->vlan ? xasprintf("%s: %s on VLAN %d; guests' bridge xenbr%zu %s", link, addr,
					n->vlan, br, tag)
			    : xasprintf("%s: %s untagged; guests' bridge xenbr%zu %s", link, addr,
					br, tag);
		free(tag);
	}
	free(link);
	free(addr);
	return t;
}

/*
 * The network, for ifupdown (which Debian's Xen hosts have long used, with bridge-utils for the
 * bridges, ifenslave for bonds and its own VLAN support): each card is pinned by its MAC address
 * to the name lanN (a systemd .link file), whatever the kernel or the slot calls it. The N-th
 * line for a card or bond makes the bridge xenbrN that guests join, on its link (the card, or
 * the bond of its cards) untagged or on the tag --bridge-vlan gives; the host's address is on
 * the link or on the tag --vlanid gives: on the bridge when the two are the same, else beside
 * it. One operation writes it all; its detail names each line.
 */
static void plan_network(struct builder *b)
{
	const struct spec *s = b->s;
	struct strv ifs = {0}, phrases = {0};
	char *resolv = NULL, *body;
	size_t k = 0, br = 0;
	struct op *o = NULL;

	for (size_t i = 0; i < s->nnets; i++) {
		const struct spec_network *n = &s->nets[i];
		char *link, *mgmt, *port, *bond = NULL, *bridge, *ports;

		if (n->name_only)
			continue;
		if (!o) {
			o = add_conf(b->p, CONF_NETWORK);
			strv_push(
				&ifs,
				"# The network of this Xen host, written by Tenxen. Guests join xenbr0.\n"
				"source /etc/network/interfaces.d/*\n\n"
				"auto lo\niface lo inet loopback\n");
		}
		strv_push_owned(&phrases, network_phrase(n, br));
		if (n->slaves.n) {
			link = xstrdup(n->device);
			bond = bond_lines(o, b->m, n, &k);
		} else {
			link = host_card(o, b->m, n->device, &k);
		}
		mgmt = n->vlan ? xasprintf("%s.%d", link, n->vlan) : xstrdup(link);
		port = n->bridge_vlan ? xasprintf("%s.%d", link, n->bridge_vlan) : xstrdup(link);
		if (bond || !streq(port, link))
			strv_push_owned(&ifs,
					stanza(link, n, streq(mgmt, link) && !streq(port, link),
					       bond ? bond : ""));
		if (!streq(port, link))
			strv_push_owned(&ifs, stanza(port, n, false, ""));
		bridge = xasprintf("xenbr%zu", br++);
		ports = xasprintf("\tbridge_ports %s\n\tbridge_stp off\n\tbridge_fd 0\n", port);
		strv_push_owned(&ifs, stanza(bridge, n, streq(mgmt, port), ports));
		if (!streq(mgmt, port) && !streq(mgmt, link))
			strv_push_owned(&ifs, stanza(mgmt, n, true, ""));
		if (!n->dhcp && n->nameservers.n) { /* the last static line's servers */
			struct strv rv = {0};

			for (size_t j = 0; j < n->nameservers.n; j++)
				strv_push_owned(&rv,
						xasprintf("nameserver %s\n", n->nameservers.v[j]));
			free(resolv);
			resolv = strv_join(&rv, "");
			strv_free(&rv);
		}
		free(link);
		free(mgmt);
		free(port);
		free(bond);
		free(bridge);
		free(ports);
	}
	if (o) {
		body = strv_join(&ifs, "\n");
		op_add_file(o, OPF_FILE, "etc/network/interfaces", body, 0644);
		free(body);
		if (resolv)
			op_add_file(o, OPF_FILE, "etc/resolv.conf", resolv, 0644);
		o->detail = strv_join(&phrases, "; ");
	}
	free(resolv);
	strv_free(&ifs);
	strv_free(&phrases);
}

/* The host's name (the last line that gives one): /etc/hostname and /etc/hosts. */
static void plan_hostname(struct builder *b)
{
	const char *name = NULL;
	char *text, *shortname;
	struct op *o;

	for (size_t i = 0; i < b->s->nnets; i++)
		if (b->s->nets[i].hostname)
			name = b->s->nets[i].hostname;
	if (!name)
		return;
	o = add_conf(b->p, CONF_HOSTNAME);
	o->detail = xstrdup(name);
	shortname = xstrdup(name);
	shortname[strcspn(shortname, ".")] = '\0';
	text = xasprintf("%s\n", shortname);
	op_add_file(o, OPF_FILE, "etc/hostname", text, 0644);
	free(text);
	text = xasprintf("127.0.0.1\tlocalhost\n127.0.1.1\t%s%s%s\n\n"
			 "::1\tlocalhost ip6-localhost ip6-loopback\n"
			 "ff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n",
			 name, streq(name, shortname) ? "" : "\t",
			 streq(name, shortname) ? "" : shortname);
	op_add_file(o, OPF_FILE, "etc/hosts", text, 0644);
	free(text);
	free(shortname);
}

/* The time zone: /etc/localtime a link into the root's tzdata (apply checks it is there). */
static void plan_timezone(struct builder *b)
{
	const struct spec *s = b->s;
	struct op *o = add_conf(b->p, CONF_TIMEZONE);
	char *text;

	o->detail = xasprintf("%s, hardware clock in %s", s->timezone,
			      s->tz_utc ? "UTC" : "local time");
	o->name = xstrdup(s->timezone);
	text = xasprintf("/usr/share/zoneinfo/%s", s->timezone);
	op_add_file(o, OPF_LINK, "etc/localtime", text, 0777);
	free(text);
	text = xasprintf("%s\n", s->timezone);
	op_add_file(o, OPF_FILE, "etc/timezone", text, 0644);
	free(text);
	op_add_file(o, OPF_FILE, "etc/adjtime",
		    s->tz_utc ? "0.0 0 0.0\n0\nUTC\n" : "0.0 0 0.0\n0\nLOCAL\n", 0644);
}

static void plan_keyboard(struct builder *b)
{
	const struct spec *s = b->s;
	struct op *o = add_conf(b->p, CONF_KEYBOARD);
	char *text = xasprintf("# Keyboard of this host, written by Tenxen (see keyboard(5)).\n"
			       "XKBMODEL=\"%s\"\nXKBLAYOUT=\"%s\"\nXKBVARIANT=\"%s\"\n"
			       "XKBOPTIONS=\"\"\nBACKSPACE=\"guess\"\n",
			       s->kbd_model ? s->kbd_model : "pc105", s->kbd_layout,
			       s->kbd_variant ? s->kbd_variant : "");

	o->detail = xasprintf("%s%s%s", s->kbd_layout, s->kbd_variant ? " " : "",
			      s->kbd_variant ? s->kbd_variant : "");
	op_add_file(o, OPF_FILE, "etc/default/keyboard", text, 0644);
	free(text);
}

/*
 * The host's own ssh host keys (the payload carries none). Ed25519 and ECDSA keys take a moment
 * and are made during the install. An RSA key takes seconds of arithmetic (up to half a minute
 * in an emulator), which the install would only wait for: the host makes it on its first boot,
 * before sshd starts (ssh-keygen -A makes whichever keys are missing).
 */
static const char ssh_keys_unit[] =
	"# Written by Tenxen: the ssh host keys this host does not have yet, made before sshd\n"
	"# starts; the install made Ed25519 and ECDSA keys, this makes the RSA key once.\n"
	"[Unit]\n"
	"Description=Make the ssh host keys this host lacks\n"
	"ConditionPathExists=!/etc/ssh/ssh_host_rsa_key\n"
	"Before=ssh.service\n"
	"\n"
	"[Service]\n"
	"Type=oneshot\n"
	"ExecStart=/usr/bin/ssh-keygen -A\n"
	"\n"
	"[Install]\n"
	"WantedBy=multi-user.target\n";

/* root's password field ("!" locked, "*" none, else its hash: kept, never shown); the host's
 * ssh keys; the keys that may log in. */
static void plan_accounts(struct builder *b)
{
	const struct spec *s = b->s;
	struct strv users = {0};
	struct op *o = add_conf(b->p, CONF_ROOT);

	o->detail = xstrdup(s->rootpw_lock   ? "password locked"
			    : s->rootpw_hash ? "password set from its hash"
					     : "no password (console only)");
	o->secret = xstrdup(s->rootpw_lock ? "!" : s->rootpw_hash ? s->rootpw_hash : "*");
	o = add_conf(b->p, CONF_HOSTKEYS);
	o->detail = xstrdup(
		"Ed25519 and ECDSA host keys made now with the root's ssh-keygen (none when it has none); RSA on the first boot");
	op_add_file(o, OPF_FILE, "etc/systemd/system/tenxen-ssh-keys.service", ssh_keys_unit, 0644);
	op_add_file(o, OPF_LINK,
		    "etc/systemd/system/multi-user.target.wants/tenxen-ssh-keys.service",
		    "/etc/systemd/system/tenxen-ssh-keys.service", 0777);
	if (!s->nsshkeys)
		return;
	o = add_conf(b->p, CONF_SSHKEYS);
	o->detail = xasprintf("%zu authorized key%s", s->nsshkeys, s->nsshkeys == 1 ? "" : "s");
	for (size_t i = 0; i < s->nsshkeys; i++)
		if (!strv_contains(&users, s->sshkeys[i].user))
			strv_push(&users, s->sshkeys[i].user);
	for (size_t u = 0; u < users.n; u++) {
		struct strv keys = {0};
		char *home = streq(users.v[u], "root") ? xstrdup("root")
						       : xasprintf("home/%s", users.v[u]);
		char *dir = xasprintf("%s/.ssh", home), *rel, *body;

		for (size_t i = 0; i < s->nsshkeys; i++)
			if (streq(s->sshkeys[i].user, users.v[u]))
				strv_push_owned(&keys, xasprintf("%s\n", s->sshkeys[i].key));
		body = strv_join(&keys, "");
		rel = xasprintf("%s/authorized_keys", dir);
		op_add_file(o, OPF_DIR, dir, NULL, 0700);
		op_add_file(o, OPF_FILE, rel, body, 0600);
		free(body);
		free(rel);
		free(dir);
		free(home);
		strv_free(&keys);
	}
	strv_free(&users);
}

/* Where guests go: guests.conf, and xen-tools pointed at the same group (op->vg). */
static void plan_guests(struct builder *b)
{
	struct guest_host h = {0};
	const char *vg, *bridge;
	struct op *o = add_conf(b->p, CONF_GUESTS);
	char *text;

	spec_guests(b->s, &vg, &h.mirrors, &bridge);
	o->detail = xasprintf(
		"guests' disks in %s%s%s, on %s%s (guests.conf, xen-tools.conf); the medium's Debian root kept for guests made offline",
		vg ? vg : "?", h.mirrors ? " as raid1" : "", h.mirrors ? " volumes" : "",
		bridge ? "the bridge " : "no network", bridge ? bridge : "");
	if (!vg)
		return;
	o->vg = xstrdup(vg);
	h.vg = (char *)vg;
	h.bridge = (char *)bridge;
	text = guest_host_text(&h);
	op_add_file(o, OPF_FILE, "etc/tenxen/guests.conf", text, 0644);
	free(text);
}

/* Releases Debian gives no -security suite. */
static bool release_has_security(const char *release)
{
	static const char *const none[] = {"sid", "unstable", "experimental", "rc-buggy"};

	for (size_t i = 0; i < ARRAY_SIZE(none); i++)
		if (streq(release, none[i]))
			return false;
	return true;
}

/*
 * Where the host's apt finds its release, that release's fixes (-updates) and its security fixes
 * (-security): a deb822 file, Debian's own archives unless mirror says else; and sources.list
 * left with a pointer to it (the root's names the mirror the medium was built from).
 */
static void plan_apt(struct builder *b)
{
	const struct spec_upkeep *u = &b->s->upkeep;
	const char *rel = b->p->release;
	const char *mirror = u->mirror ? u->mirror : SPEC_DEFAULT_MIRROR;
	const char *sec = u->security ? u->security : SPEC_DEFAULT_SECURITY;
	const struct tx_loc *at = u->mirror_loc.file ? &u->mirror_loc : &b->s->end_loc;
	bool security = !streq(sec, "none");
	struct op *o;
	char *text, *upd;

	if (security && !release_has_security(rel)) {
		tx_error(
			b->r, at,
			"Debian %s has no -security suite, so the host would wait for fixes that never come: write mirror %s --security=none",
			rel, mirror);
		return;
	}
	o = add_conf(b->p, CONF_APT);
	upd = u->no_updates ? xstrdup("") : xasprintf(" %s-updates", rel);
	o->detail = xasprintf("Debian %s%s from %s; %s%s%s", rel,
			      u->no_updates ? "" : " and its -updates", mirror,
			      security ? "security fixes from " : "no security suite",
			      security ? sec : "", security ? "" : " (--security=none)");
	text = xasprintf(
		"# Where this Xen host's apt finds Debian %s, its fixes and its security fixes;\n"
		"# written by Tenxen (mirror in the answer file). See sources.list(5).\n"
		"Types: deb\nURIs: %s\nSuites: %s%s\nComponents: main non-free-firmware\n",
		rel, mirror, rel, upd);
	if (security) {
		char *more = xasprintf("%s\nTypes: deb\nURIs: %s\nSuites: %s-security\n"
				       "Components: main non-free-firmware\n",
				       text, sec, rel);

		free(text);
		text = more;
	}
	op_add_file(o, OPF_FILE, "etc/apt/sources.list.d/debian.sources", text, 0644);
	op_add_file(o, OPF_FILE, "etc/apt/sources.list",
		    "# This host's Debian sources are in /etc/apt/sources.list.d/debian.sources\n"
		    "# (written by Tenxen).\n",
		    0644);
	free(text);
	free(upd);
}

/* The host's clock: systemd-timesyncd, from the answer file's servers, else Debian's pool. */
static void plan_time(struct builder *b)
{
	const struct spec_upkeep *u = &b->s->upkeep;
	struct op *o = add_conf(b->p, CONF_TIME);
	char *list, *text;

	if (u->ntp_off) {
		o->detail = xstrdup(
			"not kept in sync (timesource --ntp-disable): systemd-timesyncd masked");
		op_add_file(o, OPF_LINK, "etc/systemd/system/systemd-timesyncd.service",
			    "/dev/null", 0777);
		return;
	}
	if (!u->ntp.n) {
		o->detail = xstrdup("kept in sync by systemd-timesyncd from Debian's NTP pool");
		return;
	}
	list = strv_join(&u->ntp, " ");
	o->detail = xasprintf("kept in sync by systemd-timesyncd from %s", list);
	text = xasprintf("# This host's time servers, written by Tenxen (timesource in the answer\n"
			 "# file). See timesyncd.conf(5).\n[Time]\nNTP=%s\n",
			 list);
	op_add_file(o, OPF_FILE, "etc/systemd/timesyncd.conf.d/tenxen.conf", text, 0644);
	free(text);
	free(list);
}

void plan_settings(struct builder *b)
{
	const struct spec *s = b->s;
	struct op *o;

	plan_network(b);
	plan_hostname(b);
	plan_timezone(b);
	plan_keyboard(b);
	plan_time(b);
	plan_accounts(b);
	plan_apt(b);
	if (s->console.kind == CONSOLE_SERIAL) {
		o = add_conf(b->p, CONF_CONSOLE);
		o->detail = xasprintf("getty on hvc0; Xen on com%d at %u", s->console.port + 1,
				      s->console.speed);
	}
}

/*
 * Security fixes installed by themselves (updates --automatic): unattended-upgrades, which the
 * plan's packages bring, switched on once it is installed. Debian's own configuration of it
 * takes the security suite alone; the host never reboots for a fix (its guests run on it): the
 * admin chooses when, as /run/reboot-required says.
 */
static void plan_updates(struct builder *b)
{
	struct op *o = add_conf(b->p, CONF_UPDATES);

	o->detail = xstrdup(
		"security fixes installed daily by unattended-upgrades; the host never reboots for them");
	op_add_file(o, OPF_FILE, "etc/apt/apt.conf.d/20auto-upgrades",
		    "// Written by Tenxen (updates --automatic in the answer file).\n"
		    "APT::Periodic::Update-Package-Lists \"1\";\n"
		    "APT::Periodic::Unattended-Upgrade \"1\";\n",
		    0644);
	op_add_file(o, OPF_FILE, "etc/apt/apt.conf.d/52tenxen-unattended-upgrades",
		    "// Written by Tenxen: a Xen host runs guests, so it never reboots by itself\n"
		    "// for a fix; /run/reboot-required says when one needs it.\n"
		    "Unattended-Upgrade::Automatic-Reboot \"false\";\n",
		    0644);
}

void plan_guest_settings(struct builder *b)
{
	if (strv_contains(&b->s->groups, "guest-templates"))
		plan_guests(b);
	if (b->s->upkeep.automatic)
		plan_updates(b);
}

struct op_boot *op_boot_of(const struct spec *s, const char *dom0_mem, const char *prefix)
{
	struct op_boot *e = xzalloc(sizeof(*e));
	const struct spec_logvol *root = spec_root_lv(s);

	e->prefix = xstrdup(prefix);
	e->dom0_mem = xstrdup(dom0_mem);
	if (s->xen.vcpus_min)
		e->dom0_vcpus = xasprintf("%d-%d", s->xen.vcpus_min, s->xen.vcpus_max);
	else if (s->xen.vcpus_max)
		e->dom0_vcpus = xasprintf("%d", s->xen.vcpus_max);
	e->vpmu = s->xen.vpmu ? xstrdup(s->xen.vpmu) : NULL;
	e->xen_append = s->xen.append ? xstrdup(s->xen.append) : NULL;
	e->dom0_append = s->xen.dom0_append ? xstrdup(s->xen.dom0_append) : NULL;
	if (root)
		e->root_dev = xasprintf("/dev/mapper/%s-%s", root->vg, root->name);
	e->serial = s->console.kind == CONSOLE_SERIAL;
	e->port = s->console.port;
	e->speed = s->console.speed;
	e->timeout = s->bootloader.timeout;
	return e;
}

void op_boot_free(struct op_boot *e)
{
	if (!e)
		return;
	free(e->prefix);
	free(e->dom0_mem);
	free(e->dom0_vcpus);
	free(e->vpmu);
	free(e->xen_append);
	free(e->dom0_append);
	free(e->root_dev);
	free(e);
}

char *op_boot_text(const struct op_boot *e)
{
	struct strv d = {0};
	char *t;

	strv_push_owned(&d, xasprintf("dom0_mem=%s", e->dom0_mem));
	if (e->dom0_vcpus)
		strv_push_owned(&d, xasprintf("dom0_max_vcpus=%s", e->dom0_vcpus));
	if (e->vpmu)
		strv_push_owned(&d, xasprintf("vpmu=%s", e->vpmu));
	if (e->serial)
		strv_push_owned(&d, xasprintf("com%d=%u,8n1 console=com%d,vga; dom0 console=hvc0",
					      e->port + 1, e->speed, e->port + 1));
	if (e->xen_append)
		strv_push(&d, e->xen_append);
	if (e->dom0_append)
		strv_push_owned(&d, xasprintf("dom0 %s", e->dom0_append));
	if (e->root_dev)
		strv_push_owned(&d, xasprintf("root=%s", e->root_dev));
	t = strv_join(&d, ", ");
	strv_free(&d);
	return t;
}
