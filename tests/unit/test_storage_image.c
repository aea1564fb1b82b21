// SPDX-License-Identifier: GPL-2.0-or-later
/* The root as an image: its map, the writer, and a real ext4 made by iso/root-image.sh. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "common/util.h"
#include "storage/image.h"
#include "unit.h"

static char dir[] = "/tmp/tenxen-unit-image-XXXXXX";
static char said[8192];

static void hear(void *data, enum tx_level level, const struct tx_loc *loc, const char *text)
{
	size_t n = strlen(said);

	(void)data;
	(void)level;
	if (loc && loc->file)
		snprintf(said + n, sizeof(said) - n, "%s:%d: %s\n", loc->file, loc->line, text);
	else
		snprintf(said + n, sizeof(said) - n, "%s\n", text);
}

static const struct tx_ui ui = {.message = hear};

static char *at(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

static void put(const char *name, const void *bytes, size_t len)
{
	char *p = at(name);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd >= 0) {
		CHECK(write(fd, bytes, len) == (ssize_t)len);
		close(fd);
	}
	free(p);
}

static void put_text(const char *name, const char *text)
{
	put(name, text, strlen(text));
}

/* Read the map NAME; said gets what was reported. */
static int map_of(const char *text, struct image_map **m)
{
	struct tx_report r = {.ui = &ui};
	char *p = at("t.map");
	int rc;

	said[0] = '\0';
	put_text("t.map", text);
	rc = image_map_read(p, &r, m);
	free(p);
	return rc;
}

TEST(map_reads)
{
	struct image_map *m = NULL;

	CHECK(map_of("tenxen-image 1\n# a comment\nfilesystem ext4\nsize 16384\n"
		     "extent 0 4096\nextent 8192 4096\n",
		     &m) == 0);
	CHECK(m && m->size == 16384 && m->nextents == 2 && m->used == 8192);
	CHECK(m && m->extents[1].offset == 8192);
	CHECK_STR(m ? m->filesystem : NULL, "ext4");
	image_map_free(m);
	image_map_free(NULL);
}

TEST(map_refuses)
{
	static const struct {
		const char *text, *heard;
	} bad[] = {
		{"filesystem ext4\n", "t.map:1: the map does not start with \"tenxen-image 1\""},
		{"tenxen-image 2\n", "t.map:1: the map does not start"},
		{"tenxen-image 1\nsize 1000\n", "t.map:2: the size is not a positive number"},
		{"tenxen-image 1\nsize -512\n", "t.map:2: the size is not"},
		{"tenxen-image 1\nextent 0 512\n", "t.map:2: an extent comes before the size"},
		{"tenxen-image 1\nsize 4096\nextent 0\n",
		 "t.map:3: an extent is \"extent OFFSET LENGTH\""},
		{"tenxen-image 1\nsize 4096\nextent 0 x\n", "t.map:3: an extent is"},
		{"tenxen-image 1\nsize 4096\nextent 0 0\n",
		 "t.map:3: an extent's offset and length"},
		{"tenxen-image 1\nsize 4096\nextent 100 512\n", "t.map:3: an extent's offset"},
		{"tenxen-image 1\nsize 4096\nextent 3584 1024\n", "t.map:3: the extent goes past"},
		{"tenxen-image 1\nsize 4096\nextent 1024 512\nextent 512 512\n",
		 "t.map:4: the extent overlaps the one before it"},
		{"tenxen-image 1\nsize 4096\nextent 0 1024\nextent 512 512\n",
		 "t.map:4: the extent overlaps"},
		{"tenxen-image 1\nsize 4096\nbogus 1\n",
		 "t.map:3: only tenxen-image, filesystem, size"},
		{"tenxen-image 1\nsize 4096\nextent 0 512\n", "names no filesystem or no extent"},
		{"tenxen-image 1\nfilesystem ext4\nsize 4096\n",
		 "names no filesystem or no extent"},
	};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct image_map *m = (struct image_map *)1;
		int rc = map_of(bad[i].text, &m);

		CHECK(rc == -EINVAL && m == NULL);
		if (!strstr(said, bad[i].heard))
			fprintf(stderr, "  case %zu: heard \"%s\"\n", i, said);
		CHECK(strstr(said, bad[i].heard));
	}
}

