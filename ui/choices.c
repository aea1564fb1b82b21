// SPDX-License-Identifier: GPL-2.0-or-later
#include "storage/lvm.h"
#include "ui/choices.h"
#include "bootcfg/xenopts.h"
#include "common/password.h"
#include "lang/fields.h"
#include "lang/writer.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define BOOT_SIZE (512 * MiB)

void choices_set(char **field, const char *value)
{
	free(*field);
	*field = xstrdup(value ? value : "");
}

struct choices *choices_new(const struct machine *m)
{
	struct choices *c = xzalloc(sizeof(*c));

	c->keyboard = xstrdup("us");
	c->ndisks = m->ndisks;
	c->disk_on = xzalloc((m->ndisks ? m->ndisks : 1) * sizeof(bool));
	c->layout = LAYOUT_MIRROR_CORE;
	c->root_size = xstrdup("20G");
	c->swap_size = xstrdup("4G");
	c->guest_size = xstrdup("");
	c->dom0_mem = xstrdup("auto");
	c->serial_port = -1;
	c->serial_speed = 115200;
	c->nic = m->nnics ? 0 : -1;
	c->dhcp = true;
	c->ip = xstrdup("");
	c->netmask = xstrdup("");
	c->gateway = xstrdup("");
	c->dns = xstrdup("");
	c->vlan = xstrdup("");
	c->hostname = xstrdup("xenhost");
	c->tz_region = xstrdup("UTC");
	c->tz_city = xstrdup("");
	c->profiler = true;
	c->guest_templates = true;
	c->vpmu = xstrdup("off");
	return c;
}

void choices_free(struct choices *c)
{
	if (!c)
		return;
	free(c->keyboard);
	free(c->disk_on);
	free(c->root_size);
	free(c->swap_size);
	free(c->guest_size);
	free(c->dom0_mem);
	free(c->ip);
	free(c->netmask);
	free(c->gateway);
	free(c->dns);
	free(c->vlan);
	free(c->hostname);
	free(c->tz_region);
	free(c->tz_city);
	if (c->pw_hash)
		explicit_bzero(c->pw_hash, strlen(c->pw_hash));
	free(c->pw_hash);
	free(c->vpmu);
	free(c);
}

char *choices_check_disks(const struct choices *c, const struct machine *m)
{
	size_t n = 0;

	for (size_t i = 0; i < c->ndisks; i++)
		n += c->disk_on[i];
	if (n == 0)
		return xstrdup(
			"No disk is chosen: mark the disks to install on with the space bar.");
	for (size_t i = 0; i < c->ndisks; i++)
		if (c->disk_on[i] && (m->disks[i].medium || m->disks[i].ro))
			return xasprintf("%s %s; choose another disk.", m->disks[i].name,
					 m->disks[i].medium ? "holds this installer"
							    : "is read-only");
	return NULL;
}

static bool size_ok(const char *s, uint64_t *out)
{
	return parse_size(s, MiB, out) == 0 && *out >= 64 * MiB;
}

