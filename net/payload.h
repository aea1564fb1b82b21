/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The payload served over HTTP(S) (tenxen.payload=URL, install --payload URL): a folder like the
 * medium's tenxen/, with a manifest, payload.sums, of each file's SHA-256, size and path:
 *
 *   <64 hex digits> <bytes> <path>      one file a line; the path relative, without ".."
 *
 * Opening it fetches and checks the manifest and every small file (all but the .zst and .deb
 * files: the root image's map, the package sets, the repository's index, the layers' lists)
 * into a local folder, before any disk is touched. The large files are streamed later, to where
 * the install needs them, and checked against the manifest as they arrive. A dropped connection
 * is tried again with back-off, resuming where it broke; an answer of "no such file" is final.
 */
#ifndef TENXEN_PAYLOAD_H
#define TENXEN_PAYLOAD_H

#include <stdbool.h>
#include <stdint.h>

#include "common/report.h"
#include "common/sha256.h"
#include "common/util.h"

#define PAYLOAD_MANIFEST "payload.sums"

struct payload_file {
	char *path;
	uint64_t size;
	char sha256[SHA256_HEX];
};

struct payload_remote {
	char *url;   /* ends in "/" */
	char *cache; /* the local folder holding the small files, checked */
	struct payload_file *files;
	size_t nfiles;
	unsigned tries;	   /* attempts per file (default 6) */
	unsigned min_rate; /* bytes a second a transfer must average (default 64 KiB) */
	unsigned grace;	   /* seconds a transfer has beyond size / min_rate (default 120) */
};

/* How long the payload's transfers may take; a field left 0 takes its default. A server that
 * trickles (a byte now and then, never stalling for long) meets the deadline, not a hang. */
struct payload_limits {
	unsigned tries, min_rate, grace;
};

/*
 * The manifest's text ("SHA256 BYTES PATH" a line; # comments and blank lines) into p->files,
 * each path inside the payload's folder and named once; each fault said at url:LINE, the file's
 * own line. 0 or -EINVAL. (payload_remote_open calls it; the fuzzer too.)
 */
int payload_manifest_parse(struct payload_remote *p, const char *url, char *text,
			   struct tx_report *r);

/* Whether s names a payload to read over the network: "http://" or "https://". */
bool payload_is_url(const char *s);
/* The Debian release ("bookworm") a payload folder's release file names ("Tenxen 0.1, Debian
 * bookworm"), or NULL when it has none. Caller frees. */
char *payload_release(const char *dir);

/*
 * Fetch url's manifest (tried for up to wait_s seconds while nothing answers) and its small files
 * into cache (made if missing). *out is the caller's (payload_remote_free). 0, or a negative
 * errno having said which URL failed and how.
 */
int payload_remote_open(const char *url, const char *cache, unsigned wait_s,
			const struct payload_limits *lim, struct tx_report *r,
			struct payload_remote **out);
void payload_remote_free(struct payload_remote *p); /* NULL-safe */

/* The manifest's entry for path, or NULL. */
const struct payload_file *payload_remote_find(const struct payload_remote *p, const char *path);
/* The manifest's paths matching a shell pattern (fnmatch), into out, in the manifest's order. */
void payload_remote_glob(const struct payload_remote *p, const char *pattern, struct strv *out);
/* Whether path is one of the small files open fetched: then it is at cache/path. */
bool payload_remote_cached(const struct payload_remote *p, const char *path);

/*
 * The server still has path at the manifest's size (an HTTP HEAD), so a file replaced or cut
 * short on the server is found before any disk is touched. 0, or -errno having said so.
 */
int payload_remote_check(const struct payload_remote *p, const char *path, struct tx_report *r);

/*
 * path streamed into the file dest (its folder made), checked against the manifest's size and
 * SHA-256; dest appears only once it is whole and checked. 0, or -errno having said why.
 */
int payload_remote_fetch(const struct payload_remote *p, const char *path, const char *dest,
			 struct tx_report *r);

/*
 * Bytes [offset, offset + length) of path handed to give(arg, bytes, n) in order, for
 * storage/image.c's frames; safe from several threads at once (once open has returned). 0, or a
 * negative errno with *why (caller frees) saying what failed; a failure of give is returned as
 * it is, and not tried again.
 */
int payload_remote_read(const struct payload_remote *p, const char *path, uint64_t offset,
			uint64_t length, int (*give)(void *arg, const char *buf, size_t n),
			void *arg, char **why);

#endif
