// SPDX-License-Identifier: GPL-2.0-or-later
#include "net/payload.h"
#include "net/fetch.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A small file is fetched at open; one bigger than this in the manifest is refused. */
#define SMALL_LIMIT (16u << 20)

bool payload_is_url(const char *s)
{
	return s && (strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0);
}

void payload_remote_free(struct payload_remote *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nfiles; i++)
		free(p->files[i].path);
	free(p->files);
	free(p->url);
	free(p->cache);
	free(p);
	curl_global_cleanup();
}

const struct payload_file *payload_remote_find(const struct payload_remote *p, const char *path)
{
	for (size_t i = 0; p && i < p->nfiles; i++)
		if (streq(p->files[i].path, path))
			return &p->files[i];
	return NULL;
}

void payload_remote_glob(const struct payload_remote *p, const char *pattern, struct strv *out)
{
	for (size_t i = 0; p && i < p->nfiles; i++)
		if (fnmatch(pattern, p->files[i].path, FNM_PATHNAME) == 0)
			strv_push(out, p->files[i].path);
}

bool payload_remote_cached(const struct payload_remote *p, const char *path)
{
	return payload_remote_find(p, path) && !endswith(path, ".zst") && !endswith(path, ".deb");
}

/* A path of the manifest: relative, within the folder, printable, no "." or ".." part. */
static bool safe_path(const char *s)
{
	const char *part = s;

	if (!*s || *s == '/' || strlen(s) > 255)
		return false;
	for (const char *c = s; *c; c++)
		if ((unsigned char)*c < 0x21 || *c == 0x7f || *c == '\\')
			return false;
	while (part) {
		size_t n = strcspn(part, "/");

		if (n == 0 || (n == 1 && part[0] == '.') || (n == 2 && strncmp(part, "..", 2) == 0))
			return false;
		part = part[n] ? part + n + 1 : NULL;
	}
	return true;
}

struct named_at {
	const char *path;
	int line;
};

static int cmp_named(const void *a, const void *b)
{
	const struct named_at *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	return c ? c : (x->line > y->line) - (x->line < y->line);
}

/* A path named twice is refused at its second line: one sort, not a search for each line. */
static int check_twice(struct payload_remote *p, const int *lines, const char *url,
		       struct tx_report *r)
{
	struct named_at *v = xzalloc((p->nfiles + 1) * sizeof(*v));
	int rc = 0;

	for (size_t i = 0; i < p->nfiles; i++)
		v[i] = (struct named_at){p->files[i].path, lines[i]};
	if (p->nfiles)
		qsort(v, p->nfiles, sizeof(*v), cmp_named);
	for (size_t i = 1; i < p->nfiles; i++) {
		struct tx_loc loc = {url, v[i].line};

		if (!streq(v[i].path, v[i - 1].path))
			continue;
		tx_error(r, &loc, "%s is named twice in the manifest (line %d too)", v[i].path,
			 v[i - 1].line);
		rc = -EINVAL;
	}
	free(v);
	return rc;
}

/* The manifest's text into p->files; each fault said at URL:LINE, LINE counting every line of
 * the file, blank ones too. */
int payload_manifest_parse(struct payload_remote *p, const char *url, char *text,
			   struct tx_report *r)
{
	int rc = 0, line = 0, *lines = NULL;
	size_t nlines = 0;

	for (char *l = text, *next; l && *l; l = next) {
		char *sum, *size, *path, *save = NULL;
		struct tx_loc loc = {url, ++line};
		struct payload_file *f;
		uint64_t bytes = 0;
		char *end = NULL;

		next = strchr(l, '\n');
		if (next)
			*next++ = '\0';
		sum = strtok_r(l, " \t", &save);
		size = strtok_r(NULL, " \t", &save);
		path = strtok_r(NULL, " \t", &save);
		if (!sum || sum[0] == '#')
			continue;
		if (size && *size != '-') {
			errno = 0;
			bytes = strtoull(size, &end, 10);
		}
		if (!sha256_valid(sum) || !size || !end || *end || errno || !path ||
		    strtok_r(NULL, " \t", &save)) {
			tx_error(
				r, &loc,
				"a line of the manifest is \"SHA256 BYTES PATH\" (64 lowercase hex digits, a number, a path); make the payload's folder again (make netboot)");
			rc = -EINVAL;
			continue;
		}
		if (!safe_path(path)) {
			tx_error(
				r, &loc,
				"\"%s\" is not a path inside the payload's folder; the manifest is damaged or not the payload's",
				path);
			rc = -EINVAL;
			continue;
		}
		f = xgrow(&p->files, &p->nfiles, sizeof(*p->files));
		f->path = xstrdup(path);
		f->size = bytes;
		memcpy(f->sha256, sum, SHA256_HEX);
		*(int *)xgrow(&lines, &nlines, sizeof(int)) = line;
	}
	if (check_twice(p, lines, url, r) < 0)
		rc = -EINVAL;
	free(lines);
	if (rc == 0 && p->nfiles == 0) {
		tx_error(r, NULL, "the manifest %s names no file; is it the payload's?", url);
		rc = -EINVAL;
	}
	return rc;
}

