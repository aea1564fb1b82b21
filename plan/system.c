// SPDX-License-Identifier: GPL-2.0-or-later
/* The operations after storage: the root, fstab, the host's settings, the bootloader, package
 * sets and guests; and the network cards the answers name. */
#include "plan/builder.h"
#include "bootcfg/esp.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void plan_firmware(struct builder *b)
{
	const struct spec_bootloader *bl = &b->s->bootloader;
	const struct machine *m = b->m;
	const struct tx_loc *at = bl->firmware_loc.file ? &bl->firmware_loc : &bl->loc;
	struct plan *p = b->p;

	p->firmware = bl->firmware == SPEC_FIRMWARE_UEFI   ? FIRMWARE_UEFI
		      : bl->firmware == SPEC_FIRMWARE_BIOS ? FIRMWARE_BIOS
							   : m->firmware;
	if (!at->file)
		at = &b->s->end_loc;
	if (p->firmware == FIRMWARE_UEFI && m->firmware == FIRMWARE_BIOS)
		tx_error(
			b->r, at,
			"--firmware=uefi, but this machine booted the installer from BIOS (%s), so Tenxen can neither see nor set its UEFI boot entries: boot the installer with UEFI, or write --firmware=auto",
			streq(m->source, "probe") ? "its firmware shows no EFI" : m->source);
	if (p->firmware == FIRMWARE_BIOS && m->firmware == FIRMWARE_UEFI)
		tx_warn(b->r, at,
			"this machine booted the installer with UEFI; a host installed for BIOS boots only if its firmware offers legacy boot (CSM)");
	if (p->firmware == FIRMWARE_UEFI && m->secure_boot)
		tx_error(
			b->r, at,
			"Secure Boot is on, and Debian's xen.efi is not signed, so the firmware would refuse to start it: turn Secure Boot off in the firmware's setup, then install");
	if (p->firmware == FIRMWARE_UEFI && bl->label == LABEL_MSDOS)
		tx_error(
			b->r, bl->loc.file ? &bl->loc : at,
			"--label=msdos on UEFI: Tenxen puts an EFI System Partition on a GPT on each boot disk; write --label=gpt (or leave --label out)");
}

/* The loader's operation on boot disk j, for its partition pl (/boot on BIOS, the ESP on UEFI). */
static struct op *add_install_op(struct builder *b, int j, const struct part_layout *pl,
				 const char *alias)
{
	struct op *o = add_op(b->p, OP_BOOTLOADER);

	o->boot = BOOT_INSTALL;
	o->disk = j;
	o->device = xstrdup(b->m->disks[j].path);
	o->stable = xstrdup(disk_stable_id(&b->m->disks[j]));
	o->label = b->s->bootloader.label;
	o->partno = pl->partno;
	o->name = xstrdup(alias);
	return o;
}

/* The xen.cfg of a UEFI host and, on every boot disk's ESP, xen.efi with it and a boot entry. */
static void plan_efi_loader(struct builder *b, struct op *config)
{
	const struct spec *s = b->s;
	struct plan *p = b->p;

	free(config->path);
	config->path = xasprintf("%s/boot/efi/%s/%s", p->target, ESP_DIR, ESP_CONFIG);
	for (size_t i = 0; i < s->bootloader.disks.n; i++) {
		int j = disk_index_of_alias(b, s->bootloader.disks.v[i]);
		const struct part_layout *pl = part_of(b, j, ROLE_ESP);
		struct op *o;
		char *mp;

		if (!pl)
			continue;
		mp = esp_mount_point((int)i);
		o = add_install_op(b, j, pl, s->bootloader.disks.v[i]);
		o->mountpoint = mp;
		o->path = xasprintf("%s%s", p->target, mp);
		o->detail = xasprintf(
			"xen.efi as \\%s\\%s with %s, the kernel and initrd on partition %d (%s); a firmware boot entry \"Tenxen (%s)\"",
			"EFI\\BOOT", ESP_LOADER, ESP_CONFIG, pl->partno, mp,
			s->bootloader.disks.v[i]);
	}
}

