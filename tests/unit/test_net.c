// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A payload read over HTTP (net/payload.c), against tests/lib/payload-httpd.py: the manifest and
 * small files at open, a large file streamed and checked, resumed after a dropped connection
 * with each byte sent once, byte ranges; and each way it is refused, said with the URL.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/util.h"
#include "net/payload.h"
#include "unit.h"

static char dir[] = "/tmp/tenxen-unit-payload-XXXXXX";
static char said[16384];
static char *url;
static struct payload_limits limits; /* 0: the defaults */

static void hear(void *data, enum tx_level level, const struct tx_loc *loc, const char *text)
{
	size_t n = strlen(said);

	(void)data;
	(void)level;
	if (loc && loc->file)
		snprintf(said + n, sizeof(said) - n, "%s:%d: %s\n", loc->file, loc->line, text);
	else
		snprintf(said + n, sizeof(said) - n, "%s\n", text);
}

static const struct tx_ui ui = {.message = hear};

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	va_list ap;
	char *cmd;
	int rc;

	va_start(ap, fmt);
	cmd = xvasprintf(fmt, ap);
	va_end(ap);
	rc = system(cmd);
	free(cmd);
	return rc;
}

static char *at(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

/* The server stopped (if running), then started again over srv/ with these options. */
static void serve(const char *opts)
{
	char *port = NULL;

	sh("cd %s && [ -f pid ] && kill $(cat pid) 2> /dev/null; rm -f pid port log", dir);
	CHECK(sh("python3 tests/lib/payload-httpd.py %s/srv %s/port %s/log %s > /dev/null 2>&1 &"
		 " echo $! > %s/pid",
		 dir, dir, dir, opts, dir) == 0);
	for (int i = 0; i < 100; i++) {
		char *p = at("port");

		if (read_file(p, &port, NULL) == 0) {
			free(p);
			break;
		}
		free(p);
		usleep(50000);
	}
	CHECK(port != NULL);
	free(url);
	url = xasprintf("http://127.0.0.1:%s/", port ? port : "1");
	free(port);
}

static void stop(void)
{
	sh("cd %s && [ -f pid ] && kill $(cat pid) 2> /dev/null; rm -f pid", dir);
}

/* The bytes the server's log says it sent for path, all requests together. */
static long sent_for(const char *path)
{
	char *cmd =
		xasprintf("awk '$2 == \"/%s\" { s += $5 } END { print s + 0 }' %s/log", path, dir);
	FILE *f = popen(cmd, "r");
	long n = -1;

	if (f) {
		if (fscanf(f, "%ld", &n) != 1)
			n = -1;
		pclose(f);
	}
	free(cmd);
	return n;
}

static struct payload_remote *open_it(int *rc)
{
	struct tx_report r = {.ui = &ui};
	struct payload_remote *p = NULL;
	char *cache = at("cache");

	said[0] = '\0';
	sh("rm -rf %s", cache);
	*rc = payload_remote_open(url, cache, 1, &limits, &r, &p);
	free(cache);
	return p;
}

struct collect {
	char buf[8192];
	size_t len;
};

static int keep(void *arg, const char *b, size_t n)
{
	struct collect *c = arg;

	if (c->len + n > sizeof(c->buf))
		return -E2BIG;
	memcpy(c->buf + c->len, b, n);
	c->len += n;
	return 0;
}

/* srv/: a large file (3 MiB), a package, small files in folders, and the manifest over them. */
static void make_payload(void)
{
	CHECK(sh("set -e; cd %s; mkdir -p srv/repo srv/layers; head -c 3M /dev/urandom > srv/root.img.zst;"
		 " echo 'guests: xen-tools' > srv/package-sets; printf 'a\\nb\\n' > srv/layers/x.removed;"
		 " head -c 5000 /dev/urandom > srv/repo/tenxen_0.1_amd64.deb;"
		 " cd $OLDPWD && iso/payload-sums.sh %s/srv > /dev/null",
		 dir, dir) == 0);
}

TEST(open_fetch_read)
{
	struct tx_report r = {.ui = &ui};
	struct payload_remote *p;
	struct collect c = {0};
	char *dest = at("got/root.img.zst"), *why = NULL;
	int rc;

	make_payload();
	serve("--drop root.img.zst:100000");
	p = open_it(&rc);
	CHECK(rc == 0 && p);
	CHECK(strstr(said, "4 files in its manifest, the small ones checked"));
	/* the small files are in the cache, the large ones not */
	CHECK(sh("cd %s && cmp -s srv/package-sets cache/package-sets && cmp -s srv/layers/x.removed cache/layers/x.removed && [ ! -e cache/root.img.zst ] && [ ! -e cache/repo ]",
		 dir) == 0);
	CHECK(p && payload_remote_cached(p, "package-sets"));
	CHECK(p && !payload_remote_cached(p, "root.img.zst"));
	if (!p)
		return;
	CHECK(payload_remote_check(p, "root.img.zst", &r) == 0);
	/* the connection drops after 100000 bytes: resumed from there, each byte sent once */
	CHECK(payload_remote_fetch(p, "root.img.zst", dest, &r) == 0);
	CHECK(sh("cmp -s %s/srv/root.img.zst %s", dir, dest) == 0);
	CHECK(sh("grep -q '^GET /root.img.zst bytes=100000-3145727 206 3045728 ' %s/log", dir) ==
	      0);
	CHECK(sent_for("root.img.zst") == 3 << 20);
	{
		struct strv names = {0};

		payload_remote_glob(p, "repo/tenxen_*.deb", &names);
		CHECK(names.n == 1 && streq(names.v[0], "repo/tenxen_0.1_amd64.deb"));
		strv_free(&names);
	}
	/* a range, as the image's frames are read */
	CHECK(payload_remote_read(p, "root.img.zst", 1000, 5000, keep, &c, &why) == 0);
	CHECK(c.len == 5000);
	{
		char *ref = NULL;
		size_t n = 0;

		CHECK(read_file(dest, &ref, &n) == 0 && n == 3u << 20 &&
		      memcmp(ref + 1000, c.buf, 5000) == 0);
		free(ref);
	}
	CHECK(payload_remote_read(p, "root.img.zst", (3 << 20) - 10, 11, keep, &c, &why) ==
	      -EINVAL);
	CHECK(why && strstr(why, "are not in the manifest's file"));
	free(why);
	payload_remote_free(p);
	free(dest);
}

TEST(refusals)
{
	struct tx_report r = {.ui = &ui};
	struct payload_remote *p;
	char *dest = at("got2/root.img.zst"), *why = NULL;
	struct collect c = {0};
	int rc;

	make_payload();
	serve("");
	p = open_it(&rc);
	CHECK(rc == 0 && p);
	if (!p)
		return;
	/* changed on the server, its size kept: found, named, and nothing left behind */
	{
		/* one byte flipped: never the value it had (writing a chosen byte into random
		 * data would leave it as it was once in 256 runs) */
		char *f = at("srv/root.img.zst");
		int fd = open(f, O_RDWR);
		unsigned char b = 0;

		CHECK(fd >= 0 && pread(fd, &b, 1, 2000000) == 1);
		b ^= 0xff;
		CHECK(fd >= 0 && pwrite(fd, &b, 1, 2000000) == 1);
		if (fd >= 0)
			close(fd);
		free(f);
	}
	said[0] = '\0';
	CHECK(payload_remote_fetch(p, "root.img.zst", dest, &r) == -EIO);
	CHECK(strstr(said, "root.img.zst: its SHA-256 is "));
	CHECK(strstr(said, "the server's copy is damaged or from another build"));
	CHECK(sh("[ ! -e %s ] && [ ! -e %s.part ]", dest, dest) == 0);
	/* cut short: the size asked of the server (before any disk) */
	CHECK(sh("truncate -s 1000 %s/srv/root.img.zst", dir) == 0);
	said[0] = '\0';
	CHECK(payload_remote_check(p, "root.img.zst", &r) == -EIO);
	CHECK(strstr(said, "root.img.zst holds 1000 bytes, and the manifest says 3145728"));
	/* gone */
	CHECK(sh("rm %s/srv/root.img.zst", dir) == 0);
	said[0] = '\0';
	CHECK(payload_remote_fetch(p, "root.img.zst", dest, &r) == -ENOENT);
	CHECK(strstr(said, "root.img.zst: the server has no such file (HTTP 404)"));
	said[0] = '\0';
	CHECK(payload_remote_check(p, "root.img.zst", &r) == -ENOENT);
	CHECK(strstr(said, "root.img.zst: the server answered HTTP 404"));
	CHECK(payload_remote_check(p, "nothing", &r) == -ENOENT);
	CHECK(strstr(said, "payload.sums) has no nothing"));

	/* a server that ignores byte ranges */
	payload_remote_free(p);
	make_payload();
	serve("--no-ranges");
	p = open_it(&rc);
	CHECK(p && payload_remote_read(p, "root.img.zst", 1000, 10, keep, &c, &why) == -EPROTO);
	CHECK(why && strstr(why, "with HTTP 200, not 206"));
	free(why);
	why = NULL;
	/* the server gone: tried again, then said */
	limits.tries = 2;
	payload_remote_free(p);
	make_payload();
	serve("");
	p = open_it(&rc);
	stop();
	said[0] = '\0';
	CHECK(p && payload_remote_fetch(p, "root.img.zst", dest, &r) == -EIO);
	CHECK(strstr(
		said,
		"after 2 tries (0 of 3145728 bytes read); is the web server up and reachable?"));
	payload_remote_free(p);
	/* a server that trickles (200 bytes a second: never a stall) meets the deadline: 3 MiB at
	 * the least rate of 1 MiB a second, plus 2 s of grace, is 5 s; without it this took
	 * four hours */
	make_payload();
	serve("--slow root.img.zst:200");
	limits = (struct payload_limits){.tries = 1, .min_rate = 1 << 20, .grace = 2};
	p = open_it(&rc);
	said[0] = '\0';
	CHECK(p && payload_remote_fetch(p, "root.img.zst", dest, &r) == -EIO);
	CHECK(strstr(said, "root.img.zst"));
	stop();
	limits = (struct payload_limits){0};
	payload_remote_free(p);
	free(dest);
}

/* Manifests and small files that are not right: refused at open, saying where. */
TEST(open_refusals)
{
	struct payload_remote *p;
	int rc;

	make_payload();
	serve("");
	/* a small file changed on the server, and then cut short */
	CHECK(sh("echo 'guests: xen-toolz' > %s/srv/package-sets", dir) == 0);
	p = open_it(&rc);
	CHECK(rc == -EIO && !p);
	CHECK(strstr(said, "package-sets: its SHA-256 is"));
	CHECK(sh("[ ! -e %s/cache/package-sets ]", dir) == 0);
	CHECK(sh("echo 'guests: xen' > %s/srv/package-sets", dir) == 0);
	p = open_it(&rc);
	CHECK(rc == -EIO && !p);
	CHECK(strstr(said,
		     "package-sets: the server sent 12 of the 18 bytes the manifest gives it"));
	/* manifests */
	CHECK(sh("cd %s/srv && printf 'abc 12 x\\n' > payload.sums", dir) == 0);
	p = open_it(&rc);
	CHECK(rc == -EINVAL && !p && strstr(said, "payload.sums:1: a line of the manifest is"));
	CHECK(sh("cd %s/srv && printf '%%064d 1 ../etc/passwd\\n' 0 > payload.sums", dir) == 0);
	p = open_it(&rc);
	CHECK(rc == -EINVAL &&
	      strstr(said, "payload.sums:1: \"../etc/passwd\" is not a path inside"));
	CHECK(sh("cd %s/srv && printf '%%064d 1 a\\n%%064d 1 a\\n' 0 0 > payload.sums", dir) == 0);
	p = open_it(&rc);
	CHECK(rc == -EINVAL && strstr(said, "payload.sums:2: a is named twice"));
	/* line numbers count every line, blank and comment ones too */
	CHECK(sh("cd %s/srv && printf '# sums\\n\\n%%064d 1 b\\n\\n%%064d 1 b\\nbad\\n' 0 0 > payload.sums",
		 dir) == 0);
	p = open_it(&rc);
	CHECK(rc == -EINVAL &&
	      strstr(said, "payload.sums:5: b is named twice in the manifest (line 3 too)"));
	CHECK(strstr(said, "payload.sums:6: a line of the manifest"));
	CHECK(sh("cd %s/srv && printf '%%064d 99999999999999999999 a\\n' 0 > payload.sums", dir) ==
	      0);
	p = open_it(&rc);
	CHECK(rc == -EINVAL && strstr(said, "payload.sums:1: a line of the manifest"));
	CHECK(sh("cd %s/srv && printf '%%064d 999999999 a\\n' 0 > payload.sums", dir) == 0);
	p = open_it(&rc);
	CHECK(rc == -EFBIG && strstr(said, "more than the installer fetches before the disks"));
	CHECK(sh("cd %s/srv && : > payload.sums", dir) == 0);
	p = open_it(&rc);
	CHECK(rc == -EINVAL && strstr(said, "names no file"));
	CHECK(sh("rm %s/srv/payload.sums", dir) == 0);
	p = open_it(&rc);
	CHECK(rc < 0 && !p && strstr(said, "payload.sums"));
	stop();
	/* nobody there */
	p = open_it(&rc);
	CHECK(rc < 0 && !p && strstr(said, "payload.sums"));
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	if (!mkdtemp(dir))
		return 1;
	RUN(open_fetch_read);
	RUN(refusals);
	RUN(open_refusals);
	stop();
	free(url);
	sh("rm -rf %s", dir);
	return unit_failed_total ? 1 : 0;
}
