// SPDX-License-Identifier: GPL-2.0-or-later
/* The plan shown: one line an operation, the whole as text (the dry run) or as JSON. */
#include "plan/plan.h"
#include "common/json.h"

#include <stdlib.h>
#include <string.h>

static const char *const op_names[] = {
	[OP_SCRIPT_PRE] = "pre-script",
	[OP_WIPE] = "wipe",
	[OP_LABEL] = "label",
	[OP_PARTITION] = "partition",
	[OP_MD] = "md",
	[OP_VGCREATE] = "vgcreate",
	[OP_VGUSE] = "vguse",
	[OP_LVCREATE] = "lvcreate",
	[OP_LVREUSE] = "lvreuse",
	[OP_CARRY] = "carry",
	[OP_MKFS] = "mkfs",
	[OP_MOUNT] = "mount",
	[OP_UNPACK] = "unpack",
	[OP_FSTAB] = "fstab",
	[OP_RESTORE] = "restore",
	[OP_CONFIGURE] = "configure",
	[OP_BOOTLOADER] = "bootloader",
	[OP_PACKAGES] = "packages",
	[OP_SCRIPT_POST] = "post-script",
	[OP_CARRY_DROP] = "carry-drop",
	[OP_FINISH] = "finish",
};

const char *op_kind_name(enum op_kind k)
{
	return op_names[k];
}

static const char *role_name(enum part_role r)
{
	return r == ROLE_BIOS_GRUB ? "bios_grub"
	       : r == ROLE_ESP	   ? "EFI System Partition"
	       : r == ROLE_BOOT	   ? "boot"
	       : r == ROLE_LVM	   ? "lvm"
				   : "none";
}

static const char *fate_name(enum disk_fate f)
{
	return f == FATE_ERASED	   ? "erase"
	       : f == FATE_KEPT	   ? "keep"
	       : f == FATE_IGNORED ? "ignored"
	       : f == FATE_MEDIUM  ? "medium"
				   : "untouched";
}

char *plan_op_text(const struct op *o)
{
	char *a = NULL, *b = NULL, *t;

	switch (o->kind) {
	case OP_SCRIPT_PRE:
		return xasprintf("%%pre script %s, run by %s before any disk is touched", o->detail,
				 o->name);
	case OP_SCRIPT_POST:
		return xasprintf("%%post script %s, run by %s", o->detail, o->name);
	case OP_WIPE:
		a = strv_join(&o->members, ", ");
		if (o->partno) { /* a kept disk's partition, made again in place */
			b = human_size(o->length);
			t = xasprintf(
				"%s [%s]: bytes %llu-%llu (%s) of a kept partition table, every signature removed (%s)",
				o->device, o->stable, (unsigned long long)o->start,
				(unsigned long long)(o->start + o->length - 1), b,
				o->members.n ? a : "none found");
			break;
		}
		t = xasprintf("%s [%s]: remove every signature (%s)", o->device, o->stable,
			      o->members.n ? a : "none found");
		break;
	case OP_LABEL:
		return xasprintf("%s [%s]: new %s partition table", o->device, o->stable,
				 o->label == LABEL_GPT ? "GPT" : "MBR");
	case OP_PARTITION:
		a = human_size(o->length);
		t = xasprintf("%s%s%s%s: %s, bytes %llu-%llu (%s)%s%s", o->device,
			      o->stable ? " [" : "", o->stable ? o->stable : "",
			      o->stable ? "]" : "", role_name(o->role),
			      (unsigned long long)o->start,
			      (unsigned long long)(o->start + o->length - 1), a,
			      o->detail ? ", " : "", o->detail ? o->detail : "");
		break;
	case OP_MD:
		a = strv_join(&o->members, " + ");
		t = xasprintf("%s: %s of %s", o->device, o->detail, a);
		break;
	case OP_VGCREATE:
		b = human_size(o->pesize);
		t = xasprintf("%s on %s, each made a physical volume; extents of %s, %llu in all",
			      o->name, o->detail, b, (unsigned long long)o->extents);
		break;
	case OP_LVCREATE:
		a = human_size(o->length);
		b = human_size(o->pesize);
		if (o->lvtype == LV_LINEAR)
			t = xasprintf("%s/%s: linear, %llu extents of %s (%s)", o->vg, o->name,
				      (unsigned long long)o->extents, b, a);
		else
			t = xasprintf(
				"%s/%s: %s, %d legs%s%s%s, %llu extents of %s (%s) each, no initial sync%s",
				o->vg, o->name, lv_type_name(o->lvtype), o->mirrors + 1,
				o->lvtype == LV_MIRROR ? ", " : "",
				o->lvtype == LV_MIRROR ? mirror_log_name(o->mlog) : "",
				o->lvtype == LV_MIRROR ? " log" : "",
				(unsigned long long)o->extents, b, a,
				o->alloc_anywhere ? ", --alloc anywhere" : "");
		break;
	case OP_VGUSE:
		b = human_size(o->pesize);
		t = xasprintf("%s as it is, on %s; extents of %s, %llu in all; activated", o->name,
			      o->detail, b, (unsigned long long)o->extents);
		break;
	case OP_LVREUSE:
		a = human_size(o->length);
		t = xasprintf("%s/%s: kept where it is (%s, %s), its contents replaced", o->vg,
			      o->name, a, o->detail);
		break;
	case OP_CARRY:
		a = strv_join(&o->members, " ");
		b = human_size(o->length);
		if (o->detail)
			t = xasprintf("%s (%s), %s: %s", o->device, b, o->detail, a);
		else
			t = xasprintf(
				"%s from %s, read-only, into %s (%s, made in free extents), before anything is written",
				a, o->path, o->device, b);
		break;
	case OP_RESTORE:
		return xasprintf("%s: the carried files from %s (%s)", o->path, o->device,
				 o->detail);
	case OP_CARRY_DROP:
		return xasprintf("%s: removed, the host being installed", o->device);
	case OP_MKFS:
		if (streq(o->fstype, "swap"))
			return xasprintf("%s: swap space", o->device);
		return xasprintf("%s: %s for %s", o->device, o->fstype, o->mountpoint);
	case OP_MOUNT:
		return xasprintf("%s on %s", o->device, o->path);
	case OP_UNPACK:
	case OP_FSTAB:
		return xasprintf("%s: %s", o->path, o->detail);
	case OP_CONFIGURE:
		return o->device ? xasprintf("%s %s: %s", conf_kind_name(o->conf), o->device,
					     o->detail)
				 : xasprintf("%s: %s", conf_kind_name(o->conf), o->detail);
	case OP_BOOTLOADER:
		if (o->boot == BOOT_CONFIG)
			return xasprintf("%s: Xen entry with %s", o->path, o->detail);
		return xasprintf("%s [%s]: %s", o->device, o->stable, o->detail);
	case OP_PACKAGES:
		a = strv_join(&o->members, " ");
		t = xasprintf("%s, %s", a, o->detail);
		break;
	case OP_FINISH:
		return xstrdup(o->name);
	default:
		return xstrdup("?");
	}
	free(a);
	free(b);
	return t;
}

