// SPDX-License-Identifier: GPL-2.0-or-later
/* The host's own settings under the target's /etc: network, hostname, time zone, keyboard,
 * root's password and keys, the serial login, host keys, guests. */
#include "apply/target.h"
#include "storage/image.h"
#include "bootcfg/fresh.h"
#include "guest/guest.h"
#include "bootcfg/host.h"
#include "bootcfg/install.h"
#include "common/atomic.h"
#include "common/password.h"
#include "common/run.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

/* A card's MAC address: given as mac:..., or the machine's card of that name (NULL: the first
 * wired card); NULL when not known. */
static const char *card_mac(const struct target_ctx *t, const char *card)
{
	if (card && startswith(card, "mac:"))
		return card + 4;
	for (size_t i = 0; i < t->machine->nnics; i++)
		if (!card || streq(t->machine->nics[i].name, card))
			return t->machine->nics[i].mac;
	return NULL;
}

/* The host's name for the next card (*k counts them over all lines): lanK, pinned to its MAC
 * by a systemd .link file, or the name the file gives when its MAC is not known. Caller frees. */
static char *host_card(const struct target_ctx *t, const char *card, size_t *k, int *rc,
		       struct tx_report *r)
{
	const char *mac = card_mac(t, card);
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
	if (*rc == 0)
		*rc = target_put_file(t->target, rel, text, 0644, r);
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
	struct strv ns = {0};

	if (!address)
		return xasprintf("auto %s\niface %s inet manual\n%s", ifname, ifname, extra);
	if (n->dhcp)
		return xasprintf("auto %s\niface %s inet dhcp\n%s", ifname, ifname, extra);
	strv_copy(&ns, &n->nameservers);
	dns = strv_join(&ns, " ");
	text = xasprintf("auto %s\niface %s inet static\n\taddress %s/%d\n%s%s%s%s%s%s%s", ifname,
			 ifname, n->ip, n->prefix, n->gateway ? "\tgateway " : "",
			 n->gateway ? n->gateway : "", n->gateway ? "\n" : "", extra,
			 ns.n ? "\tdns-nameservers " : "", ns.n ? dns : "", ns.n ? "\n" : "");
	free(dns);
	strv_free(&ns);
	return text;
}

