// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for common/: sizes, strings, "did you mean", atomic writes, background commands. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/atomic.h"
#include "common/rootfs.h"
#include "common/run.h"
#include "common/util.h"
#include "tests/unit/unit.h"

TEST(parse_size_units)
{
	uint64_t v = 0;

	CHECK(parse_size("512M", MiB, &v) == 0 && v == 512 * MiB);
	CHECK(parse_size("20G", MiB, &v) == 0 && v == 20 * GiB);
	CHECK(parse_size("20g", MiB, &v) == 0 && v == 20 * GiB);
	CHECK(parse_size("1T", MiB, &v) == 0 && v == TiB);
	CHECK(parse_size("2GiB", MiB, &v) == 0 && v == 2 * GiB);
	CHECK(parse_size("500GB", MiB, &v) == 0 && v == 500000000000ULL);
	CHECK(parse_size("1.5G", MiB, &v) == 0 && v == GiB + 512 * MiB);
	CHECK(parse_size("100", MiB, &v) == 0 && v == 100 * MiB); /* bare number: default unit */
	CHECK(parse_size("4096B", MiB, &v) == 0 && v == 4096);
}

TEST(parse_size_rejects)
{
	uint64_t v = 7;

	CHECK(parse_size("", MiB, &v) == -EINVAL);
	CHECK(parse_size("G", MiB, &v) == -EINVAL);
	CHECK(parse_size("20Q", MiB, &v) == -EINVAL);
	CHECK(parse_size("-5G", MiB, &v) == -EINVAL);
	CHECK(parse_size("1.G", MiB, &v) == -EINVAL);
	CHECK(parse_size("99999999999999999999", 1, &v) == -ERANGE);
	CHECK(parse_size("99999999999T", MiB, &v) == -ERANGE);
	CHECK(v == 7); /* untouched on failure */
}

TEST(human_sizes)
{
	char *a = human_size(512 * MiB), *b = human_size(20 * GiB + 512 * MiB),
	     *c = human_size_si(500107862016ULL), *d = human_size(0);

	CHECK_STR(a, "512 MiB");
	CHECK_STR(b, "20.5 GiB");
	CHECK_STR(c, "500.1 GB");
	CHECK_STR(d, "0 B");
	free(a);
	free(b);
	free(c);
	free(d);
}

TEST(edit_distance_and_suggestions)
{
	static const char *const opts[] = {"size", "name", "vg", "fstype", "mirrors", "mirrorlog"};

	CHECK(edit_distance("size", "size") == 0);
	CHECK(edit_distance("sise", "size") == 1);
	CHECK(edit_distance("szie", "size") == 1); /* a swap counts one */
	CHECK(edit_distance("", "abc") == 3);
	CHECK_STR(did_you_mean("sise", opts, 6), "size");
	CHECK_STR(did_you_mean("mirorlog", opts, 6), "mirrorlog");
	CHECK(did_you_mean("compression", opts, 6) == NULL);
	CHECK(did_you_mean("x", opts, 0) == NULL);
}

TEST(strv_split_join)
{
	struct strv sv = {0};
	char *j;

	strv_split(&sv, "a,,b", ',');
	CHECK(sv.n == 3);
	CHECK_STR(sv.v[1], "");
	CHECK(sv.v[3] == NULL);
	j = strv_join(&sv, "+");
	CHECK_STR(j, "a++b");
	CHECK(strv_contains(&sv, "b"));
	CHECK(!strv_contains(&sv, "c"));
	free(j);
	strv_free(&sv);
	CHECK(sv.n == 0 && sv.v == NULL);
}

static char *slurp(const char *path)
{
	char *s = NULL;

	if (read_file(path, &s, NULL) < 0)
		return NULL;
	return s;
}

TEST(atomic_write_keeps_backup)
{
	char dir[] = "/tmp/tenxen-unit-XXXXXX";
	struct tx_report r = {0};
	char *path, *old, *got;
	struct stat st;

	CHECK(mkdtemp(dir) != NULL);
	path = xasprintf("%s/conf", dir);
	old = xasprintf("%s/conf.tenxen-old", dir);
	CHECK(atomic_write_file(&r, path, "one\n", 4, 0600, true) == 0);
	CHECK(access(old, F_OK) != 0); /* nothing to back up the first time */
	CHECK(atomic_write_file(&r, path, "two\n", 4, 0600, true) == 0);
	got = slurp(path);
	CHECK_STR(got, "two\n");
	free(got);
	got = slurp(old);
	CHECK_STR(got, "one\n");
	free(got);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
	CHECK(r.errors == 0);
	unlink(path);
	unlink(old);
	rmdir(dir);
	free(path);
	free(old);
}

