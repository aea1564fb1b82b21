# The install-ISO tests: one check ISO (build/tenxen.iso's contents plus the test answer files
# of tests/iso/answers), built once per run, and two disks installed from it that later tests
# boot again. Everything stays in build/check/iso.
. iso/qemu.sh
ISO_WORK=build/check/iso
ISO_NET=(-netdev user,id=n0 -device virtio-net-pci,netdev=n0,mac=52:54:00:12:34:57)

# check_iso: build/check/iso/check.iso, unless it is newer than what it is made of
check_iso() {
	mkdir -p "$ISO_WORK"
	if [ ! -f "$ISO_WORK/check.iso" ] || [ -n "$(find build/tenxen.iso tests/iso/answers -newer "$ISO_WORK/check.iso" 2> /dev/null)" ]; then
		iso/build-iso.sh "$ISO_WORK/check.iso" build/env build/payload build/tenxen.tar.zst tests/iso/answers > /dev/null || return 1
	fi
	[ -f "$ISO_WORK/check.iso" ]
}

# iso_disks A B: qemu arguments for the two test disks (an empty name leaves that disk out)
iso_disks() {
	local args=()
	[ -z "$1" ] || args+=(a TXISO-A)
	[ -z "$2" ] || args+=(b TXISO-B)
	qvm_disks "$ISO_WORK" "${args[@]}"
}

# fail WHAT: say so with the console's tail, and end the test
fail() {
	echo "FAIL: $1"
	[ -n "${QVM_LOG:-}" ] && [ -f "$QVM_LOG.txt" ] && { echo "--- the console ($QVM_LOG.txt), last lines:"; tail -n 25 "$QVM_LOG.txt"; }
	exit 1
}