char *choices_check_storage(const struct choices *c, const struct machine *m)
{
	uint64_t root, swap, guests = 0, smallest = UINT64_MAX, total = 0, need;
	size_t n = 0;

	for (size_t i = 0; i < c->ndisks; i++)
		if (c->disk_on[i]) {
			n++;
			total += m->disks[i].size;
			if (m->disks[i].size < smallest)
				smallest = m->disks[i].size;
		}
	if (c->layout != LAYOUT_SINGLE && n < 2)
		return xasprintf(
			"A mirrored layout needs two disks and %zu is chosen: go back and choose a second disk, or pick \"single disk\".",
			n);
	if (!size_ok(c->root_size, &root))
		return xasprintf("Root size \"%s\" is not a size of 64M or more; write it as 20G.",
				 c->root_size);
	if (root < 2 * GiB)
		return xstrdup("Root needs at least 2G: the dom0 system takes about 1.5G.");
	if (!*c->swap_size)
		swap = 0;
	else if (!size_ok(c->swap_size, &swap))
		return xasprintf(
			"Swap size \"%s\" is not a size of 64M or more; write it as 4G, or leave it empty for none.",
			c->swap_size);
	if (*c->guest_size && !size_ok(c->guest_size, &guests))
		return xasprintf(
			"Guest space \"%s\" is not a size of 64M or more; write it as 100G, or leave it empty to keep the space free.",
			c->guest_size);
	/* each disk gives /boot and a little for labels and LVM; a mirror puts a copy on each, so
	 * its smallest disk bounds it, while a single layout adds the disks up */
	need = root + swap + guests;
	{
		bool single = c->layout == LAYOUT_SINGLE;
		uint64_t gross = single ? total : smallest;
		uint64_t overhead = single ? n * (BOOT_SIZE + 8 * MiB) : BOOT_SIZE + 16 * MiB;
		uint64_t room = gross > overhead ? gross - overhead : 0;
		char *have, *want, *msg;

		if (need <= room)
			return NULL;
		have = human_size(room);
		want = human_size(need);
		msg = xasprintf(
			"Root, swap and guest space need %s%s, but %s %s after /boot: make them smaller.",
			want, single ? "" : " on each disk of the mirror",
			single ? "the chosen disks hold" : "the smallest chosen disk holds", have);
		free(have);
		free(want);
		return msg;
	}
}

char *choices_dom0_auto(const struct machine *m)
{
	struct dom0_mem d = {.is_auto = true};

	return dom0_mem_xen_arg(&d, m->memory, NULL);
}

char *choices_check_dom0(const struct choices *c, const struct machine *m)
{
	struct dom0_mem d;
	char *why = NULL, *msg;

	if (dom0_mem_parse(c->dom0_mem, &d, &why) < 0) {
		msg = xasprintf("dom0 memory \"%s\": %s.", c->dom0_mem, why);
		free(why);
		return msg;
	}
	if (!d.is_auto && m->memory && (d.amount ? d.amount : d.max) >= m->memory) {
		char *have = human_size(m->memory);

		msg = xasprintf(
			"dom0 memory must be less than the machine's %s; give less, or auto.",
			have);
		free(have);
		return msg;
	}
	return NULL;
}

char *choices_check_network(const struct choices *c, const struct machine *m)
{
	if (!field_hostname(c->hostname))
		return xasprintf(
			"Host name \"%s\" is not a host name: letters, digits, '-' and dots, as xen01.example.org.",
			c->hostname);
	if (c->nic == CHOICE_BOND && m->nnics < 2)
		return xstrdup("A bond needs two or more cards; this machine has fewer.");
	if (*c->vlan) {
		char *end;
		long id = strtol(c->vlan, &end, 10);

		if (!isdigit((unsigned char)*c->vlan) || *end || id < 1 || id > 4094)
			return xasprintf(
				"VLAN \"%s\" is not a VLAN tag: a number from 1 to 4094, or nothing for the untagged network.",
				c->vlan);
		if (c->nic == -1)
			return xstrdup("A VLAN needs a card: choose one, or leave VLAN empty.");
	}
	if (c->nic == -1 || c->dhcp)
		return NULL;
	{
		char *ip = xstrdup(c->ip), *slash = strchr(ip, '/');
		bool ok, prefix = false;

		if (slash) {
			char *end;
			long p = strtol(slash + 1, &end, 10);

			*slash = '\0';
			prefix = *end == '\0' && p >= 1 && p <= 32 && slash[1];
			if (!prefix) {
				free(ip);
				return xasprintf(
					"Address \"%s\": the prefix after / must be 1 to 32, as 192.0.2.10/24.",
					c->ip);
			}
		}
		ok = field_ipv4(ip);
		free(ip);
		if (!ok)
			return xasprintf(
				"Address \"%s\" is not an IPv4 address; write it as 192.0.2.10/24.",
				c->ip);
		if (!prefix && !*c->netmask)
			return xstrdup(
				"A static address needs a netmask: fill in Netmask (255.255.255.0) or write the address as 192.0.2.10/24.");
		if (*c->netmask && field_prefix(c->netmask, false) < 0)
			return xasprintf(
				"Netmask \"%s\" is not a netmask; write it as 255.255.255.0.",
				c->netmask);
	}
	if (*c->gateway && !field_ipv4(c->gateway))
		return xasprintf("Gateway \"%s\" is not an IPv4 address.", c->gateway);
	{
		struct strv ns = {0};
		char *bad = NULL;

		strv_split(&ns, c->dns, ',');
		for (size_t i = 0; i < ns.n && !bad; i++) {
			strip(ns.v[i]);
			if (*ns.v[i] && !field_ipv4(ns.v[i]))
				bad = xasprintf(
					"DNS server \"%s\" is not an IPv4 address; separate several with commas.",
					ns.v[i]);
		}
		strv_free(&ns);
		if (bad)
			return bad;
	}
	return NULL;
}

