/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The spec: parsed, validated answers. Both frontends (answer file, newt) produce one, and it can
 * always be written back out as an answer file (spec_write_canonical).
 *
 * Ownership: a spec owns every string in it; spec_free() releases it all (NULL safe). Every
 * struct tx_loc in it points at a file name owned by spec->files.
 */
#ifndef TENXEN_SPEC_H
#define TENXEN_SPEC_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "common/report.h"
#include "common/util.h"
#include "bootcfg/xenopts.h"
#include "storage/layout.h"
#include "storage/lvm_alloc.h"

#define SPEC_VERSION 1

struct spec_disk {
	char *alias;
	char *path;	   /* --path=/dev/sda */
	char *by_id;	   /* --by-id=ata-... (name under /dev/disk/by-id) */
	char *serial;	   /* --serial= */
	char *wwn;	   /* --wwn= */
	char *model;	   /* --model= (substring, case-insensitive) */
	uint64_t min_size; /* --min-size= in bytes; 0 unset */
	struct tx_loc loc;
};

/* A name used somewhere (a disk alias in clearpart, ignoredisk, --disks=), with its place. */
struct spec_ref {
	char *name;
	struct tx_loc loc;
};

/* The firmware an answer file asks for: auto is the one the installer was booted with. */
enum spec_firmware { SPEC_FIRMWARE_AUTO, SPEC_FIRMWARE_BIOS, SPEC_FIRMWARE_UEFI };

/* "auto", "bios" or "uefi" */
const char *spec_firmware_name(enum spec_firmware f);

struct spec_bootloader {
	bool given;
	enum spec_firmware firmware;
	struct tx_loc firmware_loc;
	struct strv disks; /* aliases */
	enum label_type label;
	int timeout; /* seconds */
	struct tx_loc loc;
};

struct spec_bootpart {
	bool given;
	bool useexisting; /* reformat the /boot partitions already on its disks (a reinstall) */
	uint64_t size;
	struct strv disks;
	char *fstype;
	struct tx_loc loc;
};

struct spec_volgroup {
	char *name;
	struct strv disks;
	bool useexisting; /* keep the group found on its disks, with every volume not named */
	uint64_t pesize;
	struct tx_loc loc;
};

enum size_kind { SIZE_BYTES, SIZE_PCT_FREE, SIZE_PCT_VG };

struct spec_logvol {
	char *mount; /* "/", "/var", "swap" or "-" */
	char *vg;
	char *name;
	enum size_kind size_kind;
	uint64_t size; /* bytes, or percent */
	char *fstype;  /* "ext4", "xfs", "swap", "none" */
	enum lv_type type;
	int mirrors; /* extra legs: 0 for linear */
	enum mirror_log mlog;
	bool useexisting; /* the volume of that name in a kept group, reformatted where it is */
	struct tx_loc loc;
};

/* preserve VG/PATTERN: volumes of a kept group that must exist and are never written. */
struct spec_preserve {
	char *vg;
	char *pattern; /* a volume's name, or a shell pattern such as guest-* */
	struct tx_loc loc;
};

/* carryover: files of the old root brought into the new one by a reinstall. */
struct spec_carry {
	bool given;
	bool none;  /* carryover --none */
	char *from; /* VG/LV of the old root; NULL: the root volume kept with --useexisting */
	struct strv paths; /* absolute; shell patterns in their last part */
	struct tx_loc loc;
};

/* What a reinstall carries over when the file does not say: the host's ssh identity, its
 * guests' Xen configs and Tenxen's list of guests. */
extern const char *const spec_carry_defaults[];
extern const size_t spec_ncarry_defaults;

struct spec_xen {
	struct dom0_mem mem;
	int vcpus_min, vcpus_max; /* 0 unset */
	char *append;		  /* Xen's own options */
	char *dom0_append;	  /* dom0's kernel options */
	struct tx_loc loc;
	char *vpmu; /* Xen's vpmu= from "profiler --vpmu": on, bts, ipc, arch; NULL when off */
	struct tx_loc vpmu_loc;
};

enum console_kind { CONSOLE_VGA, CONSOLE_SERIAL };

struct spec_console {
	enum console_kind kind;
	int port; /* 0..3 for ttyS0..ttyS3 */
	unsigned speed;
	struct tx_loc loc;
};

struct spec_network {
	char *device; /* a name, or "mac:52:54:..."; NULL for the first wired NIC; a bond's name */
	struct strv slaves;    /* a bond's cards (names or "mac:..."); empty: one card */
	char *bond_mode;       /* "active-backup" or "802.3ad" with slaves, else NULL */
	struct strv bond_opts; /* a bond's other options as "key=value", checked, in order */
	int vlan;	       /* the host's address on this VLAN tag; 0: untagged */
	int bridge_vlan;       /* the guests' bridge on this VLAN tag; 0: untagged */
	bool name_only; /* only --hostname, beside lines for cards: names the host, no card */
	bool dhcp;
	char *ip;
	int prefix; /* -1 unset */
	char *gateway;
	struct strv nameservers;
	char *hostname;
	struct tx_loc loc;
};

struct spec_sshkey {
	char *user;
	char *key;
	struct tx_loc loc;
};

enum script_kind { SCRIPT_PRE, SCRIPT_POST };

struct spec_script {
	enum script_kind kind;
	bool nochroot;
	bool erroronfail;
	char *interpreter;
	char *body;
	struct tx_loc loc;
};

/* An %include of a file that does not exist yet, in a file with a %pre script that can write it:
 * read once %pre has run (kickstart's habit for per-host partitioning). */
