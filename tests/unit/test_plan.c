// SPDX-License-Identifier: GPL-2.0-or-later
/* The pipeline every frontend takes (plan/pipeline.c): answers -> spec -> plan, and what the
 * plan's operations carry for apply. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "plan/pipeline.h"
#include "tests/unit/unit.h"

static struct tx_report rep = {0};

static struct pipeline pl_for(const char *machine, const char *target)
{
	struct pipeline pl;

	pipeline_init(&pl);
	pl.report = &rep;
	pl.machine = machine;
	if (target)
		pl.target = target;
	return pl;
}

static const struct op *find(const struct plan *p, enum op_kind k, int nth)
{
	for (size_t i = 0; i < p->nops; i++)
		if (p->ops[i].kind == k && nth-- == 0)
			return &p->ops[i];
	return NULL;
}

/* A mirrored host, planned for another target: every path of the plan lies under that target,
 * each operation says what apply needs, and no phrase is read for it. */
TEST(plan_carries_its_target)
{
	struct pipeline pl = pl_for("tests/machines/two-identical.json", "/mnt/new host");
	struct spec *s = NULL;
	struct machine *m = NULL;
	struct plan *p = NULL;
	const struct op *o;

	CHECK(pipeline_plan(&pl, "tests/plans/two-mirror-core.ks", &s, &m, &p) == 0);
	CHECK(p && s && m);
	if (!p)
		goto out;
	CHECK_STR(p->target, "/mnt/new host");
	CHECK(p->spec == s && p->machine == m);
	o = find(p, OP_MOUNT, 0);
	CHECK(o && streq(o->mountpoint, "/") && streq(o->path, "/mnt/new host"));
	CHECK(o && o->fstype && streq(o->fstype, "ext4"));
	o = find(p, OP_UNPACK, 0);
	CHECK(o && streq(o->path, "/mnt/new host"));
	o = find(p, OP_FSTAB, 0);
	CHECK(o && streq(o->path, "/mnt/new host/etc/fstab"));
	o = find(p, OP_BOOTLOADER, 0);
	CHECK(o && o->boot == BOOT_CONFIG &&
	      streq(o->path, "/mnt/new host/boot/extlinux/extlinux.conf"));
	o = find(p, OP_BOOTLOADER, 1);
	CHECK(o && o->boot == BOOT_INSTALL && o->disk >= 0 && o->partno > 0);
	o = find(p, OP_CONFIGURE, 0);
	CHECK(o && o->conf == CONF_TIMEZONE);
	/* the time zone carries what it writes: the link first, under the target, relative */
	CHECK(o && o->nfiles == 3 && o->files[0].kind == OPF_LINK &&
	      streq(o->files[0].rel, "etc/localtime") &&
	      startswith(o->files[0].text, "/usr/share/zoneinfo/"));
	for (size_t i = 0; i < p->nops; i++) {
		const struct op *op = &p->ops[i];

		CHECK(!op->path || startswith(op->path, "/mnt/new host"));
		CHECK(!op->detail || !strstr(op->detail, "/target"));
		CHECK(op->kind != OP_CONFIGURE || op->conf != CONF_NONE);
		for (size_t k = 0; k < op->nfiles; k++)
			CHECK(op->files[k].rel[0] != '/' && !strstr(op->files[k].rel, ".."));
		CHECK(op->kind != OP_BOOTLOADER || op->boot != BOOT_NONE);
	}
out:
	plan_free(p);
	machine_free(m);
	spec_free(s);
}

/* The default target, and a refused plan: the pipeline stops at the first stage that fails,
 * says why, and hands back what it made for the caller to free. */
TEST(pipeline_stops_where_it_fails)
{
	struct pipeline pl = pl_for("tests/machines/one-disk.json", NULL);
	struct spec *s = NULL;
	struct machine *m = NULL;
	struct plan *p = NULL;
	unsigned e0 = rep.errors;

	CHECK(pipeline_plan(&pl, "tests/plans/two-mirror-core.ks", &s, &m, &p) < 0);
	CHECK(s && m && p); /* the disks were not found: planned, and refused */
	CHECK(rep.errors > e0);
	plan_free(p);
	machine_free(m);
	spec_free(s);
	s = NULL, m = NULL, p = NULL;
	e0 = rep.errors;
	CHECK(pipeline_plan(&pl, "tests/answers/err-no-root.ks", &s, &m, &p) < 0);
	CHECK(!m && !p); /* refused at validation: no machine read, nothing planned */
	CHECK(rep.errors > e0);
	spec_free(s);
	s = NULL, e0 = rep.errors;
	pl = pl_for("tests/machines/nonexistent.json", NULL);
	CHECK(pipeline_plan(&pl, "tests/plans/one-disk-linear.ks", &s, &m, &p) < 0);
	CHECK(s && !p && rep.errors > e0);
	spec_free(s);
	machine_free(m);
	s = NULL, m = NULL;
	pl = pl_for("tests/machines/one-disk.json", NULL);
	CHECK(pipeline_plan(&pl, "tests/plans/one-disk-linear.ks", &s, &m, &p) == 0);
	CHECK(p && streq(p->target, "/target"));
	plan_free(p);
	machine_free(m);
	spec_free(s);
}

/* The host's apt sources name the payload's release: its -updates and -security beside it; a
 * release with no -security suite (sid) is refused unless the file says --security=none. */
TEST(apt_sources_follow_the_release)
{
	struct pipeline pl = pl_for("tests/machines/two-identical.json", NULL);
	struct spec *s = NULL;
	struct machine *m = NULL;
	struct plan *p = NULL;
	const struct op *apt = NULL;
	unsigned before = rep.errors;

	pl.release = "trixie";
	CHECK(pipeline_plan(&pl, "tests/plans/two-mirror-core.ks", &s, &m, &p) == 0);
	for (size_t i = 0; p && i < p->nops; i++)
		if (p->ops[i].kind == OP_CONFIGURE && p->ops[i].conf == CONF_APT)
			apt = &p->ops[i];
	CHECK(apt && apt->nfiles == 2);
	CHECK(apt && strstr(apt->files[0].text, "URIs: " SPEC_DEFAULT_MIRROR "\nSuites: trixie "
						"trixie-updates\n"));
	CHECK(apt && strstr(apt->files[0].text, "URIs: " SPEC_DEFAULT_SECURITY "\nSuites: "
						"trixie-security\n"));
	plan_free(p);
	machine_free(m);
	spec_free(s);
	s = NULL, m = NULL, p = NULL;
	pl.release = "sid";
	CHECK(pipeline_plan(&pl, "tests/plans/two-mirror-core.ks", &s, &m, &p) < 0);
	CHECK(rep.errors > before);
	plan_free(p);
	machine_free(m);
	spec_free(s);
}

int main(void)
{
	RUN(plan_carries_its_target);
	RUN(pipeline_stops_where_it_fails);
	RUN(apt_sources_follow_the_release);
	UNIT_EXIT();
}
