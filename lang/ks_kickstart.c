// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Kickstart's commands, options and words that Tenxen spells otherwise, or does not have: each
 * is met with a hint that names Tenxen's form, instead of a guess at the nearest name. The
 * tables are what docs/answer-file.md's "Coming from kickstart" says.
 */
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "lang/reader.h"

/* "{}" in a hint stands for the value the file gave, or VALUE when it gave none. */
struct ks_hint {
	const char *cmd; /* NULL: a command; else the command whose option opt is */
	const char *opt;
	const char *hint;
};

static const char to_post[] = "Tenxen has no form of it: drop the line, or do it in %post";
static const char from_medium[] =
	"Tenxen installs from its own medium (the root image and its package repository): drop the line";

static const char from_mirror[] =
	"Tenxen installs from its own medium, with no network; where the installed host's apt finds Debian is written mirror http://deb.debian.org/debian (its -updates and -security suites come with it)";

static const struct ks_hint commands[] = {
	{NULL, "raid",
	 "md RAID1 in Tenxen is /boot's alone, written part /boot --size=512M --disks=a,b; a mirrored volume is logvol --type=raid1 --mirrors=1 (LVM RAID1) or --type=mirror"},
	{NULL, "autopart",
	 "Tenxen never guesses a layout: write disk, part /boot, volgroup and logvol lines (docs/answer-file.md has whole examples)"},
	{NULL, "reqpart",
	 "Tenxen makes the partitions the firmware needs (BIOS boot, or the EFI system partition) itself: drop the line"},
	{NULL, "zerombr", "clearpart NAMES is the permission to erase those disks: drop the line"},
	{NULL, "url", from_mirror},
	{NULL, "repo", from_mirror},
	{NULL, "cdrom", from_medium},
	{NULL, "harddrive", from_medium},
	{NULL, "nfs", from_medium},
	{NULL, "liveimg", from_medium},
	{NULL, "install", "an answer file always installs: drop the line"},
	{NULL, "text", "the installer has one face for a file (none): drop the line"},
	{NULL, "graphical", "the installer has one face for a file (none): drop the line"},
	{NULL, "cmdline", "the installer has one face for a file (none): drop the line"},
	{NULL, "skipx", "a Xen host has no X: drop the line"},
	{NULL, "firstboot", "a Tenxen host has no first-boot wizard: drop the line"},
	{NULL, "eula", "drop the line"},
	{NULL, "lang", "the host speaks C.UTF-8: drop the line, or set another locale in %post"},
	{NULL, "selinux", to_post},
	{NULL, "firewall", to_post},
	{NULL, "services", to_post},
	{NULL, "auth", to_post},
	{NULL, "authconfig", to_post},
	{NULL, "authselect", to_post},
	{NULL, "user", to_post},
	{NULL, "group", to_post},
	{NULL, "logging",
	 "the install's log is kept on the host in /var/log/tenxen: drop the line"},
	{NULL, "halt", "Tenxen's forms are reboot, poweroff and shell: write poweroff"},
};

static const char disk_first[] =
	"name the disk once with a disk line (disk a --path=/dev/{}, or better --by-id or --serial), then use its name: --disks=a";

