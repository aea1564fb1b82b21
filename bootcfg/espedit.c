// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One edit on a UEFI host's xen.cfg: on the config of every EFI System Partition, each under its
 * edit session, so that the ESPs stay identical; or on one xen.cfg named alone. Silent: what it
 * does is said in the result, its differences (a dry run) handed back for the caller to show.
 */
#include "bootcfg/espedit.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* One xen.cfg, under its edit session (bootcfg/lines.h). */
struct xedit {
	struct cfg_session s;
	struct xencfg *c;
};

static int xedit_open(const char *path, const char *shown, bool must_exist, bool dry_run,
		      struct xedit *e, struct tx_report *r)
{
	int rc = cfg_session_open(&e->s, path, shown, must_exist, dry_run, r);

	if (rc < 0 || !e->s.existed)
		return rc;
	e->c = xencfg_parse(shown, e->s.old, e->s.oldlen, r);
	return e->c ? 0 : -EINVAL;
}

static void xedit_close(struct xedit *e)
{
	cfg_session_close(&e->s);
	xencfg_free(e->c);
}

/* The edit itself, on one model. */
static int apply_job(const struct esp_job *j, struct xencfg *c, const char *kernel,
		     const char *initrd, const char *dir, struct tx_report *r)
{
	int rc = 0;

	switch (j->kind) {
	case EJ_SERIAL:
		return xencfg_set_serial(c, j->serial, r);
	case EJ_SET:
		for (int i = 0; i < j->nset && rc == 0; i++)
			rc = xencfg_set_assignment(c, j->set[i], r);
		return rc;
	case EJ_REFRESH:
		return kernel ? xencfg_set_files(c, kernel, initrd, dir, r) : 0;
	default:
		return 0;
	}
}

/* Write text to one config (or show the diff); says what it did. */
static int put_text(const struct esp_job *j, struct xedit *e, const char *text,
		    struct esp_result *res, struct tx_report *r)
{
	if (!cfg_session_changes(&e->s, text))
		return 0;
	res->changed = true;
	if (j->dry_run) {
		struct cfg_diff *d = xgrow(&res->diffs, &res->ndiffs, sizeof(*d));

		d->shown = xstrdup(e->s.shown);
		d->old = xstrdup(e->s.old);
		d->text = xstrdup(text);
		strv_push_owned(&res->said, xasprintf("would update %s (dry run: nothing written)",
						      e->s.shown));
		return 0;
	}
	strv_push_owned(&res->said, xasprintf("updated %s (the previous one is %s.tenxen-old)",
					      e->s.shown, e->s.shown));
	return cfg_session_commit(&e->s, text, r);
}

/* Read one ESP's config, or (refresh) get a blank one ready to be filled. 0 or -errno. */
static int open_esp(const struct esp_job *j, const struct esp *e, struct xedit *ed,
		    struct tx_report *r)
{
	char *shown = xasprintf("%s/%s/%s", e->mount, ESP_DIR, ESP_CONFIG);
	int rc = 0;

	if (!e->present && e->blank && j->kind == EJ_REFRESH) {
		/* a new disk's ESP, mounted and empty: refresh fills it like the others */
		rc = xedit_open(e->cfg, shown, false, j->dry_run, ed, r);
		free(shown);
		return rc;
	}
	if (!e->present)
		tx_warn(r, NULL,
			"%s holds no %s/%s (is it mounted? is its disk gone?); it was left as it is: once it is back, run tenxen bootcfg refresh to make it the same as the others",
			e->mount, ESP_DIR, ESP_CONFIG);
	else
		rc = xedit_open(e->cfg, shown, true, false, ed, r);
	free(shown);
	return rc;
}

