// SPDX-License-Identifier: GPL-2.0-or-later
#include "common/mounts.h"

#include <errno.h>
#include <mntent.h>
#include <stdlib.h>
#include <string.h>

int mounts_read(const char *proc, struct strv *src, struct strv *dst)
{
	char *path = xasprintf("%s/self/mounts", proc);
	FILE *f = setmntent(path, "re");
	struct mntent *m;
	int rc = 0;

	if (!f)
		rc = -errno;
	while (f && (m = getmntent(f))) {
		if (src)
			strv_push(src, m->mnt_fsname);
		if (dst)
			strv_push(dst, m->mnt_dir);
	}
	if (f)
		endmntent(f);
	free(path);
	return rc;
}

void mounts_under(const char *proc, const char *dir, struct strv *out)
{
	struct strv all = {0};
	size_t n = strlen(dir);

	mounts_read(proc, NULL, &all);
	for (size_t i = 0; i < all.n; i++)
		if (strncmp(all.v[i], dir, n) == 0 && (all.v[i][n] == '\0' || all.v[i][n] == '/'))
			strv_push(out, all.v[i]);
	strv_free(&all);
}
