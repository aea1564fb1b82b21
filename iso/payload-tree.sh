#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The payload as the installer reads it, the same on the ISO (its /tenxen) and on a web server
# (make netboot): the root image and its map, /boot, the prebuilt layers, the repository with
# tenxen's own package, the package sets, the example answer files, and payload.sums, the
# manifest an installer reading it over HTTP checks every file against (iso/payload-sums.sh).
# Large files are linked, not copied.
#   iso/payload-tree.sh DEST PAYLOADDIR TENXEN_DEB [EXTRA_DIR]
#     PAYLOADDIR: iso/payload.sh's output; TENXEN_DEB: make deb's package; EXTRA_DIR: more
#     files for answers/ (tests)
set -euo pipefail
dest=${1:?usage: payload-tree.sh DEST PAYLOADDIR TENXEN_DEB [EXTRA_DIR]}
payload=${2:?} deb=${3:?} extra=${4:-}
case $deb in *.deb) ;; *) echo "payload-tree.sh: $deb is not a .deb (make deb builds tenxen's)" >&2; exit 1 ;; esac
here=$(cd "$(dirname "$0")" && pwd)
version=$(sed -n 's/^VERSION[[:space:]]*:= *//p' "$here/../Makefile")

mkdir -p "$dest/answers" "$dest/repo"
ln -sfn "$(realpath "$payload/root.img.zst")" "$dest/root.img.zst"
ln -sfn "$(realpath "$payload/boot.tar.zst")" "$dest/boot.tar.zst"
# the repository: the package sets' packages as the payload has them, and tenxen's own package,
# indexed together (an installed host's apt can take new releases of tenxen from a medium)
rm -f "$dest"/repo/*.deb
for f in "$payload"/repo/*.deb "$deb"; do ln -sfn "$(realpath "$f")" "$dest/repo/"; done
(cd "$dest/repo" && dpkg-scanpackages -m . /dev/null 2> /dev/null | gzip -9n > Packages.gz)
[ ! -d "$payload/layers" ] || ln -sfn "$(realpath "$payload/layers")" "$dest/layers"
cp "$payload/root.img.map" "$payload/package-sets" "$payload/manifest" "$dest/"
cp "$here"/answers/*.ks "$dest/answers/"
[ -z "$extra" ] || cp -r "$extra"/. "$dest/answers/"
printf 'Tenxen %s, Debian %s\n' "$version" "$(sed -n 's/^suite //p' "$payload/source")" > "$dest/release"
"$here/payload-sums.sh" "$dest"
