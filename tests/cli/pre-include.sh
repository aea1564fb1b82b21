# %pre, then %include: a file whose %include names what its %pre script writes is checked line by
# line with a warning until that file exists, then whole, its errors at the included file's lines;
# plan refuses it until then (only the install runs %pre, then reads the file again).
. tests/lib/cli.sh
d=$(realpath "$(tmpdir pre-include)")
cat > "$d/host.ks" << EOF2
#version=1
disk a --path=/dev/sda
clearpart a
%include $d/layout.ks
rootpw --lock
%pre
echo "part /boot --size=512M --disks=a" > $d/layout.ks
%end
EOF2
run "$TENXEN" check "$d/host.ks"
expect_rc 0; expect_out "host.ks:4: warning: %include $d/layout.ks does not exist yet: the %pre script at $d/host.ks:6 is to write it"
run "$TENXEN" plan --answers "$d/host.ks" --machine tests/machines/one-disk.json
expect_rc 1; expect_out "only the install runs the %pre script"; expect_out "nothing was written to any disk"
run "$TENXEN" install --dry-run --answers "$d/host.ks" --machine tests/machines/one-disk.json
expect_rc 1; expect_out "only the install runs the %pre script"
[ ! -e "$d/layout.ks" ] || fail "a dry run ran the %pre script"
# once the file exists, it is read and the whole file checked: an error in it, at its own line
printf 'part /boot --size=512M --disks=a\nlogvol / --vg=vg9 --name=root --size=4G\n' > "$d/layout.ks"
run "$TENXEN" check "$d/host.ks"
expect_rc 1; expect_out "layout.ks:2: error"; expect_no_out "does not exist yet"
printf 'part /boot --size=512M --disks=a\nvolgroup vg0 --disks=a\nlogvol / --vg=vg0 --name=root --size=4G\n' > "$d/layout.ks"
run "$TENXEN" check "$d/host.ks"
expect_rc 0; expect_out "host.ks: ok"; expect_no_out "warning"
echo "ok"
