#!/bin/bash
# The man pages: both render with no warning from groff (man --warnings); tenxen(8) names every
# verb, subcommand and option that tenxen --help and each verb's --help print, so the two cannot
# drift; tenxen-answers(5), made from docs/answer-file.md, carries every command of the language.
. tests/lib/cli.sh
d=$(tmpdir man)
page8=docs/tenxen.8 page5=build/man/tenxen-answers.5
[ -s "$page5" ] || fail "$page5 is missing (make check builds it from docs/answer-file.md)"
command -v man > /dev/null || fail "man is missing (make deps installs man-db)"

for p in "$page8" "$page5"; do
	LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$p" > "$d/page.txt" 2> "$d/warnings"
	[ -s "$d/warnings" ] && fail "$p renders with warnings: $(cat "$d/warnings")"
	[ "$(wc -l < "$d/page.txt")" -gt 100 ] || fail "$p renders to almost nothing"
done

# the words of tenxen(8) as a reader sees them: roff's escapes and fonts taken out
sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\&//g' "$page8" > "$d/tenxen.8.txt"
words=$( { "$TENXEN" --help; for v in $("$TENXEN" --help | sed -n 's/^  \([a-z][a-z-]*\)\( .*\)\{0,1\}$/\1/p'); do
	"$TENXEN" "$v" --help; done; } 2>&1)
opts=$(grep -o -- '--[a-z][a-z-]*' <<< "$words" | sort -u)
[ "$(wc -l <<< "$opts")" -ge 30 ] || fail "the help texts name too few options: $opts"
for o in $opts; do
	grep -q -- "$o\\b" "$d/tenxen.8.txt" || fail "tenxen(8) does not name $o, which --help prints"
done
verbs=$("$TENXEN" --help | sed -n 's/^  \([a-z][a-z-]*\)\( .*\)\{0,1\}$/\1/p')
for v in $verbs; do
	grep -q "^\.SS $v\b" "$d/tenxen.8.txt" || fail "tenxen(8) has no section for the verb $v"
done
for sub in "bootcfg install" "guest templates" "guest create" "bootcfg show" "set KEY=VALUE" refresh new; do
	grep -qF -- "$sub" "$d/tenxen.8.txt" || fail "tenxen(8) does not say $sub"
done
for sec in "EXIT STATUS" ENVIRONMENT FILES EXAMPLES "SEE ALSO"; do
	grep -qx "\.SH $sec" "$d/tenxen.8.txt" || fail "tenxen(8) has no $sec section"
done
# every environment variable the program reads is in ENVIRONMENT
for e in $(grep -rhoE 'getenv\("TENXEN_[A-Z_]+"\)' --include=*.c common storage machine bootcfg net lang plan guest profiler apply ui cli | sed 's/getenv("\(.*\)")/\1/' | sort -u); do
	grep -q "$e" "$d/tenxen.8.txt" || fail "tenxen(8) does not explain $e, which the program reads"
done

# tenxen-answers(5): every command of the language, as the reader knows them (check --canonical
# of a file using them all would be longer; the commands are the ### headings of its source)
LC_ALL=C.UTF-8 MANWIDTH=200 man -l "$page5" > "$d/answers.txt" 2> /dev/null
for c in disk clearpart ignoredisk bootloader part volgroup logvol xen profiler console network timezone keyboard rootpw sshkey packages reboot; do
	grep -qE "^   $c\b" "$d/answers.txt" || fail "tenxen-answers(5) has no section for $c"
done
grep -q "COMING FROM KICKSTART" "$d/answers.txt" || fail "tenxen-answers(5) lacks the kickstart table"
# a change to docs/answer-file.md is in the page: it is made from that text, not kept beside it
grep -qF "$(sed -n 's/^\(An answer file says everything an install needs\).*/\1/p' docs/answer-file.md)" "$d/answers.txt" ||
	fail "tenxen-answers(5) does not carry docs/answer-file.md's text"
echo "ok: both pages render without warnings; tenxen(8) names $(wc -l <<< "$opts") options and $(wc -w <<< "$verbs") verbs"