/* Each line of text, indented and marked, so that the file's own blank lines show. */
static void print_text(const char *text, FILE *out)
{
	for (const char *l = text; *l;) {
		size_t n = strcspn(l, "\n");

		fprintf(out, "      |%s%.*s\n", n ? " " : "", (int)n, l);
		l += n;
		if (*l)
			l++;
	}
}

static const char *file_kind_name(enum op_file_kind k)
{
	return k == OPF_LINK ? "link" : k == OPF_DIR ? "folder" : "file";
}

/* What the configure operations write, whole: the dry run shows the files before they exist. */
static void print_files(const struct plan *p, FILE *out)
{
	bool any = false;

	for (size_t i = 0; i < p->nops; i++) {
		const struct op *o = &p->ops[i];

		if (!o->nfiles && !(o->kind == OP_FSTAB && o->members.n))
			continue;
		if (!any)
			fputs("\nFiles (written whole; a file there is replaced)\n", out);
		any = true;
		if (o->kind == OP_FSTAB) {
			fprintf(out,
				"  %s (step %zu, mode 0644; each device by the UUID it has once made)\n",
				o->path, i + 1);
			for (size_t k = 0; k < o->members.n; k++)
				fprintf(out, "      | %s\n", o->members.v[k]);
		}
		for (size_t k = 0; k < o->nfiles; k++) {
			const struct op_file *f = &o->files[k];

			if (f->kind == OPF_LINK) {
				fprintf(out, "  %s/%s -> %s (step %zu, link)\n", p->target, f->rel,
					f->text, i + 1);
				continue;
			}
			fprintf(out, "  %s/%s (step %zu, %s, mode %04o)\n", p->target, f->rel,
				i + 1, file_kind_name(f->kind), (unsigned)f->mode);
			if (f->text)
				print_text(f->text, out);
		}
	}
}

