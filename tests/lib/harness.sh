# The virtual-machine harness: boots Tenxen's installer environment in qemu (TCG, under timeout)
# with sparse virtual disks and an answer file, captures the serial console, waits for markers
# with deadlines, and judges the scenario. On failure the console log and the disk images stay
# in build/check/vm-NAME and the failure says where.
#
# A scenario is a folder tests/vm/scenarios/NAME holding:
#   disks        one line per disk: ALIAS SIZE SERIAL [keep]   ("keep": must come out unchanged)
#   answers.ks   the answer file
#   expect       "ok", or "refused: TEXT" / "failed: TEXT" (TEXT must appear on the console)
#   setup.sh     (optional) run here first, with DISK_<ALIAS> naming each image (old signatures
#                a file can hold: a partition table, a filesystem)
#   prep.sh      (optional) run in a first boot, to leave what needs the VM's kernel (an md
#                superblock, an old volume group)
#   verify.sh    (optional) run in the guest after the install; prints "CHECK ok|FAIL WHAT"
#   host.sh      (optional) run here afterwards, with DISK_<ALIAS> naming each image
#   rerun        (optional) "fault=STEP": the first boot fails on purpose after STEP, a second
#                boot of the same install must succeed
set -u
. iso/qemu.sh
ENV_DIR=${ENV_DIR:-build/env}

# answers_disk DIR IMG: an ext2 image labelled TXANSWERS holding DIR's files
answers_disk() {
	rm -f "$2" && truncate -s 16M "$2" && mke2fs -q -t ext2 -L TXANSWERS -d "$1" "$2"
}

# vm_boot WORK APPEND LOG SECONDS MARKER: boot the environment with WORK's disks; wait for MARKER.
# Returns 0 when it came, 2 when the kernel reported a task stuck waiting on the disk (an emulator
# stall under TCG: "blocked for more than" 20 s, the threshold these short boots set, with
# io_schedule in its trace; qvm_stall_in_io), 1 otherwise, a hang of any other kind included.
vm_boot() {
	local work=$1 append=$2 log=$3 secs=$4 marker=$5 pid t=0 drives=() i=0
	while read -r alias size serial rest; do
		[ -n "$alias" ] || continue
		drives+=(-drive "if=none,id=d$i,file=$work/$alias.img,format=raw,cache=unsafe,$QVM_DISK_OPTS"
			-device "virtio-blk-pci,drive=d$i,serial=$serial")
		i=$((i + 1))
	done < "$work/disks"
	drives+=(-drive "if=none,id=ans,file=$work/answers.img,format=raw,readonly=on"
		-device "virtio-blk-pci,drive=ans,serial=TXANSWERS")
	: > "$log"
	timeout "$secs" qemu-system-x86_64 "${QVM_CPU[@]}" -smp 2 -m 1024 -display none \
		-no-reboot -monitor none -serial "file:$log" -kernel "$ENV_DIR/vmlinuz" \
		-initrd "$ENV_DIR/initrd.img" \
		-append "console=ttyS0 panic=10 sysctl.kernel.hung_task_timeout_secs=20 $append" \
		"${drives[@]}" > "$log.qemu" 2>&1 &
	pid=$!
	while [ $t -lt "$secs" ]; do
		grep -q "$marker" "$log" 2> /dev/null && break
		grep -q "blocked for more than" "$log" 2> /dev/null && break
		kill -0 $pid 2> /dev/null || break
		sleep 1; t=$((t + 1))
	done
	# let it power off by itself; then make sure
	for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 $pid 2> /dev/null || break; sleep 1; done
	kill $pid 2> /dev/null; wait $pid 2> /dev/null
	tr -d '\r' < "$log" > "$log.txt"
	echo "$t" > "$log.seconds"
	grep -q "$marker" "$log.txt" && return 0
	qvm_stall_in_io "$log.txt" && return 2
	grep -q "blocked for more than" "$log.txt" &&
		echo "a task hung, not waiting on the disk (see $log): not an emulator stall, not run again"
	return 1
}

# vm_boot_once_more ARGS...: vm_boot, booted a second time when the first stalled in the
# emulator (the install itself copes with a half-done first run); says so on stdout
vm_boot_once_more() {
	vm_boot "$@"
	local rc=$?
	if [ $rc -eq 2 ]; then
		cp "$3" "$3.stalled"
		echo "the VM stalled in the emulator (a task blocked in I/O, see $3.stalled); booting it again"
		vm_boot "$@"
		rc=$?
	fi
	return $rc
}

