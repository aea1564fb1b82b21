# Helpers for the tier-1 corpus scripts (tests/corpus/*.sh): each case ends in one line,
# "ok   NAME" or "FAIL NAME" followed by the why, indented "     | ", which tests/run.sh counts.
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 1
export LC_ALL=C
TENXEN=${TENXEN:-build/san/tenxen}
OUT=${OUT:-build/check}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:suppressions=$PWD/tests/asan.supp}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
mkdir -p "$OUT"
ok() { echo "ok   $1"; }
bad() {
	echo "FAIL $1"
	if [ -n "${2:-}" ] && [ -f "$2" ]; then sed 's/^/     | /' "$2" | head -60; fi
}
# expect NAME EXPECTED-FILE ACTUAL-FILE: compare, or write when UPDATE=1
expect() {
	local name=$1 exp=$2 act=$3
	if [ -n "${UPDATE:-}" ]; then cp "$act" "$exp"; ok "$name (updated)"; return; fi
	if [ ! -f "$exp" ]; then echo "no expected output $exp" > "$OUT/why"; bad "$name" "$OUT/why"; return; fi
	if diff -u "$exp" "$act" > "$OUT/diff"; then ok "$name"; else bad "$name" "$OUT/diff"; fi
}