/* A bond's lines for ifenslave: its cards (by their host names), mode and options. */
static char *bond_lines(const struct target_ctx *t, const struct spec_network *n, size_t *k,
			int *rc, struct tx_report *r)
{
	struct strv names = {0}, lines = {0};
	char *j, *text;

	for (size_t i = 0; i < n->slaves.n; i++)
		strv_push_owned(&names, host_card(t, n->slaves.v[i], k, rc, r));
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

/*
 * The network, for ifupdown (which Debian's Xen hosts have long used, with bridge-utils for the
 * bridges, ifenslave for bonds and its own VLAN support): each card is pinned by its MAC address
 * to the name lanN (a systemd .link file), whatever the kernel or the slot calls it. The N-th
 * line for a card or bond makes the bridge xenbrN that guests join, on its link (the card, or the bond of its
 * cards) untagged or on the tag --bridge-vlan gives; the host's address is on the link or on
 * the tag --vlanid gives: on the bridge when the two are the same, else beside it.
 */
static int configure_network(const struct target_ctx *t, struct tx_report *r)
{
	const struct spec *s = t->spec;
	struct strv ifs = {0};
	size_t k = 0;
	int rc = 0;

	strv_push(&ifs, "# The network of this Xen host, written by Tenxen. Guests join xenbr0.\n"
			"source /etc/network/interfaces.d/*\n\n"
			"auto lo\niface lo inet loopback\n");
	for (size_t i = 0, br = 0; i < s->nnets && rc == 0; i++) {
		const struct spec_network *n = &s->nets[i];
		char *link, *mgmt, *port, *bond = NULL, *bridge, *ports;

		if (n->name_only)
			continue;
		if (n->slaves.n) {
			link = xstrdup(n->device);
			bond = bond_lines(t, n, &k, &rc, r);
		} else {
			link = host_card(t, n->device, &k, &rc, r);
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
		if (!n->dhcp && n->nameservers.n && rc == 0) {
			struct strv rv = {0};
			char *body, *text;

			for (size_t j = 0; j < n->nameservers.n; j++)
				strv_push_owned(&rv,
						xasprintf("nameserver %s", n->nameservers.v[j]));
			body = strv_join(&rv, "\n");
			text = xasprintf("%s\n", body);
			rc = target_put_file(t->target, "etc/resolv.conf", text, 0644, r);
			free(body);
			free(text);
			strv_free(&rv);
		}
		free(link);
		free(mgmt);
		free(port);
		free(bond);
		free(bridge);
		free(ports);
	}
	if (rc == 0) {
		char *body = strv_join(&ifs, "\n");

		rc = target_put_file(t->target, "etc/network/interfaces", body, 0644, r);
		free(body);
	}
	strv_free(&ifs);
	return rc;
}

static int configure_hostname(const struct target_ctx *t, struct tx_report *r)
{
	const char *name = NULL;
	char *text, *shortname;
	int rc;

	for (size_t i = 0; i < t->spec->nnets; i++)
		if (t->spec->nets[i].hostname)
			name = t->spec->nets[i].hostname;
	if (!name)
		name = "xenhost";
	shortname = xstrdup(name);
	shortname[strcspn(shortname, ".")] = '\0';
	text = xasprintf("%s\n", shortname);
	rc = target_put_file(t->target, "etc/hostname", text, 0644, r);
	free(text);
	if (rc == 0) {
		text = xasprintf("127.0.0.1\tlocalhost\n127.0.1.1\t%s%s%s\n\n"
				 "::1\tlocalhost ip6-localhost ip6-loopback\n"
				 "ff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n",
				 name, streq(name, shortname) ? "" : "\t",
				 streq(name, shortname) ? "" : shortname);
		rc = target_put_file(t->target, "etc/hosts", text, 0644, r);
		free(text);
	}
	free(shortname);
	return rc;
}

static int configure_timezone(const struct target_ctx *t, struct tx_report *r)
{
	const struct spec *s = t->spec;
	char *zone = xasprintf("%s/usr/share/zoneinfo/%s", t->target, s->timezone);
	char *link = xasprintf("%s/etc/localtime", t->target), *text;
	char *dest = xasprintf("/usr/share/zoneinfo/%s", s->timezone);
	int rc = 0;

	if (access(zone, R_OK) < 0) {
		tx_error(r, &s->tz_loc, "the time zone %s is not in the installed system's tzdata",
			 s->timezone);
		rc = -ENOENT;
	} else {
		unlink(link);
		if (symlink(dest, link) < 0) {
			rc = -errno;
			tx_error(r, NULL, "cannot link %s to %s: %s", link, dest, strerror(errno));
		}
	}
	if (rc == 0) {
		text = xasprintf("%s\n", s->timezone);
		rc = target_put_file(t->target, "etc/timezone", text, 0644, r);
		free(text);
	}
	if (rc == 0)
		rc = target_put_file(t->target, "etc/adjtime",
				     s->tz_utc ? "0.0 0 0.0\n0\nUTC\n" : "0.0 0 0.0\n0\nLOCAL\n",
				     0644, r);
	free(zone);
	free(link);
	free(dest);
	return rc;
}

static int configure_keyboard(const struct target_ctx *t, struct tx_report *r)
{
	const struct spec *s = t->spec;
	char *text = xasprintf("# Keyboard of this host, written by Tenxen (see keyboard(5)).\n"
			       "XKBMODEL=\"%s\"\nXKBLAYOUT=\"%s\"\nXKBVARIANT=\"%s\"\n"
			       "XKBOPTIONS=\"\"\nBACKSPACE=\"guess\"\n",
			       s->kbd_model ? s->kbd_model : "pc105", s->kbd_layout,
			       s->kbd_variant ? s->kbd_variant : "");
	int rc = target_put_file(t->target, "etc/default/keyboard", text, 0644, r);

	free(text);
	return rc;
}

/* root's password field in /etc/shadow: the hash, or "!" (locked), or "*" (no password). */
static int configure_root(const struct target_ctx *t, struct tx_report *r)
{
	const struct spec *s = t->spec;
	char *shadow = xasprintf("%s/etc/shadow", t->target);
	char *group = xasprintf("%s/etc/group", t->target);
	int rc = shadow_set_root(shadow, group,
				 s->rootpw_lock	  ? "!"
				 : s->rootpw_hash ? s->rootpw_hash
						  : "*",
				 r);

	free(shadow);
	free(group);
	return rc;
}

static int configure_sshkeys(const struct target_ctx *t, struct tx_report *r)
{
	const struct spec *s = t->spec;
	struct strv users = {0};
	int rc = 0;

	for (size_t i = 0; i < s->nsshkeys; i++)
		if (!strv_contains(&users, s->sshkeys[i].user))
			strv_push(&users, s->sshkeys[i].user);
	for (size_t u = 0; u < users.n && rc == 0; u++) {
		struct strv keys = {0};
		char *home = streq(users.v[u], "root") ? xstrdup("root")
						       : xasprintf("home/%s", users.v[u]);
		char *rel = xasprintf("%s/.ssh/authorized_keys", home), *body, *text;
		char *dir = xasprintf("%s/%s/.ssh", t->target, home);

		for (size_t i = 0; i < s->nsshkeys; i++)
			if (streq(s->sshkeys[i].user, users.v[u]))
				strv_push(&keys, s->sshkeys[i].key);
		body = strv_join(&keys, "\n");
		text = xasprintf("%s\n", body);
		rc = target_put_file(t->target, rel, text, 0600, r);
		if (rc == 0 && chmod(dir, 0700) < 0)
			rc = -errno;
		free(body);
		free(text);
		free(rel);
		free(dir);
		free(home);
		strv_free(&keys);
	}
	strv_free(&users);
	return rc;
}

static int configure_console(const struct target_ctx *t, struct tx_report *r)
{
	struct strv changes = {0};
	int rc = host_serial_login(t->target, true, false, &changes, r);

	for (size_t i = 0; i < changes.n; i++)
		tx_info(r, NULL, "%s", changes.v[i]);
	strv_free(&changes);
	return rc;
}

static bool has_keygen(const struct target_ctx *t)
{
	char *keygen = xasprintf("%s/usr/bin/ssh-keygen", t->target);
	bool yes = access(keygen, X_OK) == 0;

	free(keygen);
	return yes;
}

/*
 * The host's own ssh host keys (the payload carries none). Ed25519 and ECDSA keys take a moment
 * and are made now. An RSA key takes seconds of arithmetic (up to half a minute in an emulator),
 * which the install would only wait for: the host makes it on its first boot, before sshd starts
 * (ssh-keygen -A makes whichever keys are missing).
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

static int configure_hostkeys(const struct target_ctx *t, struct tx_report *r)
{
	static const char *const types[] = {"ed25519", "ecdsa"};
	const char *unit = "etc/systemd/system/tenxen-ssh-keys.service";
	char *link, *dir;
	int rc = 0;

	if (!has_keygen(t))
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(types) && rc == 0; i++) {
		char *key = xasprintf("/etc/ssh/ssh_host_%s_key", types[i]);
		char *there = xasprintf("%s%s", t->target, key);
		const char *argv[] = {"chroot", t->target, "ssh-keygen", "-q", "-t", types[i], "-N",
				      "",	"-C",	   "",		 "-f", key,  NULL};

		if (access(there, F_OK) < 0)
			rc = run_cmd(r, argv, NULL);
		free(key);
		free(there);
	}
	if (rc == 0)
		rc = target_put_file(t->target, unit, ssh_keys_unit, 0644, r);
	if (rc < 0)
		return rc;
	dir = xasprintf("%s/etc/systemd/system/multi-user.target.wants", t->target);
	link = xasprintf("%s/tenxen-ssh-keys.service", dir);
	rc = mkdir_p(dir);
	unlink(link);
	if (rc == 0 && symlink("/etc/systemd/system/tenxen-ssh-keys.service", link) < 0)
		rc = -errno;
	if (rc < 0)
		tx_error(r, NULL, "cannot enable %s: %s", unit, strerror(-rc));
	free(dir);
	free(link);
	return rc;
}

/* Set "lvm = VG" in xen-tools' configuration: the commented example line, or a new one. */
static int xen_tools_vg(const struct target_ctx *t, const char *vg, struct tx_report *r)
{
	char *path = xasprintf("%s/etc/xen-tools/xen-tools.conf", t->target), *text = NULL;
	struct strv out = {0};
	bool set = false;
	int rc = read_file(path, &text, NULL);

	if (rc < 0) {
		tx_error(r, NULL, "%s is missing, though @guest-templates installs xen-tools: %s",
			 path, strerror(-rc));
		free(path);
		return rc;
	}
	for (char *l = text, *next; l && *l; l = next) {
		char *p = l;

		next = strchr(l, '\n');
		if (next)
			*next++ = '\0';
		while (*p == ' ' || *p == '\t' || (*p == '#' && !set))
			p++;
		if (!set && startswith(p, "lvm") && p[3 + strspn(p + 3, " \t")] == '=') {
			strv_push_owned(&out, xasprintf("lvm = %s", vg));
			set = true;
		} else {
			strv_push(&out, l);
		}
	}
	if (!set)
		strv_push_owned(&out, xasprintf("lvm = %s", vg));
	strv_push(&out, "");
	free(text);
	text = strv_join(&out, "\n");
	rc = atomic_write_file(r, path, text, strlen(text), 0644, true);
	strv_free(&out);
	free(text);
	free(path);
	return rc;
}

/*
 * The medium's root image, its map, its /boot and its release kept on the host (GUEST_ROOT_DIR),
 * so that Debian guests are made offline from it (guest/offline.c). A payload without the image
 * (a root as a tarball) leaves guests to a mirror, and says so.
 */
static int keep_guest_root(const struct target_ctx *t, struct tx_report *r)
{
	static const char *const files[] = {"release", "root.img.map", "root.img.zst"};
	char *dir = xasprintf("%s%s", t->target, GUEST_ROOT_DIR);
	char *staged = xasprintf("%s/var/tmp/tenxen-payload/", t->target);
	int rc = 0;

	if (!target_root_from_image(t) || !target_payload_has(t, "release")) {
		tx_warn(r, NULL,
			"the payload has no root image, so this host keeps no root for guests made offline: Debian guests need a mirror (mirror = URL in /etc/tenxen/guests.conf)");
		goto out;
	}
	rc = mkdir_p(dir);
	for (size_t i = 0; i < ARRAY_SIZE(files) && rc == 0; i++) {
		char *local = NULL, *dest = xasprintf("%s/%s", dir, files[i]);

		rc = target_payload_get(t, files[i], &local, r);
		/* a file fetched over HTTP is in the target already: moved, not copied */
		if (rc == 0 && !(startswith(local, staged) && rename(local, dest) == 0))
			rc = atomic_copy_file(r, local, dest, 0644);
		target_payload_drop(t, local);
		free(local);
		free(dest);
	}
	/* the kernel and initrd unpacked: a host has no zstd program to unpack them later */
	if (rc == 0) {
		char *local = NULL, *boot = xasprintf("%s/boot", dir);

		rc = mkdir_p(boot);
		if (rc == 0)
			rc = target_payload_get(t, "boot.tar.zst", &local, r);
		if (rc == 0) {
			const char *argv[] = {"tar",
					      "--zstd",
					      "-xpf",
					      local,
					      "-C",
					      boot,
					      "--numeric-owner",
					      "--wildcards",
					      "./vmlinuz-*",
					      "./initrd.img-*",
					      "./config-*",
					      "./System.map-*",
					      NULL};

			rc = run_cmd(r, argv, NULL);
		}
		target_payload_drop(t, local);
		free(local);
		free(boot);
	}
	if (rc == 0)
		tx_info(r, NULL,
			"the medium's Debian root kept in %s: guests are made from it offline",
			GUEST_ROOT_DIR);
out:
	free(dir);
	free(staged);
	return rc;
}

/*
 * Where guests go (guests.conf), and xen-tools pointed at the same group. The templates stay
 * the package's, in /usr/share/tenxen/templates, so that an upgrade brings new ones; an admin's
 * own in /etc/tenxen/templates override them (guest_template_dirs).
 */
static int configure_guests(const struct target_ctx *t, struct tx_report *r)
{
	struct guest_host h = {0};
	const char *vg, *bridge;
	struct strv dirs = {0}, names = {0};
	char *text;
	int rc;

	spec_guests(t->spec, &vg, &h.mirrors, &bridge);
	strv_push_owned(&dirs, xasprintf("%s/usr/share/tenxen/templates", t->target));
	rc = guest_template_names(&dirs, &names);
	if (rc < 0 || names.n == 0) {
		tx_error(
			r, NULL,
			"the target has no guest templates in %s; the tenxen package is incomplete",
			dirs.v[0]);
		rc = -ENOENT;
	}
	if (rc == 0 && vg) {
		h.vg = (char *)vg;
		h.bridge = (char *)bridge;
		text = guest_host_text(&h);
		rc = target_put_file(t->target, "etc/tenxen/guests.conf", text, 0644, r);
		free(text);
		if (rc == 0)
			rc = xen_tools_vg(t, vg, r);
	}
	if (rc == 0)
		rc = keep_guest_root(t, r);
	strv_free(&names);
	strv_free(&dirs);
	return rc < 0 ? rc : 0;
}

int target_configure(const struct target_ctx *t, const struct op *op, struct tx_report *r)
{
	int rc;

	switch (op->conf) {
	case CONF_NETWORK:
		return configure_network(t, r);
	case CONF_HOSTNAME:
		return configure_hostname(t, r);
	case CONF_TIMEZONE:
		return configure_timezone(t, r);
	case CONF_KEYBOARD:
		return configure_keyboard(t, r);
	case CONF_ROOT: /* root's password, then the host's own keys: one of each a plan */
		rc = configure_root(t, r);
		return rc == 0 ? configure_hostkeys(t, r) : rc;
	case CONF_SSHKEYS:
		return configure_sshkeys(t, r);
	case CONF_CONSOLE:
		return configure_console(t, r);
	case CONF_GUESTS:
		return configure_guests(t, r);
	default:
		tx_error(r, NULL, "tenxen does not know how to configure %s",
			 conf_kind_name(op->conf));
		return -ENOTSUP;
	}
}
