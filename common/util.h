/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Small helpers shared by every room of Tenxen: memory, strings, string vectors, sizes.
 *
 * Memory: the x* allocators never return NULL; running out of memory in an installer is not
 * recoverable, so they print one line and abort (the util-linux xalloc convention).
 * Every function returning char * says who frees it.
 */
#ifndef TENXEN_UTIL_H
#define TENXEN_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define KiB 1024ULL
#define MiB (1024ULL * KiB)
#define GiB (1024ULL * MiB)
#define TiB (1024ULL * GiB)

void *xmalloc(size_t n);
void *xzalloc(size_t n);
void *xrealloc(void *p, size_t n);
/* Grow *arr (of *n elements of size sz) by one zeroed element; returns it. */
void *xgrow(void *arr_ptr, size_t *n, size_t sz);
char *xstrdup(const char *s);		 /* NULL in, NULL out; caller frees */
char *xstrndup(const char *s, size_t n); /* caller frees */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2))); /* caller frees */
char *xvasprintf(const char *fmt, va_list ap);

bool streq(const char *a, const char *b); /* NULL-safe */
bool startswith(const char *s, const char *prefix);
bool endswith(const char *s, const char *suffix);
char *strip(char *s); /* in place; returns s */

/* A growable vector of owned strings, always NULL-terminated. */
struct strv {
	char **v;
	size_t n;
};
void strv_push(struct strv *sv, const char *s); /* copies s */
void strv_push_owned(struct strv *sv, char *s); /* takes s */
/* Every string once, at its first place; in O(n log n). */
void strv_dedupe(struct strv *sv);
bool strv_contains(const struct strv *sv, const char *s);
void strv_free(struct strv *sv); /* frees the strings; the struct may be reused */
void strv_copy(struct strv *dst, const struct strv *src);
/* Split s at sep into dst (empty fields kept, so "a,,b" has three). */
void strv_split(struct strv *dst, const char *s, char sep);
char *strv_join(const struct strv *sv, const char *sep); /* caller frees */
void strv_sort(struct strv *sv);			 /* in strcmp order */

/* Edit distance (Damerau: an adjacent swap counts one), for "did you mean". */
size_t edit_distance(const char *a, const char *b);
/* The candidate closest to word, or NULL when none is close enough to suggest. */
const char *did_you_mean(const char *word, const char *const *cands, size_t n);

/*
 * Sizes. Suffixes K, M, G, T (and KiB..TiB) are powers of 1024; KB, MB, GB, TB powers of 1000;
 * B is bytes. A bare number means default_unit bytes. Returns 0 or -EINVAL/-ERANGE.
 */
int parse_size(const char *s, uint64_t default_unit, uint64_t *out);
/* The largest size Tenxen takes for a disk or anything on one: 1 EiB. Every size is checked
 * against it where it enters (answer files, machine profiles, sysfs), so that no sum of sizes,
 * offsets and alignments can wrap. */
#define DISK_MAX ((uint64_t)1 << 60)
/* "20.0 GiB"; exact units print without decimals ("512 MiB"). Caller frees. */
char *human_size(uint64_t bytes);
/* Same as human_size, but in decimal units as disks are sold ("500.1 GB"). Caller frees. */
char *human_size_si(uint64_t bytes);

/*
 * A whole file into *out (NUL-terminated; caller frees); *len (may be NULL) gets its length.
 * Only a regular file is read: a FIFO, device or socket is refused at once (-ENODEV) and never
 * waited on, a folder too (-EISDIR); past 1 GiB, -EFBIG. Returns 0 or -errno.
 */
int read_file(const char *path, char **out, size_t *len);
/* A text file Tenxen reads (answer files, boot configs, a host's /etc files): as read_file, at
 * most TEXT_MAX bytes (-EFBIG), and no NUL byte in it (-EILSEQ). */
#define TEXT_MAX ((size_t)16 << 20)
int read_text_file(const char *path, char **out, size_t *len);
/* Why a read_file or read_text_file failed, as a phrase for "cannot read X: PHRASE". */
const char *read_error(int rc);
int mkdir_p(const char *path); /* the folder and its parents (mode 0755); 0 or -errno */
/*
 * Debian's version order (dpkg --compare-versions, Debian Policy 5.6.12) on two version strings:
 * digits compare as numbers, letters before other characters, and '~' before anything, even the
 * end (1.0~rc1 < 1.0). Returns <0, 0 or >0.
 */
int deb_version_cmp(const char *a, const char *b);

/* The folder a path is in: "." for a bare name, "/" for /name. Caller frees. */
char *dir_of(const char *path);

/* Read a one-line sysfs-style file, stripped. NULL when missing or empty. Caller frees. */
char *read_line_file(const char *path);

#endif
