#!/bin/sh
check() { if eval "$2" > /dev/null 2>&1; then echo "CHECK ok $1"; else echo "CHECK FAIL $1"; fi; }
lvm lvs -a --noheadings -o lv_name,segtype,devices vg0
check "root is raid1" "lvm lvs --noheadings -o segtype vg0/root | grep -qw raid1"
check "guests is raid1 and fills the group" "lvm lvs --noheadings -o segtype vg0/guests | grep -qw raid1 && [ \$(lvm vgs --noheadings -o vg_free_count vg0) -eq 0 ]"
check "raid metadata volumes" "lvm lvs -a --noheadings -o lv_name vg0 | grep -q root_rmeta_1"
check "root mounted" "grep -q ' /target ext4' /proc/mounts"
