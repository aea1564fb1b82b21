/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The parts of an installed host's serial console outside extlinux.conf: a login on hvc0
 * (systemd's serial-getty, or a line in /etc/inittab on a sysvinit host) and /etc/securetty.
 */
#ifndef TENXEN_HOST_H
#define TENXEN_HOST_H

#include <stdbool.h>

#include "common/report.h"
#include "common/util.h"

/*
 * Enable (or disable) the hvc0 login under root. Each change made (or, with dry_run, that would
 * be made) is added to changes as a sentence. Returns 0 or a negative errno.
 */
int host_serial_login(const char *root, bool enable, bool dry_run, struct strv *changes,
		      struct tx_report *r);

#endif
