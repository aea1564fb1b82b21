#!/bin/bash
# make bench, in one run:
#  1. the planner: check + plan with 11 and with 1001 logical volumes (time per volume);
#  2. the storage phase of an install (mirror layout, two disks) on 4 GiB and on 64 GiB sparse
#     disks in the same virtual machine; the goal is a ratio of at most 1.1: what an install
#     costs follows what it writes, not the size of the disks.
#  3. the install ISO: its size and parts; the menu's unattended install against writing the
#     same payload bytes raw to the same virtual disk in the same VM, in alternating rounds
#     (BENCH_ROUNDS, 3; goal: at most 1.5 in the median round), with the time of each phase;
#     the same host installed on that one disk alone; the smallest memory (256, 384, 512,
#     768 MiB) the unattended install succeeds with.
#  4. hostile sizes: an answer file of 20,000 and of 200,000 continuation lines, and an
#     extlinux.conf of 1,600 and of 16,000 entries read and edited; each ratio is about 10 when
#     the time grows linearly (it once grew with the square: 4 minutes, 19 seconds).
#  5. UEFI against BIOS: the same answer file installed under OVMF and under SeaBIOS in alternating
#     rounds (BENCH_FW_ROUNDS, 3; goal: a ratio of at most 1.1 in the median round); the ISO with and without its UEFI
#     boot files (goal: at most 30 MB more).
#  6. a rack by PXE (tests/bench-pxe.sh): one host alone, then three at once from one web server.
#  7. I/O by kind of logical volume (tests/bench-io.sh): linear, mirrors with a core log, a disk
#     log apart and a disk log on a leg, raid1; fio's sequential, random and O_DSYNC writes.
#  BENCH_ONLY=iso runs the third part and the fifth alone; BENCH_ONLY=pxe the sixth; io the seventh.
set -eu
cd "$(dirname "$0")/.."
export ASAN_OPTIONS=${ASAN_OPTIONS:-suppressions=$PWD/tests/asan.supp}
TENXEN=${TENXEN:-build/tenxen}
d=build/bench
mkdir -p "$d"
[ "${BENCH_ONLY:-}" != pxe ] || exec tests/bench-pxe.sh
[ "${BENCH_ONLY:-}" != io ] || exec tests/bench-io.sh
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
if [ "${BENCH_ONLY:-}" != iso ]; then
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

