# probe --record writes the profile atomically and keeps the previous one as a backup;
# a profile read back and recorded again is the same file.
. tests/lib/cli.sh
d=$(tmpdir record)
run "$TENXEN" --machine tests/machines/two-plus-data.json probe --record "$d/m.json"; expect_rc 0
expect_out "recorded 3 disks in $d/m.json"
run "$TENXEN" --machine "$d/m.json" probe --record "$d/m2.json"; expect_rc 0
cmp -s "$d/m.json" "$d/m2.json" || fail "a profile read and recorded again differs"
run "$TENXEN" --machine tests/machines/one-disk.json probe --record "$d/m.json"; expect_rc 0
cmp -s "$d/m.json.tenxen-old" "$d/m2.json" || fail "the previous profile was not kept as m.json.tenxen-old"
grep -q '"S3Y1NB0K100001"' "$d/m.json" || fail "the new profile is not in place"
ls "$d" | grep -q tenxen-new && fail "a temporary file was left behind"
run "$TENXEN" --machine tests/machines/one-disk.json probe --record /nonexistent-dir/m.json
expect_rc 1; expect_out "cannot create /nonexistent-dir/m.json.tenxen-new"
true
