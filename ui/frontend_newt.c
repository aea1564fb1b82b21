// SPDX-License-Identifier: GPL-2.0-or-later
/* The installer's screens. Each builds one newt form, runs it, and stores what was chosen. */
#include "ui/frontend_newt.h"

#include <newt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W 70 /* window width: fits 80 columns with a frame */

static void help(newtComponent co, void *tag)
{
	(void)co;
	if (tag)
		newtWinMessage("Help", "Close", "%s", (char *)tag);
}

void tui_start(void)
{
	newtInit();
	newtCls();
	newtSetHelpCallback(help);
	newtDrawRootText(1, 0, "Tenxen: install a Xen host");
	newtPushHelpLine(" <Tab> moves  <Space> marks  <Enter> presses  <F1> help  <F12> next");
}

void tui_stop(void)
{
	newtFinished();
}

static void complain(const char *text)
{
	newtWinMessage("Please fix this", "OK", "%s", text);
}

/*
 * A screen with a check is done when it goes Back, or Next with the check passed (why NULL);
 * otherwise the check's sentence is shown and the screen runs again. Takes why.
 */
static bool settled(char *why)
{
	if (!why)
		return true;
	complain(why);
	free(why);
	return false;
}

/* Run form until Next, Back (or F12 for next). */
static enum tui_go run(newtComponent form, newtComponent next, newtComponent back)
{
	struct newtExitStruct es;

	newtFormAddHotKey(form, NEWT_KEY_F12);
	for (;;) {
		newtFormRun(form, &es);
		if (es.reason == NEWT_EXIT_HOTKEY && es.u.key == NEWT_KEY_F12)
			return TUI_NEXT;
		if (es.reason == NEWT_EXIT_COMPONENT && es.u.co == back)
			return TUI_BACK;
		if (es.reason == NEWT_EXIT_COMPONENT && es.u.co == next)
			return TUI_NEXT;
		if (es.reason == NEWT_EXIT_COMPONENT)
			return TUI_NEXT; /* Enter in a list or an entry that exits: next */
	}
}

static void buttons(int top, newtComponent *next, newtComponent *back)
{
	*next = newtCompactButton(W - 24, top, "Next");
	*back = newtCompactButton(W - 12, top, "Back");
}

/* ---- keyboard ---- */

static const char *const layouts[][2] = {
	{"us", "English (US)"}, {"gb", "English (UK)"}, {"de", "German"},  {"fr", "French"},
	{"ch", "Swiss"},	{"es", "Spanish"},	{"it", "Italian"}, {"pt", "Portuguese"},
	{"br", "Brazilian"},	{"be", "Belgian"},	{"nl", "Dutch"},   {"se", "Swedish"},
	{"no", "Norwegian"},	{"dk", "Danish"},	{"fi", "Finnish"}, {"pl", "Polish"},
	{"cz", "Czech"},	{"hu", "Hungarian"},	{"ru", "Russian"}, {"jp", "Japanese"},
};

/* A window of the given width, height and title, with a form whose F1 help is help. */
static newtComponent screen(int width, int height, const char *title, const char *help)
{
	newtCenteredWindow(width, height, title);
	return newtForm(NULL, (void *)help, 0);
}

/* A label at (x, y) and an entry of width w at (ex, y) after it, both on form. */
static newtComponent field(newtComponent form, int x, int y, const char *label, int ex,
			   const char *value, int w, const char **out, int flags)
{
	newtFormAddComponent(form, newtLabel(x, y, label));
	return newtEntry(ex, y, value, w, out, flags);
}

/* The form and its window gone. */
static void screen_end(newtComponent form)
{
	newtFormDestroy(form);
	newtPopWindow();
}

enum tui_go tui_keyboard(struct choices *c)
{
	newtComponent form, list, next, back;
	enum tui_go go;