static const struct ks_hint options[] = {
	/* storage */
	{"part", "ondisk", disk_first},
	{"part", "ondrive", disk_first},
	{"part", "grow",
	 "part /boot takes a fixed --size; a logical volume takes the rest with logvol --size=100%FREE"},
	{"part", "maxsize", "part /boot takes a fixed --size: drop --maxsize"},
	{"part", "asprimary", "Tenxen lays the partitions out itself: drop --asprimary"},
	{"part", "recommended",
	 "swap is a logical volume in Tenxen: logvol swap --vg=VG --name=swap --size=2G"},
	{"part", "noformat",
	 "Tenxen formats the partitions it uses; a reinstall reformats the /boot already there with part /boot --useexisting"},
	{"part", "onpart", "Tenxen makes every partition it uses, on the disks of --disks"},
	{"part", "usepart", "Tenxen makes every partition it uses, on the disks of --disks"},
	{"logvol", "vgname", "write --vg={}"},
	{"logvol", "grow", "write --size=100%FREE for the rest of the volume group"},
	{"logvol", "percent",
	 "write --size={}%FREE (of the space left) or --size={}%VG (of the whole group)"},
	{"logvol", "maxsize", "Tenxen sizes a volume with --size alone: drop --maxsize"},
	{"logvol", "recommended", "give swap a size: --size=2G"},
	{"logvol", "noformat",
	 "a volume kept as it is, data and all, is written preserve VG/NAME (mount it in %post); --useexisting reformats it"},
	{"volgroup", "noformat", "a kept volume group is written volgroup NAME --useexisting"},
	{"volgroup", "reserved-space",
	 "leave space free by giving the volumes less than 100%FREE: drop --reserved-space"},
	{"volgroup", "reserved-percent",
	 "leave space free by giving the volumes less than 100%FREE: drop --reserved-percent"},
	{"volgroup", "vgname",
	 "the group's name is the word after volgroup: volgroup {} --disks=a,b"},
	{"clearpart", "all",
	 "Tenxen erases only the disks it is told by name: clearpart a,b, naming disks of disk lines"},
	{"clearpart", "drives",
	 "write clearpart a,b, naming disks of disk lines (disk a --path=/dev/sda)"},
	{"clearpart", "initlabel",
	 "clearpart writes a new partition table itself: drop --initlabel"},
	{"clearpart", "linux", "name the disks to erase: clearpart a,b"},
	{"clearpart", "none", "leave out clearpart: a disk that holds anything is then refused"},
	{"clearpart", "list", "name the disks to erase: clearpart a,b"},
	{"ignoredisk", "only-use",
	 "Tenxen uses only the disks its disk lines name and touches no other: drop the line, and write a disk line for each of {}"},
	{"ignoredisk", "drives",
	 "write ignoredisk c, naming a disk of a disk line (disk c --path=/dev/{})"},
	{"bootloader", "append",
	 "kickstart's --append is the kernel's command line: dom0's kernel options go in xen --dom0-append=\"...\"; Xen's own in xen --dom0-mem, --dom0-max-vcpus and --append; the serial console is console serial --port=ttyS0"},
	{"bootloader", "location",
	 "extlinux goes on each disk of --disks (boot code and /boot): drop --location"},
	{"bootloader", "boot-drive", "write --disks=a, naming a disk of a disk line"},
	{"bootloader", "driveorder", "write --disks=a,b, naming disks of disk lines"},
	{"bootloader", "password", "the boot menu has no password: drop the option"},
	{"bootloader", "iscrypted", "the boot menu has no password: drop the option"},
	/* the host */
	{"network", "activate",
	 "the network is brought up at boot and during the install: drop --activate"},
	{"network", "onboot", "the network is brought up at boot: drop --onboot"},
	{"network", "noipv6", "drop --noipv6 (IPv6 is left to the kernel's defaults)"},
	{"network", "ipv6", "Tenxen sets IPv4 alone: drop --ipv6"},
	{"network", "interfacename", "write --device=NAME"},
	{"timezone", "isUtc", "write --utc"},
	{"timezone", "ntpservers",
	 "time servers have a line of their own: timesource --ntp-server={}"},
	{"timezone", "nontp", "write timesource --ntp-disable"},
	{"keyboard", "vckeymap", "write keyboard {}"},
	{"keyboard", "xlayouts", "write keyboard LAYOUT with the first of {}"},
	{"rootpw", "allow-ssh", "root logs in over ssh with a key: sshkey \"ssh-ed25519 ...\""},
	{"sshkey", "user", "write --username={}"},
	/* sections */
	{"%post", "log",
	 "every script's output is kept in the install log (/var/log/tenxen/install.log on the host): drop --log"},
	{"%pre", "log", "every script's output is kept in the install log: drop --log"},
	{"%packages", "ignoremissing",
	 "each package is checked against the medium before anything is written: drop --ignoremissing"},
	{"%packages", "nocore", "the dom0 root is Debian's minimal base: drop --nocore"},
	{"%packages", "excludedocs", "drop --excludedocs"},
	{"%packages", "nobase", "the dom0 root is Debian's minimal base: drop --nobase"},
};

/* kickstart's sections that Tenxen has not: read to %end and left */
static const char *const foreign_sections[] = {"%addon",     "%anaconda",    "%onerror",
					       "%traceback", "%pre-install", "%post-nochroot"};

static char *fill(const char *hint, const char *value)
{
	const char *v = value && *value ? value : "VALUE";
	size_t n = 0;
	char *out, *o;

	for (const char *h = hint; *h; h++)
		n += startswith(h, "{}") ? strlen(v) : 1;
	o = out = xzalloc(n + 1);
	for (const char *h = hint; *h; h++) {
		if (startswith(h, "{}")) {
			memcpy(o, v, strlen(v));
			o += strlen(v);
			h++;
		} else {
			*o++ = *h;
		}
	}
	return out;
}

