// SPDX-License-Identifier: GPL-2.0-or-later
/* tenxen guest templates | create: guests from the templates of an installed host. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/rootfs.h"
#include "common/run.h"
#include "common/util.h"
#include "guest/guest.h"
#include "cli/commands.h"

/* --templates DIR alone, or the host's folders (guest_template_dirs). 0 or -errno (said). */
static int templates_dirs(struct globals *g, const char *given, struct strv *dirs)
{
	if (given) {
		strv_push(dirs, given);
		return 0;
	}
	return guest_template_dirs(g->root, g->report, dirs);
}

static int list_templates(struct globals *g, const struct strv *dirs)
{
	struct strv names = {0};
	int rc = guest_template_names(dirs, &names), bad = 0;

	if (rc < 0 || names.n == 0) {
		char *where = strv_join(dirs, " or ");

		tx_error(
			g->report, NULL,
			"there are no guest templates in %s; the tenxen package installs them in /usr/share/tenxen/templates",
			where);
		free(where);
		strv_free(&names);
		return 1;
	}
	printf("%-16s %-4s %-10s %-9s %-8s %-5s %s\n", "TEMPLATE", "TYPE", "BUILDER", "DISK",
	       "MEMORY", "VCPUS", "DESCRIPTION");
	for (size_t i = 0; i < names.n; i++) {
		struct guest_template *t;
		char *size, *mem;

		if (guest_template_load(dirs, names.v[i], g->report, &t) < 0) {
			bad++;
			continue;
		}
		size = human_size(t->size);
		mem = human_size(t->memory);
		printf("%-16s %-4s %-10s %-9s %-8s %-5u %s\n", t->name, guest_type_name(t->type),
		       t->xen_tools ? "xen-tools" : "none", size, mem, t->vcpus, t->description);
		free(size);
		free(mem);
		guest_template_free(t);
	}
	strv_free(&names);
	return bad ? 1 : 0;
}

static void show_plan(const struct guest_plan *p, const char *description, bool dry_run)
{
	char *free_ = human_size(p->vg_free), *disk = human_size(p->disk_bytes);
	const char *kind = p->mirrors ? "raid1" : "linear";
	int n = 1;

	printf("Guest %s from the template %s (%s)%s\n", p->name, p->template_name, description,
	       dry_run ? ", a dry run: nothing is changed" : "");
	printf("  volume group %s: %s free\n", p->vg, free_);
	if (p->mirrors)
		printf("  %2d  lvcreate  %s/%s: %s, %s with %d extra cop%s\n", n++, p->vg,
		       p->disk_lv, disk, kind, p->mirrors, p->mirrors == 1 ? "y" : "ies");
	else
		printf("  %2d  lvcreate  %s/%s: %s, %s\n", n++, p->vg, p->disk_lv, disk, kind);
	if (p->swap_lv) {
		char *swap = human_size(p->swap_bytes);

		printf("  %2d  lvcreate  %s/%s: %s, %s, the guest's swap\n", n++, p->vg, p->swap_lv,
		       swap, kind);
		free(swap);
	}
	printf("  %2d  write     %s\n", n++, p->config_path);
	if (p->image) {
		char *used = human_size(p->image_bytes);

		printf("  %2d  build     the root, offline: Debian %s from %s (%s of ext4) grown to fill %s/%s;\n"
		       "                %s, DHCP on eth0, a new root password, new ssh host keys\n",
		       n++, p->image_suite, p->image, used, p->vg, p->disk_lv,
		       p->type == GUEST_PV ? "the medium's kernel booted by pygrub"
					   : "dom0's kernel, its modules copied in");
		free(used);
	} else if (p->build.n) {
		char *cmd = strv_join(&p->build, " ");

		printf("  %2d  build     %s\n", n++, cmd);
		free(cmd);
	} else {
		printf("      (the disk is left empty; the guest installs itself from its ISO)\n");
	}
	printf("%s:\n", p->config_path);
	for (const char *l = p->config_text; *l;) {
		size_t k = strcspn(l, "\n");

		printf("  %.*s\n", (int)k, l);
		l += k + (l[k] == '\n');
	}
	free(free_);
	free(disk);
}

