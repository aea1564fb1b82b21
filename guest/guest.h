/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Guests from templates: "tenxen guest templates" and "tenxen guest create".
 *
 * Plan, show, apply, as for an install: guest_plan_make() checks everything (the template, the
 * name, the free space of the guest volume group) and renders the xl config without changing
 * anything; guest_apply() then makes the logical volumes, writes the config and lets xen-tools
 * build the root, and removes what it made when a step fails.
 */
#ifndef TENXEN_GUEST_H
#define TENXEN_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/report.h"
#include "common/util.h"

enum guest_type { GUEST_PVH, GUEST_PV, GUEST_HVM };

struct guest_template {
	char *name; /* the file name without .tmpl */
	char *description;
	enum guest_type type;
	bool xen_tools;		     /* builder = xen-tools; else the disk is left empty */
	char *dist;		     /* xen-tools' --dist */
	uint64_t size, swap, memory; /* bytes; swap 0 for none */
	unsigned vcpus;
};

/*
 * Templates are looked for in a list of folders, the first that has NAME.tmpl wins: the host's
 * own in /etc/tenxen/templates over the package's in /usr/share/tenxen/templates, both under
 * root ("" for /), then the program's own share/tenxen/templates beside its bin/ or sbin/ (for
 * make install with another PREFIX), when it exists. guest_template_dirs() fills dirs with
 * them; caller frees with strv_free. 0 or -errno (said).
 */
int guest_template_dirs(const char *root, struct tx_report *r, struct strv *dirs);
/* Read NAME.tmpl from the first of dirs that has it. Returns 0, -ENOENT (reported, with the
 * names there are) or -EINVAL. */
int guest_template_load(const struct strv *dirs, const char *name, struct tx_report *r,
			struct guest_template **out);
void guest_template_free(struct guest_template *t); /* NULL-safe */
/* The names of the templates in dirs, each once, sorted (caller frees with strv_free). 0, or
 * -errno when no folder of dirs could be read. */
int guest_template_names(const struct strv *dirs, struct strv *out);
const char *guest_type_name(enum guest_type t);

/* Where guests go on this host: /etc/tenxen/guests.conf, written by the install. */
struct guest_host {
	char *vg;     /* the guest volume group */
	int mirrors;  /* 0: linear; 1 and more: raid1 with that many extra copies */
	char *bridge; /* the bridge guests join, or NULL for no network */
	char *mirror; /* a Debian mirror for Debian guests' roots; NULL: made offline */
};

/*
 * Set one of guests.conf's settings (vg, mirrors, bridge, mirror) from its text, checked for the
 * program it reaches (lvm, the vif's spec, xen-tools): NULL when set, else a sentence (static)
 * saying what the value is not, and h is left as it was. guests.conf and the command line's
 * --vg, --mirrors, --bridge and --mirror all go through it.
 */
const char *guest_host_set(struct guest_host *h, const char *key, const char *value);
/* Read path (missing is not an error: all fields stay unset). 0 or -EINVAL (reported). */
int guest_host_load(const char *path, struct tx_report *r, struct guest_host *h);
void guest_host_clear(struct guest_host *h);
/* The file's text for these settings (caller frees). */
char *guest_host_text(const struct guest_host *h);

/* What the user asked for; 0 and NULL mean "the template's". */
struct guest_request {
	const char *name;
	uint64_t size, memory;
	unsigned vcpus;
	const char *iso;    /* for HVM templates */
	const char *mirror; /* a Debian mirror for xen-tools; NULL: guests.conf's, or offline */
};

/*
 * Where the install keeps the medium's dom0 root for guests made offline (as the host sees it):
 * root.img.zst and root.img.map (the ext4 image and its map, storage/image.h), boot/ (the
 * kernel, initrd, config and System.map of the same root, unpacked) and release (the medium's "Tenxen VERSION, Debian
 * SUITE").
 */
#define GUEST_ROOT_DIR "/var/lib/tenxen/guest-root"

struct guest_image {
	char *dir;	     /* GUEST_ROOT_DIR under the root */
	char *suite;	     /* bookworm */
	uint64_t size, used; /* the filesystem's size (the least a disk holds), its used bytes */
};

/* The host's root for guests made offline, checked whole; 0 with *out (caller frees with
 * guest_image_free), or -ENOENT / -EINVAL having said what is missing and what to do. */
int guest_image_load(const char *root, struct tx_report *r, struct guest_image **out);
void guest_image_free(struct guest_image *img); /* NULL-safe */