/* One ESP: the files (refresh), the edit (the first), the text written, old kernels pruned. */
static int update_esp(const struct esp_job *j, struct esp *es, struct xedit *ed, int i, int first,
		      char **text, struct esp_result *res, struct tx_report *r)
{
	char *kernel = NULL, *initrd = NULL;
	int rc = 0;

	if (j->kind == EJ_REFRESH && !(j->dry_run && !ed[i].c))
		rc = esp_sync_files(j->root, &es[i], j->dry_run, &kernel, &initrd, &res->said, r);
	if (rc == 0 && i == first) {
		rc = apply_job(j, ed[i].c, kernel, initrd, es[i].dir, r);
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
		rc = put_text(j, &ed[i], *text, res, r);
	if (rc == 0 && j->kind == EJ_REFRESH) {
		struct xencfg *now = xencfg_parse(ed[i].s.shown, *text, strlen(*text), r);

		if (now && !ed[i].c && !j->dry_run)
			rc = esp_copy_named(&es[first], &es[i], now, &res->said, r);
		if (now)
			esp_prune(&es[i], now, j->dry_run, &res->said, r);
		xencfg_free(now);
	}
	free(kernel);
	free(initrd);
	return rc;
}

/* Every ESP of the host: the first present one is edited; its result goes to every one. */
static int run_esps(const struct esp_job *j, struct esp_result *res, struct tx_report *r)
{
	struct esp *es = NULL;
	int n = esp_find(j->root, &es, r), first = -1, rc = 0;
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
		rc = open_esp(j, &es[i], &ed[i], r);
		if (ed[i].c && first < 0) {
			first = i;
			res->before = xencfg_get_serial(ed[i].c);
		}
	}
	if (rc == 0 && first < 0) {
		tx_error(
			r, NULL,
			"no EFI system partition of this host holds its xen.cfg; mount them (see /etc/fstab) and try again");
		rc = -ENOENT;
	}
	if (rc == 0 && j->kind == EJ_SHOW) {
		res->config = ed[first].c; /* the caller shows it */
		ed[first].c = NULL;
		res->shown = xstrdup(ed[first].s.shown);
		res->esps = es;
		res->nesps = n;
		es = NULL;
	} else {
		/* the first present ESP is edited; then its text goes to every other one */
		for (int k = -1; rc == 0 && k < n; k++) {
			int i = k < 0 ? first : k;

			if (k != first && (ed[i].c || ed[i].s.path))
				rc = update_esp(j, es, ed, i, first, &text, res, r);
		}
	}
	free(text);
	for (int i = 0; i < n; i++)
		xedit_close(&ed[i]);
	free(ed);
	if (es)
		esp_list_free(es, (size_t)n);
	return rc;
}

int esp_edit_run(const struct esp_job *j, struct esp_result *res, struct tx_report *r)
{
	struct xedit e;
	char *text = NULL;
	int rc;

	if (!j->config)
		return run_esps(j, res, r);
	if (j->kind == EJ_REFRESH) {
		tx_error(
			r, NULL,
			"bootcfg refresh copies files to the host's EFI system partitions; it takes --root, not --config");
		return -EINVAL;
	}
	rc = xedit_open(j->config, j->config, true, false, &e, r);
	if (rc == 0)
		res->before = xencfg_get_serial(e.c);
	if (rc == 0 && j->kind == EJ_SHOW) {
		res->config = e.c;
		e.c = NULL;
		res->shown = xstrdup(e.s.shown);
	} else if (rc == 0) {
		rc = apply_job(j, e.c, NULL, NULL, NULL, r);
		if (rc == 0) {
			text = xencfg_emit(e.c, NULL);
			rc = put_text(j, &e, text, res, r);
		}
	}
	free(text);
	xedit_close(&e);
	return rc;
}

void esp_result_clear(struct esp_result *res)
{
	strv_free(&res->said);
	for (size_t i = 0; i < res->ndiffs; i++) {
		free(res->diffs[i].shown);
		free(res->diffs[i].old);
		free(res->diffs[i].text);
	}
	free(res->diffs);
	xencfg_free(res->config);
	free(res->shown);
	if (res->esps)
		esp_list_free(res->esps, (size_t)res->nesps);
	memset(res, 0, sizeof(*res));
}
