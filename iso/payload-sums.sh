#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The payload's manifest: DIR/payload.sums, one line a file of DIR (links followed), sorted,
# but for what is not the payload: the example answer files (answers/), the hosts' own
# (hosts/), and the installer's kernel and initrd a network boot reads beside it:
#   <SHA-256> <bytes> <path relative to DIR>
# An installer reading the payload over HTTP (tenxen.payload=URL) fetches it first and checks
# every file against it (net/payload.h).
#   iso/payload-sums.sh DIR
set -euo pipefail
dir=${1:?usage: payload-sums.sh DIR}
cd "$dir"
find -L . -type f ! -name payload.sums ! -name payload.sums.new ! -path './answers/*' \
	! -path './hosts/*' ! -path ./vmlinuz ! -path ./initrd.img -printf '%P\n' | LC_ALL=C sort |
	while IFS= read -r f; do
		case $f in *[[:space:]]*)
			echo "payload-sums: $dir/$f: a name with a space cannot be in the manifest" >&2
			exit 1
			;;
		esac
		printf '%s %s %s\n' "$(sha256sum < "$f" | cut -c1-64)" "$(stat -L -c %s "$f")" "$f"
	done > payload.sums.new
mv payload.sums.new payload.sums
echo "payload-sums: $(wc -l < payload.sums) files in $dir/payload.sums"
