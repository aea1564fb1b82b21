#!/bin/sh
check() { if eval "$2" > /dev/null 2>&1; then echo "CHECK ok $1"; else echo "CHECK FAIL $1"; fi; }
# the disk left alone, found by its serial number
for d in /sys/block/vd*; do [ "$(cat "$d/serial")" = TXDISK-C ] && c=/dev/${d##*/}; done
echo "the third disk is $c: $(tenxen probe --disk "$c" | tail -n +2 | head -1)"
check "root is a mirror" "lvm lvs --noheadings -o segtype vg0/root | grep -qw mirror"
check "the third disk still holds its filesystem" "tenxen probe --disk $c | grep -q 'an ext4 filesystem labelled \"precious\"'"
check "the third disk is in no volume group" "! lvm pvs --noheadings -o pv_name | grep -q $c"
