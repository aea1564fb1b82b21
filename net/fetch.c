// SPDX-License-Identifier: GPL-2.0-or-later
#include "net/fetch.h"
#include "common/util.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

bool fetch_is_url(const char *s)
{
	static const char *const schemes[] = {"http://", "https://", "tftp://", "file://"};

	for (size_t i = 0; i < ARRAY_SIZE(schemes); i++)
		if (strncasecmp(s, schemes[i], strlen(schemes[i])) == 0)
			return true;
	return false;
}

struct buf {
	char *data;
	size_t len;
	size_t limit;
};

static size_t take(char *ptr, size_t size, size_t n, void *userdata)
{
	struct buf *b = userdata;
	size_t more = size * n;

	if (b->len + more > b->limit)
		return 0; /* too big for an answer file: abort the transfer */
	b->data = xrealloc(b->data, b->len + more + 1);
	memcpy(b->data + b->len, ptr, more);
	b->len += more;
	b->data[b->len] = '\0';
	return more;
}

int fetch_url(const char *url, unsigned timeout_s, char **out, size_t *len, struct tx_report *r)
{
	return fetch_url_ex(url, NULL, false, timeout_s, out, len, r);
}

static int fetch_what(const char *what, const char *url, const struct strv *headers,
		      bool missing_ok, unsigned timeout_s, char **out, size_t *len,
		      struct tx_report *r);

int fetch_url_ex(const char *url, const struct strv *headers, bool missing_ok, unsigned timeout_s,
		 char **out, size_t *len, struct tx_report *r)
{
	return fetch_what("the answer file", url, headers, missing_ok, timeout_s, out, len, r);
}

int fetch_named(const char *what, const char *url, unsigned timeout_s, char **out, size_t *len,
		struct tx_report *r)
{
	return fetch_what(what, url, NULL, false, timeout_s, out, len, r);
}

static int fetch_what(const char *what, const char *url, const struct strv *headers,
		      bool missing_ok, unsigned timeout_s, char **out, size_t *len,
		      struct tx_report *r)
{
	struct curl_slist *hl = NULL;
	struct buf b = {.limit = 4u << 20};
	char err[CURL_ERROR_SIZE] = "";
	time_t until = time(NULL) + (time_t)timeout_s;
	long status = 0;
	CURLcode cc = CURLE_FAILED_INIT;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
		tx_error(r, NULL, "cannot start libcurl to fetch %s", url);
		return -EIO;
	}
	for (size_t i = 0; headers && i < headers->n; i++)
		/* a header is one line: one with CR or LF in it would be two */
		if (!strpbrk(headers->v[i], "\r\n"))
			hl = curl_slist_append(hl, headers->v[i]);
	for (int attempt = 1;; attempt++) {
		CURL *c = curl_easy_init();

		if (!c)
			break;
		free(b.data);
		b.data = NULL;
		b.len = 0;
		err[0] = '\0';
		curl_easy_setopt(c, CURLOPT_URL, url);
		curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
		curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
		curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
		{
			/* the whole fetch has one deadline: an attempt gets what is left of it (at
			 * least 10 s, at most 60), so a server that trickles ends it */
			long left = (long)(until - time(NULL));

			curl_easy_setopt(c, CURLOPT_TIMEOUT,
					 left < 10   ? 10L
					 : left > 60 ? 60L
						     : left);
		}
		curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
		curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, take);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
		curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
		if (hl)
			curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
		cc = curl_easy_perform(c);
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		curl_easy_cleanup(c);
		if (r->log)
			fprintf(r->log, "fetch %s, attempt %d: %s\n", url, attempt,
				cc == CURLE_OK ? "ok"
				: err[0]       ? err
					       : curl_easy_strerror(cc));
		/* a server that answered "no" will say it again: only retry a silent one */
		if (cc == CURLE_OK || cc == CURLE_HTTP_RETURNED_ERROR ||
		    cc == CURLE_TFTP_NOTFOUND || cc == CURLE_FILE_COULDNT_READ_FILE ||
		    cc == CURLE_WRITE_ERROR || cc == CURLE_URL_MALFORMAT ||
		    cc == CURLE_UNSUPPORTED_PROTOCOL || time(NULL) + 2 >= until)
			break;
		sleep(2);
	}
	curl_slist_free_all(hl);
	curl_global_cleanup();
	if (cc != CURLE_OK && missing_ok &&
	    ((cc == CURLE_HTTP_RETURNED_ERROR && (status == 404 || status == 410)) ||
	     cc == CURLE_TFTP_NOTFOUND || cc == CURLE_FILE_COULDNT_READ_FILE)) {
		free(b.data);
		return -ENOENT;
	}
	if (cc != CURLE_OK) {
		/* libcurl 7.88's TFTP leaves a stale getpeername() message in the error buffer
		 * (curl#11332): for TFTP, the code's own words are the true ones */
		const char *why =
			err[0] && strncasecmp(url, "tftp:", 5) != 0 ? err : curl_easy_strerror(cc);

		if (cc == CURLE_WRITE_ERROR)
			tx_error(r, NULL,
				 "%s at %s is larger than %zu bytes; is it the right file?", what,
				 url, b.limit);
		else if (cc == CURLE_HTTP_RETURNED_ERROR)
			tx_error(r, NULL,
				 "cannot fetch %s %s: the server answered %ld; check the address",
				 what, url, status);
		else
			tx_error(
				r, NULL,
				"cannot fetch %s %s: %s; check the address, that the server runs, and that this machine has a network (DHCP)",
				what, url, why);
		free(b.data);
		return -EIO;
	}
	*out = b.data ? b.data : xstrdup("");
	*len = b.len;
	return 0;
}