/* A stream of len bytes (byte i is i * 7 mod 251) as NAME.zst; a target of size bytes of 0xee. */
static void stream_and_target(const char *name, size_t len, size_t size)
{
	char *buf = xmalloc(len > size ? len : size), *p = at(name), *cmd;

	for (size_t i = 0; i < len; i++)
		buf[i] = (char)(i * 7 % 251);
	put(name, buf, len);
	cmd = xasprintf("zstd -q -f --rm %s -o %s.zst", p, p);
	CHECK(system(cmd) == 0);
	memset(buf, 0xee, size);
	put("target", buf, size);
	free(cmd);
	free(buf);
	free(p);
}

static int write_it(const char *map_text, const char *stream, const char *target)
{
	struct tx_report r = {.ui = &ui};
	struct image_map *m = NULL;
	char *s = at(stream), *t = at(target);
	int rc = map_of(map_text, &m);

	CHECK(rc == 0);
	said[0] = '\0';
	if (rc == 0)
		rc = image_write(s, m, t, &r);
	image_map_free(m);
	free(s);
	free(t);
	return rc;
}

static char *target_bytes(size_t *len)
{
	char *p = at("target"), *t = NULL;

	CHECK(read_file(p, &t, len) == 0);
	free(p);
	return t;
}

TEST(write_puts_extents_in_place)
{
	size_t len = 0;
	char *t;

	stream_and_target("s", 8192, 16384);
	CHECK(write_it(
		      "tenxen-image 1\nfilesystem ext4\nsize 16384\nextent 0 4096\nextent 8192 4096\n",
		      "s.zst", "target") == 0);
	t = target_bytes(&len);
	CHECK(len == 16384);
	for (size_t i = 0; t && i < len; i++) {
		char want = i < 4096		     ? (char)(i * 7 % 251)
			    : i >= 8192 && i < 12288 ? (char)((i - 4096) * 7 % 251)
						     : (char)0xee;
		if (t[i] != want) {
			fprintf(stderr, "  byte %zu is %d, not %d\n", i, t[i], want);
			CHECK(t[i] == want);
			break;
		}
	}
	free(t);
}

/* Two frames, decompressed side by side, each put where its part of the stream goes. */
TEST(write_frames)
{
	char *cmd, *p = at("two.zst"), map[512];
	size_t len = 0;
	struct stat a, b;
	char *t;

	stream_and_target("f0", 8192, 65536);
	stream_and_target("f1", 12288, 65536);
	cmd = xasprintf("cat %s/f0.zst %s/f1.zst > %s", dir, dir, p);
	CHECK(system(cmd) == 0);
	free(cmd);
	cmd = at("f0.zst");
	CHECK(stat(cmd, &a) == 0);
	free(cmd);
	cmd = at("f1.zst");
	CHECK(stat(cmd, &b) == 0);
	free(cmd);
	/* the stream: f0's 8192 bytes then f1's 12288; extents split them 4096 / 16384 */
	snprintf(map, sizeof(map),
		 "tenxen-image 1\nfilesystem ext4\nsize 65536\nextent 4096 4096\n"
		 "extent 16384 16384\nframe %lld 8192\nframe %lld 12288\n",
		 (long long)a.st_size, (long long)b.st_size);
	CHECK(write_it(map, "two.zst", "target") == 0);
	t = target_bytes(&len);
	CHECK(len == 65536);
	for (size_t i = 0; t && i < len; i++) {
		/* stream byte k of f0 is k*7%251; of f1, (k-8192)*7%251 */
		long k = i >= 4096 && i < 8192	   ? (long)(i - 4096)
			 : i >= 16384 && i < 32768 ? (long)(i - 16384 + 4096)
						   : -1;
		char want = k < 0      ? (char)0xee
			    : k < 8192 ? (char)(k * 7 % 251)
				       : (char)((k - 8192) * 7 % 251);

		if (t[i] != want) {
			fprintf(stderr, "  byte %zu is %d, not %d\n", i, t[i], want);
			CHECK(t[i] == want);
			break;
		}
	}
	free(t);
	/* frames that do not add up to the extents, or to the file */
	snprintf(map, sizeof(map),
		 "tenxen-image 1\nfilesystem ext4\nsize 65536\nextent 4096 20480\n"
		 "frame %lld 8192\n",
		 (long long)a.st_size);
	{
		struct image_map *m = NULL;

		CHECK(map_of(map, &m) == -EINVAL && !m);
		CHECK(strstr(said, "hold 8192 bytes and its extents 20480"));
	}
	snprintf(map, sizeof(map),
		 "tenxen-image 1\nfilesystem ext4\nsize 65536\nextent 4096 20480\n"
		 "frame %lld 8192\nframe %lld 12288\n",
		 (long long)a.st_size, (long long)b.st_size - 1);
	CHECK(write_it(map, "two.zst", "target") == -EIO);
	CHECK(strstr(said, "and its map's frames"));
	free(p);
}