TEST(atomic_write_reports_missing_folder)
{
	struct tx_report r = {0};

	CHECK(atomic_write_file(&r, "/nonexistent-tenxen-dir/x", "a", 1, 0644, true) == -ENOENT);
	CHECK(r.errors == 1);
}

/* the log of a report, as text so far */
static char *log_text(FILE *log)
{
	long n;
	char *text;

	fflush(log);
	n = ftell(log);
	text = xmalloc((size_t)n + 1);
	rewind(log);
	text[fread(text, 1, (size_t)n, log)] = '\0';
	fseek(log, 0, SEEK_END);
	return text;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A planter racing the writer: its link at the temp file's name, made again and again. */
struct planter {
	const char *tmp, *victim;
	volatile int stop;
	unsigned planted;
};

static void *plant(void *arg)
{
	struct planter *pl = arg;

	while (!pl->stop)
		if (symlink(pl->victim, pl->tmp) == 0)
			pl->planted++;
	return NULL;
}

/*
 * The temp file's name races an attacker who plants a link there between the writer's unlink
 * and its open: O_EXCL | O_NOFOLLOW make the open fail rather than follow the link, so the file
 * outside is never written, whatever the interleaving. (With a plain O_CREAT | O_TRUNC open,
 * this test turns red within its rounds.)
 */
TEST(atomic_write_races_a_planted_link)
{
	char dir[] = "/tmp/tenxen-unit-race-XXXXXX";
	struct tx_report r = {0};
	struct planter pl = {0};
	pthread_t t;
	char *path, *tmp, *victim, *text = NULL;
	unsigned wrote = 0, refused = 0;

	r.log = fopen("/dev/null", "w");
	CHECK(mkdtemp(dir) != NULL);
	path = xasprintf("%s/extlinux.conf", dir);
	tmp = xasprintf("%s.tenxen-new", path);
	victim = xasprintf("%s/victim", dir);
	CHECK(atomic_write_file(&r, victim, "untouched\n", 10, 0644, false) == 0);
	pl.tmp = tmp;
	pl.victim = victim;
	CHECK(pthread_create(&t, NULL, plant, &pl) == 0);
	for (int i = 0; i < 3000; i++) {
		if (atomic_write_file(&r, path, "DEFAULT xen\n", 12, 0644, false) == 0)
			wrote++;
		else
			refused++;
	}
	pl.stop = 1;
	pthread_join(t, NULL);
	CHECK(read_file(victim, &text, NULL) == 0 && text && streq(text, "untouched\n"));
	CHECK(pl.planted > 0 && wrote > 0);
	free(text);
	text = NULL;
	CHECK(read_file(path, &text, NULL) == 0 && text && streq(text, "DEFAULT xen\n"));
	free(text);
	(void)refused;
	{
		char *cmd = xasprintf("rm -rf %s", dir);

		CHECK(system(cmd) == 0);
		free(cmd);
	}
	free(path);
	free(tmp);
	free(victim);
	fclose(r.log);
}

TEST(run_in_background)
{
	struct tx_report r = {.log = tmpfile()};
	struct run_job job = {0};
	const char *slow[] = {"sh", "-c", "sleep 0.3; echo made the keys", NULL};
	const char *broken[] = {"sh", "-c", "echo no entropy >&2; exit 3", NULL};
	const char *missing[] = {"/nonexistent/ssh-keygen", NULL};
	double t0 = now();
	char *text;

	CHECK(run_wait(&r, &job) == 0); /* never started: nothing to wait for */
	CHECK(run_start(&r, slow, &job) == 0 && job.pid > 0);
	CHECK(now() - t0 < 0.25); /* started, not waited for */
	CHECK(run_wait(&r, &job) == 0);
	CHECK(now() - t0 >= 0.3);
	CHECK(job.pid == 0 && !job.out && !job.name);
	CHECK(run_wait(&r, &job) == 0); /* once only */
	CHECK(r.errors == 0);
	text = log_text(r.log);
	CHECK(strstr(text, "run: sh -c sleep 0.3; echo made the keys\nmade the keys\n") != NULL);
	free(text);

	/* a failure is reported when it is waited for, with what the command said */
	CHECK(run_start(&r, broken, &job) == 0);
	CHECK(r.errors == 0);
	CHECK(run_wait(&r, &job) == -EIO);
	CHECK(r.errors == 1);
	CHECK(run_start(&r, missing, &job) == 0);
	CHECK(run_wait(&r, &job) == -EIO);
	CHECK(r.errors == 2);
	text = log_text(r.log);
	CHECK(strstr(text, "no entropy") != NULL);
	CHECK(strstr(text, "cannot run /nonexistent/ssh-keygen: No such file or directory") !=
	      NULL);
	free(text);
	fclose(r.log);
}

TEST(run_stop_ends_a_job)
{
	struct tx_report r = {0};
	struct run_job job = {0};
	const char *forever[] = {"sleep", "60", NULL};
	double t0 = now();
	pid_t pid;

	CHECK(run_start(&r, forever, &job) == 0);
	pid = job.pid;
	run_stop(&job);
	CHECK(now() - t0 < 5);
	CHECK(job.pid == 0 && !job.out);
	CHECK(kill(pid, 0) < 0 && errno == ESRCH); /* killed and reaped */
	CHECK(r.errors == 0);
	run_stop(&job); /* and again: nothing */
}

/* path resolves under root to root + want */
#define expect_chase(root, path, want)                                                             \
	do {                                                                                       \
		char *got_ = NULL, *want_ = xasprintf("%s%s", root, want);                         \
		CHECK(root_chase(root, path, &got_) == 0);                                         \
		CHECK_STR(got_, want_);                                                            \
		free(got_);                                                                        \
		free(want_);                                                                       \
	} while (0)

/* A host tree with links planted to lead out of it: every path resolves inside the tree. */
TEST(root_chase_stays_inside)
{
	char tmpl[] = "/tmp/tenxen-chase-XXXXXX", *r = mkdtemp(tmpl), *p = NULL;
	char *cmd;

	CHECK(r != NULL);
	if (!r)
		return;
	cmd = xasprintf("cd %s && mkdir -p boot/extlinux etc/real usr/lib && "
			"ln -s /etc/passwd boot/extlinux/extlinux.conf && "
			"ln -s ../../../../../etc/shadow boot/up && ln -s real etc/rel && "
			"ln -s /usr/lib lib && ln -s loop2 loop1 && ln -s loop1 loop2 && "
			"ln -s /selfroot selfroot && touch etc/file",
			r);
	CHECK(system(cmd) == 0);
	free(cmd);
	/* an absolute link means the tree's own file, never this machine's */
	expect_chase(r, "/boot/extlinux/extlinux.conf", "/etc/passwd");
	/* ".." stops at the tree's top */
	expect_chase(r, "/boot/up", "/etc/shadow");
	expect_chase(r, "/../../etc/rel/x.conf", "/etc/real/x.conf");
	/* a link in the middle of a path, and names that do not exist yet */
	expect_chase(r, "/lib/systemd/system/new.service", "/usr/lib/systemd/system/new.service");
	/* loops, a link to itself, and a file used as a folder are refused */
	CHECK(root_chase(r, "/loop1/x", &p) == -ELOOP && !p);
	CHECK(root_chase(r, "/selfroot/x", &p) == -ELOOP && !p);
	CHECK(root_chase(r, "/etc/file/x", &p) == -ENOTDIR && !p);
	/* this machine's own root: nothing added */
	CHECK(root_chase("", "/etc/../etc", &p) == 0);
	CHECK_STR(p, "/etc");
	free(p);
	cmd = xasprintf("rm -rf %s", r);
	CHECK(system(cmd) == 0);
	free(cmd);
}

TEST(debian_version_order)
{
	CHECK(deb_version_cmp("1.0~rc1", "1.0") < 0);
	CHECK(deb_version_cmp("1.0~", "1.0") < 0);
	CHECK(deb_version_cmp("1.0~rc1", "1.0~rc2") < 0);
	CHECK(deb_version_cmp("1.0", "1.0") == 0);
	CHECK(deb_version_cmp("1.0a", "1.0") > 0);
	CHECK(deb_version_cmp("1.0+b1", "1.0") > 0);
	CHECK(deb_version_cmp("6.10.0-1-amd64", "6.9.0-1-amd64") > 0);
	CHECK(deb_version_cmp("6.1.0-28-amd64", "6.1.0-27-amd64") > 0);
	CHECK(deb_version_cmp("6.1.0-007", "6.1.0-7") == 0);
	CHECK(deb_version_cmp("4.17-amd64", "4.16-amd64") > 0);
	CHECK(deb_version_cmp("1.0", "1.0.1") < 0);
	CHECK(deb_version_cmp("1.0-a", "1.0-B") > 0); /* letters by their code */
}

int main(void)
{
	RUN(parse_size_units);
	RUN(parse_size_rejects);
	RUN(human_sizes);
	RUN(edit_distance_and_suggestions);
	RUN(strv_split_join);
	RUN(atomic_write_keeps_backup);
	RUN(atomic_write_reports_missing_folder);
	RUN(atomic_write_races_a_planted_link);
	RUN(run_in_background);
	RUN(run_stop_ends_a_job);
	RUN(root_chase_stays_inside);
	RUN(debian_version_order);
	UNIT_EXIT();
}
