// SPDX-License-Identifier: GPL-2.0-or-later
#include "storage/image.h"
#include "common/util.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/fs.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

void image_map_free(struct image_map *m)
{
	if (!m)
		return;
	free(m->filesystem);
	free(m->extents);
	free(m->frames);
	free(m);
}

static bool parse_bytes(const char *s, uint64_t *out)
{
	char *end;

	if (!s || !*s || *s == '-')
		return false;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno == 0 && *end == '\0';
}

/* One statement of the map; returns an explanation of its fault, or NULL. */
static const char *map_line(struct image_map *m, char *line, bool *seen_format)
{
	char *word = strtok(line, " \t"), *a = strtok(NULL, " \t"), *b = strtok(NULL, " \t");
	uint64_t x, y;

	if (!word || word[0] == '#')
		return NULL;
	if (!*seen_format) {
		if (!streq(word, "tenxen-image") || !a || !streq(a, "1") || b)
			return "the map does not start with \"tenxen-image 1\"";
		*seen_format = true;
		return NULL;
	}
	if (streq(word, "filesystem") && a && !b) {
		free(m->filesystem);
		m->filesystem = xstrdup(a);
		return NULL;
	}
	if (streq(word, "size") && !b) {
		if (!parse_bytes(a, &m->size) || m->size == 0 || m->size % 512)
			return "the size is not a positive number of bytes, a multiple of 512";
		return NULL;
	}
	if (streq(word, "frame")) {
		const char *sum = strtok(NULL, " \t");
		uint64_t zat = 0, at = 0;

		if (!parse_bytes(a, &x) || !parse_bytes(b, &y) || (sum && strtok(NULL, " \t")) ||
		    !x || !y)
			return "a frame is \"frame COMPRESSED LENGTH [SHA256]\", two numbers of bytes, not 0, and a digest";
		if (sum && !sha256_valid(sum))
			return "a frame's SHA256 is 64 lowercase hex digits";
		if (y % 512)
			return "a frame's length is a multiple of 512";
		if (m->nframes) {
			const struct image_frame *last = &m->frames[m->nframes - 1];

			zat = last->zoffset + last->zlength;
			at = last->offset + last->length;
		}
		m->frames = xrealloc(m->frames, (m->nframes + 1) * sizeof(*m->frames));
		m->frames[m->nframes] = (struct image_frame){zat, x, at, y, ""};
		if (sum)
			memcpy(m->frames[m->nframes].sha256, sum, SHA256_HEX);
		m->nframes++;
		return NULL;
	}
	if (!streq(word, "extent"))
		return "only tenxen-image, filesystem, size, extent and frame statements belong in a map";
	if (!parse_bytes(a, &x) || !parse_bytes(b, &y) || strtok(NULL, " \t"))
		return "an extent is \"extent OFFSET LENGTH\", two numbers of bytes";
	if (!m->size)
		return "an extent comes before the size";
	if (y == 0 || x % 512 || y % 512)
		return "an extent's offset and length are multiples of 512, and its length is not 0";
	if (x > m->size || y > m->size - x)
		return "the extent goes past the filesystem's size";
	if (m->nextents) {
		const struct image_extent *last = &m->extents[m->nextents - 1];

		if (x < last->offset + last->length)
			return "the extent overlaps the one before it, or comes before it";
	}
	m->extents = xrealloc(m->extents, (m->nextents + 1) * sizeof(*m->extents));
	m->extents[m->nextents++] = (struct image_extent){x, y};
	m->used += y;
	return NULL;
}

