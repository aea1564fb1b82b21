// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the tree walker (common/rootfs.c) on host trees full of links the input
 * plants: absolute, relative, climbing, looping. Whatever the tree, a path resolves under its
 * root or is refused, and what it resolves to holds no link the kernel would still follow.
 *
 * Input: lines "NAME TARGET" plant links (NAME under the root, folders made as needed), a line
 * "?PATH" asks for PATH to be resolved.
 */
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/rootfs.h"
#include "common/util.h"

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(p);
}

/* Every existing component of path, below root, is a folder or a file: no link is left. */
static void check_resolved(const char *root, const char *path)
{
	char *p = xstrdup(path);
	size_t rl = strlen(root);

	if (strncmp(path, root, rl) != 0 || (path[rl] && path[rl] != '/')) {
		fprintf(stderr, "%s is not under %s\n", path, root);
		abort();
	}
	for (char *s = p + rl; s && *s;) {
		struct stat st;
		char *next = strchr(s + 1, '/');

		if (next)
			*next = '\0';
		if (lstat(p, &st) == 0 && S_ISLNK(st.st_mode)) {
			fprintf(stderr, "%s still holds the link %s\n", path, p);
			abort();
		}
		if (next)
			*next = '/';
		s = next;
	}
	free(p);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char tmpl[] = "/tmp/tenxen-fuzz-rootfs-XXXXXX", *root = mkdtemp(tmpl);
	char *text = strndup((const char *)data, size), *save = NULL;
	int links = 0;

	if (!root) {
		free(text);
		return 0;
	}
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *sp = strchr(l, ' ');

		if (l[0] == '?') {
			char *out = NULL;
			char *q = xasprintf("/%s", l + 1);

			if (root_chase(root, q, &out) == 0)
				check_resolved(root, out);
			free(out);
			free(q);
		} else if (sp && links < 16 && sp > l && !strstr(l, "..")) {
			/* the link's own name stays in the tree; its target may say anything */
			char *name, *dir;

			*sp = '\0';
			name = xasprintf("%s/%s", root, l);
			dir = dir_of(name);
			mkdir_p(dir);
			if (symlink(sp + 1, name) == 0)
				links++;
			free(dir);
			free(name);
		}
	}
	nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(text);
	return 0;
}
