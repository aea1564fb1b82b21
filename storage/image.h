/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A filesystem image written onto a block device: the payload's root (iso/root-image.sh) comes
 * as the blocks its filesystem uses, one zstd stream, and a map saying where each run of them
 * goes. Only those blocks are written; the rest of the device keeps whatever it held, which the
 * filesystem's bitmaps already call free.
 *
 * The map (NAME.map) is text, one statement a line:
 *   tenxen-image 1           the format, first
 *   filesystem ext4          what the image holds
 *   size BYTES               the filesystem's size: the least a device must hold
 *   extent OFFSET LENGTH     the next LENGTH bytes of the stream go to OFFSET; in ascending,
 *                            non-overlapping order, within size, in multiples of 512
 *   frame COMPRESSED LENGTH [SHA256]
 *                            the file's next COMPRESSED bytes are a zstd frame of its own,
 *                            holding the stream's next LENGTH bytes (a multiple of 512); frames
 *                            are decompressed side by side, and they hold the whole stream.
 *                            SHA256, when given, is the frame's compressed bytes' digest: each
 *                            frame is checked against it as it is written, so a map whose own
 *                            digest is known vouches for the whole image (a payload read over
 *                            HTTP needs them)
 */
#ifndef TENXEN_IMAGE_H
#define TENXEN_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/report.h"
#include "common/sha256.h"

struct image_extent {
	uint64_t offset, length;
};

/* A zstd frame of the stream: where it is in the file, and what part of the used blocks it holds. */
struct image_frame {
	uint64_t zoffset, zlength; /* in the compressed file */
	uint64_t offset, length;   /* in the stream of used blocks */
	char sha256[SHA256_HEX];   /* "" when the map gives none */
};

struct image_map {
	char *filesystem; /* "ext4" */
	uint64_t size;
	struct image_extent *extents;
	size_t nextents;
	uint64_t used;		    /* the extents' lengths together: the stream's length */
	struct image_frame *frames; /* none: the file is one stream, decompressed by one worker */
	size_t nframes;
};

/* Read and check a map; a fault is reported as PATH:LINE. *out is the caller's (image_map_free). */
int image_map_read(const char *path, struct tx_report *r, struct image_map **out);
void image_map_free(struct image_map *m);

/*
 * Write the image: the stream file's used blocks put where the map says on device (a block
 * device or a regular file), which must hold at least m->size bytes; that is checked before
 * anything is written. The frames are decompressed by one thread a CPU (up to 4), with libzstd,
 * and written with O_DIRECT where the device takes it. A stream that ends early, does not hold
 * what its map says, or fails zstd's checksum is reported as damaged. Returns 0 or a negative
 * errno.
 */
int image_write(const char *stream, const struct image_map *m, const char *device,
		struct tx_report *r);

/* Whether the map has frames, each with its SHA-256 (what image_write_from needs). */
bool image_map_digested(const struct image_map *m);

/* Hands bytes of the compressed file to the writer, in order; returns 0 or a negative errno. */
typedef int (*image_give)(void *arg, const char *buf, size_t len);

/*
 * The compressed file read some other way than from a local file (apply/ reads it over HTTP):
 * read() hands the file's bytes [offset, offset + length) to give, in order, from any of the
 * writer's threads at once, and returns 0, or a negative errno with *why (read's caller frees)
 * saying what failed. name (a URL) is for messages; size is the file's length.
 */
struct image_source {
	const char *name;
	uint64_t size;
	int (*read)(void *ctx, uint64_t offset, uint64_t length, image_give give, void *arg,
		    char **why);
	void *ctx;
};

/*
 * image_write from such a source. The map must give every frame's SHA256: each frame is checked
 * as it is written, and a frame that does not match fails the write, naming the source.
 */
int image_write_from(const struct image_source *src, const struct image_map *m, const char *device,
		     struct tx_report *r);

#endif
