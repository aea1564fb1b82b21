/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Passwords through libcrypt: a yescrypt hash with a fresh salt (an answer file's plain rootpw,
 * the installer's screen, a guest's root), and a new random password for a guest.
 */
#ifndef TENXEN_PASSWORD_H
#define TENXEN_PASSWORD_H

#include <stddef.h>

/* A yescrypt hash of pw with a fresh salt, or NULL when libcrypt cannot make one. Caller frees. */
char *password_hash(const char *pw);

/*
 * A new password of n characters (letters and digits, none of the look-alikes 0O1lI) from the
 * kernel's random source, or NULL when it cannot be read. Caller frees, after explicit_bzero.
 */
char *password_random(size_t n);

#endif
