// SPDX-License-Identifier: GPL-2.0-or-later
/* The installed system's settings, written into a folder that stands for the target. */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/run.h"
#include "lang/answers.h"
#include "net/fetch.h"
#include "apply/target.h"
#include "unit.h"

static char root[] = "/tmp/tenxen-unit-target-XXXXXX";
static struct tx_report rep = {0};

static char *slurp(const char *rel)
{
	char *p = xasprintf("%s/%s", root, rel), *t = NULL;

	if (read_file(p, &t, NULL) < 0)
		t = NULL;
	free(p);
	return t;
}

static void put(const char *rel, const char *text)
{
	char *p = xasprintf("%s/%s", root, rel), *d = xstrdup(p);

	*strrchr(d, '/') = '\0';
	mkdir_p(d);
	FILE *f = fopen(p, "w");
	fputs(text, f);
	fclose(f);
	free(p);
	free(d);
}

static struct spec *spec_of(const char *text)
{
	struct spec *s = NULL;

	if (answers_parse_buffer("t.ks", text, strlen(text), 0, &rep, &s) < 0 ||
	    spec_validate(s, &rep) < 0) {
		spec_free(s);
		return NULL;
	}
	return s;
}

#define BASE                                                                                       \
	"#version=1\ndisk a --path=/dev/vda\nclearpart a\npart /boot --size=512M --disks=a\n"      \
	"volgroup vg0 --disks=a\nlogvol / --vg=vg0 --name=root --size=4G\n"

static bool exists(const char *rel)
{
	char *p = xasprintf("%s/%s", root, rel);
	bool yes = access(p, F_OK) == 0;

	free(p);
	return yes;
}

/*
 * The plan of spec s on a machine of two 64 GiB disks (vda, vdb) with the given machine's cards
 * (else eth0, eth1 and eth3, no MAC known), then every configure operation named what of it,
 * run on the folder root; -ESRCH when the plan has none.
 */
static int configure(struct spec *s, const struct machine *given, const char *what)
{
	struct disk disks[] = {
		{.name = "vda", .path = "/dev/vda", .size = 64ULL << 30, .lsec = 512, .psec = 512},
		{.name = "vdb", .path = "/dev/vdb", .size = 64ULL << 30, .lsec = 512, .psec = 512}};
	struct nic plain[] = {{.name = "eth0"}, {.name = "eth1"}, {.name = "eth3"}};
	struct machine m = *given;
	struct plan_opts po = {.answers = "t.ks", .target = root};
	struct plan *p = NULL;
	int rc = -ESRCH;

	m.source = "unit";
	m.disks = disks;
	m.ndisks = ARRAY_SIZE(disks);
	if (!m.nnics) {
		m.nics = plain;
		m.nnics = ARRAY_SIZE(plain);
	}
	if (plan_build(s, &m, &po, &rep, &p) < 0) {
		struct tx_report why = {.log = stderr};

		plan_free(p);
		p = NULL;
		plan_build(s, &m, &po, &why, &p); /* again, saying why */
		plan_free(p);
		return -EINVAL;
	}
	for (size_t i = 0; i < p->nops; i++) {
		const struct op *op = &p->ops[i];
		struct target_ctx t = {.target = root, .payload = root, .machine = &m, .plan = p};

		if (op->kind == OP_CONFIGURE && streq(conf_kind_name(op->conf), what))
			rc = target_configure(&t, op, &rep);
	}
	plan_free(p);
	return rc;
}

TEST(network_static_by_mac)
{
	struct spec *s = spec_of(
		BASE "network --device=mac:52:54:00:ab:cd:ef --bootproto=static --ip=192.0.2.20 "
		     "--netmask=255.255.255.0 --gateway=192.0.2.1 --nameserver=192.0.2.53 "
		     "--hostname=xen02.example.org\nrootpw --lock\n");
	struct nic nics[] = {{.name = "eno1", .mac = "52:54:00:ab:cd:ef"}};
	struct machine m = {.nics = nics, .nnics = 1};
	char *t;

	CHECK(s != NULL);
	if (!s)
		return;
	CHECK(configure(s, &m, "network") == 0);
	t = slurp("etc/network/interfaces");
	CHECK(t && strstr(t, "auto xenbr0\niface xenbr0 inet static\n\taddress 192.0.2.20/24\n"
			     "\tgateway 192.0.2.1\n\tbridge_ports lan0\n"));
	CHECK(t && strstr(t, "dns-nameservers 192.0.2.53"));
	free(t);
	t = slurp("etc/systemd/network/10-tenxen-lan0.link");
	CHECK(t && strstr(t, "MACAddress=52:54:00:ab:cd:ef\n") && strstr(t, "Name=lan0\n"));
	free(t);
	t = slurp("etc/resolv.conf");
	CHECK_STR(t, "nameserver 192.0.2.53\n");
	free(t);
	CHECK(configure(s, &m, "hostname") == 0);
	t = slurp("etc/hostname");
	CHECK_STR(t, "xen02\n");
	free(t);
	t = slurp("etc/hosts");
	CHECK(t && strstr(t, "127.0.1.1\txen02.example.org\txen02\n"));
	free(t);
	spec_free(s);
}

