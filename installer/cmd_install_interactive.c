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

#include "../common/atomic.h"
#include "../common/util.h"
#include "../disk/inventory.h"
#include "answers.h"
#include "apply.h"
#include "choices.h"
#include "commands.h"
#include "frontend_newt.h"
#include "plan.h"
#include "spec.h"
#include "target.h"

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
static void console_default(struct globals *g, struct choices *c)
{
	char *path = xasprintf("%s/cmdline", g->proc), *line = read_line_file(path), *p;

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

static void write_finish(struct globals *g, const char *file, const char *what)
{
	if (file) {
		char *t = xasprintf("%s\n", what);

		atomic_write_file(g->report, file, t, strlen(t), 0644, false);
		free(t);
	}
}

int install_interactive(struct globals *g, struct apply_opts *ao, const struct interactive_opts *io)
{
	struct tx_ui quiet = {.message = keep_message}, *saved_ui = (struct tx_ui *)g->report->ui;
	struct strv kept = {0};
	struct machine *m = NULL, *pm = NULL;
	struct choices *c;
	struct spec *s = NULL;
	struct plan *p = NULL;
	char tmp[] = "/tmp/tenxen-answers.XXXXXX";
	char *text = NULL;
	int step = 0, rc, fd;

	rc = load_machine(g, &m);
	if (rc < 0)
		return 1;
	c = choices_new(m);
	console_default(g, c);
	fd = mkstemp(tmp);
	if (fd < 0) {
		fprintf(stderr, "tenxen: error: cannot make a file in /tmp: %s\n", strerror(errno));
		choices_free(c);
		machine_free(m);
		return 1;
	}
	close(fd);
	tui_start();
	quiet.data = &kept;
	for (;;) {
		enum tui_go go = TUI_NEXT;

		switch (step) {
		case 0:
			go = tui_keyboard(c);
			break;
		case 1:
			go = tui_disks(c, m);
			break;
		case 2:
			go = tui_layout(c, m);
			break;
		case 3:
			go = tui_dom0(c, m);
			break;
		case 4:
			go = tui_serial(c);
			break;
		case 5:
			go = tui_network(c, m);
			break;
		case 6:
			go = tui_timezone(c, g->zoneinfo);
			break;
		case 7:
			go = tui_password(c);
			break;
		case 8:
			go = tui_packages(c);
			break;
		}
		if (step < 9) {
			step = go == TUI_BACK ? (step ? step - 1 : 0) : step + 1;
			continue;
		}
		/* the summary: the answers as an answer file, read and planned as any other */
		free(text);
		text = choices_answer_text(c, m);
		plan_free(p);
		machine_free(pm);
		spec_free(s);
		p = NULL, pm = NULL, s = NULL;
		strv_free(&kept);
		g->report->ui = &quiet;
		rc = atomic_write_file(g->report, tmp, text, strlen(text), 0600, false);
		if (rc == 0)
			rc = plan_from_answers(g, tmp, &s, &pm, &p);
		g->report->ui = saved_ui;
		if (rc < 0) {
			char *why = strv_join(&kept, "\n");

			tui_message("The plan was refused", why);
			free(why);
			step = 2;
			continue;
		}
		{
			char *plan_text = NULL;
			size_t len = 0;
			FILE *f = open_memstream(&plan_text, &len);
			enum tui_go answer;

			char *head = choices_summary(c, m), *all;

			plan_print(p, pm, f);
			fclose(f);
			all = xasprintf("%s%s", head, plan_text);
			answer = tui_summary(all);
			free(all);
			free(head);
			free(plan_text);
			if (answer == TUI_BACK) {
				step = 8;
				continue;
			}
		}
		break;
	}
	if (io->save_answers) {
		rc = atomic_write_file(g->report, io->save_answers, text, strlen(text), 0600,
				       false);
		if (rc < 0) {
			tui_message("Cannot save the answers",
				    "The answer file could not be written; the log says why.");
			goto out;
		}
	}
	if (io->dry_run) {
		tui_stop();
		if (io->save_answers)
			printf("tenxen: the answers are in %s; nothing was installed (--dry-run)\n",
			       io->save_answers);
		else
			printf("tenxen: nothing was installed (--dry-run)\n");
		rc = 0;
		goto done;
	}
	{
		struct tx_ui progress;
		const struct target_ctx t = {.payload = ao->payload, .plan = p};

		strv_free(&kept);
		g->report->ui = &quiet;
		rc = target_check_payload(&t, g->report);
		g->report->ui = saved_ui;
		if (rc < 0) {
			char *why = strv_join(&kept, "\n");

			write_finish(g, io->finish_file, tui_failed(why) ? "shell" : "reboot");
			free(why);
			goto out;
		}
		ao->answers_copy = text;
		tui_progress_begin(&progress);
		g->report->ui = &progress;
		rc = apply_plan(p, pm, s, ao, g->report);
		g->report->ui = saved_ui;
		tui_progress_end();
		if (rc == 0) {
			write_finish(
				g, io->finish_file,
				tui_finished(
					"The Xen host is installed. Remove the installation medium; "
					"the host boots from its disks. Its answer file is "
					"/root/tenxen-answers.ks there: give it to tenxen install "
					"--answers to install more hosts the same way.")
					? "shell"
					: "reboot");
		} else {
			char *tail = log_tail(ao->log_path, 14);

			write_finish(g, io->finish_file, tui_failed(tail) ? "shell" : "reboot");
			free(tail);
		}
	}
out:
	tui_stop();
done:
	unlink(tmp);
	strv_free(&kept);
	plan_free(p);
	machine_free(pm);
	spec_free(s);
	choices_free(c);
	machine_free(m);
	free(text);
	return rc == 0 ? 0 : 1;
}
