// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/events.h"
#include "common/json.h"
#include "machine/machine.h"
#include "net/post.h"
#include "plan/plan.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { TAIL_LINES = 20 };

struct install_events {
	const char *url;
	struct tx_report *r;
	const struct tx_ui *inner; /* the frontend's, put back by events_free */
	struct tx_ui ui;
	struct strv lines;
	struct strv tail; /* the last TAIL_LINES messages */
	struct strv macs; /* the machine's cards */
	bool said;	  /* a failed post was said */
	bool posting;	  /* in post(): a message it makes is not an event */
};

static void post(struct install_events *e, json_object *o)
{
	char host[256] = "", err[256] = "", *text;

	gethostname(host, sizeof(host) - 1);
	json_object_object_add(o, "time", json_object_new_int64((int64_t)time(NULL)));
	json_put_str(o, "host", host);
	if (e->macs.n) {
		json_object *a = json_object_new_array();

		for (size_t i = 0; i < e->macs.n; i++)
			json_object_array_add(a, json_object_new_string(e->macs.v[i]));
		json_object_object_add(o, "macs", a);
	}
	text = xstrdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
								 JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	strv_push(&e->lines, text);
	if (e->url && post_json(e->url, text, err, sizeof(err)) < 0 && !e->said) {
		e->said = true;
		e->posting = true;
		tx_warn(e->r, NULL,
			"cannot report the install's progress to %s: %s; the install goes on, and the events are kept in /var/log/tenxen/events.jsonl",
			e->url, err);
		e->posting = false;
	}
	free(text);
}

static void on_message(void *data, enum tx_level level, const struct tx_loc *loc, const char *text)
{
	struct install_events *e = data;
	static const char *const names[] = {"debug", "info", "warning", "error"};

	if (e->inner && e->inner->message)
		e->inner->message(e->inner->data, level, loc, text);
	if (e->posting)
		return;
	if (loc)
		strv_push_owned(&e->tail, xasprintf("%s:%d: %s: %s", loc->file, loc->line,
						    names[level], text));
	else
		strv_push_owned(&e->tail, xasprintf("%s: %s", names[level], text));
	if (e->tail.n > TAIL_LINES) {
		free(e->tail.v[0]);
		memmove(e->tail.v, e->tail.v + 1, (e->tail.n - 1) * sizeof(char *));
		e->tail.v[--e->tail.n] = NULL;
	}
}

static void on_progress(void *data, unsigned step, unsigned nsteps, const char *what)
{
	struct install_events *e = data;
	json_object *o = json_object_new_object();

	if (e->inner && e->inner->progress)
		e->inner->progress(e->inner->data, step, nsteps, what);
	json_put_str(o, "event", "progress");
	json_object_object_add(o, "step", json_object_new_int((int)step));
	json_object_object_add(o, "steps", json_object_new_int((int)nsteps));
	json_put_str(o, "what", what);
	post(e, o);
}

struct install_events *events_new(const char *url, struct tx_report *r)
{
	struct install_events *e = xzalloc(sizeof(*e));

	e->url = url;
	e->r = r;
	e->inner = r->ui;
	e->ui = (struct tx_ui){.message = on_message, .progress = on_progress, .data = e};
	r->ui = &e->ui;
	return e;
}

void events_free(struct install_events *e)
{
	if (!e)
		return;
	e->r->ui = e->inner;
	strv_free(&e->lines);
	strv_free(&e->tail);
	strv_free(&e->macs);
	free(e);
}

void events_identify(struct install_events *e, const struct machine *m)
{
	for (size_t i = 0; m && i < m->nnics; i++)
		if (m->nics[i].mac)
			strv_push(&e->macs, m->nics[i].mac);
}

void events_start(struct install_events *e, const char *answers)
{
	json_object *o = json_object_new_object();

	json_put_str(o, "event", "start");
	json_put_str(o, "answers", answers);
	json_put_str(o, "version", TENXEN_VERSION);
	post(e, o);
}

void events_done(struct install_events *e, double seconds)
{
	json_object *o = json_object_new_object();

	json_put_str(o, "event", "done");
	json_object_object_add(o, "seconds", json_object_new_double(seconds));
	post(e, o);
}

void events_failed(struct install_events *e, const struct plan *p, const struct machine *m)
{
	json_object *o = json_object_new_object(), *tail = json_object_new_array();

	json_put_str(o, "event", "failed");
	for (size_t i = 0; i < e->tail.n; i++)
		json_object_array_add(tail, json_object_new_string(e->tail.v[i]));
	json_object_object_add(o, "log_tail", tail);
	if (p && m) {
		char *text = plan_to_json(p, m);
		json_object *plan = json_tokener_parse(text);

		if (plan)
			json_object_object_add(o, "plan", plan);
		free(text);
	}
	post(e, o);
}

const struct strv *events_lines(const struct install_events *e)
{
	return &e->lines;
}
