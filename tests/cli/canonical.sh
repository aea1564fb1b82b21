# --canonical writes a spec back as an answer file: a plain-text password only as its hash,
# every default spelled out, %include flattened; and the result reads back the same.
. tests/lib/cli.sh
d=$(tmpdir canonical)
"$TENXEN" check --canonical tests/answers/plaintext-password.ks > "$d/c.ks" 2> "$d/err" || fail "canonical failed: $(cat "$d/err")"
grep -q "correct horse" "$d/c.ks" && fail "the plain-text password reached the canonical output"
grep -qF "rootpw --iscrypted '\$y\$" "$d/c.ks" || fail "no yescrypt hash in: $(cat "$d/c.ks")"
grep -q "^bootloader extlinux --disks=a --label=gpt --timeout=5$" "$d/c.ks" || fail "bootloader defaults not written"
grep -q "^shell$" "$d/c.ks" || fail "finish action lost"
"$TENXEN" check --canonical tests/answers/include-main.ks > "$d/inc.ks" || fail "include-main failed"
grep -q "%include" "$d/inc.ks" && fail "%include left in canonical output"
grep -q "^logvol swap --vg=vg0 --name=swap --size=4G" "$d/inc.ks" || fail "the nested include's volume is missing"
"$TENXEN" check --canonical "$d/inc.ks" > "$d/inc2.ks" || fail "canonical output does not check"
cmp -s "$d/inc.ks" "$d/inc2.ks" || fail "canonical output changed on a second pass"
"$TENXEN" check --canonical tests/answers/err-no-root.ks > "$d/none.ks" 2>/dev/null && fail "canonical of a bad file succeeded"
[ -s "$d/none.ks" ] && fail "canonical wrote a spec for a file with errors"
true
