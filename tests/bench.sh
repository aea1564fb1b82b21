#!/bin/bash
# make bench: how the planner's time grows with the answer file. The same layout with 10 and with
# 1000 logical volumes, checked and planned against one machine profile, in one run; the ratio of
# time per volume should stay near 1 (the work grows with the file, not faster).
set -eu
cd "$(dirname "$0")/.."
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
# seconds for REPEAT runs of a command, as a decimal
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
printf '%-34s %12s %16s\n' "plan (check + plan, 2 disks)" "seconds" "ms per volume"
printf '%-34s %12.4f %16.4f\n' "11 logical volumes" "$small" "$(echo "$per_small * 1000" | bc)"
printf '%-34s %12.4f %16.4f\n' "1001 logical volumes" "$large" "$(echo "$per_large * 1000" | bc)"
printf 'per-volume ratio (1001 / 11): %.2f  (1.0 = linear; startup dominates the small file)\n' \
	"$(echo "scale=4; $per_large / $per_small" | bc)"
