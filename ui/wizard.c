// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tenxen install --interactive: the screens in order, each with Back; then the answers become an
 * answer file, which the same reader and planner as an unattended install turn into the plan.
 * The summary shows that plan and needs "yes"; then the install runs on a progress screen.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/atomic.h"
#include "common/util.h"
#include "machine/machine.h"
#include "apply/apply.h"
#include "ui/choices.h"
#include "ui/frontend_newt.h"
#include "plan/pipeline.h"
#include "ui/wizard.h"
#include "lang/spec.h"
#include "apply/target.h"

/* Messages of the reader and planner, kept to show on a screen. */
static void keep_message(void *data, enum tx_level level, const struct tx_loc *loc,
			 const char *text)
{
	struct strv *kept = data;

	(void)loc;
	if (level >= TX_WARNING)
		strv_push_owned(kept,
				xasprintf("%s: %s", level == TX_ERROR ? "Error" : "Warning", text));
}

/* A serial console the installer itself runs on (console=ttyS0,115200) is the default. */
static void console_default(const char *proc, struct choices *c)
{
	char *path = xasprintf("%s/cmdline", proc), *line = read_line_file(path), *p;

	for (p = line; p && (p = strstr(p, "console=ttyS")); p++) {
		int port = p[12] - '0';

		if (port >= 0 && port <= 3) {
			c->serial_port = port;
			c->serial_speed = p[13] == ',' ? (unsigned)atoi(p + 14) : 9600;
			if (!c->serial_speed)
				c->serial_speed = 115200;
		}
	}
	free(line);
	free(path);
}

static char *log_tail(const char *path, int lines)
{
	char *text = NULL;
	size_t len = 0, start;
	int n = 0;

	if (!path || read_file(path, &text, &len) < 0 || !len) {
		free(text);
		return xstrdup("(no log)");
	}
	start = len;
	while (start > 0 && n <= lines)
		if (text[--start] == '\n')
			n++;
	{
		char *out = xstrdup(text + start + (text[start] == '\n'));

		free(text);
		return out;
	}
}

static void write_finish(struct tx_report *r, const char *file, const char *what)
{
	if (file) {
		char *t = xasprintf("%s\n", what);

		atomic_write_file(r, file, t, strlen(t), 0644, false);
		free(t);
	}
}

/* What one run of the screens holds. */
struct wizard {
	const struct pipeline *pl;
	struct tx_report *r;
	struct choices *c;
	struct machine *m;	/* the machine the screens show */
	struct strv kept;	/* the reader's and planner's messages, for a screen */
	struct tx_ui quiet;	/* keeps them instead of printing */
	const struct tx_ui *ui; /* the frontend's own */
	char *tmp;		/* the answers, written to be read back; NULL until made */
	char *text;		/* the answer file of the choices */
	struct spec *s;		/* the answers as read back, */
	struct machine *pm;	/* the machine as planned for, */
	struct plan *p;		/* and the plan */
};

/* The screens in their order; Back goes to the one before. A screen that has nothing to ask
 * (no Tenxen host on the chosen disks; the layout of a host reinstalled as it is) is passed in
 * the direction the person was going. */
static enum tui_go ask(struct wizard *w, int step, bool backwards)
{
	bool host = choices_host_vg(w->c, w->m) != NULL;

	if (!host)
		w->c->reinstall = false;
	switch (step) {
	case 0:
		return tui_keyboard(w->c);
	case 1:
		return tui_disks(w->c, w->m);
	case 2:
		if (!host)
			return backwards ? TUI_BACK : TUI_NEXT;
		return tui_existing(w->c, w->m);
	case 3:
		if (w->c->reinstall)
			return backwards ? TUI_BACK : TUI_NEXT;
		return tui_layout(w->c, w->m);
	case 4:
		return tui_dom0(w->c, w->m);
	case 5:
		return tui_serial(w->c);
	case 6:
		return tui_network(w->c, w->m);
	case 7:
		return tui_timezone(w->c, w->pl->zoneinfo);
	case 8:
		return tui_password(w->c);
	default:
		return tui_packages(w->c);
	}
}
#define WIZARD_SCREENS 10

/* The choices as an answer file, read and planned as any other. Returns 0 or -errno; on a
 * refusal the screen says why. */
static int plan_choices(struct wizard *w)
{
	int rc;

	free(w->text);
	w->text = choices_answer_text(w->c, w->m);
	plan_free(w->p);
	machine_free(w->pm);
	spec_free(w->s);
	w->p = NULL, w->pm = NULL, w->s = NULL;
	strv_free(&w->kept);
	w->r->ui = &w->quiet;
	rc = atomic_write_file(w->r, w->tmp, w->text, strlen(w->text), 0600, false);
	if (rc == 0)
		rc = pipeline_plan(w->pl, w->tmp, &w->s, &w->pm, &w->p);
	w->r->ui = w->ui;
	if (rc < 0) {
		char *why = strv_join(&w->kept, "\n");

		tui_message("The plan was refused", why);
		free(why);
	}
	return rc;
}

