#!/bin/sh
# in the guest, after the install
check() { if eval "$2" > /dev/null 2>&1; then echo "CHECK ok $1"; else echo "CHECK FAIL $1"; fi; }
lvm lvs --noheadings -o lv_name,lv_size,segtype vg0
check "the layout came from the file %pre wrote" "grep -q 'name=guests' /tmp/tenxen-layout.ks"
check "root is linear" "lvm lvs --noheadings -o segtype vg0/root | grep -q linear"
check "guests fills the group" "[ \$(lvm vgs --noheadings -o vg_free_count vg0) -eq 0 ]"
check "root mounted" "grep -q ' /target ext4' /proc/mounts"
check "boot mounted" "grep -q '/dev/vda2 /target/boot ext4' /proc/mounts"
check "fstab by UUID" "[ \$(grep -c '^UUID=' /target/etc/fstab) -eq 3 ]"
cat /target/etc/fstab