struct guest_plan {
	char *name, *template_name, *vg;
	char *disk_lv, *swap_lv; /* names in vg; swap_lv NULL for none */
	const char *proc;	 /* where the mount table is read; NULL for /proc */
	const char *tmp;	 /* where its temporary folders go; NULL for /tmp */
	uint64_t disk_bytes, swap_bytes;
	int mirrors;
	char *config_path; /* as the host sees it: /etc/xen/NAME.cfg */
	char *config_text; /* the xl config */
	struct strv build; /* the xen-tools command, empty when the template builds nothing */
	uint64_t vg_free;  /* bytes free in the volume group before */
	enum guest_type type;
	const char *root_vdev; /* the root disk as the guest sees it: xvda2 (after swap) or xvda1 */
	char *cmdline;	       /* the guest kernel's command line (PV and PVH) */
	/* a root made offline from the host's image: GUEST_ROOT_DIR, the suite and the image's
	 * size; NULL when xen-tools builds it or there is none */
	char *image, *image_suite;
	uint64_t image_bytes;
};

/*
 * Check the request against the template, the host's files under root ("" for /) and the
 * volume group (through the lvm program), and render the config. Nothing is changed. Returns 0
 * with *out set (caller frees with guest_plan_free), or a negative errno having reported why.
 */
int guest_plan_make(const struct guest_template *t, const struct guest_host *h,
		    const struct guest_request *q, const char *root, struct tx_report *r,
		    struct guest_plan **out);
void guest_plan_free(struct guest_plan *p); /* NULL-safe */
/* The xl config of a guest (caller frees); disk paths are /dev/VG/LV. */
char *guest_render(const struct guest_template *t, const struct guest_plan *p,
		   const struct guest_host *h, const struct guest_request *q);

/*
 * Carry the plan out under root: the logical volumes, the config (atomically), then the root
 * (made offline from the host's image, or built by xen-tools). On failure, what was made is
 * removed again. 0 or a negative errno.
 */
int guest_apply(const struct guest_plan *p, const char *root, struct tx_report *r);

/*
 * The offline root of p (p->image set) onto its volumes, whose devices are /dev/VG/LV (under a
 * --root tree, inside it, where a test's files stand for them): the image written and grown,
 * the swap made, then inside it the host name, fstab, DHCP on eth0, pygrub's menu (PV) or
 * dom0's kernel modules (PVH), the dom0-only services masked, a new root password (into
 * *password, caller frees; NULL on failure), the host's root's ssh keys and new ssh host keys.
 * 0 or a negative errno, said.
 */
int guest_build_offline(const struct guest_plan *p, const char *root, struct tx_report *r,
			char **password);

/* A guest as its xl config in /etc/xen says (guest_list_load). */
struct guest_info {
	char *name;	   /* name = "..." in the config, else the file's name */
	char *config;	   /* the config's path, as the host sees it */
	char *type;	   /* "pv", "pvh", "hvm", or NULL */
	uint64_t memory;   /* MiB, 0 unset */
	unsigned vcpus;	   /* 0 unset */
	struct strv disks; /* each disk's target (/dev/vg0/guest-a, an ISO...) */
};

/*
 * Every guest config (*.cfg) of /etc/xen under root ("" for /), sorted by name: each read as a
 * file (no FIFO, device or link out of root is followed; past 64 KiB one is refused), each
 * unreadable one said and skipped. 0 with *out, *n (caller frees with guest_list_free), or
 * -errno when /etc/xen cannot be listed (a host with no guests has it empty).
 */
int guest_list_load(const char *root, struct tx_report *r, struct guest_info **out, size_t *n);
/* One config's text (NUL-terminated) into g's name, type, memory, vCPUs and disks; the name is
 * the file's (less .cfg) when the text has none. g->config is left to the caller. */
void guest_info_read(const char *text, const char *file_name, struct guest_info *g);
void guest_list_free(struct guest_info *g, size_t n);

/* What guest_delete judges a guest's disks by. */
struct guest_delete_ctx {
	const char *root;		 /* "" for / */
	const char *proc;		 /* where mounts and swaps are read; NULL for /proc */
	const char *vg;			 /* the guests' volume group (guests.conf); NULL: none */
	const struct guest_info *guests; /* every guest of the host, the one deleted among them */
	size_t nguests;
};

/* "/dev/VG/LV" or "/dev/mapper/VG-LV" as "VG/LV", both names ones lvm takes (not an option, no
 * path); NULL for anything else. Caller frees. */
char *guest_volume_of(const char *target);

/*
 * Delete a guest of the host under c->root: its config's disks are judged first, and only a
 * plain volume of the guests' group (c->vg) that the host does not use (its fstab, what is
 * mounted or swapped on, the volumes its install made, the reinstall's carry volume) and no
 * other guest's config names is removed; a file (an ISO) is left, and said. When any disk is
 * refused, each refusal is said and nothing is removed (-EPERM). Then the volumes go, then the
 * config, so that a failed removal leaves the config to try again with. Refused while xl lists
 * the guest running (root ""). 0 or -errno, said.
 */
int guest_delete(const struct guest_delete_ctx *c, const struct guest_info *g, struct tx_report *r);

#endif
