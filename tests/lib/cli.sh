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
# free_port: a TCP port on 127.0.0.1 nobody listens on; wait_port PORT: until a server listens
# there (5 s at most)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 50); do python3 -c "import socket; socket.create_connection(('127.0.0.1', $1))" 2> /dev/null && break; sleep 0.1; done; }
