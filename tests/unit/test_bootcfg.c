// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Properties of the extlinux.conf model on every file of tests/bootcfg/corpus: an unmodified file
 * emits byte for byte; every edit applied twice equals once; removing the serial console after
 * adding it gives back a file that had none.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bootcfg/bootcfg.h"
#include "bootcfg/fresh.h"
#include "bootcfg/install.h"
#include "common/util.h"
#include "tests/unit/unit.h"

#define CORPUS "tests/bootcfg/corpus"

static struct tx_report quiet = {.ui = NULL};

typedef int (*edit_fn)(struct extconf *c, const void *arg);

/* Apply an edit to text; the result (caller frees), or NULL if the edit failed. */
static char *apply(const char *text, edit_fn fn, const void *arg)
{
	struct extconf *c = extconf_parse("t.conf", text, strlen(text), &quiet);
	char *out = NULL;

	if (c && fn(c, arg) == 0)
		out = extconf_emit(c, NULL);
	extconf_free(c);
	return out;
}

static int add_serial(struct extconf *c, const void *arg)
{
	return bootcfg_set_serial(c, arg, &quiet);
}

static int set_mem(struct extconf *c, const void *arg)
{
	return bootcfg_set_dom0_mem(c, arg, &quiet);
}

static int set_opts(struct extconf *c, const void *arg)
{
	return bootcfg_set_xen_options(c, arg, &quiet);
}

static char host[] = "/tmp/tenxen-unit-host-XXXXXX";

static int refresh(struct extconf *c, const void *arg)
{
	(void)arg;
	return bootcfg_refresh(c, host, "/boot/extlinux", &quiet);
}

static void make_host(void)
{
	static const char *const files[] = {
		"xen-4.16-amd64.gz",	  "xen-4.17-amd64.gz",	       "vmlinuz-6.1.0-27-amd64",
		"vmlinuz-6.1.0-28-amd64", "initrd.img-6.1.0-27-amd64", "initrd.img-6.1.0-28-amd64"};
	char *boot;

	if (!mkdtemp(host))
		abort();
	boot = xasprintf("%s/boot", host);
	mkdir(boot, 0755);
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		char *p = xasprintf("%s/%s", boot, files[i]);
		FILE *f = fopen(p, "w");

		if (f)
			fclose(f);
		free(p);
	}
	free(boot);
}

static void remove_host(void)
{
	char *cmd = xasprintf("rm -rf '%s'", host);

	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", host);
	free(cmd);
}

static bool has_serial(const char *text)
{
	return strcasestr(text, "serial ") || strstr(text, "console=com") ||
	       strstr(text, "console=ttyS") || strstr(text, "console=hvc") || strstr(text, ",com");
}

/* once(x) == once(once(x)); NULL results (an edit refused) must be refused both times. */
static void check_idempotent(const char *name, const char *what, const char *text, edit_fn fn,
			     const void *arg)
{
	char *once = apply(text, fn, arg), *twice = once ? apply(once, fn, arg) : NULL;

	if (once && (!twice || strcmp(once, twice) != 0)) {
		fprintf(stderr, "  %s: %s applied twice differs from once\n", name, what);
		unit_failed_now++;
	}
	free(once);
	free(twice);
}

static size_t files_checked;

TEST(corpus_properties)
{
	DIR *d = opendir(CORPUS);
	struct dirent *de;
	struct serial_console s0 = {0, 115200}, s1 = {1, 57600};

	CHECK(d != NULL);
	make_host();
	while (d && (de = readdir(d))) {
		char *path, *text = NULL, *out;
		size_t len = 0;
		struct extconf *c;

		if (!endswith(de->d_name, ".conf"))
			continue;
		path = xasprintf("%s/%s", CORPUS, de->d_name);
		CHECK(read_file(path, &text, &len) == 0);
		files_checked++;
		/* round trip, byte for byte */
		c = extconf_parse(path, text, len, &quiet);
		CHECK(c != NULL);
		out = c ? extconf_emit(c, NULL) : NULL;
		if (!out || strcmp(out, text) != 0) {
			fprintf(stderr, "  %s: does not emit byte for byte\n", de->d_name);
			unit_failed_now++;
		}
		free(out);
		extconf_free(c);
		check_idempotent(de->d_name, "serial ttyS0", text, add_serial, &s0);
		check_idempotent(de->d_name, "serial ttyS1 57600", text, add_serial, &s1);
		check_idempotent(de->d_name, "serial removal", text, add_serial, NULL);
		check_idempotent(de->d_name, "dom0_mem", text, set_mem, "3G,max:3G");
		check_idempotent(de->d_name, "xen options", text, set_opts, "loglvl=all iommu=1");
		check_idempotent(de->d_name, "refresh", text, refresh, NULL);
		{
			/* a change of port or speed on top of another gives the same as directly */
			char *a = apply(text, add_serial, &s0),
			     *b = a ? apply(a, add_serial, &s1) : NULL;
			char *direct = apply(text, add_serial, &s1);

			CHECK(!a || (b && direct && strcmp(b, direct) == 0));
			free(a);
			free(b);
			free(direct);
		}
		if (!has_serial(text)) {
			char *added = apply(text, add_serial, &s0);
			char *removed = added ? apply(added, add_serial, NULL) : NULL;

			if (!removed || strcmp(removed, text) != 0) {
				fprintf(stderr,
					"  %s: remove after add does not give the original back\n",
					de->d_name);
				unit_failed_now++;
			}
			CHECK(added && strcmp(added, text) != 0); /* the add did something */
			free(added);
			free(removed);
		}
		free(text);
		free(path);
	}
	if (d)
		closedir(d);
	remove_host();
	CHECK(files_checked >= 15);
}

