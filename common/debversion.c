// SPDX-License-Identifier: GPL-2.0-or-later
/* Debian's version order, as dpkg --compare-versions has it (Debian Policy 5.6.12). */
#include "common/util.h"

#include <ctype.h>

/* dpkg's weight of one character of a non-digit run */
static int deb_order(int c)
{
	if (isdigit(c))
		return 0;
	if (isalpha(c))
		return c;
	if (c == '~')
		return -1;
	return c ? c + 256 : 0;
}

int deb_version_cmp(const char *a, const char *b)
{
	while (*a || *b) {
		int first = 0;

		while ((*a && !isdigit((unsigned char)*a)) || (*b && !isdigit((unsigned char)*b))) {
			int ac = deb_order((unsigned char)*a), bc = deb_order((unsigned char)*b);

			if (ac != bc)
				return ac - bc;
			a++;
			b++;
		}
		while (*a == '0')
			a++;
		while (*b == '0')
			b++;
		while (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			if (!first)
				first = *a - *b;
			a++;
			b++;
		}
		if (isdigit((unsigned char)*a))
			return 1;
		if (isdigit((unsigned char)*b))
			return -1;
		if (first)
			return first;
	}
	return 0;
}
