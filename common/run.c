// SPDX-License-Identifier: GPL-2.0-or-later
#include "common/run.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void log_argv(struct tx_report *r, const char *const argv[])
{
	if (!r->log)
		return;
	fputs("run:", r->log);
	for (size_t i = 0; argv[i]; i++)
		fprintf(r->log, " %s", argv[i]);
	fputc('\n', r->log);
	fflush(r->log);
}

/* The child's side: its output to fd, then argv[0]. */
static void exec_into(int fd, const char *const argv[])
{
	dup2(fd, 1);
	dup2(fd, 2);
	close(fd);
	execvp(argv[0], (char *const *)argv);
	fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* All of fd into a new string; *len gets its length. */
static char *read_all(int fd, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = xmalloc(cap + 1);

	for (;;) {
		ssize_t got = read(fd, buf + n, cap - n);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		n += (size_t)got;
		if (n == cap) {
			cap *= 2;
			buf = xrealloc(buf, cap + 1);
		}
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* What a command printed goes to the log; its status decides, reported or not. Takes buf. */
static int finish(struct tx_report *r, const char *name, char *buf, size_t n, int status,
		  char **output, bool report)
{
	bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;

	if (r->log && n) {
		fputs(buf, r->log);
		if (buf[n - 1] != '\n')
			fputc('\n', r->log);
		fflush(r->log);
	}
	if (!ok && report)
		tx_error(r, NULL, "%s failed: %s", name, *strip(buf) ? buf : "(no output)");
	if (output)
		*output = buf;
	else
		free(buf);
	return ok ? 0 : -EIO;
}

static int run(struct tx_report *r, const char *const argv[], char **output, bool report)
{
	int pipefd[2], status = 0;
	size_t n;
	char *buf;
	pid_t pid;

	log_argv(r, argv);
	if (pipe(pipefd) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return -errno;
	}
	if (pid == 0) {
		close(pipefd[0]);
		exec_into(pipefd[1], argv);
	}
	close(pipefd[1]);
	buf = read_all(pipefd[0], &n);
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return finish(r, argv[0], buf, n, status, output, report);
}

int run_cmd(struct tx_report *r, const char *const argv[], char **output)
{
	return run(r, argv, output, true);
}

int run_said(struct tx_report *r, const char *const argv[], char **output, const char *fmt, ...)
{
	char *out = NULL, *what;
	va_list ap;
	int rc = run(r, argv, &out, false);

	if (rc < 0) {
		va_start(ap, fmt);
		what = xvasprintf(fmt, ap);
		va_end(ap);
		tx_error(r, NULL, "%s (%s said: %s)", what, argv[0],
			 out && *strip(out) ? out : "nothing");
		free(what);
	}
	if (output)
		*output = out;
	else
		free(out);
	return rc;
}

int run_quiet(struct tx_report *r, const char *const argv[], char **output)
{
	return run(r, argv, output, false);
}

static int start(struct tx_report *r, const char *const argv[], FILE *out, struct run_job *job);

int run_start(struct tx_report *r, const char *const argv[], struct run_job *job)
{
	*job = (struct run_job){0};
	return start(r, argv, tmpfile(), job);
}

int run_start_file(struct tx_report *r, const char *const argv[], const char *out_path,
		   struct run_job *job)
{
	*job = (struct run_job){0};
	return start(r, argv, fopen(out_path, "we"), job);
}

static int start(struct tx_report *r, const char *const argv[], FILE *out, struct run_job *job)
{
	pid_t pid;

	if (!out) {
		int rc = -errno;

		tx_error(r, NULL, "cannot make a file for %s's output: %s", argv[0],
			 strerror(errno));
		return rc;
	}
	/* the job's output is its own: the commands run after it do not inherit the file */
	fcntl(fileno(out), F_SETFD, FD_CLOEXEC);
	log_argv(r, argv);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		int rc = -errno;

		tx_error(r, NULL, "cannot start %s: %s", argv[0], strerror(errno));
		fclose(out);
		return rc;
	}
	if (pid == 0)
		exec_into(fileno(out), argv);
	job->pid = pid;
	job->out = out;
	job->name = xstrdup(argv[0]);
	return 0;
}

static void job_clear(struct run_job *job)
{
	if (job->out)
		fclose(job->out);
	free(job->name);
	*job = (struct run_job){0};
}

int run_wait(struct tx_report *r, struct run_job *job)
{
	int status = 0, rc;
	size_t n;
	char *buf;

	if (job->pid <= 0)
		return 0;
	while (waitpid(job->pid, &status, 0) < 0 && errno == EINTR)
		;
	lseek(fileno(job->out), 0, SEEK_SET);
	buf = read_all(fileno(job->out), &n);
	rc = finish(r, job->name, buf, n, status, NULL, true);
	job_clear(job);
	return rc;
}

int run_finish(struct run_job *job)
{
	int status = 0;

	if (job->pid <= 0)
		return -1;
	while (waitpid(job->pid, &status, 0) < 0 && errno == EINTR)
		;
	job_clear(job);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

void run_stop(struct run_job *job)
{
	if (job->pid > 0) {
		kill(job->pid, SIGKILL);
		while (waitpid(job->pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	job_clear(job);
}
