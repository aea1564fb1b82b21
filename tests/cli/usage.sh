# The program's own words: usage, unknown commands, missing arguments.
. tests/lib/cli.sh
run "$TENXEN"; expect_rc 2; expect_out "Usage: tenxen"
run "$TENXEN" --help; expect_rc 0; expect_out "check [--strict]"
run "$TENXEN" version; expect_rc 0; expect_out "tenxen 0."
run "$TENXEN" chek x.ks; expect_rc 2; expect_out 'unknown command "chek"; did you mean check?'
run "$TENXEN" check; expect_rc 2; expect_out "check needs an answer file"
run "$TENXEN" plan; expect_rc 2; expect_out "plan needs its answer file"
run "$TENXEN" check --bogus x.ks; expect_rc 2; expect_out "Usage: tenxen check"
run "$TENXEN" check /nonexistent/answers.ks; expect_rc 1
expect_out "cannot read the answer file /nonexistent/answers.ks: No such file or directory"
run "$TENXEN" probe extra; expect_rc 2; expect_out "probe takes no arguments"