void plan_print(const struct plan *p, const struct machine *m, FILE *out)
{
	char *mem = human_size(m->memory);

	fprintf(out,
		"Install plan\n  answers: %s\n  machine: %s (%zu disk%s, %s of memory)\n"
		"  firmware: %s\n  release: Debian %s\n\n",
		p->answers, m->source, m->ndisks, m->ndisks == 1 ? "" : "s",
		m->memory ? mem : "unknown amount",
		p->firmware == FIRMWARE_UEFI
			? "UEFI: xen.efi started by the firmware from each boot disk's EFI System Partition (Secure Boot must be off: Debian's xen.efi is unsigned)"
			: "BIOS: extlinux, with mboot.c32 starting Xen",
		p->release);
	free(mem);
	fputs("Disks\n", out);
	for (size_t i = 0; i < p->ndisks; i++) {
		const struct plan_disk *pd = &p->disks[i];
		const struct disk *d = &m->disks[pd->disk];
		char *sz = human_size_si(d->size), *what = disk_describe_contents(d);

		fprintf(out, "  %-9s %-3s %-14s %-40s %9s  holds %s\n", fate_name(pd->fate),
			pd->alias ? pd->alias : "-", d->path, disk_stable_id(d), sz,
			what ? what : "nothing");
		free(sz);
		free(what);
	}
	fputs("\nOperations\n", out);
	for (size_t i = 0; i < p->nops; i++) {
		char *t = plan_op_text(&p->ops[i]);

		fprintf(out, "  %3zu  %-11s %s\n", i + 1, op_kind_name(p->ops[i].kind), t);
		free(t);
	}
	print_files(p, out);
	if (p->nkept) {
		fputs("\nKept volumes (never written)\n", out);
		for (size_t i = 0; i < p->nkept; i++) {
			const struct plan_kept *k = &p->kept[i];
			char *sz = human_size(k->size);

			fprintf(out, "  %s/%s: %s, %s, %s%s\n", k->vg, k->name, sz, k->kind,
				k->where,
				k->named ? "" : " (no preserve line names it: kept all the same)");
			free(sz);
		}
	}
	if (p->notes.n) {
		fputs("\nNotes\n", out);
		for (size_t i = 0; i < p->notes.n; i++)
			fprintf(out, "  - %s\n", p->notes.v[i]);
	}
}

/* An operation's files, boot entry and script: what it writes, whole (never root's password). */
static void json_put_files(json_object *o, const struct plan *p, const struct op *op)
{
	if (op->nfiles) {
		json_object *a = json_object_new_array();

		for (size_t k = 0; k < op->nfiles; k++) {
			const struct op_file *f = &op->files[k];
			json_object *j = json_object_new_object();
			char *path = xasprintf("%s/%s", p->target, f->rel), mode[8];

			json_put_str(j, "path", path);
			json_put_str(j, "kind", file_kind_name(f->kind));
			if (f->kind != OPF_LINK) {
				snprintf(mode, sizeof(mode), "%04o", (unsigned)f->mode);
				json_put_str(j, "mode", mode);
			}
			json_put_str(j, f->kind == OPF_LINK ? "target" : "text", f->text);
			json_object_array_add(a, j);
			free(path);
		}
		json_object_object_add(o, "files", a);
	}
	if (op->entry) {
		const struct op_boot *e = op->entry;
		json_object *j = json_object_new_object();

		json_put_str(j, "prefix", e->prefix);
		json_put_str(j, "dom0_mem", e->dom0_mem);
		json_put_str(j, "dom0_max_vcpus", e->dom0_vcpus);
		json_put_str(j, "vpmu", e->vpmu);
		json_put_str(j, "xen_append", e->xen_append);
		json_put_str(j, "dom0_append", e->dom0_append);
		json_put_str(j, "root", e->root_dev);
		if (e->serial) {
			json_object_object_add(j, "serial_port", json_object_new_int(e->port + 1));
			json_object_object_add(j, "serial_speed",
					       json_object_new_int64((int64_t)e->speed));
		}
		json_object_object_add(j, "timeout", json_object_new_int(e->timeout));
		json_object_object_add(o, "entry", j);
	}
	if (op->script) {
		json_object *j = json_object_new_object();

		json_put_str(j, "interpreter", op->script->interpreter);
		json_put_str(j, "from", op->script->from);
		json_object_object_add(j, "chrooted",
				       json_object_new_boolean(op->script->chrooted));
		json_object_object_add(j, "erroronfail",
				       json_object_new_boolean(op->script->erroronfail));
		json_put_str(j, "body", op->script->body);
		json_object_object_add(o, "script", j);
	}
}

