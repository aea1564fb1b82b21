#!/bin/bash
# Tier 1 corpus: files as kickstart users write them (tests/kickstart/README.md): each line Tenxen spells
# otherwise gets one error naming the line and Tenxen's form; no password is ever shown.
# Run by tests/run.sh, which counts its "ok NAME" and "FAIL NAME" lines; UPDATE=1 rewrites the
# expected outputs (review the diff before committing).
. tests/lib/corpus.sh
# Files as kickstart users write them (tests/kickstart/README.md): each line Tenxen spells
# otherwise gets one error naming the line and Tenxen's form; converted.ks, carried over, passes.
for ks in tests/kickstart/*.ks; do
	name=$(basename "$ks" .ks)
	act="$OUT/kickstart-$name.out"
	"$TENXEN" check "$ks" > "$act" 2>&1
	echo "exit: $?" >> "$act"
	expect "kickstart $name" "${ks%.ks}.expected" "$act"
	secret=$(sed -n 's/^# never shown: //p' "$ks")
	if [ -n "$secret" ] && grep -qF -- "$secret" "$act"; then
		bad "kickstart $name shows a password" "$act"
	fi
done
