// SPDX-License-Identifier: GPL-2.0-or-later
#include "common/password.h"
#include "common/util.h"

#include <crypt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

char *password_hash(const char *pw)
{
	char setting[CRYPT_GENSALT_OUTPUT_SIZE];
	struct crypt_data *cd = xzalloc(sizeof(*cd));
	const char *h = NULL;
	char *out = NULL;

	if (crypt_gensalt_rn("$y$", 0, NULL, 0, setting, sizeof(setting)))
		h = crypt_r(pw, setting, cd);
	if (h && h[0] != '*')
		out = xstrdup(h);
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
	return out;
}

char *password_random(size_t n)
{
	static const char set[] = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	const size_t k = sizeof(set) - 1; /* 57: bytes of 228 and more are drawn again */
	char *pw = xzalloc(n + 1);
	size_t i = 0;

	while (i < n) {
		unsigned char b[32];
		ssize_t got = getrandom(b, sizeof(b), 0);

		if (got <= 0) {
			free(pw);
			return NULL;
		}
		for (ssize_t j = 0; j < got && i < n; j++)
			if (b[j] < 256 - 256 % k)
				pw[i++] = set[b[j] % k];
		explicit_bzero(b, sizeof(b));
	}
	return pw;
}
