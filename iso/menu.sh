#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The installer's boot menu: one list of entries for every way it boots, the ISO (isolinux, and
# GRUB on UEFI) and the network (pxelinux, and GRUB over TFTP on UEFI), so that they cannot
# drift apart.
#   iso/menu.sh syslinux|grub TITLE KERNEL INITRD ANSWERS WHERE [MORE]
#     TITLE: the menu's title; KERNEL, INITRD: their paths as the loader names them;
#     ANSWERS: the unattended entry's tenxen.answers=; WHERE: where that entry says its
#     answer file is; MORE: options every entry gets (tenxen.payload=URL on the network)
#   MENU_DEFAULT=unattended starts that entry when nobody chooses in 10 seconds (default:
#   install, the screens)
set -euo pipefail
fmt=${1:?usage: menu.sh syslinux|grub TITLE KERNEL INITRD ANSWERS WHERE [MORE]}
title=${2:?} kernel=${3:?} initrd=${4:?} answers=${5:?} where=${6:?} more=${7:-}
serial="console=tty0 console=ttyS0,115200n8"
default=${MENU_DEFAULT:-install}
case $default in install | serial | unattended | rescue) ;; *) echo "menu.sh: no entry $default" >&2; exit 1 ;; esac

# name, the title (^ marks syslinux's hot key), the kernel's options
entries() {
	printf '%s\t%s\t%s\n' \
		install "^Install" "console=tty0 quiet${more:+ $more}" \
		serial "Install on the ^serial console (ttyS0, 115200)" "$serial quiet${more:+ $more}" \
		unattended "^Unattended install ($where)" \
		"$serial quiet${more:+ $more} tenxen.answers=$answers" \
		rescue "^Rescue shell" "$serial${more:+ $more} tenxen.rescue"
}

case $fmt in
syslinux)
	printf '%s\n' "SERIAL 0 115200" "UI menu.c32" "PROMPT 0" "TIMEOUT 100" \
		"MENU TITLE $title" "DEFAULT $default"
	entries | while IFS=$'\t' read -r name label append; do
		printf '\nLABEL %s\n  MENU LABEL %s\n  KERNEL %s\n  INITRD %s\n  APPEND %s\n' \
			"$name" "$label" "$kernel" "$initrd" "$append"
	done
	;;
grub)
	printf '%s\n' "set timeout=10" "set default=$(entries | awk -F '\t' -v d="$default" '$1 == d { print NR - 1 }')"
	entries | while IFS=$'\t' read -r name label append; do
		printf 'menuentry "%s" {\n  linux %s %s\n  initrd %s\n}\n' "${label//^/}" "$kernel" \
			"$append" "$initrd"
	done
	;;
*)
	echo "menu.sh: syslinux or grub, not $fmt" >&2
	exit 1
	;;
esac
