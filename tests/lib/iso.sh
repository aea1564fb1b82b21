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

# xen_dump: a Xen host that is still running but has stopped talking is asked, on its serial
# console, what it is doing: three Ctrl-A give the console's input to Xen, then its debug keys
# 'q' (each domain and its vCPUs: running, blocked, events pending) and '0' (dom0's registers
# and stack), one at a time, each waited for. Prints what Xen answered. Nothing when the VM has
# ended or never started Xen.
xen_dump() {
	[ -n "${QVM_PID:-}" ] && kill -0 "$QVM_PID" 2> /dev/null || return 0
	qvm_text
	grep -q 'Xen version' "$QVM_LOG.txt" 2> /dev/null || return 0
	local from
	from=$(wc -l < "$QVM_LOG.txt")
	qvm_keys '\001\001\001'
	qvm_wait 'Serial input to Xen' 10 &&
		qvm_keys 'q' && qvm_wait 'General information for domain' 30 &&
		qvm_keys '0' && qvm_wait 'Guest stack trace' 30
	echo "--- what Xen says of its domains (keys q and 0 on its console):"
	tail -n +"$((from + 1))" "$QVM_LOG.txt" | head -n 150
}

# fail WHAT: say so with the console's tail (and Xen's own account of a host that went
# silent), and end the test
fail() {
	echo "FAIL: $1"
	[ -n "${QVM_LOG:-}" ] && [ -f "$QVM_LOG.txt" ] && { echo "--- the console ($QVM_LOG.txt), last lines:"; tail -n 25 "$QVM_LOG.txt"; }
	xen_dump
	exit 1
}