TEST(network_dhcp_first_card)
{
	struct spec *s = spec_of(BASE "network --bootproto=dhcp\nrootpw --lock\n");
	struct nic nics[] = {{.name = "eth0", .mac = "52:54:00:00:00:01"},
			     {.name = "eth1", .mac = "52:54:00:00:00:02"}};
	struct machine m = {.nics = nics, .nnics = 2};
	char *t;

	CHECK(s && configure(s, &m, "network") == 0);
	t = slurp("etc/network/interfaces");
	CHECK(t && strstr(t, "iface xenbr0 inet dhcp\n\tbridge_ports lan0\n"));
	free(t);
	t = slurp("etc/systemd/network/10-tenxen-lan0.link");
	CHECK(t && strstr(t, "MACAddress=52:54:00:00:00:01\n"));
	free(t);
	spec_free(s);
}

/* A bond of two cards (one by name, one by MAC) under the guests' bridge, the host's address on
 * a tagged VLAN beside it, the host name on a line of its own (no card, no bridge): the whole
 * file, as ifupdown, ifenslave and bridge-utils read it. */
TEST(network_bond_vlan)
{
	struct spec *s = spec_of(
		BASE
		"network --hostname=xen07\n"
		"network --device=bond0 --bondslaves=eth1,mac:52:54:00:00:00:01 "
		"--bondopts=mode=active-backup,primary=eth1,miimon=50 --vlanid=42\nrootpw --lock\n");
	struct nic nics[] = {{.name = "eth0", .mac = "52:54:00:00:00:01"},
			     {.name = "eth1", .mac = "52:54:00:00:00:02"}};
	struct machine m = {.nics = nics, .nnics = 2};
	char *t;

	CHECK(s && configure(s, &m, "network") == 0);
	t = slurp("etc/network/interfaces");
	CHECK_STR(t, "# The network of this Xen host, written by Tenxen. Guests join xenbr0.\n"
		     "source /etc/network/interfaces.d/*\n\nauto lo\niface lo inet loopback\n\n"
		     "auto bond0\niface bond0 inet manual\n\tbond-slaves lan0 lan1\n"
		     "\tbond-mode active-backup\n\tbond-primary lan0\n\tbond-miimon 50\n\n"
		     "auto xenbr0\niface xenbr0 inet manual\n\tbridge_ports bond0\n"
		     "\tbridge_stp off\n\tbridge_fd 0\n\n"
		     "auto bond0.42\niface bond0.42 inet dhcp\n");
	free(t);
	t = slurp("etc/systemd/network/10-tenxen-lan0.link");
	CHECK(t && strstr(t, "MACAddress=52:54:00:00:00:02\n") && strstr(t, "Name=lan0\n"));
	free(t);
	t = slurp("etc/systemd/network/10-tenxen-lan1.link");
	CHECK(t && strstr(t, "MACAddress=52:54:00:00:00:01\n") && strstr(t, "Name=lan1\n"));
	free(t);
	spec_free(s);
}

/* The guests' bridge on a tagged VLAN: the address stays on the untagged bond (802.3ad, its
 * default miimon), or goes on the bridge when both tags are the same. */