char *plan_to_json(const struct plan *p, const struct machine *m)
{
	json_object *root = json_object_new_object(), *disks = json_object_new_array();
	json_object *ops = json_object_new_array(), *notes = json_object_new_array();

	json_put_str(root, "answers", p->answers);
	json_put_str(root, "machine", m->source);
	json_put_str(root, "dom0_mem", p->dom0_mem);
	json_put_str(root, "firmware", firmware_name(p->firmware));
	json_put_str(root, "release", p->release);
	for (size_t i = 0; i < p->ndisks; i++) {
		const struct plan_disk *pd = &p->disks[i];
		const struct disk *d = &m->disks[pd->disk];
		json_object *o = json_object_new_object();
		char *what = disk_describe_contents(d), *hs = human_size_si(d->size);

		json_put_str(o, "path", d->path);
		json_put_str(o, "stable_id", disk_stable_id(d));
		json_put_str(o, "alias", pd->alias);
		json_put_str(o, "fate", fate_name(pd->fate));
		json_object_object_add(o, "size", json_object_new_int64((int64_t)d->size));
		json_put_str(o, "size_human", hs);
		json_put_str(o, "holds", what);
		json_object_array_add(disks, o);
		free(what);
		free(hs);
	}
	for (size_t i = 0; i < p->nops; i++) {
		const struct op *op = &p->ops[i];
		json_object *o = json_object_new_object();
		char *t = plan_op_text(op);

		json_object_object_add(o, "step", json_object_new_int((int)i + 1));
		json_put_str(o, "op", op_kind_name(op->kind));
		json_put_str(o, "device", op->device);
		json_put_str(o, "stable_id", op->stable);
		json_put_str(o, "name", op->name);
		json_put_str(o, "vg", op->vg);
		json_put_str(o, "path", op->path);
		if (op->kind == OP_CONFIGURE)
			json_put_str(o, "sets", conf_kind_name(op->conf));
		if (op->kind == OP_BOOTLOADER)
			json_put_str(o, "does", op->boot == BOOT_CONFIG ? "config" : "install");
		if (op->kind == OP_PARTITION) {
			char *h = human_size(op->length);

			json_object_object_add(o, "number", json_object_new_int(op->partno));
			json_put_str(o, "role", role_name(op->role));
			json_object_object_add(o, "start",
					       json_object_new_int64((int64_t)op->start));
			json_object_object_add(o, "size",
					       json_object_new_int64((int64_t)op->length));
			json_put_str(o, "size_human", h);
			free(h);
		}
		if (op->kind == OP_LABEL || op->kind == OP_PARTITION ||
		    (op->kind == OP_BOOTLOADER && op->disk >= 0))
			json_put_str(o, "label", label_type_name(op->label));
		if (op->kind == OP_VGCREATE || op->kind == OP_LVCREATE || op->kind == OP_VGUSE ||
		    op->kind == OP_LVREUSE || op->kind == OP_CARRY) {
			json_object_object_add(o, "extents",
					       json_object_new_int64((int64_t)op->extents));
			json_object_object_add(o, "extent_size",
					       json_object_new_int64((int64_t)op->pesize));
		}
		if (op->kind == OP_LVCREATE) {
			char *h = human_size(op->length);

			json_put_str(o, "type", lv_type_name(op->lvtype));
			json_object_object_add(o, "size",
					       json_object_new_int64((int64_t)op->length));
			json_put_str(o, "size_human", h);
			free(h);
			if (op->lvtype != LV_LINEAR) {
				json_object_object_add(o, "mirrors",
						       json_object_new_int(op->mirrors));
				json_object_object_add(o, "nosync",
						       json_object_new_boolean(op->nosync));
			}
			if (op->lvtype == LV_MIRROR) {
				json_put_str(o, "mirrorlog", mirror_log_name(op->mlog));
				json_object_object_add(o, "alloc_anywhere",
						       json_object_new_boolean(op->alloc_anywhere));
			}
		}
		json_put_str(o, "fstype", op->fstype);
		json_put_str(o, "mountpoint", op->mountpoint);
		if (op->members.n) {
			json_object *a = json_object_new_array();

			for (size_t k = 0; k < op->members.n; k++)
				json_object_array_add(a, json_object_new_string(op->members.v[k]));
			json_object_object_add(o, "members", a);
		}
		json_put_str(o, "text", t);
		free(t);
		json_put_files(o, p, op);
		json_object_array_add(ops, o);
	}
	for (size_t i = 0; i < p->notes.n; i++)
		json_object_array_add(notes, json_object_new_string(p->notes.v[i]));
	if (p->nkept) {
		json_object *kept = json_object_new_array();

		for (size_t i = 0; i < p->nkept; i++) {
			json_object *k = json_object_new_object();

			json_put_str(k, "vg", p->kept[i].vg);
			json_put_str(k, "name", p->kept[i].name);
			json_object_object_add(k, "size",
					       json_object_new_int64((int64_t)p->kept[i].size));
			json_put_str(k, "kind", p->kept[i].kind);
			json_put_str(k, "where", p->kept[i].where);
			json_object_object_add(k, "preserve",
					       json_object_new_boolean(p->kept[i].named));
			json_object_array_add(kept, k);
		}
		json_object_object_add(root, "kept", kept);
	}
	json_object_object_add(root, "disks", disks);
	json_object_object_add(root, "operations", ops);
	json_object_object_add(root, "notes", notes);
	return json_finish(root);
}