/* Where bytes of one transfer go, across its attempts. */
struct sink {
	CURL *c;
	bool ranged;   /* a byte range was asked for: the answer must be 206 */
	uint64_t got;  /* handed on so far */
	uint64_t want; /* the range's length */
	int (*give)(void *arg, const char *buf, size_t n);
	void *arg;
	int give_rc;
};

static size_t on_data(char *ptr, size_t size, size_t n, void *userdata)
{
	struct sink *s = userdata;
	size_t len = size * n;
	long status = 0;
	int rc;

	curl_easy_getinfo(s->c, CURLINFO_RESPONSE_CODE, &status);
	if (s->ranged && status != 206) {
		s->give_rc = -EPROTO;
		return 0;
	}
	if (len > s->want - s->got) {
		s->give_rc = -E2BIG;
		return 0;
	}
	rc = s->give(s->arg, ptr, len);
	if (rc < 0) {
		s->give_rc = rc;
		return 0;
	}
	s->got += len;
	return len;
}

/* A failure that trying again may mend: the network, not the server's answer. */
static bool transient(CURLcode cc)
{
	return cc == CURLE_COULDNT_CONNECT || cc == CURLE_COULDNT_RESOLVE_HOST ||
	       cc == CURLE_PARTIAL_FILE || cc == CURLE_RECV_ERROR || cc == CURLE_SEND_ERROR ||
	       cc == CURLE_OPERATION_TIMEDOUT || cc == CURLE_GOT_NOTHING ||
	       cc == CURLE_SSL_CONNECT_ERROR || cc == CURLE_HTTP2 || cc == CURLE_HTTP2_STREAM;
}

/* 1, 2, 4, 8, 16 seconds, then 16 each time. */
static unsigned backoff(int attempt)
{
	return attempt >= 5 ? 16 : 1u << (attempt - 1);
}

static void common_options(CURL *c, const char *url, char *err)
{
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	/* a server that stops sending, without closing, is a dropped connection too */
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 30L);
	curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
}

/*
 * Bytes [offset, offset + s->want) of url into s, tried again from where it broke while the
 * failure is the network's. 0, or -errno with *why.
 */
static int transfer(const struct payload_remote *p, const char *url, uint64_t offset,
		    uint64_t whole, struct sink *s, char **why)
{
	if (s->want == 0 && whole > 0)
		return 0; /* an empty range: nothing to ask for */
	for (int attempt = 1;; attempt++) {
		char err[CURL_ERROR_SIZE] = "", range[64] = "";
		uint64_t from = offset + s->got;
		long status = 0;
		CURLcode cc;

		s->c = curl_easy_init();
		if (!s->c) {
			*why = xasprintf("cannot start libcurl to fetch %s", url);
			return -ENOMEM;
		}
		common_options(s->c, url, err);
		/* an overall deadline for what is left: a trickle is no stall, but it ends */
		curl_easy_setopt(s->c, CURLOPT_TIMEOUT,
				 (long)(p->grace + (s->want - s->got) / p->min_rate));
		curl_easy_setopt(s->c, CURLOPT_WRITEFUNCTION, on_data);
		curl_easy_setopt(s->c, CURLOPT_WRITEDATA, s);
		s->ranged = from > 0 || offset + s->want < whole;
		if (s->ranged) {
			snprintf(range, sizeof(range), "%" PRIu64 "-%" PRIu64, from,
				 offset + s->want - 1);
			curl_easy_setopt(s->c, CURLOPT_RANGE, range);
		}
		s->give_rc = 0;
		cc = curl_easy_perform(s->c);
		curl_easy_getinfo(s->c, CURLINFO_RESPONSE_CODE, &status);
		curl_easy_cleanup(s->c);
		s->c = NULL;
		if (s->give_rc == -EPROTO) {
			*why = xasprintf(
				"%s: the server answered a request for bytes %s with HTTP %ld, not 206; serve the payload with a web server that takes byte ranges (any common one does)",
				url, range, status);
			return -EPROTO;
		}
		if (s->give_rc == -E2BIG) {
			*why = xasprintf(
				"%s: the server sent more than the manifest's %" PRIu64
				" bytes; the server's copy is not the one the manifest describes",
				url, whole);
			return -EIO;
		}
		if (s->give_rc < 0)
			return s->give_rc; /* the receiver said why */
		if (cc == CURLE_OK && s->got == s->want)
			return 0;
		if (cc == CURLE_OK) {
			/* a whole answer, short: the server's file is, not the connection */
			*why = xasprintf(
				"%s: the server sent %" PRIu64 " of the %" PRIu64
				" bytes the manifest gives it; the server's copy is damaged or from another build: copy the payload's folder again",
				url, s->got, s->want);
			return -EIO;
		}
		if (!transient(cc) || attempt >= (int)p->tries) {
			const char *what = err[0] ? err : curl_easy_strerror(cc);

			if (cc == CURLE_HTTP_RETURNED_ERROR && (status == 404 || status == 410))
				*why = xasprintf(
					"%s: the server has no such file (HTTP %ld), and the manifest names it; copy the payload's folder whole (make netboot)",
					url, status);
			else if (cc == CURLE_HTTP_RETURNED_ERROR)
				*why = xasprintf("%s: the server answered HTTP %ld", url, status);
			else
				*why = xasprintf(
					"%s: %s, after %d tr%s (%" PRIu64 " of %" PRIu64
					" bytes read); is the web server up and reachable?",
					url, what, attempt, attempt == 1 ? "y" : "ies", s->got,
					s->want);
			return cc == CURLE_HTTP_RETURNED_ERROR ? -ENOENT : -EIO;
		}
		sleep(backoff(attempt));
	}
}

