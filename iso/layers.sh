#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Prebuilt layers of the package sets, made while the payload is built (the last customize hook
# of iso/payload.sh, on the finished dom0 root). For each set alone, and for all of them together,
# the sets are installed from the payload's repository exactly as the installer would do it (the
# same apt options, no service started, the initramfs left alone), but on an overlay mount: the
# root below stays as it is and the overlay's upper folder receives what apt and the packages'
# scripts wrote. That folder, with a list of what they removed, is the layer. An install whose
# answer file chooses exactly those sets unpacks the layer with the root instead of running dpkg
# for minutes; any other choice installs from the repository as before.
#
#   iso/layers.sh ROOT OUTDIR
#     ROOT: the root mmdebstrap has built; OUTDIR: the payload being made (repo/ with its
#     Packages.gz is read; layers/NAME.tar.zst and layers/NAME.removed are written, NAME being
#     the sets' names in sorted order joined by "+")
# A set whose packages bring initramfs hooks, modules or firmware gets no layer: the installer
# rebuilds the initramfs for those, which only its apt path does. Not carried: a folder that the
# packages' scripts would remove and make again (overlayfs marks it opaque, an attribute the
# layer leaves out) keeps the root's old entries; the installed host's boot check runs
# dpkg --verify on the sets.
set -euo pipefail
root=${1:?usage: layers.sh ROOT OUTDIR}
out=${2:?usage: layers.sh ROOT OUTDIR}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
m=$work/merged

release() {
	local p
	for p in "$m/run/tenxen-repo" "$m/proc" "$m"; do
		mountpoint -q "$p" && umount "$p"
	done
	return 0
}
trap 'release; rm -rf "$work"' EXIT
mkdir -p "$out/layers"

if ! mkdir -p "$work/probe/l" "$work/probe/u" "$work/probe/w" "$work/probe/m" ||
	! mount -t overlay overlay -o "lowerdir=$work/probe/l,upperdir=$work/probe/u,workdir=$work/probe/w" "$work/probe/m" 2> /dev/null; then
	echo "layers: this kernel has no overlay filesystem: no prebuilt layers (installs run apt)" >&2
	exit 0
fi
umount "$work/probe/m"

# Whether the packages just installed (their files in $work/files) change the initramfs: the rule
# of the installer's own apt path (initramfs_check in apply/packages.c): hooks, scripts,
# modules or firmware, or a conf.d setting initramfs.conf does not already make.
initramfs_changes() {
	local f l
	grep -Eq '^/(usr/share|etc)/initramfs-tools/(hooks|scripts|modules)/.|^/(usr/)?lib/(modules|firmware)/.' "$work/files" && return 0
	for f in $(grep '^/etc/initramfs-tools/conf.d/.' "$work/files"); do
		while read -r l; do
			grep -qxF "$l" "$m/etc/initramfs-tools/initramfs.conf" || return 0
		done < <(grep -v '^#' "$m$f" | grep .)
	done
	return 1
}

names=$(sed -n 's/^\([a-z0-9-]*\):.*/\1/p' "$here/package-sets" | sort)
combos=$names
[ "$(wc -w <<< "$names")" -gt 1 ] && combos+=$'\n'$(paste -sd+ <<< "$names")
apt=(apt-get -q -y -o Dir::Etc::SourceList=/run/tenxen-apt/sources.list
	-o Dir::Etc::SourceParts=/nonexistent -o Dir::State::Lists=/run/tenxen-apt/lists
	-o Acquire::Languages=none -o APT::Install-Recommends=false
	-o Dpkg::Options::=--force-unsafe-io -o Dpkg::Use-Pty=false)
ramconf=etc/initramfs-tools/update-initramfs.conf

for combo in $combos; do
	pkgs=$(for s in ${combo//+/ }; do sed -n "s/^$s:[[:space:]]*//p" "$here/package-sets"; done)
	rm -rf "$work/upper" "$work/ovl" "$m"
	mkdir -p "$work/upper" "$work/ovl" "$m"
	mount -t overlay overlay -o "lowerdir=$root,upperdir=$work/upper,workdir=$work/ovl" "$m"
	mount -t proc proc "$m/proc"
	mkdir -p "$m/run/tenxen-repo" "$m/run/tenxen-apt/lists/partial"
	mount --bind -o ro "$out/repo" "$m/run/tenxen-repo"
	echo 'deb [trusted=yes] file:/run/tenxen-repo ./' > "$m/run/tenxen-apt/sources.list"
	policy=no
	if [ ! -e "$m/usr/sbin/policy-rc.d" ]; then
		printf '#!/bin/sh\nexit 101\n' > "$m/usr/sbin/policy-rc.d"
		chmod 0755 "$m/usr/sbin/policy-rc.d"
		policy=yes
	fi
	cp -p "$m/$ramconf" "$work/ramconf"
	echo 'update_initramfs=no' > "$m/$ramconf"
	chroot "$m" dpkg-query -W -f '${Package}\n' | sort > "$work/before"
	DEBIAN_FRONTEND=noninteractive chroot "$m" "${apt[@]}" update >&2
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive chroot "$m" "${apt[@]}" install $pkgs >&2
	chroot "$m" dpkg-query -W -f '${Package}\n' | sort > "$work/after"
	cp -p "$work/ramconf" "$m/$ramconf"
	[ $policy = yes ] && rm "$m/usr/sbin/policy-rc.d"
	comm -13 "$work/before" "$work/after" | while read -r p; do chroot "$m" dpkg -L "$p"; done > "$work/files"
	if initramfs_changes; then
		release
		echo "layers: $combo brings initramfs changes: no layer (installs run apt)" >&2
		continue
	fi
	release
	# what is not part of an installed host: apt's state of the run, the mounts' folders, and
	# what mmdebstrap removes from the root after this hook
	(cd "$work/upper" && rm -rf run/tenxen-repo run/tenxen-apt var/lib/apt/lists var/cache/apt \
		tmp/* proc var/cache/ldconfig/aux-cache var/log/apt/eipp.log.xz)
	# the logs keep this install's lines only, as on a host where the installer ran apt
	for log in var/log/dpkg.log var/log/apt/history.log var/log/apt/term.log var/log/alternatives.log; do
		if [ -f "$work/upper/$log" ] && [ -f "$root/$log" ]; then
			tail -c +$(($(stat -c %s "$root/$log") + 1)) "$work/upper/$log" > "$work/log"
			cat "$work/log" > "$work/upper/$log"
		fi
	done
	# overlayfs records a removal as a character device 0:0
	(cd "$work/upper" && find . -type c -print0 | while IFS= read -r -d '' f; do
		if [ "$(stat -c %t:%T "$f")" = 0:0 ]; then
			printf '%s\n' "${f#./}"
			rm "$f"
		fi
	done) | sort > "$out/layers/$combo.removed"
	tar -I 'zstd -q -T0 -19' -cf "$out/layers/$combo.tar.zst" -C "$work/upper" --numeric-owner --xattrs \
		--xattrs-exclude='trusted.overlay.*' .
	echo "layers: $combo: $(du -h "$out/layers/$combo.tar.zst" | cut -f1), $(comm -13 "$work/before" "$work/after" | wc -l) packages, $(wc -l < "$out/layers/$combo.removed") removed" >&2
done