static int parse_count(struct tx_report *r, const char *what, const char *v, long lo, long hi,
		       long *out)
{
	char *end;
	long n = strtol(v, &end, 10);

	if (!*v || *end || n < lo || n > hi) {
		tx_error(r, NULL, "%s %s is not a number from %ld to %ld", what, v, lo, hi);
		return -EINVAL;
	}
	*out = n;
	return 0;
}

static int parse_bytes(struct tx_report *r, const char *what, const char *v, uint64_t min,
		       uint64_t *out)
{
	if (parse_size(v, MiB, out) < 0 || *out < min) {
		tx_error(r, NULL, "%s %s is not a size of at least %s; write 8G or 512M", what, v,
			 min >= GiB ? "1G" : "64M");
		return -EINVAL;
	}
	return 0;
}

static int create(struct globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{"template", required_argument, NULL, 't'},
		{"name", required_argument, NULL, 'n'},
		{"size", required_argument, NULL, 's'},
		{"memory", required_argument, NULL, 'm'},
		{"vcpus", required_argument, NULL, 'c'},
		{"iso", required_argument, NULL, 'i'},
		{"mirror", required_argument, NULL, 'u'},
		{"vg", required_argument, NULL, 'g'},
		{"mirrors", required_argument, NULL, 'M'},
		{"bridge", required_argument, NULL, 'b'},
		{"templates", required_argument, NULL, 'T'},
		{"dry-run", no_argument, NULL, 'd'},
		{NULL, 0, NULL, 0},
	};
	struct guest_request q = {0};
	struct guest_host h = {0};
	struct guest_template *t = NULL;
	struct guest_plan *p = NULL;
	const char *tmpl = NULL, *vg = NULL, *mirrors = NULL, *bridge = NULL, *tdir = NULL;
	const char *mirror = NULL;
	bool dry_run = false;
	struct strv dirs = {0};
	char *conf;
	long n;
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			tmpl = optarg;
			break;
		case 'n':
			q.name = optarg;
			break;
		case 's':
			if (parse_bytes(g->report, "--size", optarg, GiB, &q.size) < 0)
				return 2;
			break;
		case 'm':
			if (parse_bytes(g->report, "--memory", optarg, 64 * MiB, &q.memory) < 0)
				return 2;
			break;
		case 'c':
			if (parse_count(g->report, "--vcpus", optarg, 1, 128, &n) < 0)
				return 2;
			q.vcpus = (unsigned)n;
			break;
		case 'i':
			q.iso = optarg;
			break;
		case 'u':
			mirror = optarg;
			break;
		case 'g':
			vg = optarg;
			break;
		case 'M':
			mirrors = optarg;
			break;
		case 'b':
			bridge = optarg;
			break;
		case 'T':
			tdir = optarg;
			break;
		case 'd':
			dry_run = true;
			break;
		default:
			return cli_bad_option(g, argv);
		}
	}
	if (optind < argc || !tmpl || !q.name)
		return cli_usage_error(g, "guest create needs --template NAME and --name NAME%s%s",
				       optind < argc ? ", and takes nothing else; not " : "",
				       optind < argc ? argv[optind] : "");
	rc = templates_dirs(g, tdir, &dirs);
	conf = root_path(g->root, "/etc/tenxen/guests.conf");
	if (!conf)
		tx_error(g->report, NULL, "cannot resolve /etc/tenxen/guests.conf under %s: %s",
			 *g->root ? g->root : "/", strerror(errno));
	if (rc == 0)
		rc = conf ? guest_template_load(&dirs, tmpl, g->report, &t) : -ELOOP;
	if (rc == 0)
		rc = guest_host_load(conf, g->report, &h);
	/* the command line's values pass the checks guests.conf's pass, one set for both */
	{
		const char *const given[][2] = {
			{"vg", vg}, {"mirrors", mirrors}, {"bridge", bridge}, {"mirror", mirror}};

		for (size_t i = 0; rc == 0 && i < ARRAY_SIZE(given); i++) {
			const char *why =
				given[i][1] ? guest_host_set(&h, given[i][0], given[i][1]) : NULL;

			if (why) {
				tx_error(g->report, NULL, "--%s %s: %s", given[i][0], given[i][1],
					 why);
				rc = -EINVAL;
			}
		}
		if (mirror)
			q.mirror = h.mirror;
	}
	if (rc == 0)
		rc = guest_plan_make(t, &h, &q, g->root, g->report, &p);
	if (rc == 0) {
		p->proc = g->proc;
		p->tmp = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : NULL;
		show_plan(p, t->description, dry_run);
		fflush(stdout);
		if (!dry_run)
			rc = guest_apply(p, g->root, g->report);
		if (rc == 0 && !dry_run)
			printf("Guest %s is ready: start it with xl create %s\n", p->name,
			       p->config_path);
	}
	guest_plan_free(p);
	guest_template_free(t);
	guest_host_clear(&h);
	strv_free(&dirs);
	free(conf);
	return rc == 0 ? 0 : 1;
}

