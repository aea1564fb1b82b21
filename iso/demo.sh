#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# make demo: boot the install ISO in qemu with two blank virtual disks, choose "Unattended install"
# in its menu (iso/answers/unattended.ks: mirrored LVM, serial console), let it install, then boot
# the installed disks and show Xen's banner and the dom0 login prompt. Ends with the time of each
# phase. Everything stays in build/demo (the console logs and the disks).
#   [FIRMWARE=bios|uefi] iso/demo.sh ISO
# FIRMWARE=uefi boots both the ISO and the host under OVMF (UEFI): GRUB's menu, an ESP on each disk
# and a firmware boot entry per disk, kept in build/demo/uefi-vars.fd.
set -uo pipefail
iso=${1:?usage: demo.sh ISO}
cd "$(dirname "$0")/.."
. iso/qemu.sh
work=build/demo
mkdir -p "$work"
[ "$(id -u)" = 0 ] || echo "demo: note: qemu runs unprivileged here; nothing needs root"

firmware=${FIRMWARE:-bios}
fw=()
case $firmware in
	bios) ;;
	uefi)
		[ -f "$QVM_OVMF_CODE" ] || { echo "demo: FIRMWARE=uefi needs OVMF ($QVM_OVMF_CODE): make deps installs it"; exit 1; }
		rm -f "$work/uefi-vars.fd"
		mapfile -t fw < <(qvm_uefi "$work/uefi-vars.fd") ;;
	*) echo "demo: FIRMWARE=$firmware: use bios or uefi"; exit 2 ;;
esac
rm -f "$work"/a.img "$work"/b.img
truncate -s 8G "$work/a.img" "$work/b.img"
mapfile -t disks < <(qvm_disks "$work" a TENXEN-DEMO-A b TENXEN-DEMO-B)
net=(-netdev user,id=n0 -device virtio-net-pci,netdev=n0,mac=52:54:00:12:34:56)
t0=$(date +%s)

echo "demo: 1/2 booting $iso ($firmware) with two blank 8 GiB disks; choosing \"Unattended install\""
qvm_start "$work" install 2400 "${fw[@]}" -m 1024 -cdrom "$iso" -boot d "${disks[@]}" "${net[@]}"
tail -f "$QVM_LOG" --pid "$QVM_PID" 2> /dev/null | sed -u 's/\r//' | grep --line-buffered -E '^(tenxen|\[[0-9]+/[0-9]+\])' &
shower=$!
qvm_iso_menu || { echo "demo: the ISO's boot menu did not appear; see $QVM_LOG"; exit 1; }
qvm_wait 'TENXEN-INSTALL-(OK|FAILED)' 2400
qvm_end 60
kill $shower 2> /dev/null
t_install=$(($(date +%s) - t0))
if ! grep -q TENXEN-INSTALL-OK "$QVM_LOG.txt"; then
	echo "demo: the install failed; the console is in $QVM_LOG.txt"
	exit 1
fi
phases=$(grep -o 'phases: .*' "$QVM_LOG.txt" | tail -1)

echo "demo: 2/2 booting the installed disks (Xen, then the dom0 on the mirrored root)"
t1=$(date +%s)
QVM_SMP=1 qvm_start "$work" host 900 "${fw[@]}" -m 1024 "${disks[@]}" "${net[@]}"
tail -f "$QVM_LOG" --pid "$QVM_PID" 2> /dev/null | sed -u 's/\r//' &
shower=$!
qvm_wait 'login:' 900
ok=$?
t_xen=$(grep -a -q '(XEN) Xen version' "$QVM_LOG.txt" && echo yes)
qvm_end 0
kill $shower 2> /dev/null
t_boot=$(($(date +%s) - t1))
echo
if [ $ok != 0 ]; then
	echo "demo: the installed host did not reach its login prompt; see $QVM_LOG.txt"
	exit 1
fi
echo "demo: the Xen host is up; from its serial console:"
grep -a -m1 '(XEN) Xen version' "$QVM_LOG.txt" | sed 's/^/    /'
grep -a -m1 '(XEN) Command line:' "$QVM_LOG.txt" | sed 's/^/    /'
grep -a -m1 'Kernel command line:' "$QVM_LOG.txt" | sed 's/^ *\[[ 0-9.]*\] */    dom0: /'
grep -a 'Debian GNU/Linux' "$QVM_LOG.txt" | tail -1 | sed 's/^/    /'
grep -a -o '[a-z0-9-]* login:' "$QVM_LOG.txt" | tail -1 | sed 's/^/    /'
[ -n "$t_xen" ] || echo "demo: (Xen's banner did not show on the console)"
echo "demo: install (ISO boot to power-off) $t_install s; boot of the installed host to login $t_boot s"
echo "demo: install $phases"
echo "demo: log in as root with the password \"tenxen\" (iso/answers/unattended.ks); disks in $work"
