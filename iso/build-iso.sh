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
mkdir -p "$tree/isolinux"
cp "$isolinux/isolinux.bin" "$tree/isolinux/"
for m in ldlinux.c32 menu.c32 libutil.c32 libcom32.c32; do cp "$bios/$m" "$tree/isolinux/"; done
cp "$env/vmlinuz" "$env/initrd.img" "$tree/isolinux/"
# the payload is linked, not copied: xorriso reads it where it is
"$here/payload-tree.sh" "$tree/tenxen" "$payload" "$deb" "$extra" > /dev/null

{
	echo "# The boot menu of the Tenxen install ISO."
	"$here/menu.sh" syslinux "Tenxen $version: a Xen host on Debian" vmlinuz initrd.img \
		/tenxen/answers/unattended.ks "the answer file on this medium"
} > "$tree/isolinux/isolinux.cfg"

uefi=(-eltorito-alt-boot -e isolinux/efiboot.img -no-emul-boot -isohybrid-gpt-basdat)
if [ "${ISO_UEFI:-yes}" = no ]; then
	uefi=()
else
# UEFI: the same menu for GRUB (it reads ISO 9660, so the kernel and initrd are the ones above,
# not copies), from the same list of entries (iso/menu.sh)
{
	echo "# The boot menu of the Tenxen install ISO on UEFI (the same entries as isolinux.cfg)."
	"$here/menu.sh" grub "Tenxen $version" /isolinux/vmlinuz /isolinux/initrd.img \
		/tenxen/answers/unattended.ks "the answer file on this medium"
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