struct spec_include_wait {
	char *path;  /* as the %include line gives it */
	char *where; /* where it was looked for (relative to the including file) */
	struct tx_loc loc;
};

enum finish_action { FINISH_REBOOT, FINISH_POWEROFF, FINISH_SHELL };

/* Debian's own mirror and security archive: the host's apt sources unless mirror says else. */
#define SPEC_DEFAULT_MIRROR   "http://deb.debian.org/debian"
#define SPEC_DEFAULT_SECURITY "http://security.debian.org/debian-security"

/*
 * How the installed host keeps itself up: where apt finds the release, its fixes and its
 * security fixes (mirror), its time servers (timesource), and whether it installs security
 * fixes by itself (updates). The install itself needs no network for any of it.
 */
struct spec_upkeep {
	char *mirror;	 /* NULL: SPEC_DEFAULT_MIRROR */
	char *security;	 /* NULL: SPEC_DEFAULT_SECURITY; "none": no -security suite */
	bool no_updates; /* mirror --no-updates: no RELEASE-updates suite */
	struct tx_loc mirror_loc;
	struct strv ntp; /* timesource --ntp-server: empty for the release's own pool */
	bool ntp_off;	 /* timesource --ntp-disable: no time sync at all */
	struct tx_loc ntp_loc;
	bool automatic; /* updates --automatic: unattended-upgrades installs security fixes */
	struct tx_loc updates_loc;
};

struct spec {
	struct strv files; /* every file read, for tx_loc */
	int version;

	struct spec_disk *disks;
	size_t ndisks;
	struct spec_ref *clear; /* clearpart: permission to destroy what is on these disks */
	size_t nclear;
	struct spec_ref *ignore; /* ignoredisk: never touched, never used */
	size_t nignore;
	struct spec_bootloader bootloader;
	struct spec_bootpart boot;
	struct spec_volgroup *vgs;
	size_t nvgs;
	struct spec_logvol *lvs;
	size_t nlvs;
	struct spec_preserve *preserve;
	size_t npreserve;
	struct spec_carry carry;
	struct spec_xen xen;
	struct spec_console console;
	struct spec_network *nets;
	size_t nnets;
	char *timezone;
	bool tz_utc;
	struct tx_loc tz_loc;
	char *kbd_layout, *kbd_variant, *kbd_model;
	struct tx_loc kbd_loc;
	char *rootpw_hash; /* crypt(3) hash; never the plain text */
	bool rootpw_lock;
	struct tx_loc rootpw_loc;
	struct spec_sshkey *sshkeys;
	size_t nsshkeys;
	struct spec_upkeep upkeep;
	struct strv groups;   /* package sets, without '@' */
	struct strv packages; /* extra Debian packages */
	struct spec_script *scripts;
	size_t nscripts;
	enum finish_action finish;
	bool finish_given;
	struct tx_loc finish_loc;
	struct tx_loc end_loc;	  /* the top file's last line, for what is missing altogether */
	unsigned parse_errors;	  /* errors the reader reported */
	unsigned kickstart_hints; /* of them, kickstart's spellings met with Tenxen's form */
	struct spec_include_wait *waits; /* %include files that %pre is to write */
	size_t nwaits;
	bool pre_done; /* read again after the %pre scripts ran: the plan does not run them again */
};

struct spec *spec_new(void); /* with defaults; caller frees with spec_free */
void spec_free(struct spec *s);

/* The known package sets. */
extern const char *const spec_package_groups[];
extern const size_t spec_npackage_groups;

struct spec_disk *spec_find_disk(const struct spec *s, const char *alias);
bool spec_disk_cleared(const struct spec *s, const char *alias);
bool spec_disk_ignored(const struct spec *s, const char *alias);
struct spec_volgroup *spec_find_vg(const struct spec *s, const char *name);
const struct spec_logvol *spec_root_lv(const struct spec *s);
/* The file reinstalls over a kept volume group (volgroup --useexisting). */
bool spec_reinstall(const struct spec *s);
/*
 * The volume carryover reads from, as "VG/LV": --from, else the root volume kept with
 * --useexisting; NULL when there is none or carryover --none (nothing is carried). Caller frees.
 */
char *spec_carry_from(const struct spec *s);
/*
 * Where guests go on the installed host (/etc/tenxen/guests.conf): the root's volume group, with
 * as many extra copies as the root has, on the first network's bridge (NULL without network).
 */
void spec_guests(const struct spec *s, const char **vg, int *mirrors, const char **bridge);

/*
 * Meaning checks that need no machine: aliases defined and used, volume groups and their legs,
 * mount points, a root, /boot and the bootloader agreeing. Fills the defaults that depend on
 * other lines (the bootloader's disks). Reports each problem at its line; returns 0 or -EINVAL.
 */
int spec_validate(struct spec *s, struct tx_report *r);

/* The time zone exists under zoneinfo_dir (a warning when that folder is missing). */
int spec_check_timezone(const struct spec *s, const char *zoneinfo_dir, struct tx_report *r);

/* A size as the answer file writes it: "512M", "20G", "1536K". Caller frees. */
char *spec_size_word(uint64_t bytes);

const char *lv_type_name(enum lv_type t);
const char *mirror_log_name(enum mirror_log m);
const char *finish_name(enum finish_action f);

/* Xen's "dom0_mem=" value for the spec, with RAM used when mem_auto. Caller frees. */
char *spec_dom0_mem_arg(const struct spec *s, uint64_t ram, uint64_t *dom0_bytes);

#endif
