// SPDX-License-Identifier: GPL-2.0-or-later
/* Reading files as Tenxen must (regular files only, bounded, never waiting on a FIFO), and
 * folders made with their parents. */
#include "common/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The most read_file takes: past it, a file is refused rather than read without end. */
#define READ_MAX ((size_t)1 << 30)

static int read_limited(const char *path, size_t max, char **out, size_t *len)
{
	/* O_NONBLOCK: opening a FIFO does not wait for a writer; it is refused just after */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	size_t cap = 4096, n = 0;
	struct stat st;
	char *buf;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		int e = S_ISDIR(st.st_mode) ? EISDIR : ENODEV;

		close(fd);
		return -e;
	}
	if ((uint64_t)st.st_size > max) {
		close(fd);
		return -EFBIG;
	}
	buf = xmalloc(cap + 1);
	for (;;) {
		ssize_t r = read(fd, buf + n, cap - n);

		if (r < 0) {
			int e = errno;

			if (e == EINTR)
				continue;
			free(buf);
			close(fd);
			return -e;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > max) { /* /proc and /sys files say size 0: the limit holds while reading */
			free(buf);
			close(fd);
			return -EFBIG;
		}
		if (n == cap) {
			cap *= 2;
			buf = xrealloc(buf, cap + 1);
		}
	}
	close(fd);
	buf[n] = '\0';
	*out = buf;
	if (len)
		*len = n;
	return 0;
}

int read_file(const char *path, char **out, size_t *len)
{
	return read_limited(path, READ_MAX, out, len);
}

int read_text_file(const char *path, char **out, size_t *len)
{
	size_t n;
	int rc = read_limited(path, TEXT_MAX, out, &n);

	if (rc == 0 && memchr(*out, '\0', n)) {
		free(*out);
		*out = NULL;
		return -EILSEQ;
	}
	if (rc == 0 && len)
		*len = n;
	return rc;
}

const char *read_error(int rc)
{
	switch (-rc) {
	case ENODEV:
		return "it is not a regular file (a FIFO, a device or a socket)";
	case EISDIR:
		return "it is a folder";
	case EFBIG:
		return "it is larger than Tenxen reads (16 MiB for a text file)";
	case EILSEQ:
		return "it holds a NUL byte, which no text file Tenxen reads may hold";
	default:
		return strerror(-rc);
	}
}

char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

char *read_line_file(const char *path)
{
	char *s;

	if (read_file(path, &s, NULL) < 0)
		return NULL;
	strip(s);
	if (!*s) {
		free(s);
		return NULL;
	}
	return s;
}

int mkdir_p(const char *path)
{
	char *p = xstrdup(path);
	int rc = 0;

	for (char *q = p + 1; *q && rc == 0; q++) {
		if (*q != '/')
			continue;
		*q = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			rc = -errno;
		*q = '/';
	}
	if (rc == 0 && mkdir(p, 0755) < 0 && errno != EEXIST)
		rc = -errno;
	free(p);
	return rc;
}
