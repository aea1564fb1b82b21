# The rest of a serial console: a login on hvc0 on a systemd host and on a sysvinit host
# (inittab), root allowed on hvc0 where /etc/securetty exists; --remove takes all of it back.
. tests/lib/bootcfg-host.sh
d=$(tmpdir bchost)
host "$d/s"
run "$TENXEN" serial-console --root "$d/s"; expect_rc 0
link="$d/s/etc/systemd/system/getty.target.wants/serial-getty@hvc0.service"
[ "$(readlink "$link")" = /lib/systemd/system/serial-getty@.service ] || fail "no serial-getty@hvc0 link"
wait="$d/s/etc/systemd/system/dev-hvc0.device.d/tenxen-wait.conf"
grep -qx 'JobRunningTimeoutSec=10min' "$wait" || fail "hvc0's device wait: $(cat "$wait" 2>&1)"
run "$TENXEN" serial-console --root "$d/s"; expect_rc 0; expect_out "nothing to change"
# a drop-in changed by hand is put back
echo '[Unit]' > "$wait"
run "$TENXEN" serial-console --root "$d/s"; expect_rc 0; expect_out "let the hvc0 login wait up to 10 minutes"
grep -qx 'JobRunningTimeoutSec=10min' "$wait" || fail "the drop-in was not put back: $(cat "$wait")"
run "$TENXEN" serial-console --root "$d/s" --remove; expect_rc 0
[ -e "$link" ] && fail "the getty link is still there after --remove"
[ -e "$wait" ] && fail "hvc0's device wait is still there after --remove"
cmp -s "$d/s/boot/extlinux/extlinux.conf" tests/bootcfg/corpus/debian-xen-by-hand.conf || fail "remove after add did not restore the config"

host "$d/v"
rm "$d/v/lib/systemd/systemd"
printf 'id:2:initdefault:\n1:2345:respawn:/sbin/getty 38400 tty1\n' > "$d/v/etc/inittab"
printf 'console\ntty1\n' > "$d/v/etc/securetty"
cp "$d/v/etc/inittab" "$d/inittab.orig"; cp "$d/v/etc/securetty" "$d/securetty.orig"
run "$TENXEN" serial-console --root "$d/v"; expect_rc 0
expect_out "add a login on hvc0 to /etc/inittab"
expect_out "allow root on hvc0 in /etc/securetty"
grep -qx 'hvc0:2345:respawn:/sbin/getty -L hvc0 115200 vt100' "$d/v/etc/inittab" || fail "inittab: $(cat "$d/v/etc/inittab")"
grep -qx hvc0 "$d/v/etc/securetty" || fail "securetty: $(cat "$d/v/etc/securetty")"
run "$TENXEN" serial-console --root "$d/v"; expect_rc 0; expect_out "nothing to change"
[ "$(grep -c hvc0 "$d/v/etc/inittab")" = 1 ] || fail "a second run added the inittab line again"
run "$TENXEN" serial-console --root "$d/v" --remove; expect_rc 0
cmp -s "$d/v/etc/inittab" "$d/inittab.orig" || fail "inittab not restored: $(cat "$d/v/etc/inittab")"
cmp -s "$d/v/etc/securetty" "$d/securetty.orig" || fail "securetty not restored"