/*
 * An extent at a sector's offset rather than a page's, onto a file in another filesystem (tmpfs,
 * which refused direct I/O before Linux 6.6: then the writer goes through the page cache).
 */
TEST(write_at_sector_offsets)
{
	char shm[] = "/dev/shm/tenxen-unit-image-XXXXXX", *t = NULL, *link = at("shm");
	char fill[16384];
	size_t len = 0;
	int fd = mkstemp(shm);

	CHECK(fd >= 0);
	if (fd < 0) {
		free(link);
		return;
	}
	memset(fill, 0xee, sizeof(fill));
	CHECK(write(fd, fill, sizeof(fill)) == (ssize_t)sizeof(fill));
	close(fd);
	stream_and_target("s", 8192, 16384);
	unlink(link);
	CHECK(symlink(shm, link) == 0);
	CHECK(write_it("tenxen-image 1\nfilesystem ext4\nsize 16384\nextent 512 8192\n", "s.zst",
		       "shm") == 0);
	CHECK(read_file(shm, &t, &len) == 0 && len == 16384);
	CHECK(t && (unsigned char)t[0] == 0xee && t[512] == 0 && t[513] == 7 &&
	      (unsigned char)t[8704] == 0xee);
	free(t);
	free(link);
	unlink(shm);
}

TEST(write_refuses_damage)
{
	size_t len = 0;
	char *t;

	/* the map names more than the stream holds */
	stream_and_target("s", 4096, 16384);
	CHECK(write_it("tenxen-image 1\nfilesystem ext4\nsize 16384\nextent 0 8192\n", "s.zst",
		       "target") == -EIO);
	CHECK(strstr(said, "its frame from byte 0 holds 4096 bytes, and the map says 8192"));
	/* the stream holds more than the map names */
	stream_and_target("s", 8192, 16384);
	CHECK(write_it("tenxen-image 1\nfilesystem ext4\nsize 16384\nextent 0 4096\n", "s.zst",
		       "target") == -EIO);
	CHECK(strstr(said,
		     "its frame from byte 0 holds more than 4096 bytes, and the map says 4096"));
	/* a stream that is not zstd at all: libzstd's own words */
	put_text("junk.zst", "this is not zstd\n");
	CHECK(write_it("tenxen-image 1\nfilesystem ext4\nsize 16384\nextent 0 4096\n", "junk.zst",
		       "target") == -EIO);
	CHECK(strstr(said, "is damaged in its frame from byte 0 (Unknown frame descriptor)"));
	/* a target too small: refused before a byte is written */
	stream_and_target("s", 4096, 8192);
	CHECK(write_it("tenxen-image 1\nfilesystem ext4\nsize 16384\nextent 0 4096\n", "s.zst",
		       "target") == -ENOSPC);
	CHECK(strstr(said, "holds 8192 bytes, and the image needs 16384; make that volume bigger"));
	t = target_bytes(&len);
	CHECK(t && len == 8192 && (unsigned char)t[0] == 0xee);
	free(t);
	/* a stream that is missing */
	CHECK(write_it("tenxen-image 1\nfilesystem ext4\nsize 4096\nextent 0 4096\n", "none.zst",
		       "target") == -ENOENT);
	CHECK(strstr(said, "cannot be read"));
}

static int sh(const char *fmt, const char *arg)
{
	char *cmd = xasprintf(fmt, arg, arg, arg, arg);
	int rc = system(cmd);

	free(cmd);
	return rc;
}

