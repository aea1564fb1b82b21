#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The install ISO: a hybrid image (isolinux for CDs, an isohybrid MBR for USB sticks) holding the
# installer environment, the payload and the example answer files.
#   iso/build-iso.sh OUT.iso ENVDIR PAYLOADDIR TENXEN_LAYER [EXTRA_DIR]
#     ENVDIR: vmlinuz and initrd.img (iso/build-env.sh); PAYLOADDIR: iso/payload.sh's output;
#     TENXEN_LAYER: tenxen.tar.zst; EXTRA_DIR: more files for /tenxen/answers (tests)
set -euo pipefail
iso=${1:?usage: build-iso.sh OUT.iso ENVDIR PAYLOADDIR TENXEN_LAYER [EXTRA_DIR]}
env=${2:?} payload=${3:?} layer=${4:?} extra=${5:-}
here=$(cd "$(dirname "$0")" && pwd)
version=$(sed -n 's/^VERSION[[:space:]]*:= *//p' "$here/../Makefile")
isolinux=/usr/lib/ISOLINUX
bios=/usr/lib/syslinux/modules/bios

tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree/isolinux" "$tree/tenxen/answers"
cp "$isolinux/isolinux.bin" "$tree/isolinux/"
for m in ldlinux.c32 menu.c32 libutil.c32 libcom32.c32; do cp "$bios/$m" "$tree/isolinux/"; done
cp "$env/vmlinuz" "$env/initrd.img" "$tree/isolinux/"
# the payload is linked, not copied: xorriso reads it where it is
ln -s "$(realpath "$payload/root.img.zst")" "$tree/tenxen/root.img.zst"
ln -s "$(realpath "$payload/boot.tar.zst")" "$tree/tenxen/boot.tar.zst"
ln -s "$(realpath "$payload/repo")" "$tree/tenxen/repo"
[ ! -d "$payload/layers" ] || ln -s "$(realpath "$payload/layers")" "$tree/tenxen/layers"
cp "$payload/root.img.map" "$payload/package-sets" "$payload/manifest" "$tree/tenxen/"
ln -s "$(realpath "$layer")" "$tree/tenxen/tenxen.tar.zst"
cp "$here"/answers/*.ks "$tree/tenxen/answers/"
[ -z "$extra" ] || cp -r "$extra"/. "$tree/tenxen/answers/"
printf 'Tenxen %s, Debian %s\n' "$version" "$(sed -n 's/^suite //p' "$payload/source")" > "$tree/tenxen/release"

cat > "$tree/isolinux/isolinux.cfg" <<CFG
# The boot menu of the Tenxen install ISO.
SERIAL 0 115200
UI menu.c32
PROMPT 0
TIMEOUT 100
MENU TITLE Tenxen $version: a Xen host on Debian
DEFAULT install

LABEL install
  MENU LABEL ^Install
  KERNEL vmlinuz
  INITRD initrd.img
  APPEND console=tty0 quiet

LABEL serial
  MENU LABEL Install on the ^serial console (ttyS0, 115200)
  KERNEL vmlinuz
  INITRD initrd.img
  APPEND console=tty0 console=ttyS0,115200n8 quiet

LABEL unattended
  MENU LABEL ^Unattended install (the answer file on this medium)
  KERNEL vmlinuz
  INITRD initrd.img
  APPEND console=tty0 console=ttyS0,115200n8 quiet tenxen.answers=/tenxen/answers/unattended.ks

LABEL rescue
  MENU LABEL ^Rescue shell
  KERNEL vmlinuz
  INITRD initrd.img
  APPEND console=tty0 console=ttyS0,115200n8 tenxen.rescue
CFG

label="TENXEN_${version//./_}"
xorriso -as mkisofs -quiet -follow-links -o "$iso.new" -V "$label" -r -J \
	-b isolinux/isolinux.bin -c isolinux/boot.cat -no-emul-boot -boot-load-size 4 \
	-boot-info-table -isohybrid-mbr "$isolinux/isohdpfx.bin" "$tree" 2> "$iso.log" || { cat "$iso.log" >&2; exit 1; }
mv "$iso.new" "$iso"
echo "iso: $iso ($(du -h "$iso" | cut -f1)), label $label"
