// SPDX-License-Identifier: GPL-2.0-or-later
#include "ui/frontend.h"

static void text_message(void *data, enum tx_level level, const struct tx_loc *loc,
			 const char *text)
{
	struct text_frontend *tf = data;
	const char *what = level == TX_ERROR ? "error" : level == TX_WARNING ? "warning" : "note";

	if (level < tf->min_level)
		return;
	if (loc && loc->line > 0)
		fprintf(tf->out, "%s:%d: %s: %s\n", loc->file, loc->line, what, text);
	else if (loc)
		fprintf(tf->out, "%s: %s: %s\n", loc->file, what, text);
	else
		fprintf(tf->out, "tenxen: %s: %s\n", what, text);
	fflush(tf->out);
}

static void text_progress(void *data, unsigned step, unsigned nsteps, const char *what)
{
	struct text_frontend *tf = data;

	fprintf(tf->out, "[%u/%u] %s\n", step, nsteps, what);
	fflush(tf->out);
}

void text_frontend_init(struct tx_ui *ui, struct text_frontend *tf)
{
	ui->message = text_message;
	ui->progress = text_progress;
	ui->data = tf;
}
