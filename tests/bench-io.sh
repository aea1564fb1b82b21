#!/bin/bash
# make bench, part 7 (BENCH_ONLY=io runs it alone): the I/O of each kind of logical volume, the
# case behind Tenxen's storage choices (docs/storage.md). A host installed from the check ISO
# on three disks (tests/iso/answers/bench-io.ks) makes five volumes of the same size on the same
# two disks: linear; a mirror with a core log; a mirror whose disk log is on the third disk; a
# mirror whose disk log is on one of its legs' disks (--alloc anywhere, as on a two-disk group);
# raid1. fio writes each: sequentially (1 MiB, direct), at random (4 KiB, direct, queue 16) and
# synchronously (4 KiB, O_DSYNC, one at a time); each figure is printed beside linear's, as a
# ratio, from one boot, the volumes taken in turn.
set -u
cd "$(dirname "$0")/.."
echo "7. I/O by kind of logical volume (fio in dom0; five volumes on the same two disks)"
. tests/lib/iso.sh
w=build/bench/io
mkdir -p "$w"
check_iso || { echo "cannot build the check ISO" >&2; exit 1; }
ISO_IMAGES=("$w/a.img" "$w/b.img" "$w/c.img")
scratch "${ISO_IMAGES[@]}" "$w/txscript.img"
mapfile -t disks < <(qvm_disks "$w" a TXIO-A b TXIO-B c TXIO-C)
iso_install_check io-install bench-io.ks "${disks[@]}"
cat > "$w/fio.sh" << 'EOS'
set -e
size=256M
# lv NAME "OPTIONS" PV...: a volume of $size on those PVs (mirrors made with no initial sync)
lv() { n=$1 o=$2; shift 2; lvcreate -q -y $o -n "$n" -L $size vg0 "$@" > /dev/null; }
lv linear "" /dev/vda3
lv mcore "--type mirror -m 1 --mirrorlog core --nosync" /dev/vda3 /dev/vdb3
lv mdisk "--type mirror -m 1 --mirrorlog disk --nosync" /dev/vda3 /dev/vdb3 /dev/vdc1
lv mdiskleg "--type mirror -m 1 --mirrorlog disk --nosync --alloc anywhere" /dev/vda3 /dev/vdb3
lv raid1 "--type raid1 -m 1 --nosync" /dev/vda3 /dev/vdb3
lvs -o lv_name,segtype,devices vg0 | sed 's/^/TENXEN-IO lvs /'
job() { # NAME LV fio-options...: write bandwidth (KiB/s) and IOPS
	n=$1 dev=/dev/vg0/$2; shift 2
	fio --name="$n" --filename="$dev" --ioengine=libaio --direct=1 --output-format=json "$@" > /tmp/fio.json
	python3 -c 'import json,sys; j=json.load(open("/tmp/fio.json"))["jobs"][0]["write"]; print("%.0f %.0f" % (j["bw"], j["iops"]))'
}
for v in linear mcore mdisk mdiskleg raid1; do
	echo "TENXEN-IO $v seq $(job seq $v --rw=write --bs=1M --size=128M --iodepth=4)"
	echo "TENXEN-IO $v rand $(job rand $v --rw=randwrite --bs=4k --iodepth=16 --runtime=15 --time_based)"
	echo "TENXEN-IO $v sync $(job sync $v --rw=randwrite --bs=4k --iodepth=1 --sync=dsync --runtime=15 --time_based)"
done
systemctl --no-block poweroff
EOS
mkdir -p "$w/txscript" && cp "$w/fio.sh" "$w/txscript/run.sh" && rm -f "$w/txscript.img" &&
	truncate -s 16M "$w/txscript.img" && mke2fs -q -t ext2 -L TXSCRIPT -d "$w/txscript" "$w/txscript.img" ||
	{ echo "cannot make the script disk" >&2; exit 1; }
QVM_SMP=1 qvm_start "$w" io-run 2400 -m 1024 "${disks[@]}" \
	-drive "if=none,id=ts,file=$w/txscript.img,format=raw,readonly=on" -device virtio-blk-pci,drive=ts,serial=TXSCRIPT \
	"${ISO_NET[@]}"
qvm_wait 'TENXEN-SCRIPT-DONE' 2400 || { echo "the host did not run fio: $QVM_LOG.txt" >&2; exit 1; }
qvm_end 120
grep -q 'TENXEN-SCRIPT-DONE rc=0' "$QVM_LOG.txt" || { echo "fio failed: $QVM_LOG.txt" >&2; exit 1; }
grep -o 'TENXEN-IO lvs .*' "$QVM_LOG.txt" | sed 's/^TENXEN-IO lvs /   | /'
grep -o 'TENXEN-IO [a-z0-9]* [a-z]* [0-9]* [0-9]*' "$QVM_LOG.txt" | awk '
	{ bw[$2 " " $3] = $4; iops[$2 " " $3] = $5 }
	END {
		split("linear mcore mdisk mdiskleg raid1", v, " ")
		name["linear"] = "linear"; name["mcore"] = "mirror, core log"; name["mdisk"] = "mirror, disk log apart"
		name["mdiskleg"] = "mirror, disk log on a leg"; name["raid1"] = "raid1"
		printf "   %-26s %16s %16s %16s\n", "volume", "seq 1M (MiB/s)", "rand 4K (IOPS)", "O_DSYNC 4K (IOPS)"
		for (i = 1; i <= 5; i++) {
			k = v[i]
			printf "   %-26s %9.1f %5.2f  %9.0f %5.2f  %9.0f %5.2f\n", name[k],
				bw[k " seq"] / 1024, bw[k " seq"] / bw["linear seq"],
				iops[k " rand"], iops[k " rand"] / iops["linear rand"],
				iops[k " sync"], iops[k " sync"] / iops["linear sync"]
		}
	}'
echo "   each figure beside its ratio to linear; one VM under TCG, its disks raw files on this"
echo "   machine: the ratios carry the meaning, the absolute figures are the emulator's"
