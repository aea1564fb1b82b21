/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Passwords through libcrypt: a yescrypt hash with a fresh salt (an answer file's plain rootpw,
 * the installer's screen, a guest's root), and a new random password for a guest.
 */
#ifndef TENXEN_PASSWORD_H
#define TENXEN_PASSWORD_H

#include <stddef.h>

#include "common/report.h"

/* A yescrypt hash of pw with a fresh salt, or NULL when libcrypt cannot make one. Caller frees. */
char *password_hash(const char *pw);

/*
 * A new password of n characters (letters and digits, none of the look-alikes 0O1lI) from the
 * kernel's random source, or NULL when it cannot be read. Caller frees, after explicit_bzero.
 */
char *password_random(size_t n);

/*
 * root's password field in the shadow file at shadow: field is a hash, "!" (locked) or "*" (no
 * password); a file without root's line gets one. Written atomically, mode 0640, and given to
 * the group "shadow" of the group file at group, by that system's number for it. The old and new
 * texts are wiped from memory. 0 or a negative errno, said.
 */
int shadow_set_root(const char *shadow, const char *group, const char *field, struct tx_report *r);

#endif
