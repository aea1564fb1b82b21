// SPDX-License-Identifier: GPL-2.0-or-later
#include "common/rootfs.h"
#include "common/util.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_LINKS 40

/* The resolved path (under the root) drops its last component. */
static void pop(char *resolved)
{
	char *slash = strrchr(resolved, '/');

	if (slash && slash != resolved)
		*slash = '\0';
	else
		strcpy(resolved, "/");
}

/* The next component of *todo (skipping slashes) into comp; false at the end. */
static bool next_component(const char **todo, char *comp)
{
	const char *s = *todo;
	size_t n;

	while (*s == '/')
		s++;
	if (!*s)
		return false;
	n = strcspn(s, "/");
	memcpy(comp, s, n);
	comp[n] = '\0';
	*todo = s + n;
	return true;
}

int root_chase(const char *root, const char *path, char **out)
{
	char resolved[PATH_MAX] = "/", comp[PATH_MAX], link[PATH_MAX], *todo_buf;
	const char *todo;
	size_t rootlen = strlen(root);
	int links = 0, rc = 0;
	bool missing = false;

	*out = NULL;
	if (strlen(path) >= PATH_MAX || rootlen >= PATH_MAX)
		return -ENAMETOOLONG;
	todo_buf = xstrdup(path);
	todo = todo_buf;
	while (rc == 0 && next_component(&todo, comp)) {
		char *candidate, *host;
		struct stat st;
		ssize_t n;

		if (streq(comp, "."))
			continue;
		if (streq(comp, "..")) {
			/* back in a folder that exists: what follows is looked at again */
			pop(resolved);
			missing = false;
			continue;
		}
		candidate = xasprintf("%s%s%s", resolved, streq(resolved, "/") ? "" : "/", comp);
		if (strlen(candidate) + rootlen >= PATH_MAX) {
			free(candidate);
			rc = -ENAMETOOLONG;
			break;
		}
		host = xasprintf("%s%s", root, candidate);
		if (missing || lstat(host, &st) < 0) {
			/* what does not exist yet holds no link: the rest is taken as written */
			missing = true;
			strcpy(resolved, candidate);
		} else if (S_ISLNK(st.st_mode)) {
			n = readlink(host, link, sizeof(link) - 1);
			if (n < 0 || ++links > MAX_LINKS) {
				rc = n < 0 ? -errno : -ELOOP;
			} else {
				char *rest;

				link[n] = '\0';
				if (link[0] == '/')
					strcpy(resolved, "/");
				rest = xasprintf("%s/%s", link, todo);
				free(todo_buf);
				todo_buf = rest;
				todo = todo_buf;
			}
		} else if (!S_ISDIR(st.st_mode) && *todo && todo[strspn(todo, "/")]) {
			rc = -ENOTDIR;
		} else {
			strcpy(resolved, candidate);
		}
		free(candidate);
		free(host);
	}
	free(todo_buf);
	if (rc == 0)
		*out = xasprintf("%s%s", root, streq(resolved, "/") && *root ? "" : resolved);
	return rc;
}

char *root_path(const char *root, const char *path)
{
	char *out;
	int rc = root_chase(root, path, &out);

	if (rc < 0)
		errno = -rc;
	return out;
}