	form = screen(W, 17, "Keyboard",
		      "The keyboard layout of the installed host's console (its "
		      "/etc/default/keyboard). Move with the arrow keys.");
	newtFormAddComponent(form, newtLabel(1, 1, "Keyboard layout of the console:"));
	list = newtListbox(1, 3, 10, NEWT_FLAG_SCROLL | NEWT_FLAG_BORDER);
	newtListboxSetWidth(list, 40);
	for (size_t i = 0; i < ARRAY_SIZE(layouts); i++) {
		char *t = xasprintf("%-4s %s", layouts[i][0], layouts[i][1]);

		newtListboxAppendEntry(list, t, (void *)layouts[i][0]);
		free(t);
		if (streq(c->keyboard, layouts[i][0]))
			newtListboxSetCurrent(list, (int)i);
	}
	buttons(14, &next, &back);
	newtFormAddComponents(form, list, next, back, NULL);
	go = run(form, next, back);
	choices_set(&c->keyboard, newtListboxGetCurrent(list));
	screen_end(form);
	return go;
}

/* ---- disks ---- */

enum tui_go tui_disks(struct choices *c, const struct machine *m)
{
	for (;;) {
		newtComponent form, tree, text, next, back;
		struct strv notes = {0};
		char *all;
		enum tui_go go;

		form = screen(W, 18, "Disks",
			      "Mark with the space bar every disk to install on. Everything on "
			      "a marked disk is erased; the summary names each one again before "
			      "anything is written. Disks left unmarked are never touched.");
		newtFormAddComponent(form, newtLabel(1, 0, "Disks to erase and install on:"));
		tree = newtCheckboxTree(1, 1, 6, NEWT_FLAG_SCROLL);
		for (size_t i = 0; i < m->ndisks; i++) {
			const struct disk *d = &m->disks[i];
			char *size = human_size_si(d->size), *what = disk_describe_contents(d);
			char *t = xasprintf("%-7.7s %9s  %-18.18s %.18s", d->name, size,
					    d->model ? d->model : "", d->serial ? d->serial : "");

			newtCheckboxTreeAddItem(tree, t, (void *)(c->disk_on + i),
						c->disk_on[i] ? NEWT_FLAG_SELECTED : 0,
						NEWT_ARG_APPEND, NEWT_ARG_LAST);
			strv_push_owned(&notes, xasprintf("%s%s: %s",
							  disk_has_contents(d) ? "WARNING " : "",
							  d->name, what ? what : "nothing on it"));
			free(size);
			free(what);
			free(t);
		}
		all = strv_join(&notes, "\n");
		newtFormAddComponent(form, newtLabel(1, 8, "What each disk holds now:"));
		text = newtTextbox(1, 9, W - 4, 5, NEWT_FLAG_SCROLL | NEWT_FLAG_WRAP);
		newtTextboxSetText(text, all);
		buttons(16, &next, &back);
		newtFormAddComponents(form, tree, text, next, back, NULL);
		go = run(form, next, back);
		for (size_t i = 0; i < m->ndisks; i++)
			c->disk_on[i] = newtCheckboxTreeGetEntryValue(tree, c->disk_on + i) == '*';
		screen_end(form);
		free(all);
		strv_free(&notes);
		if (go == TUI_BACK || settled(choices_check_disks(c, m)))
			return go;
	}
}

/* ---- a Tenxen host on the chosen disks: reinstall it, or erase it ---- */

enum tui_go tui_existing(struct choices *c, const struct machine *m)
{
	const struct machine_vg *mv = choices_host_vg(c, m);
	newtComponent form, keep, erase, next, back;
	char *vols, *line;
	enum tui_go go;

