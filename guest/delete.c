// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Deleting a guest. Its xl config is hostile input like any file of a host tree: a disk target
 * is removed only when it is a plain logical volume of the guests' volume group that no one
 * else uses. Each target is judged first, and when any is refused nothing at all is removed.
 */
#include "guest/guest.h"
#include "common/mounts.h"
#include "common/rootfs.h"
#include "common/run.h"
#include "storage/lvm.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* device-mapper's "--" for a '-' in a name, made one again */
static void undouble(char *s)
{
	char *w = s;

	for (char *q = s; *q; q++) {
		*w++ = *q;
		if (q[0] == '-' && q[1] == '-')
			q++;
	}
	*w = '\0';
}

/* "/dev/VG/LV", or "/dev/mapper/VG-LV" (a '-' in a name doubled), as "VG/LV" with both names
 * ones lvm takes; NULL for anything else. Caller frees. */
char *guest_volume_of(const char *target)
{
	char *vg = NULL, *lv = NULL, *out = NULL;

	if (startswith(target, "/dev/mapper/")) {
		const char *m = target + 12, *cut = NULL;

		for (const char *q = m; *q; q++) {
			if (q[0] == '-' && q[1] == '-') {
				q++;
				continue;
			}
			if (*q == '-') {
				cut = q;
				break;
			}
		}
		if (!cut)
			return NULL;
		vg = xstrndup(m, (size_t)(cut - m));
		lv = xstrdup(cut + 1);
		undouble(vg);
		undouble(lv);
	} else if (startswith(target, "/dev/")) {
		const char *p = target + 5, *slash = strchr(p, '/');

		if (!slash || strchr(slash + 1, '/'))
			return NULL;
		vg = xstrndup(p, (size_t)(slash - p));
		lv = xstrdup(slash + 1);
	}
	if (vg && lv && lvm_name_ok(vg) && lvm_name_ok(lv) && !streq(vg, "mapper") &&
	    !streq(vg, "disk"))
		out = xasprintf("%s/%s", vg, lv);
	free(vg);
	free(lv);
	return out;
}

/* What the host itself uses, found three ways: volumes by name (its fstab's /dev paths, the
 * volumes its install made), and devices by their real path (what is mounted or swapped on
 * now, and fstab's UUID= and LABEL= entries through /dev/disk). */
struct host_uses {
	struct strv volumes;	/* VG/LV */
	struct strv devices;	/* real paths */
	struct strv vwhy, dwhy; /* where each of volumes, of devices, was found */
};

static void uses_device(struct host_uses *u, const char *root, const char *dev, const char *why)
{
	char *vl = guest_volume_of(dev), *in, real[PATH_MAX];

	if (vl) {
		strv_push_owned(&u->volumes, vl);
		strv_push(&u->vwhy, why);
	}
	in = root_path(root, dev);
	if (in && realpath(in, real)) {
		strv_push(&u->devices, real);
		strv_push(&u->dwhy, why);
	}
	free(in);
}

static void fstab_uses(struct host_uses *u, const char *root)
{
	char *path = root_path(root, "/etc/fstab"), *text = NULL, *save = NULL;

	if (!path || read_text_file(path, &text, NULL) < 0) {
		free(path);
		return;
	}
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *f = l + strspn(l, " \t"), *dev;

		if (*f == '#' || !*f)
			continue;
		f[strcspn(f, " \t")] = '\0';
		if (startswith(f, "UUID="))
			dev = xasprintf("/dev/disk/by-uuid/%s", f + 5);
		else if (startswith(f, "LABEL="))
			dev = xasprintf("/dev/disk/by-label/%s", f + 6);
		else
			dev = xstrdup(f);
		if (!strstr(dev, "/../") && !strchr(dev + 5, '\\'))
			uses_device(u, root, dev, "the host's /etc/fstab");
		free(dev);
	}
	free(text);
	free(path);
}

/* logvol lines of the answer file the install kept (its canonical text: --vg=VG --name=NAME) */
static void install_uses(struct host_uses *u, const char *root)
{
	char *path = root_path(root, "/var/log/tenxen/answers.ks"), *text = NULL, *save = NULL;

	if (!path || read_text_file(path, &text, NULL) < 0) {
		free(path);
		return;
	}
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		const char *vg = strstr(l, " --vg="), *name = strstr(l, " --name=");

		if (!startswith(l, "logvol ") || !vg || !name)
			continue;
		vg += 6;
		name += 8;
		strv_push_owned(&u->volumes, xasprintf("%.*s/%.*s", (int)strcspn(vg, " \t"), vg,
						       (int)strcspn(name, " \t"), name));
		strv_push(&u->vwhy,
			  "a volume the host's install made (/var/log/tenxen/answers.ks)");
	}
	free(text);
	free(path);
}

static void live_uses(struct host_uses *u, const char *root, const char *proc)
{
	struct strv src = {0};
	char *swaps = xasprintf("%s/swaps", proc), *text = NULL, *save = NULL;

	mounts_read(proc, &src, NULL);
	for (size_t i = 0; i < src.n; i++)
		if (startswith(src.v[i], "/dev/"))
			uses_device(u, root, src.v[i], "mounted now (/proc/self/mounts)");
	strv_free(&src);
	if (read_text_file(swaps, &text, NULL) == 0) {
		for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
			l[strcspn(l, " \t")] = '\0';
			if (startswith(l, "/dev/"))
				uses_device(u, root, l, "swapped on now (/proc/swaps)");
		}
	}
	free(text);
	free(swaps);
}

