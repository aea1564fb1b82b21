# tenxen probe says how the machine booted: BIOS without /sys/firmware/efi; UEFI with it, and
# Secure Boot from its EFI variable (4 bytes of attributes, then 1 when on); a recorded profile
# keeps both, and a plan on it follows.
. tests/lib/cli.sh
d=$(tmpdir probefw)
mkdir -p "$d/sys/block" "$d/sys/class/net" "$d/proc" "$d/dev"
echo 'MemTotal: 16777216 kB' > "$d/proc/meminfo"
probe() { run "$TENXEN" --sys "$d/sys" --dev "$d/dev" --proc "$d/proc" probe "$@"; }
probe; expect_rc 0; expect_out "firmware: BIOS (legacy boot)"
mkdir -p "$d/sys/firmware/efi/efivars"
probe; expect_rc 0; expect_out "firmware: UEFI, Secure Boot off"
printf '\006\000\000\000\001' > "$d/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c"
probe; expect_rc 0; expect_out "firmware: UEFI, Secure Boot on"
probe --record "$d/m.json"; expect_rc 0
[ "$(jq -r '.firmware + " " + (.secure_boot | tostring)' "$d/m.json")" = "uefi true" ] ||
	fail "the profile does not keep the firmware: $(cat "$d/m.json")"
printf '\006\000\000\000\000' > "$d/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c"
probe --json; expect_rc 0
jq -e '.firmware == "uefi" and .secure_boot == false' <<< "$out" > /dev/null || fail "probe --json: $out"
# the recorded Secure Boot machine refuses a UEFI install at plan time
run "$TENXEN" --machine "$d/m.json" check tests/answers/uefi-firmware.ks; expect_rc 1
expect_out "Secure Boot is on, and Debian's xen.efi is not signed"
true