TEST(serial_forms)
{
	const char *conf =
		"DEFAULT xen\nLABEL xen\n  KERNEL mboot.c32\n  APPEND /xen.gz console=vga "
		"--- /vmlinuz root=/dev/sda1 console=ttyS0,9600 --- /initrd\n";
	struct serial_console s = {2, 38400};
	char *out = apply(conf, add_serial, &s), *back;

	CHECK(out != NULL);
	CHECK(out && startswith(out, "SERIAL 2 38400\nDEFAULT xen\n"));
	CHECK(out && strstr(out, "console=vga,com3 com3=38400,8n1 ---"));
	CHECK(out && strstr(out, "root=/dev/sda1 console=hvc0 ---"));
	back = out ? apply(out, add_serial, NULL) : NULL;
	CHECK(back && strstr(back, "APPEND /xen.gz console=vga --- /vmlinuz root=/dev/sda1 --- "));
	CHECK(back && !strstr(back, "SERIAL"));
	free(out);
	free(back);
}

TEST(refusals)
{
	struct tx_report r = {.ui = NULL};
	const char *bad = "LABEL xen\n  KERNEL mboot.c32\n  APPEND /xen.gz dom0_mem=1G\n";
	struct extconf *c = extconf_parse("b.conf", bad, strlen(bad), &r);
	struct serial_console s = {0, 115200};

	CHECK(c != NULL);
	CHECK(c && bootcfg_set_serial(c, &s, &r) < 0);
	CHECK(r.errors == 1);
	extconf_free(c);
	c = extconf_parse("n.conf", "LABEL linux\n  KERNEL /vmlinuz\n", 26, &r);
	CHECK(c && bootcfg_set_dom0_mem(c, "1G", &r) < 0);   /* no Xen entry */
	CHECK(c && bootcfg_set_dom0_mem(c, "1024", &r) < 0); /* no unit */
	CHECK(c && bootcfg_set_default(c, "nosuch", &r) < 0);
	CHECK(c && bootcfg_set_default(c, "linux", &r) == 0);
	extconf_free(c);
}

static void touch(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(p, "w");

	if (f)
		fclose(f);
	free(p);
}

/* The /boot partition of each disk, from a fake /proc/self/mounts and md slaves in sysfs. */
TEST(boot_partition_from_mounts)
{
	char root[] = "/tmp/tenxen-unit-mnt-XXXXXX";
	char *dirs[] = {"proc",
			"proc/self",
			"sys",
			"sys/block",
			"sys/block/md127",
			"sys/block/md127/slaves",
			"dev",
			"boot",
			"mdboot"};
	struct tx_report r = {.ui = NULL};
	char *p, *mounts, *boot, *mdboot, *sda, *sdb, *nvme, *proc, *sys;
	int partno = 0;

	CHECK(mkdtemp(root) != NULL);
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		p = xasprintf("%s/%s", root, dirs[i]);
		mkdir(p, 0755);
		free(p);
	}
	p = xasprintf("%s/dev", root);
	touch(p, "sda");
	touch(p, "sdb");
	touch(p, "sda2");
	touch(p, "md127");
	touch(p, "nvme0n1");
	free(p);
	p = xasprintf("%s/sys/block/md127/slaves", root);
	touch(p, "sda2");
	touch(p, "sdb2");
	free(p);
	boot = xasprintf("%s/boot", root);
	mdboot = xasprintf("%s/mdboot", root);
	sda = xasprintf("%s/dev/sda", root);
	sdb = xasprintf("%s/dev/sdb", root);
	nvme = xasprintf("%s/dev/nvme0n1", root);
	proc = xasprintf("%s/proc", root);
	sys = xasprintf("%s/sys", root);
	mounts = xasprintf("%s/proc/self/mounts", root);
	{
		FILE *f = fopen(mounts, "w");

		CHECK(f != NULL);
		if (f) {
			fprintf(f, "%s/dev/sda2 %s ext4 rw 0 0\n", root, boot);
			fprintf(f, "%s/dev/md127 %s ext4 rw 0 0\n", root, mdboot);
			fclose(f);
		}
	}
	CHECK(bootloader_find_partition(proc, sys, boot, sda, &partno, &r) == 0 && partno == 2);
	partno = 0;
	CHECK(bootloader_find_partition(proc, sys, mdboot, sda, &partno, &r) == 0 && partno == 2);
	partno = 0;
	CHECK(bootloader_find_partition(proc, sys, mdboot, sdb, &partno, &r) == 0 && partno == 2);
	CHECK(r.errors == 0);
	/* /boot is not on this disk: refused, with a sentence */
	CHECK(bootloader_find_partition(proc, sys, boot, nvme, &partno, &r) < 0);
	CHECK(bootloader_find_partition(proc, sys, sys, sda, &partno, &r) < 0); /* not mounted */
	CHECK(r.errors == 2);
	p = xasprintf("rm -rf '%s'", root);
	CHECK(system(p) == 0);
	free(p);
	free(mounts);
	free(boot);
	free(mdboot);
	free(sda);
	free(sdb);
	free(nvme);
	free(proc);
	free(sys);
}

