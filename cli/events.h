/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * An install's events, as curtin's reporting webhook has them: start, one per step (progress),
 * then done or failed (with the end of the log and the plan), each a JSON object posted to a URL
 * (install --report URL, the kernel's tenxen.report=) and kept for the host's install record
 * (/var/log/tenxen/events.jsonl). A report that cannot be posted never stops the install; the
 * first such failure is said once. Each event names the machine by its cards' MAC addresses.
 */
#ifndef TENXEN_EVENTS_H
#define TENXEN_EVENTS_H

#include "common/report.h"
#include "common/util.h"

struct plan;
struct machine;

/* Events of the run reporting through r: r's frontend is wrapped (its messages and progress go
 * on as before) until events_free. url may be NULL: events are then only kept. Caller frees. */
struct install_events *events_new(const char *url, struct tx_report *r);
void events_free(struct install_events *e); /* puts r's frontend back; NULL-safe */

/* Which machine the events are of: its cards' MAC addresses go in every event. */
void events_identify(struct install_events *e, const struct machine *m);
void events_start(struct install_events *e, const char *answers);
void events_done(struct install_events *e, double seconds);
/* p and m may be NULL (refused before a plan existed) */
void events_failed(struct install_events *e, const struct plan *p, const struct machine *m);
/* every event so far, one JSON object a line (not owned) */
const struct strv *events_lines(const struct install_events *e);

#endif
