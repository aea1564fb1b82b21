#!/bin/bash
# The installer's screens on a VGA monitor and a PC keyboard: the ISO's first menu entry ("Install")
# runs them on the Linux console (TERM=linux). The test reads the VGA text buffer through qemu's
# monitor and types with sendkey: the screen must use all 25 rows (the title on the first, the
# key help on the last), draw its boxes with line-drawing characters (not the letters a wrong
# terminal type shows), open F1's help and take keys from the keyboard.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/iso.sh
. tests/lib/vga.sh
check_iso || fail "cannot build the check ISO"
rm -f "$ISO_WORK/vga.img"
scratch "$ISO_WORK/vga.img"
truncate -s 4G "$ISO_WORK/vga.img"
mapfile -t disks < <(qvm_disks "$ISO_WORK" vga TXVGA-A)
QVM_MONITOR=1 qvm_start "$ISO_WORK" vga 600 -m 1024 -cdrom "$ISO_WORK/check.iso" -boot d "${disks[@]}"
qvm_wait 'Rescue shell' 120 || fail "the ISO's boot menu did not appear"
sleep 1
qvm_keys "\r" # the default entry, Install
shows() { grep -Eq "$1" <<< "$VGA_LAST" || fail "$2; the screen was:
$VGA_LAST"; }

vga_wait '┤ Keyboard ├' 300 || fail "the keyboard screen did not appear on the VGA console; the screen was:
$VGA_LAST"
shows '^ Tenxen: install a Xen host' "the first row is not the installer's title"
# the buffer always reads as 25 rows: what proves the screen uses them all is the title on the
# first and the key help on the last, with the window between them
tail -n 1 <<< "$VGA_LAST" | grep -q '<F1> help' || fail "the last row is not the key help; the screen was:
$VGA_LAST"
sed -n '2,24p' <<< "$VGA_LAST" | grep -q '┤ Keyboard ├' || fail "the window is not between the title and the key help"
shows '┌─+' "no box corner drawn with line-drawing characters"
! grep -q 'lqqq\|qqqk' <<< "$VGA_LAST" || fail "boxes drawn with letters (a terminal type that does not fit the console)"
shows 'us +English \(US\)' "the keyboard list is not shown"

vga_key f1
vga_wait '┤ Help ├' 30 || fail "F1 did not open the help on the VGA console"
# the help's own words (the screen behind it says "Keyboard" too, so that would prove nothing)
shows '/etc/default/keyboard' "the help does not speak of this screen"
vga_key ret
vga_wait '┤ Keyboard ├' 30 || fail "the help did not close"

vga_key tab ret # Next
vga_wait '┤ Disks ├' 60 || fail "Next did not lead to the disks screen; the screen was:
$VGA_LAST"
shows 'TXVGA-A' "the disk (serial TXVGA-A) is not listed"
shows '\[ \]' "the disk is not an unmarked checkbox"
vga_key spc
vga_wait '\[\*\].*TXVGA-A' 30 || fail "the space bar did not mark the disk; the screen was:
$VGA_LAST"
qvm_end 0
echo "ok: the installer on VGA (TERM=linux): 80x25 with title and key help, line drawing, F1 help, keys from the keyboard ($(qvm_seconds) s)"
