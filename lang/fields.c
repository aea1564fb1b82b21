// SPDX-License-Identifier: GPL-2.0-or-later
#include "lang/fields.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"

const char field_speeds_text[] = "9600, 19200, 38400, 57600 or 115200";

bool field_serial_speed(const char *v, unsigned *speed)
{
	static const unsigned speeds[] = {9600, 19200, 38400, 57600, 115200};
	char buf[16];

	for (size_t i = 0; i < ARRAY_SIZE(speeds); i++) {
		snprintf(buf, sizeof(buf), "%u", speeds[i]);
		if (streq(buf, v)) {
			*speed = speeds[i];
			return true;
		}
	}
	return false;
}

bool field_serial_port(const char *v, bool com, int *port)
{
	if (strlen(v) == 5 && startswith(v, "ttyS") && v[4] >= '0' && v[4] <= '3') {
		*port = v[4] - '0';
		return true;
	}
	if (com && strlen(v) == 4 && startswith(v, "com") && v[3] >= '1' && v[3] <= '4') {
		*port = v[3] - '1';
		return true;
	}
	return false;
}

bool field_hostname(const char *h)
{
	size_t n = strlen(h), label = 0;

	if (n == 0 || n > 253 || h[0] == '.' || h[n - 1] == '.' || h[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)h[i];

		if (ch == '.') {
			if (label == 0 || h[i - 1] == '-' || h[i + 1] == '-')
				return false;
			label = 0;
			continue;
		}
		if (!isalnum(ch) && ch != '-')
			return false;
		if (++label > 63)
			return false;
	}
	return h[n - 1] != '-';
}

bool field_ipv4(const char *s)
{
	struct in_addr a;

	return inet_pton(AF_INET, s, &a) == 1;
}

bool field_ip(const char *s)
{
	unsigned char buf[16];

	return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

int field_netmask_prefix(const char *s)
{
	struct in_addr a;
	uint32_t m;
	int n = 0;

	if (inet_pton(AF_INET, s, &a) != 1)
		return -1;
	m = ntohl(a.s_addr);
	while (m & 0x80000000u) {
		n++;
		m <<= 1;
	}
	return m ? -1 : n;
}

int field_prefix(const char *v, bool v6)
{
	size_t n = strlen(v);
	int pl;

	if (n && n <= 3 && strspn(v, "0123456789") == n) {
		pl = atoi(v);
		return pl >= 1 && pl <= (v6 ? 128 : 32) ? pl : -1;
	}
	if (v6)
		return -1;
	pl = field_netmask_prefix(v);
	return pl >= 1 ? pl : -1;
}

const char *field_ifname(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 15)
		return "is not a network interface name: the kernel's names have 1 to 15 characters";
	if (s[0] == '-' || s[0] == '.' ||
	    strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		      "0123456789_.-") != n)
		return "is not a network interface name: letters, digits, '_', '.' and '-', not starting with '-' or '.'";
	if (streq(s, "lo"))
		return "is the loopback interface, which every host has";
	if (startswith(s, "xenbr") && s[5] && strspn(s + 5, "0123456789") == n - 5)
		return "is the name of a bridge Tenxen makes for the guests";
	return NULL;
}

bool field_mac(const char *s)
{
	if (strlen(s) != 17)
		return false;
	for (int i = 0; i < 17; i++)
		if (i % 3 == 2 ? s[i] != ':' : !isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

const char *field_http_url(const char *u)
{
	const char *host, *end;
	char *name;
	bool ok;

	if (startswith(u, "http://"))
		host = u + 7;
	else if (startswith(u, "https://"))
		host = u + 8;
	else
		return "is not an http:// or https:// address (apt on the host reads its mirror over HTTP)";
	for (const char *q = u; *q; q++) {
		unsigned char ch = (unsigned char)*q;

		if (ch <= ' ' || ch >= 0x7f || ch == '"' || ch == '\\' || ch == '#' || ch == '?')
			return "holds a character an apt source cannot (white space, a quote, #, ? or a control character)";
	}
	end = host + strcspn(host, "/");
	if (memchr(host, '@', (size_t)(end - host)))
		return "holds a user name or password, which would be shown in plans and kept in a file anyone on the host reads: give apt its credentials in /etc/apt/auth.conf.d in %post";
	if (*host == '[') { /* an IPv6 literal */
		const char *close = memchr(host, ']', (size_t)(end - host));

		if (!close)
			return "opens an IPv6 address with [ and does not close it";
		name = xstrndup(host + 1, (size_t)(close - host - 1));
		ok = field_ip(name) && strchr(name, ':');
		if (ok && close[1] && close[1] != ':' && close + 1 != end)
			ok = false;
	} else {
		const char *colon = memchr(host, ':', (size_t)(end - host));

		name = xstrndup(host, (size_t)((colon ? colon : end) - host));
		ok = field_hostname(name) || field_ipv4(name);
		if (ok && colon) {
			char *port = xstrndup(colon + 1, (size_t)(end - colon - 1));
			long n = *port && strspn(port, "0123456789") == strlen(port) ? atol(port)
										     : 0;

			ok = n >= 1 && n <= 65535;
			free(port);
		}
	}
	free(name);
	return ok ? NULL
		  : "does not name a host (a name, an IPv4 address or [an IPv6 address], then an optional :port)";
}
