#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# make netboot: the installer served over the network, as a folder tree that any TFTP server and
# any web server serve as they are (docs/netboot.md):
#   OUT/tftp/   the loaders, for the firmware's PXE: pxelinux.0 (BIOS) with pxelinux.cfg/default,
#               GRUB's network image grub/x86_64-efi/core.efi (UEFI) with grub/grub.cfg, the same
#               menu entries as the ISO's (iso/menu.sh); and the installer's kernel and initrd
#               (tenxen/), which both read by TFTP
#   OUT/http/tenxen/   the payload with its manifest payload.sums (iso/payload-tree.sh); hosts/ is for
#               one answer file per host (MAC address, serial number, or default.ks)
#   [MENU_DEFAULT=unattended] [NETBOOT_REPORT=URL] iso/netboot.sh OUT ENVDIR PAYLOADDIR TENXEN_DEB URL [EXTRA_DIR]
#     URL: where OUT/http/tenxen/ will be served, http://SERVER[:PORT]/tenxen/ (the menus name it)
#     MENU_DEFAULT=unattended: a machine that boots by PXE installs itself from its answer file
#     in hosts/ unless someone chooses otherwise within 10 s (iso/menu.sh); one with no answer
#     file there stops before touching a disk
#     NETBOOT_REPORT=URL: every entry posts its install's steps there (tenxen.report=)
set -euo pipefail
out=${1:?usage: netboot.sh OUT ENVDIR PAYLOADDIR TENXEN_DEB URL [EXTRA_DIR]}
env=${2:?} payload=${3:?} deb=${4:?} url=${5:?} extra=${6:-}
case $url in
	http://*/) ;;
	*) echo "netboot.sh: the URL is http://SERVER[:PORT]/PATH/ (ending in /), not $url" >&2; exit 1 ;;
esac
here=$(cd "$(dirname "$0")" && pwd)
version=$(sed -n 's/^VERSION[[:space:]]*:= *//p' "$here/../Makefile")
bios=/usr/lib/syslinux/modules/bios
hostport=${url#http://} hostport=${hostport%%/*}
more="tenxen.payload=$url${NETBOOT_REPORT:+ tenxen.report=$NETBOOT_REPORT}"
path=/${url#http://*/}

rm -rf "$out.new"
mkdir -p "$out.new/tftp/pxelinux.cfg" "$out.new/http"
www=$out.new/http${path%/}
"$here/payload-tree.sh" "$www" "$payload" "$deb" "$extra" > /dev/null
mkdir -p "$www/hosts"

# The installer by TFTP on both firmwares: the loaders' own TCP stacks (lpxelinux.0's, GRUB's
# http module) lost the initrd now and then in the tests, three machines sharing two cores; their
# TFTP never did. The payload, ten times larger, comes over HTTP to Linux's TCP.
cp /usr/lib/PXELINUX/pxelinux.0 "$out.new/tftp/"
mkdir -p "$out.new/tftp/tenxen"
cp "$env/vmlinuz" "$env/initrd.img" "$out.new/tftp/tenxen/"
for m in ldlinux.c32 menu.c32 libutil.c32 libcom32.c32; do cp "$bios/$m" "$out.new/tftp/"; done
{
	echo "# The network boot menu of Tenxen (BIOS), for $url"
	"$here/menu.sh" syslinux "Tenxen $version: a Xen host on Debian, from $hostport" \
		tenxen/vmlinuz tenxen/initrd.img "${url}hosts/" \
		"the answer file for this host from the server" "$more"
} > "$out.new/tftp/pxelinux.cfg/default"

# UEFI: GRUB's network image (grub-mknetdir: core.efi and its modules, under grub/), which reads
# grub/grub.cfg, the kernel and the initrd by TFTP
grub-mknetdir --net-directory="$out.new/tftp" --subdir=grub -d /usr/lib/grub/x86_64-efi \
	--locales= --fonts= --themes= > /dev/null 2>&1
{
	echo "# The network boot menu of Tenxen (UEFI), for $url"
	"$here/menu.sh" grub "Tenxen $version" /tenxen/vmlinuz /tenxen/initrd.img "${url}hosts/" \
		"the answer file for this host from the server" "$more"
} > "$out.new/tftp/grub/grub.cfg"

rm -rf "$out"
mv "$out.new" "$out"
echo "netboot: $out: tftp/ (pxelinux.0 for BIOS, grub/x86_64-efi/core.efi for UEFI), http${path} ($(wc -l < "$out/http${path}payload.sums") files in payload.sums), for $url"