/* Each running or paused guest's state letter from xl list ("r-----" and so on), by name;
 * false when xl cannot be asked (not a Xen host, or a host tree under --root). */
static bool xl_states(struct globals *g, struct strv *names, struct strv *states)
{
	const char *argv[] = {"xl", "list", NULL};
	char *out = NULL;

	if (*g->root || run_quiet(g->report, argv, &out) < 0) {
		free(out);
		return false;
	}
	for (char *l = out, *nl; l && *l; l = nl) {
		char name[256], state[16];

		nl = strchr(l, '\n');
		if (nl)
			*nl++ = '\0';
		if (sscanf(l, "%255s %*s %*s %*s %15s", name, state) == 2 && !streq(name, "Name")) {
			strv_push(names, name);
			strv_push(states, state);
		}
	}
	free(out);
	return true;
}

/* xl's flags r b p s c d: a domain shut down is listed paused as well until it goes */
static const char *state_word(const char *s)
{
	return strchr(s, 'c')	? "crashed"
	       : strchr(s, 'd') ? "dying"
	       : strchr(s, 's') ? "shutting down"
	       : strchr(s, 'p') ? "paused"
				: "running";
}

/* A disk as the list shows it: its path, and on this host its size or that it is missing. */
static char *disk_word(struct globals *g, const char *target)
{
	uint64_t bytes = 0;
	int fd;
	char *sz, *w;

	if (*g->root)
		return xstrdup(target);
	fd = open(target, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return xasprintf("%s (missing)", target);
	if (ioctl(fd, BLKGETSIZE64, &bytes) != 0) {
		struct stat st;

		bytes = fstat(fd, &st) == 0 ? (uint64_t)st.st_size : 0;
	}
	close(fd);
	sz = human_size(bytes);
	w = xasprintf("%s (%s)", target, sz);
	free(sz);
	return w;
}

static int list_guests(struct globals *g)
{
	struct guest_info *gs = NULL;
	struct strv names = {0}, states = {0};
	size_t n = 0;
	bool xl;

	if (guest_list_load(g->root, g->report, &gs, &n) < 0)
		return 1;
	xl = xl_states(g, &names, &states);
	printf("%-20s %-4s %8s %5s %-10s %s\n", "GUEST", "TYPE", "MEMORY", "VCPUS", "STATE",
	       "DISKS");
	for (size_t i = 0; i < n; i++) {
		const char *state = "-";
		char mem[32] = "-", vc[16] = "-";
		struct strv dw = {0};
		char *disks;

		for (size_t k = 0; xl && k < names.n; k++)
			if (streq(names.v[k], gs[i].name))
				state = state_word(states.v[k]);
		if (xl && streq(state, "-"))
			state = "stopped";
		if (gs[i].memory)
			snprintf(mem, sizeof(mem), "%llu MiB", (unsigned long long)gs[i].memory);
		if (gs[i].vcpus)
			snprintf(vc, sizeof(vc), "%u", gs[i].vcpus);
		for (size_t k = 0; k < gs[i].disks.n; k++)
			strv_push_owned(&dw, disk_word(g, gs[i].disks.v[k]));
		disks = dw.n ? strv_join(&dw, ", ") : xstrdup("none");
		printf("%-20s %-4s %8s %5s %-10s %s\n", gs[i].name, gs[i].type ? gs[i].type : "-",
		       mem, vc, state, disks);
		free(disks);
		strv_free(&dw);
	}
	if (!n)
		printf("(no guests: /etc/xen holds no *.cfg)\n");
	strv_free(&names);
	strv_free(&states);
	guest_list_free(gs, n);
	return 0;
}

/* guest delete NAME --yes: its volumes and config removed; without --yes, said and refused. */
static int delete_guest(struct globals *g, int argc, char **argv)
{
	static const struct option opts[] = {{"yes", no_argument, NULL, 'y'}, {NULL, 0, NULL, 0}};
	struct guest_info *gs = NULL;
	const struct guest_info *it = NULL;
	size_t n = 0;
	bool yes = false;
	int c, rc;

	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'y')
			return cli_bad_option(g, argv);
		yes = true;
	}
	if (optind != argc - 1)
		return cli_usage_error(g, "guest delete needs the guest's name, and --yes");
	if (guest_list_load(g->root, g->report, &gs, &n) < 0)
		return 1;
	for (size_t i = 0; i < n && !it; i++)
		if (streq(gs[i].name, argv[optind]))
			it = &gs[i];
	if (!it) {
		struct strv names = {0};
		char *all;

		for (size_t i = 0; i < n; i++)
			strv_push(&names, gs[i].name);
		all = names.n ? strv_join(&names, ", ") : xstrdup("none");
		tx_error(g->report, NULL, "there is no guest %s in /etc/xen; the guests are: %s",
			 argv[optind], all);
		free(all);
		strv_free(&names);
		guest_list_free(gs, n);
		return 1;
	}
	if (!yes) {
		char *disks = it->disks.n ? strv_join(&it->disks, ", ") : xstrdup("none");

		tx_error(
			g->report, NULL,
			"guest delete removes %s's volumes (%s) and its config %s, and what they hold is lost: add --yes to do it",
			it->name, disks, it->config);
		free(disks);
		guest_list_free(gs, n);
		return 1;
	}
	{
		struct guest_host h = {0};
		char *conf = root_path(g->root, "/etc/tenxen/guests.conf");
		struct guest_delete_ctx dc = {
			.root = g->root, .proc = g->proc, .guests = gs, .nguests = n};

		rc = conf ? guest_host_load(conf, g->report, &h) : -ELOOP;
		if (!conf)
			tx_error(g->report, NULL,
				 "cannot resolve /etc/tenxen/guests.conf under %s: %s", g->root,
				 strerror(errno));
		dc.vg = h.vg;
		if (rc == 0)
			rc = guest_delete(&dc, it, g->report);
		guest_host_clear(&h);
		free(conf);
	}
	if (rc == 0)
		printf("Guest %s is deleted.\n", it->name);
	guest_list_free(gs, n);
	return rc == 0 ? 0 : 1;
}

int cmd_guest(struct globals *g, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : NULL;

	if (!sub || streq(sub, "list")) {
		if (argc > 2)
			return cli_usage_error(g, "guest list takes nothing more; not %s", argv[2]);
		return list_guests(g);
	}
	if (streq(sub, "templates")) {
		static const struct option opts[] = {{"templates", required_argument, NULL, 'T'},
						     {NULL, 0, NULL, 0}};
		const char *tdir = NULL;
		struct strv dirs = {0};
		int c, rc;

		optind = 0;
		while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
			if (c != 'T')
				return cli_bad_option(g, argv + 1);
			tdir = optarg;
		}
		rc = templates_dirs(g, tdir, &dirs) == 0 ? list_templates(g, &dirs) : 1;
		strv_free(&dirs);
		return rc;
	}
	if (streq(sub, "create")) {
		optind = 0;
		return create(g, argc - 1, argv + 1);
	}
	if (streq(sub, "delete"))
		return delete_guest(g, argc - 1, argv + 1);
	tx_error(g->report, NULL, "guest has no %s; it has list, templates, create and delete",
		 sub);
	return cli_usage(g);
}
