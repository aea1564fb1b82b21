#!/bin/bash
# Tier 1 corpus: tenxen probe on each recorded machine profile (tests/machines/*.json).
# Run by tests/run.sh, which counts its "ok NAME" and "FAIL NAME" lines; UPDATE=1 rewrites the
# expected outputs (review the diff before committing).
. tests/lib/corpus.sh
for m in tests/machines/*.json; do
	name=$(basename "$m" .json)
	act="$OUT/profile-$name.out"
	"$TENXEN" --machine "$m" probe > "$act" 2>&1
	echo "exit: $?" >> "$act"
	expect "profile $name" "${m%.json}.expected" "$act"
done
