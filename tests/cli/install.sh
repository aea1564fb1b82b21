# tenxen install: a dry run prints the plan; a recorded machine cannot be installed onto; a bad
# answer file or an unsafe plan is refused before any disk is touched.
. tests/lib/cli.sh
run "$TENXEN" install --dry-run --answers tests/plans/two-mirror-core.ks --machine tests/machines/two-identical.json
expect_rc 0; expect_out "Install plan"; expect_out "lvcreate    vg0/root: mirror, 2 legs, core log"
run "$TENXEN" install --answers tests/plans/two-mirror-core.ks --machine tests/machines/two-identical.json
expect_rc 2; expect_out "cannot be installed onto; add --dry-run"
run "$TENXEN" install --dry-run --answers tests/answers/err-no-root.ks --machine tests/machines/one-disk.json
expect_rc 1; expect_out "there is no root filesystem"; expect_out "refused before any disk was touched"
run "$TENXEN" install --dry-run --answers tests/plans/refuse-data-not-cleared.ks --machine tests/machines/two-plus-data.json
expect_rc 1; expect_out "clearpart does not name it"; expect_out "refused before any disk was touched"
run "$TENXEN" install; expect_rc 2; expect_out "install needs its answer file"
d=$(tmpdir install)
# a dry run writes no log; a log that is a FIFO is refused at once by a real run, never waited on
run "$TENXEN" install --dry-run --log "$d/no/such/dir/log" --answers tests/plans/two-mirror-core.ks --machine tests/machines/two-identical.json
expect_rc 0; expect_out "dry run: the log $d/no/such/dir/log is not written"
[ -e "$d/no" ] && fail "a dry run made the log's folder"
run "$TENXEN" install --dry-run --log "$d/dry.log" --answers tests/plans/two-mirror-core.ks --machine tests/machines/two-identical.json
expect_rc 0
[ -e "$d/dry.log" ] && fail "a dry run wrote its log"
mkfifo "$d/fifo.log"
run timeout 20 "$TENXEN" install --dry-run --log "$d/fifo.log" --answers tests/plans/two-mirror-core.ks --machine tests/machines/two-identical.json
expect_rc 0
# (no --machine: a real run refuses a recorded one first; the log is opened before any probe)
run timeout 20 "$TENXEN" install --log "$d/fifo.log" --answers tests/plans/two-mirror-core.ks
[ "$rc" -ne 124 ] || fail "install waited on a FIFO given as its log"
expect_rc 1; expect_out "the log $d/fifo.log is not a regular file"
run "$TENXEN" install --log "$d/no/such/dir/log" --answers tests/plans/two-mirror-core.ks
expect_rc 1; expect_out "cannot open the log"
