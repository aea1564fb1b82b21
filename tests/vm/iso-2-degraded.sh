#!/bin/bash
# Every mirrored layout boots with a disk gone, and each disk is the one gone at least once:
# - the host iso-1-install.sh installed (root and swap on mirrors with a core log), booted
#   without its second disk (a snapshot: the disks stay as installed);
# - a second host, installed here from the check ISO with tests/iso/answers/check-raid1.ks (root
#   on LVM raid1, swap on a mirror with a disk log), booted without its first disk.
# Each must reach Xen, dom0 on its root with one leg missing, say so on the console with the way
# back that fits what the volume group has become, and reach the login prompt.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/iso.sh
[ -f "$ISO_WORK/installed" ] || fail "no installed disks: iso-1-install.sh did not succeed"
check_iso || fail "cannot build the check ISO"

# degraded_boot NAME WHAT DISK-ARGS...: boot the disks (a snapshot), wait for the boot check and
# the login prompt; the console stays in $QVM_LOG.txt
degraded_boot() {
	local name=$1 what=$2
	shift 2
	QVM_SMP=1 qvm_start "$ISO_WORK" "$name" 900 -m 1024 -snapshot "$@" "${ISO_NET[@]}"
	qvm_wait 'TENXEN-FIRSTBOOT-DONE' 900 || fail "$what: the host did not come up"
	qvm_wait 'login:' 120 || fail "$what: no login prompt"
	secs=$(qvm_seconds)
	qvm_end 0
	grep -q '(XEN) Command line: .*dom0_mem=600M' "$QVM_LOG.txt" || fail "$what: Xen did not boot"
	grep -q 'tenxen: volume group vg0 has lost a disk' "$QVM_LOG.txt" ||
		fail "$what: the initramfs did not say why it changed vg0"
}

# 1. core-log mirrors, the second disk gone
mapfile -t disks < <(iso_disks a "")
degraded_boot without-b "core-log host without disk b" "${disks[@]}"
grep -q 'TENXEN-CHECK ok root /dev/mapper/vg0-root' "$QVM_LOG.txt" || fail "without disk b: root is not vg0/root"
grep -q 'TENXEN-CHECK info disks present 1 of' "$QVM_LOG.txt" || fail "without disk b: vg0 does not have exactly one disk left"
# the way back it names must fit what vg0 has become: only mirror legs were on the lost disk, so
# it left the group, and each former mirror is named
grep -q 'TENXEN-CHECK info disks present 1 of 1, missing 0' "$QVM_LOG.txt" ||
	fail "without disk b: vg0 still lists the lost disk, though it held only mirror legs"
grep -q 'tenxen: the lost disk is no longer part of vg0: to mirror again, wipefs -a .*lvconvert -m1 vg0/root.*lvconvert -m1 vg0/swap' "$QVM_LOG.txt" ||
	fail "without disk b: the console does not say how to mirror root and swap again"
echo "core-log mirrors without disk b: Xen, dom0 on vg0/root from disk a, login prompt after $secs s"

# 2. root on raid1 and swap on a disk-log mirror, installed now, the first disk gone
ISO_IMAGES=("$ISO_WORK/c.img" "$ISO_WORK/d.img")
mapfile -t disks < <(qvm_disks "$ISO_WORK" c TXISO-C d TXISO-D)
iso_install_check install-raid1 check-raid1.ks "${disks[@]}"
echo "raid1 host installed: $(grep -o 'phases: .*' "$QVM_LOG.txt")"
mapfile -t disks < <(qvm_disks "$ISO_WORK" d TXISO-D)
degraded_boot without-c "raid1 host without disk c" "${disks[@]}"
grep -Eq 'TENXEN-CHECK info root /dev/mapper/vg0-root +raid1' "$QVM_LOG.txt" ||
	fail "without disk c: root is not vg0/root on raid1: $(grep -o 'TENXEN-CHECK info root.*' "$QVM_LOG.txt")"
# swap is up too: the whole volume group was started, not the root alone; its mirror lost the
# leg on the missing disk
grep -Eq 'TENXEN-CHECK info swap linear active 1' "$QVM_LOG.txt" ||
	fail "without disk c: swap is not running on the disk left: $(grep -o 'TENXEN-CHECK info swap.*' "$QVM_LOG.txt")"
# dropping the mirror's legs dropped the lost disk from vg0 (raid1's image there with it), and
# the way back says so, naming both volumes
grep -q 'TENXEN-CHECK info disks present 1 of 1, missing 0' "$QVM_LOG.txt" ||
	fail "without disk c: vg0 should have the one disk left: $(grep -o 'TENXEN-CHECK info disks.*' "$QVM_LOG.txt")"
grep -q 'tenxen: the lost disk is no longer part of vg0: to mirror again, wipefs -a .*vgextend vg0 DEVICE, lvconvert --repair vg0/root, lvconvert -m1 vg0/swap' "$QVM_LOG.txt" ||
	fail "without disk c: the console does not say how to mirror again"
# /boot's md RAID1 runs on the member left and is mounted: a kernel upgrade on the degraded host
# lands where extlinux reads, not in the root's empty /boot folder
grep -Eq 'TENXEN-CHECK info boot /dev/md[0-9a-z/]+ 1' "$QVM_LOG.txt" ||
	fail "without disk c: /boot is not mounted from its degraded md array: $(grep -o 'TENXEN-CHECK info boot.*' "$QVM_LOG.txt")"
grep -q 'tenxen: md array md[0-9]* started with a member missing' "$QVM_LOG.txt" ||
	fail "without disk c: the console does not say that /boot's array runs degraded"
echo "raid1 root and disk-log swap without disk c: Xen, dom0 on vg0/root degraded, swap on, /boot degraded and mounted, login prompt after $secs s"
echo "ok: core-log mirrors boot without their second disk, raid1 with a disk-log swap without its first"