bool ks_kickstart_command(struct parser *p, const struct tx_loc *loc, const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (streq(commands[i].opt, name)) {
			ks_perr(p, loc, "\"%s\" is kickstart's, not Tenxen's: %s", name,
				commands[i].hint);
			p->s->kickstart_hints++;
			return true;
		}
	return false;
}

bool ks_kickstart_option(struct parser *p, const struct tx_loc *loc, const char *cmd,
			 const char *opt, const char *value)
{
	for (size_t i = 0; i < ARRAY_SIZE(options); i++)
		if (streq(options[i].cmd, cmd) && streq(options[i].opt, opt)) {
			char *hint = fill(options[i].hint, value);

			ks_perr(p, loc, "%s --%s is kickstart's; %s", cmd, opt, hint);
			p->s->kickstart_hints++;
			free(hint);
			return true;
		}
	return false;
}

bool ks_kickstart_section(struct parser *p, const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(foreign_sections); i++)
		if (streq(foreign_sections[i], name)) {
			p->s->kickstart_hints++;
			return true;
		}
	return false;
}

bool ks_kickstart_package(struct parser *p, const struct tx_loc *loc, const char *word)
{
	static const char *const groups[] = {"core", "base", "standard", "minimal"};
	bool group = false;

	if (word[0] == '-' && word[1]) {
		ks_perr(p, loc,
			"%s is kickstart's way to leave a package out; the dom0 root is Debian's minimal base, which lacks it or needs it: drop the word",
			word);
		p->s->kickstart_hints++;
		return true;
	}
	if (word[0] != '@')
		return false;
	group = word[1] == '^';
	for (size_t i = 0; i < ARRAY_SIZE(groups); i++)
		group |= streq(word + 1, groups[i]);
	if (!group)
		return false;
	ks_perr(p, loc,
		"%s is a group of kickstart's distributions; the dom0 root is Debian's minimal base already: drop it (Tenxen's sets are @profiler and @guest-templates; a Debian package goes by its name)",
		word);
	p->s->kickstart_hints++;
	return true;
}

/* kickstart's names of partitions to come: pv.01, raid.11 */
static bool ks_name(const char *w, const char *kind)
{
	size_t n = strlen(kind);

	return strncmp(w, kind, n) == 0 && w[n] == '.' && w[n + 1];
}

static int words(struct parser *p, const struct cmd *c);

bool ks_kickstart_words(struct parser *p, const struct cmd *c)
{
	int said = words(p, c);

	if (said == 1)
		p->s->kickstart_hints++;
	return said != 0;
}

/* 1: kickstart's words, said; 2: a Tenxen error said here (part /var); 0: nothing to say */
static int words(struct parser *p, const struct cmd *c)
{
	if (streq(c->name, "volgroup") && c->args.n >= 2 && ks_name(c->args.v[1], "pv")) {
		ks_perr(p, &c->loc,
			"volgroup %s %s: kickstart's pv.NN partitions are not Tenxen's, which makes each volume group's physical volumes itself: write volgroup %s --disks=a,b, naming disks of disk lines",
			c->args.v[0], c->args.v[1], c->args.v[0]);
		return 1;
	}
	if (streq(c->name, "part") && c->args.n >= 1 && ks_name(c->args.v[0], "pv")) {
		ks_perr(p, &c->loc,
			"part %s: kickstart's pv.NN partitions are not Tenxen's, which makes them itself from volgroup NAME --disks=a,b: drop the line",
			c->args.v[0]);
		return 1;
	}
	if (streq(c->name, "part") && c->args.n >= 1 && ks_name(c->args.v[0], "raid")) {
		ks_perr(p, &c->loc,
			"part %s: kickstart's raid.NN members are not Tenxen's: md RAID1 is /boot's alone, written part /boot --size=512M --disks=a,b; a mirrored volume is logvol --type=raid1 --mirrors=1",
			c->args.v[0]);
		return 1;
	}
	if (streq(c->name, "part") && c->args.n >= 1 && !streq(c->args.v[0], "/boot")) {
		const char *m = c->args.v[0];
		bool swap = streq(m, "swap");

		ks_perr(p, &c->loc,
			"part %s: only /boot is a partition; put %s on a logical volume: logvol %s --vg=VG --name=%s --size=SIZE",
			m, m, m,
			swap		? "swap"
			: streq(m, "/") ? "root"
					: "NAME");
		return 2;
	}
	return 0;
}