int image_map_read(const char *path, struct tx_report *r, struct image_map **out)
{
	struct image_map *m = xzalloc(sizeof(*m));
	char *text = NULL, *line, *next;
	bool seen_format = false;
	int rc, n = 0;

	*out = NULL;
	rc = read_file(path, &text, NULL);
	if (rc < 0) {
		tx_error(r, NULL, "cannot read the image map %s: %s", path, strerror(-rc));
		image_map_free(m);
		return rc;
	}
	for (line = text; line && rc == 0; line = next) {
		const char *fault;
		struct tx_loc loc = {path, ++n};

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		fault = map_line(m, line, &seen_format);
		if (fault) {
			tx_error(r, &loc,
				 "%s; the payload is damaged: build it again (make payload)",
				 fault);
			rc = -EINVAL;
		}
	}
	if (rc == 0 && (!m->filesystem || !m->nextents)) {
		tx_error(
			r, NULL,
			"the image map %s names no filesystem or no extent; the payload is damaged: build it again (make payload)",
			path);
		rc = -EINVAL;
	}
	if (rc == 0 && m->nframes &&
	    m->frames[m->nframes - 1].offset + m->frames[m->nframes - 1].length != m->used) {
		tx_error(r, NULL,
			 "the frames of the image map %s hold %" PRIu64
			 " bytes and its extents %" PRIu64
			 "; the payload is damaged: build it again (make payload)",
			 path, m->frames[m->nframes - 1].offset + m->frames[m->nframes - 1].length,
			 m->used);
		rc = -EINVAL;
	}
	free(text);
	if (rc < 0) {
		image_map_free(m);
		return rc;
	}
	*out = m;
	return 0;
}

/* The size in bytes of a block device or regular file, or a negative errno. */
static int64_t device_size(const char *device)
{
	int fd = open(device, O_RDONLY | O_CLOEXEC);
	struct stat st;
	uint64_t size = 0;
	int64_t rc;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		rc = -errno;
	else if (S_ISBLK(st.st_mode))
		rc = ioctl(fd, BLKGETSIZE64, &size) < 0 ? -errno : (int64_t)size;
	else if (S_ISREG(st.st_mode))
		rc = st.st_size;
	else
		rc = -ENOTBLK;
	close(fd);
	return rc;
}

/*
 * Direct writes where the device takes them: in the emulator, a write of the image through the
 * page cache took twice as long as the same bytes written with O_DIRECT (18.8 s against 8.7 s for
 * 809 MiB onto a mirror), the copy into the cache costing more than the decompression. A write
 * the device refuses that way (EINVAL: a length or place not a multiple of its sectors, or a
 * filesystem without direct I/O) is made again through the cache, and so are the rest.
 */
static int write_full(int fd, const char *buf, size_t len, uint64_t at)
{
	while (len) {
		ssize_t n = pwrite(fd, buf, len, (off_t)at);

		if (n < 0 && errno == EINVAL && (fcntl(fd, F_GETFL) & O_DIRECT)) {
			if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_DIRECT) < 0)
				return -errno;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		buf += n;
		len -= (size_t)n;
		at += (uint64_t)n;
	}
	return 0;
}

/* Records of 4 MiB: the device takes big writes best. */
#define IMAGE_CHUNK (4u << 20)
/* What a worker reads of its frame at a time. */
#define IMAGE_INPUT (1u << 20)

/* The image being written: what the workers share. */
struct writing {
	const struct image_map *m;
	const struct image_frame *frames;
	size_t nframes;
	const char *stream, *device;
	const struct image_source *src; /* NULL: read the stream file, in */
	int in, out;
	pthread_mutex_t lock;
	size_t next; /* the next frame to take */
	int rc;	     /* the first failure */
	char *why;   /* and what it was, for the report */
};

static void failed(struct writing *w, int rc, char *why)
{
	pthread_mutex_lock(&w->lock);
	if (w->rc == 0) {
		w->rc = rc;
		w->why = why;
		why = NULL;
	}
	pthread_mutex_unlock(&w->lock);
	free(why);
}

