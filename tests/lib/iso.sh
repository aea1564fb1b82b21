# The install-ISO tests: one check ISO (build/tenxen.iso's contents plus the test answer files
# of tests/iso/answers), built once per run, and two disks installed from it that later tests
# boot again. Everything stays in build/check/iso, but for the disk images: each goes when the
# test that needs it last ends (scratch, drop: tests/lib/exit.sh).
. iso/qemu.sh
. tests/lib/exit.sh
ISO_WORK=build/check/iso
ISO_NET=(-netdev user,id=n0 -device virtio-net-pci,netdev=n0,mac=52:54:00:12:34:57)

# check_iso: build/check/iso/check.iso, unless it is newer than what it is made of
check_iso() {
	mkdir -p "$ISO_WORK"
	if [ ! -f "$ISO_WORK/check.iso" ] || [ -n "$(find build/tenxen.iso tests/iso/answers -newer "$ISO_WORK/check.iso" 2> /dev/null)" ]; then
		iso/build-iso.sh "$ISO_WORK/check.iso" build/env build/payload "$(ls build/deb/tenxen_*.deb)" tests/iso/answers > /dev/null || return 1
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

# iso_install_check NAME ANSWERS QEMU-DISK-ARGS...: install from the check ISO with the answer file
# /tenxen/answers/ANSWERS (or the URL ANSWERS; ISO_KARGS: more of the kernel's options) onto the disks (each new: WORK/X.img files are made before by the
# caller), and wait for the installer to power off. The guest's kernel has stopped all I/O to a
# mirror under TCG (tar, jbd2 and kworkers "blocked for more than 120 seconds", the disk images
# no longer written): dm-mirror's worker waiting in writeback throttling, which the installer
# environment now turns off (iso/init). Should it come back, that is said on a line starting
# "note: emulator stall" (tests/run.sh puts it in the test's summary line) and the install runs
# once more on new disks; a second hang fails. The caller lists its image files in ISO_IMAGES.
iso_install_check() {
	local name=$1 answers=$2 attempt
	shift 2
	for attempt in 1 2; do
		rm -f "${ISO_IMAGES[@]}"
		truncate -s 8G "${ISO_IMAGES[@]}"
		qvm_start "$ISO_WORK" "$name" 1800 -m 1024 -cdrom "$ISO_WORK/check.iso" -boot d "$@" "${ISO_NET[@]}"
		case $answers in
			*://*) qvm_iso_menu "tenxen.answers=$answers${ISO_KARGS:+ $ISO_KARGS}" ;;
			*) qvm_iso_menu "tenxen.answers=/tenxen/answers/$answers${ISO_KARGS:+ $ISO_KARGS}" ;;
		esac || fail "the ISO's boot menu did not appear"
		qvm_wait 'TENXEN-INSTALL-(OK|FAILED)|blocked for more than [0-9]+ seconds' 1800 || fail "the install of $answers did not end"
		grep -q 'TENXEN-INSTALL-' "$QVM_LOG.txt" && break
		qvm_end 0
		qvm_stall_in_io "$QVM_LOG.txt" ||
			fail "a task of the install hung, not waiting on the disk: not an emulator stall, so not run again; see $QVM_LOG.txt"
		[ $attempt = 1 ] || fail "the guest's kernel hung in I/O again (tasks blocked for more than 120 s)"
		echo "note: emulator stall: the guest's kernel hung in I/O (tasks blocked for more than 120 s) while installing $answers; the install ran again"
		cp "$QVM_LOG.txt" "$ISO_WORK/$name-hung.log.txt"
	done
	qvm_end 60
	grep -q TENXEN-INSTALL-OK "$QVM_LOG.txt" || fail "the install of $answers failed"
	grep -q 'powering off' "$QVM_LOG.txt" || fail "the installer did not power off as $answers says"
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
# silent), stop the VM, and end the test
fail() {
	echo "FAIL: $1"
	[ -n "${QVM_LOG:-}" ] && [ -f "$QVM_LOG.txt" ] && { echo "--- the console ($QVM_LOG.txt), last lines:"; tail -n 25 "$QVM_LOG.txt"; }
	xen_dump
	# a VM left running would take a core from every test after this one
	[ -n "${QVM_PID:-}" ] && kill "$QVM_PID" 2> /dev/null
	exit 1
}
