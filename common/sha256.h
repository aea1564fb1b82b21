/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SHA-256 of bytes as they go by, through OpenSSL's libcrypto: the payload's manifest and the
 * root image's frames are checked with it.
 */
#ifndef TENXEN_SHA256_H
#define TENXEN_SHA256_H

#include <stdbool.h>
#include <stddef.h>

#define SHA256_HEX 65 /* 64 hex digits and the NUL */

struct sha256;

struct sha256 *sha256_new(void);    /* never NULL (x* convention); sha256_free frees */
void sha256_free(struct sha256 *h); /* NULL-safe */
void sha256_update(struct sha256 *h, const void *data, size_t len);
/* The digest as 64 lowercase hex digits into hex; h starts again empty. */
void sha256_hex(struct sha256 *h, char hex[SHA256_HEX]);
/* Whether s is 64 hex digits and nothing else. */
bool sha256_valid(const char *s);

#endif