/* Bytes [at, at + len) of the used blocks, from buf, to where the extents put them. */
static int place(struct writing *w, uint64_t at, const char *buf, size_t len)
{
	uint64_t base = 0;

	for (size_t i = 0; i < w->m->nextents && len; i++) {
		const struct image_extent *e = &w->m->extents[i];

		if (at < base + e->length) {
			uint64_t into = at - base;
			size_t n = e->length - into < len ? (size_t)(e->length - into) : len;
			int rc = write_full(w->out, buf, n, e->offset + into);

			if (rc < 0) {
				failed(w, rc,
				       xasprintf("cannot write the image onto %s at byte %" PRIu64
						 ": %s",
						 w->device, e->offset + into, strerror(-rc)));
				return rc;
			}
			buf += n;
			len -= n;
			at += n;
		}
		base += e->length;
	}
	return 0;
}

/* Write out's o->pos bytes as the frame's next, unless that is more than the frame holds. */
static int flush(struct writing *w, const struct image_frame *f, ZSTD_outBuffer *o, uint64_t *made)
{
	if (*made + o->pos > f->length)
		return -E2BIG;
	if (o->pos && place(w, f->offset + *made, o->dst, o->pos) < 0)
		return -EIO;
	*made += o->pos;
	o->pos = 0;
	return 0;
}

/* One frame as its bytes arrive: decompressed, placed a full buffer at a time, digested. */
struct frame_run {
	struct writing *w;
	const struct image_frame *f;
	ZSTD_DCtx *dctx;
	ZSTD_outBuffer o;
	struct sha256 *sum;
	uint64_t got, made;
	size_t left; /* zstd's hint: 0 once the frame is whole */
};

static char *damaged(const struct writing *w, const struct image_frame *f, const char *what)
{
	return xasprintf(
		"the image %s is damaged in its frame from byte %" PRIu64 " (%s); %s", w->stream,
		f->zoffset, what,
		w->src ? "the server's payload is damaged, or not the one its manifest describes: copy it again"
		       : "the installer's medium is damaged or was not read whole");
}

static int frame_take(void *arg, const char *buf, size_t len)
{
	struct frame_run *fr = arg;
	ZSTD_inBuffer i = {buf, len, 0};
	int rc = 0;

	if (len > fr->f->zlength - fr->got)
		return -E2BIG;
	fr->got += len;
	if (fr->sum)
		sha256_update(fr->sum, buf, len);
	while (rc == 0 && fr->left != 0) {
		bool full;

		fr->left = ZSTD_decompressStream(fr->dctx, &fr->o, &i);
		if (ZSTD_isError(fr->left)) {
			failed(fr->w, -EIO, damaged(fr->w, fr->f, ZSTD_getErrorName(fr->left)));
			return -EIO;
		}
		full = fr->o.pos == fr->o.size;
		if (full)
			rc = flush(fr->w, fr->f, &fr->o, &fr->made);
		if (!full && i.pos == i.size)
			break;
	}
	return rc;
}

/* The frame's bytes from the stream file, IMAGE_INPUT at a time. */
static int frame_pread(struct writing *w, const struct image_frame *f, char *in,
		       struct frame_run *fr)
{
	uint64_t at = 0;