TEST(network_bridge_vlan)
{
	struct spec *s = spec_of(
		BASE
		"network --device=bond1 --bondslaves=eth0,eth1 --bondopts=mode=802.3ad;"
		"lacp_rate=fast;xmit_hash_policy=layer3+4 --bridge-vlan=100 --bootproto=static "
		"--ip=192.0.2.9/24\nrootpw --lock\n");
	struct machine m = {0};
	char *t;

	CHECK(s && configure(s, &m, "network") == 0);
	t = slurp("etc/network/interfaces");
	CHECK(t && strstr(t, "auto bond1\niface bond1 inet static\n\taddress 192.0.2.9/24\n"
			     "\tbond-slaves eth0 eth1\n\tbond-mode 802.3ad\n\tbond-lacp-rate fast\n"
			     "\tbond-xmit-hash-policy layer3+4\n\tbond-miimon 100\n\n"
			     "auto bond1.100\niface bond1.100 inet manual\n\n"
			     "auto xenbr0\niface xenbr0 inet manual\n\tbridge_ports bond1.100\n"));
	free(t);
	spec_free(s);
	s = spec_of(BASE "network --device=eth3 --vlanid=7 --bridge-vlan=7\nrootpw --lock\n");
	CHECK(s && configure(s, &m, "network") == 0);
	t = slurp("etc/network/interfaces");
	CHECK(t &&
	      strstr(t, "auto eth3\niface eth3 inet manual\n\nauto eth3.7\niface eth3.7 inet "
			"manual\n\nauto xenbr0\niface xenbr0 inet dhcp\n\tbridge_ports eth3.7\n"));
	CHECK(t && !strstr(t, "eth3.7 inet dhcp"));
	free(t);
	spec_free(s);
}

TEST(root_password_only_hashed)
{
	const char *hash =
		"$y$j9T$F5Jx5fExrKuPp53xLKQ..1$X3DX6M94c7o.9agCG9G317fhZg9SqC.5i5rd.RhAtQ7";
	char *text = xasprintf(BASE "rootpw --iscrypted '%s'\n", hash);
	struct spec *s = spec_of(text);
	struct machine m = {0};
	char *t, *want;

	put("etc/shadow", "root:*:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n");
	CHECK(s && configure(s, &m, "root") == 0);
	t = slurp("etc/shadow");
	want = xasprintf("root:%s:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n", hash);
	CHECK_STR(t, want);
	free(want);
	free(t);
	spec_free(s);
	free(text);
	/* --lock: "!" */
	s = spec_of(BASE "rootpw --lock\n");
	CHECK(s && configure(s, &m, "root") == 0);
	t = slurp("etc/shadow");
	CHECK(t && strncmp(t, "root:!:19000:", 13) == 0);
	free(t);
	spec_free(s);
}

TEST(timezone_keyboard)
{
	struct spec *s = spec_of(BASE "timezone Europe/Paris --localtime\n"
				      "keyboard de --variant=nodeadkeys\nrootpw --lock\n");
	struct machine m = {0};
	char link[256] = "", *p, *t;
	ssize_t n;

	CHECK(s != NULL);
	if (!s)
		return;
	/* the installed system lacks the zone: a clear refusal */
	CHECK(configure(s, &m, "timezone") == -ENOENT);
	put("usr/share/zoneinfo/Europe/Paris", "TZif");
	CHECK(configure(s, &m, "timezone") == 0);
	p = xasprintf("%s/etc/localtime", root);
	n = readlink(p, link, sizeof(link) - 1);
	CHECK(n > 0);
	CHECK_STR(link, "/usr/share/zoneinfo/Europe/Paris");
	free(p);
	t = slurp("etc/adjtime");
	CHECK(t && strstr(t, "LOCAL"));
	free(t);
	CHECK(configure(s, &m, "keyboard") == 0);
	t = slurp("etc/default/keyboard");
	CHECK(t && strstr(t, "XKBLAYOUT=\"de\"") && strstr(t, "XKBVARIANT=\"nodeadkeys\""));
	free(t);
	spec_free(s);
}

TEST(package_sets)
{
	struct strv v = {0};
	char *f = xasprintf("%s/package-sets", root);

	put("package-sets", "# comment\nprofiler: linux-perf fio\nguest-templates: xen-tools\n");
	CHECK(package_set_members(f, "profiler", &v, &rep) == 0);
	CHECK(v.n == 2 && streq(v.v[0], "linux-perf") && streq(v.v[1], "fio"));
	CHECK(package_set_members(f, "nosuch", &v, &rep) == -ENOENT);
	CHECK(package_set_members("/nonexistent/sets", "profiler", &v, &rep) < 0);
	strv_free(&v);
	free(f);
}

