# Helpers for the virtual-machine tests: the Debian packages (iso/debs.sh), a probe initrd, and
# booting a disk under qemu.
. iso/debs.sh
. iso/qemu.sh

# probe_initrd OUT: a busybox initrd whose /init reports what dom0 sees on com2 (/dev/ttyS1),
# ending with TENXEN-DONE, then reboots (qemu runs with -no-reboot, so it exits)
probe_initrd() {
	local out=$1 dir
	dir=$(mktemp -d)
	mkdir -p "$dir/bin" "$dir/proc" "$dir/sys" "$dir/dev"
	cp "$BUSYBOX" "$dir/bin/busybox"
	for a in sh mount cat echo reboot sleep mkdir readlink; do ln -s busybox "$dir/bin/$a"; done
	cat > "$dir/init" << 'INIT'
#!/bin/busybox sh
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
say() { echo "$*" > /dev/ttyS1; echo "$*"; }
say "TENXEN-DOM0 up"
say "TENXEN-HYPERVISOR $(cat /sys/hypervisor/type 2> /dev/null || echo none)"
say "TENXEN-CONSOLE $(cat /sys/class/tty/console/active)"
say "TENXEN-CMDLINE $(cat /proc/cmdline)"
say "TENXEN-DONE"
reboot -f
INIT
	chmod +x "$dir/init"
	(cd "$dir" && find . | cpio -o -H newc --quiet | gzip -1) > "$out"
	rm -rf "$dir"
}

# boot_vm DISK LOGDIR SECONDS: boot a raw disk under TCG until TENXEN-DONE shows on com2 (or the
# deadline); com1 and com2 are kept in LOGDIR. Returns 0 when the marker came.
boot_vm() {
	local disk=$1 logs=$2 secs=$3 pid t=0
	mkdir -p "$logs" && : > "$logs/com1.log" && : > "$logs/com2.log"
	timeout "$secs" qemu-system-x86_64 "${QVM_CPU[@]}" -m 1024 -display none -no-reboot \
		-monitor none -serial "file:$logs/com1.log" -serial "file:$logs/com2.log" \
		-drive "file=$disk,format=raw,if=ide" > "$logs/qemu.out" 2>&1 &
	pid=$!
	while [ $t -lt "$secs" ]; do
		grep -q TENXEN-DONE "$logs/com2.log" 2> /dev/null && break
		kill -0 $pid 2> /dev/null || break
		sleep 1; t=$((t + 1))
	done
	sleep 1
	kill $pid 2> /dev/null; wait $pid 2> /dev/null
	echo "booted in about ${t} s" > "$logs/time"
	tr -d '\r' < "$logs/com2.log" > "$logs/com2.txt" # the tty wrote \r\n
	grep -q TENXEN-DONE "$logs/com2.txt"
}