/* The newest kernel as dpkg orders versions (an -rc before its release), and never a name that
 * would break the config's line. */
TEST(newest_kernel_by_dpkg_order)
{
	char tmpl[] = "/tmp/tenxen-newest-XXXXXX", *d = mkdtemp(tmpl), *n;
	const char *names[] = {"vmlinuz-6.1.0-27-amd64", "vmlinuz-6.2.0-rc7-amd64",
			       "vmlinuz-6.10.0-1-amd64", "vmlinuz-9.9 evil", "vmlinuz-9.9\nx"};

	CHECK(d != NULL);
	if (!d)
		return;
	for (size_t i = 0; i < 2; i++) {
		char *p = xasprintf("%s/%s", d, names[i]);

		close(open(p, O_CREAT | O_WRONLY, 0644));
		free(p);
	}
	n = bootcfg_newest_file(d, "vmlinuz-", "");
	CHECK_STR(n, "vmlinuz-6.2.0-rc7-amd64"); /* 6.2~rc7 is newer than 6.1 */
	free(n);
	for (size_t i = 2; i < ARRAY_SIZE(names); i++) {
		char *p = xasprintf("%s/%s", d, names[i]);

		close(open(p, O_CREAT | O_WRONLY, 0644));
		free(p);
	}
	n = bootcfg_newest_file(d, "vmlinuz-", "");
	CHECK_STR(
		n,
		"vmlinuz-6.10.0-1-amd64"); /* 6.10 after 6.9; names with a space or newline never */
	free(n);
	{
		char *p = xasprintf("%s/vmlinuz-6.10.0-rc3-amd64", d);

		close(open(p, O_CREAT | O_WRONLY, 0644));
		free(p);
	}
	n = bootcfg_newest_file(d, "vmlinuz-", "");
	CHECK_STR(n, "vmlinuz-6.10.0-1-amd64"); /* the release, not its -rc */
	free(n);
	n = xasprintf("rm -rf %s", d);
	CHECK(system(n) == 0);
	free(n);
}

/* dom0's own options: on both Xen entries of a fresh config, extlinux and xen.cfg alike, after
 * root= and before the serial console's console=hvc0; never on the entry without Xen */
TEST(fresh_dom0_options)
{
	struct serial_console sc = {0, 115200};
	struct fresh_config f = {.xen = "xen-4.17-amd64.gz",
				 .kernel = "vmlinuz-6.1.0-27-amd64",
				 .initrd = "initrd.img-6.1.0-27-amd64",
				 .prefix = "/",
				 .dom0_mem = "1024M,max:1024M",
				 .dom0_append = "xen-pciback.hide=(0000:03:00.0) iommu=pt",
				 .root_dev = "/dev/mapper/vg0-root",
				 .serial = &sc,
				 .timeout = 5};
	char *e = bootcfg_fresh(&f, &quiet), *x = xencfg_fresh(&f, &quiet);
	const char *p;
	int n = 0;

	CHECK(e && x);
	if (!e || !x)
		goto out;
	for (p = e; (p = strstr(p, "ro xen-pciback.hide=(0000:03:00.0) iommu=pt console=hvc0 ---"));
	     p++)
		n++;
	CHECK(n == 1);
	CHECK(strstr(e, "ro nomodeset xen-pciback.hide=(0000:03:00.0) iommu=pt console=hvc0 ---"));
	CHECK(!strstr(strstr(e, "LABEL linux"), "pciback"));
	n = 0;
	for (p = x; (p = strstr(p, "kernel=vmlinuz-6.1.0-27-amd64 root=/dev/mapper/vg0-root ro"));
	     p++)
		n += strstr(p, "iommu=pt console=hvc0\n") ==
		     strchr(p, '\n') - strlen("iommu=pt console=hvc0");
	CHECK(n == 2);
	/* without them, the lines are as before */
	free(e);
	f.dom0_append = NULL;
	e = bootcfg_fresh(&f, &quiet);
	CHECK(e && strstr(e, "root=/dev/mapper/vg0-root ro console=hvc0 ---"));
out:
	free(e);
	free(x);
}

int main(void)
{
	RUN(fresh_dom0_options);
	RUN(corpus_properties);
	RUN(serial_forms);
	RUN(newest_kernel_by_dpkg_order);
	RUN(refusals);
	RUN(boot_partition_from_mounts);
	printf("# %zu corpus files checked\n", files_checked);
	UNIT_EXIT();
}
