# Tier 2: bootcfg install on an MBR-labelled disk image on a loop device: mbr.bin in the first
# 440 bytes (the partition table after it untouched), the boot flag on the /boot partition, and
# extlinux with the Xen modules in /boot/extlinux. A disk with no partition table is refused.
set -u
export ASAN_OPTIONS=${ASAN_OPTIONS:-suppressions=$PWD/tests/asan.supp}
TENXEN=${TENXEN:-build/san/tenxen}
OUT=${OUT:-build/check}
fail() { echo "FAILED: $*"; exit 1; }
[ "$(id -u)" = 0 ] || fail "needs root (loop devices, mount); run make check as root"
d="$OUT/loop-msdos"
rm -rf "$d" && mkdir -p "$d/mnt"
loop=""
cleanup() {
	mountpoint -q "$d/mnt" && umount "$d/mnt"
	[ -n "$loop" ] && { partx -d "$loop" 2> /dev/null; losetup -d "$loop"; }
}
trap cleanup EXIT
truncate -s 128M "$d/disk.img"
parted -s "$d/disk.img" mklabel msdos mkpart primary ext4 1MiB 100MiB mkpart primary 100MiB 127MiB || fail parted
dd if="$d/disk.img" bs=1 skip=440 count=72 2> /dev/null > "$d/table.before"
loop=$(losetup -f --show "$d/disk.img") || fail losetup
partx -d "$loop" 2> /dev/null || true # stale entries outlive losetup -d on this kernel
partx -a "$loop" || fail partx
mkfs.ext4 -q "${loop}p1" && mount "${loop}p1" "$d/mnt" || fail "mkfs/mount"
"$TENXEN" bootcfg install --boot "$d/mnt" --disk "$loop" > "$d/out" 2>&1 || fail "install: $(cat "$d/out")"
for f in ldlinux.sys ldlinux.c32 mboot.c32 libcom32.c32; do
	[ -f "$d/mnt/extlinux/$f" ] || fail "no $f in /boot/extlinux"
done
umount "$d/mnt"
dd if="$d/disk.img" bs=440 count=1 2> /dev/null | cmp -s - <(head -c 440 /usr/lib/syslinux/mbr/mbr.bin) ||
	fail "the first 440 bytes are not mbr.bin"
parted -s "$d/disk.img" print | grep -E '^ 1 .* boot' > /dev/null || fail "partition 1 has no boot flag: $(parted -s "$d/disk.img" print)"
parted -s "$d/disk.img" print | grep -E '^ 2 .* boot' > /dev/null && fail "partition 2 got the boot flag too"
# the table after: the disk signature, the four entries and 55 AA exactly as before, but for the
# boot flag of partition 1 (byte 446 of the disk, the 7th of this range: 0x00 -> 0x80)
dd if="$d/disk.img" bs=1 skip=440 count=72 2> /dev/null > "$d/table.after"
[ "$(cmp -l "$d/table.before" "$d/table.after" | tr -s ' ')" = " 7 0 200" ] ||
	fail "the partition table changed beyond partition 1's boot flag: $(cmp -l "$d/table.before" "$d/table.after" | head)"
[ "$(od -An -tx1 -j70 -N2 "$d/table.after" | tr -d ' ')" = 55aa ] || fail "the MBR lost its 55 AA signature"
grep -q "mbr.bin boot code, partition 1 has the boot flag" "$d/out" || fail "$(cat "$d/out")"
# a disk without a partition table: refused, and nothing written to it
truncate -s 64M "$d/blank.img"
"$TENXEN" bootcfg install --boot "$d/mnt" --disk "$d/blank.img:1" > "$d/blank.out" 2>&1 && fail "a blank disk was accepted"
grep -q "has no partition table libparted can read" "$d/blank.out" || fail "$(cat "$d/blank.out")"
[ -z "$(tr -d '\0' < "$d/blank.img" | head -c 1)" ] || fail "something was written to the blank disk"
echo "mbr.bin and the boot flag on $loop"