	if (!mv)
		return TUI_NEXT;
	vols = choices_host_volumes(mv);
	form = screen(W, 15, "A Tenxen host",
		      "These disks hold a Tenxen host. Reinstalling it keeps its volume group and "
		      "every volume in it but the root and swap (its guests' disks), and carries "
		      "its ssh host keys and guest configs over; /boot and the root are made "
		      "again. Erasing it loses everything on these disks.");
	line = xasprintf("Volume group %s; its other volumes: %s", mv->name, vols);
	newtFormAddComponent(form, newtTextboxReflowed(1, 1, line, W - 8, 0, 0, 0));
	keep = newtRadiobutton(1, 4, "Reinstall, keeping guests", c->reinstall, NULL);
	erase = newtRadiobutton(1, 5, "Erase everything", !c->reinstall, keep);
	buttons(11, &next, &back);
	newtFormAddComponents(form, keep, erase, next, back, NULL);
	go = run(form, next, back);
	c->reinstall = newtRadioGetCurrent(keep) == keep;
	screen_end(form);
	free(vols);
	free(line);
	return go;
}

/* ---- storage layout and sizes ---- */

enum tui_go tui_layout(struct choices *c, const struct machine *m)
{
	static const char *const names[] = {"Single disk (or several, no copy)",
					    "Mirrored LVM, log in memory (core)",
					    "Mirrored LVM, log on disk", "RAID1 (LVM raid1)"};

	for (;;) {
		newtComponent form, radio[4], root, swap, guests, next, back;
		const char *rv, *sv, *gv;
		enum tui_go go;

		form = screen(
			W, 17, "Storage layout",
			"Mirrored layouts keep a copy of root and swap on two disks, so the "
			"host boots with either disk gone. A core log lives in memory (a full "
			"resync after each boot, nothing on disk); a disk log takes one extent; "
			"raid1 keeps its own metadata. Sizes: 20G, 512M. Guest space: a volume "
			"for guests, or empty to leave the free space for tenxen guest create.");
		for (int i = 0; i < 4; i++) {
			radio[i] = newtRadiobutton(1, 1 + i, names[i], c->layout == (enum layout)i,
						   i ? radio[i - 1] : NULL);
			newtFormAddComponent(form, radio[i]);
		}
		root = field(form, 1, 6, "Root size:", 20, c->root_size, 12, &rv, 0);
		swap = field(form, 1, 7, "Swap size:", 20, c->swap_size, 12, &sv, 0);
		guests = field(form, 1, 8, "Guest space:", 20, c->guest_size, 12, &gv, 0);
		newtFormAddComponent(form, newtLabel(34, 8, "(empty: leave it free)"));
		buttons(14, &next, &back);
		newtFormAddComponents(form, root, swap, guests, next, back, NULL);
		go = run(form, next, back);
		for (int i = 0; i < 4; i++)
			if (newtRadioGetCurrent(radio[0]) == radio[i])
				c->layout = (enum layout)i;
		choices_set(&c->root_size, rv);
		choices_set(&c->swap_size, sv);
		choices_set(&c->guest_size, gv);
		screen_end(form);
		if (go == TUI_BACK || settled(choices_check_storage(c, m)))
			return go;
	}
}

/* ---- dom0 memory ---- */

enum tui_go tui_dom0(struct choices *c, const struct machine *m)
{
	for (;;) {
		newtComponent form, entry, next, back;
		char *dflt = choices_dom0_auto(m), *ram = human_size(m->memory), *line;
		const char *v;
		enum tui_go go;

		form = screen(W, 12, "dom0 memory",
			      "The memory Xen gives dom0, fixed (dom0_mem=N,max:N). auto is "
			      "1 GiB plus 5% of the host's memory, at most 8 GiB. Write "
			      "2G or 4096M; Xen reads a number without a unit as KiB.");
		line = xasprintf("This machine has %s; auto gives dom0 %s.", ram, dflt);
		newtFormAddComponent(form, newtLabel(1, 1, line));
		entry = field(form, 1, 3, "dom0 memory:", 20, c->dom0_mem, 20, &v, 0);
		buttons(9, &next, &back);
		newtFormAddComponents(form, entry, next, back, NULL);
		go = run(form, next, back);
		choices_set(&c->dom0_mem, v);
		screen_end(form);
		free(dflt);
		free(ram);
		free(line);
		if (go == TUI_BACK || settled(choices_check_dom0(c, m)))
			return go;
	}
}