static void host_uses_free(struct host_uses *u)
{
	strv_free(&u->volumes);
	strv_free(&u->devices);
	strv_free(&u->vwhy);
	strv_free(&u->dwhy);
}

/* Why the host uses the volume vl (its device under root), or NULL. */
static const char *host_use_of(const struct host_uses *u, const char *root, const char *vl)
{
	char *dev = xasprintf("/dev/%s", vl), *in = root_path(root, dev), real[PATH_MAX];
	const char *why = NULL;

	for (size_t i = 0; i < u->volumes.n && !why; i++)
		if (streq(u->volumes.v[i], vl))
			why = u->vwhy.v[i];
	if (!why && in && realpath(in, real))
		for (size_t i = 0; i < u->devices.n && !why; i++)
			if (streq(u->devices.v[i], real))
				why = u->dwhy.v[i];
	free(in);
	free(dev);
	return why;
}

enum verdict { LEAVE, REMOVE, REFUSE };

int guest_delete(const struct guest_delete_ctx *c, const struct guest_info *g, struct tx_report *r)
{
	const char *root = c->root;
	struct host_uses uses = {0};
	struct strv remove = {0};
	unsigned refused = 0;
	char *cfg;
	int rc = 0;

	if (!*root) {
		const char *argv[] = {"xl", "domid", g->name, NULL};

		if (run_quiet(r, argv, NULL) == 0) {
			tx_error(
				r, NULL,
				"guest %s is running (xl list): shut it down first (xl shutdown %s), then delete it",
				g->name, g->name);
			return -EBUSY;
		}
	}
	fstab_uses(&uses, root);
	install_uses(&uses, root);
	live_uses(&uses, root, c->proc ? c->proc : "/proc");
	for (size_t i = 0; i < g->disks.n; i++) {
		const char *t = g->disks.v[i], *why = NULL, *other = NULL;
		char *vl = guest_volume_of(t);
		enum verdict v = REMOVE;

		if (!vl && t[0] == '/' && !startswith(t, "/dev/")) {
			tx_info(r, NULL, "%s is a file, not a logical volume: left as it is", t);
			continue;
		}
		if (!vl) {
			tx_error(
				r, NULL,
				"%s's disk %s is not a logical volume's path (/dev/VG/LV): refused, guest delete removes only volumes of the guests' group",
				g->name, t);
			refused++;
			continue;
		}
		for (size_t j = 0; j < c->nguests && !other; j++) {
			if (&c->guests[j] == g || streq(c->guests[j].config, g->config))
				continue;
			for (size_t k = 0; k < c->guests[j].disks.n && !other; k++) {
				char *o = guest_volume_of(c->guests[j].disks.v[k]);

				if (o && streq(o, vl))
					other = c->guests[j].name;
				free(o);
			}
		}
		if (!c->vg) {
			tx_error(
				r, NULL,
				"%s's disk %s: this host's /etc/tenxen/guests.conf names no guests' volume group (vg = NAME), so no volume is known to be a guest's: refused",
				g->name, vl);
			v = REFUSE;
		} else if (strncmp(vl, c->vg, strlen(c->vg)) != 0 || vl[strlen(c->vg)] != '/') {
			tx_error(
				r, NULL,
				"%s's disk %s is not in the guests' volume group %s (/etc/tenxen/guests.conf): refused",
				g->name, vl, c->vg);
			v = REFUSE;
		} else if (streq(strchr(vl, '/') + 1, LVM_CARRY_LV)) {
			tx_error(r, NULL,
				 "%s's disk %s is the volume a reinstall carries files in: refused",
				 g->name, vl);
			v = REFUSE;
		} else if ((why = host_use_of(&uses, root, vl))) {
			tx_error(r, NULL, "%s's disk %s is the host's own (%s): refused", g->name,
				 vl, why);
			v = REFUSE;
		} else if (other) {
			tx_error(r, NULL, "%s's disk %s is also guest %s's: refused", g->name, vl,
				 other);
			v = REFUSE;
		} else {
			const char *args[] = {"lvs", "--noheadings", "-o", "lv_name", vl, NULL};

			if (lvm_query(r, args, NULL) != 0) {
				tx_info(r, NULL,
					"%s is not a logical volume of this host: left as it is",
					vl);
				v = LEAVE;
			}
		}
		if (v == REFUSE)
			refused++;
		else if (v == REMOVE)
			strv_push(&remove, vl);
		free(vl);
	}
	host_uses_free(&uses);
	if (refused) {
		tx_error(
			r, NULL,
			"guest delete removed nothing: %u of %s's disks %s not its own to remove; take %s out of the disk list of %s if the guest no longer uses %s, then run it again",
			refused, g->name, refused == 1 ? "is" : "are", refused == 1 ? "it" : "them",
			g->config, refused == 1 ? "it" : "them");
		strv_free(&remove);
		return -EPERM;
	}
	for (size_t i = 0; i < remove.n && rc == 0; i++) {
		const char *args[] = {"lvremove", "-y", remove.v[i], NULL};

		rc = lvm_said(
			r, args, NULL,
			"could not remove %s; the config %s is kept so that guest delete can run again once it can be removed",
			remove.v[i], g->config);
		if (rc == 0)
			tx_info(r, NULL, "removed the volume %s", remove.v[i]);
	}
	strv_free(&remove);
	if (rc < 0)
		return rc;
	cfg = root_path(root, g->config);
	if (!cfg || unlink(cfg) != 0) {
		rc = -errno;
		tx_error(r, NULL, "could not remove %s: %s", g->config, strerror(errno));
	} else {
		tx_info(r, NULL, "removed %s", g->config);
	}
	free(cfg);
	return rc;
}
