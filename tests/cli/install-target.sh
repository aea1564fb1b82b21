# install --target DIR: the plan mounts, unpacks and writes under DIR, and nowhere names /target
# (it once printed and mounted /target while unpacking into DIR). The JSON plan says the same.
. tests/lib/cli.sh
m=tests/machines/two-identical.json ks=tests/plans/two-mirror-core.ks
run "$TENXEN" install --answers $ks --machine $m --dry-run --target /srv/new-root; expect_rc 0
expect_out "/dev/vg0/root on /srv/new-root"
expect_out "/dev/md/boot on /srv/new-root/boot"
expect_out "/srv/new-root: the Debian dom0 root"
expect_out "/srv/new-root/etc/fstab: /boot, every filesystem"
expect_out "/srv/new-root/boot/extlinux/extlinux.conf: Xen entry"
expect_no_out "/target"
# the default is /target, as before
run "$TENXEN" install --answers $ks --machine $m --dry-run; expect_rc 0
expect_out "/dev/vg0/root on /target"
expect_no_out "/srv/new-root"
# every operation's data in the JSON plan: where it writes, what it sets or does
run "$TENXEN" plan --json --answers $ks --machine $m; expect_rc 0
printf '%s\n' "$out" > "$OUT/install-target.json"
jq -e '[.operations[] | select(.op == "mount")] | length == 2 and
	all(.path | startswith("/target")) and all(.fstype != null)' "$OUT/install-target.json" \
	> /dev/null || fail "the JSON plan's mounts lack their path or type"
jq -e '[.operations[] | select(.op == "configure") | .sets] | index("timezone") != null and
	index("root") != null' "$OUT/install-target.json" > /dev/null ||
	fail "the JSON plan's configure steps do not say what they set"
jq -e '[.operations[] | select(.op == "bootloader") | .does] == ["config", "install", "install"]' \
	"$OUT/install-target.json" > /dev/null || fail "the JSON plan's bootloader steps do not say what they do"
