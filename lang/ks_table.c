// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The answer-file language's commands: each with its arguments, its options and its handler, in
 * the order docs/answer-file.md lists them (lang/answers.c reads a line against this table).
 */
#include "common/util.h"
#include "lang/reader.h"

static const struct opt_def no_opts[] = {{NULL, FLAG}};
static const struct opt_def disk_opts[] = {{"path", VALUE}, {"by-id", VALUE}, {"serial", VALUE},
					   {"wwn", VALUE},  {"model", VALUE}, {"min-size", VALUE},
					   {NULL, FLAG}};
static const struct opt_def bootloader_opts[] = {
	{"disks", VALUE}, {"label", VALUE}, {"timeout", VALUE}, {"firmware", VALUE}, {NULL, FLAG}};
static const struct opt_def part_opts[] = {
	{"size", VALUE}, {"disks", VALUE}, {"fstype", VALUE}, {"useexisting", FLAG}, {NULL, FLAG}};
static const struct opt_def volgroup_opts[] = {
	{"disks", VALUE}, {"pesize", VALUE}, {"useexisting", FLAG}, {NULL, FLAG}};
static const struct opt_def logvol_opts[] = {
	{"vg", VALUE},	      {"name", VALUE},	     {"size", VALUE},
	{"fstype", VALUE},    {"type", VALUE},	     {"mirrors", VALUE},
	{"mirrorlog", VALUE}, {"useexisting", FLAG}, {NULL, FLAG}};
static const struct opt_def carryover_opts[] = {{"from", VALUE}, {"none", FLAG}, {NULL, FLAG}};
static const struct opt_def xen_opts[] = {{"dom0-mem", VALUE},
					  {"dom0-max-vcpus", VALUE},
					  {"append", VALUE},
					  {"dom0-append", VALUE},
					  {NULL, FLAG}};
static const struct opt_def profiler_opts[] = {{"vpmu", VALUE}, {NULL, FLAG}};
static const struct opt_def console_opts[] = {{"port", VALUE}, {"speed", VALUE}, {NULL, FLAG}};
static const struct opt_def network_opts[] = {
	{"device", VALUE},   {"bootproto", VALUE},  {"ip", VALUE},	    {"netmask", VALUE},
	{"gateway", VALUE},  {"nameserver", VALUE}, {"hostname", VALUE},    {"bondslaves", VALUE},
	{"bondopts", VALUE}, {"vlanid", VALUE},	    {"bridge-vlan", VALUE}, {NULL, FLAG}};
static const struct opt_def timezone_opts[] = {{"utc", FLAG}, {"localtime", FLAG}, {NULL, FLAG}};
static const struct opt_def keyboard_opts[] = {{"variant", VALUE}, {"model", VALUE}, {NULL, FLAG}};
static const struct opt_def rootpw_opts[] = {
	{"iscrypted", FLAG}, {"plaintext", FLAG}, {"lock", FLAG}, {NULL, FLAG}};
static const struct opt_def sshkey_opts[] = {{"username", VALUE}, {NULL, FLAG}};
static const struct opt_def mirror_opts[] = {
	{"security", VALUE}, {"no-updates", FLAG}, {NULL, FLAG}};
static const struct opt_def timesource_opts[] = {
	{"ntp-server", VALUE}, {"ntp-disable", FLAG}, {NULL, FLAG}};
static const struct opt_def updates_opts[] = {{"automatic", FLAG}, {"manual", FLAG}, {NULL, FLAG}};

const struct cmd_def ks_commands[] = {
	{"disk", 1, 1, "a name for the disk", disk_opts, ks_cmd_disk, false},
	{"clearpart", 1, -1, "the disks to erase, as a,b", no_opts, ks_cmd_clearpart, false},
	{"ignoredisk", 1, -1, "the disks to leave alone, as c", no_opts, ks_cmd_ignoredisk, false},
	{"bootloader", 0, 1, "extlinux, or nothing", bootloader_opts, ks_cmd_bootloader, false},
	{"part", 1, 1, "/boot", part_opts, ks_cmd_part, false},
	{"volgroup", 1, 1, "the volume group's name", volgroup_opts, ks_cmd_volgroup, false},
	{"logvol", 1, 1, "a mount point, swap or -", logvol_opts, ks_cmd_logvol, false},
	{"preserve", 1, -1, "volumes to keep, as vg0/guest-*", no_opts, ks_cmd_preserve, false},
	{"carryover", 0, -1, "files of the old root, as /etc/xen", carryover_opts, ks_cmd_carryover,
	 false},
	{"xen", 0, 0, "nothing", xen_opts, ks_cmd_xen, false},
	{"profiler", 0, 0, "nothing", profiler_opts, ks_cmd_profiler, false},
	{"console", 1, 1, "serial or vga", console_opts, ks_cmd_console, false},
	{"network", 0, 0, "nothing", network_opts, ks_cmd_network, false},
	{"timezone", 1, 1, "a time zone such as Europe/Berlin", timezone_opts, ks_cmd_timezone,
	 false},
	{"keyboard", 1, 1, "a layout such as us", keyboard_opts, ks_cmd_keyboard, false},
	{"rootpw", 0, 1, "the hash or password", rootpw_opts, ks_cmd_rootpw, true},
	{"sshkey", 1, 1, "one quoted public key", sshkey_opts, ks_cmd_sshkey, false},
	{"mirror", 1, 1, "a Debian mirror, such as http://deb.debian.org/debian", mirror_opts,
	 ks_cmd_mirror, false},
	{"timesource", 0, 0, "nothing", timesource_opts, ks_cmd_timesource, false},
	{"updates", 0, 0, "nothing", updates_opts, ks_cmd_updates, false},
	{"packages", 1, -1, "package sets such as @profiler, or package names", no_opts,
	 ks_cmd_packages, false},
	{"reboot", 0, 0, "nothing", no_opts, ks_cmd_finish, false},
	{"poweroff", 0, 0, "nothing", no_opts, ks_cmd_finish, false},
	{"shell", 0, 0, "nothing", no_opts, ks_cmd_finish, false},
};

const size_t ks_ncommands = ARRAY_SIZE(ks_commands);