/* dom0's memory, the new extlinux.conf and the loader on every boot disk. */
static void plan_bootloader(struct builder *b)
{
	const struct spec *s = b->s;
	struct plan *p = b->p;
	struct op *o;
	uint64_t dom0 = 0;

	p->dom0_mem = spec_dom0_mem_arg(s, b->m->memory, &dom0);
	if (b->m->memory && dom0 >= b->m->memory) {
		char *a = human_size(dom0), *bb = human_size(b->m->memory);

		tx_error(
			b->r, s->xen.loc.file ? &s->xen.loc : &s->end_loc,
			"dom0 memory of %s is not less than the machine's %s; lower --dom0-mem or use --dom0-mem=auto",
			a, bb);
		free(a);
		free(bb);
	}
	o = add_op(p, OP_BOOTLOADER);
	o->boot = BOOT_CONFIG;
	o->path = xasprintf("%s/boot/extlinux/extlinux.conf", p->target);
	{
		bool own_boot = false; /* /boot a filesystem of its own */

		for (size_t i = 0; i < p->nops; i++)
			own_boot |=
				p->ops[i].kind == OP_MKFS && streq(p->ops[i].mountpoint, "/boot");
		o->entry = op_boot_of(s, p->dom0_mem, own_boot ? "/" : "/boot/");
		o->detail = op_boot_text(o->entry);
	}
	if (p->firmware == FIRMWARE_UEFI) {
		plan_efi_loader(b, o);
		return;
	}
	for (size_t i = 0; i < s->bootloader.disks.n; i++) {
		int j = disk_index_of_alias(b, s->bootloader.disks.v[i]);
		const struct part_layout *pl = part_of(b, j, ROLE_BOOT);

		if (!pl)
			continue;
		o = add_install_op(b, j, pl, s->bootloader.disks.v[i]);
		o->detail = xasprintf("%s boot code, %s on partition %d, extlinux with mboot.c32",
				      s->bootloader.label == LABEL_GPT ? "gptmbr.bin" : "mbr.bin",
				      s->bootloader.label == LABEL_GPT ? "legacy BIOS bootable"
								       : "boot flag",
				      pl->partno);
	}
}

#define NOFAIL_WAIT "x-systemd.device-timeout=10min"

/*
 * fstab's entries, one a filesystem the plan makes, each naming its device where the file will
 * have its UUID (known once it is made). What may be gone (a failed disk's ESP, /boot's, swap)
 * is nofail: the boot does not wait for it; and it is waited for in the background longer than
 * systemd's 90 s, so that disks that come up slowly are still mounted when they do.
 */
static void plan_fstab(const struct plan *p, struct op *fstab)
{
	for (size_t i = 0; i < p->nops; i++) {
		const struct op *o = &p->ops[i];
		char *e;

		if (o->kind != OP_MKFS)
			continue;
		if (streq(o->fstype, "swap"))
			e = xasprintf("%s none swap sw,nofail," NOFAIL_WAIT " 0 0", o->device);
		else if (streq(o->fstype, "vfat"))
			e = xasprintf("%s %s vfat umask=0077,nofail," NOFAIL_WAIT " 0 2", o->device,
				      o->mountpoint);
		else if (streq(o->mountpoint, "/boot"))
			e = xasprintf("%s /boot %s defaults,nofail," NOFAIL_WAIT " 0 2", o->device,
				      o->fstype);
		else if (streq(o->mountpoint, "/"))
			e = xasprintf("%s / %s errors=remount-ro 0 1", o->device, o->fstype);
		else
			e = xasprintf("%s %s %s defaults 0 2", o->device, o->mountpoint, o->fstype);
		strv_push_owned(&fstab->members, e);
	}
}

