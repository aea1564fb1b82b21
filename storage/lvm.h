/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * LVM through its own program (lvm, argv, no shell), with a configuration that needs no udev,
 * no lvmetad/lvmpolld and no dmeventd, so it works in the installer environment.
 */
#ifndef TENXEN_LVM_H
#define TENXEN_LVM_H

#include "common/report.h"
#include "storage/lvm_alloc.h"

/* The volume a reinstall carries the old root's files in (plan/reinstall.c): never a guest's,
 * never a volume an answer file may name. */
#define LVM_CARRY_LV "tenxen-carryover"

/* LVM's rule for a volume group's or volume's name: letters, digits and + _ . -, at most 127, not
 * starting with '-' (an option), not "." or "..". The answer file, guests.conf and the command
 * line check names with it. */
bool lvm_name_ok(const char *s);

/* lvm SUBCOMMAND ARGS... with Tenxen's configuration. args ends with NULL. */
int lvm_cmd(struct tx_report *r, const char *const args[], char **output);
/* The same, a failure said once as the caller's sentence with lvm's words (run_said). */
int lvm_said(struct tx_report *r, const char *const args[], char **output, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The same for a question (lvs, pvs): a failure is returned, not reported. */
int lvm_query(struct tx_report *r, const char *const args[], char **output);

/* Make each of pvs a physical volume and the group vg of them, in one run. */
int lvm_vgcreate(struct tx_report *r, const char *vg, const char *const pvs[], uint64_t pesize);
int lvm_lvcreate(struct tx_report *r, const char *vg, const char *lv, enum lv_type type,
		 int mirrors, enum mirror_log mlog, bool alloc_anywhere, uint64_t extents);
/* Deactivate a volume group (for a re-run that finds its own half-made one). Quiet when the
 * group is not there. */
int lvm_vg_deactivate(struct tx_report *r, const char *vg);
/* Activate every volume of a group that is kept as it is (a reinstall). */
int lvm_vg_activate(struct tx_report *r, const char *vg);
/* Remove one volume of a group. */
int lvm_lvremove(struct tx_report *r, const char *vg, const char *lv);

#endif
