// SPDX-License-Identifier: GPL-2.0-or-later
#include "bootcfg/install.h"
#include "storage/partition.h"
#include "common/atomic.h"
#include "common/run.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BOOT_CODE_SIZE 440 /* the MBR's code area, before the disk signature */

const char *const bootloader_modules[] = {"mboot.c32", "libcom32.c32", "menu.c32", "libutil.c32",
					  NULL};

void syslinux_files_default(struct syslinux_files *f)
{
	f->mbr_dir = "/usr/lib/syslinux/mbr";
	f->modules_dir = "/usr/lib/syslinux/modules/bios";
	f->extlinux = "extlinux";
}

static int copy_file(struct tx_report *r, const char *from, const char *to)
{
	char *data = NULL;
	size_t len = 0;
	int rc = read_file(from, &data, &len);

	if (rc < 0) {
		tx_error(r, NULL, "cannot read %s: %s; is syslinux-common installed?", from,
			 strerror(-rc));
		return rc;
	}
	rc = atomic_write_file(r, to, data, len, 0644, false);
	free(data);
	return rc;
}

static int write_boot_code(struct tx_report *r, const char *disk, const char *code_file)
{
	char *code = NULL;
	size_t len = 0;
	int rc = read_file(code_file, &code, &len), fd;

	if (rc < 0) {
		tx_error(r, NULL, "cannot read the boot code %s: %s", code_file, strerror(-rc));
		return rc;
	}
	if (len < BOOT_CODE_SIZE) {
		tx_error(r, NULL, "%s holds %zu bytes, less than the %d of boot code", code_file,
			 len, BOOT_CODE_SIZE);
		free(code);
		return -EINVAL;
	}
	fd = open(disk, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || pwrite(fd, code, BOOT_CODE_SIZE, 0) != BOOT_CODE_SIZE || fsync(fd) < 0) {
		rc = -errno;
		tx_error(r, NULL, "cannot write the boot code to %s: %s", disk, strerror(-rc));
	}
	if (fd >= 0)
		close(fd);
	free(code);
	return rc;
}

/* every disk is checked before anything is written to any of them */
static int check_disks(const struct boot_disk *disks, size_t n, struct tx_report *r)
{
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++) {
		bool gpt;

		rc = partition_boot_flag(r, disks[i].disk, disks[i].partno, false, &gpt);
	}
	return rc;
}

static int write_disks(const struct boot_disk *disks, size_t n, const struct syslinux_files *f,
		       struct tx_report *r)
{
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++) {
		bool gpt = false;
		char *code;

		rc = partition_boot_flag(r, disks[i].disk, disks[i].partno, true, &gpt);
		if (rc < 0)
			break;
		code = xasprintf("%s/%s", f->mbr_dir, gpt ? "gptmbr.bin" : "mbr.bin");
		rc = write_boot_code(r, disks[i].disk, code);
		if (rc == 0)
			tx_info(r, NULL, "%s: %s boot code, partition %d %s", disks[i].disk,
				gpt ? "gptmbr.bin" : "mbr.bin", disks[i].partno,
				gpt ? "legacy BIOS bootable" : "has the boot flag");
		free(code);
	}
	return rc;
}

int bootloader_install(const char *bootdir, const struct boot_disk *disks, size_t n,
		       const struct syslinux_files *f, struct tx_report *r)
{
	char *dir = xasprintf("%s/extlinux", bootdir);
	int rc = check_disks(disks, n, r);

	if (rc < 0)
		goto out;
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		rc = -errno;
		tx_error(r, NULL, "cannot create %s: %s", dir, strerror(-rc));
		goto out;
	}
	{
		const char *argv[] = {f->extlinux, "--install", dir, NULL};

		rc = run_cmd(r, argv, NULL);
		if (rc < 0)
			goto out;
		tx_info(r, NULL, "extlinux installed in %s", dir);
	}
	for (size_t i = 0; bootloader_modules[i] && rc == 0; i++) {
		char *from = xasprintf("%s/%s", f->modules_dir, bootloader_modules[i]);
		char *to = xasprintf("%s/%s", dir, bootloader_modules[i]);

		rc = copy_file(r, from, to);
		free(from);
		free(to);
	}
	if (rc == 0)
		rc = write_disks(disks, n, f, r);
out:
	free(dir);
	return rc;
}

int bootloader_install_disks(const struct boot_disk *disks, size_t n,
			     const struct syslinux_files *f, struct tx_report *r)
{
	int rc = check_disks(disks, n, r);

	return rc < 0 ? rc : write_disks(disks, n, f, r);
}

/* "sda2" of disk "sda" (or "nvme0n1p2", "loop0p2") -> 2; 0 when it is not one of its partitions */
static int partno_of(const char *part, const char *disk_name)
{
	size_t n = strlen(disk_name);
	const char *p;

	if (strncmp(part, disk_name, n) != 0)
		return 0;
	p = part + n;
	if (*p == 'p')
		p++;
	if (!*p || strspn(p, "0123456789") != strlen(p))
		return 0;
	return atoi(p);
}

int bootloader_find_partition(const char *proc, const char *sys, const char *bootdir,
			      const char *disk, int *partno, struct tx_report *r)
{
	char *mounts = xasprintf("%s/self/mounts", proc), *buf = NULL, *src = NULL, *save = NULL;
	char real[4096], disk_real[4096];
	const char *disk_name, *src_name;
	int rc = -ENOENT;

	if (!realpath(bootdir, real) || !realpath(disk, disk_real)) {
		tx_error(r, NULL, "cannot find %s or %s: %s", bootdir, disk, strerror(errno));
		free(mounts);
		return -errno;
	}
	if (read_file(mounts, &buf, NULL) == 0) {
		for (char *line = strtok_r(buf, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			char s[512], d[512];

			if (sscanf(line, "%511s %511s", s, d) == 2 && streq(d, real)) {
				free(src);
				src = xstrdup(s);
			}
		}
	}
	free(buf);
	free(mounts);
	if (!src) {
		tx_error(
			r, NULL,
			"nothing is mounted at %s; mount /boot there, or name the partition as %s:N",
			bootdir, disk);
		return -ENOENT;
	}
	disk_name = strrchr(disk_real, '/') + 1;
	src_name = strrchr(src, '/') ? strrchr(src, '/') + 1 : src;
	*partno = partno_of(src_name, disk_name);
	if (*partno > 0) {
		rc = 0;
	} else if (startswith(src_name, "md")) {
		char md_real[4096], *slaves;
		DIR *dp;
		struct dirent *de;

		if (realpath(src, md_real)) {
			slaves = xasprintf("%s/block/%s/slaves", sys, strrchr(md_real, '/') + 1);
			dp = opendir(slaves);
			while (dp && (de = readdir(dp)))
				if (partno_of(de->d_name, disk_name) > 0 && rc < 0) {
					*partno = partno_of(de->d_name, disk_name);
					rc = 0;
				}
			if (dp)
				closedir(dp);
			free(slaves);
		}
	}
	if (rc < 0)
		tx_error(r, NULL, "%s (mounted at %s) is not on %s; name the partition as %s:N",
			 src, bootdir, disk, disk);
	free(src);
	return rc;
}
