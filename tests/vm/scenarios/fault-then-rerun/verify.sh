#!/bin/sh
check() { if eval "$2" > /dev/null 2>&1; then echo "CHECK ok $1"; else echo "CHECK FAIL $1"; fi; }
check "all three volumes" "[ \$(lvm lvs --noheadings -o lv_name vg0 | wc -l) -eq 3 ]"
check "root mounted" "grep -q ' /target ext4' /proc/mounts"
check "/boot is md RAID1" "mdadm --detail /dev/md/boot | grep -q 'Raid Level : raid1'"