# run_scenario NAME: prints what it did; returns 0 when the scenario passes
run_scenario() {
	local name=$1 src="tests/vm/scenarios/$1" work="${OUT:-build/check}/vm-$1" expect fault=""
	local why=""
	rm -rf "$work" && mkdir -p "$work/answers/extra"
	grep -v '^#' "$src/disks" > "$work/disks"
	while read -r alias size serial rest; do
		[ -n "$alias" ] && truncate -s "$size" "$work/$alias.img"
	done < "$work/disks"
	if [ -f "$src/setup.sh" ]; then
		( while read -r alias size serial rest; do export "DISK_$alias=$work/$alias.img"; done < "$work/disks"
		  bash "$src/setup.sh" ) > "$work/setup.out" 2>&1 || { echo "FAILED: setup.sh: $(tail -3 "$work/setup.out")"; return 1; }
	fi
	if [ -f "$src/prep.sh" ]; then
		mkdir -p "$work/prep" && cp "$src/prep.sh" "$work/prep/prep.sh"
		answers_disk "$work/prep" "$work/answers.img"
		vm_boot_once_more "$work" "tenxen.script=label:TXANSWERS:/prep.sh tenxen.atexit=poweroff" \
			"$work/prep.log" 300 "TENXEN-SCRIPT-DONE rc=0" ||
			{ echo "FAILED: the preparing boot did not finish; see $work/prep.log"; return 1; }
	fi
	while read -r alias size serial rest; do
		[ "$rest" = keep ] && sha256sum "$work/$alias.img" | cut -d' ' -f1 > "$work/$alias.before"
	done < "$work/disks"
	cp "$src/answers.ks" "$work/answers/answers.ks"
	[ -f "$src/verify.sh" ] && install -m 0755 "$src/verify.sh" "$work/answers/extra/verify.sh"
	answers_disk "$work/answers" "$work/answers.img"
	[ -f "$src/rerun" ] && fault=$(sed -n 's/^fault=//p' "$src/rerun")
	if [ -n "$fault" ]; then
		vm_boot_once_more "$work" "tenxen.storage-only tenxen.answers=label:TXANSWERS:/answers.ks tenxen.atexit=poweroff tenxen.fault=$fault" \
			"$work/first.log" 300 "TENXEN-INSTALL-" || { echo "FAILED: no end to the first boot; see $work/first.log"; return 1; }
		grep -q "TENXEN-INSTALL-FAILED" "$work/first.log.txt" ||
			{ echo "FAILED: the injected fault did not stop the first install; see $work/first.log"; return 1; }
		# stopped by the fault it was given, right after that step, and by nothing else
		grep -q "a fault was injected after this step, as TENXEN_FAULT_AFTER=$fault asks" "$work/first.log.txt" &&
			grep -Eq "the install stopped at step [0-9]+ \($fault " "$work/first.log.txt" ||
			{ echo "FAILED: the first install failed, but not by the fault after $fault; see $work/first.log"; return 1; }
		echo "first boot: stopped by the fault after $fault, as asked"
	fi
	vm_boot_once_more "$work" "tenxen.storage-only tenxen.answers=label:TXANSWERS:/answers.ks tenxen.atexit=poweroff" \
		"$work/console.log" 300 "TENXEN-VERIFY-END\|TENXEN-INSTALL-FAILED" ||
		{ echo "FAILED: the install did not finish in time; see $work/console.log"; return 1; }
	echo "install boot took $(cat "$work/console.log.seconds") s"
	expect=$(cat "$src/expect")
	case $expect in
		ok)
			grep -q "TENXEN-INSTALL-OK" "$work/console.log.txt" || why="the install failed"
			grep -q "CHECK FAIL" "$work/console.log.txt" && why="an in-guest check failed"
			[ -f "$src/verify.sh" ] && ! grep -q "TENXEN-VERIFY-END rc=0" "$work/console.log.txt" &&
				why="${why:-the in-guest checks did not all pass}" ;;
		*)
			grep -q "TENXEN-INSTALL-FAILED" "$work/console.log.txt" || why="the install did not fail"
			grep -qF -- "${expect#*: }" "$work/console.log.txt" || why="${why:-the console does not say: ${expect#*: }}" ;;
	esac
	grep "CHECK " "$work/console.log.txt"
	while read -r alias size serial rest; do
		if [ "$rest" = keep ] && [ "$(sha256sum "$work/$alias.img" | cut -d' ' -f1)" != "$(cat "$work/$alias.before")" ]; then
			why="${why:-disk $alias changed although the install had to leave it alone}"
		fi
		[ "$rest" = keep ] && [ -z "$why" ] && echo "disk $alias: unchanged (sha256)"
	done < "$work/disks"
	if [ -z "$why" ] && [ -f "$src/host.sh" ]; then
		( while read -r alias size serial rest; do export "DISK_$alias=$work/$alias.img"; done < "$work/disks"
		  export TENXEN_BIN=${TENXEN:-build/san/tenxen}
		  bash "$src/host.sh" ) > "$work/host.out" 2>&1 || why="a check on the build machine failed: $(tail -3 "$work/host.out")"
		cat "$work/host.out"
	fi
	if [ -n "$why" ]; then
		echo "FAILED: $why; the console log is $work/console.log, the disks are in $work"
		return 1
	fi
	# passed: its disks go (a run of tier 3 must fit on a small build machine); a failed one's stay
	[ "${TENXEN_KEEP_DISKS:-}" = 1 ] || rm -f "$work"/*.img
	echo "scenario $name: $expect"
}
