#!/bin/bash
# Bad input before any disk is touched: the ISO booted with a broken answer file on the medium,
# then with an answer URL that nothing answers. Each must say why on the console, and both disks
# must come out bit for bit as they went in.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/iso.sh
check_iso || fail "cannot build the check ISO"
rm -f "$ISO_WORK"/r-a.img "$ISO_WORK"/r-b.img
scratch "$ISO_WORK/r-a.img" "$ISO_WORK/r-b.img"
truncate -s 2G "$ISO_WORK/r-a.img" "$ISO_WORK/r-b.img"
# something worth keeping on each disk: a filesystem with a file
for d in r-a r-b; do
	mkdir -p "$ISO_WORK/$d.files" && echo "data of $d" > "$ISO_WORK/$d.files/keep.txt"
	mke2fs -q -t ext4 -d "$ISO_WORK/$d.files" "$ISO_WORK/$d.img"
done
before=$(sha256sum "$ISO_WORK"/r-a.img "$ISO_WORK"/r-b.img | cut -d' ' -f1 | tr '\n' ' ')
mapfile -t disks < <(qvm_disks "$ISO_WORK" r-a TXISO-A r-b TXISO-B)

try() { # NAME ARGS MESSAGE
	qvm_start "$ISO_WORK" "$1" 300 -m 1024 -cdrom "$ISO_WORK/check.iso" -boot d "${disks[@]}" "${ISO_NET[@]}"
	qvm_iso_menu "$2 tenxen.atexit=poweroff" || fail "$1: the ISO's boot menu did not appear"
	qvm_wait 'TENXEN-INSTALL-(OK|FAILED)' 300 || fail "$1: the installer said nothing"
	qvm_end 30
	grep -q TENXEN-INSTALL-FAILED "$QVM_LOG.txt" || fail "$1: the install was not refused"
	grep -q "$3" "$QVM_LOG.txt" || fail "$1: the console does not say: $3"
	grep -q "refused before any disk was touched" "$QVM_LOG.txt" || fail "$1: no word that the disks were left alone"
	echo "$1: $(grep -m1 "$3" "$QVM_LOG.txt")"
	after=$(sha256sum "$ISO_WORK"/r-a.img "$ISO_WORK"/r-b.img | cut -d' ' -f1 | tr '\n' ' ')
	[ "$after" = "$before" ] || fail "$1: a disk changed"
}
try bad-file "tenxen.answers=/tenxen/answers/bad.ks" 'bad.ks:8: error: --size=4X is not a size'
try no-url "tenxen.answers=http://10.0.2.2:9/tenxen/answers.ks" 'cannot fetch the answer file http://10.0.2.2:9/tenxen/answers.ks'
echo "ok: both refused, disks unchanged (sha256 $before)"
