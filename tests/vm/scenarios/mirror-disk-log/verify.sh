#!/bin/sh
check() { if eval "$2" > /dev/null 2>&1; then echo "CHECK ok $1"; else echo "CHECK FAIL $1"; fi; }
lvm lvs -a --noheadings -o lv_name,segtype,devices vg0
check "root is a mirror" "lvm lvs --noheadings -o segtype vg0/root | grep -qw mirror"
check "root has a disk log" "lvm lvs -a --noheadings -o lv_name vg0 | grep -q 'root_mlog'"
check "swap has a disk log" "lvm lvs -a --noheadings -o lv_name vg0 | grep -q 'swap_mlog'"
check "/boot is md RAID1" "mdadm --detail /dev/md/boot | grep -q 'Raid Level : raid1'"
