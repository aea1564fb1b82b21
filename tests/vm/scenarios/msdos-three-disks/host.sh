. tests/lib/host-checks.sh
for d in "$DISK_a" "$DISK_b"; do parted -s "$d" print | tee /dev/stderr | grep -E '^ 1 .* boot'; done
parted -s "$DISK_a" print | grep -q 'Partition Table: msdos'
parted -s "$DISK_c" print | grep -E '^ 1 .* lvm'
