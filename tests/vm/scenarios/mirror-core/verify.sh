#!/bin/sh
check() { if eval "$2" > /dev/null 2>&1; then echo "CHECK ok $1"; else echo "CHECK FAIL $1"; fi; }
lvm lvs -a --noheadings -o lv_name,segtype,devices,mirror_log vg0
check "root is a mirror" "lvm lvs --noheadings -o segtype vg0/root | grep -qw mirror"
legs=$(lvm lvs -a --noheadings -o lv_name,devices vg0 | grep root_mimage)
check "root's legs on both disks" "echo '$legs' | grep -q vda3 && echo '$legs' | grep -q vdb3"
check "core log: no log volume" "! lvm lvs -a --noheadings -o lv_name vg0 | grep -q mlog"
check "/boot is md RAID1 with metadata 1.0" "mdadm --detail /dev/md/boot | grep -q 'Version : 1.0' && mdadm --detail /dev/md/boot | grep -q 'Raid Level : raid1'"
check "both disks in /boot" "mdadm --detail /dev/md/boot | grep -q vda2 && mdadm --detail /dev/md/boot | grep -q vdb2"
check "root mounted" "grep -q ' /target ext4' /proc/mounts"
mdadm --detail /dev/md/boot | grep -E 'Version|Level|Devices|/dev/vd'
