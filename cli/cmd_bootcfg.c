// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tenxen serial-console and tenxen bootcfg: change an installed host's boot configuration in
 * place. Every change is locked, written atomically with a backup, and idempotent; --dry-run
 * shows a unified diff and writes nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bootcfg/bootcfg.h"
#include "bootcfg/esp.h"
#include "bootcfg/fresh.h"
#include "bootcfg/host.h"
#include "bootcfg/install.h"
#include "common/atomic.h"
#include "common/rootfs.h"
#include "common/run.h"
#include "common/util.h"
#include "machine/machine.h"
#include "lang/answers.h"
#include "lang/fields.h"
#include "apply/target.h"
#include "cli/bootcfg_cli.h"
#include "cli/commands.h"
#include "plan/pipeline.h"

/* One extlinux.conf, under its edit session (bootcfg/lines.h). */
struct edit {
	struct cfg_session s;
	struct extconf *c;
};

static const char *as_host_sees(struct globals *g, const char *path)
{
	size_t n = strlen(g->root);

	return n && strncmp(path, g->root, n) == 0 ? path + n : path;
}

/* Where extlinux looks for its config, as a list for messages. Caller frees. */
static char *search_paths_text(void)
{
	struct strv sv = {0};
	char *list;

	for (size_t i = 0; bootcfg_search_paths[i]; i++)
		strv_push(&sv, bootcfg_search_paths[i]);
	list = strv_join(&sv, ", ");
	strv_free(&sv);
	return list;
}

static int edit_open(struct globals *g, const char *config, bool must_exist, bool dry_run,
		     struct edit *e)
{
	char *path = config ? xstrdup(config) : bootcfg_find(g->root);
	int rc;

	memset(e, 0, sizeof(*e));
	e->s.lock = -1;
	if (!path) {
		char *list = search_paths_text();

		tx_error(
			g->report, NULL,
			"found no extlinux configuration under %s (looked for %s); give it with --config FILE",
			*g->root ? g->root : "/", list);
		free(list);
		return -ENOENT;
	}
	rc = cfg_session_open(&e->s, path, as_host_sees(g, path), must_exist, dry_run, g->report);
	free(path);
	if (rc < 0 || !e->s.existed)
		return rc;
	e->c = extconf_parse(e->s.shown, e->s.old, e->s.oldlen, g->report);
	return e->c ? 0 : -EINVAL;
}

static void edit_close(struct edit *e)
{
	cfg_session_close(&e->s);
	extconf_free(e->c);
}

/* A unified diff of the change, by diff(1). */
void cli_show_diff(const char *label, const char *a, size_t alen, const char *b, size_t blen)
{
	char fa[] = "/tmp/tenxen-diff-a-XXXXXX", fb[] = "/tmp/tenxen-diff-b-XXXXXX";
	int da = mkstemp(fa), db = mkstemp(fb);
	char *la = xasprintf("a%s", label), *lb = xasprintf("b%s", label);

	if (da >= 0 && db >= 0 && write(da, a, alen) == (ssize_t)alen &&
	    write(db, b, blen) == (ssize_t)blen) {
		const char *argv[] = {"diff", "-u", "--label", la, "--label", lb, fa, fb, NULL};
		struct tx_report quiet = {0};
		char *out = NULL;

		/* diff exits 1 when the files differ, as they do here: its text is the point */
		run_quiet(&quiet, argv, &out);
		fputs(out ? out : "", stdout);
		free(out);
	}
	if (da >= 0) {
		close(da);
		unlink(fa);
	}
	if (db >= 0) {
		close(db);
		unlink(fb);
	}
	free(la);
	free(lb);
}

/* Write the edited config (or show its difference). *changed says whether it differs. */
static int edit_commit(struct globals *g, struct edit *e, const char *text, bool dry_run,
		       bool *changed)
{
	*changed = cfg_session_changes(&e->s, text);
	if (!*changed)
		return 0;
	if (dry_run) {
		cli_show_diff(e->s.shown, e->s.old, e->s.oldlen, text, strlen(text));
		return 0;
	}
	return cfg_session_commit(&e->s, text, g->report);
}

static void say_written(struct edit *e, bool dry_run)
{
	if (dry_run)
		printf("  would update %s (dry run: nothing written)\n", e->s.shown);
	else if (e->s.oldlen)
		printf("  updated %s (the previous one is %s.tenxen-old)\n", e->s.shown,
		       e->s.shown);
	else
		printf("  wrote %s\n", e->s.shown);
}

