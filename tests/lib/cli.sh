# Helpers for the command-line tests: each test is a script that exits non-zero on the first
# failed assertion, saying what it expected.
set -u
export ASAN_OPTIONS=${ASAN_OPTIONS:-suppressions=$PWD/tests/asan.supp}
TENXEN=${TENXEN:-build/san/tenxen}
OUT=${OUT:-build/check}
fail() { echo "FAILED: $*"; exit 1; }
# run CMD...: runs it, keeping its output in $out and status in $rc
run() { out=$("$@" 2>&1); rc=$?; printf '%s\n' "$out"; }
expect_rc() { [ "$rc" -eq "$1" ] || fail "expected exit $1, got $rc"; }
expect_out() { grep -qF -- "$1" <<< "$out" || fail "expected output to contain: $1"; }
expect_no_out() { ! grep -qF -- "$1" <<< "$out" || fail "expected output not to contain: $1"; }
tmpdir() { local d="$OUT/tmp.$1"; rm -rf "$d"; mkdir -p "$d"; echo "$d"; }
