// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * From a spec and a machine to the ordered operations of an install. Every refusal happens here,
 * before anything is written: disks that cannot be told apart, the boot medium, data that
 * clearpart does not give up, layouts that do not fit.
 */
#include "plan/builder.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int disk_index_of_alias(struct builder *b, const char *alias)
{
	for (size_t i = 0; i < b->s->ndisks; i++)
		if (streq(b->s->disks[i].alias, alias))
			return b->disk_of[i];
	return -1;
}

char *partition_stable(const struct disk *d, int n)
{
	if (!d->by_id.n)
		return NULL;
	return xasprintf("%s-part%d", disk_stable_id(d), n);
}

struct op_script *op_script_of(const struct spec_script *sc)
{
	struct op_script *o = xzalloc(sizeof(*o));

	o->interpreter = xstrdup(sc->interpreter);
	o->body = xstrdup(sc->body);
	o->chrooted = sc->kind == SCRIPT_POST && !sc->nochroot;
	o->erroronfail = sc->erroronfail;
	o->from = xasprintf("%s:%d", sc->loc.file, sc->loc.line);
	return o;
}

void op_script_free(struct op_script *o)
{
	if (!o)
		return;
	free(o->interpreter);
	free(o->body);
	free(o->from);
	free(o);
}

struct op *add_op(struct plan *p, enum op_kind k)
{
	struct op *o = xgrow(&p->ops, &p->nops, sizeof(*o));

	o->kind = k;
	o->disk = -1;
	return o;
}

static const char *const conf_names[] = {
	[CONF_NONE] = "?",
	[CONF_NETWORK] = "network",
	[CONF_HOSTNAME] = "hostname",
	[CONF_TIMEZONE] = "timezone",
	[CONF_KEYBOARD] = "keyboard",
	[CONF_ROOT] = "root",
	[CONF_HOSTKEYS] = "host keys",
	[CONF_SSHKEYS] = "ssh keys",
	[CONF_CONSOLE] = "console",
	[CONF_GUESTS] = "guests",
	[CONF_APT] = "apt sources",
	[CONF_TIME] = "time",
	[CONF_UPDATES] = "updates",
};

const char *conf_kind_name(enum conf_kind k)
{
	return conf_names[k];
}

struct op *add_conf(struct plan *p, enum conf_kind k)
{
	struct op *o = add_op(p, OP_CONFIGURE);

	o->conf = k;
	return o;
}

/* A reinstall's carried files go into the new root once it is configured (they win over what
 * the install wrote: the host's ssh keys, its guests' configs), before its bootloader. */
static void plan_restore(struct plan *p)
{
	size_t at = p->nops;
	const struct op *carry = NULL;
	struct op *o;

	for (size_t i = 0; i < p->nops; i++) {
		if (p->ops[i].kind == OP_CARRY)
			carry = &p->ops[i];
		if (p->ops[i].kind == OP_BOOTLOADER && at == p->nops)
			at = i;
	}
	if (!carry)
		return;
	{
		char *dev = xstrdup(carry->device), *paths = strv_join(&carry->members, " ");

		add_op(p, OP_RESTORE);
		memmove(&p->ops[at + 1], &p->ops[at], (p->nops - 1 - at) * sizeof(*p->ops));
		o = &p->ops[at];
		memset(o, 0, sizeof(*o));
		o->kind = OP_RESTORE;
		o->disk = -1;
		o->device = dev;
		o->path = xstrdup(p->target);
		o->detail = paths;
	}
}

int plan_build(const struct spec *s, const struct machine *m, const struct plan_opts *po,
	       struct tx_report *r, struct plan **out)
{
	struct builder b = {.s = s, .m = m, .r = r};
	unsigned before = r->errors;
	struct plan *p = xzalloc(sizeof(*p));

	b.p = p;
	p->answers = xstrdup(po->answers);
	p->target = xstrdup(po->target ? po->target : "/target");
	p->release = xstrdup(po->release ? po->release : TENXEN_SUITE);
	p->spec = s;
	p->machine = m;
	b.disk_of = xzalloc((s->ndisks + 1) * sizeof(int));
	b.parts = xzalloc((m->ndisks + 1) * sizeof(*b.parts));
	b.nparts = xzalloc((m->ndisks + 1) * sizeof(int));

	for (size_t i = 0; i < s->nscripts && !s->pre_done; i++) {
		if (s->scripts[i].kind == SCRIPT_PRE) {
			struct op *o = add_op(p, OP_SCRIPT_PRE);

			o->script = op_script_of(&s->scripts[i]);
			o->name = xstrdup(s->scripts[i].interpreter);
			o->detail = xasprintf("from %s:%d", s->scripts[i].loc.file,
					      s->scripts[i].loc.line);
		}
	}
	plan_firmware(&b);
	plan_resolve_disks(&b);
	plan_decide_fates(&b);
	plan_check_kept(&b);
	plan_check_nics(&b);
	if (r->errors == before) {
		plan_partitions(&b);
		plan_boot(&b);
		for (size_t i = 0; i < s->nvgs; i++)
			plan_vg(&b, &s->vgs[i]);
		plan_filesystems(&b);
		plan_system(&b);
		for (size_t i = 0; i < s->nscripts; i++) {
			if (s->scripts[i].kind == SCRIPT_POST) {
				struct op *o = add_op(p, OP_SCRIPT_POST);

				o->script = op_script_of(&s->scripts[i]);
				o->name = xstrdup(s->scripts[i].interpreter);
				o->detail = xasprintf("from %s:%d, %s", s->scripts[i].loc.file,
						      s->scripts[i].loc.line,
						      s->scripts[i].nochroot
							      ? "in the installer (--nochroot)"
							      : "inside the installed system");
			}
		}
		plan_restore(p);
		for (size_t i = 0; i < p->nops; i++) {
			if (p->ops[i].kind == OP_CARRY) {
				char *dev = xstrdup(p->ops[i].device), *vg = xstrdup(p->ops[i].vg),
				     *name = xstrdup(p->ops[i].name);
				struct op *o = add_op(p, OP_CARRY_DROP);

				o->device = dev;
				o->vg = vg;
				o->name = name;
				break;
			}
		}
		{
			struct op *o = add_op(p, OP_FINISH);

			o->name = xstrdup(finish_name(s->finish));
		}
	}
	free(b.disk_of);
	free(b.parts);
	free(b.nparts);
	free(b.boot_dev);
	*out = p;
	return r->errors > before ? -EINVAL : 0;
}

void plan_free(struct plan *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nops; i++) {
		struct op *o = &p->ops[i];

		free(o->device);
		free(o->stable);
		strv_free(&o->members);
		free(o->name);
		free(o->vg);
		free(o->fstype);
		free(o->mountpoint);
		free(o->path);
		free(o->detail);
		for (size_t k = 0; k < o->nfiles; k++) {
			free(o->files[k].rel);
			free(o->files[k].text);
		}
		free(o->files);
		if (o->secret) /* root's password hash: not left in freed memory */
			explicit_bzero(o->secret, strlen(o->secret));
		free(o->secret);
		op_boot_free(o->entry);
		op_script_free(o->script);
	}
	free(p->ops);
	free(p->disks);
	for (size_t i = 0; i < p->nkept; i++) {
		free(p->kept[i].vg);
		free(p->kept[i].name);
		free(p->kept[i].kind);
		free(p->kept[i].where);
	}
	free(p->kept);
	strv_free(&p->carry);
	free(p->carry_from);
	free(p->dom0_mem);
	strv_free(&p->notes);
	free(p->answers);
	free(p->target);
	free(p->release);
	free(p);
}