/* ---- serial console ---- */

enum tui_go tui_serial(struct choices *c)
{
	static const unsigned speeds[] = {115200, 57600, 38400, 19200, 9600};
	static const char *const ports[] = {"Off (screen only)", "ttyS0 (COM1)", "ttyS1 (COM2)",
					    "ttyS2 (COM3)", "ttyS3 (COM4)"};
	newtComponent form, radio[5], speed, next, back;
	enum tui_go go;

	form = screen(W, 15, "Serial console",
		      "A serial console shows the boot menu, Xen and dom0 (on hvc0) on a "
		      "serial line too, for remote consoles and IPMI serial-over-LAN. "
		      "The screen keeps working either way.");
	for (int i = 0; i < 5; i++) {
		radio[i] = newtRadiobutton(1, 1 + i, ports[i], c->serial_port == i - 1,
					   i ? radio[i - 1] : NULL);
		newtFormAddComponent(form, radio[i]);
	}
	newtFormAddComponent(form, newtLabel(30, 1, "Speed:"));
	speed = newtListbox(38, 1, 5, 0);
	for (size_t i = 0; i < ARRAY_SIZE(speeds); i++) {
		char *t = xasprintf("%u", speeds[i]);

		newtListboxAppendEntry(speed, t, (void *)(speeds + i));
		free(t);
		if (speeds[i] == c->serial_speed)
			newtListboxSetCurrent(speed, (int)i);
	}
	buttons(12, &next, &back);
	newtFormAddComponents(form, speed, next, back, NULL);
	go = run(form, next, back);
	for (int i = 0; i < 5; i++)
		if (newtRadioGetCurrent(radio[0]) == radio[i])
			c->serial_port = i - 1;
	c->serial_speed = *(const unsigned *)newtListboxGetCurrent(speed);
	screen_end(form);
	return go;
}

/* ---- network ---- */

enum tui_go tui_network(struct choices *c, const struct machine *m)
{
	for (;;) {
		newtComponent form, nic, dhcp, stat, ip, mask, gw, dns, vlan, host, next, back;
		const char *vip, *vmask, *vgw, *vdns, *vvlan, *vhost;
		enum tui_go go;
		int current;

		form = screen(W, 17, "Network",
			      "The card the host's address is on. It becomes lan0, the port of "
			      "the bridge xenbr0 that guests join; the address goes on the bridge. "
			      "With two or more cards, a bond of them all (active-backup: the next "
			      "card takes over when a link goes) can be that port. A static "
			      "address takes a prefix (192.0.2.10/24) or a netmask. DNS: one or "
			      "more addresses, separated by commas. VLAN: the tag of the host's "
			      "address (the bridge stays untagged), or empty.");
		newtFormAddComponent(form, newtLabel(1, 0, "Card:"));
		nic = newtListbox(12, 0, 3, NEWT_FLAG_SCROLL);
		newtListboxSetWidth(nic, 40);
		for (size_t i = 0; i < m->nnics; i++) {
			char *t = xasprintf("%s  %s", m->nics[i].name,
					    m->nics[i].mac ? m->nics[i].mac : "");

			newtListboxAppendEntry(nic, t, (void *)(intptr_t)i);
			free(t);
		}
		current = c->nic >= 0 ? c->nic : (int)m->nnics;
		if (m->nnics >= 2) {
			char *t = xasprintf("bond0: all %zu cards, active-backup", m->nnics);

			newtListboxAppendEntry(nic, t, (void *)(intptr_t)CHOICE_BOND);
			free(t);
			if (c->nic == -1)
				current++;
		}
		newtListboxAppendEntry(nic, "no network", (void *)(intptr_t)-1);
		newtListboxSetCurrent(nic, current);
		dhcp = newtRadiobutton(1, 4, "DHCP", c->dhcp, NULL);
		stat = newtRadiobutton(12, 4, "Static", !c->dhcp, dhcp);
		ip = field(form, 1, 6, "Address:", 14, c->ip, 20, &vip, 0);
		mask = field(form, 36, 6, "Netmask:", 46, c->netmask, 16, &vmask, 0);
		gw = field(form, 1, 7, "Gateway:", 14, c->gateway, 20, &vgw, 0);
		dns = field(form, 1, 8, "DNS:", 14, c->dns, 40, &vdns, 0);
		host = field(form, 1, 10, "Host name:", 14, c->hostname, 40, &vhost, 0);
		vlan = field(form, 1, 11, "VLAN:", 14, c->vlan, 6, &vvlan, 0);
		buttons(15, &next, &back);
		newtFormAddComponents(form, nic, dhcp, stat, ip, mask, gw, dns, host, vlan, next,
				      back, NULL);
		go = run(form, next, back);
		c->nic = (int)(intptr_t)newtListboxGetCurrent(nic);
		c->dhcp = newtRadioGetCurrent(dhcp) == dhcp;
		choices_set(&c->ip, vip);
		choices_set(&c->netmask, vmask);
		choices_set(&c->gateway, vgw);
		choices_set(&c->dns, vdns);
		choices_set(&c->vlan, vvlan);
		choices_set(&c->hostname, vhost);
		screen_end(form);
		if (go == TUI_BACK || settled(choices_check_network(c, m)))
			return go;
	}
}

