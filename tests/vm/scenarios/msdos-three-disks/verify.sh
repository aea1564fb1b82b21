#!/bin/sh
check() { if eval "$2" > /dev/null 2>&1; then echo "CHECK ok $1"; else echo "CHECK FAIL $1"; fi; }
lvm lvs -a --noheadings -o lv_name,segtype,devices vg0
check "root is a mirror" "lvm lvs --noheadings -o segtype vg0/root | grep -qw mirror"
log=$(lvm lvs -a --noheadings -o lv_name,devices vg0 | grep root_mlog)
legs=$(lvm lvs -a --noheadings -o lv_name,devices vg0 | grep root_mimage)
check "root's disk log lies on a disk apart from its legs" "[ -n '$log' ] && ! echo '$legs' | grep -q \"\$(echo '$log' | grep -o '/dev/vd[a-z]')\""
check "swap has three legs" "[ \$(lvm lvs -a --noheadings -o lv_name vg0 | grep -c swap_mimage) -eq 3 ]"
check "/boot is md RAID1 on partition 1 of a and b" "mdadm --detail /dev/md/boot | grep -q vda1 && mdadm --detail /dev/md/boot | grep -q vdb1"
check "the third disk carries only LVM" "lvm pvs --noheadings -o pv_name | grep -q vdc1"
