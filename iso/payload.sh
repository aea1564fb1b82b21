#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The payload of the install ISO: the Debian dom0 root, built with mmdebstrap and made an ext4
# image (iso/root-image.sh), and a package repository holding the package sets (iso/package-sets)
# and whatever they need beyond that root, so a chosen set installs offline.
#
#   iso/payload.sh OUTDIR
#     OUTDIR: gets root.img.zst and root.img.map, boot.tar.zst (the root's /boot), repo/
#     (Packages.gz and .debs), layers/ (the package sets prebuilt, iso/layers.sh), package-sets,
#     manifest, source
# tenxen itself is not in it: it is its own Debian package (make deb), which the install puts in
# with dpkg, so that a change to the program does not rebuild the Debian root.
#   MIRROR=http://... SUITE=bookworm override the Debian mirror and suite; by default they are
#   the first Debian entry of this machine's own apt sources.
set -euo pipefail

out=$(realpath -m "${1:?usage: payload.sh OUTDIR}")
here=$(cd "$(dirname "$0")" && pwd)

# The first "deb" source of this machine: deb822 files first, then one-line lists.
apt_source() {
	local f
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk '/^Types:.*\<deb\>/ { t = 1 } /^$/ { t = 0 }
		     t && /^URIs:/ && !u { u = $2 } t && /^Suites:/ && !s { s = $2 }
		     END { if (u && s) print u, s }' "$f" | grep -v security && return 0
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		awk '$1 == "deb" && $2 !~ /security/ { i = 2; if ($2 ~ /^\[/) while ($i !~ /\]$/) i++;
		     if ($2 ~ /^\[/) i++; print $i, $(i + 1); exit }' "$f" | grep . && return 0
	done
	return 1
}

