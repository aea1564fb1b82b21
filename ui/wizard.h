/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tenxen install --interactive: the newt screens, then the same pipeline and apply as a file. */
#ifndef TENXEN_WIZARD_H
#define TENXEN_WIZARD_H

#include <stdbool.h>

#include "apply/apply.h"
#include "plan/pipeline.h"

struct interactive_opts {
	bool dry_run;
	const char *save_answers; /* write the answer file here (0600) */
	const char *finish_file;  /* "reboot" or "shell", for the installer's /init */
};

/* Returns the process exit status: 0 installed (or saved with dry_run), 1 otherwise. */
int install_interactive(const struct pipeline *pl, struct apply_opts *ao,
			const struct interactive_opts *io);

#endif
