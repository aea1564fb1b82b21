// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * LVM2's on-disk format, as far as reading a PV's metadata goes: a label ("LABELONE", type
 * "LVM2 001") in one of the first four 512-byte sectors; after it the PV header (uuid, size,
 * a zero-terminated list of data areas, then of metadata areas, each an offset and size in
 * bytes); each metadata area starts with a header (magic " LVM2 x[5A%r0N*>") whose first raw
 * location points at the newest metadata text, which begins "VGNAME {".
 */
#include "storage/pvlabel.h"
#include "common/util.h"

#include <ctype.h>
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SECTOR	     512
#define MDA_MAGIC    " LVM2 x[5A%r0N*>"
#define MDA_TEXT_MAX (16 * 1024 * 1024) /* metadata areas are 1 MiB by default */

static uint64_t le64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return le64toh(v);
}

static uint32_t le32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return le32toh(v);
}

static int pread_all(int fd, void *buf, size_t len, uint64_t off)
{
	ssize_t r = pread(fd, buf, len, (off_t)off);

	if (r < 0)
		return -errno;
	return (size_t)r == len ? 0 : -EIO;
}

char *pv_meta_vgname(const char *text, size_t len)
{
	size_t n = 0;

	while (n < len && (isalnum((unsigned char)text[n]) || strchr("+_.-", text[n]) != NULL) &&
	       text[n])
		n++;
	return n && n < len && text[n] == ' ' ? xstrndup(text, n) : NULL;
}

int pv_read_metadata(int fd, uint64_t offset, char uuid[33], char **text, size_t *len)
{
	unsigned char sec[SECTOR * 4], mda[SECTOR];
	const unsigned char *lbl = NULL, *ph, *p, *end;
	uint64_t mda_off = 0, mda_size, loc_off, loc_size, first;
	char *t;
	int rc;

	*text = NULL;
	*len = 0;
	uuid[0] = 0;
	rc = pread_all(fd, sec, sizeof(sec), offset);
	if (rc < 0)
		return rc;
	for (int i = 0; i < 4 && !lbl; i++)
		if (memcmp(sec + i * SECTOR, "LABELONE", 8) == 0 &&
		    memcmp(sec + i * SECTOR + 24, "LVM2 001", 8) == 0)
			lbl = sec + i * SECTOR;
	if (!lbl)
		return -ENOENT;
	ph = lbl + le32(lbl + 20);
	end = lbl + SECTOR;
	if (ph < lbl + 32 || ph + 40 > end)
		return -EINVAL;
	memcpy(uuid, ph, 32);
	uuid[32] = 0;
	p = ph + 32 + 8;
	while (p + 16 <= end && le64(p))
		p += 16;
	p += 16;
	if (p + 16 <= end)
		mda_off = le64(p);
	if (!mda_off)
		return 0;
	rc = pread_all(fd, mda, sizeof(mda), offset + mda_off);
	if (rc < 0)
		return rc;
	if (memcmp(mda + 4, MDA_MAGIC, 16) != 0)
		return -EINVAL;
	mda_size = le64(mda + 32);
	loc_off = le64(mda + 40);
	loc_size = le64(mda + 48);
	if (!loc_off || !loc_size)
		return 0;
	if (loc_size > MDA_TEXT_MAX || mda_size > (uint64_t)1 << 40 || loc_off < SECTOR ||
	    loc_off >= mda_size || loc_size > mda_size - SECTOR)
		return -EINVAL;
	/* the area is a ring after its header: the text may go on from the header's end */
	first = loc_off + loc_size > mda_size ? mda_size - loc_off : loc_size;
	t = xmalloc(loc_size + 1);
	rc = pread_all(fd, t, first, offset + mda_off + loc_off);
	if (rc == 0 && first < loc_size)
		rc = pread_all(fd, t + first, loc_size - first, offset + mda_off + SECTOR);
	if (rc < 0) {
		free(t);
		return rc;
	}
	t[loc_size] = 0;
	*text = t;
	*len = strnlen(t, loc_size);
	return 0;
}