/*
 * iso/root-image.sh on a small root, written onto a bigger "volume" that held other bytes,
 * grown to it: a clean filesystem whose files are the root's (a sparse file, a hard link, a
 * symbolic link, an extended attribute, many small files).
 */
TEST(root_image_round_trip)
{
	struct tx_report r = {.ui = &ui};
	struct image_map *m = NULL;
	char *map = at("out/root.img.map"), *stream = at("out/root.img.zst"), *vol = at("vol");
	char *host;

	CHECK(sh("set -e; d=%s/root; mkdir -p $d/etc $d/many; echo host > $d/etc/hostname;"
		 " ln $d/etc/hostname $d/etc/hard; ln -s hostname $d/etc/soft;"
		 " dd if=/dev/urandom of=$d/sparse bs=4096 count=1 seek=300 status=none;"
		 " for i in $(seq 1 500); do echo $i > $d/many/$i; done",
		 dir) == 0);
	host = at("root/etc/hostname");
	CHECK(setxattr(host, "user.tenxen", "yes", 3, 0) == 0);
	free(host);
	/* frames of 1 MiB: the writer's workers share the image */
	CHECK(sh("ROOT_IMAGE_FRAME_MIB=1 iso/root-image.sh %s/root %s/out > %s/out.log 2>&1",
		 dir) == 0);
	CHECK(image_map_read(map, &r, &m) == 0);
	CHECK(m && m->nframes >= 3);
	/* a "volume" of 64 MiB, full of 0xee: what the image leaves free may keep it */
	CHECK(sh("tr '\\000' '\\356' < /dev/zero | head -c 64M > %s/vol", dir) == 0);
	CHECK(m && m->used < m->size);
	if (m)
		CHECK(image_write(stream, m, vol, &r) == 0);
	CHECK(sh("resize2fs -f %s/vol > /dev/null 2>&1 && e2fsck -fn %s/vol > %s/fsck.log 2>&1",
		 dir) == 0);
	CHECK(sh("cd %s && debugfs -R 'cat /etc/hard' vol 2> /dev/null | grep -qx host", dir) == 0);
	CHECK(sh("cd %s && debugfs -R 'stat /etc/soft' vol 2> /dev/null | grep -q 'Fast link dest: \"hostname\"'",
		 dir) == 0);
	CHECK(sh("cd %s && debugfs -R 'ea_get /etc/hostname user.tenxen' vol 2> /dev/null | grep -q yes",
		 dir) == 0);
	CHECK(sh("cd %s && debugfs -R 'cat /many/500' vol 2> /dev/null | grep -qx 500", dir) == 0);
	CHECK(sh("cd %s && debugfs -R 'dump /sparse sparse.out' vol 2> /dev/null && cmp -s sparse.out root/sparse",
		 dir) == 0);
	CHECK(sh("dumpe2fs -h %s/vol 2> /dev/null | grep -q '^Block count: *16384$'", dir) == 0);
	CHECK(r.errors == 0);
	image_map_free(m);
	free(map);
	free(stream);
	free(vol);
}

/* A source that reads the stream file in small, odd pieces, as a network would hand them. */
struct piecewise {
	int fd;
	int calls;
};

static int read_pieces(void *ctx, uint64_t offset, uint64_t length, image_give give, void *arg,
		       char **why)
{
	struct piecewise *pw = ctx;
	char buf[1000];
	uint64_t at = 0;

	__atomic_add_fetch(&pw->calls, 1, __ATOMIC_SEQ_CST);
	while (at < length) {
		size_t n = length - at < sizeof(buf) ? (size_t)(length - at) : sizeof(buf);
		ssize_t got = pread(pw->fd, buf, n, (off_t)(offset + at));
		int rc;

		if (got <= 0) {
			*why = xasprintf("short read at %llu", (unsigned long long)(offset + at));
			return -EIO;
		}
		rc = give(arg, buf, (size_t)got);
		if (rc < 0)
			return rc;
		at += (uint64_t)got;
	}
	return 0;
}

/*
 * The frames' SHA-256 in the map (iso/root-image.sh writes them): the image written from a
 * source other than a file is the same; a frame changed on the way, its size kept, is caught
 * both ways, naming the frame; a map without them is refused for a source.
 */