	while (at < f->zlength && fr->left != 0) {
		size_t want = f->zlength - at < IMAGE_INPUT ? f->zlength - at : IMAGE_INPUT;
		ssize_t got = pread(w->in, in, want, (off_t)(f->zoffset + at));
		int rc;

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			failed(w, -EIO,
			       got < 0 ? xasprintf("cannot read the image %s: %s", w->stream,
						   strerror(errno))
				       : xasprintf(
						 "the image %s ends at byte %" PRIu64
						 ", inside its frames; the installer's medium is damaged or was not read whole",
						 w->stream, f->zoffset + at));
			return -EIO;
		}
		at += (uint64_t)got;
		rc = frame_take(fr, in, (size_t)got);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/*
 * One frame: read (from the file, or the caller's source), decompressed, placed a full buffer
 * at a time (so that every write but a frame's last is 4 MiB), checked against its length,
 * zstd's checksum and the map's digest.
 */
static int one_frame(struct writing *w, const struct image_frame *f, ZSTD_DCtx *dctx, char *in,
		     char *out, struct sha256 *sum)
{
	struct frame_run fr = {w, f, dctx, {out, IMAGE_CHUNK, 0}, f->sha256[0] ? sum : NULL,
			       0, 0, 1};
	int rc;

	ZSTD_DCtx_reset(dctx, ZSTD_reset_session_only);
	if (w->src) {
		char *why = NULL;

		rc = w->src->read(w->src->ctx, f->zoffset, f->zlength, frame_take, &fr, &why);
		if (rc < 0 && why)
			failed(w, rc, why);
		else
			free(why);
	} else {
		rc = frame_pread(w, f, in, &fr);
	}
	if (rc == 0)
		rc = flush(w, f, &fr.o, &fr.made);
	if (rc == -EIO)
		return rc;
	if (rc < 0 || fr.left != 0 || fr.made != f->length || fr.got != f->zlength) {
		char *held = rc < 0 ? xasprintf("more than %" PRIu64, f->length)
				    : xasprintf("%" PRIu64, fr.made);

		failed(w, -EIO,
		       xasprintf(
			       "the image %s does not match its map: its frame from byte %" PRIu64
			       " holds %s bytes, and the map says %" PRIu64
			       "; the map and the image are not from the same build: build the payload again (make payload)",
			       w->stream, f->zoffset, held, f->length));
		free(held);
		return -EIO;
	}
	if (fr.sum) {
		char hex[SHA256_HEX];

		sha256_hex(fr.sum, hex);
		if (!streq(hex, f->sha256)) {
			failed(w, -EIO, damaged(w, f, "its SHA-256 is not the map's"));
			return -EIO;
		}
	}
	return 0;
}

static void *worker(void *arg)
{
	struct writing *w = arg;
	ZSTD_DCtx *dctx = ZSTD_createDCtx();
	char *in = w->src ? NULL : xmalloc(IMAGE_INPUT), *out = NULL;
	struct sha256 *sum = sha256_new();

	/* direct I/O wants its buffer aligned to the sector size; a page covers every disk's */
	if (!dctx || posix_memalign((void **)&out, 4096, IMAGE_CHUNK) != 0) {
		failed(w, -ENOMEM, xasprintf("out of memory for writing the image %s", w->stream));
		out = NULL;
	}
	for (;;) {
		size_t k;

		pthread_mutex_lock(&w->lock);
		k = w->rc == 0 ? w->next++ : w->nframes;
		pthread_mutex_unlock(&w->lock);
		if (k >= w->nframes || !out || one_frame(w, &w->frames[k], dctx, in, out, sum) < 0)
			break;
	}
	sha256_free(sum);
	ZSTD_freeDCtx(dctx);
	free(in);
	free(out);
	return NULL;
}

/* How many frames to decompress at once: one a CPU, up to 4, and no more than there are. */
static size_t workers_for(size_t nframes)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t n = cpus < 1 ? 1 : cpus > 4 ? 4 : (size_t)cpus;

	return n < nframes ? n : nframes;
}

/* The frames written side by side from w's input (w->in or w->src), the device opened here. */
static int write_frames(struct writing *w, struct tx_report *r)
{
	pthread_t threads[4];
	size_t nthreads = 0;
	int rc;

	w->out = open(w->device, O_WRONLY | O_CLOEXEC | O_DIRECT);
	if (w->out < 0 && errno == EINVAL)
		w->out = open(w->device, O_WRONLY | O_CLOEXEC);
	if (w->out < 0) {
		rc = -errno;
		tx_error(r, NULL, "cannot open %s to write the image: %s", w->device,
			 strerror(errno));
		return rc;
	}
	pthread_mutex_init(&w->lock, NULL);
	for (size_t i = 0; i < workers_for(w->nframes); i++) {
		if (pthread_create(&threads[nthreads], NULL, worker, w) != 0)
			break;
		nthreads++;
	}
	if (nthreads == 0)
		worker(w);
	for (size_t i = 0; i < nthreads; i++)
		pthread_join(threads[i], NULL);
	pthread_mutex_destroy(&w->lock);
	rc = w->rc;
	if (rc < 0)
		tx_error(r, NULL, "%s", w->why);
	free(w->why);
	if (close(w->out) < 0 && rc == 0) {
		rc = -errno;
		tx_error(r, NULL, "cannot write the image onto %s: %s", w->device, strerror(errno));
	}
	if (r->log && rc == 0)
		fprintf(r->log, "image: %s onto %s, %zu frames by %zu workers\n", w->stream,
			w->device, w->nframes, nthreads ? nthreads : 1);
	return rc;
}

