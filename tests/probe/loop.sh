# Tier 2: tenxen probe on image files attached to loop devices (as root), then a plan against
# what it recorded. Images: blank, ext4, an LVM physical volume in a volume group, a GPT with an
# ext4 partition. Fails (never skips) when it cannot run.
set -u
export ASAN_OPTIONS=${ASAN_OPTIONS:-suppressions=$PWD/tests/asan.supp}
TENXEN=${TENXEN:-build/san/tenxen}
OUT=${OUT:-build/check}
fail() { echo "FAILED: $*"; exit 1; }
[ "$(id -u)" = 0 ] || fail "the loop-device tests need root (losetup); run make check as root"
for tool in losetup mkfs.ext4 pvcreate vgcreate parted jq; do
	command -v "$tool" > /dev/null || fail "$tool is missing; make deps installs it"
done
d="$OUT/loop"
rm -rf "$d" && mkdir -p "$d"
devs=()
cleanup() { for l in "${devs[@]}"; do losetup -d "$l" 2> /dev/null; done; }
trap cleanup EXIT
LVMCONF='global{use_lvmpolld=0} activation{udev_sync=0 udev_rules=0 monitoring=0} devices{obtain_device_list_from_udev=0 use_devicesfile=0 external_device_info_source="none"} backup{backup=0 archive=0}'

for img in ext4 pv gpt; do truncate -s 64M "$d/$img.img"; done
truncate -s 1G "$d/blank.img" # large enough for a plan with a real /boot
mkfs.ext4 -q -F -L txdata -U 11111111-2222-4333-8444-555555555555 "$d/ext4.img" || fail "mkfs.ext4"
parted -s "$d/gpt.img" mklabel gpt mkpart data ext4 1MiB 33MiB mkpart other 33MiB 63MiB || fail "parted"
mkfs.ext4 -q -F -L inpart -E offset=1048576 "$d/gpt.img" 32M || fail "mkfs.ext4 in a partition"
# attach FILE VAR: not in a subshell, so that the cleanup trap sees every device
attach() {
	local l
	l=$(losetup -f --show "$1") || fail "losetup $1"
	devs+=("$l")
	printf -v "$2" '%s' "$l"
}
attach "$d/blank.img" blank; attach "$d/ext4.img" ext4; attach "$d/pv.img" pv; attach "$d/gpt.img" gpt
# LVM sees only this test's device, whatever else the machine holds
LVMCONF="$LVMCONF devices{global_filter=[\"a|^$pv\$|\",\"r|.*|\"]}"
export LVM_SUPPRESS_FD_WARNINGS=1
pvcreate -q --config "$LVMCONF" "$pv" > "$d/lvm.log" 2>&1 || fail "pvcreate: $(cat "$d/lvm.log")"
vgcreate -q --config "$LVMCONF" txprobevg "$pv" >> "$d/lvm.log" 2>&1 || fail "vgcreate: $(cat "$d/lvm.log")"
# two volumes, the first grown past the second so that it has two segments; metadata only
# (--driverloaded n: this kernel has no device-mapper, and nothing is activated)
lvm_md() { "$@" --driverloaded n -q --config "$LVMCONF" >> "$d/lvm.log" 2>&1 || fail "$1: $(cat "$d/lvm.log")"; }
lvm_md lvcreate -an -Zn -L 8M -n guest-a txprobevg
lvm_md lvcreate -an -Zn -L 4M -n guest-b txprobevg
lvm_md lvextend -L 12M txprobevg/guest-a

"$TENXEN" probe --json --disk "$blank" --disk "$ext4" --disk "$pv" --disk "$gpt" > "$d/probe.json" 2> "$d/probe.err" ||
	fail "probe failed: $(cat "$d/probe.err")"
q() { jq -r --arg p "$1" ".disks[] | select(.path == \$p) | $2" "$d/probe.json"; }
[ "$(jq '.disks | length' "$d/probe.json")" = 4 ] || fail "expected 4 disks: $(cat "$d/probe.json")"
for l in "$ext4" "$pv" "$gpt"; do
	[ "$(q "$l" .size)" = 67108864 ] || fail "$l: size $(q "$l" .size), expected 67108864"
done
[ "$(q "$blank" .size)" = 1073741824 ] || fail "$blank: size $(q "$blank" .size), expected 1 GiB"
for l in "$blank" "$ext4" "$pv" "$gpt"; do
	[ "$(q "$l" .transport)" = loop ] || fail "$l: transport $(q "$l" .transport)"
	[ "$(q "$l" .logical_sector_size)" = 512 ] || fail "$l: sector size"
