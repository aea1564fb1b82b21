. tests/lib/host-checks.sh
attach "$DISK_a" a
# whatever lies at the end of the old partition 2 is gone: no md member but the new /boot one
"$TENXEN_BIN" probe --disk "$a" | tee /dev/stderr | grep -q 'an LVM physical volume of volume group vg0 on partition 3'
[ "$("$TENXEN_BIN" probe --json --disk "$a" | grep -c linux_raid_member)" = 1 ]