/* ---- time zone: the region, then the city ---- */

static enum tui_go pick(const char *title, const char *prompt, const char *helptext,
			const struct strv *items, char **value)
{
	newtComponent form, list, next, back;
	enum tui_go go;

	form = screen(W, 17, title, helptext);
	newtFormAddComponent(form, newtLabel(1, 0, prompt));
	list = newtListbox(1, 1, 12, NEWT_FLAG_SCROLL | NEWT_FLAG_BORDER);
	newtListboxSetWidth(list, 40);
	for (size_t i = 0; i < items->n; i++) {
		newtListboxAppendEntry(list, items->v[i], items->v[i]);
		if (streq(items->v[i], *value))
			newtListboxSetCurrent(list, (int)i);
	}
	buttons(15, &next, &back);
	newtFormAddComponents(form, list, next, back, NULL);
	go = run(form, next, back);
	if (items->n)
		choices_set(value, newtListboxGetCurrent(list));
	screen_end(form);
	return go;
}

enum tui_go tui_timezone(struct choices *c, const char *zoneinfo)
{
	static const char *const hint =
		"The host's time zone. UTC suits servers; logs then read the same everywhere. "
		"Type the first letter of a name to jump to it.";

	for (;;) {
		struct strv regions = {0}, cities = {0};
		enum tui_go go;

		tz_regions(zoneinfo, &regions);
		go = pick("Time zone", "Region:", hint, &regions, &c->tz_region);
		strv_free(&regions);
		if (go == TUI_BACK)
			return go;
		if (streq(c->tz_region, "UTC")) {
			choices_set(&c->tz_city, "");
			return TUI_NEXT;
		}
		tz_cities(zoneinfo, c->tz_region, &cities);
		go = pick("Time zone", "City:", hint, &cities, &c->tz_city);
		strv_free(&cities);
		if (go == TUI_NEXT)
			return go;
	}
}

/* ---- root password ---- */

