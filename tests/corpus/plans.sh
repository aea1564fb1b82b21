#!/bin/bash
# Tier 1 corpus: tenxen plan on each tests/plans/*.ks against the recorded machine its '# machine:' line names.
# Run by tests/run.sh, which counts its "ok NAME" and "FAIL NAME" lines; UPDATE=1 rewrites the
# expected outputs (review the diff before committing).
. tests/lib/corpus.sh
for ks in tests/plans/*.ks; do
	name=$(basename "$ks" .ks)
	machine=$(sed -n 's/^# machine: //p' "$ks" | head -1)
	format=$(sed -n 's/^# format: //p' "$ks" | head -1)
	act="$OUT/plan-$name.out"
	if [ -z "$machine" ] || [ ! -f "tests/machines/$machine.json" ]; then
		echo "$ks names no machine profile (# machine: NAME)" > "$act"; bad "plan $name" "$act"; continue
	fi
	"$TENXEN" plan ${format:+--$format} --answers "$ks" --machine "tests/machines/$machine.json" > "$act" 2>&1
	echo "exit: $?" >> "$act"
	expect "plan $name" "${ks%.ks}.expected" "$act"
done