void plan_system(struct builder *b)
{
	const struct spec *s = b->s;
	struct plan *p = b->p;
	struct op *o;

	o = add_op(p, OP_UNPACK);
	o->path = xstrdup(p->target);
	o->detail =
		xstrdup("the Debian dom0 root and the tenxen package from the installer's payload");
	o = add_op(p, OP_FSTAB);
	o->path = xasprintf("%s/etc/fstab", p->target);
	o->detail = xstrdup("/boot, every filesystem and swap, by UUID");
	plan_fstab(p, o);
	plan_settings(b);
	plan_bootloader(b);
	if (s->groups.n || s->packages.n || s->upkeep.automatic) {
		o = add_op(p, OP_PACKAGES);
		for (size_t i = 0; i < s->groups.n; i++)
			strv_push_owned(&o->members, xasprintf("@%s", s->groups.v[i]));
		strv_copy(&o->members, &s->packages);
		if (s->upkeep.automatic && !strv_contains(&s->packages, "unattended-upgrades"))
			strv_push(&o->members, "unattended-upgrades"); /* updates --automatic */
		o->detail = xstrdup(
			"offline, from the installer's medium (prebuilt layer or repository)");
	}
	plan_guest_settings(b);
}

/* The machine's card that CARD names (an interface name, or mac:...); -1 when none. */
static long machine_card(const struct machine *m, const char *card)
{
	for (size_t j = 0; j < m->nnics; j++) {
		if (startswith(card, "mac:")
			    ? m->nics[j].mac && strcasecmp(m->nics[j].mac, card + 4) == 0
			    : streq(m->nics[j].name, card))
			return (long)j;
	}
	return -1;
}

/*
 * With a machine: every card the network lines name exists, a bond's name is no card's, and no
 * card is named twice, once by its name and once by its MAC address.
 */
void plan_check_nics(struct builder *b)
{
	const struct machine *m = b->m;
	struct strv names = {0};
	const struct spec_network **user = xzalloc((m->nnics + 1) * sizeof(*user));
	char *list;

	for (size_t j = 0; j < m->nnics; j++)
		strv_push_owned(&names, xasprintf("%s (%s)", m->nics[j].name,
						  m->nics[j].mac ? m->nics[j].mac : "no MAC"));
	list = names.n ? strv_join(&names, ", ") : xstrdup("none");
	for (size_t i = 0; i < b->s->nnets; i++) {
		const struct spec_network *n = &b->s->nets[i];
		const struct strv one = {.v = (char **)&n->device, .n = 1};
		const struct strv *cards = n->slaves.n ? &n->slaves : &one;

		if (n->name_only)
			continue;
		if (!n->device) {
			/* the first wired card: free unless a line names it */
			if (m->nnics && user[0])
				tx_error(
					b->r, &n->loc,
					"network without --device stands for the first card, %s, which the network line at %s:%d already uses; name a card with --device, or give this line only --hostname",
					m->nics[0].name, user[0]->loc.file, user[0]->loc.line);
			continue;
		}
		if (n->slaves.n && machine_card(m, n->device) >= 0)
			tx_error(
				b->r, &n->loc,
				"network --device=%s: this is a card of the machine; give the bond a name of its own, such as bond0",
				n->device);
		for (size_t c = 0; c < cards->n; c++) {
			long j = machine_card(m, cards->v[c]);

			if (j < 0)
				tx_error(
					b->r, &n->loc,
					"network %s=%s: this machine has no such network card; it has %s",
					n->slaves.n ? "--bondslaves" : "--device", cards->v[c],
					list);
			else if (user[j])
				tx_error(
					b->r, &n->loc,
					"network: %s is the card %s, which the network line at %s:%d already uses; a card belongs to one network line",
					cards->v[c], m->nics[j].name, user[j]->loc.file,
					user[j]->loc.line);
			else
				user[j] = n;
		}
	}
	free(list);
	free(user);
	strv_free(&names);
}