char *choices_set_password(struct choices *c, const char *pw, const char *again)
{
	char *h;

	if (!*pw)
		return xstrdup("The root password is empty: type one, twice.");
	if (strcmp(pw, again) != 0)
		return xstrdup("The two passwords differ: type the same one in both fields.");
	if (strlen(pw) < 6)
		return xstrdup(
			"The root password is shorter than 6 characters: choose a longer one.");
	h = password_hash(pw);
	if (!h)
		return xstrdup("This system cannot hash the password with yescrypt.");
	free(c->pw_hash);
	c->pw_hash = h;
	return NULL;
}

/* The disk line of a chosen disk, by the name Tenxen shows for it. */
static void disk_line(FILE *out, const char *alias, const struct disk *d)
{
	fputs("disk ", out);
	ks_word(out, alias);
	for (size_t i = 0; i < d->by_id.n; i++)
		if (streq(d->by_id.v[i], disk_stable_id(d))) {
			ks_opt(out, "by-id", d->by_id.v[i]);
			fputc('\n', out);
			return;
		}
	if (d->serial && streq(d->serial, disk_stable_id(d)))
		ks_opt(out, "serial", d->serial);
	else
		ks_opt(out, "path", d->path);
	fputc('\n', out);
}

/* One logvol line of the chosen layout. */
static void logvol_line(FILE *out, const struct choices *c, const char *mount, const char *name,
			const char *size)
{
	fputs("logvol ", out);
	ks_word(out, mount);
	ks_opt(out, "vg", "vg0");
	ks_opt(out, "name", name);
	ks_opt(out, "size", size);
	switch (c->layout) {
	case LAYOUT_MIRROR_CORE:
		fputs(" --mirrors=1 --mirrorlog=core", out);
		break;
	case LAYOUT_MIRROR_DISK:
		fputs(" --mirrors=1 --mirrorlog=disk", out);
		break;
	case LAYOUT_RAID1:
		fputs(" --type=raid1 --mirrors=1", out);
		break;
	default:
		break;
	}
	fputc('\n', out);
}

static void network_line(FILE *out, const struct choices *c, const struct machine *m)
{
	char *ns;

	if (c->nic == CHOICE_BOND && m->nnics >= 2) {
		struct strv cards = {0};
		char *j;

		for (size_t i = 0; i < m->nnics; i++)
			strv_push(&cards, m->nics[i].name);
		j = strv_join(&cards, ",");
		fputs("network", out);
		ks_opt(out, "device", "bond0");
		ks_opt(out, "bondslaves", j);
		ks_opt(out, "bondopts", "mode=active-backup,miimon=100");
		free(j);
		strv_free(&cards);
	} else if (c->nic < 0 || (size_t)c->nic >= m->nnics) {
		return;
	} else {
		fputs("network", out);
		ks_opt(out, "device", m->nics[c->nic].name);
	}
	ks_opt(out, "vlanid", *c->vlan ? c->vlan : NULL);
	ks_opt(out, "bootproto", c->dhcp ? "dhcp" : "static");
	if (!c->dhcp) {
		ks_opt(out, "ip", c->ip);
		ks_opt(out, "netmask", *c->netmask ? c->netmask : NULL);
		ks_opt(out, "gateway", *c->gateway ? c->gateway : NULL);
		ns = xstrdup(c->dns);
		for (char *p = ns; *p; p++)
			if (*p == ' ')
				*p = ',';
		ks_opt(out, "nameserver", *ns ? ns : NULL);
		free(ns);
	}
	ks_opt(out, "hostname", c->hostname);
	fputc('\n', out);
}