/* Warn about files the entries name that the host does not hold. */
static void check_boot_files(struct globals *g, const struct edit *e)
{
	char *confdir = dir_of(e->s.shown);

	bootcfg_check_files(e->c, g->root, confdir, g->report);
	free(confdir);
}

/* Which configs a run edits: the one --config names (xen.cfg or extlinux.conf, told apart by
 * their contents), or the host's own: its extlinux.conf, the xen.cfg of its ESPs, or both. */
struct targets {
	bool ext, efi;
	const char *efi_config; /* --config naming a xen.cfg */
};

static int find_targets(struct globals *g, const char *config, struct targets *t)
{
	memset(t, 0, sizeof(*t));
	if (config) {
		char *text = NULL;
		size_t len = 0;

		if (read_text_file(config, &text, &len) == 0 && xencfg_looks_like(text, len)) {
			t->efi = true;
			t->efi_config = config;
		} else {
			t->ext = true;
		}
		free(text);
		return 0;
	}
	{
		char *ext = bootcfg_find(g->root);
		struct esp *es = NULL;
		int n = esp_find(g->root, &es, g->report);

		t->ext = ext != NULL;
		t->efi = n > 0;
		free(ext);
		esp_list_free(es, n > 0 ? (size_t)n : 0);
		if (n < 0)
			return n;
	}
	if (!t->ext && !t->efi) {
		char *list = search_paths_text();

		tx_error(
			g->report, NULL,
			"found no boot configuration under %s: no extlinux configuration (looked for %s) and no EFI system partition holding %s/%s (looked for vfat at /boot/efi* in /etc/fstab, and /boot/efi); give one with --config FILE",
			*g->root ? g->root : "/", list, ESP_DIR, ESP_CONFIG);
		free(list);
		return -ENOENT;
	}
	return 0;
}

int cmd_serial_console(struct globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{"port", required_argument, NULL, 'p'},
		{"speed", required_argument, NULL, 's'},
		{"remove", no_argument, NULL, 'x'},
		{"root", required_argument, NULL, 'R'},
		{"config", required_argument, NULL, 'c'},
		{"dry-run", no_argument, NULL, 'n'},
		{NULL, 0, NULL, 0},
	};
	struct serial_console sc = {0, 115200}, now = {-1, 0};
	const char *config = g->config;
	bool remove = false, dry_run = false, changed = false, port_given = false;
	struct strv host = {0};
	struct esp_result efi = {0};
	struct targets t;
	struct edit e;
	char *text = NULL;
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (!field_serial_port(optarg, false, &sc.port))
				return cli_usage_error(
					g, "--port=%s: use ttyS0, ttyS1, ttyS2 or ttyS3", optarg);
			port_given = true;
			break;
		case 's':
			if (!field_serial_speed(optarg, &sc.speed))
				return cli_usage_error(g, "--speed=%s: use %s", optarg,
						       field_speeds_text);
			break;
		case 'x':
			remove = true;
			break;
		case 'R':
			g->root = optarg;
			break;
		case 'c':
			config = optarg;
			break;
		case 'n':
			dry_run = true;
			break;
		default:
			return cli_bad_option(g, argv);
		}
	}
	if (optind < argc || (remove && port_given))
		return cli_usage_error(
			g, "serial-console takes only options; --remove takes no --port");
	if (!cli_root_ok(g))
		return EXIT_USAGE;
	memset(&e, 0, sizeof(e));
	e.s.lock = -1;
	rc = find_targets(g, config, &t);
	if (rc == 0 && t.ext) {
		rc = edit_open(g, config, true, dry_run, &e);
		if (rc == 0) {
			now = bootcfg_get_serial(e.c);
			rc = bootcfg_set_serial(e.c, remove ? NULL : &sc, g->report);
		}
		if (rc == 0) {
			text = extconf_emit(e.c, NULL);
			rc = edit_commit(g, &e, text, dry_run, &changed);
		}
	}
	if (rc == 0 && t.efi) {
		struct esp_job j = {.kind = EJ_SERIAL,
				    .serial = remove ? NULL : &sc,
				    .dry_run = dry_run,
				    .config = t.efi_config};

		rc = efi_run(g, &j, &efi);
		if (!t.ext)
			now = efi.before;
	}
	if (rc == 0)
		rc = host_serial_login(g->root, !remove, dry_run, &host, g->report);
	if (rc == 0) {
		if (remove)
			printf("serial console %s:\n",
			       changed || efi.changed || host.n ? "removed" : "already off");
		else
			printf("serial console on ttyS%d at %u (Xen com%d, dom0 on hvc0)%s:\n",
			       sc.port, sc.speed, sc.port + 1,
			       now.port >= 0 && (now.port != sc.port || now.speed != sc.speed)
				       ? ", changed from the one the config had"
				       : "");
		if (changed)
			say_written(&e, dry_run);
		for (size_t i = 0; i < efi.said.n; i++)
			printf("  %s\n", efi.said.v[i]);
		for (size_t i = 0; i < host.n; i++)
			printf("  %s%s\n", dry_run ? "would " : "", host.v[i]);
		if (!changed && !efi.changed && !host.n)
			printf("  nothing to change: %s already says so\n",
			       t.ext ? e.s.shown : "the host's xen.cfg");
		if (t.ext)
			check_boot_files(g, &e);
	}
	free(text);
	strv_free(&host);
	esp_result_clear(&efi);
	if (t.ext)
		edit_close(&e);
	return rc == 0 ? 0 : 1;
}

