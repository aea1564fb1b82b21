// SPDX-License-Identifier: GPL-2.0-or-later
#include "common/sha256.h"
#include "common/util.h"

#include <ctype.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sha256 {
	EVP_MD_CTX *ctx;
};

static void start(struct sha256 *h)
{
	if (!EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL)) {
		fputs("tenxen: libcrypto cannot start a SHA-256 digest\n", stderr);
		abort();
	}
}

struct sha256 *sha256_new(void)
{
	struct sha256 *h = xzalloc(sizeof(*h));

	h->ctx = EVP_MD_CTX_new();
	if (!h->ctx) {
		fputs("tenxen: out of memory\n", stderr);
		abort();
	}
	start(h);
	return h;
}

void sha256_free(struct sha256 *h)
{
	if (!h)
		return;
	EVP_MD_CTX_free(h->ctx);
	free(h);
}

void sha256_update(struct sha256 *h, const void *data, size_t len)
{
	EVP_DigestUpdate(h->ctx, data, len);
}

void sha256_hex(struct sha256 *h, char hex[SHA256_HEX])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	EVP_DigestFinal_ex(h->ctx, md, &n);
	for (unsigned int i = 0; i < n && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	hex[64] = '\0';
	start(h);
}

bool sha256_valid(const char *s)
{
	size_t i = 0;

	for (; s && s[i]; i++)
		if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
			return false;
	return i == 64;
}
