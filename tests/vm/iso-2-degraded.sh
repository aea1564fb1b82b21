#!/bin/bash
# A mirrored host boots with either disk gone: the disks installed by iso-1-install.sh, booted
# once without the first disk and once without the second (snapshots: each boot starts from the
# disks as installed). Each must reach Xen, dom0 on the mirrored root with one leg missing, and
# the login prompt.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/iso.sh
[ -f "$ISO_WORK/installed" ] || fail "no installed disks: iso-1-install.sh did not succeed"
for gone in a b; do
	if [ $gone = a ]; then mapfile -t disks < <(iso_disks "" b); else mapfile -t disks < <(iso_disks a ""); fi
	QVM_SMP=1 qvm_start "$ISO_WORK" "without-$gone" 900 -m 1024 -snapshot "${disks[@]}" "${ISO_NET[@]}"
	qvm_wait 'TENXEN-FIRSTBOOT-DONE' 900 || fail "without disk $gone: the host did not come up"
	qvm_wait 'login:' 120 || fail "without disk $gone: no login prompt"
	secs=$(qvm_seconds)
	qvm_end 0
	grep -q '(XEN) Command line: .*dom0_mem=600M' "$QVM_LOG.txt" || fail "without disk $gone: Xen did not boot"
	grep -q 'TENXEN-CHECK ok root /dev/mapper/vg0-root' "$QVM_LOG.txt" || fail "without disk $gone: root is not vg0/root"
	grep -q 'TENXEN-CHECK info disks present 1 of' "$QVM_LOG.txt" || fail "without disk $gone: vg0 does not have exactly one disk left"
	grep -q 'tenxen: volume group vg0 has lost a disk' "$QVM_LOG.txt" || fail "without disk $gone: the initramfs did not say why it changed vg0"
	# the way back it names must fit what vg0 has become
	if grep -q 'TENXEN-CHECK info disks present 1 of 1, missing 0' "$QVM_LOG.txt"; then
		hint='tenxen: the lost disk is no longer part of vg0: to mirror again, wipefs -a'
	else
		hint='tenxen: vg0 still counts the disk as missing: when it is back in its place, vgextend --restoremissing'
	fi
	grep -q "$hint" "$QVM_LOG.txt" || fail "without disk $gone: the console does not say how to mirror again ($hint)"
	echo "without disk $gone: Xen, dom0 on vg0/root from the disk that remains, login prompt after $secs s"
done
echo "ok: boots with either disk gone"
