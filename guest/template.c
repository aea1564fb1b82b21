// SPDX-License-Identifier: GPL-2.0-or-later
/* Guest templates (*.tmpl) and the host's guest settings (/etc/tenxen/guests.conf). */
#include "guest/guest.h"
#include "storage/lvm.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/rootfs.h"

const char *guest_type_name(enum guest_type t)
{
	return t == GUEST_PV ? "pv" : t == GUEST_HVM ? "hvm" : "pvh";
}

/* Split "KEY = VALUE" (spaces around '=' optional); comments and blank lines give 0. */
static int key_value(char *line, char **key, char **value)
{
	char *hash = strchr(line, '#'), *eq;

	if (hash)
		*hash = '\0';
	strip(line);
	if (!*line)
		return 0;
	eq = strchr(line, '=');
	if (!eq)
		return -EINVAL;
	*eq = '\0';
	*key = strip(line);
	*value = strip(eq + 1);
	return 1;
}

/* Each line of path in turn; fn returns 0 or a sentence (static) saying what is wrong. */
typedef const char *(*line_fn)(void *data, const char *key, const char *value);

static int read_settings(const char *path, line_fn fn, void *data, struct tx_report *r)
{
	char *buf;
	size_t len;
	int rc = read_file(path, &buf, &len), line = 0, bad = 0;

	if (rc < 0)
		return rc;
	for (char *l = buf, *next; l; l = next) {
		char *key, *value;
		const char *why;
		struct tx_loc loc = {path, ++line};

		next = strchr(l, '\n');
		if (next)
			*next++ = '\0';
		rc = key_value(l, &key, &value);
		if (rc == 0)
			continue;
		if (rc < 0) {
			tx_error(r, &loc, "write KEY = VALUE, as memory = 1G");
			bad++;
			continue;
		}
		why = fn(data, key, value);
		if (why) {
			tx_error(r, &loc, "%s = %s: %s", key, value, why);
			bad++;
		}
	}
	free(buf);
	return bad ? -EINVAL : 0;
}

static const char *size_of(const char *value, uint64_t min, uint64_t *out)
{
	uint64_t v;

	if (parse_size(value, MiB, &v) < 0)
		return "not a size; write 8G or 512M";
	if (v < min)
		return min >= GiB ? "too small; at least 1G" : "too small; at least 64M";
	*out = v;
	return NULL;
}

static const char *template_line(void *data, const char *key, const char *value)
{
	struct guest_template *t = data;

	if (streq(key, "description")) {
		free(t->description);
		t->description = xstrdup(value);
	} else if (streq(key, "type")) {
		if (streq(value, "pvh"))
			t->type = GUEST_PVH;
		else if (streq(value, "pv"))
			t->type = GUEST_PV;
		else if (streq(value, "hvm"))
			t->type = GUEST_HVM;
		else
			return "not a guest type; use pvh, pv or hvm";
	} else if (streq(key, "builder")) {
		if (streq(value, "xen-tools"))
			t->xen_tools = true;
		else if (streq(value, "none"))
			t->xen_tools = false;
		else
			return "not a builder; use xen-tools (a Debian root) or none (an empty disk)";
	} else if (streq(key, "dist")) {
		for (const char *c = value; *c; c++)
			if (!islower((unsigned char)*c) && !isdigit((unsigned char)*c) && *c != '-')
				return "not a distribution name such as bookworm";
		free(t->dist);
		t->dist = xstrdup(value);
	} else if (streq(key, "size")) {
		return size_of(value, GiB, &t->size);
	} else if (streq(key, "swap")) {
		if (streq(value, "0") || streq(value, "none"))
			t->swap = 0;
		else
			return size_of(value, 64 * MiB, &t->swap);
	} else if (streq(key, "memory")) {
		return size_of(value, 64 * MiB, &t->memory);
	} else if (streq(key, "vcpus")) {
		char *end;
		long v = strtol(value, &end, 10);

		if (!isdigit((unsigned char)*value) || *end || v < 1 || v > 128)
			return "not a count of virtual CPUs from 1 to 128";
		t->vcpus = (unsigned)v;
	} else {
		return "not a template key; the keys are description, type, builder, dist, size, swap, memory and vcpus";
	}
	return NULL;
}

