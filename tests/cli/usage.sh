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

# Every verb of the table answers --help on stdout with its usage, exits 0, and writes nothing;
# the verbs are read from tenxen --help itself, so a verb added later is covered.
verbs=$("$TENXEN" --help | sed -n 's/^  \([a-z][a-z-]*\)\( .*\)\{0,1\}$/\1/p')
[ "$(wc -w <<< "$verbs")" -ge 10 ] || fail "tenxen --help lists too few verbs: $verbs"
for v in $verbs; do
	help=$("$TENXEN" "$v" --help 2> "$OUT/usage-help.err"); rc=$?
	[ $rc -eq 0 ] || fail "tenxen $v --help exited $rc"
	grep -q "^Usage: tenxen $v" <<< "$help" || fail "tenxen $v --help shows no usage: $help"
	[ ! -s "$OUT/usage-help.err" ] || fail "tenxen $v --help wrote to stderr: $(cat "$OUT/usage-help.err")"
	# the usage a verb shows is the one tenxen --help lists: written once
	first=$(sed -n 1p <<< "$help" | sed 's/^Usage: tenxen //')
	"$TENXEN" --help | grep -qxF "  $first" || fail "tenxen --help lists $v otherwise than: $first"
done
# --help after other words and options still asks for help
run "$TENXEN" bootcfg set --help; expect_rc 0; expect_out "Usage: tenxen bootcfg"
run "$TENXEN" --root /nonexistent serial-console --speed 9600 --help; expect_rc 0
expect_out "Usage: tenxen serial-console"
run "$TENXEN" help plan; expect_rc 0; expect_out "Usage: tenxen plan --answers"
# a wrong option goes through the report channel as a sentence, then the usage; exit 2
for v in check probe plan install serial-console bootcfg profile; do
	run "$TENXEN" "$v" --no-such-option; expect_rc 2
	expect_out "tenxen: error: --no-such-option: no such option for $v"
	expect_out "Usage: tenxen $v"
done
run "$TENXEN" guest create --no-such-option; expect_rc 2; expect_out "no such option for guest"
run "$TENXEN" --no-such-global check x.ks; expect_rc 2
expect_out "tenxen: error: unknown or incomplete option --no-such-global"
# the same checks of a serial speed and port as the answer file and the screens
run "$TENXEN" serial-console --speed 1152OO; expect_rc 2
expect_out "--speed=1152OO: use 9600, 19200, 38400, 57600 or 115200"
run "$TENXEN" serial-console --port com1; expect_rc 2; expect_out "--port=com1: use ttyS0"
run "$TENXEN" install --answers x.ks --target relative/dir --dry-run; expect_rc 2
expect_out "--target relative/dir: give an absolute folder"
