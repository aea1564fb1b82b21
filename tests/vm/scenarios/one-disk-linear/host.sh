# on the build machine, after the VM: the disk's partitions as libparted and libblkid see them
set -e
parted -s "$DISK_a" unit MiB print | tee /dev/stderr | grep -q 'bios_grub'
parted -s "$DISK_a" print | grep -E '^ 2 .*legacy_boot'
. tests/lib/host-checks.sh
attach "$DISK_a" l
"$TENXEN_BIN" probe --disk "$l" | tee /dev/stderr | grep -q 'an LVM physical volume of volume group vg0 on partition 3'