enum tui_go tui_password(struct choices *c)
{
	for (;;) {
		newtComponent form, p1, p2, next, back;
		const char *v1, *v2;
		char *a, *b, *why;
		enum tui_go go;

		form = screen(W, 11, "Root password",
			      "The password of root on the installed host, typed twice. "
			      "It is stored only as a yescrypt hash, also in the saved "
			      "answer file.");
		if (c->pw_hash)
			newtFormAddComponent(
				form,
				newtLabel(1, 5,
					  "Leave both empty to keep the password given before."));
		p1 = field(form, 1, 1, "Password:", 20, "", 30, &v1,
			   NEWT_FLAG_PASSWORD | NEWT_FLAG_SCROLL);
		p2 = field(form, 1, 3, "Again:", 20, "", 30, &v2,
			   NEWT_FLAG_PASSWORD | NEWT_FLAG_SCROLL);
		buttons(8, &next, &back);
		newtFormAddComponents(form, p1, p2, next, back, NULL);
		go = run(form, next, back);
		a = xstrdup(v1);
		b = xstrdup(v2);
		screen_end(form);
		/* back here after the summary: two empty fields keep the password typed before */
		if (go == TUI_BACK || (c->pw_hash && !*a && !*b))
			why = NULL;
		else
			why = choices_set_password(c, a, b);
		explicit_bzero(a, strlen(a));
		explicit_bzero(b, strlen(b));
		free(a);
		free(b);
		if (settled(why))
			return go;
	}
}

/* ---- package sets ---- */

enum tui_go tui_packages(struct choices *c)
{
	static const char *const modes[][2] = {{"off", "off: no hardware counters (Xen's default)"},
					       {"ipc", "ipc: cycles and instructions only"},
					       {"arch", "arch: the architectural events"},
					       {"on", "on: every counter"},
					       {"bts", "bts: every counter and branch tracing"}};
	newtComponent form, prof, guests, radio[5], next, back;
	char pv, gv;
	enum tui_go go;

	form = screen(W, 16, "Package sets",
		      "Installed offline from this medium. The profiler stack: perf, xentrace, "
		      "xentop, sysstat, fio, bonnie++ and tenxen profile. Guest templates: "
		      "xen-tools and templates for tenxen guest create. The virtual PMU lets "
		      "perf use the CPU's counters; it is not security supported by Xen "
		      "(profiling.md says what each mode exposes).");
	prof = newtCheckbox(1, 1, "Profiler stack (@profiler)", c->profiler ? '*' : ' ', NULL, &pv);
	guests = newtCheckbox(1, 2, "Guest templates (@guest-templates)",
			      c->guest_templates ? '*' : ' ', NULL, &gv);
	newtFormAddComponents(form, prof, guests, NULL);
	newtFormAddComponent(form, newtLabel(1, 4, "Xen's virtual PMU, for the profiler:"));
	for (int i = 0; i < 5; i++) {
		radio[i] = newtRadiobutton(3, 5 + i, modes[i][1], streq(c->vpmu, modes[i][0]),
					   i ? radio[i - 1] : NULL);
		newtFormAddComponent(form, radio[i]);
	}
	buttons(13, &next, &back);
	newtFormAddComponents(form, next, back, NULL);
	go = run(form, next, back);
	c->profiler = pv == '*';
	c->guest_templates = gv == '*';
	for (int i = 0; i < 5; i++)
		if (newtRadioGetCurrent(radio[0]) == radio[i])
			choices_set(&c->vpmu, modes[i][0]);
	screen_end(form);
	return go;
}

/* ---- summary ---- */

enum tui_go tui_summary(const char *text, bool reinstall)
{
	for (;;) {
		newtComponent form, box, yes, install, back;
		struct newtExitStruct es;
		const char *v;
		enum tui_go go;
		bool agreed;

		form = screen(76, 19, "Summary",
			      "What the install will do. Every disk listed under \"erase\" "
			      "loses all it holds. Type yes and press Install, or go Back "
			      "to change anything.");
		box = newtTextbox(1, 0, 72, 14, NEWT_FLAG_SCROLL);
		newtTextboxSetText(box, text);
		yes = field(form, 1, 15,
			    reinstall ? "Type yes to reinstall the host:"
				      : "Type yes to erase these disks:",
			    33, "", 6, &v, 0);
		install = newtCompactButton(50, 17, "Install");
		back = newtCompactButton(62, 17, "Back");
		newtFormAddComponents(form, box, yes, install, back, NULL);
		newtFormSetCurrent(form, yes);
		newtFormRun(form, &es);
		go = es.reason == NEWT_EXIT_COMPONENT && es.u.co == back ? TUI_BACK : TUI_NEXT;
		agreed = streq(v, "yes");
		screen_end(form);
		if (go == TUI_BACK)
			return go;
		if (agreed)
			return TUI_NEXT;
		complain(
			reinstall
				? "Nothing was written. Type yes (the word) in the field to "
				  "reinstall the host, or go Back."
				: "Nothing was written. Type yes (the word) in the field to erase the "
				  "disks listed and install, or go Back.");
	}
}