const struct machine_vg *choices_host_vg(const struct choices *c, const struct machine *m)
{
	for (size_t v = 0; v < m->nvgs; v++) {
		const struct machine_vg *mv = &m->vgs[v];
		bool ok = mv->vg && lvm_vg_find_lv(mv->vg, "root") && mv->vg->npvs;

		for (size_t p = 0; ok && p < mv->vg->npvs; p++)
			ok = mv->pv_disk[p] >= 0 && (size_t)mv->pv_disk[p] < c->ndisks &&
			     c->disk_on[mv->pv_disk[p]];
		for (size_t i = 0; ok && i < c->ndisks; i++) {
			bool pv = false, boot = false;

			if (!c->disk_on[i])
				continue;
			for (size_t p = 0; p < mv->vg->npvs; p++)
				pv |= mv->pv_disk[p] == (int)i;
			for (size_t k = 0; k < m->disks[i].nparts; k++)
				boot |= streq(m->disks[i].parts[k].name, "boot");
			ok = pv && boot;
		}
		if (ok)
			return mv;
	}
	return NULL;
}

char *choices_host_volumes(const struct machine_vg *mv)
{
	struct strv w = {0};
	char *r;

	for (size_t i = 0; i < mv->vg->nlvs; i++) {
		const struct lvm_lv *lv = &mv->vg->lvs[i];
		char *sz;

		if (!lv->visible || streq(lv->name, "root") || streq(lv->name, "swap"))
			continue;
		sz = human_size(lv->extents * mv->vg->extent_size);
		strv_push_owned(&w, xasprintf("%s %s", lv->name, sz));
		free(sz);
	}
	r = w.n ? strv_join(&w, ", ") : xstrdup("none");
	strv_free(&w);
	return r;
}

/* The storage lines of a reinstall over the host's group: its partitions and volumes reused,
 * each of its other volumes kept by name. */
static void reinstall_lines(FILE *out, const struct machine_vg *mv, const struct strv *aliases)
{
	fputs("part /boot --useexisting", out);
	ks_list(out, "disks", aliases);
	fputs("\nvolgroup ", out);
	ks_word(out, mv->name);
	ks_list(out, "disks", aliases);
	fputs(" --useexisting\n", out);
	fprintf(out, "logvol / --vg=%s --name=root --useexisting\n", mv->name);
	if (lvm_vg_find_lv(mv->vg, "swap"))
		fprintf(out, "logvol swap --vg=%s --name=swap --useexisting\n", mv->name);
	for (size_t i = 0; i < mv->vg->nlvs; i++) {
		const struct lvm_lv *lv = &mv->vg->lvs[i];
		char *w;

		if (!lv->visible || streq(lv->name, "root") || streq(lv->name, "swap") ||
		    streq(lv->name, LVM_CARRY_LV))
			continue;
		w = xasprintf("%s/%s", mv->name, lv->name);
		fputs("preserve ", out);
		ks_word(out, w);
		fputc('\n', out);
		free(w);
	}
}

