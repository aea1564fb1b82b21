/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Paths of an installed host whose files are under a folder (--root): each resolved the way
 * that host would resolve it, inside the folder, whatever links the tree holds.
 */
#ifndef TENXEN_ROOTFS_H
#define TENXEN_ROOTFS_H

/*
 * PATH (absolute, as the host sees it) resolved under ROOT ("" for this machine's /): every
 * symbolic link is followed inside ROOT, an absolute link target starts again at ROOT, ".."
 * never climbs above it. The last components need not exist (for files to create); a
 * component that is neither a folder nor a link to one cannot have more after it. Returns 0 and
 * *out (ROOT followed by the resolved path; caller frees), -ELOOP after 40 links, -ENOTDIR, or
 * -ENAMETOOLONG past PATH_MAX.
 */
int root_chase(const char *root, const char *path, char **out);

/* The same, NULL (errno set) when it cannot be resolved. Caller frees. */
char *root_path(const char *root, const char *path);

#endif
