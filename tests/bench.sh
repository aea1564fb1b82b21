#!/bin/bash
# make bench, in one run:
#  1. the planner: check + plan with 11 and with 1001 logical volumes (time per volume);
#  2. the storage phase of an install (mirror layout, two disks) on 4 GiB and on 64 GiB sparse
#     disks in the same virtual machine; the goal is a ratio of at most 1.1: what an install
#     costs follows what it writes, not the size of the disks.
set -eu
cd "$(dirname "$0")/.."
export ASAN_OPTIONS=${ASAN_OPTIONS:-suppressions=$PWD/tests/asan.supp}
TENXEN=${TENXEN:-build/tenxen}
d=build/bench
mkdir -p "$d"
make_file() {
	local n=$1 f=$2
	{
		echo '#version=1'
		echo 'disk a --path=/dev/sda'
		echo 'disk b --path=/dev/sdb'
		echo 'clearpart a,b'
		echo 'part /boot --size=512M --disks=a,b'
		echo 'volgroup vg0 --disks=a,b'
		echo 'logvol / --vg=vg0 --name=root --size=20G --mirrors=1 --mirrorlog=core'
		for i in $(seq 1 "$n"); do echo "logvol /srv/v$i --vg=vg0 --name=v$i --size=64M"; done
		echo 'rootpw --lock'
	} > "$f"
}
time_runs() {
	local repeat=$1 start end
	shift
	start=$(date +%s%N)
	for _ in $(seq 1 "$repeat"); do "$@" > /dev/null; done
	end=$(date +%s%N)
	echo "scale=6; ($end - $start) / 1000000000 / $repeat" | bc
}
make_file 10 "$d/small.ks"
make_file 1000 "$d/large.ks"
m=tests/machines/two-identical.json
small=$(time_runs 50 "$TENXEN" plan --answers "$d/small.ks" --machine "$m")
large=$(time_runs 5 "$TENXEN" plan --answers "$d/large.ks" --machine "$m")
per_small=$(echo "scale=9; $small / 11" | bc)
per_large=$(echo "scale=9; $large / 1001" | bc)
echo "1. planner"
printf '   %-34s %12s %16s\n' "check + plan, 2 disks" "seconds" "ms per volume"
printf '   %-34s %12.4f %16.4f\n' "11 logical volumes" "$small" "$(echo "$per_small * 1000" | bc)"
printf '   %-34s %12.4f %16.4f\n' "1001 logical volumes" "$large" "$(echo "$per_large * 1000" | bc)"
printf '   per-volume ratio (1001 / 11): %.2f  (1.0 = linear; startup dominates the small file)\n' \
	"$(echo "scale=4; $per_large / $per_small" | bc)"

echo "2. storage phase, mirror layout on two sparse disks, same VM"
[ -f build/env/initrd.img ] || make -s env
. tests/lib/harness.sh
storage_seconds() {
	local size=$1 work="$d/vm-$1"
	rm -rf "$work" && mkdir -p "$work/answers"
	printf 'a %s TXDISK-A\nb %s TXDISK-B\n' "$size" "$size" > "$work/disks"
	truncate -s "$size" "$work/a.img" "$work/b.img"
	cat > "$work/answers/answers.ks" << 'KS'
#version=1
disk a --serial=TXDISK-A
disk b --serial=TXDISK-B
clearpart a,b
part /boot --size=256M --disks=a,b
volgroup vg0 --disks=a,b
logvol /    --vg=vg0 --name=root --size=2G --mirrors=1 --mirrorlog=core
logvol swap --vg=vg0 --name=swap --size=512M --mirrors=1 --mirrorlog=core
logvol -    --vg=vg0 --name=guests --size=100%FREE --mirrors=1 --mirrorlog=core
rootpw --lock
KS
	answers_disk "$work/answers" "$work/answers.img"
	vm_boot_once_more "$work" "tenxen.answers=label:TXANSWERS:/answers.ks tenxen.atexit=poweroff" \
		"$work/console.log" 600 "TENXEN-INSTALL-" > /dev/null ||
		{ echo "the install on $size disks did not finish: $work/console.log" >&2; return 1; }
	grep -o 'storage done in [0-9.]* s' "$work/console.log.txt" | grep -o '[0-9.]*' ||
		{ echo "the install on $size disks failed: $work/console.log" >&2; return 1; }
}
s4=$(storage_seconds 4G)
s64=$(storage_seconds 64G)
printf '   %-34s %12s\n' "disks" "seconds"
printf '   %-34s %12.1f\n' "2 x 4 GiB" "$s4"
printf '   %-34s %12.1f\n' "2 x 64 GiB" "$s64"
printf '   ratio 64 GiB / 4 GiB: %.2f  (goal: at most 1.10)\n' "$(echo "scale=4; $s64 / $s4" | bc)"