/* The summary: what the choices say and the plan. Returns TUI_NEXT to install. */
static enum tui_go summary(struct wizard *w)
{
	char *plan_text = NULL, *head = choices_summary(w->c, w->m), *all;
	size_t len = 0;
	FILE *f = open_memstream(&plan_text, &len);
	enum tui_go answer;

	plan_print(w->p, w->pm, f);
	fclose(f);
	all = xasprintf("%s%s", head, plan_text);
	answer = tui_summary(all, w->c->reinstall);
	free(all);
	free(head);
	free(plan_text);
	return answer;
}

/* Every screen, then the summary, until a plan is accepted. */
static void ask_until_planned(struct wizard *w)
{
	int step = 0;
	bool backwards = false;

	for (;;) {
		if (step < WIZARD_SCREENS) {
			enum tui_go go = ask(w, step, backwards);

			backwards = go == TUI_BACK;
			step = backwards ? (step ? step - 1 : 0) : step + 1;
			continue;
		}
		backwards = false;
		if (plan_choices(w) < 0)
			step = w->c->reinstall
				       ? 2
				       : 3; /* the storage is what a refused plan most often needs */
		else if (summary(w) == TUI_BACK)
			step = WIZARD_SCREENS - 1;
		else
			return;
	}
}

/* The payload checked, then the plan applied with a progress screen. Returns 0 or -errno. */
static int install(struct wizard *w, struct apply_opts *ao, const struct interactive_opts *io)
{
	const struct target_ctx t = {.payload = ao->payload, .remote = ao->remote, .plan = w->p};
	struct tx_ui progress;
	int rc;

	strv_free(&w->kept);
	w->r->ui = &w->quiet;
	rc = target_check_payload(&t, w->r);
	w->r->ui = w->ui;
	if (rc < 0) {
		char *why = strv_join(&w->kept, "\n");

		write_finish(w->r, io->finish_file, tui_failed(why) ? "shell" : "reboot");
		free(why);
		return rc;
	}
	ao->answers_copy = w->text;
	tui_progress_begin(&progress);
	w->r->ui = &progress;
	rc = apply_plan(w->p, ao, w->r);
	w->r->ui = w->ui;
	tui_progress_end();
	if (rc == 0) {
		write_finish(
			w->r, io->finish_file,
			tui_finished("The Xen host is installed. Remove the installation medium; "
				     "the host boots from its disks. Its answer file is "
				     "/root/tenxen-answers.ks there: give it to tenxen install "
				     "--answers to install more hosts the same way.")
				? "shell"
				: "reboot");
	} else {
		char *tail = log_tail(ao->log_path, 14);

		write_finish(w->r, io->finish_file, tui_failed(tail) ? "shell" : "reboot");
		free(tail);
	}
	return rc;
}

static void wizard_free(struct wizard *w)
{
	if (w->tmp)
		unlink(w->tmp);
	free(w->tmp);
	strv_free(&w->kept);
	plan_free(w->p);
	machine_free(w->pm);
	spec_free(w->s);
	choices_free(w->c);
	machine_free(w->m);
	free(w->text);
}

int install_interactive(const struct pipeline *pl, struct apply_opts *ao,
			const struct interactive_opts *io)
{
	struct wizard w = {.pl = pl, .r = pl->report, .ui = pl->report->ui};
	int rc, fd;

	w.quiet = (struct tx_ui){.message = keep_message, .data = &w.kept};
	rc = pipeline_machine(pl, &w.m);
	if (rc < 0)
		return 1;
	w.c = choices_new(w.m);
	console_default(pl->probe.proc, w.c);
	w.tmp = xasprintf("%s/tenxen-answers.XXXXXX", ao->tmp ? ao->tmp : "/tmp");
	fd = mkstemp(w.tmp);
	if (fd < 0) {
		tx_error(w.r, NULL, "cannot make a file in %s: %s", w.tmp, strerror(errno));
		free(w.tmp);
		w.tmp = NULL;
		wizard_free(&w);
		return 1;
	}
	close(fd);
	tui_start();
	ask_until_planned(&w);
	if (io->save_answers) {
		rc = atomic_write_file(w.r, io->save_answers, w.text, strlen(w.text), 0600, false);
		if (rc < 0)
			tui_message("Cannot save the answers",
				    "The answer file could not be written; the log says why.");
	}
	if (rc == 0 && io->dry_run) {
		tui_stop();
		if (io->save_answers)
			printf("tenxen: the answers are in %s; nothing was installed (--dry-run)\n",
			       io->save_answers);
		else
			printf("tenxen: nothing was installed (--dry-run)\n");
		wizard_free(&w);
		return 0;
	}
	if (rc == 0)
		rc = install(&w, ao, io);
	tui_stop();
	wizard_free(&w);
	return rc == 0 ? 0 : 1;
}