char *choices_answer_text(const struct choices *c, const struct machine *m)
{
	const struct machine_vg *host = c->reinstall ? choices_host_vg(c, m) : NULL;
	struct strv aliases = {0};
	char *text = NULL, *tz, *list;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	char alias[2] = "a";

	fputs("#version=1\n# Written by the Tenxen installer from the answers on its screens.\n",
	      out);
	for (size_t i = 0; i < c->ndisks; i++) {
		if (!c->disk_on[i])
			continue;
		disk_line(out, alias, &m->disks[i]);
		strv_push(&aliases, alias);
		alias[0]++;
	}
	if (host) {
		reinstall_lines(out, host, &aliases);
	} else {
		list = strv_join(&aliases, ",");
		fputs("clearpart ", out);
		ks_word(out, list);
		free(list);
		fputs("\npart /boot --size=512M", out);
		ks_list(out, "disks", &aliases);
		fputs("\nvolgroup vg0", out);
		ks_list(out, "disks", &aliases);
		fputc('\n', out);
		logvol_line(out, c, "/", "root", c->root_size);
		if (*c->swap_size)
			logvol_line(out, c, "swap", "swap", c->swap_size);
		if (*c->guest_size)
			logvol_line(out, c, "-", "guests", c->guest_size);
	}
	fputs("xen", out);
	ks_opt(out, "dom0-mem", c->dom0_mem);
	fputc('\n', out);
	if (c->profiler && !streq(c->vpmu, "off"))
		fprintf(out, "profiler --vpmu=%s\n", c->vpmu);
	if (c->serial_port >= 0)
		fprintf(out, "console serial --port=ttyS%d --speed=%u\n", c->serial_port,
			c->serial_speed);
	else
		fputs("console vga\n", out);
	network_line(out, c, m);
	tz = streq(c->tz_region, "UTC") || !*c->tz_city
		     ? xstrdup("UTC")
		     : xasprintf("%s/%s", c->tz_region, c->tz_city);
	fputs("timezone ", out);
	ks_word(out, tz);
	fputs(" --utc\nkeyboard ", out);
	ks_word(out, c->keyboard);
	fputc('\n', out);
	free(tz);
	if (c->pw_hash) {
		fputs("rootpw --iscrypted ", out);
		ks_word(out, c->pw_hash);
		fputc('\n', out);
	} else {
		fputs("rootpw --lock\n", out);
	}
	if (c->profiler || c->guest_templates)
		fprintf(out, "packages%s%s\n", c->profiler ? " @profiler" : "",
			c->guest_templates ? " @guest-templates" : "");
	fputs("reboot\n", out);
	fclose(out);
	strv_free(&aliases);
	return text;
}

