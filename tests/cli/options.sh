# Every long option the code takes (the getopt tables of cli/) is in the program's own usage
# (tenxen --help and each verb's --help, which the bash completion reads its options from, so it
# offers them all) and in tenxen(8); and the README names the verbs' forms a newcomer reaches
# for: guest list and delete, check --json, install --report.
. tests/lib/cli.sh
opts=$(grep -ho '{"[a-z0-9-]*", *\(no\|required\|optional\)_argument' cli/*.c | sed 's/{"\([^"]*\)".*/\1/' | sort -u)
[ "$(wc -w <<< "$opts")" -gt 30 ] || fail "the option tables were not read from cli/*.c: $opts"
verbs=$("$TENXEN" --help | sed -n 's/^  \([a-z][a-z-]*\)\( .*\)\{0,1\}$/\1/p')
help=$( ("$TENXEN" --help; for v in $verbs; do "$TENXEN" "$v" --help; done) 2>&1)
man=$(sed 's/\\-/-/g' docs/tenxen.8)
missing=
for o in $opts; do
	grep -q -- "--$o\b" <<< "$help" || missing="$missing --$o (usage)"
	grep -q -- "--$o\b" <<< "$man" || missing="$missing --$o (tenxen(8))"
done
[ -z "$missing" ] || fail "options the code takes but does not document:$missing"
for form in 'guest \[list\]' 'delete NAME --yes' 'check \[--strict\] \[--canonical\] \[--json\]' 'install --answers .*\[--report URL\]' 'make check-fast'; do
	grep -Eq -- "$form" README.md || fail "README.md does not show: $form"
done
echo "options: $(wc -w <<< "$opts") long options, each in the usage, tenxen(8) and so the completion"
