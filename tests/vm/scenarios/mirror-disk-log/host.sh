. tests/lib/host-checks.sh
attach "$DISK_a" a; attach "$DISK_b" b
lvm_on "${a}p3" "${b}p3" -- lvs -a -o lv_name,segtype vg0 | tee /dev/stderr | grep -q root_mlog