char *choices_summary(const struct choices *c, const struct machine *m)
{
	static const char *const layouts[] = {"one copy (linear LVM)", "mirrored LVM, core log",
					      "mirrored LVM, disk log", "LVM raid1"};
	struct strv l = {0};
	char *dom0 = streq(c->dom0_mem, "auto") ? choices_dom0_auto(m) : xstrdup(c->dom0_mem);
	char *text;
	bool alone = false;
	const struct machine_vg *host = c->reinstall ? choices_host_vg(c, m) : NULL;

	if (host) {
		char *vols = choices_host_volumes(host);

		strv_push_owned(&l,
				xasprintf("REINSTALLED: volume group %s stays, with its volumes:",
					  host->name));
		strv_push_owned(&l, xasprintf("  %s", vols));
		strv_push(&l,
			  "/boot and the root are made again where they are; the ssh host keys,");
		strv_push(&l, "/etc/xen and guests.conf are carried over. On these disks:");
		free(vols);
	} else {
		strv_push(&l, "ERASED: everything on these disks is lost:");
	}
	for (size_t i = 0; i < c->ndisks; i++) {
		const struct disk *d = &m->disks[i];
		char *size, *what;

		if (!c->disk_on[i])
			continue;
		size = human_size_si(d->size);
		what = disk_describe_contents(d);
		strv_push_owned(
			&l, xasprintf("  %-8s %9s  %s", d->name, size, d->model ? d->model : ""));
		strv_push_owned(&l, xasprintf("      %s", disk_stable_id(d)));
		strv_push_owned(&l, xasprintf("      holds %s", what ? what : "nothing"));
		free(size);
		free(what);
	}
	for (size_t i = 0; i < c->ndisks; i++)
		if (!c->disk_on[i]) {
			if (!alone)
				strv_push(&l, "Left alone (never touched):");
			alone = true;
			strv_push_owned(&l, xasprintf("  %-8s %s", m->disks[i].name,
						      disk_stable_id(&m->disks[i])));
		}
	{
		char *guests = *c->guest_size ? xasprintf("guests %s", c->guest_size)
					      : xstrdup("free space for guests");
		char *console = c->serial_port < 0 ? xstrdup("screen only")
						   : xasprintf("ttyS%d at %u", c->serial_port,
							       c->serial_speed);

		if (host)
			strv_push_owned(
				&l,
				xasprintf(
					"Storage: as it is, in %s (the kept volumes are listed after the plan)",
					host->name));
		else
			strv_push_owned(&l,
					xasprintf("Storage: %s; root %s, swap %s, %s",
						  layouts[c->layout], c->root_size,
						  *c->swap_size ? c->swap_size : "none", guests));
		strv_push_owned(&l, xasprintf("Xen: dom0 memory %s; console %s; vpmu %s", dom0,
					      console, c->profiler ? c->vpmu : "off"));
		free(guests);
		free(console);
	}
	if ((c->nic >= 0 && (size_t)c->nic < m->nnics) ||
	    (c->nic == CHOICE_BOND && m->nnics >= 2)) {
		char *card =
			c->nic >= 0 ? xstrdup(m->nics[c->nic].name)
				    : xasprintf("bond0 of all %zu cards (active-backup)", m->nnics);
		char *vlan = *c->vlan ? xasprintf(" on VLAN %s", c->vlan) : xstrdup("");

		strv_push_owned(&l, xasprintf("Network: %s, %s%s%s, host name %s", card,
					      c->dhcp ? "DHCP" : "static ", c->dhcp ? "" : c->ip,
					      vlan, c->hostname));
		free(card);
		free(vlan);
	} else
		strv_push_owned(&l, xasprintf("Network: none; host name %s", c->hostname));
	strv_push_owned(&l, xasprintf("Time zone %s%s%s; keyboard %s; packages%s%s%s", c->tz_region,
				      *c->tz_city ? "/" : "", c->tz_city, c->keyboard,
				      c->profiler ? " @profiler" : "",
				      c->guest_templates ? " @guest-templates" : "",
				      c->profiler || c->guest_templates ? "" : " none"));
	strv_push(&l, "");
	strv_push(&l, "The plan, step by step:");
	strv_push(&l, "");
	text = strv_join(&l, "\n");
	strv_free(&l);
	free(dom0);
	return text;
}

static int list_dir(const char *dir, const char *prefix, bool dirs, struct strv *out)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		struct stat st;
		char *p;

		if (e->d_name[0] == '.' || !isupper((unsigned char)e->d_name[0]))
			continue;
		p = xasprintf("%s/%s", dir, e->d_name);
		if (stat(p, &st) == 0) {
			if (dirs && S_ISDIR(st.st_mode))
				strv_push(out, e->d_name);
			else if (!dirs && S_ISREG(st.st_mode))
				strv_push_owned(out, xasprintf("%s%s", prefix, e->d_name));
			else if (!dirs && S_ISDIR(st.st_mode) && !*prefix) {
				char *pre = xasprintf("%s/", e->d_name);

				list_dir(p, pre, false, out);
				free(pre);
			}
		}
		free(p);
	}
	closedir(d);
	strv_sort(out);
	return 0;
}

int tz_regions(const char *zoneinfo, struct strv *out)
{
	static const char *const regions[] = {"Africa", "America",  "Antarctica", "Arctic",
					      "Asia",	"Atlantic", "Australia",  "Europe",
					      "Indian", "Pacific"};
	struct strv all = {0};
	int rc = list_dir(zoneinfo, "", true, &all);

	strv_push(out, "UTC");
	for (size_t i = 0; i < ARRAY_SIZE(regions); i++)
		if (strv_contains(&all, regions[i]))
			strv_push(out, regions[i]);
	strv_free(&all);
	return rc;
}

int tz_cities(const char *zoneinfo, const char *region, struct strv *out)
{
	char *dir = xasprintf("%s/%s", zoneinfo, region);
	int rc = list_dir(dir, "", false, out);

	free(dir);
	return rc;
}
