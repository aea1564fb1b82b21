# check reads several files, reports each, and fails if any fails; --strict fails on warnings.
. tests/lib/cli.sh
run "$TENXEN" check tests/answers/minimal.ks tests/answers/err-no-root.ks tests/answers/raid1.ks
expect_rc 1
expect_out "tests/answers/minimal.ks: ok"
expect_out "tests/answers/err-no-root.ks: 1 error, 0 warnings"
expect_out "tests/answers/raid1.ks: ok"
run "$TENXEN" check tests/answers/warn-unused-disk.ks; expect_rc 0
run "$TENXEN" check --strict tests/answers/warn-unused-disk.ks; expect_rc 1
expect_out "which --strict counts as failure"
# with a machine, check also plans: the layout must fit and the disks must exist
run "$TENXEN" check --machine tests/machines/one-disk.json tests/plans/one-disk-linear.ks; expect_rc 0
run "$TENXEN" check --machine tests/machines/one-disk.json tests/plans/refuse-root-too-big.ks
expect_rc 1; expect_out "refuse-root-too-big.ks:7: error: logvol / --size=1T does not fit"
