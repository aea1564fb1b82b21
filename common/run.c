// SPDX-License-Identifier: GPL-2.0-or-later
#include "run.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int run(struct tx_report *r, const char *const argv[], char **output, bool report)
{
	int pipefd[2], status = 0;
	size_t cap = 4096, n = 0;
	char *buf;
	pid_t pid;

	if (r->log) {
		fputs("run:", r->log);
		for (size_t i = 0; argv[i]; i++)
			fprintf(r->log, " %s", argv[i]);
		fputc('\n', r->log);
		fflush(r->log);
	}
	if (pipe(pipefd) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return -errno;
	}
	if (pid == 0) {
		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		close(pipefd[1]);
		execvp(argv[0], (char *const *)argv);
		fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(pipefd[1]);
	buf = xmalloc(cap + 1);
	for (;;) {
		ssize_t got = read(pipefd[0], buf + n, cap - n);

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
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (r->log && n) {
		fputs(buf, r->log);
		if (buf[n - 1] != '\n')
			fputc('\n', r->log);
		fflush(r->log);
	}
	if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
		if (report)
			tx_error(r, NULL, "%s failed: %s", argv[0],
				 *strip(buf) ? buf : "(no output)");
		if (output)
			*output = buf;
		else
			free(buf);
		return -EIO;
	}
	if (output)
		*output = buf;
	else
		free(buf);
	return 0;
}

int run_cmd(struct tx_report *r, const char *const argv[], char **output)
{
	return run(r, argv, output, true);
}

int run_quiet(struct tx_report *r, const char *const argv[], char **output)
{
	return run(r, argv, output, false);
}
