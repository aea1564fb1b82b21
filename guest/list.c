// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The guests of a host, as their xl configs in /etc/xen say: the name, type, memory, vCPUs and
 * disks of each. Only what "tenxen guest list" shows is read; the rest of xl's language is left
 * to xl. Configs are hostile input like any file of a host tree: each is read as a plain file
 * under the root, and a value is taken only when it is a quoted string or a number.
 */
#include "guest/guest.h"
#include "common/rootfs.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CONFIG_MAX (64 * 1024)

/* The value of "key = ..." at the start of a line (after blanks): the rest of the statement,
 * up to the end of the line, or of the list when it opens one. */
static const char *setting(const char *text, const char *key, size_t *len)
{
	size_t kl = strlen(key);

	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		const char *q = l;

		while (*q == ' ' || *q == '\t')
			q++;
		if (strncmp(q, key, kl) != 0)
			continue;
		q += kl;
		while (*q == ' ' || *q == '\t')
			q++;
		if (*q != '=')
			continue;
		q++;
		while (*q == ' ' || *q == '\t')
			q++;
		*len = *q == '[' ? strcspn(q, "]") + (q[strcspn(q, "]")] == ']')
				 : strcspn(q, "\n#");
		return q;
	}
	return NULL;
}

/* A quoted string's contents (the first one in v), or NULL. Caller frees. */
static char *quoted(const char *v, size_t len)
{
	const char *a = memchr(v, '"', len), *b;

	if (!a)
		a = memchr(v, '\'', len);
	if (!a)
		return NULL;
	b = memchr(a + 1, *a, len - (size_t)(a + 1 - v));
	return b ? xstrndup(a + 1, (size_t)(b - a - 1)) : NULL;
}

static uint64_t number(const char *v, size_t len)
{
	uint64_t n = 0;

	for (size_t i = 0; i < len && isdigit((unsigned char)v[i]) && n < UINT32_MAX; i++)
		n = n * 10 + (uint64_t)(v[i] - '0');
	return n;
}

/* Each disk's target: "target=PATH" in xl's key=value form, or the first field of the old
 * "phy:PATH,xvda,w" form. */
static void disks_of(const char *v, size_t len, struct strv *out)
{
	const char *end = v + len;

	for (const char *q = v; q < end;) {
		const char *a = memchr(q, '"', (size_t)(end - q)), *b;
		char *spec, *t;

		if (!a)
			break;
		b = memchr(a + 1, '"', (size_t)(end - a - 1));
		if (!b)
			break;
		spec = xstrndup(a + 1, (size_t)(b - a - 1));
		t = strstr(spec, "target=");
		if (t) {
			t += 7;
			t[strcspn(t, ",")] = '\0';
			strv_push(out, t);
		} else {
			char *f = spec, *colon = strchr(spec, ':');

			if (colon && colon < spec + strcspn(spec, ","))
				f = colon + 1;
			f[strcspn(f, ",")] = '\0';
			if (*f)
				strv_push(out, f);
		}
		free(spec);
		q = b + 1;
	}
}

void guest_info_read(const char *text, const char *file_name, struct guest_info *g)
{
	size_t vl;
	const char *v = setting(text, "name", &vl);

	g->name = v ? quoted(v, vl) : NULL;
	if (!g->name)
		g->name = xstrndup(file_name, endswith(file_name, ".cfg") ? strlen(file_name) - 4
									  : strlen(file_name));
	v = setting(text, "type", &vl);
	g->type = v ? quoted(v, vl) : NULL;
	if (!g->type && (v = setting(text, "builder", &vl)))
		g->type = quoted(v, vl);
	v = setting(text, "memory", &vl);
	g->memory = v ? number(v, vl) : 0;
	v = setting(text, "vcpus", &vl);
	g->vcpus = v ? (unsigned)number(v, vl) : 0;
	v = setting(text, "disk", &vl);
	if (v)
		disks_of(v, vl, &g->disks);
}

static int cmp_info(const void *a, const void *b)
{
	return strcmp(((const struct guest_info *)a)->name, ((const struct guest_info *)b)->name);
}

int guest_list_load(const char *root, struct tx_report *r, struct guest_info **out, size_t *n)
{
	char *dir = root_path(root, "/etc/xen");
	DIR *dp;
	struct dirent *de;

	*out = NULL;
	*n = 0;
	if (!dir || !(dp = opendir(dir))) {
		int e = errno;

		if (e == ENOENT) { /* no Xen configs at all: no guests */
			free(dir);
			return 0;
		}
		tx_error(r, NULL, "cannot list the guests' configs in %s/etc/xen: %s", root,
			 strerror(e));
		free(dir);
		return -e;
	}
	while ((de = readdir(dp))) {
		char *host = NULL, *path = NULL, *text = NULL;
		size_t len = 0;
		struct guest_info *g;
		int rc;

		if (de->d_name[0] == '.' || !endswith(de->d_name, ".cfg"))
			continue;
		host = xasprintf("/etc/xen/%s", de->d_name);
		path = root_path(root, host);
		rc = path ? read_file(path, &text, &len) : -errno;
		if (rc == 0 && len > CONFIG_MAX)
			rc = -EFBIG;
		if (rc < 0) {
			tx_warn(r, NULL, "%s is not read as a guest's config: %s", host,
				strerror(-rc));
			free(host);
			free(path);
			free(text);
			continue;
		}
		g = xgrow(out, n, sizeof(*g));
		g->config = host;
		guest_info_read(text, de->d_name, g);
		free(path);
		free(text);
	}
	closedir(dp);
	free(dir);
	if (*n)
		qsort(*out, *n, sizeof(**out), cmp_info);
	return 0;
}

void guest_list_free(struct guest_info *g, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(g[i].name);
		free(g[i].config);
		free(g[i].type);
		strv_free(&g[i].disks);
	}
	free(g);
}
