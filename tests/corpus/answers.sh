#!/bin/bash
# Tier 1 corpus: tenxen check on each answer file, against its .expected; a file that checks clean also
# survives the round trip through its canonical text, field by field.
# Run by tests/run.sh, which counts its "ok NAME" and "FAIL NAME" lines; UPDATE=1 rewrites the
# expected outputs (review the diff before committing).
. tests/lib/corpus.sh
for ks in tests/answers/*.ks; do
	name=$(basename "$ks" .ks)
	act="$OUT/answers-$name.out"
	extra=$(sed -n 's/^# check-options: //p' "$ks" | head -1)
	# shellcheck disable=SC2086
	"$TENXEN" check $extra "$ks" > "$act" 2>&1
	echo "exit: $?" >> "$act"
	expect "check $name" "${ks%.ks}.expected" "$act"
	# A file that checks clean must survive the round trip with its meaning whole: its canonical
	# text read back is the same spec, field by field (check --json: every field, no places), and
	# writing that again gives the same text. A password given in clear is hashed with a fresh
	# salt at each reading, so for those files the hash alone is left out of the first compare.
	if tail -1 "$act" | grep -q '^exit: 0$' && [ -z "$extra" ]; then
		c1="$OUT/canon1-$name.ks" c2="$OUT/canon2-$name.ks"
		j0="$OUT/spec0-$name.json" j1="$OUT/spec1-$name.json"
		nohash=.
		grep -q -- '--plaintext' "$ks" && nohash='del(.system.rootpw_hash)'
		if "$TENXEN" check --canonical "$ks" > "$c1" 2> "$OUT/canon.err" &&
			"$TENXEN" check --canonical "$c1" > "$c2" 2>> "$OUT/canon.err" &&
			cmp -s "$c1" "$c2" && [ -s "$c1" ] &&
			"$TENXEN" check --json "$ks" | jq -S "$nohash" > "$j0" 2>> "$OUT/canon.err" &&
			"$TENXEN" check --json "$c1" | jq -S "$nohash" > "$j1" 2>> "$OUT/canon.err" &&
			[ -s "$j0" ] && diff -u "$j0" "$j1" >> "$OUT/canon.err"; then
			ok "round trip $name"
		else
			diff -u "$c1" "$c2" >> "$OUT/canon.err" 2>&1
			bad "round trip $name" "$OUT/canon.err"
		fi
	fi
done