TEST(record_is_redacted)
{
	const char *hash =
		"$y$j9T$F5Jx5fExrKuPp53xLKQ..1$X3DX6M94c7o.9agCG9G317fhZg9SqC.5i5rd.RhAtQ7";
	char *text = xasprintf(BASE "rootpw --iscrypted '%s'\n", hash);
	struct spec *s = spec_of(text);
	struct plan p = {.spec = s};
	struct target_ctx t = {.target = root, .plan = &p};
	char *log = xasprintf("%s/the.log", root), *a, *l, *d, *e;
	struct strv events = {0};
	struct stat st;

	put("the.log", "step 1/2: wipe\n");
	strv_push(&events, "{\"event\":\"start\"}");
	strv_push(&events, "{\"event\":\"progress\",\"step\":1}");
	CHECK(s && target_keep_record(&t, log, &events, &rep) == 0);
	a = slurp("var/log/tenxen/answers.ks");
	l = slurp("var/log/tenxen/install.log");
	e = slurp("var/log/tenxen/events.jsonl");
	CHECK_STR(e, "{\"event\":\"start\"}\n{\"event\":\"progress\",\"step\":1}\n");
	free(e);
	strv_free(&events);
	CHECK(a && !strstr(a, "X3DX6M94") && strstr(a, "logvol / --vg=vg0"));
	CHECK_STR(l, "step 1/2: wipe\n");
	d = xasprintf("%s/var/log/tenxen/answers.ks", root);
	CHECK(stat(d, &st) == 0 && (st.st_mode & 0777) == 0600);
	free(d);
	free(a);
	free(l);
	free(log);
	free(text);
	spec_free(s);
}

TEST(fetch_urls)
{
	char *buf = NULL, *url;
	size_t len = 0;

	CHECK(fetch_is_url("http://x/a.ks") && fetch_is_url("TFTP://x/a") &&
	      !fetch_is_url("/a.ks"));
	put("served.ks", "#version=1\n");
	url = xasprintf("file://%s/served.ks", root);
	CHECK(fetch_url(url, 5, &buf, &len, &rep) == 0);
	CHECK_STR(buf, "#version=1\n");
	CHECK(len == 11);
	free(buf);
	free(url);
	/* a file that is not there is not waited for */
	url = xasprintf("file://%s/missing.ks", root);
	CHECK(fetch_url(url, 30, &buf, &len, &rep) == -EIO);
	free(url);
}

/* Every configure operation a plan can hold is one apply knows: the host's upkeep (apt sources,
 * time servers, automatic updates) written as the plan has it, sources.list left a pointer. */
TEST(upkeep_configured)
{
	struct spec *s = spec_of(BASE "rootpw --lock\nmirror http://mirror.example.net/debian\n"
				      "timesource --ntp-server=ntp1.example.net\n"
				      "updates --automatic\n");
	struct machine m = {0};
	char *t;

	CHECK(s != NULL);
	if (!s)
		return;
	put("etc/apt/sources.list", "deb http://build.example/debian bookworm main\n");
	CHECK(configure(s, &m, "apt sources") == 0);
	t = slurp("etc/apt/sources.list.d/debian.sources");
	CHECK(t && strstr(t, "URIs: http://mirror.example.net/debian\nSuites: ") &&
	      strstr(t, "-security\n"));
	free(t);
	t = slurp("etc/apt/sources.list");
	CHECK(t && !strstr(t, "\ndeb ") && strncmp(t, "deb ", 4) != 0);
	free(t);
	CHECK(configure(s, &m, "time") == 0);
	t = slurp("etc/systemd/timesyncd.conf.d/tenxen.conf");
	CHECK_STR(t, "# This host's time servers, written by Tenxen (timesource in the answer\n"
		     "# file). See timesyncd.conf(5).\n[Time]\nNTP=ntp1.example.net\n");
	free(t);
	CHECK(configure(s, &m, "updates") == 0);
	t = slurp("etc/apt/apt.conf.d/20auto-upgrades");
	CHECK(t && strstr(t, "APT::Periodic::Unattended-Upgrade \"1\";"));
	free(t);
	spec_free(s);
}

/* No kind of configure operation is one apply does not know. */
TEST(every_conf_kind_applies)
{
	struct plan p = {0};
	struct target_ctx t = {.target = root, .payload = root, .plan = &p};

	for (int k = CONF_NETWORK; k <= CONF_UPDATES; k++) {
		struct op op = {.kind = OP_CONFIGURE, .conf = (enum conf_kind)k};
		struct tx_report quiet = {0};

		if (k == CONF_TIMEZONE) /* it names its zone: timezone_keyboard tries it */
			continue;
		/* with nothing to write, each either does nothing or fails on what the target
		 * lacks; none is unknown */
		target_configure(&t, &op, &quiet);
		CHECK(quiet.errors == 0 || k == CONF_ROOT || k == CONF_CONSOLE || k == CONF_GUESTS);
	}
}

