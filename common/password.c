// SPDX-License-Identifier: GPL-2.0-or-later
#include "common/password.h"
#include "common/atomic.h"
#include "common/util.h"

#include <crypt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

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

int shadow_set_root(const char *shadow, const char *group, const char *field, struct tx_report *r)
{
	char *text = NULL, *save = NULL;
	struct strv out = {0};
	bool found = false;
	size_t tlen = 0;
	int rc = read_text_file(shadow, &text, &tlen);

	if (rc < 0) {
		tx_error(r, NULL, "cannot read %s: %s", shadow, read_error(rc));
		return rc;
	}
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *c1 = strchr(l, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;

		if (startswith(l, "root:") && c2 && !found) {
			strv_push_owned(&out, xasprintf("root:%s%s", field, c2));
			found = true;
		} else {
			strv_push(&out, l);
		}
	}
	if (!found)
		strv_push_owned(&out, xasprintf("root:%s:20000:0:99999:7:::", field));
	{
		char *body = strv_join(&out, "\n"), *all = xasprintf("%s\n", body);

		rc = atomic_write_file(r, shadow, all, strlen(all), 0640, false);
		explicit_bzero(all, strlen(all));
		explicit_bzero(body, strlen(body));
		free(all);
		free(body);
	}
	for (size_t i = 0; i < out.n; i++)
		explicit_bzero(out.v[i], strlen(out.v[i]));
	if (rc == 0) {
		char *gt = NULL, *gs = NULL;

		if (read_text_file(group, &gt, NULL) == 0)
			for (char *l = strtok_r(gt, "\n", &gs); l; l = strtok_r(NULL, "\n", &gs))
				if (startswith(l, "shadow:")) {
					char *g3 = strchr(l + 7, ':');

					if (g3 && chown(shadow, 0, (gid_t)atoi(g3 + 1)) < 0)
						tx_warn(r, NULL, "cannot give %s to group shadow",
							shadow);
				}
		free(gt);
	}
	explicit_bzero(text, tlen);
	free(text);
	strv_free(&out);
	return rc;
}