void guest_template_free(struct guest_template *t)
{
	if (!t)
		return;
	free(t->name);
	free(t->description);
	free(t->dist);
	free(t);
}

/* share/tenxen/templates beside the folder of this program (bin/ or sbin/), or NULL. */
static char *own_templates(void)
{
	char exe[4096], *slash;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	return xasprintf("%s/../share/tenxen/templates", exe);
}

int guest_template_dirs(const char *root, struct tx_report *r, struct strv *dirs)
{
	const char *wanted[] = {"/etc/tenxen/templates", "/usr/share/tenxen/templates"};
	char *own = own_templates();

	for (size_t i = 0; i < ARRAY_SIZE(wanted); i++) {
		char *p = root_path(root, wanted[i]);

		if (!p) {
			int e = errno;

			tx_error(r, NULL, "cannot resolve %s under %s: %s", wanted[i],
				 *root ? root : "/", strerror(e));
			strv_free(dirs);
			free(own);
			return -e;
		}
		strv_push_owned(dirs, p);
	}
	/* make install's PREFIX (/usr/local, /opt/...): the program's own, found from where it is */
	if (own) {
		char *real = realpath(own, NULL);

		if (real && !strv_contains(dirs, real))
			strv_push_owned(dirs, real);
		else
			free(real);
		free(own);
	}
	return 0;
}

int guest_template_names(const struct strv *dirs, struct strv *out)
{
	int rc = -ENOENT;

	for (size_t i = 0; i < dirs->n; i++) {
		DIR *d = opendir(dirs->v[i]);
		struct dirent *e;

		if (!d) {
			if (rc < 0)
				rc = -errno;
			continue;
		}
		rc = 0;
		while ((e = readdir(d))) {
			char *name;

			if (!endswith(e->d_name, ".tmpl") || e->d_name[0] == '.')
				continue;
			name = xstrndup(e->d_name, strlen(e->d_name) - 5);
			if (strv_contains(out, name))
				free(name);
			else
				strv_push_owned(out, name);
		}
		closedir(d);
	}
	strv_sort(out);
	return rc;
}

/* The first of dirs with NAME.tmpl, or NULL (caller frees). */
static char *template_path(const struct strv *dirs, const char *name)
{
	for (size_t i = 0; i < dirs->n; i++) {
		char *path = xasprintf("%s/%s.tmpl", dirs->v[i], name);

		if (access(path, F_OK) == 0)
			return path;
		free(path);
	}
	return NULL;
}

int guest_template_load(const struct strv *dirs, const char *name, struct tx_report *r,
			struct guest_template **out)
{
	struct guest_template *t;
	char *path;
	int rc;

	*out = NULL;
	if (!*name || strchr(name, '/') || name[0] == '.') {
		tx_error(r, NULL,
			 "\"%s\" is not a template name; tenxen guest templates lists them", name);
		return -EINVAL;
	}
	path = template_path(dirs, name);
	t = xzalloc(sizeof(*t));
	t->name = xstrdup(name);
	t->vcpus = 1;
	t->memory = 512 * MiB;
	t->size = 4 * GiB;
	rc = path ? read_settings(path, template_line, t, r) : -ENOENT;
	if (rc == -ENOENT) {
		struct strv names = {0};
		char *where = strv_join(dirs, " or ");
		const char *d;

		guest_template_names(dirs, &names);
		d = did_you_mean(name, (const char *const *)names.v, names.n);
		if (names.n) {
			char *all = strv_join(&names, ", ");

			tx_error(r, NULL,
				 "there is no template %s in %s; %s%s%sthe templates are: %s", name,
				 where, d ? "did you mean " : "", d ? d : "", d ? "? " : "", all);
			free(all);
		} else {
			tx_error(
				r, NULL,
				"there is no template %s: %s hold none; the tenxen package installs them in /usr/share/tenxen/templates",
				name, where);
		}
		free(where);
		strv_free(&names);
	} else if (rc < 0 && rc != -EINVAL) {
		tx_error(r, NULL, "cannot read %s: %s", path, strerror(-rc));
	} else if (rc == 0 && t->xen_tools && !t->dist) {
		struct tx_loc loc = {path, 1};

		tx_error(r, &loc, "builder = xen-tools needs dist = (bookworm, trixie, ...)");
		rc = -EINVAL;
	} else if (rc == 0 && t->xen_tools && t->type == GUEST_HVM) {
		struct tx_loc loc = {path, 1};

		tx_error(
			r, &loc,
			"an hvm template boots an install ISO; xen-tools builds roots for pvh and pv guests: write builder = none");
		rc = -EINVAL;
	}
	free(path);
	if (rc < 0) {
		guest_template_free(t);
		return rc;
	}
	if (!t->description)
		t->description = xstrdup(name);
	*out = t;
	return 0;
}