/* Whether device holds the image, and the frames end where the file does; said when not. */
static int check_sizes(const struct writing *w, uint64_t file_size, struct tx_report *r)
{
	int64_t size = device_size(w->device);
	const struct image_frame *last = &w->frames[w->nframes - 1];

	if (size < 0) {
		tx_error(r, NULL, "cannot tell the size of %s: %s", w->device,
			 strerror((int)-size));
		return (int)size;
	}
	if ((uint64_t)size < w->m->size) {
		tx_error(r, NULL,
			 "%s holds %" PRId64 " bytes, and the image needs %" PRIu64
			 "; make that volume bigger",
			 w->device, size, w->m->size);
		return -ENOSPC;
	}
	if (last->zoffset + last->zlength != file_size) {
		tx_error(
			r, NULL,
			"the image %s has %" PRIu64 " bytes, and its map's frames %" PRIu64
			"; the map and the image are not from the same build: build the payload again (make payload)",
			w->stream, file_size, last->zoffset + last->zlength);
		return -EIO;
	}
	return 0;
}

int image_write(const char *stream, const struct image_map *m, const char *device,
		struct tx_report *r)
{
	struct writing w = {.m = m, .stream = stream, .device = device, .in = -1, .out = -1};
	struct image_frame whole;
	struct stat st;
	int rc = 0;

	w.in = open(stream, O_RDONLY | O_CLOEXEC);
	if (w.in < 0 || fstat(w.in, &st) < 0) {
		rc = -errno;
		tx_error(r, NULL,
			 "the image %s cannot be read (%s); is the installer's medium mounted?",
			 stream, strerror(errno));
		if (w.in >= 0)
			close(w.in);
		return rc;
	}
	/* a map without frames: the stream is decompressed as one, by one worker */
	whole = (struct image_frame){0, (uint64_t)st.st_size, 0, m->used, ""};
	w.frames = m->nframes ? m->frames : &whole;
	w.nframes = m->nframes ? m->nframes : 1;
	rc = check_sizes(&w, (uint64_t)st.st_size, r);
	if (rc == 0)
		rc = write_frames(&w, r);
	close(w.in);
	return rc;
}

bool image_map_digested(const struct image_map *m)
{
	for (size_t i = 0; i < m->nframes; i++)
		if (!m->frames[i].sha256[0])
			return false;
	return m->nframes > 0;
}

int image_write_from(const struct image_source *src, const struct image_map *m, const char *device,
		     struct tx_report *r)
{
	struct writing w = {.m = m,
			    .stream = src->name,
			    .device = device,
			    .src = src,
			    .in = -1,
			    .out = -1,
			    .frames = m->frames,
			    .nframes = m->nframes};
	int rc;

	for (size_t i = 0; i < m->nframes; i++)
		if (!m->frames[i].sha256[0]) {
			tx_error(
				r, NULL,
				"the map of the image %s gives no SHA-256 of its frame %zu, and an image read over the network is written only frame by frame checked; build the payload again with this release (make payload)",
				src->name, i + 1);
			return -EINVAL;
		}
	if (!m->nframes) {
		tx_error(
			r, NULL,
			"the map of the image %s has no frames, and an image read over the network is written only frame by frame checked; build the payload again with this release (make payload)",
			src->name);
		return -EINVAL;
	}
	rc = check_sizes(&w, src->size, r);
	return rc == 0 ? write_frames(&w, r) : rc;
}
