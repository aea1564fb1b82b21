// SPDX-License-Identifier: GPL-2.0-or-later
#include "bootcfg/xenopts.h"
#include "common/util.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

int dom0_mem_parse(const char *v, struct dom0_mem *m, char **why)
{
	struct strv parts = {0};
	struct dom0_mem out = {0};
	int rc = 0;

	*why = NULL;
	if (streq(v, "auto")) {
		out.is_auto = true;
		*m = out;
		return 0;
	}
	strv_split(&parts, v, ',');
	for (size_t i = 0; i < parts.n && rc == 0; i++) {
		const char *item = parts.v[i];
		uint64_t *dst = &out.amount, sz = 0;
		int prc;

		if (startswith(item, "min:")) {
			dst = &out.min;
			item += 4;
		} else if (startswith(item, "max:")) {
			dst = &out.max;
			item += 4;
		}
		prc = parse_size(item, 0, &sz);
		if (prc == -EINVAL && *item && isdigit((unsigned char)item[strlen(item) - 1])) {
			*why = xasprintf(
				"\"%s\" has no unit, and Xen would read it as KiB; write 2048M or 2G",
				item);
			rc = -EINVAL;
		} else if (prc < 0 || sz == 0 || *dst) {
			*why = xstrdup(
				"that is not Xen's form; write a size such as 2G, optionally with max:, as in 2G,max:2G, or auto");
			rc = -EINVAL;
		} else if (sz < 32 * MiB) {
			*why = xasprintf("%s is far too little for dom0; give at least 384M", item);
			rc = -EINVAL;
		} else if (sz > DISK_MAX) {
			*why = xasprintf("%s is more memory than any machine has (1 EiB at most)",
					 item);
			rc = -EINVAL;
		} else {
			*dst = sz;
		}
	}
	strv_free(&parts);
	if (rc == 0 && out.max && out.amount > out.max) {
		*why = xstrdup("the amount is larger than its max:; make max: at least the amount");
		rc = -EINVAL;
	}
	if (rc == 0 && out.min && out.max && out.min > out.max) {
		*why = xstrdup("min: is larger than max:");
		rc = -EINVAL;
	}
	if (rc == 0)
		*m = out;
	return rc;
}

static char *answer_size(uint64_t b)
{
	if (b % GiB == 0)
		return xasprintf("%lluG", (unsigned long long)(b / GiB));
	if (b % MiB == 0)
		return xasprintf("%lluM", (unsigned long long)(b / MiB));
	return xasprintf("%lluK", (unsigned long long)(b / KiB));
}

/* Xen reads K, M and G: whole MiB where exact, else KiB. */
static char *xen_size(uint64_t b)
{
	if (b % MiB == 0)
		return xasprintf("%lluM", (unsigned long long)(b / MiB));
	return xasprintf("%lluK", (unsigned long long)(b / KiB));
}

static char *join_parts(const struct dom0_mem *m, char *(*fmt)(uint64_t))
{
	struct strv parts = {0};
	char *w, *r;

	if (m->amount)
		strv_push_owned(&parts, fmt(m->amount));
	if (m->min) {
		w = fmt(m->min);
		strv_push_owned(&parts, xasprintf("min:%s", w));
		free(w);
	}
	if (m->max) {
		w = fmt(m->max);
		strv_push_owned(&parts, xasprintf("max:%s", w));
		free(w);
	}
	r = strv_join(&parts, ",");
	strv_free(&parts);
	return r;
}

char *dom0_mem_word(const struct dom0_mem *m)
{
	return m->is_auto ? xstrdup("auto") : join_parts(m, answer_size);
}

char *dom0_mem_xen_arg(const struct dom0_mem *m, uint64_t ram, uint64_t *bytes)
{
	if (m->is_auto) {
		uint64_t mb = 1024 + ram / MiB * 5 / 100;

		if (mb > 8192)
			mb = 8192;
		/* a small machine (a test VM) cannot give dom0 a whole GiB: half of what it has */
		if (ram && mb * MiB >= ram)
			mb = ram / MiB / 2;
		if (bytes)
			*bytes = mb * MiB;
		return xasprintf("%lluM,max:%lluM", (unsigned long long)mb, (unsigned long long)mb);
	}
	if (bytes)
		*bytes = m->amount ? m->amount : m->max ? m->max : m->min;
	return join_parts(m, xen_size);
}

const char *const vpmu_modes[NVPMU_MODES] = {"off", "on", "bts", "ipc", "arch"};

bool vpmu_mode_known(const char *mode)
{
	for (size_t i = 0; i < NVPMU_MODES; i++)
		if (streq(mode, vpmu_modes[i]))
			return true;
	return false;
}
