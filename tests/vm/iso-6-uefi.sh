#!/bin/bash
# UEFI, one install and the story of its host (OVMF, Debian's UEFI firmware):
# - the ISO boots as a CD to its GRUB menu; written to a USB stick, it boots and installs
#   unattended (tests/iso/answers/check-uefi.ks) onto two disks: an ESP on each;
# - the host boots by its firmware boot entry to Xen's banner and dom0's login on the serial
#   console, with the answer file's dom0_mem and console; both ESPs hold the same files; its
#   step 1 runs serial-console --remove;
# - booted again, Xen says nothing on the serial port; step 2 (its report on the ESPs) runs
#   serial-console; both ESPs are the same, read from the disk images;
# - then with either disk gone and the firmware's NVRAM blank (the removable-media path), side by
#   side: each time the console is back, Xen, dom0 on the root's one leg left, the login prompt.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/iso.sh
check_iso || fail "cannot build the check ISO"
W=$ISO_WORK
# the UEFI check ISO: the menu's "Unattended install" runs check-uefi.ks
rm -rf "$W/uefi-answers" && mkdir -p "$W/uefi-answers"
cp tests/iso/answers/check-uefi.ks "$W/uefi-answers/unattended.ks"
iso/build-iso.sh "$W/uefi.iso" build/env build/payload "$(ls build/deb/tenxen_*.deb)" "$W/uefi-answers" > /dev/null ||
	fail "cannot build the UEFI check ISO"

# 1. the ISO as a CD: GRUB's menu, the same entries as isolinux's
rm -f "$W/uefi-cd-vars.fd"
mapfile -t fw < <(qvm_uefi "$W/uefi-cd-vars.fd")
qvm_start "$W" uefi-cd 300 "${fw[@]}" -m 1024 -cdrom "$W/uefi.iso"
qvm_wait 'Rescue shell' 240 || fail "the ISO booted as a CD under UEFI shows no GRUB menu"
qvm_end 0
for e in 'Install on the serial console' 'Unattended install' 'Rescue shell'; do
	grep -q "$e" "$QVM_LOG.txt" || fail "GRUB's menu lacks \"$e\""
done
echo "CD: GRUB's menu after $(qvm_seconds) s"

# 2. the ISO as a USB stick: install
rm -f "$W/uefi-vars.fd" "$W/e.img" "$W/f.img"
scratch "$W/e.img" "$W/f.img" "$W/uefi.iso"
truncate -s 8G "$W/e.img" "$W/f.img"
mapfile -t fw < <(qvm_uefi "$W/uefi-vars.fd")
mapfile -t disks < <(qvm_disks "$W" e TXISO-E f TXISO-F)
mapfile -t usb < <(qvm_usb_disk "$W/uefi.iso")
qvm_start "$W" uefi-install 1800 "${fw[@]}" -m 1024 "${usb[@]}" "${disks[@]}" "${ISO_NET[@]}"
qvm_wait 'Rescue shell' 240 || fail "the ISO written to a USB stick did not boot under UEFI"
sleep 1
qvm_keys "$QVM_DOWN$QVM_DOWN\r"
qvm_wait 'TENXEN-INSTALL-(OK|FAILED)' 1800 || fail "the UEFI install did not end"
qvm_end 60
grep -q TENXEN-INSTALL-OK "$QVM_LOG.txt" || fail "the UEFI install failed"
echo "installed on UEFI: $(grep -o 'phases: .*' "$QVM_LOG.txt")"

# host_boot NAME WHAT VARS [MORE QEMU ARGS]: boot the installed host until it powers itself off
host_boot() {
	local name=$1 what=$2 vars=$3
	shift 3
	mapfile -t fw < <(qvm_uefi "$vars")
	QVM_SMP=1 qvm_start "$W" "$name" 900 "${fw[@]}" -m 1024 "$@" "${ISO_NET[@]}"
	# a host without a serial console says nothing, not even that it powers off: its end is
	# qemu's own, and only an end by itself (status 0) is a power-off, never its timeout's kill
	qvm_wait 'reboot: Power down' 900
	qvm_end 30
	qvm_powered_off || fail "$what: the host did not power off within 900 s (qemu ended with status $QVM_STATUS: $([ "$QVM_STATUS" = 124 ] && echo "killed by its timeout" || echo "stopped"))"
	grep -q 'TENXEN-UEFI FAIL' "$QVM_LOG.txt" && fail "$what: $(grep -m1 'TENXEN-UEFI FAIL' "$QVM_LOG.txt")"
	echo "$what: $(qvm_seconds) s"
}
# xen_up WHAT: the console shows Xen from EFI with the answer file's options, dom0 on hvc0, a login
xen_up() {
	grep -q '(XEN) Bootloader: EFI' "$QVM_LOG.txt" || fail "$1: Xen was not started by UEFI"
	grep -q '(XEN) Command line: .*dom0_mem=512M,max:512M' "$QVM_LOG.txt" || fail "$1: Xen did not get dom0_mem=512M,max:512M"
	grep -q '(XEN) Command line: .*com1=115200,8n1 console=com1' "$QVM_LOG.txt" || fail "$1: Xen is not on com1"
	grep -Eq 'Kernel command line: .*console=hvc0' "$QVM_LOG.txt" || fail "$1: dom0's kernel is not on hvc0"
	# the answer file's dom0 option, kept by every serial-console change in between
	grep -Eq 'Kernel command line: .* mitigations=auto' "$QVM_LOG.txt" || fail "$1: dom0 lacks xen --dom0-append's option"
	grep -q 'login:' "$QVM_LOG.txt" || fail "$1: no login prompt on the serial console"
}
mapfile -t disks < <(qvm_disks "$W" e TXISO-E f TXISO-F)

