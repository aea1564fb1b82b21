/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The installer's screens (newt), for 80x24 terminals: a VGA console (TERM=linux) or a serial
 * line (TERM=vt100). Each screen reads and writes a struct choices and answers next or back; F1
 * shows the screen's help. Checks come from choices.c and are shown on the screen they concern.
 */
#ifndef TENXEN_FRONTEND_NEWT_H
#define TENXEN_FRONTEND_NEWT_H

#include "common/report.h"
#include "ui/choices.h"

enum tui_go { TUI_NEXT, TUI_BACK };

void tui_start(void);
void tui_stop(void);

enum tui_go tui_keyboard(struct choices *c);
enum tui_go tui_disks(struct choices *c, const struct machine *m);
/* When the chosen disks hold a Tenxen host (choices_host_vg): reinstall it keeping its guests,
 * or erase it. Answers next at once, asking nothing, when they hold none. */
enum tui_go tui_existing(struct choices *c, const struct machine *m);
enum tui_go tui_layout(struct choices *c, const struct machine *m);
enum tui_go tui_dom0(struct choices *c, const struct machine *m);
enum tui_go tui_serial(struct choices *c);
enum tui_go tui_network(struct choices *c, const struct machine *m);
enum tui_go tui_timezone(struct choices *c, const char *zoneinfo);
enum tui_go tui_password(struct choices *c);
enum tui_go tui_packages(struct choices *c);
/* The plan in short; the install goes on only when "yes" is typed. */
enum tui_go tui_summary(const char *text, bool reinstall);
/* An error found after the screens (the plan refused): shown, then back. */
void tui_message(const char *title, const char *text);

/* The progress screen: a ui table whose progress callback moves a scale and names the step,
 * and whose messages are kept for the error screen. */
void tui_progress_begin(struct tx_ui *ui);
void tui_progress_end(void);
/* The end: 0 to reboot, 1 to open a shell. */
int tui_finished(const char *text);
int tui_failed(const char *log_tail);

#endif
