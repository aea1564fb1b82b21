#!/bin/bash
# Tenxen's test runner: every tier of `make check`, ending in one line "N passed, N failed".
#   tier 1: unit tests, expected-output tests (answer files, plans, profiles), fuzzing, style
#   tier 2: image-file tests on loop devices (needs root)
# A tier that cannot run here fails; it never passes by being skipped.
# UPDATE=1 tests/run.sh rewrites the expected outputs (review the diff before committing).
# tests/run.sh --tier 1 (make check-fast) runs tier 1 alone, its fuzzers 5 s each: the loop of
# a change, in a few minutes; tests/run.sh --tier 2 runs tiers 1 and 2.
set -u
TIER=3
case "${1:-}" in
--tier) TIER=${2:?--tier takes 1, 2 or 3}; [ "$TIER" = 1 ] && : "${FUZZ_SECONDS:=5}" ;;
'') ;;
*) echo "usage: tests/run.sh [--tier 1|2|3]" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/.."
export LC_ALL=C
TENXEN=${TENXEN:-build/san/tenxen}
OUT=build/check
rm -rf "$OUT" && mkdir -p "$OUT"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:suppressions=$PWD/tests/asan.supp
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
pass=0 fail=0

# each result's time is the time since the one before it (the first tiers run one test at a
# time), or T_TOOK when set (tier 3 times each test in its lane)
T_LAST=$(date +%s.%N)
: > "$OUT/times"
took() {
	local now
	now=$(date +%s.%N)
	printf '%.1f %s\n' "${T_TOOK:-$(echo "$now - $T_LAST" | bc)}" "$1" >> "$OUT/times"
	T_LAST=$now
}
ok() { pass=$((pass + 1)); echo "ok   $1"; took "$1"; }
bad() {
	fail=$((fail + 1)); echo "FAIL $1"; took "$1"
	if [ -n "${2:-}" ] && [ -f "$2" ]; then sed 's/^/     | /' "$2" | head -60; fi
}