/* ---- /etc/tenxen/guests.conf ---- */

/* A bridge the guest's vif joins: a name the kernel takes for an interface (at most 15
 * characters, no '/', not "." or ".."), of the characters interface names are written with,
 * so that nothing else (script=, a quote) rides into the vif's spec. */
static bool bridge_ok(const char *s)
{
	return *s && strlen(s) <= 15 && !streq(s, ".") && !streq(s, "..") &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") ==
		       strlen(s);
}

/* A mirror's URL as xen-tools and debootstrap take it: http or https, a host, then only the
 * characters a URL's path needs; nothing a shell, a quote or a second option could use. */
static bool mirror_ok(const char *s)
{
	const char *rest = startswith(s, "http://")    ? s + 7
			   : startswith(s, "https://") ? s + 8
						       : NULL;

	return rest && *rest && *rest != '/' && strlen(s) <= 512 &&
	       strspn(rest, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
			    "-._~:/%@+=,[]") == strlen(rest);
}

const char *guest_host_set(struct guest_host *h, const char *key, const char *value)
{
	if (streq(key, "vg")) {
		if (!lvm_name_ok(value))
			return "not a volume group name (letters, digits, + _ . -, not starting with -)";
		free(h->vg);
		h->vg = xstrdup(value);
	} else if (streq(key, "mirrors")) {
		char *end;
		long v = strtol(value, &end, 10);

		if (!isdigit((unsigned char)*value) || *end || v > 9)
			return "not a count of extra copies from 0 to 9";
		h->mirrors = (int)v;
	} else if (streq(key, "bridge")) {
		if (!streq(value, "none") && !bridge_ok(value))
			return "not a network interface name (at most 15 letters, digits, _ . -), or none";
		free(h->bridge);
		h->bridge = streq(value, "none") ? NULL : xstrdup(value);
	} else if (streq(key, "mirror")) {
		if (!streq(value, "none") && !mirror_ok(value))
			return "not a mirror's URL (http://... or https://..., no spaces, quotes or shell characters), or none";
		free(h->mirror);
		h->mirror = streq(value, "none") ? NULL : xstrdup(value);
	} else {
		return "not a setting; guests.conf sets vg, mirrors, bridge and mirror";
	}
	return NULL;
}

static const char *host_line(void *data, const char *key, const char *value)
{
	return guest_host_set(data, key, value);
}

int guest_host_load(const char *path, struct tx_report *r, struct guest_host *h)
{
	int rc = read_settings(path, host_line, h, r);

	if (rc == -ENOENT)
		return 0;
	if (rc < 0 && rc != -EINVAL)
		tx_error(r, NULL, "cannot read %s: %s", path, strerror(-rc));
	return rc;
}

void guest_host_clear(struct guest_host *h)
{
	free(h->vg);
	free(h->bridge);
	free(h->mirror);
	h->vg = h->bridge = h->mirror = NULL;
	h->mirrors = 0;
}

char *guest_host_text(const struct guest_host *h)
{
	return xasprintf(
		"# Where \"tenxen guest create\" puts guests, written by the install; see guests.md\n"
		"# in /usr/share/doc/tenxen. Each guest's disk is a logical volume in this volume group,\n"
		"# with this many extra copies on other disks (raid1), and joins this bridge. A Debian\n"
		"# guest's root is made offline from this host's own Debian root unless a mirror is set\n"
		"# (mirror = http://deb.debian.org/debian): then xen-tools builds it from there.\n"
		"vg = %s\n"
		"mirrors = %d\n"
		"bridge = %s\n"
		"mirror = %s\n",
		h->vg, h->mirrors, h->bridge ? h->bridge : "none", h->mirror ? h->mirror : "none");
}
