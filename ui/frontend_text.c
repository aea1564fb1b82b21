// SPDX-License-Identifier: GPL-2.0-or-later
#include "ui/frontend.h"

/* text with every control character but newline and tab written as an escape (\r, \xNN):
 * what a file or a value holds (an escape sequence, a carriage return) never reaches the
 * terminal raw. A command's output, quoted in a message, keeps its lines. */
static void put_printable(FILE *out, const char *text)
{
	for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
		if (*c == '\n' || *c == '\t')
			fputc(*c, out);
		else if (*c == '\r')
			fputs("\\r", out);
		else if (*c < 0x20 || *c == 0x7f)
			fprintf(out, "\\x%02x", *c);
		else
			fputc(*c, out);
	}
}

static void text_message(void *data, enum tx_level level, const struct tx_loc *loc,
			 const char *text)
{
	struct text_frontend *tf = data;
	const char *what = level == TX_ERROR ? "error" : level == TX_WARNING ? "warning" : "note";

	if (level < tf->min_level)
		return;
	if (loc && loc->line > 0) {
		put_printable(tf->out, loc->file);
		fprintf(tf->out, ":%d: %s: ", loc->line, what);
	} else if (loc) {
		put_printable(tf->out, loc->file);
		fprintf(tf->out, ": %s: ", what);
	} else {
		fprintf(tf->out, "tenxen: %s: ", what);
	}
	put_printable(tf->out, text);
	fputc('\n', tf->out);
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
