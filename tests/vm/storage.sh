# Tier 3: storage installs in virtual machines, one scenario each (tests/vm/scenarios/*), judged
# from inside the guest (lvs, mdadm) and from the build machine afterwards. SCENARIOS="a b"
# runs some of them. Needs root for nothing but qemu's speed; fails loudly without qemu.
set -u
export ASAN_OPTIONS=${ASAN_OPTIONS:-suppressions=$PWD/tests/asan.supp}
OUT=${OUT:-build/check}
command -v qemu-system-x86_64 > /dev/null || { echo "FAILED: qemu-system-x86_64 is missing; make deps installs it"; exit 1; }
. tests/lib/harness.sh
[ -f "$ENV_DIR/initrd.img" ] || { echo "FAILED: no installer environment in $ENV_DIR (make env)"; exit 1; }
failed=0
for s in ${SCENARIOS:-$(ls tests/vm/scenarios)}; do
	echo "== scenario $s"
	if run_scenario "$s" > "$OUT/scenario-$s.out" 2>&1; then
		echo "ok   $s: $(tail -1 "$OUT/scenario-$s.out")"
	else
		echo "FAIL $s"; sed 's/^/     | /' "$OUT/scenario-$s.out"; failed=$((failed + 1))
	fi
done
[ $failed -eq 0 ]