/* A value a screen shows: a control character (an escape sequence in a file name, a label)
 * becomes '?', never reaching the terminal; newlines are kept where keep_lines. In place. */
static void screen_text(char *s, bool keep_lines)
{
	for (; *s; s++)
		if (((unsigned char)*s < 0x20 && !(keep_lines && *s == '\n')) || *s == 0x7f)
			*s = '?';
}

void tui_message(const char *title, const char *text)
{
	char *t = xstrdup(text);

	screen_text(t, true);
	newtWinMessage((char *)title, "OK", "%s", t);
	free(t);
}

/* ---- progress ---- */

static newtComponent progress_form, progress_scale, progress_label;

static void progress_step(void *data, unsigned step, unsigned nsteps, const char *what)
{
	char line[W - 2];

	(void)data;
	snprintf(line, sizeof(line), "%-*.*s", W - 4, W - 4, what);
	screen_text(line, false);
	newtLabelSetText(progress_label, line);
	newtScaleSet(progress_scale, nsteps ? (unsigned long long)step * 100 / nsteps : 0);
	newtDrawForm(progress_form);
	newtRefresh();
}

static void progress_message(void *data, enum tx_level level, const struct tx_loc *loc,
			     const char *text)
{
	(void)data;
	(void)loc;
	if (level >= TX_INFO)
		progress_step(NULL, 0, 0, text);
}

void tui_progress_begin(struct tx_ui *ui)
{
	newtCenteredWindow(W, 7, "Installing");
	progress_form =
		newtForm(NULL, (void *)"The install runs; it cannot be interrupted here.", 0);
	newtFormAddComponent(progress_form, newtLabel(1, 1, "The install runs; each step:"));
	progress_label = newtLabel(1, 3, "");
	progress_scale = newtScale(1, 5, W - 2, 100);
	newtFormAddComponents(progress_form, progress_label, progress_scale, NULL);
	newtDrawForm(progress_form);
	newtRefresh();
	ui->message = progress_message;
	ui->progress = progress_step;
	ui->data = NULL;
}

void tui_progress_end(void)
{
	newtFormDestroy(progress_form);
	newtPopWindow();
	progress_form = NULL;
}

static int two_ways(const char *title, const char *text, const char *b1, const char *b2)
{
	newtComponent form, box, one, two;
	struct newtExitStruct es;

	form = screen(76, 19, title,
		      "Reboot starts the machine again (remove the installation medium "
		      "first to boot the installed host). Shell opens the installer's shell: "
		      "the log is /run/tenxen/install.log, the medium is mounted at "
		      "/run/tenxen/medium, and tenxen install --interactive starts the screens "
		      "again.");
	box = newtTextbox(1, 0, 72, 15, NEWT_FLAG_SCROLL | NEWT_FLAG_WRAP);
	newtTextboxSetText(box, text);
	one = newtCompactButton(40, 17, b1);
	two = newtCompactButton(56, 17, b2);
	newtFormAddComponents(form, box, one, two, NULL);
	newtFormSetCurrent(form, one);
	newtFormRun(form, &es);
	screen_end(form);
	return es.reason == NEWT_EXIT_COMPONENT && es.u.co == two ? 1 : 0;
}

int tui_finished(const char *text)
{
	return two_ways("Installed", text, "Reboot", "Shell");
}

int tui_failed(const char *log_tail)
{
	return two_ways("The install failed", log_tail, "Shell", "Reboot") ? 0 : 1;
}
