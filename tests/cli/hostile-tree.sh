# A host tree under --root is a jail: links planted to lead out of it are resolved inside it,
# temp files never follow a link, odd files (FIFOs, NUL bytes) are refused at once, values with
# control characters are refused, and edits keep owners, line endings and the admin's own lines.
. tests/lib/bootcfg-host.sh
d=$(tmpdir hostile)
d=$(cd "$d" && pwd) # absolute: the links below name it
ext="$d/outside"
mkdir -p "$ext"
echo "not Tenxen's to change" > "$ext/victim"
printf 'id:2:initdefault:\n' > "$ext/inittab"
sum() { sha256sum "$ext"/* | sha256sum; }
before=$(sum)

# 1. a planted temp file: a link from extlinux.conf.tenxen-new to a file outside
host "$d/r1"
ln -s "$ext/victim" "$d/r1/boot/extlinux/extlinux.conf.tenxen-new"
run "$TENXEN" serial-console --root "$d/r1"; expect_rc 0
grep -q '^SERIAL 0 115200' "$d/r1/boot/extlinux/extlinux.conf" || fail "the config was not changed"
[ "$(sum)" = "$before" ] || fail "a file outside the tree changed through the planted temp link"

# 2. the tree's /etc is an absolute link to a folder outside: it means the tree's own path
host "$d/r2"; rm -rf "$d/r2/etc"; rm -rf "$d/r2/lib/systemd"
ln -s "$ext" "$d/r2/etc"
run "$TENXEN" serial-console --root "$d/r2"
[ "$(sum)" = "$before" ] || fail "serial-console edited the folder outside that the tree's /etc links to"
[ -z "$(find "$ext" -newer "$ext/victim" -print -quit)" ] || fail "something was created outside the tree"

# 3. an absolute extlinux.conf link means the tree's own file, never this machine's
host "$d/r3"
mv "$d/r3/boot/extlinux/extlinux.conf" "$d/r3/boot/extlinux/real.conf"
ln -s /boot/extlinux/real.conf "$d/r3/boot/extlinux/extlinux.conf"
mkdir -p "$d/r3/boot/boot/extlinux"; ln -s /boot/extlinux/real.conf "$d/r3/boot/boot/extlinux/real.conf" 2> /dev/null
run "$TENXEN" serial-console --root "$d/r3"; expect_rc 0
grep -q '^SERIAL 0 115200' "$d/r3/boot/extlinux/real.conf" || fail "the tree's own config behind the link was not edited"
host "$d/r4"; rm "$d/r4/boot/extlinux/extlinux.conf"
echo "DEFAULT decoy-outside" > "$ext/decoy.conf"; before=$(sum)
ln -s "$ext/decoy.conf" "$d/r4/boot/extlinux/extlinux.conf"
run "$TENXEN" bootcfg --root "$d/r4" show; expect_rc 1
expect_out "found no boot configuration under"
expect_no_out "decoy-outside"
[ "$(sum)" = "$before" ] || fail "the decoy outside the tree changed"

# 4. links that climb (../..), and loops, stay inside or count as missing
host "$d/r5"; rm -rf "$d/r5/lib/systemd"
ln -s ../../../../../../../../../"$ext"/inittab "$d/r5/etc/inittab"
ln -s /etc/securetty "$d/r5/etc/securetty" # a loop: itself, inside the tree
run "$TENXEN" serial-console --root "$d/r5"
[ "$(sum)" = "$before" ] || fail "a climbing link led an edit outside the tree"

# a loop where /boot or /etc should be: refused with a sentence, never a made-up path
host "$d/loopboot"; cp "$d/loopboot/boot/extlinux/extlinux.conf" "$d/loopboot.conf"
rm -rf "$d/loopboot/boot"; ln -s /boot "$d/loopboot/boot"
run "$TENXEN" bootcfg --root "$d/loopboot" --config "$d/loopboot.conf" refresh; expect_rc 1
expect_out "cannot resolve /boot under"
mkdir -p "$d/loopetc"; ln -s /etc "$d/loopetc/etc"
run "$TENXEN" --root "$d/loopetc" guest templates; expect_rc 1
expect_out "cannot resolve /etc/tenxen/templates under"

# 5. a FIFO, a folder, a NUL byte: refused at once, nothing written
host "$d/r6"; rm "$d/r6/boot/extlinux/extlinux.conf"; mkfifo "$d/r6/boot/extlinux/extlinux.conf"
out6=$(timeout 20 "$TENXEN" bootcfg --root "$d/r6" show 2>&1); rc=$?
[ $rc -ne 124 ] || fail "bootcfg hung on a FIFO"
[ $rc -eq 1 ] && grep -q 'not a regular file' <<< "$out6" || fail "a FIFO config: $out6"
host "$d/r7"; printf 'DEFAULT xen\0\nLABEL xen\n' > "$d/r7/boot/extlinux/extlinux.conf"
cp "$d/r7/boot/extlinux/extlinux.conf" "$d/r7.orig"
run "$TENXEN" serial-console --root "$d/r7"; expect_rc 1; expect_out "NUL byte"
cmp -s "$d/r7/boot/extlinux/extlinux.conf" "$d/r7.orig" || fail "a config with a NUL byte was rewritten"
mkfifo "$d/answers.fifo"
out8=$(timeout 20 "$TENXEN" check "$d/answers.fifo" 2>&1); rc=$?
[ $rc -eq 1 ] && grep -q 'not a regular file' <<< "$out8" || fail "an answer file that is a FIFO: rc $rc, $out8"
run "$TENXEN" check "$d"; expect_rc 1; expect_out "it is a folder"

# 6. control characters in a value: refused, the config unchanged, the terminal never sees them
host "$d/r9"; c9="$d/r9/boot/extlinux/extlinux.conf"; cp "$c9" "$d/r9.orig"
for v in "$(printf 'loglvl=all\nDEFAULT evil')" "$(printf 'loglvl=all\rx')" "$(printf 'a\033[2Jb')"; do
	run "$TENXEN" bootcfg --root "$d/r9" set "xen-append=$v"; expect_rc 1
	expect_out "holds a control character"
	! printf "%s" "$out" | grep -q "$(printf '\033')" || fail "an escape reached the terminal raw"
	cmp -s "$c9" "$d/r9.orig" || fail "a value with a control character changed the config"
done

# 7. an edit keeps the file's owner and group, and its mode
host "$d/r10"; c10="$d/r10/boot/extlinux/extlinux.conf"
chown 1234:5678 "$c10"; chmod 0640 "$c10"
run "$TENXEN" bootcfg --root "$d/r10" set dom0_mem=2G,max:2G; expect_rc 0
[ "$(stat -c '%u:%g %a' "$c10")" = "1234:5678 640" ] || fail "owner, group or mode changed: $(stat -c '%u:%g %a' "$c10")"

# 8. line endings and the admin's own lines: remove after add gives back the same bytes
for form in crlf nofinal mixed; do
	host "$d/s-$form"; rm -rf "$d/s-$form/lib/systemd"
	case $form in
	crlf) printf 'id:2:initdefault:\r\n1:2345:respawn:/sbin/getty 38400 tty1\r\n' > "$d/s-$form/etc/inittab"
	      printf 'console\r\ntty1\r\n' > "$d/s-$form/etc/securetty" ;;
	nofinal) printf 'id:2:initdefault:\n1:2345:respawn:/sbin/getty 38400 tty1' > "$d/s-$form/etc/inittab"
	      printf 'console\ntty1' > "$d/s-$form/etc/securetty" ;;
	mixed) printf 'id:2:initdefault:\r\n1:2345:respawn:/sbin/getty 38400 tty1\n' > "$d/s-$form/etc/inittab"
	      printf 'console\ntty1\r\n' > "$d/s-$form/etc/securetty" ;;
	esac
	cp "$d/s-$form/etc/inittab" "$d/s-$form.inittab"; cp "$d/s-$form/etc/securetty" "$d/s-$form.securetty"
	run "$TENXEN" serial-console --root "$d/s-$form"; expect_rc 0
	grep -q 'hvc0:2345:respawn' "$d/s-$form/etc/inittab" || fail "$form: no hvc0 line added"
	run "$TENXEN" serial-console --root "$d/s-$form" --remove; expect_rc 0
	cmp -s "$d/s-$form/etc/inittab" "$d/s-$form.inittab" || fail "$form: inittab not restored byte for byte: $(od -c "$d/s-$form/etc/inittab" | head -5)"
	cmp -s "$d/s-$form/etc/securetty" "$d/s-$form.securetty" || fail "$form: securetty not restored byte for byte"
done
host "$d/admin"; rm -rf "$d/admin/lib/systemd"
printf 'id:2:initdefault:\nhvc0:23:respawn:/sbin/getty 38400 hvc0\n' > "$d/admin/etc/inittab"
cp "$d/admin/etc/inittab" "$d/admin.inittab"
run "$TENXEN" serial-console --root "$d/admin"; expect_rc 0
cmp -s "$d/admin/etc/inittab" "$d/admin.inittab" || fail "the admin's own hvc0 line was replaced or doubled"
run "$TENXEN" serial-console --root "$d/admin" --remove; expect_rc 0
grep -qx 'hvc0:23:respawn:/sbin/getty 38400 hvc0' "$d/admin/etc/inittab" || fail "--remove took the admin's own hvc0 line"
[ "$(sum)" = "$before" ] || fail "something outside the tree changed"
echo "ok: planted links, FIFOs, NUL bytes, control characters, owners and line endings"