TEST(guests_configured)
{
	struct spec *s = spec_of(
		"#version=1\ndisk a --path=/dev/vda\ndisk b --path=/dev/vdb\nclearpart a,b\n"
		"part /boot --size=512M --disks=a,b\nvolgroup vg7 --disks=a,b\n"
		"logvol / --vg=vg7 --name=root --size=4G --type=raid1 --mirrors=1\n"
		"network --bootproto=dhcp\nrootpw --lock\npackages @guest-templates\n");
	struct machine m = {0};
	char *t;

	CHECK(s != NULL);
	if (!s)
		return;
	/* without templates in the target's /usr/share: refused */
	put("etc/xen-tools/xen-tools.conf",
	    "# LVM volume group here instead\n#\n# lvm = vg0\n\ninstall-method = debootstrap\n");
	CHECK(configure(s, &m, "guests") < 0);
	put("usr/share/tenxen/templates/debian-12-pvh.tmpl", "type = pvh\n");
	put("usr/share/tenxen/templates/hvm-iso.tmpl", "type = hvm\n");
	CHECK(configure(s, &m, "guests") == 0);
	/* the templates stay the package's: an upgrade brings new ones */
	CHECK(!exists("etc/tenxen/templates/hvm-iso.tmpl"));
	t = slurp("etc/tenxen/guests.conf");
	CHECK(t && strstr(t, "\nvg = vg7\nmirrors = 1\nbridge = xenbr0\n"));
	free(t);
	/* the example line becomes the setting; the rest of the file and a backup stay */
	t = slurp("etc/xen-tools/xen-tools.conf");
	CHECK(t &&
	      streq(t,
		    "# LVM volume group here instead\n#\nlvm = vg7\n\ninstall-method = debootstrap\n"));
	free(t);
	t = slurp("etc/xen-tools/xen-tools.conf.tenxen-old");
	CHECK(t && strstr(t, "# lvm = vg0"));
	free(t);
	/* again: the same file (idempotent) */
	CHECK(configure(s, &m, "guests") == 0);
	t = slurp("etc/xen-tools/xen-tools.conf");
	CHECK(t &&
	      streq(t,
		    "# LVM volume group here instead\n#\nlvm = vg7\n\ninstall-method = debootstrap\n"));
	free(t);
	spec_free(s);
}

/* tar --zstd of what is under root/src/NAME into root/pay/FILE */
static void pack(const char *name, const char *file)
{
	char *src = xasprintf("%s/src/%s", root, name), *dst = xasprintf("%s/pay/%s", root, file);
	const char *argv[] = {"tar", "--zstd", "-cf", dst, "-C", src, ".", NULL};

	CHECK(run_quiet(&rep, argv, NULL) == 0);
	free(src);
	free(dst);
}

TEST(sets_layer)
{
	char *pay = xasprintf("%s/pay", root), *tgt = xasprintf("%s/tgt", root), *t, *l;
	struct op op = {.kind = OP_PACKAGES};
	struct plan p = {.ops = &op, .nops = 1};
	struct target_ctx ctx = {.target = tgt, .payload = pay, .plan = &p};

	put("src/root/etc/hostname", "localhost\n");
	put("src/root/var/lib/dpkg/status", "base\n");
	put("src/root/usr/share/doc/old/x", "old\n");
	put("src/both/var/lib/dpkg/status", "base+sets\n");
	put("src/both/usr/bin/fio", "fio\n");
	put("pay/layers/guest-templates+profiler.removed", "usr/share/doc/old\n");
	put("tgt/.keep", "");
	pack("root", "root.tar.zst");
	pack("both", "layers/guest-templates+profiler.tar.zst");

	/* one set alone: no layer for it, the root as it is */
	strv_push(&op.members, "@profiler");
	CHECK(target_sets_layer(&ctx) == NULL);
	/* both sets, in either order, and a package of its own: the layer */
	strv_push(&op.members, "fio");
	strv_push(&op.members, "@guest-templates");
	l = target_sets_layer(&ctx);
	CHECK(l && strstr(l, "/layers/guest-templates+profiler.tar.zst"));
	free(l);
	CHECK(target_unpack(&ctx, &rep) == 0);
	t = slurp("tgt/var/lib/dpkg/status");
	CHECK_STR(t, "base+sets\n");
	free(t);
	CHECK(exists("tgt/usr/bin/fio") && exists("tgt/etc/hostname"));
	CHECK(!exists("tgt/usr/share/doc/old"));

	/* the sets alone: nothing left for apt (which would need a chroot and fail here) */
	strv_free(&op.members);
	strv_push(&op.members, "@profiler");
	strv_push(&op.members, "@guest-templates");
	CHECK(target_packages(&ctx, &op, &rep) == 0);

	/* a list of removals leading out of the root: refused before anything is removed */
	put("pay/layers/guest-templates+profiler.removed", "usr/bin/fio\nusr/../../etc\n");
	CHECK(target_unpack(&ctx, &rep) == -EINVAL);
	CHECK(exists("tgt/usr/bin/fio"));
	/* a layer without its list: refused */
	l = xasprintf("%s/layers/guest-templates+profiler.removed", pay);
	unlink(l);
	CHECK(target_unpack(&ctx, &rep) < 0);
	free(l);
	strv_free(&op.members);
	free(pay);
	free(tgt);
}

