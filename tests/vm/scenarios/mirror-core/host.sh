. tests/lib/host-checks.sh
attach "$DISK_a" a; attach "$DISK_b" b
for d in "$DISK_a" "$DISK_b"; do parted -s "$d" print | grep -E '^ 2 .*legacy_boot'; done
lvm_on "${a}p3" "${b}p3" -- lvs -a -o lv_name,segtype,devices vg0 | tee /dev/stderr | grep -E 'root +mirror'
[ "$("$TENXEN_BIN" probe --disk "$a" --disk "$b" | grep -c 'an md RAID member of array')" -eq 2 ]
