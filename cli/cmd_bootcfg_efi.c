// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * serial-console and bootcfg on a UEFI host: the same edit on the xen.cfg of every EFI System
 * Partition, each under its lock, written atomically with a backup, so that the ESPs stay
 * identical; or on one xen.cfg given with --config.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bootcfg/esp.h"
#include "bootcfg/xencfg.h"
#include "common/atomic.h"
#include "common/util.h"
#include "cli/bootcfg_cli.h"

/* One xen.cfg, under its edit session (bootcfg/lines.h). */
struct xedit {
	struct cfg_session s;
	struct xencfg *c;
};

static int xedit_open(struct globals *g, const char *path, const char *shown, bool must_exist,
		      bool dry_run, struct xedit *e)
{
	int rc = cfg_session_open(&e->s, path, shown, must_exist, dry_run, g->report);

	if (rc < 0 || !e->s.existed)
		return rc;
	e->c = xencfg_parse(shown, e->s.old, e->s.oldlen, g->report);
	return e->c ? 0 : -EINVAL;
}

static void xedit_close(struct xedit *e)
{
	cfg_session_close(&e->s);
	xencfg_free(e->c);
}

/* The edit itself, on one model. */
static int apply_job(struct globals *g, const struct efi_job *j, struct xencfg *c,
		     const char *kernel, const char *initrd, const char *dir)
{
	int rc = 0;

	switch (j->kind) {
	case EJ_SERIAL:
		return xencfg_set_serial(c, j->serial, g->report);
	case EJ_SET:
		for (int i = 0; i < j->nset && rc == 0; i++)
			rc = xencfg_set_assignment(c, j->set[i], g->report);
		return rc;
	case EJ_REFRESH:
		return kernel ? xencfg_set_files(c, kernel, initrd, dir, g->report) : 0;
	default:
		return 0;
	}
}

/* Write text to one config (or show the diff); says what it did. */
static int put_text(struct globals *g, const struct efi_job *j, struct xedit *e, const char *text,
		    struct efi_result *res)
{
	if (!cfg_session_changes(&e->s, text))
		return 0;
	res->changed = true;
	if (j->dry_run) {
		cli_show_diff(e->s.shown, e->s.old, e->s.oldlen, text, strlen(text));
		strv_push_owned(&res->said, xasprintf("would update %s (dry run: nothing written)",
						      e->s.shown));
		return 0;
	}
	strv_push_owned(&res->said, xasprintf("updated %s (the previous one is %s.tenxen-old)",
					      e->s.shown, e->s.shown));
	return cfg_session_commit(&e->s, text, g->report);
}

static void show(const struct xedit *e, const struct esp *es, int n)
{
	struct serial_console sc = xencfg_get_serial(e->c);
	int d = xencfg_default(e->c), *en;
	size_t ne = xencfg_entries(e->c, &en);

	printf("config:  %s (xen.cfg, read by xen.efi on UEFI)\n", e->s.shown);
	printf("default: %s\n", d >= 0 ? e->c->sections[d] : "(none)");
	if (sc.port >= 0)
		printf("serial:  ttyS%d at %u (Xen com%d)\n", sc.port, sc.speed, sc.port + 1);
	else
		printf("serial:  none\n");
	printf("entries:\n");
	for (size_t i = 0; i < ne; i++) {
		static const char *const keys[] = {"options", "kernel", "ramdisk"};

		printf("  %s\n", e->c->sections[en[i]]);
		for (size_t k = 0; k < ARRAY_SIZE(keys); k++) {
			ssize_t l = xencfg_find(e->c, en[i], keys[k]);

			printf("      %-9s %s\n", keys[k],
			       l >= 0 && *e->c->lines[l].value ? e->c->lines[l].value : "(none)");
		}
	}
	free(en);
	if (n > 0) {
		printf("EFI system partitions:\n");
		for (int i = 0; i < n; i++)
			printf("  %-12s %s\n", es[i].mount,
			       es[i].present ? "holds the config"
					     : "no config (not mounted, or its disk is gone)");
	}
}

/* Read one ESP's config, or (refresh) get a blank one ready to be filled. 0 or -errno. */
static int open_esp(struct globals *g, const struct efi_job *j, const struct esp *e,
		    struct xedit *ed)
{
	char *shown = xasprintf("%s/%s/%s", e->mount, ESP_DIR, ESP_CONFIG);
	int rc = 0;

	if (!e->present && e->blank && j->kind == EJ_REFRESH) {
		/* a new disk's ESP, mounted and empty: refresh fills it like the others */
		rc = xedit_open(g, e->cfg, shown, false, j->dry_run, ed);
		free(shown);
		return rc;
	}
	if (!e->present)
		tx_warn(g->report, NULL,
			"%s holds no %s/%s (is it mounted? is its disk gone?); it was left as it is: once it is back, run tenxen bootcfg refresh to make it the same as the others",
			e->mount, ESP_DIR, ESP_CONFIG);
	else
		rc = xedit_open(g, e->cfg, shown, true, false, ed);
	free(shown);
	return rc;
}