/* tenxen's own package: exactly one repo/tenxen_*.deb, else said */
TEST(own_package)
{
	char *pay = xasprintf("%s/own", root), *d;
	struct target_ctx ctx = {.payload = pay};
	unsigned before = rep.errors;

	put("own/repo/Packages.gz", "");
	CHECK(target_own_package(&ctx, &rep) == NULL);
	CHECK(rep.errors == before + 1);
	put("own/repo/tenxen-guest_1_all.deb", "");
	put("own/repo/tenxen_0.1_amd64.deb", "");
	d = target_own_package(&ctx, &rep);
	CHECK(d && streq(d, "repo/tenxen_0.1_amd64.deb"));
	free(d);
	put("own/repo/tenxen_0.2_amd64.deb", "");
	CHECK(target_own_package(&ctx, &rep) == NULL);
	CHECK(rep.errors == before + 2);
	free(pay);
}

/* A reinstall's carryover patterns match inside the old root only: ".*" never yields "." or
 * "..", a link planted as a folder is followed inside the root, and nothing names a path above. */
TEST(carry_patterns_stay_inside)
{
	char *old = xasprintf("%s/oldroot", root), *lnk = xasprintf("%s/etc/up", old);
	struct strv pats = {0}, rel = {0};

	put("oldroot/etc/xen/web1.cfg", "name = \"web1\"\n");
	put("oldroot/etc/.hidden", "x\n");
	put("oldroot/etc/ssh/ssh_host_rsa_key", "k\n");
	put("outside/secret", "s\n");
	CHECK(symlink("../../outside", lnk) == 0);
	strv_push(&pats, "/etc/.*");
	strv_push(&pats, "/etc/xen");
	strv_push(&pats, "/etc/ssh/ssh_host_*");
	strv_push(&pats, "/etc/up/*");
	strv_push(&pats, "/.*");
	target_carry_expand(old, &pats, &rel, &rep);
	CHECK(strv_contains(&rel, "etc/.hidden"));
	CHECK(strv_contains(&rel, "etc/xen"));
	CHECK(strv_contains(&rel, "etc/ssh/ssh_host_rsa_key"));
	for (size_t i = 0; i < rel.n; i++) {
		const char *last = strrchr(rel.v[i], '/') ? strrchr(rel.v[i], '/') + 1 : rel.v[i];

		CHECK(!streq(last, ".") && !streq(last, ".."));
		CHECK(!strstr(rel.v[i], "secret"));
	}
	CHECK(rel.n == 3);
	strv_free(&pats);
	strv_free(&rel);
	free(lnk);
	free(old);
}

int main(void)
{
	rep.log = fopen("/dev/null", "w");
	if (!mkdtemp(root))
		return 1;
	RUN(network_static_by_mac);
	RUN(network_dhcp_first_card);
	RUN(network_bond_vlan);
	RUN(network_bridge_vlan);
	RUN(root_password_only_hashed);
	RUN(timezone_keyboard);
	RUN(package_sets);
	RUN(record_is_redacted);
	RUN(fetch_urls);
	RUN(upkeep_configured);
	RUN(every_conf_kind_applies);
	RUN(guests_configured);
	RUN(sets_layer);
	RUN(own_package);
	RUN(carry_patterns_stay_inside);
	{
		const char *argv[] = {"rm", "-rf", root, NULL};

		run_quiet(&rep, argv, NULL);
	}
	fclose(rep.log);
	UNIT_EXIT();
}
