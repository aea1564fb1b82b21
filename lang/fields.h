/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The checks of single values that the answer-file reader, the installer's screens and the
 * command line share, so that each accepts exactly what the others do.
 */
#ifndef TENXEN_FIELDS_H
#define TENXEN_FIELDS_H

#include <stdbool.h>

/* The serial speeds Xen and the consoles use: "9600, 19200, 38400, 57600 or 115200". */
extern const char field_speeds_text[];
/* A serial speed written as digits alone; *speed set when it is one. */
bool field_serial_speed(const char *v, unsigned *speed);
/* ttyS0..ttyS3 (or com1..com4 when com is true); *port set to 0..3. */
bool field_serial_port(const char *v, bool com, int *port);

/* A host name: labels of letters, digits and -, 1 to 63 long, not starting or ending with -,
 * joined by single dots; 253 characters at most. */
bool field_hostname(const char *h);
bool field_ipv4(const char *s);
/* An IPv4 or IPv6 address. */
bool field_ip(const char *s);
/* A dotted IPv4 netmask's prefix length (255.255.255.0 -> 24), or -1 when it is not one. */
int field_netmask_prefix(const char *s);
/*
 * A prefix length as --netmask or a screen writes it: digits alone, 1 to 32 (1 to 128 for an
 * IPv6 address), or an IPv4 netmask of contiguous ones (255.255.255.0). -1 when it is neither.
 */
int field_prefix(const char *v, bool v6);
/* aa:bb:cc:dd:ee:ff */
bool field_mac(const char *s);
/*
 * A network interface's name as the kernel takes it and Tenxen may give it: 1 to 15 letters,
 * digits, '_', '.', '-', not starting with '-' or '.', and none of the names the host has
 * already: "lo", and Tenxen's bridges xenbr0, xenbr1... NULL when it is one, else a phrase
 * saying why not (static), to follow the name.
 */
const char *field_ifname(const char *s);
/*
 * An address apt and the tests' web servers take for a mirror: http:// or https://, a host (a
 * name, IPv4, or [IPv6]) with an optional port, a path; no user or password (they would be
 * shown and kept readable), no white space, quote, '#', '?' or control character (a deb822
 * field is one line). NULL when it is one, else a phrase saying why not (static).
 */
const char *field_http_url(const char *u);

#endif
