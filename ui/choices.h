/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a person answers on the installer's screens, checked as they go, and written out as an
 * answer file. The screens (frontend_newt.c) only draw and read; everything here is silent, so
 * the interactive installer and an answer file meet in the same reader and planner: the
 * interactive run makes exactly the spec its saved answer file makes.
 */
#ifndef TENXEN_CHOICES_H
#define TENXEN_CHOICES_H

#include <stdbool.h>
#include <stddef.h>

#include "common/util.h"
#include "machine/machine.h"

enum layout {
	LAYOUT_SINGLE,	    /* one disk (or several, linear) */
	LAYOUT_MIRROR_CORE, /* LVM mirror, log in memory */
	LAYOUT_MIRROR_DISK, /* LVM mirror, log on disk */
	LAYOUT_RAID1,	    /* LVM raid1 */
};

/* c->nic for a bond of every card of the machine (offered when it has two or more). */
#define CHOICE_BOND (-2)

struct choices {
	char *keyboard;
	bool *disk_on; /* one per machine disk */
	size_t ndisks;
	enum layout layout;
	char *root_size, *swap_size; /* as typed: "20G" */
	char *guest_size;	     /* a volume for guests, or "" to leave the space free */
	char *dom0_mem;		     /* "auto" or Xen's form */
	int serial_port;	     /* -1: VGA only; 0..3: ttyS0..ttyS3 */
	unsigned serial_speed;
	int nic;    /* index into the machine's cards; -1: no network; CHOICE_BOND: all, bonded */
	char *vlan; /* the host's address on this VLAN tag, or "" for untagged */
	bool dhcp;
	char *ip, *netmask, *gateway, *dns, *hostname;
	char *tz_region, *tz_city; /* "Europe", "Paris"; "UTC" has no city */
	char *pw_hash;		   /* set by choices_set_password */
	bool profiler, guest_templates;
	char *vpmu;	/* "off", "on", "bts", "ipc", "arch" */
	bool reinstall; /* keep the Tenxen host's volume group on the chosen disks (choices_host_vg) */
};

/* Defaults for this machine (no disk chosen: that is always the person's act). Caller frees. */
struct choices *choices_new(const struct machine *m);
void choices_free(struct choices *c); /* NULL-safe */
/* Replace *field with a copy of value. */
void choices_set(char **field, const char *value);

/*
 * The checks of each screen: NULL when the answers hold, else a sentence saying what to fix
 * (caller frees).
 */
char *choices_check_disks(const struct choices *c, const struct machine *m);
char *choices_check_storage(const struct choices *c, const struct machine *m);
char *choices_check_dom0(const struct choices *c, const struct machine *m);
char *choices_check_network(const struct choices *c, const struct machine *m);
/* Hash the password (yescrypt) into c->pw_hash when both entries agree. */
char *choices_set_password(struct choices *c, const char *pw, const char *again);

/*
 * The volume group of a Tenxen host on exactly the chosen disks, or NULL: a group read whole
 * from them (every PV there, each chosen disk holding one), with a root volume, on disks whose
 * /boot partition is named as Tenxen names it ("boot"). Not owned by the caller.
 */
const struct machine_vg *choices_host_vg(const struct choices *c, const struct machine *m);
/* The host's volumes as a phrase ("guest-a 1 GiB, guest-b 512 MiB"), root and swap left out;
 * "none" when it has no others. Caller frees. */
char *choices_host_volumes(const struct machine_vg *mv);

/* The dom0 memory "auto" gives on this machine, as Xen's form ("1433M,max:1433M"). */
char *choices_dom0_auto(const struct machine *m);
/* The summary's head: the disks erased, each by its stable id and what it holds, the disks left
 * alone, and the settings in a few lines (caller frees). */
char *choices_summary(const struct choices *c, const struct machine *m);
/* The answer file of these choices (caller frees). */
char *choices_answer_text(const struct choices *c, const struct machine *m);

/* Time zone regions and the cities of one, from a zoneinfo folder, sorted. 0 or -errno. */
int tz_regions(const char *zoneinfo, struct strv *out);
int tz_cities(const char *zoneinfo, const char *region, struct strv *out);

#endif
