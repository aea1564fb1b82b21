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
static struct op *add_install_op(struct builder *b, int j, const struct part_layout *pl)
{
	struct op *o = add_op(b->p, OP_BOOTLOADER);

	o->boot = BOOT_INSTALL;
	o->disk = j;
	o->device = xstrdup(b->m->disks[j].path);
	o->stable = xstrdup(disk_stable_id(&b->m->disks[j]));
	o->label = b->s->bootloader.label;
	o->partno = pl->partno;
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
		o = add_install_op(b, j, pl);
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
		struct strv d = {0};

		strv_push_owned(&d, xasprintf("dom0_mem=%s", p->dom0_mem));
		if (s->xen.vcpus_max)
			strv_push_owned(&d,
					s->xen.vcpus_min
						? xasprintf("dom0_max_vcpus=%d-%d",
							    s->xen.vcpus_min, s->xen.vcpus_max)
						: xasprintf("dom0_max_vcpus=%d", s->xen.vcpus_max));
		if (s->xen.vpmu)
			strv_push_owned(&d, xasprintf("vpmu=%s", s->xen.vpmu));
		if (s->console.kind == CONSOLE_SERIAL)
			strv_push_owned(
				&d, xasprintf("com%d=%u,8n1 console=com%d,vga; dom0 console=hvc0",
					      s->console.port + 1, s->console.speed,
					      s->console.port + 1));
		if (s->xen.append)
			strv_push(&d, s->xen.append);
		if (s->xen.dom0_append)
			strv_push_owned(&d, xasprintf("dom0 %s", s->xen.dom0_append));
		{
			const struct spec_logvol *root = spec_root_lv(s);

			if (root)
				strv_push_owned(&d, xasprintf("root=/dev/mapper/%s-%s", root->vg,
							      root->name));
		}
		o->detail = strv_join(&d, ", ");
		strv_free(&d);
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
		o = add_install_op(b, j, pl);
		o->detail = xasprintf("%s boot code, %s on partition %d, extlinux with mboot.c32",
				      s->bootloader.label == LABEL_GPT ? "gptmbr.bin" : "mbr.bin",
				      s->bootloader.label == LABEL_GPT ? "legacy BIOS bootable"
								       : "boot flag",
				      pl->partno);
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
	for (size_t i = 0, br = 0; i < s->nnets; i++) {
		const struct spec_network *n = &s->nets[i];
		char *addr, *cards;

		if (n->name_only) {
			o = add_conf(p, CONF_HOSTNAME);
			o->detail = xstrdup(n->hostname);
			continue;
		}
		cards = strv_join(&n->slaves, ", ");
		o = add_conf(p, CONF_NETWORK);
		if (n->slaves.n)
			o->device =
				xasprintf("%s, a bond (%s) of %s", n->device, n->bond_mode, cards);
		else
			o->device = xstrdup(n->device ? n->device : "the first wired network card");
		free(cards);
		if (n->dhcp)
			addr = xstrdup("DHCP");
		else
			addr = xasprintf("static %s/%d%s%s", n->ip, n->prefix,
					 n->gateway ? " via " : "", n->gateway ? n->gateway : "");
		if (!n->vlan && !n->bridge_vlan)
			o->detail = addr;
		else {
			char *tag = n->bridge_vlan ? xasprintf("on VLAN %d", n->bridge_vlan)
						   : xstrdup("untagged");

			o->detail = n->vlan ? xasprintf("%s on VLAN %d; guests' bridge xenbr%zu %s",
							addr, n->vlan, br, tag)
					    : xasprintf("%s untagged; guests' bridge xenbr%zu %s",
							addr, br, tag);
			free(tag);
			free(addr);
		}
		if (n->hostname) {
			o = add_conf(p, CONF_HOSTNAME);
			o->detail = xstrdup(n->hostname);
		}
		br++;
	}
	o = add_conf(p, CONF_TIMEZONE);
	o->detail = xasprintf("%s, hardware clock in %s", s->timezone,
			      s->tz_utc ? "UTC" : "local time");
	o = add_conf(p, CONF_KEYBOARD);
	o->detail = xasprintf("%s%s%s", s->kbd_layout, s->kbd_variant ? " " : "",
			      s->kbd_variant ? s->kbd_variant : "");
	o = add_conf(p, CONF_ROOT);
	o->detail = xstrdup(s->rootpw_lock   ? "password locked"
			    : s->rootpw_hash ? "password set from its hash"
					     : "no password (console only)");
	if (s->nsshkeys) {
		o = add_conf(p, CONF_SSHKEYS);
		o->detail =
			xasprintf("%zu authorized key%s", s->nsshkeys, s->nsshkeys == 1 ? "" : "s");
	}
	if (s->console.kind == CONSOLE_SERIAL) {
		o = add_conf(p, CONF_CONSOLE);
		o->detail = xasprintf("getty on hvc0; Xen on com%d at %u", s->console.port + 1,
				      s->console.speed);
	}
	plan_bootloader(b);
	if (s->groups.n || s->packages.n) {
		o = add_op(p, OP_PACKAGES);
		for (size_t i = 0; i < s->groups.n; i++)
			strv_push_owned(&o->members, xasprintf("@%s", s->groups.v[i]));
		strv_copy(&o->members, &s->packages);
		o->detail = xstrdup(
			"offline, from the installer's medium (prebuilt layer or repository)");
	}
	if (strv_contains(&s->groups, "guest-templates")) {
		const char *vg, *bridge;
		int mirrors;

		spec_guests(s, &vg, &mirrors, &bridge);
		o = add_conf(p, CONF_GUESTS);
		o->detail = xasprintf(
			"guests' disks in %s%s%s, on %s%s (guests.conf, xen-tools.conf); the medium's Debian root kept for guests made offline",
			vg ? vg : "?", mirrors ? " as raid1" : "", mirrors ? " volumes" : "",
			bridge ? "the bridge " : "no network", bridge ? bridge : "");
	}
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