# scripts DIR PREFIX: run each DIR/*.sh as one test, its output kept in $OUT/PREFIX-NAME.out
scripts() {
	local t name
	for t in "$1"/*.sh; do
		name=$(basename "$t" .sh)
		if TENXEN=$TENXEN OUT=$OUT bash "$t" > "$OUT/$2-$name.out" 2>&1; then
			ok "$2 $name"
		else
			bad "$2 $name" "$OUT/$2-$name.out"
		fi
	done
}

# corpus NAME: tests/corpus/NAME.sh, each of its "ok NAME" / "FAIL NAME" lines one result (the
# lines under a FAIL say why); a script that ends otherwise than with status 0 is a failure too
corpus() {
	local line rc=
	while IFS= read -r line; do
		case $line in
			"ok   "*) ok "${line#ok   }" ;;
			"FAIL "*) bad "${line#FAIL }" ;;
			"corpus-status "*) rc=${line#corpus-status } ;;
			*) echo "$line" ;;
		esac
	done < <(TENXEN=$TENXEN OUT=$OUT UPDATE=${UPDATE:-} bash "tests/corpus/$1.sh" 2> "$OUT/corpus-$1.err"
		echo "corpus-status $?")
	[ "$rc" = 0 ] || bad "corpus $1 ended with status ${rc:-unknown}" "$OUT/corpus-$1.err"
}

echo "== tier 1: unit tests"
for t in build/tests/test_*; do
	[ -x "$t" ] || { bad "unit tests: $t missing (make check builds them)"; continue; }
	"$t" > "$OUT/unit.out" 2>&1; rc=$?
	while read -r status name; do
		case $status in
			ok) ok "unit: $name" ;;
			FAIL) bad "unit: $name" ;;
		esac
	done < <(grep -E '^(ok|FAIL) ' "$OUT/unit.out")
	if [ $rc -ne 0 ]; then
		bad "unit: $(basename "$t") exited $rc" "$OUT/unit.out"
	fi
done

echo "== tier 1: answer files"
corpus answers
echo "== tier 1: kickstart files met with Tenxen's forms"
corpus kickstart
echo "== tier 1: plans against recorded machines"
corpus plans
echo "== tier 1: machine profiles"
corpus profiles
echo "== tier 1: bootcfg corpus (extlinux.conf files in the styles found in the wild)"
corpus bootcfg
echo "== tier 1: xen.cfg corpus (UEFI: the same edits on every EFI system partition)"
corpus xencfg
# The fuzzers take one core each for their time, and the command-line and screen tests mostly
# wait: the fuzzers run beside them, one at a time, and their results are counted after them.
# fuzz NAME CORPUS [DICT]: run one target for FUZZ_SECONDS on a copy of its seed corpus; says
# "ok|FAIL SECONDS NAME" for the count
fuzz() {
	local name=$1 seeds=$2 dict=${3:-} bin="build/fuzz/$1" t0
	t0=$(date +%s.%N)
	if [ ! -x "$bin" ]; then echo "FAIL 0 fuzz $name: $bin missing (make check builds it)"; return; fi
	rm -rf "$OUT/corpus-$name" && cp -r "$seeds" "$OUT/corpus-$name"
	if "$bin" -max_total_time="${FUZZ_SECONDS:-30}" -timeout=10 -rss_limit_mb=2048 \
		${dict:+-dict=$dict} "$OUT/corpus-$name" > "$OUT/fuzz-$name.out" 2>&1; then
		echo "ok $(echo "$(date +%s.%N) - $t0" | bc) fuzz $name ($(grep -o 'Done [0-9]* runs' "$OUT/fuzz-$name.out" | head -1))"
	else
		echo "FAIL $(echo "$(date +%s.%N) - $t0" | bc) fuzz $name"
	fi
}
fuzz_all() {
	fuzz fuzz_answers tests/fuzz/corpus tests/fuzz/answers.dict
	fuzz fuzz_extlinux tests/fuzz/extlinux-corpus
	fuzz fuzz_bootcfg_set tests/fuzz/bootcfg-set-corpus
	fuzz fuzz_rootfs tests/fuzz/rootfs-corpus
	fuzz fuzz_xencfg tests/fuzz/xencfg-corpus
	fuzz fuzz_lvmmeta tests/fuzz/lvmmeta-corpus
	fuzz fuzz_xlcfg tests/fuzz/xlcfg-corpus
	fuzz fuzz_manifest tests/fuzz/manifest-corpus
}
fuzz_all > "$OUT/fuzz.results" 2>&1 &
fuzz_pid=$!

echo "== tier 1: command line"
scripts tests/cli cli

echo "== tier 1: the installer's screens (newt in tmux, 80x24)"
if command -v tmux > /dev/null; then
	scripts tests/tui tui
else
	bad "installer screens: tmux is missing (make deps installs it)"
fi

echo "== tier 1: fuzzing the parsers (libFuzzer, ASan + UBSan), run beside the tests above"
wait "$fuzz_pid"
while read -r status secs name; do
	T_TOOK=$secs
	case $status in
		ok) ok "$name" ;;
		*) bad "$name" "$OUT/fuzz-$(sed 's/^fuzz \([a-z_]*\).*/\1/' <<< "$name").out" ;;
	esac
	unset T_TOOK
done < "$OUT/fuzz.results"
[ "$(grep -c . "$OUT/fuzz.results")" = 8 ] || bad "fuzz: $(grep -c . "$OUT/fuzz.results") results of the 8 fuzzers" "$OUT/fuzz.results"
T_LAST=$(date +%s.%N)

echo "== tier 1: style"
if make -s format-check > "$OUT/style.out" 2>&1; then
	ok "style: clang-format (.clang-format)"
else
	bad "style: clang-format (.clang-format); make format fixes it" "$OUT/style.out"
fi

if [ "$TIER" -ge 2 ]; then
echo "== tier 2: image files on loop devices"
scripts tests/probe loop
fi

if [ "$TIER" -lt 3 ]; then
	echo "== tier 3: not run (--tier $TIER)"
else
echo "== tier 3: virtual machines (qemu, TCG), in two lanes side by side"
# The disk space the tier needs beyond what build/ holds before it, with room to spare: the
# disk images of the tests running at once (its peak is printed at its end: 4861 MiB before
# iso-7 kept iso-1's two disks through iso-2, about 2.2 GiB more)
TIER3_DISK_MIB=8192
# Each VM is one emulated CPU, and a test mostly waits on its VMs: two lanes of tests run side by
# side, one a core. A lane runs its tests one after another, in the order they need (iso-2 and
# iso-7 boot the disks iso-1 installed); iso-6 (two VMs at once for a while) runs first, apart
# from pxe-fleet's three; results are reported when both lanes are done, in a fixed order.
# A test not named in a lane runs in the first.
LANE1="iso-6-uefi scenarios bootcfg-boot iso-5-vga iso-3-refusals iso-4-interactive"
LANE2="iso-1-install iso-2-degraded iso-7-reinstall pxe-fleet"
mkdir -p "$OUT/lane"
# vm_one NAME: one test of tier 3, its status and seconds into $OUT/lane/NAME
vm_one() {
	local name=$1 t0 rc=0 s
	t0=$(date +%s.%N)
	if [ "$name" = scenarios ]; then
		for s in tests/vm/scenarios/*/; do
			s=$(basename "$s")
			t0=$(date +%s.%N)
			run_scenario "$s" > "$OUT/scenario-$s.out" 2>&1
			echo "$? $(echo "$(date +%s.%N) - $t0" | bc)" > "$OUT/lane/scenario-$s"
		done
		return
	fi
	TENXEN=$TENXEN OUT=$OUT bash "tests/vm/$name.sh" > "$OUT/vm-$name.out" 2>&1 || rc=$?
	echo "$rc $(echo "$(date +%s.%N) - $t0" | bc)" > "$OUT/lane/$name"
}
vm_lane() {
	local name
	for name in "$@"; do vm_one "$name"; done
}
vm_report() { # NAME STATUS-FILE OK-TEXT OUTPUT
	local rc secs
	if [ ! -f "$2" ]; then bad "$1 (it did not run)"; return; fi
	read -r rc secs < "$2"
	if [ "$rc" = 0 ]; then T_TOOK=$secs ok "$3"; else T_TOOK=$secs bad "$1" "$4"; fi
}
if ! command -v qemu-system-x86_64 > /dev/null; then
	bad "tier 3: qemu-system-x86_64 is missing (make deps installs it)"
elif [ ! -f build/env/initrd.img ]; then
	bad "tier 3: no installer environment in build/env (make check builds it)"
elif ! (. tests/lib/iso.sh && check_iso) > "$OUT/check-iso.out" 2>&1; then
	bad "tier 3: the check ISO could not be built" "$OUT/check-iso.out"
elif [ "$(df --output=avail -m "$OUT" | tail -1)" -lt "$TIER3_DISK_MIB" ]; then
	bad "tier 3: it needs $TIER3_DISK_MIB MiB free on the disk of $OUT, for its VMs' disk images, and there are $(df --output=avail -m "$OUT" | tail -1) MiB: free some space (build/check keeps only logs between runs)"
else
	. tests/lib/harness.sh
	lane1=() lane2=()
	for t in tests/vm/*.sh; do
		name=$(basename "$t" .sh)
		case " $LANE2 " in *" $name "*) ;; *) case " $LANE1 " in *" $name "*) ;; *) lane1+=("$name") ;; esac ;; esac
	done
	t3=$(date +%s)
	vm_lane $LANE1 "${lane1[@]}" > "$OUT/lane1.out" 2>&1 &
	l1=$!
	vm_lane $LANE2 > "$OUT/lane2.out" 2>&1 &
	l2=$!
	# the most the tier held on disk at once, read every 15 s (its disk images are removed as
	# each test is done with them: TIER3_DISK_MIB above is this figure with room to spare)
	( peak=0 base=$(du -sm "$OUT" | cut -f1); while kill -0 $l1 2> /dev/null || kill -0 $l2 2> /dev/null; do
		now=$(($(du -sm "$OUT" 2> /dev/null | cut -f1) - base))
		[ "${now:-0}" -gt $peak ] && peak=$now && echo $peak > "$OUT/disk-peak"
		sleep 15
	done ) > /dev/null 2>&1 &
	sampler=$!
	wait $l1 $l2
	kill $sampler 2> /dev/null
	echo "tier 3: $(($(date +%s) - t3)) s of wall time, in two lanes; its files took at most $(cat "$OUT/disk-peak" 2> /dev/null) MiB more on disk than before it"
	for s in tests/vm/scenarios/*/; do
		s=$(basename "$s")
		vm_report "vm storage $s" "$OUT/lane/scenario-$s" \
			"vm storage $s ($(grep -o 'install boot took [0-9]* s' "$OUT/scenario-$s.out")$(grep -q 'stalled in the emulator' "$OUT/scenario-$s.out" && echo ', after an emulator stall'))" \
			"$OUT/scenario-$s.out"
	done
	for t in tests/vm/*.sh; do
		name=$(basename "$t" .sh)
		stalls=$(grep -c '^note: emulator stall' "$OUT/vm-$name.out" 2> /dev/null)
		vm_report "vm $name" "$OUT/lane/$name" \
			"vm $name ($(grep -h 'booted in' "$OUT"/vm-"$name"/*/time 2> /dev/null | tr '\n' ' ')$(sed -n 's/^ok: //p' "$OUT/vm-$name.out")$([ "${stalls:-0}" -gt 0 ] && echo "; passed after $stalls emulator stall(s) and a re-run"))" \
			"$OUT/vm-$name.out"
	done
fi
fi

echo
echo "the slowest tests (seconds):"
sort -rn "$OUT/times" | head -n 8 | sed 's/^/  /'
echo
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
