# Booting the install ISO and installed disks in qemu, for `make demo` and the tests: TCG always,
# every run under timeout, its serial console in a log that is watched for markers, and keys
# typed on that console (the ISO's boot menu listens there too). The installer runs on two
# virtual CPUs, as any host Xen is installed on has several: under TCG each is a thread of its
# own, so its pipelines (zstd beside tar, the kernel's writeback) run side by side. An installed
# host boots with QVM_SMP=1, as its boots have been tested longest: Xen's boot is not what an
# install's speed is measured on.
#
#   qvm_start WORK NAME SECONDS QEMU-ARGS...   start; the console goes to WORK/NAME.log
#   qvm_wait PATTERN SECONDS                   0 when the console shows PATTERN (grep -E)
#   qvm_keys TEXT                              type TEXT (printf escapes) on the console
#   qvm_end [SECONDS]                          wait for qemu to end by itself, then stop it;
#                                              QVM_STATUS is how it ended (0: by itself, as
#                                              at a power-off; 124: its timeout; 143: stopped)
#   qvm_powered_off                            0 when qemu ended by itself (a power-off), not
#                                              by its timeout or by qvm_end
# With QVM_MONITOR=1, qvm_start also opens qemu's monitor (tests/lib/vga.sh speaks to it).
# The variables QVM_LOG (the console, carriage returns removed: QVM_LOG.txt) and QVM_PID.
# QVM_CPU: the emulator and CPU every VM of the project runs with (the tests' harnesses too).

QVM_CPU=(-accel tcg -cpu qemu64)
QVM_DOWN=$'\e[B'

qvm_start() {
	local work=$1 name=$2 secs=$3
	shift 3
	QVM_LOG=$work/$name.log
	rm -f "$work/$name.in" "$QVM_LOG" "$QVM_LOG.txt"
	mkfifo "$work/$name.in"
	: > "$QVM_LOG"
	local monitor=(-monitor none)
	if [ -n "${QVM_MONITOR:-}" ]; then
		rm -f "$work/$name.mon.in" "$work/$name.mon.out"
		mkfifo "$work/$name.mon.in" "$work/$name.mon.out"
		monitor=(-chardev "pipe,id=mon0,path=$work/$name.mon" -mon chardev=mon0,mode=readline)
	fi
	timeout "$secs" qemu-system-x86_64 "${QVM_CPU[@]}" -smp "${QVM_SMP:-2}" -display none -no-reboot \
		"${monitor[@]}" -serial stdio "$@" < "$work/$name.in" > "$QVM_LOG" 2> "$QVM_LOG.qemu" &
	QVM_PID=$!
	exec {QVM_IN}> "$work/$name.in"
	if [ -n "${QVM_MONITOR:-}" ]; then
		QVM_MON=$work/$name.mon.log
		: > "$QVM_MON"
		cat "$work/$name.mon.out" >> "$QVM_MON" &
		exec {QVM_MON_IN}> "$work/$name.mon.in"
	fi
	QVM_T0=$(date +%s)
}

qvm_text() { tr -d '\r' < "$QVM_LOG" | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g' > "$QVM_LOG.txt"; }

qvm_wait() {
	local pattern=$1 secs=$2 t=0
	while [ $t -lt "$secs" ]; do
		qvm_text
		grep -Eq "$pattern" "$QVM_LOG.txt" && return 0
		kill -0 "$QVM_PID" 2> /dev/null || break
		sleep 1
		t=$((t + 1))
	done
	qvm_text
	grep -Eq "$pattern" "$QVM_LOG.txt"
}

qvm_keys() { printf "$1" >&"$QVM_IN"; }

qvm_end() {
	local secs=${1:-0}
	for _ in $(seq 1 "$secs"); do kill -0 "$QVM_PID" 2> /dev/null || break; sleep 1; done
	kill "$QVM_PID" 2> /dev/null || true
	QVM_STATUS=0
	wait "$QVM_PID" 2> /dev/null || QVM_STATUS=$?
	exec {QVM_IN}>&-
	[ -n "${QVM_MON_IN:-}" ] && exec {QVM_MON_IN}>&- && unset QVM_MON_IN
	qvm_text
	return 0
}

# qvm_stall_in_io LOG: the kernel's hung-task report in LOG (a console log) shows a task waiting
# on the disk (io_schedule in its trace): the emulator's I/O stalled under TCG, and a test may
# run the VM again. A task blocked elsewhere (a lock, device-mapper, a hang of Tenxen's own) is
# not that, and is never retried.
qvm_stall_in_io() {
	grep -q "blocked for more than" "$1" && grep -A60 "blocked for more than" "$1" | grep -q "io_schedule"
}

# "qemu is gone" is no power-off: timeout's kill (124) or qvm_end's (143) is a hang
qvm_powered_off() { [ "${QVM_STATUS:-1}" = 0 ]; }

# qvm_seconds: since qvm_start
qvm_seconds() { echo $(($(date +%s) - QVM_T0)); }

# qvm_disks WORK ALIAS SERIAL...: qemu arguments for WORK/ALIAS.img as virtio disks with serials
# Blocks the guest writes as zeros, or discards, stay holes in the image files (an install's
# mirror legs are mostly zeros resynced); a write the build machine's disk cannot take (it is
# full) is an I/O error in the guest, which fails the install at once, instead of qemu's default
# of pausing the VM until the test's time runs out.
QVM_DISK_OPTS=discard=unmap,detect-zeroes=unmap,werror=report,rerror=report
qvm_disks() {
	local work=$1 i=0
	shift
	while [ $# -ge 2 ]; do
		printf '%s\n' -drive "if=none,id=d$i,file=$work/$1.img,format=raw,cache=unsafe,$QVM_DISK_OPTS" \
			-device "virtio-blk-pci,drive=d$i,serial=$2"
		i=$((i + 1))
		shift 2
	done
}

# qvm_iso_menu [ARGS]: pick the menu's Unattended entry; with ARGS, add them to its command line
# UEFI: OVMF, Debian's UEFI firmware for qemu. qvm_uefi VARS prints the arguments for a machine
# whose NVRAM (its boot entries) is the file VARS, made from OVMF's blank template when missing.
QVM_OVMF_CODE=/usr/share/OVMF/OVMF_CODE_4M.fd
QVM_OVMF_VARS=/usr/share/OVMF/OVMF_VARS_4M.fd
qvm_uefi() {
	[ -f "$1" ] || cp "$QVM_OVMF_VARS" "$1" || return 1
	printf '%s\n' -machine q35 -drive "if=pflash,format=raw,readonly=on,file=$QVM_OVMF_CODE" \
		-drive "if=pflash,format=raw,file=$1"
}

# qvm_usb_disk FILE: a file as a USB stick (read-only), as the ISO is written to one
qvm_usb_disk() {
	printf '%s\n' -device qemu-xhci -drive "if=none,id=usb0,file=$1,format=raw,readonly=on" \
		-device usb-storage,drive=usb0
}

qvm_iso_menu() {
	qvm_wait 'Rescue shell' 120 || return 1
	sleep 1
	if [ -n "${1:-}" ]; then
		qvm_keys "$QVM_DOWN$QVM_DOWN\t"
		sleep 1
		qvm_keys " $1\r"
	else
		qvm_keys "$QVM_DOWN$QVM_DOWN\r"
	fi
}