int payload_remote_read(const struct payload_remote *p, const char *path, uint64_t offset,
			uint64_t length, int (*give)(void *arg, const char *buf, size_t n),
			void *arg, char **why)
{
	const struct payload_file *f = payload_remote_find(p, path);
	struct sink s = {.want = length, .give = give, .arg = arg};
	char *url;
	int rc;

	*why = NULL;
	if (!f || offset > f->size || length > f->size - offset) {
		*why = xasprintf("%s%s: bytes %" PRIu64 "+%" PRIu64
				 " are not in the manifest's file",
				 p->url, path, offset, length);
		return -EINVAL;
	}
	url = xasprintf("%s%s", p->url, path);
	rc = transfer(p, url, offset, f->size, &s, why);
	free(url);
	return rc;
}

/* A file being fetched: written to fd, digested. */
struct filling {
	int fd;
	struct sha256 *sum;
	const char *dest;
	int err;
};

static int fill(void *arg, const char *buf, size_t n)
{
	struct filling *fl = arg;

	sha256_update(fl->sum, buf, n);
	while (n) {
		ssize_t w = write(fl->fd, buf, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			fl->err = errno;
			return -EIO;
		}
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

int payload_remote_fetch(const struct payload_remote *p, const char *path, const char *dest,
			 struct tx_report *r)
{
	const struct payload_file *f = payload_remote_find(p, path);
	char *url = xasprintf("%s%s", p->url, path), *part = xasprintf("%s.part", dest);
	char *dir = dir_of(dest), *why = NULL;
	struct filling fl = {.fd = -1, .dest = dest};
	struct sink s = {.give = fill, .arg = &fl};
	char hex[SHA256_HEX];
	int rc = 0;

	if (!f) {
		tx_error(r, NULL, "the payload's manifest (%s%s) has no %s; is the payload whole?",
			 p->url, PAYLOAD_MANIFEST, path);
		rc = -ENOENT;
		goto out;
	}
	s.want = f->size;
	rc = mkdir_p(dir);
	if (rc == 0) {
		fl.fd = open(part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
		rc = fl.fd < 0 ? -errno : 0;
	}
	if (rc < 0) {
		tx_error(r, NULL, "cannot write %s: %s", part, strerror(-rc));
		goto out;
	}
	fl.sum = sha256_new();
	rc = transfer(p, url, 0, f->size, &s, &why);
	if (rc == -EIO && fl.err) {
		tx_error(r, NULL, "cannot write %s, fetched from %s: %s", part, url,
			 strerror(fl.err));
	} else if (rc < 0) {
		tx_error(r, NULL, "%s", why);
	} else {
		sha256_hex(fl.sum, hex);
		if (!streq(hex, f->sha256)) {
			tx_error(
				r, NULL,
				"%s: its SHA-256 is %s, and the manifest says %s; the server's copy is damaged or from another build: copy the payload's folder again",
				url, hex, f->sha256);
			rc = -EIO;
		} else if (fsync(fl.fd) < 0 || rename(part, dest) < 0) {
			rc = -errno;
			tx_error(r, NULL, "cannot keep %s as %s: %s", part, dest, strerror(errno));
		}
	}
	if (r->log && rc == 0)
		fprintf(r->log, "payload: %s, %" PRIu64 " bytes, checked, to %s\n", url, f->size,
			dest);
out:
	if (fl.fd >= 0)
		close(fl.fd);
	if (rc < 0)
		unlink(part);
	sha256_free(fl.sum);
	free(why);
	free(dir);
	free(part);
	free(url);
	return rc;
}

int payload_remote_check(const struct payload_remote *p, const char *path, struct tx_report *r)
{
	const struct payload_file *f = payload_remote_find(p, path);
	char *url = xasprintf("%s%s", p->url, path);
	curl_off_t length = -1;
	long status = 0;
	CURLcode cc = CURLE_FAILED_INIT;
	int rc = 0;

	for (int attempt = 1; f; attempt++) {
		char err[CURL_ERROR_SIZE] = "";
		CURL *c = curl_easy_init();

		if (!c)
			break;
		common_options(c, url, err);
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
		cc = curl_easy_perform(c);
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		curl_easy_getinfo(c, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
		curl_easy_cleanup(c);
		if (cc == CURLE_OK || !transient(cc) || attempt >= (int)p->tries) {
			if (cc != CURLE_OK && cc != CURLE_HTTP_RETURNED_ERROR)
				tx_error(r, NULL, "%s: %s; is the web server up and reachable?",
					 url, err[0] ? err : curl_easy_strerror(cc));
			break;
		}
		sleep(backoff(attempt));
	}
	if (!f) {
		tx_error(r, NULL, "the payload's manifest (%s%s) has no %s; is the payload whole?",
			 p->url, PAYLOAD_MANIFEST, path);
		rc = -ENOENT;
	} else if (cc == CURLE_HTTP_RETURNED_ERROR) {
		tx_error(
			r, NULL,
			"%s: the server answered HTTP %ld, and the manifest names the file; copy the payload's folder whole (make netboot)",
			url, status);
		rc = -ENOENT;
	} else if (cc != CURLE_OK) {
		rc = -EIO;
	} else if (length >= 0 && (uint64_t)length != f->size) {
		tx_error(
			r, NULL,
			"%s holds %" PRId64 " bytes, and the manifest says %" PRIu64
			"; the server's copy is damaged or from another build: copy the payload's folder again",
			url, (int64_t)length, f->size);
		rc = -EIO;
	}
	free(url);
	return rc;
}

int payload_remote_open(const char *url, const char *cache, unsigned wait_s,
			const struct payload_limits *lim, struct tx_report *r,
			struct payload_remote **out)
{
	struct payload_remote *p = xzalloc(sizeof(*p));
	char *manifest, *text = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
		tx_error(r, NULL, "cannot start libcurl to fetch the payload from %s", url);
		free(p);
		return -EIO;
	}
	p->url = endswith(url, "/") ? xstrdup(url) : xasprintf("%s/", url);
	p->cache = xstrdup(cache);
	p->tries = lim && lim->tries ? lim->tries : 6;
	p->min_rate = lim && lim->min_rate ? lim->min_rate : 64 * 1024;
	p->grace = lim && lim->grace ? lim->grace : 120;
	manifest = xasprintf("%s%s", p->url, PAYLOAD_MANIFEST);
	rc = fetch_named("the payload's manifest", manifest, wait_s, &text, &len, r);
	if (rc == 0 && strlen(text) != len) {
		tx_error(r, NULL, "the manifest %s holds a NUL byte; it is not the payload's",
			 manifest);
		rc = -EINVAL;
	}
	if (rc == 0)
		rc = payload_manifest_parse(p, manifest, text, r);
	for (size_t i = 0; rc == 0 && i < p->nfiles; i++) {
		const struct payload_file *f = &p->files[i];
		char *dest;

		if (!payload_remote_cached(p, f->path))
			continue;
		if (f->size > SMALL_LIMIT) {
			tx_error(
				r, NULL,
				"the manifest %s gives %s %" PRIu64
				" bytes, more than the installer fetches before the disks (%u MiB); it is not the payload's",
				manifest, f->path, f->size, SMALL_LIMIT >> 20);
			rc = -EFBIG;
			break;
		}
		dest = xasprintf("%s/%s", p->cache, f->path);
		rc = payload_remote_fetch(p, f->path, dest, r);
		free(dest);
	}
	if (rc == 0)
		tx_info(r, NULL,
			"the payload at %s: %zu files in its manifest, the small ones checked",
			p->url, p->nfiles);
	free(text);
	free(manifest);
	if (rc < 0) {
		payload_remote_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

char *payload_release(const char *dir)
{
	char *path = xasprintf("%s/release", dir), *text = NULL, *at, *name = NULL;
	size_t len = 0, n;

	if (read_text_file(path, &text, &len) == 0 && len < 4096 &&
	    (at = strstr(text, "Debian ")) != NULL) {
		at += strlen("Debian ");
		n = strspn(at, "abcdefghijklmnopqrstuvwxyz");
		if (n > 0 && n <= 32)
			name = xstrndup(at, n);
	}
	free(text);
	free(path);
	return name;
}