if [ -z "${MIRROR:-}" ] || [ -z "${SUITE:-}" ]; then
	read -r m s < <(apt_source || true) || true
	MIRROR=${MIRROR:-${m:-http://deb.debian.org/debian}}
	SUITE=${SUITE:-${s:-bookworm}}
fi

# The dom0 root: Xen, Debian's kernel, storage tools, the bootloaders (extlinux on BIOS; on UEFI
# xen.efi, which comes with Xen, and efibootmgr and dosfstools for the ESPs), ssh, networking,
# keyboard and time zone data, and what tenxen itself links against.
include=xen-system-amd64,linux-image-amd64,initramfs-tools,lvm2,mdadm,e2fsprogs,extlinux
include+=,syslinux-common,efibootmgr,dosfstools
include+=,openssh-server,systemd-sysv,udev,ifupdown,isc-dhcp-client,iproute2
include+=,bridge-utils,ifenslave
include+=,netbase,locales,keyboard-configuration,console-setup,kbd,tzdata,ca-certificates
include+=,systemd-timesyncd
include+=,libparted2,libjson-c5,libcurl4,libnewt0.52,less,procps,dbus,busybox

sets=$(sed -n 's/^\([a-z-]*\):[[:space:]]*//p' "$here/package-sets" | tr '\n' ' ')
# what answer-file commands install beside the sets: unattended-upgrades (updates --automatic)
sets+=" unattended-upgrades"

# Room first: a disk that fills up halfway shows as a failed package script deep in mmdebstrap's
# output. The root is built in TMPDIR (about 2 GiB at its largest, with the package cache), and
# its image made there (about 1 GiB more); the payload it leaves is about 0.5 GiB.
room() { # DIR MIB WHAT OR
	local free
	free=$(df -Pk "$1" | awk 'NR == 2 { print int($4 / 1024) }')
	[ "${free:-0}" -ge "$2" ] && return 0
	echo "payload: $1 has ${free:-no} MiB free, and $3 needs about $2 MiB there: free some space there, or $4." >&2
	exit 1
}
room "${TMPDIR:-/tmp}" 4096 "building the root" "set TMPDIR to a roomier place"
mkdir -p "$(dirname "$out")"
room "$(dirname "$out")" 1024 "the payload" "build it elsewhere (iso/payload.sh OUTDIR)"
rm -rf "$out.new"
mkdir -p "$out.new/repo"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "payload: Debian $SUITE from $MIRROR"
# Hooks run on this machine with the new root as $1:
#  - the initramfs is made again once everything is in (busybox, mdadm, lvm2, e2fsprogs), with
#    Tenxen's script that starts a mirrored root with a disk missing (data/initramfs/tenxen-degraded-root)
#    and its udev rule that turns writeback throttling off on every disk (data/udev/60-tenxen-writeback.rules),
#    where the tenxen package puts them (under /usr): the package installed over them finds the
#    same files, and the initramfs need not be made again at install time;
#  - the package sets are downloaded (not installed) against this very root, into the repo;
#  - nothing that must differ between hosts stays: ssh host keys, machine-id, hostname;
#  - the repository is indexed, and the package sets' prebuilt layers made (iso/layers.sh).
mmdebstrap --variant=minbase --mode=root --format=directory --include="$include" \
	--aptopt='APT::Install-Recommends "false"' --dpkgopt=force-unsafe-io \
	--customize-hook="mkdir -p \"\$1\"/tmp/tenxen-repo/partial && chroot \"\$1\" apt-get install -y -q --download-only --no-install-recommends -o Dir::Cache::Archives=/tmp/tenxen-repo $sets >&2 && mv \"\$1\"/tmp/tenxen-repo/*.deb '$out.new/repo/' && rm -rf \"\$1\"/tmp/tenxen-repo" \
	--customize-hook="install -D -m 0755 '$here/../data/initramfs/tenxen-degraded-root' \"\$1\"/usr/share/initramfs-tools/scripts/local-block/tenxen-degraded-root" \
	--customize-hook="install -D -m 0644 '$here/../data/udev/60-tenxen-writeback.rules' \"\$1\"/usr/lib/udev/rules.d/60-tenxen-writeback.rules" \
	--customize-hook='chroot "$1" update-initramfs -u -k all >&2' \
	--customize-hook='rm -f "$1"/etc/ssh/ssh_host_*; : > "$1"/etc/machine-id; rm -f "$1"/var/lib/dbus/machine-id; echo localhost > "$1"/etc/hostname' \
	--customize-hook="cd '$out.new/repo' && dpkg-scanpackages -m . /dev/null 2> /dev/null | gzip -9 > Packages.gz" \
	--customize-hook="'$here/layers.sh' \"\$1\" '$out.new'" \
	--customize-hook='chroot "$1" dpkg-query -W -f="\${Package} \${Version} \${Installed-Size}\n" > "$1"/.tenxen-manifest' \
	--customize-hook="cp \"\$1\"/.tenxen-manifest '$out.new/manifest'; rm \"\$1\"/.tenxen-manifest" \
	"$SUITE" "$work/root" "$MIRROR"
# /boot is a filesystem of its own on an installed host, mounted over the root's /boot before
# anything is unpacked: its files come as a tarball, unpacked into whatever is mounted there
tar -C "$work/root/boot" --numeric-owner -cf - . | zstd -q -T0 -10 -o "$out.new/boot.tar.zst"
find "$work/root/boot" -mindepth 1 -delete
"$here/root-image.sh" "$work/root" "$out.new"
rm -rf "$work/root"

cp "$here/package-sets" "$out.new/package-sets"
printf 'suite %s\nmirror %s\n' "$SUITE" "$MIRROR" > "$out.new/source"
rm -rf "$out"
mv "$out.new" "$out"
echo "payload: $(du -h "$out/root.img.zst" | cut -f1) root, $(ls "$out/repo" | grep -c '\.deb$') packages in the repository, $(ls "$out/layers" | grep -c '\.tar\.zst$') prebuilt layers"