# 3. by the boot entry the install made; step 1: serial-console --remove
host_boot uefi-boot1 "boot 1 (serial console)" "$W/uefi-vars.fd" "${disks[@]}"
xen_up "boot 1"
grep -q 'BdsDxe: starting Boot[0-9A-F]* "Tenxen (e)"' "$QVM_LOG.txt" || fail "boot 1: the firmware did not start the first disk's boot entry \"Tenxen (e)\""
grep -o 'TENXEN-UEFI .*' "$QVM_LOG.txt" | sed 's/^/  /'
[ "$(grep -c 'TENXEN-UEFI ok' "$QVM_LOG.txt")" -eq 4 ] || fail "boot 1: step 1 did not pass its 4 checks"

# 4. no serial console: Xen and dom0 silent on the port; step 2 runs serial-console
host_boot uefi-boot2 "boot 2 (no serial console)" "$W/uefi-vars.fd" "${disks[@]}"
grep -q '(XEN)' "$QVM_LOG.txt" && fail "boot 2: Xen still writes on the serial port after serial-console --remove"
grep -q 'Linux version' "$QVM_LOG.txt" && fail "boot 2: dom0 still writes on the serial port"
report=$(mtype -i "$W/f.img@@1M" ::/tenxen-step2.txt 2> /dev/null) || fail "boot 2: step 2 left no report on the ESP"
echo "$report" | sed 's/^/  | /'
grep -q 'step 2 ran: ok' <<< "$report" || fail "boot 2: the ESPs were not the same after serial-console --remove"
grep -q 'serial-console: ok' <<< "$report" || fail "boot 2: serial-console failed"

# the two ESPs, read from the disk images: the same files, byte for byte
for img in e f; do
	rm -rf "$W/esp-$img" && mkdir -p "$W/esp-$img"
	mcopy -s -n -i "$W/$img.img@@1M" ::/EFI "$W/esp-$img/" 2> /dev/null || fail "cannot read the ESP of disk $img"
done
diff -r -x '*.tenxen-old' "$W/esp-e" "$W/esp-f" > /dev/null || fail "the two ESPs differ: $(diff -rq "$W/esp-e" "$W/esp-f")"
echo "ESPs: the same on both disks ($(ls "$W/esp-e/EFI/BOOT" | grep -v tenxen-old | tr '\n' ' '))"

# 5. the console is back, with either disk gone and blank NVRAM: each boot finds the disk left by
# the removable-media path, reaches Xen, dom0 on the root's one leg left and the login prompt.
# The two are snapshots of the same disks, so they run side by side.
for gone in e f; do
	(
		left=f; [ $gone = f ] && left=e
		rm -f "$W/uefi-blank-$gone.fd"
		mapfile -t one < <(qvm_disks "$W" $left TXISO-$(echo $left | tr a-z A-Z))
		host_boot "uefi-without-$gone" "without disk $gone, blank NVRAM" "$W/uefi-blank-$gone.fd" -snapshot "${one[@]}"
		xen_up "without disk $gone"
		grep -q "BdsDxe: starting Boot[0-9A-F]* \"UEFI .*" "$QVM_LOG.txt" || fail "without disk $gone: the firmware did not boot the disk by its removable-media path"
		grep -o 'TENXEN-UEFI .*' "$QVM_LOG.txt" | sed "s/^/  without $gone: /"
		[ "$(grep -c 'TENXEN-UEFI ok' "$QVM_LOG.txt")" -eq 2 ] || fail "without disk $gone: step 3 did not pass its 2 checks"
		grep -q 'TENXEN-UEFI info root /dev/mapper/vg0-root raid1 on 1 disk' "$QVM_LOG.txt" || fail "without disk $gone: $(grep -m1 'TENXEN-UEFI info root' "$QVM_LOG.txt")"
		esp=/boot/efi; [ $gone = e ] && esp=/boot/efi2
		grep -q "TENXEN-UEFI info ESPs mounted: $esp\$" "$QVM_LOG.txt" || fail "without disk $gone: the ESP of disk $left is not mounted at $esp: $(grep -m1 'TENXEN-UEFI info ESPs' "$QVM_LOG.txt")"
	) > "$W/uefi-without-$gone.out" 2>&1 &
	eval "pid_$gone=$!"
	sleep 20 # the two firmwares do not start in the same second
done
rc=0
for gone in e f; do
	eval "wait \$pid_$gone" || rc=1
	cat "$W/uefi-without-$gone.out"
done
[ $rc = 0 ] || exit 1
echo "ok: UEFI from CD and USB, boot entries, serial console off and on, ESPs the same, either disk gone"
