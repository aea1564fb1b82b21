#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The install ISO: a hybrid image holding the installer environment, the payload and the example
# answer files. It boots on BIOS (isolinux from a CD; an isohybrid MBR from a USB stick) and on UEFI
# (GRUB from an EFI System Partition image, from a CD by El Torito, from a USB stick by the GPT
# isohybrid writes), with the same menu entries and kernel options either way (docs/iso.md).
#   [ISO_UEFI=no] iso/build-iso.sh OUT.iso ENVDIR PAYLOADDIR TENXEN_DEB [EXTRA_DIR]
#     ISO_UEFI=no leaves the UEFI boot files out (make bench measures what they add)
#     ENVDIR: vmlinuz and initrd.img (iso/build-env.sh); PAYLOADDIR: iso/payload.sh's output;
#     TENXEN_DEB: the tenxen package (make deb), put in the medium's repository beside the
#     package sets; EXTRA_DIR: more files for /tenxen/answers (tests)
set -euo pipefail
iso=${1:?usage: build-iso.sh OUT.iso ENVDIR PAYLOADDIR TENXEN_DEB [EXTRA_DIR]}
env=${2:?} payload=${3:?} deb=${4:?} extra=${5:-}
case $deb in *.deb) ;; *) echo "build-iso.sh: $deb is not a .deb (make deb builds tenxen's)" >&2; exit 1 ;; esac
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
# the repository: the package sets' packages as the payload has them, and tenxen's own package,
# indexed together (an installed host's apt can take new releases of tenxen from a medium)
mkdir -p "$tree/tenxen/repo"
for f in "$payload"/repo/*.deb "$deb"; do ln -s "$(realpath "$f")" "$tree/tenxen/repo/"; done
(cd "$tree/tenxen/repo" && dpkg-scanpackages -m . /dev/null 2> /dev/null | gzip -9 > Packages.gz)
[ ! -d "$payload/layers" ] || ln -s "$(realpath "$payload/layers")" "$tree/tenxen/layers"
cp "$payload/root.img.map" "$payload/package-sets" "$payload/manifest" "$tree/tenxen/"
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

uefi=(-eltorito-alt-boot -e isolinux/efiboot.img -no-emul-boot -isohybrid-gpt-basdat)
if [ "${ISO_UEFI:-yes}" = no ]; then
	uefi=()
else
# UEFI: the same menu for GRUB (it reads ISO 9660, so the kernel and initrd are the ones above,
# not copies), written from the entries of isolinux.cfg so that the two cannot drift apart
{
	echo "# The boot menu of the Tenxen install ISO on UEFI (made from isolinux.cfg)."
	echo "set timeout=10"
	echo "set default=0"
	awk '/^LABEL /{name=$2} /MENU LABEL/{sub(/^ *MENU LABEL /,""); gsub(/\^/,""); title[name]=$0}
	     /^  APPEND /{sub(/^  APPEND /,""); append[name]=$0; order[++n]=name}
	     END {for (i = 1; i <= n; i++) { k = order[i]
		printf "menuentry \"%s\" {\n  linux /isolinux/vmlinuz %s\n  initrd /isolinux/initrd.img\n}\n", title[k], append[k] }}' \
		"$tree/isolinux/isolinux.cfg"
} > "$tree/isolinux/grub.cfg"
mkdir -p "$tree/boot/grub" && mv "$tree/isolinux/grub.cfg" "$tree/boot/grub/grub.cfg"
# GRUB as one EFI program, its modules inside it; its built-in config finds this medium by a file
# only it has and reads the menu from there
cat > "$tree/efi-embedded.cfg" <<CFG
search --no-floppy --set=root --file /tenxen/release
configfile /boot/grub/grub.cfg
CFG
grub-mkstandalone --format=x86_64-efi --output="$tree/bootx64.efi" --locales= --fonts= \
	--themes= --install-modules="normal linux configfile search search_fs_file iso9660 fat part_gpt part_msdos echo test all_video" \
	--modules="iso9660 part_gpt part_msdos search search_fs_file configfile" \
	"boot/grub/grub.cfg=$tree/efi-embedded.cfg"
rm "$tree/efi-embedded.cfg"
# the EFI System Partition image El Torito points at: FAT holding \EFI\BOOT\BOOTX64.EFI
kib=$((($(stat -c %s "$tree/bootx64.efi") / 1024 + 512) / 32 * 32 + 64))
mkfs.vfat -C -n TENXEN_EFI "$tree/isolinux/efiboot.img" "$kib" > /dev/null
mmd -i "$tree/isolinux/efiboot.img" ::/EFI ::/EFI/BOOT
mcopy -i "$tree/isolinux/efiboot.img" "$tree/bootx64.efi" ::/EFI/BOOT/BOOTX64.EFI
rm "$tree/bootx64.efi"
fi

label="TENXEN_${version//./_}"
xorriso -as mkisofs -quiet -follow-links -o "$iso.new" -V "$label" -r -J \
	-b isolinux/isolinux.bin -c isolinux/boot.cat -no-emul-boot -boot-load-size 4 \
	-boot-info-table -isohybrid-mbr "$isolinux/isohdpfx.bin" "${uefi[@]}" \
	"$tree" 2> "$iso.log" || { cat "$iso.log" >&2; exit 1; }
mv "$iso.new" "$iso"
echo "iso: $iso ($(du -h "$iso" | cut -f1)), label $label"
