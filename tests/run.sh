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

# expect NAME EXPECTED-FILE ACTUAL-FILE: compare, or write when UPDATE=1
expect() {
	local name=$1 exp=$2 act=$3
	if [ -n "${UPDATE:-}" ]; then cp "$act" "$exp"; ok "$name (updated)"; return; fi
	if [ ! -f "$exp" ]; then echo "no expected output $exp" > "$OUT/why"; bad "$name" "$OUT/why"; return; fi
	if diff -u "$exp" "$act" > "$OUT/diff"; then ok "$name"; else bad "$name" "$OUT/diff"; fi
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

echo "== tier 1: kickstart files met with Tenxen's forms"
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

echo "== tier 1: plans against recorded machines"
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

echo "== tier 1: machine profiles"
for m in tests/machines/*.json; do
	name=$(basename "$m" .json)
	act="$OUT/profile-$name.out"
	"$TENXEN" --machine "$m" probe > "$act" 2>&1
	echo "exit: $?" >> "$act"
	expect "profile $name" "${m%.json}.expected" "$act"
done

echo "== tier 1: bootcfg corpus (extlinux.conf files in the styles found in the wild)"
# make_host ROOT: an installed host's files: /boot with two Xen versions and two kernels
make_host() {
	rm -rf "$1" && mkdir -p "$1/boot/extlinux" "$1/etc" "$1/lib/systemd"
	touch "$1/lib/systemd/systemd" "$1/boot/extlinux/mboot.c32" "$1/boot/extlinux/libcom32.c32"
	for f in xen-4.16-amd64.gz xen-4.17-amd64.gz vmlinuz-6.1.0-27-amd64 vmlinuz-6.1.0-28-amd64 \
		initrd.img-6.1.0-27-amd64 initrd.img-6.1.0-28-amd64; do touch "$1/boot/$f"; done
}
# bc_step NAME STEP ROOT ARGS...: run one edit, then compare its words and the file it left
bc_step() {
	local name=$1 step=$2 root=$3 act="$OUT/bc-$1.$2.out"
	shift 3
	"$TENXEN" "$@" --root "$root" > "$act.stdout" 2> "$act.stderr"
	local rc=$?
	{ cat "$act.stderr" "$act.stdout"; echo "exit: $rc"; echo "--- /boot/extlinux/extlinux.conf"
	  cat "$root/boot/extlinux/extlinux.conf"; } > "$act"
	expect "bootcfg $name: $step" "tests/bootcfg/expected/$name.$step" "$act"
}
mkdir -p tests/bootcfg/expected
for conf in tests/bootcfg/corpus/*.conf; do
	name=$(basename "$conf" .conf)
	root="$OUT/bc-host-$name"
	make_host "$root"; cp "$conf" "$root/boot/extlinux/extlinux.conf"
	bc_step "$name" add "$root" serial-console
	bc_step "$name" speed "$root" serial-console --speed 9600
	bc_step "$name" remove "$root" serial-console --remove
	make_host "$root"; cp "$conf" "$root/boot/extlinux/extlinux.conf"
	bc_step "$name" dom0mem "$root" bootcfg set dom0_mem=4G,max:4G
	make_host "$root"; cp "$conf" "$root/boot/extlinux/extlinux.conf"
	bc_step "$name" refresh "$root" bootcfg refresh
done
for conf in tests/bootcfg/bad/*.conf; do
	name=$(basename "$conf" .conf)
	act="$OUT/bc-bad-$name.out"
	# a copy in $OUT: the edit's lock file is made beside it, never in tests/
	cp "$conf" "$OUT/bc-bad.conf"
	"$TENXEN" bootcfg --config "$OUT/bc-bad.conf" show 2>&1 | sed "s|$OUT/bc-bad.conf|$conf|g" > "$act"
	echo "exit: ${PIPESTATUS[0]}" >> "$act"
	expect "bootcfg refuses $name" "${conf%.conf}.expected" "$act"
done

echo "== tier 1: xen.cfg corpus (UEFI: the same edits on every EFI system partition)"
# make_uefi_host ROOT CFG: a UEFI host's files: two ESPs in fstab, each holding CFG
make_uefi_host() {
	rm -rf "$1" && mkdir -p "$1/etc" "$1/lib/systemd" "$1/boot/efi/EFI/BOOT" "$1/boot/efi2/EFI/BOOT"
	touch "$1/lib/systemd/systemd"
	printf 'UUID=1 / ext4 defaults 0 1\nUUID=AB-CD /boot/efi vfat umask=0077,nofail 0 1\nUUID=EF-01 /boot/efi2 vfat umask=0077,nofail 0 1\n' > "$1/etc/fstab"
	for f in xen-4.17-amd64.efi vmlinuz-6.1.0-27-amd64 vmlinuz-6.1.0-28-amd64 \
		initrd.img-6.1.0-27-amd64 initrd.img-6.1.0-28-amd64; do echo "$f" > "$1/boot/$f"; done
	for d in efi efi2; do
		cp "$2" "$1/boot/$d/EFI/BOOT/BOOTX64.cfg"
		# the ESPs hold the older kernel (an entry may be pinned to it) and one no entry boots
		cp "$1/boot/vmlinuz-6.1.0-27-amd64" "$1/boot/initrd.img-6.1.0-27-amd64" "$1/boot/$d/EFI/BOOT/"
		echo old > "$1/boot/$d/EFI/BOOT/vmlinuz-6.1.0-26-amd64"
	done
}
# xc_step NAME STEP ROOT ARGS...: one edit; its words, the first ESP's config, and whether the
# second ESP's is the same
xc_step() {
	local name=$1 step=$2 root=$3 act="$OUT/xc-$1.$2.out" efi=boot/efi/EFI/BOOT
	shift 3
	"$TENXEN" "$@" --root "$root" > "$act.stdout" 2> "$act.stderr"
	local rc=$?
	{ cat "$act.stderr" "$act.stdout"; echo "exit: $rc"; echo "--- /$efi/BOOTX64.cfg"
	  cat "$root/$efi/BOOTX64.cfg"
	  echo "--- files: $(cd "$root/$efi" && ls | grep -v tenxen-old | tr '\n' ' ')"
	  if diff -r "$root/$efi" "$root/boot/efi2/EFI/BOOT" > /dev/null; then
		echo "--- the two ESPs are the same"
	  else echo "--- the two ESPs DIFFER"; fi; } > "$act"
	expect "xen.cfg $name: $step" "tests/bootcfg/xencfg/expected/$name.$step" "$act"
}
mkdir -p tests/bootcfg/xencfg/expected
for conf in tests/bootcfg/xencfg/corpus/*.cfg; do
	name=$(basename "$conf" .cfg)
	root="$OUT/xc-host-$name"
	make_uefi_host "$root" "$conf"
	xc_step "$name" add "$root" serial-console
	xc_step "$name" add-again "$root" serial-console
	xc_step "$name" speed "$root" serial-console --speed 9600
	xc_step "$name" remove "$root" serial-console --remove
	make_uefi_host "$root" "$conf"
	xc_step "$name" dom0mem "$root" bootcfg set dom0_mem=4G,max:4G vpmu=on
	xc_step "$name" dom0mem-again "$root" bootcfg set dom0_mem=4G,max:4G vpmu=on
	make_uefi_host "$root" "$conf"
	xc_step "$name" refresh "$root" bootcfg refresh
done
for conf in tests/bootcfg/xencfg/bad/*.cfg; do
	name=$(basename "$conf" .cfg)
	act="$OUT/xc-bad-$name.out"
	cp "$conf" "$OUT/xc-bad.cfg"
	"$TENXEN" bootcfg --config "$OUT/xc-bad.cfg" set dom0_mem=1G 2>&1 | sed "s|$OUT/||g" > "$act"
	echo "exit: ${PIPESTATUS[0]}" >> "$act"
	cmp -s "$conf" "$OUT/xc-bad.cfg" || echo "the refused file was changed" >> "$act"
	expect "xen.cfg refuses $name" "${conf%.cfg}.expected" "$act"
done

echo "== tier 1: command line"
scripts tests/cli cli

echo "== tier 1: the installer's screens (newt in tmux, 80x24)"
if command -v tmux > /dev/null; then
	scripts tests/tui tui
else
	bad "installer screens: tmux is missing (make deps installs it)"
fi

echo "== tier 1: fuzzing the parsers (libFuzzer, ASan + UBSan)"
# fuzz NAME CORPUS [DICT]: run one target for FUZZ_SECONDS on a copy of its seed corpus
fuzz() {
	local name=$1 seeds=$2 dict=${3:-} bin="build/fuzz/$1"
	if [ ! -x "$bin" ]; then bad "fuzz $name: $bin missing (make check builds it)"; return; fi
	rm -rf "$OUT/corpus-$name" && cp -r "$seeds" "$OUT/corpus-$name"
	if "$bin" -max_total_time="${FUZZ_SECONDS:-30}" -timeout=10 -rss_limit_mb=2048 \
		${dict:+-dict=$dict} "$OUT/corpus-$name" > "$OUT/fuzz-$name.out" 2>&1; then
		ok "fuzz $name ($(grep -o 'Done [0-9]* runs' "$OUT/fuzz-$name.out" | head -1))"
	else
		bad "fuzz $name" "$OUT/fuzz-$name.out"
	fi
}
fuzz fuzz_answers tests/fuzz/corpus tests/fuzz/answers.dict
fuzz fuzz_extlinux tests/fuzz/extlinux-corpus
fuzz fuzz_bootcfg_set tests/fuzz/bootcfg-set-corpus
fuzz fuzz_rootfs tests/fuzz/rootfs-corpus
fuzz fuzz_xencfg tests/fuzz/xencfg-corpus
fuzz fuzz_lvmmeta tests/fuzz/lvmmeta-corpus
fuzz fuzz_xlcfg tests/fuzz/xlcfg-corpus
fuzz fuzz_manifest tests/fuzz/manifest-corpus

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
