// SPDX-License-Identifier: GPL-2.0-or-later
/* Sizes as people write them (512M, 1.5G, 500GB) and as Tenxen shows them (20.0 GiB, 500.1 GB). */
#include "common/util.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int parse_size(const char *s, uint64_t default_unit, uint64_t *out)
{
	static const struct {
		const char *sfx;
		uint64_t mult;
	} units[] = {
		{"B", 1},
		{"K", KiB},
		{"KIB", KiB},
		{"KB", 1000ULL},
		{"M", MiB},
		{"MIB", MiB},
		{"MB", 1000000ULL},
		{"G", GiB},
		{"GIB", GiB},
		{"GB", 1000000000ULL},
		{"T", TiB},
		{"TIB", TiB},
		{"TB", 1000000000000ULL},
	};
	char *end;
	unsigned long long whole;
	uint64_t frac = 0, fracdiv = 1, mult = default_unit;
	char sfx[8];
	size_t sl;

	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	whole = strtoull(s, &end, 10);
	if (errno)
		return -ERANGE;
	if (*end == '.') {
		end++;
		if (!isdigit((unsigned char)*end))
			return -EINVAL;
		while (isdigit((unsigned char)*end)) {
			if (fracdiv < 1000000000ULL) {
				frac = frac * 10 + (uint64_t)(*end - '0');
				fracdiv *= 10;
			}
			end++;
		}
	}
	sl = strlen(end);
	if (sl) {
		bool found = false;

		if (sl >= sizeof(sfx))
			return -EINVAL;
		for (size_t i = 0; i <= sl; i++)
			sfx[i] = (char)toupper((unsigned char)end[i]);
		for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
			if (strcmp(sfx, units[i].sfx) == 0) {
				mult = units[i].mult;
				found = true;
				break;
			}
		}
		if (!found)
			return -EINVAL;
	}
	if (mult == 0)
		return -EINVAL; /* no unit given, and no default unit */
	if (whole > UINT64_MAX / mult)
		return -ERANGE;
	{
		uint64_t a = (uint64_t)whole * mult,
			 b = (uint64_t)((__uint128_t)frac * mult / fracdiv);

		if (a > UINT64_MAX - b)
			return -ERANGE;
		*out = a + b;
	}
	return 0;
}

static char *human(uint64_t bytes, uint64_t base, const char *const *names)
{
	uint64_t unit = 1;
	int i = 0;

	while (i < 4 && bytes >= unit * base) {
		unit *= base;
		i++;
	}
	if (bytes % unit == 0)
		return xasprintf("%llu %s", (unsigned long long)(bytes / unit), names[i]);
	return xasprintf("%.1f %s", (double)bytes / (double)unit, names[i]);
}

char *human_size(uint64_t bytes)
{
	static const char *const n[] = {"B", "KiB", "MiB", "GiB", "TiB"};

	return human(bytes, 1024, n);
}

char *human_size_si(uint64_t bytes)
{
	static const char *const n[] = {"B", "kB", "MB", "GB", "TB"};

	return human(bytes, 1000, n);
}
