// SPDX-License-Identifier: GPL-2.0-or-later
#include "common/report.h"
#include "common/util.h"

#include <stdlib.h>

void tx_vmsg(struct tx_report *r, enum tx_level level, const struct tx_loc *loc, const char *fmt,
	     va_list ap)
{
	char *text;

	if (level == TX_ERROR)
		r->errors++;
	else if (level == TX_WARNING)
		r->warnings++;
	if ((!r->ui || !r->ui->message) && !r->log)
		return;
	text = xvasprintf(fmt, ap);
	if (r->log) {
		static const char *const names[] = {"debug", "info", "warning", "error"};

		fprintf(r->log, "%s: %s\n", names[level], text);
		fflush(r->log);
	}
	if (r->ui && r->ui->message)
		r->ui->message(r->ui->data, level, loc && loc->file ? loc : NULL, text);
	free(text);
}

void tx_msg(struct tx_report *r, enum tx_level level, const struct tx_loc *loc, const char *fmt,
	    ...)
{
	va_list ap;

	va_start(ap, fmt);
	tx_vmsg(r, level, loc, fmt, ap);
	va_end(ap);
}