echo "4. inputs that grow: time as the input grows tenfold (about 10 when linear)"
continued() { { echo '#version=1'; echo 'packages @profiler \'; for i in $(seq 1 "$1"); do echo "  pkg$i \\"; done; echo '  last'; } > "$2"; }
entries() {
	{ echo 'DEFAULT l0'
	  for i in $(seq 0 "$1"); do printf 'LABEL l%d\n  KERNEL mboot.c32\n  APPEND /xen.gz dom0_mem=1G --- /vmlinuz root=/dev/sda1 --- /initrd.img\n' "$i"; done
	} > "$2"
}
continued 20000 "$d/cont-20k.ks"; continued 200000 "$d/cont-200k.ks"
entries 1600 "$d/e-1600.conf"; entries 16000 "$d/e-16000.conf"
# check exits 1 (the packages are not all known sets): its time is what is measured
c20=$(time_runs 3 sh -c "\"$TENXEN\" check $d/cont-20k.ks 2> /dev/null || true")
c200=$(time_runs 3 sh -c "\"$TENXEN\" check $d/cont-200k.ks 2> /dev/null || true")
e1=$(time_runs 3 sh -c "\"$TENXEN\" bootcfg --config $d/e-1600.conf set dom0_mem=2G --dry-run > /dev/null 2>&1 || true")
e16=$(time_runs 3 sh -c "\"$TENXEN\" bootcfg --config $d/e-16000.conf set dom0_mem=2G --dry-run > /dev/null 2>&1 || true")
printf '   %-34s %10.3f s %10.3f s   ratio %.1f\n' "20k / 200k continuation lines" "$c20" "$c200" "$(echo "scale=2; $c200 / $c20" | bc)"
printf '   %-34s %10.3f s %10.3f s   ratio %.1f\n' "1.6k / 16k extlinux entries, set" "$e1" "$e16" "$(echo "scale=2; $e16 / $e1" | bc)"

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
	vm_boot_once_more "$work" "tenxen.storage-only tenxen.answers=label:TXANSWERS:/answers.ks tenxen.atexit=poweroff" \
		"$work/console.log" 600 "TENXEN-INSTALL-" > /dev/null ||
		{ echo "the install on $size disks did not finish: $work/console.log" >&2; return 1; }
	grep -o 'storage done in [0-9.]* s' "$work/console.log.txt" | grep -o '[0-9.]*' ||
		{ echo "the install on $size disks failed: $work/console.log" >&2; return 1; }
	# a boot that stalled in the emulator was booted again: its time is the second boot's, on
	# disks the first left half done, and the figure says so
	[ ! -f "$work/console.log.stalled" ] ||
		echo "   note: the $size run stalled in the emulator once; its time is of the second boot" >&2
}
s4=$(storage_seconds 4G)
s64=$(storage_seconds 64G)
printf '   %-34s %12s\n' "disks" "seconds"
printf '   %-34s %12.1f\n' "2 x 4 GiB" "$s4"
printf '   %-34s %12.1f\n' "2 x 64 GiB" "$s64"
printf '   ratio 64 GiB / 4 GiB: %.2f  (goal: at most 1.10)\n' "$(echo "scale=4; $s64 / $s4" | bc)"
fi

echo "3. the install ISO"
. tests/lib/harness.sh
. iso/qemu.sh
iso=build/tenxen.iso
[ -f "$iso" ] || make -s iso
w=$d/iso
mkdir -p "$w/answers"
printf '   %-34s %12s\n' "what" "MiB"
printf '   %-34s %12.1f\n' "ISO ($iso)" "$(echo "scale=1; $(stat -c %s "$iso") / 1048576" | bc)"
printf '   %-34s %12.1f\n' "  dom0 root, ext4 image, zstd" "$(echo "scale=1; $(stat -c %s build/payload/root.img.zst) / 1048576" | bc)"
printf '   %-34s %12.1f\n' "  its /boot, zstd" "$(echo "scale=1; $(stat -c %s build/payload/boot.tar.zst) / 1048576" | bc)"
printf '   %-34s %12.1f\n' "  package repository" "$(echo "scale=1; $(du -sb build/payload/repo | cut -f1) / 1048576" | bc)"
[ ! -d build/payload/layers ] ||
	printf '   %-34s %12.1f\n' "  package sets' prebuilt layers" "$(echo "scale=1; $(du -sb build/payload/layers | cut -f1) / 1048576" | bc)"
printf '   %-34s %12.1f\n' "  installer environment" "$(echo "scale=1; ($(stat -c %s build/env/initrd.img) + $(stat -c %s build/env/vmlinuz)) / 1048576" | bc)"

# iso_install MEM: the menu's unattended install (iso/answers/unattended.ks) onto two blank
# disks in a VM with MEM MiB; prints the phases line, or nothing when the install failed
iso_install() { # MEM [ISO ANSWERS]
	rm -f "$w/a.img" "$w/b.img" && truncate -s 8G "$w/a.img" "$w/b.img"
	mapfile -t disks < <(qvm_disks "$w" a TENXEN-DEMO-A b TENXEN-DEMO-B)
	qvm_start "$w" "install-$1" 1500 -m "$1" -cdrom "${2:-$iso}" -boot d "${disks[@]}" \
		-netdev user,id=n0 -device virtio-net-pci,netdev=n0
	qvm_iso_menu "panic=10${3:+ tenxen.answers=$3}" || { qvm_end; return 1; }
	qvm_wait 'TENXEN-INSTALL-(OK|FAILED)|Kernel panic|Out of memory' 1500
	qvm_end 30
	grep -q TENXEN-INSTALL-OK "$QVM_LOG.txt" && grep -o 'phases: .*' "$QVM_LOG.txt" | tail -1
}

# The install against the raw write, in rounds in one VM: each round writes the payload's bytes
# raw to the first disk (one stream with O_DIRECT, one through the page cache, two streams with
# O_DIRECT), then installs the demo host onto both disks with the menu's answer file, the way the
# ISO's init runs it. Each of these starts with the guest's caches dropped, so that each reads
# the medium as a fresh boot does (the install always did; a raw write after another one would
# read it from memory). One VM for both, and the rounds alternating, so that the emulator's slow
# spells (a single install has ranged from 19 to 30 s on one machine) fall on both sides; the
# goal is judged on the median round (docs/iso.md, "How the install is measured").
rounds=${BENCH_ROUNDS:-3}
# the root's image is written in the storage phase (its mkfs), the layers in the unpack phase:
# the seconds of both, from a phases line
written_of() { awk -F', ' '{ for (i = 1; i <= NF; i++) if ($i ~ /^(phases: )?(storage|unpack) /) { n = split($i, a, " "); s += a[n - 1] } } END { print s }' <<< "$1"; }
cat > "$w/answers/rounds.sh" << SH
rounds=$rounds
SH
cat >> "$w/answers/rounds.sh" << 'SH'
M=/run/tenxen/medium/tenxen
up() { cut -d' ' -f1 /proc/uptime; }
cold() { sync; echo 3 > /proc/sys/vm/drop_caches; }
# what the unattended install reads: the root, tenxen, and its package sets (their prebuilt
# layer when the medium has one, else the repository's packages)
L=$M/layers/guest-templates+profiler.tar.zst
if [ -f "$L" ]; then sets=$L; else sets=$(ls $M/repo/*.deb); L=; fi
cold
t0=$(up)
cat $M/root.img.zst $M/boot.tar.zst $M/repo/tenxen_*.deb $sets | dd of=/dev/vda bs=4M conv=fsync 2> /dev/null
t1=$(up)
cold
t2=$(up)
zstd -dc $M/root.img.zst $M/boot.tar.zst $L > /dev/null
t3=$(up)
unpacked=$(zstd -dc $M/root.img.zst $M/boot.tar.zst $L | wc -c)
packed=$(cat $M/root.img.zst $M/boot.tar.zst $M/repo/tenxen_*.deb $sets | wc -c)
echo "TENXEN-RAW packed $packed $t0 $t1 unpacked $unpacked decompress $t2 $t3"
for n in $(seq 1 $rounds); do
	# bypassing the page cache, as the installer writes the root's image (which it decompresses
	# on both CPUs, where zstd -dc uses one)
	cold
	a=$(up)
	zstd -dc $M/root.img.zst $M/boot.tar.zst $L | dd of=/dev/vda bs=4M iflag=fullblock oflag=direct conv=fsync 2> /dev/null
	b=$(up)
	cold
	c=$(up)
	zstd -dc $M/root.img.zst $M/boot.tar.zst $L | dd of=/dev/vda bs=4M conv=fsync 2> /dev/null
	d=$(up)
	# the same bytes in two streams, one a CPU, as the installer decompresses the root: the first
	# of the root's frames in one, the rest of them, /boot and the sets in the other
	cold
	e=$(up)
	set -- $(awk -v t=$((unpacked / 2)) '$1 == "frame" { z += $2; l += $3; if (l >= t) { print z, l; exit } }' $M/root.img.map)
	head -c $1 $M/root.img.zst | zstd -dc | dd of=/dev/vda bs=4M iflag=fullblock oflag=direct conv=fsync 2> /dev/null &
	{ tail -c +$(($1 + 1)) $M/root.img.zst; cat $M/boot.tar.zst $L; } | zstd -dc |
		dd of=/dev/vda bs=4M seek=$(($2 / 4194304)) iflag=fullblock oflag=direct conv=fsync 2> /dev/null
	wait
	f=$(up)
	cold
	tenxen install --answers $M/answers/unattended.ks --payload $M --log /tmp/install-$n.log > /tmp/install-$n.out 2>&1
	rc=$?
	phases=$(grep -o 'phases: .*' /tmp/install-$n.out | tail -1)
	[ $rc = 0 ] && [ -n "$phases" ] || { echo "TENXEN-ROUND-FAILED $n"; tail -n 15 /tmp/install-$n.log; exit 1; }
	echo "TENXEN-ROUND $n direct $a $b cached $c $d two $e $f $phases"
done
echo "TENXEN-ROUNDS-DONE"
SH
answers_disk "$w/answers" "$w/answers.img"
rm -f "$w/a.img" "$w/b.img" && truncate -s 8G "$w/a.img" "$w/b.img"
mapfile -t disks < <(qvm_disks "$w" a TENXEN-DEMO-A b TENXEN-DEMO-B)
qvm_start "$w" rounds $((300 + rounds * 300)) -m 1024 -cdrom "$iso" -boot d "${disks[@]}" \
	-drive "if=none,id=d9,file=$w/answers.img,format=raw" -device virtio-blk-pci,drive=d9,serial=TXANSWERS
qvm_iso_menu "tenxen.script=label:TXANSWERS:/rounds.sh tenxen.atexit=poweroff" || exit 1
qvm_wait 'TENXEN-ROUNDS-DONE|TENXEN-ROUND-FAILED|TENXEN-SCRIPT-DONE|Kernel panic' $((300 + rounds * 300)) ||
	{ echo "the rounds did not finish: $QVM_LOG.txt" >&2; exit 1; }
qvm_end 30
grep -q TENXEN-ROUNDS-DONE "$QVM_LOG.txt" || { echo "an install in the rounds failed: $QVM_LOG.txt" >&2; exit 1; }
read -r _ _ packed p0 p1 _ unpacked _ z0 z1 <<< "$(grep -o 'TENXEN-RAW .*' "$QVM_LOG.txt")"
raw_packed=$(echo "$p1 - $p0" | bc)
unzstd=$(echo "$z1 - $z0" | bc)
# one line a round: n, O_DIRECT raw, page-cache raw, install, its storage + unpack, ratio
grep -o 'TENXEN-ROUND [0-9].*' "$QVM_LOG.txt" | while read -r _ n _ a b _ c d _ e f rest; do
	direct=$(echo "$b - $a" | bc)
	cached=$(echo "$d - $c" | bc)
	two=$(echo "$f - $e" | bc)
	faster=$(echo "if ($direct < $cached) $direct else $cached" | bc)
	total=$(grep -o 'total [0-9.]*' <<< "$rest" | cut -d' ' -f2)
	echo "$n $direct $cached $total $(written_of "$rest") $(echo "scale=4; $total / $faster" | bc) $faster $two $(echo "scale=4; $total / $two" | bc)"
done > "$w/rounds"
grep -o 'TENXEN-ROUND [0-9].*' "$QVM_LOG.txt" | sed 's/.*phases: /phases: /' > "$w/phases"
[ "$(wc -l < "$w/rounds")" -eq "$rounds" ] || { echo "the rounds gave no figures: $QVM_LOG.txt" >&2; exit 1; }
# the median round, by its ratio
median=$(sort -k6 -n "$w/rounds" | sed -n "$(((rounds + 1) / 2))p")
read -r mn _ _ total written ratio raw_unpacked _ <<< "$median"
phases=$(sed -n "${mn}p" "$w/phases")
echo "   install phases of the median round ($mn of $rounds), 2 CPUs and 1024 MiB, guest clock (seconds):"
echo "$phases" | sed 's/^phases: //; s/, /\n/g' | sed 's/^\(.*\) \([0-9.]*\) s$/     \1 \2/' |
	awk '{ printf "     %-31s %12.1f\n", $1, $2 }'
printf '   %-34s %12s %12s\n' "the same VM, 2 CPUs, 1024 MiB" "MiB" "seconds"
printf '   %-34s %12.1f %12.1f\n' "raw write of the payload files" "$(echo "scale=1; $packed / 1048576" | bc)" "$raw_packed"
printf '   %-34s %12.1f\n' "the unpacked bytes of the payload" "$(echo "scale=1; $unpacked / 1048576" | bc)"
printf '   %-34s %12s %12.1f\n' "zstd -dc alone (into /dev/null)" "" "$unzstd"
printf '   %-6s %10s %10s %10s %10s %10s %8s %8s\n' "round" "raw, dir." "raw, cach." "install" "stor.+unp." "raw, 2x" "ratio" "ratio 2x"
while read -r n direct cached t wr r _ two r2; do
	printf '   %-6s %10.1f %10.1f %10.1f %10.1f %10.1f %8.2f %8.2f\n' "$n" "$direct" "$cached" "$t" "$wr" "$two" "$r" "$r2"
done < "$w/rounds"
printf '   %-34s %12s %12.1f %8.2f\n' "  median round's storage and unpack" "" "$written" "$(echo "scale=4; $written / $raw_unpacked" | bc)"
printf '   %-34s %12s %12s %8.2f\n' "  its install / the packed raw write" "" "" "$(echo "scale=4; $total / $raw_packed" | bc)"
echo "   raw, dir. / raw, cach.: the unpacked bytes, one zstd -dc into dd, with O_DIRECT / through"
echo "   the page cache; raw, 2x: the same in two streams at once, one a CPU, as the installer"
echo "   decompresses. ratio = install, two disks mirrored / the faster of dir. and cach. in the same"
echo "   round (goal: at most 1.5 in the median round: $ratio, round $mn); ratio 2x = install / raw, 2x"
# the same host on the first disk alone (tests/iso/answers/bench-one-disk.ks): the install then
# writes to the very disk the raw write went to, once, where the mirror writes everything twice
. tests/lib/iso.sh
check_iso || { echo "cannot build the check ISO" >&2; exit 1; }
one=$(iso_install 1024 "$ISO_WORK/check.iso" /tenxen/answers/bench-one-disk.ks) ||
	{ echo "the one-disk install from the ISO failed: $QVM_LOG.txt" >&2; exit 1; }
one_total=$(echo "$one" | grep -o 'total [0-9.]*' | cut -d' ' -f2)
one_written=$(written_of "$one")
printf '   %-34s %12s %12.1f %8.2f\n' "install on one disk, no mirror" "" "$one_total" "$(echo "scale=4; $one_total / $raw_unpacked" | bc)"
printf '   %-34s %12s %12.1f %8.2f\n' "  its storage and unpack phases" "" "$one_written" "$(echo "scale=4; $one_written / $raw_unpacked" | bc)"
echo "   (the one-disk install runs in a VM of its own, once, after a fresh boot: its ratios are"
echo "   against the median round's raw write, $raw_unpacked s, and carry that VM's noise)"

# the smallest memory the unattended install succeeds with: the demo host with dom0 memory
# "auto" (tests/iso/answers/bench.ks), so that what is measured is the installer's need
smallest=none
for mem in 256 384 512 768; do
	if iso_install "$mem" "$ISO_WORK/check.iso" /tenxen/answers/bench.ks > /dev/null; then smallest=$mem; break; fi
	echo "   $mem MiB: the install did not succeed ($(grep -Eo 'Kernel panic.*|Out of memory.*|TENXEN-INSTALL-FAILED.*' "$QVM_LOG.txt" | head -1))"
done
echo "   smallest guest memory for the unattended install (of 256, 384, 512, 768 MiB): $smallest"

# UEFI against BIOS: the same answer file (tests/iso/answers/bench.ks, firmware auto) installed
# from the same ISO, once under SeaBIOS and once under OVMF, in alternating rounds; and what the
# UEFI boot files add to the ISO (the same ISO built with ISO_UEFI=no).
echo
echo "5. UEFI against BIOS"
rm -rf "$w/uefi-answers" && mkdir -p "$w/uefi-answers"
cp tests/iso/answers/bench.ks "$w/uefi-answers/unattended.ks"
iso/build-iso.sh "$w/fw.iso" build/env build/payload "$(ls build/deb/tenxen_*.deb)" "$w/uefi-answers" > /dev/null
ISO_UEFI=no iso/build-iso.sh "$w/bios-only.iso" build/env build/payload "$(ls build/deb/tenxen_*.deb)" "$w/uefi-answers" > /dev/null
with=$(stat -c %s "$w/fw.iso") without=$(stat -c %s "$w/bios-only.iso")
printf '   ISO with the UEFI boot files %.1f MiB, without %.1f MiB: %.1f MiB more (goal: at most 30)\n' \
	"$(echo "scale=2; $with / 1048576" | bc)" "$(echo "scale=2; $without / 1048576" | bc)" \
	"$(echo "scale=2; ($with - $without) / 1048576" | bc)"
# fw_install FIRMWARE: the menu's unattended install from fw.iso; prints the install's total seconds
fw_install() {
	local fw=()
	rm -f "$w/a.img" "$w/b.img" "$w/vars.fd" && truncate -s 8G "$w/a.img" "$w/b.img"
	[ "$1" = uefi ] && mapfile -t fw < <(qvm_uefi "$w/vars.fd")
	mapfile -t disks < <(qvm_disks "$w" a TENXEN-DEMO-A b TENXEN-DEMO-B)
	qvm_start "$w" "fw-$1" 1500 "${fw[@]}" -m 1024 -cdrom "$w/fw.iso" -boot d "${disks[@]}" \
		-netdev user,id=n0 -device virtio-net-pci,netdev=n0
	qvm_iso_menu || { qvm_end; return 1; }
	qvm_wait 'TENXEN-INSTALL-(OK|FAILED)' 1500
	qvm_end 30
	grep -q TENXEN-INSTALL-OK "$QVM_LOG.txt" || return 1
	grep -o 'phases: .*' "$QVM_LOG.txt" | tail -1 | grep -o 'total [0-9.]*' | cut -d' ' -f2
}
printf '   %-8s %12s %12s %8s\n' "round" "BIOS, s" "UEFI, s" "ratio"
ratios=()
for r in $(seq 1 "${BENCH_FW_ROUNDS:-3}"); do
	b=$(fw_install bios) || { echo "the BIOS install failed: $QVM_LOG.txt" >&2; exit 1; }
	u=$(fw_install uefi) || { echo "the UEFI install failed: $QVM_LOG.txt" >&2; exit 1; }
	ratio=$(echo "scale=2; $u / $b" | bc)
	ratios+=("$ratio")
	printf '   %-8s %12.1f %12.1f %8.2f\n' "$r" "$b" "$u" "$ratio"
done
median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
echo "   ratio = UEFI install / BIOS install of the same answer file (goal: at most 1.1 in the median"
echo "   round: $median); the UEFI install also formats an ESP per disk and writes xen.efi, the kernel"
echo "   and its initrd (about 51 MB) onto each"

echo
tests/bench-pxe.sh
echo
tests/bench-io.sh