static const char *kind_name(enum entry_kind k)
{
	return k == ENTRY_XEN ? "Xen" : k == ENTRY_LINUX ? "Linux" : "other";
}

static void show_words(const char *title, const struct strv *w, size_t from)
{
	printf("      %-9s", title);
	for (size_t i = from; i < w->n; i++)
		printf(" %s", w->v[i]);
	printf("%s\n", from >= w->n ? " (none)" : "");
}

static int bootcfg_show(struct globals *g, struct edit *e)
{
	struct serial_console sc = bootcfg_get_serial(e->c);
	ssize_t d = extconf_find(e->c, -1, "default"), t = extconf_find(e->c, -1, "timeout");
	struct entry *es = NULL;
	int n = bootcfg_entries(e->c, g->report, &es);

	if (n < 0)
		return n;
	printf("config:  %s\n", e->s.shown);
	printf("default: %s\n", d >= 0 ? e->c->lines[d].arg : "(the first entry)");
	if (t >= 0)
		printf("timeout: %.1f s\n", strtol(e->c->lines[t].arg, NULL, 10) / 10.0);
	if (sc.port >= 0)
		printf("serial:  ttyS%d at %u\n", sc.port, sc.speed);
	else
		printf("serial:  none\n");
	printf("entries:\n");
	for (int i = 0; i < n; i++) {
		const struct entry *en = &es[i];

		printf("  %-12s %s\n", e->c->labels[en->label].name, kind_name(en->kind));
		if (en->kind == ENTRY_XEN) {
			printf("      %-9s %s\n", "xen", en->parts[0].v[0]);
			show_words("options", &en->parts[0], 1);
			printf("      %-9s %s\n", "dom0", en->parts[1].v[0]);
			show_words("options", &en->parts[1], 1);
			for (size_t k = 2; k < en->nparts && k < 3; k++)
				printf("      %-9s %s\n", "module",
				       en->parts[k].n ? en->parts[k].v[0] : "");
		} else if (en->kind == ENTRY_LINUX) {
			printf("      %-9s %s\n", "kernel", e->c->lines[en->kernel_line].arg);
			show_words("options", &en->parts[0], 0);
			if (en->initrd_line >= 0)
				printf("      %-9s %s\n", "initrd",
				       e->c->lines[en->initrd_line].arg);
		}
	}
	entries_free(es, (size_t)n);
	check_boot_files(g, e);
	return 0;
}

static int bootcfg_set(struct globals *g, struct edit *e, int argc, char **argv)
{
	if (argc == 0) {
		tx_error(
			g->report, NULL,
			"bootcfg set needs KEY=VALUE: dom0_mem=2G,max:2G, xen-append=\"OPTIONS\", vpmu=MODE or default=LABEL");
		return -EINVAL;
	}
	for (int i = 0; i < argc; i++) {
		int rc = bootcfg_set_assignment(e->c, argv[i], g->report);

		if (rc < 0)
			return rc;
	}
	return 0;
}

/* A fresh config from an answer file, for a host whose /boot is under --root. */
static char *bootcfg_new_text(struct globals *g, const char *answers)
{
	struct spec *s = NULL;
	struct machine *m = NULL;
	char *boot = xasprintf("%s/boot", g->root), *text = NULL, *mem = NULL;
	struct op_boot *e = NULL;
	struct pipeline pl;

	cli_pipeline(g, &pl);
	if (answers_parse_file(answers, 0, g->report, &s) < 0 || spec_validate(s, g->report) < 0)
		goto out;
	if (s->xen.mem.is_auto && pipeline_machine(&pl, &m) < 0)
		goto out;
	mem = spec_dom0_mem_arg(s, m ? m->memory : 0, NULL);
	e = op_boot_of(s, mem, "/");
	text = target_extlinux_text(e, boot, g->report);
out:
	free(boot);
	free(mem);
	op_boot_free(e);
	machine_free(m);
	spec_free(s);
	return text;
}

