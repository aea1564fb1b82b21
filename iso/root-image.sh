#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The dom0 root as an ext4 image, written onto the root volume at install time instead of being
# unpacked file by file: tens of thousands of files through a filesystem cost the installer about
# twice the time of writing the same bytes raw (make bench).
#
#   iso/root-image.sh ROOTDIR OUTDIR
#     writes OUTDIR/root.img.zst: the blocks the filesystem uses, in order, as zstd frames of
#     32 MiB; and OUTDIR/root.img.map: where each run of those blocks goes, and the frames' sizes
#     (storage/image.h has the format). ROOT_IMAGE_FRAME_MIB=N makes frames of N MiB (tests).
# The filesystem is made as tight as it goes (resize2fs -M), so a root volume of that size or more
# takes it; the installer grows it to the volume and gives it a UUID of its own (metadata_csum_seed
# makes that a change of the superblock alone). "Uses" is what the block bitmaps say: a block they
# mark free is never read, so it is neither stored nor written; every other block is, zeros too.
set -euo pipefail
src=${1:?usage: root-image.sh ROOTDIR OUTDIR}
out=${2:?usage: root-image.sh ROOTDIR OUTDIR}
[ -d "$src" ] || { echo "root-image: $src is not a folder" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
img=$work/root.img

# room for the files, their inodes and a journal; resize2fs -M then takes the slack away
mib=$(du -sm --apparent-size "$src" | cut -f1)
truncate -s $((mib * 3 / 2 + 256))M "$img"
mke2fs -q -F -t ext4 -T default -L root -d "$src" -O metadata_csum_seed \
	-E lazy_itable_init=1,lazy_journal_init=1 "$img"
resize2fs -M "$img" > "$work/resize.log" 2>&1 || { cat "$work/resize.log" >&2; exit 1; }
e2fsck -fn "$img" > "$work/fsck.log" 2>&1 || { cat "$work/fsck.log" >&2; exit 1; }

# The runs of used blocks: the complement of every group's free blocks.
dumpe2fs "$img" 2> /dev/null | awk '
	/^Block count:/ { count = $3 }
	/^Block size:/ { bs = $3 }
	/^  Free blocks: / {
		n = split(substr($0, 16), r, ", ")
		for (i = 1; i <= n; i++) {
			if (r[i] == "") continue
			if (split(r[i], ab, "-") == 1) ab[2] = ab[1]
			free_a[++nf] = ab[1]; free_b[nf] = ab[2]
		}
	}
	END {
		if (!count || !bs) { print "root-image: dumpe2fs gave no block count" > "/dev/stderr"; exit 1 }
		printf "tenxen-image 1\nfilesystem ext4\nsize %d\n", count * bs
		at = 0
		for (i = 1; i <= nf; i++) {
			if (free_a[i] > at) printf "extent %d %d\n", at * bs, (free_a[i] - at) * bs
			at = free_b[i] + 1
		}
		if (at < count) printf "extent %d %d\n", at * bs, (count - at) * bs
	}' > "$work/root.img.map"

# The used blocks, in the map's order, as zstd frames of 32 MiB each (the last less): the
# installer decompresses several at once (each frame's sizes and SHA-256 go into the map), and to zstd -dc
# the file is one stream all the same.
frame=$((${ROOT_IMAGE_FRAME_MIB:-32} << 20))
while read -r word off len; do
	[ "$word" = extent ] || continue
	dd if="$img" bs=1M iflag=skip_bytes,count_bytes skip="$off" count="$len" status=none
done < "$work/root.img.map" |
	split -b "$frame" -d -a 4 --filter='zstd -q -T0 -10 -c > "$FILE.zst"' - "$work/frame."
used=$(awk '$1 == "extent" { u += $3 } END { print u }' "$work/root.img.map")
at=0
for f in "$work"/frame.*.zst; do
	len=$((used - at < frame ? used - at : frame))
	echo "frame $(stat -c %s "$f") $len $(sha256sum < "$f" | cut -d" " -f1)" >> "$work/root.img.map"
	cat "$f" >> "$work/root.img.zst"
	rm "$f"
	at=$((at + len))
done
[ "$at" = "$used" ] || { echo "root-image: the frames hold $at bytes, not $used" >&2; exit 1; }

mkdir -p "$out"
mv "$work/root.img.zst" "$work/root.img.map" "$out/"
awk '$1 == "size" { s = $2 } $1 == "extent" { u += $3; n++ } $1 == "frame" { f++ }
	END { printf "root-image: ext4 of %d MiB, %d MiB of it used, in %d runs and %d frames\n", s / 1048576, u / 1048576, n, f }' "$out/root.img.map"
