#!/bin/sh
check() { if eval "$2" > /dev/null 2>&1; then echo "CHECK ok $1"; else echo "CHECK FAIL $1"; fi; }
lvm pvs --noheadings -o pv_name,vg_name
check "one volume group vg0, on the new partitions" "[ \$(lvm pvs --noheadings -o pv_name | wc -l) -eq 2 ] && lvm pvs --noheadings -o pv_name | grep -q vda3 && lvm pvs --noheadings -o pv_name | grep -q vdb3"
check "the old logical volume is gone" "! lvm lvs --noheadings -o lv_name vg0 | grep -qw old"
check "no md array but /boot" "[ \$(ls /sys/block | grep -c '^md') -eq 1 ]"