/* bootcfg install --boot DIR --disk DEV[:N]...: extlinux and boot code on every boot disk. */
static int bootcfg_install(struct globals *g, const char *boot, const struct strv *disks,
			   const char *syslinux)
{
	struct boot_disk *bd = xzalloc((disks->n + 1) * sizeof(*bd));
	struct syslinux_files f;
	char *mbr = NULL, *mods = NULL;
	int rc = 0;

	syslinux_files_default(&f);
	if (syslinux) {
		f.mbr_dir = mbr = xasprintf("%s/mbr", syslinux);
		f.modules_dir = mods = xasprintf("%s/modules/bios", syslinux);
	}
	for (size_t i = 0; i < disks->n && rc == 0; i++) {
		char *colon = strrchr(disks->v[i], ':');

		bd[i].disk = disks->v[i];
		if (colon && colon[1] && strspn(colon + 1, "0123456789") == strlen(colon + 1)) {
			*colon = '\0';
			bd[i].partno = atoi(colon + 1);
		} else {
			rc = bootloader_find_partition(g->proc, g->sys, boot, bd[i].disk,
						       &bd[i].partno, g->report);
		}
	}
	if (rc == 0)
		rc = bootloader_install(boot, bd, disks->n, &f, g->report);
	free(bd);
	free(mbr);
	free(mods);
	return rc;
}

/* What bootcfg show, set, refresh and new were asked. */
struct bootcfg_args {
	const char *sub, *config, *answers;
	bool dry_run, quiet, force;
};

/* show, set, refresh or new on the extlinux config, under its lock; written atomically. */
static int ext_edit(struct globals *g, const struct bootcfg_args *a, int nset, char **set)
{
	const char *config = a->config;
	char *text = NULL, *path = NULL;
	bool changed = false;
	struct edit e;
	int rc;

	if (streq(a->sub, "new") && !config) {
		config = path = root_path(g->root, "/boot/extlinux/extlinux.conf");
		if (!path) {
			tx_error(g->report, NULL,
				 "cannot resolve /boot/extlinux/extlinux.conf under %s: %s",
				 g->root, strerror(errno));
			return 1;
		}
	}
	rc = edit_open(g, config, !streq(a->sub, "new"), a->dry_run, &e);
	free(path);
	if (rc == 0 && streq(a->sub, "show")) {
		rc = bootcfg_show(g, &e);
		edit_close(&e);
		return rc == 0 ? 0 : 1;
	}
	if (rc == 0 && streq(a->sub, "new")) {
		if (e.s.oldlen && !a->force) {
			tx_error(
				g->report, NULL,
				"%s exists; bootcfg new writes a whole new config: add --force to replace it (the old one is kept as %s.tenxen-old)",
				e.s.shown, e.s.shown);
			rc = -EEXIST;
		} else {
			text = bootcfg_new_text(g, a->answers);
			rc = text ? 0 : -EINVAL;
		}
	} else if (rc == 0) {
		if (streq(a->sub, "set")) {
			rc = bootcfg_set(g, &e, nset, set);
		} else {
			char *confdir = dir_of(e.s.shown);

			rc = bootcfg_refresh(e.c, g->root, confdir, g->report);
			free(confdir);
		}
		if (rc == 0)
			text = extconf_emit(e.c, NULL);
	}
	if (rc == 0)
		rc = edit_commit(g, &e, text, a->dry_run, &changed);
	if (rc == 0 && !(a->quiet && !changed)) {
		printf("bootcfg %s:\n", a->sub);
		if (changed)
			say_written(&e, a->dry_run);
		else
			printf("  nothing to change in %s\n", e.s.shown);
	}
	if (rc == 0 && !a->quiet && e.c)
		check_boot_files(g, &e);
	free(text);
	edit_close(&e);
	return rc == 0 ? 0 : 1;
}

