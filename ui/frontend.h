/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Frontends fill the core's callback table. The text frontend (serial consoles, unattended runs,
 * the command line) prints compiler-style lines: FILE:LINE: error: what; how to fix it.
 */
#ifndef TENXEN_FRONTEND_H
#define TENXEN_FRONTEND_H

#include <stdio.h>

#include "common/report.h"

struct text_frontend {
	FILE *out;
	enum tx_level min_level;
};

/* A ui table printing to tf->out; tf must outlive the table's use. */
void text_frontend_init(struct tx_ui *ui, struct text_frontend *tf);

#endif