/* One ESP: the files (refresh), the edit (the first), the text written, old kernels pruned. */
static int update_esp(struct globals *g, const struct efi_job *j, struct esp *es, struct xedit *ed,
		      int i, int first, char **text, struct efi_result *res)
{
	char *kernel = NULL, *initrd = NULL;
	int rc = 0;

	if (j->kind == EJ_REFRESH && !(j->dry_run && !ed[i].c))
		rc = esp_sync_files(g->root, &es[i], j->dry_run, &kernel, &initrd, &res->said,
				    g->report);
	if (rc == 0 && i == first) {
		rc = apply_job(g, j, ed[i].c, kernel, initrd, es[i].dir);
		if (rc == 0)
			*text = xencfg_emit(ed[i].c, NULL);
	}
	if (rc == 0 && !ed[i].c)
		strv_push_owned(&res->said, xasprintf("%s was blank; it is filled as %s",
						      es[i].mount, es[first].mount));
	else if (rc == 0 && i != first &&
		 (ed[i].s.oldlen != ed[first].s.oldlen ||
		  memcmp(ed[i].s.old, ed[first].s.old, ed[i].s.oldlen)))
		strv_push_owned(&res->said, xasprintf("%s differed from %s; it is made the same",
						      ed[i].s.shown, ed[first].s.shown));
	if (rc == 0)
		rc = put_text(g, j, &ed[i], *text, res);
	if (rc == 0 && j->kind == EJ_REFRESH) {
		struct xencfg *now = xencfg_parse(ed[i].s.shown, *text, strlen(*text), g->report);

		if (now && !ed[i].c && !j->dry_run)
			rc = esp_copy_named(&es[first], &es[i], now, &res->said, g->report);
		if (now)
			esp_prune(&es[i], now, j->dry_run, &res->said, g->report);
		xencfg_free(now);
	}
	free(kernel);
	free(initrd);
	return rc;
}

/* Every ESP of the host: the first present one is edited; its result goes to every one. */
static int run_esps(struct globals *g, const struct efi_job *j, struct efi_result *res)
{
	struct esp *es = NULL;
	int n = esp_find(g->root, &es, g->report), first = -1, rc = 0;
	struct xedit *ed;
	char *text = NULL;

	if (n <= 0) {
		esp_list_free(es, 0);
		return n < 0 ? n : -ENOENT;
	}
	ed = xzalloc((size_t)n * sizeof(*ed));
	for (int i = 0; i < n; i++)
		ed[i].s.lock = -1;
	for (int i = 0; i < n && rc == 0; i++) {
		rc = open_esp(g, j, &es[i], &ed[i]);
		if (ed[i].c && first < 0) {
			first = i;
			res->before = xencfg_get_serial(ed[i].c);
		}
	}
	if (rc == 0 && first < 0) {
		tx_error(
			g->report, NULL,
			"no EFI system partition of this host holds its xen.cfg; mount them (see /etc/fstab) and try again");
		rc = -ENOENT;
	}
	if (rc == 0 && j->kind == EJ_SHOW) {
		show(&ed[first], es, n);
	} else {
		/* the first present ESP is edited; then its text goes to every other one */
		for (int k = -1; rc == 0 && k < n; k++) {
			int i = k < 0 ? first : k;

			if (k != first && (ed[i].c || ed[i].s.path))
				rc = update_esp(g, j, es, ed, i, first, &text, res);
		}
	}
	free(text);
	for (int i = 0; i < n; i++)
		xedit_close(&ed[i]);
	free(ed);
	esp_list_free(es, (size_t)n);
	return rc;
}

int efi_run(struct globals *g, const struct efi_job *j, struct efi_result *res)
{
	struct xedit e;
	char *text = NULL;
	int rc;

	if (!j->config)
		return run_esps(g, j, res);
	if (j->kind == EJ_REFRESH) {
		tx_error(
			g->report, NULL,
			"bootcfg refresh copies files to the host's EFI system partitions; it takes --root, not --config");
		return -EINVAL;
	}
	rc = xedit_open(g, j->config, j->config, true, false, &e);
	if (rc == 0)
		res->before = xencfg_get_serial(e.c);
	if (rc == 0 && j->kind == EJ_SHOW) {
		show(&e, NULL, 0);
	} else if (rc == 0) {
		rc = apply_job(g, j, e.c, NULL, NULL, NULL);
		if (rc == 0) {
			text = xencfg_emit(e.c, NULL);
			rc = put_text(g, j, &e, text, res);
		}
	}
	free(text);
	xedit_close(&e);
	return rc;
}