/* show, set or refresh on the xen.cfg of every ESP (or the one --config names). */
static int efi_edit(struct globals *g, const struct bootcfg_args *a, const struct targets *t,
		    int nset, char **set)
{
	struct esp_job j = {.kind = streq(a->sub, "show")  ? EJ_SHOW
				    : streq(a->sub, "set") ? EJ_SET
							   : EJ_REFRESH,
			    .nset = nset,
			    .set = set,
			    .dry_run = a->dry_run,
			    .config = t->efi_config};
	struct esp_result res = {0};
	int rc;

	if (j.kind == EJ_SET && nset == 0) {
		tx_error(
			g->report, NULL,
			"bootcfg set needs KEY=VALUE: dom0_mem=2G,max:2G, xen-append=\"OPTIONS\", vpmu=MODE or default=SECTION");
		return 1;
	}
	rc = efi_run(g, &j, &res);
	if (rc == 0 && j.kind != EJ_SHOW && !(a->quiet && !res.changed && !res.said.n)) {
		printf("bootcfg %s:\n", a->sub);
		for (size_t i = 0; i < res.said.n; i++)
			printf("  %s\n", res.said.v[i]);
		if (!res.said.n)
			printf("  nothing to change in the host's xen.cfg\n");
	}
	esp_result_clear(&res);
	return rc == 0 ? 0 : 1;
}

/* bootcfg show, set, refresh or new on every config the host boots with. */
static int bootcfg_edit(struct globals *g, const struct bootcfg_args *a, int nset, char **set)
{
	struct targets t;
	int rc = 0;

	if (streq(a->sub, "new"))
		return ext_edit(g, a, nset, set);
	if (find_targets(g, a->config, &t) < 0)
		return 1;
	if (t.ext)
		rc = ext_edit(g, a, nset, set);
	if (rc == 0 && t.efi)
		rc = efi_edit(g, a, &t, nset, set);
	return rc;
}

int cmd_bootcfg(struct globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{"root", required_argument, NULL, 'R'},
		{"config", required_argument, NULL, 'c'},
		{"dry-run", no_argument, NULL, 'n'},
		{"quiet", no_argument, NULL, 'q'},
		{"answers", required_argument, NULL, 'a'},
		{"machine", required_argument, NULL, 'm'},
		{"force", no_argument, NULL, 'f'},
		{"boot", required_argument, NULL, 'b'},
		{"disk", required_argument, NULL, 'd'},
		{"syslinux", required_argument, NULL, 's'},
		{NULL, 0, NULL, 0},
	};
	static const char *const subs[] = {"show", "set", "refresh", "new", "install"};
	const char *boot = NULL, *syslinux = NULL;
	struct strv disks = {0};
	struct bootcfg_args a = {.config = g->config};
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'R':
			g->root = optarg;
			break;
		case 'c':
			a.config = optarg;
			break;
		case 'n':
			a.dry_run = true;
			break;
		case 'q':
			a.quiet = true;
			break;
		case 'a':
			a.answers = optarg;
			break;
		case 'm':
			g->machine = optarg;
			break;
		case 'f':
			a.force = true;
			break;
		case 'b':
			boot = optarg;
			break;
		case 'd':
			strv_push(&disks, optarg);
			break;
		case 's':
			syslinux = optarg;
			break;
		default:
			strv_free(&disks);
			return cli_bad_option(g, argv);
		}
	}
	if (!cli_root_ok(g)) {
		strv_free(&disks);
		return EXIT_USAGE;
	}
	if (optind >= argc)
		goto usage;
	a.sub = argv[optind++];
	if (streq(a.sub, "install")) {
		if (!boot || !disks.n || optind < argc) {
			strv_free(&disks);
			return cli_usage_error(
				g,
				"bootcfg install needs --boot DIR (the mounted /boot) and --disk DEV for each boot disk");
		}
		rc = bootcfg_install(g, boot, &disks, syslinux);
		strv_free(&disks);
		return rc == 0 ? 0 : 1;
	}
	strv_free(&disks);
	if (!streq(a.sub, "show") && !streq(a.sub, "set") && !streq(a.sub, "refresh") &&
	    !streq(a.sub, "new")) {
		const char *d = did_you_mean(a.sub, subs, ARRAY_SIZE(subs));

		return cli_usage_error(
			g, "bootcfg has no %s%s%s%s; it has show, set, refresh, new and install",
			a.sub, d ? " (did you mean " : "", d ? d : "", d ? "?)" : "");
	}
	if (!streq(a.sub, "set") && optind < argc)
		return cli_usage(g);
	if (streq(a.sub, "new") && !a.answers)
		return cli_usage_error(g, "bootcfg new needs --answers FILE");
	return bootcfg_edit(g, &a, argc - optind, argv + optind);
usage:
	strv_free(&disks);
	return cli_usage(g);
}
