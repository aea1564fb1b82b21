#!/bin/bash
# The ISO, end to end: boot it with two blank disks, pick "Unattended install" in its menu with
# the test answer file (tests/iso/answers/check.ks), let it install and power off; then boot the
# installed disks and read the console: Xen with the dom0_mem of the answer file, dom0 on hvc0,
# root on the mirrored logical volume, and the boot check's report (hostname, network,
# password hashed, package sets installed, ...; then tenxen guest and tenxen profile, run for
# real: guests made and refused, and a profile of the host).
set -u
cd "$(dirname "$0")/../.."
. tests/lib/iso.sh
check_iso || fail "cannot build the check ISO"
mapfile -t disks < <(iso_disks a b)
ISO_IMAGES=("$ISO_WORK/a.img" "$ISO_WORK/b.img")
rm -f "$ISO_WORK/installed"
iso_install_check install check.ks "${disks[@]}"
echo "install: $(grep -o 'phases: .*' "$QVM_LOG.txt")"
touch "$ISO_WORK/installed"

# the installed disks, both present (a snapshot: later tests boot the disks as installed)
QVM_SMP=1 qvm_start "$ISO_WORK" host 900 -m 1024 -snapshot "${disks[@]}" "${ISO_NET[@]}"
qvm_wait 'TENXEN-FIRSTBOOT-DONE' 900 || fail "the installed host did not run its boot check"
qvm_wait 'login:' 120 || fail "no login prompt on the serial console"
echo "installed host: boot check after $(qvm_seconds) s"
qvm_end 0
grep -q '(XEN) Command line: .*dom0_mem=600M,max:600M' "$QVM_LOG.txt" || fail "Xen did not get dom0_mem=600M,max:600M"
grep -q '(XEN) Command line: .*com1=115200,8n1 console=com1' "$QVM_LOG.txt" || fail "Xen is not on com1"
grep -Eq 'Kernel command line: .*console=hvc0' "$QVM_LOG.txt" || fail "dom0's kernel is not on hvc0"
grep -o 'TENXEN-CHECK .*' "$QVM_LOG.txt" | sed 's/^/  /'
n=$(grep -c 'TENXEN-CHECK ok' "$QVM_LOG.txt")
grep -q 'TENXEN-CHECK FAIL' "$QVM_LOG.txt" && fail "the boot check found something wrong"
[ "$n" -eq 62 ] || fail "the boot check reported $n passes, not the 62 it makes"
grep -Eq 'TENXEN-CHECK info root +mirror root_mimage_0\(0\),root_mimage_1\(0\)' "$QVM_LOG.txt" ||
	fail "root is not a logical volume mirrored on two disks"
grep -q 'TENXEN-CHECK info disks present 2 of 2, missing 0' "$QVM_LOG.txt" || fail "vg0 does not have both disks"
grep -q 'TENXEN-CHECK info swap mirror active 1' "$QVM_LOG.txt" || fail "swap is not the mirror the answer file asks, in use: $(grep -o 'TENXEN-CHECK info swap.*' "$QVM_LOG.txt")"
grep -q 'TENXEN-CHECK ok keyboard XKBLAYOUT="fr" XKBVARIANT="latin9"' "$QVM_LOG.txt" || fail "the keyboard is not the answer file's fr latin9"
grep -q 'TENXEN-CHECK ok timezone /usr/share/zoneinfo/Europe/Paris' "$QVM_LOG.txt" || fail "the time zone is not the answer file's Europe/Paris"
grep -q 'TENXEN-CHECK ok apt mirror of the answer file' "$QVM_LOG.txt" || fail "the host's apt sources are not the answer file's mirror"
echo "tenxen profile on the installed host:"
grep -o 'TENXEN-PROFILE .*' "$QVM_LOG.txt" | sed 's/^TENXEN-PROFILE /  | /'
echo "ok: installed from the ISO, booted Xen and dom0 ($n checks passed)"
