# --dry-run prints a unified diff and writes nothing: not the config, not the getty.
. tests/lib/bootcfg-host.sh
d=$(tmpdir dryrun)
host "$d/h"
conf="$d/h/boot/extlinux/extlinux.conf"
run "$TENXEN" serial-console --root "$d/h" --port ttyS1 --speed 57600 --dry-run; expect_rc 0
expect_out "--- a/boot/extlinux/extlinux.conf"
expect_out "+++ b/boot/extlinux/extlinux.conf"
expect_out "+SERIAL 1 57600"
expect_out "com2=57600,8n1 console=com2,vga"
expect_out "would enable a login on hvc0"
cmp -s "$conf" tests/bootcfg/corpus/debian-xen-by-hand.conf || fail "--dry-run changed the config"
[ -e "$d/h/etc/systemd/system/getty.target.wants/serial-getty@hvc0.service" ] && fail "--dry-run enabled the getty"
expect_out "would let the hvc0 login wait up to 10 minutes"
[ -e "$d/h/etc/systemd/system/dev-hvc0.device.d" ] && fail "--dry-run wrote hvc0's device wait"
ls "$d/h/boot/extlinux" | grep -q tenxen-old && fail "--dry-run left a backup"
run "$TENXEN" bootcfg --root "$d/h" --dry-run set dom0_mem=8G,max:8G; expect_rc 0
expect_out "+    APPEND /xen-4.17-amd64.gz dom0_mem=8192M,max:8192M"
cmp -s "$conf" tests/bootcfg/corpus/debian-xen-by-hand.conf || fail "bootcfg --dry-run changed the config"
true