TEST(frame_digests)
{
	struct tx_report r = {.ui = &ui};
	struct image_map *m = NULL;
	char *map = at("out/root.img.map"), *stream = at("out/root.img.zst"), *vol = at("vol2");
	struct piecewise pw = {.fd = open(stream, O_RDONLY)};
	struct stat st;
	struct image_source src = {"http://server/root.img.zst", 0, read_pieces, &pw};

	CHECK(pw.fd >= 0 && fstat(pw.fd, &st) == 0);
	src.size = (uint64_t)st.st_size;
	CHECK(image_map_read(map, &r, &m) == 0);
	CHECK(m && m->nframes >= 3);
	for (size_t i = 0; m && i < m->nframes; i++)
		CHECK(sha256_valid(m->frames[i].sha256));
	CHECK(sh("cd %s && tr '\\000' '\\356' < /dev/zero | head -c 64M > vol2 && cp vol2 vol3",
		 dir) == 0);
	if (m) {
		char *vol3 = at("vol3");

		CHECK(image_write_from(&src, m, vol, &r) == 0);
		CHECK(pw.calls == (int)m->nframes);
		CHECK(image_write(stream, m, vol3, &r) == 0);
		free(vol3);
	}
	/* the same bytes as the file's own write makes */
	CHECK(sh("cd %s && cmp -s vol2 vol3", dir) == 0);

	/* damage zstd accepts: the stream whole, but the map's digest of its second frame not that
	 * frame's; only the digest check can speak, and it must (with it disabled, both writes
	 * would pass). The sentence says which check spoke. */
	if (m) {
		char keep = m->frames[1].sha256[0];
		char *vol3 = at("vol3");

		m->frames[1].sha256[0] = keep == '0' ? '1' : '0';
		said[0] = '\0';
		CHECK(image_write(stream, m, vol3, &r) == -EIO);
		CHECK(strstr(said, "its SHA-256 is not the map's"));
		lseek(pw.fd, 0, SEEK_SET);
		said[0] = '\0';
		CHECK(image_write_from(&src, m, vol3, &r) == -EIO);
		CHECK(strstr(said, "its SHA-256 is not the map's"));
		m->frames[1].sha256[0] = keep;
		free(vol3);
	}
	/* one byte of the second frame changed (flipped, so never the byte it was): zstd's own
	 * checks or the digest see it */
	CHECK(sh("cd %s && cp out/root.img.zst bad.zst && at=$(( $(awk '/^frame/ { print $2; exit }' out/root.img.map) + 100 )) && b=$(dd if=bad.zst bs=1 skip=$at count=1 status=none | od -An -tu1 | tr -d ' ') && printf \"\\\\$(printf %%03o $(( b ^ 255 )))\" | dd of=bad.zst bs=1 seek=$at conv=notrunc status=none",
		 dir) == 0);
	said[0] = '\0';
	{
		char *bad = at("bad.zst");

		if (m)
			CHECK(image_write(bad, m, vol, &r) < 0);
		free(bad);
	}
	CHECK(strstr(said, "bad.zst is damaged in its frame from byte"));
	close(pw.fd);
	{
		char *bad = at("bad.zst");

		pw.fd = open(bad, O_RDONLY); /* the source now hands the changed bytes */
		free(bad);
	}
	said[0] = '\0';
	if (m)
		CHECK(image_write_from(&src, m, vol, &r) < 0);
	CHECK(strstr(said,
		     "the image http://server/root.img.zst is damaged in its frame from byte"));
	CHECK(strstr(said, "the server's payload is damaged"));

	/* a map without digests: a file still writes, a source is refused before writing */
	for (size_t i = 0; m && i < m->nframes; i++)
		m->frames[i].sha256[0] = '\0';
	said[0] = '\0';
	if (m)
		CHECK(image_write_from(&src, m, vol, &r) == -EINVAL);
	CHECK(strstr(said, "gives no SHA-256 of its frame 1"));
	close(pw.fd);
	image_map_free(m);
	free(map);
	free(stream);
	free(vol);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	RUN(map_reads);
	RUN(map_refuses);
	RUN(write_puts_extents_in_place);
	RUN(write_frames);
	RUN(write_at_sector_offsets);
	RUN(write_refuses_damage);
	RUN(root_image_round_trip);
	RUN(frame_digests);
	sh("rm -rf %s", dir);
	UNIT_EXIT();
}