done
[ "$(q "$blank" '.signatures | length')" = 0 ] || fail "blank image shows signatures"
[ "$(q "$ext4" '.signatures[0].type')" = ext4 ] || fail "ext4 image: $(q "$ext4" .signatures)"
[ "$(q "$ext4" '.signatures[0].label')" = txdata ] || fail "ext4 label"
[ "$(q "$ext4" '.signatures[0].uuid')" = 11111111-2222-4333-8444-555555555555 ] || fail "ext4 uuid"
[ "$(q "$pv" '.signatures[0].type')" = LVM2_member ] || fail "PV image: $(q "$pv" .signatures)"
[ "$(q "$pv" '.signatures[0].vg')" = txprobevg ] || fail "PV's volume group not read: $(q "$pv" .signatures)"
[ "$(q "$gpt" '[.signatures[] | select(.usage == "partition_table")][0].type')" = gpt ] || fail "no GPT: $(q "$gpt" .signatures)"
[ "$(q "$gpt" '[.signatures[] | select(.type == "ext4")][0].partition')" = 1 ] || fail "ext4 not found in partition 1"
[ "$(q "$gpt" '[.signatures[] | select(.type == "ext4")][0].label')" = inpart ] || fail "partition label"

# the same disks as a table a person reads
"$TENXEN" probe --disk "$gpt" --disk "$pv" > "$d/probe.txt" || fail "probe table"
grep -q 'an ext4 filesystem labelled "inpart" on partition 1' "$d/probe.txt" || fail "table: $(cat "$d/probe.txt")"
grep -q 'an LVM physical volume of volume group txprobevg' "$d/probe.txt" || fail "table: $(cat "$d/probe.txt")"
# each volume's bytes on the disk, as LVM itself reports its extents (PV:FIRST-LAST)
pe_start=$(pvs --config "$LVMCONF" --noheadings --units b --nosuffix -o pe_start "$pv" | tr -d ' ')
ext=$(vgs --config "$LVMCONF" --noheadings --units b --nosuffix -o vg_extent_size txprobevg | tr -d ' ')
for lv in guest-a guest-b; do
	want=$(lvs --config "$LVMCONF" --noheadings -o seg_pe_ranges "txprobevg/$lv" | tr -d ' ' |
		awk -F'[:-]' -v s="$pe_start" -v e="$ext" '{ printf "%s%s bytes %.0f-%.0f", (NR > 1 ? ", " : ""), $1, s + $2 * e, s + ($3 + 1) * e - 1 }')
	got=$(awk -v lv="$lv" '$1 == lv { $1 = $2 = $3 = $4 = ""; sub(/^ +/, ""); print }' "$d/probe.txt")
	[ -n "$want" ] && [ "$got" = "$want" ] || fail "$lv: probe says \"$got\", LVM says \"$want\""
done
grep -q 'guest-a *12 MiB *linear' "$d/probe.txt" || fail "guest-a's size or kind: $(cat "$d/probe.txt")"
# recorded, the metadata goes with the profile: the same volumes read back
"$TENXEN" probe --record "$d/pv.json" --disk "$pv" 2> /dev/null || fail "record the PV"
"$TENXEN" --machine "$d/pv.json" probe | grep '^ ' > "$d/pv-loaded.txt"
grep '^ ' "$d/probe.txt" | diff - "$d/pv-loaded.txt" > /dev/null || fail "the recorded volumes differ: $(cat "$d/pv-loaded.txt")"
"$TENXEN" probe --disk /dev/nonexistent0 > "$d/none.txt" 2>&1 && fail "probing a missing disk succeeded"
grep -q "/dev/nonexistent0 is not a disk of this machine" "$d/none.txt" || fail "$(cat "$d/none.txt")"

# record, then plan: the blank disk may be used; the ext4 one only when clearpart names it
"$TENXEN" probe --record "$d/machine.json" --disk "$blank" --disk "$ext4" 2> /dev/null || fail "record"
cat > "$d/ok.ks" << KS
#version=1
disk a --path=$blank
part /boot --size=256M --disks=a
volgroup vg0 --disks=a
logvol / --vg=vg0 --name=root --size=100%FREE
rootpw --lock
KS
"$TENXEN" plan --machine "$d/machine.json" --answers "$d/ok.ks" > "$d/plan.txt" 2>&1 ||
	fail "plan on the blank loop disk: $(cat "$d/plan.txt")"
grep -q "partition   ${blank}p3" "$d/plan.txt" || fail "loop partitions are named ${blank}pN: $(cat "$d/plan.txt")"
sed "s|$blank|$ext4|" "$d/ok.ks" > "$d/data.ks"
"$TENXEN" plan --machine "$d/machine.json" --answers "$d/data.ks" > "$d/refused.txt" 2>&1 &&
	fail "a plan on the ext4 disk without clearpart was accepted"
grep -q 'which holds an ext4 filesystem labelled "txdata"; clearpart does not name it' "$d/refused.txt" ||
	fail "refusal: $(cat "$d/refused.txt")"
echo "probed 4 loop devices: $blank $ext4 $pv $gpt"
