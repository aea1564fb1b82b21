# A UEFI host tree is a jail too: an ESP, its folder or its xen.cfg planted as a link leading out
# of the tree is resolved inside it (or counts as missing); a FIFO is refused at once; a value
# with a newline is refused; nothing outside the tree changes.
. tests/lib/bootcfg-host.sh
d=$(tmpdir xhostile)
d=$(cd "$d" && pwd)
ext="$d/outside"
mkdir -p "$ext/EFI/BOOT"
cp tests/bootcfg/xencfg/corpus/tenxen-fresh.cfg "$ext/EFI/BOOT/BOOTX64.cfg"
cp tests/bootcfg/xencfg/corpus/tenxen-fresh.cfg "$ext/decoy.cfg"
sum() { find "$ext" -type f -exec sha256sum {} + | sort | sha256sum; }
before=$(sum)

# 1. the second ESP's mount point is a link to a folder outside: it counts as missing
uefi_host "$d/h1"
rm -rf "$d/h1/boot/efi2"; ln -s "$ext" "$d/h1/boot/efi2"
run "$TENXEN" serial-console --root "$d/h1"; expect_rc 0
expect_out "/boot/efi2 holds no EFI/BOOT/BOOTX64.cfg"
grep -q 'console=com1' "$d/h1/boot/efi/EFI/BOOT/BOOTX64.cfg" || fail "the first ESP was not changed"
run "$TENXEN" bootcfg refresh --root "$d/h1"; expect_rc 0
[ "$(sum)" = "$before" ] || fail "a file outside the tree changed through the ESP link"

# 2. the config is a link climbing out of the tree: it is resolved inside (missing)
uefi_host "$d/h2"
for esp in efi efi2; do
	ln -sf ../../../../../../../../../../../"$ext"/decoy.cfg "$d/h2/boot/$esp/EFI/BOOT/BOOTX64.cfg"
done
run "$TENXEN" bootcfg set dom0_mem=2G,max:2G --root "$d/h2"; expect_rc 1
expect_no_out "dom0_mem=2048M"
[ "$(sum)" = "$before" ] || fail "the decoy outside the tree changed"

# 3. a FIFO in the config's place is refused at once, never waited on
uefi_host "$d/h3"
rm "$d/h3/boot/efi/EFI/BOOT/BOOTX64.cfg"; mkfifo "$d/h3/boot/efi/EFI/BOOT/BOOTX64.cfg"
run timeout 20 "$TENXEN" serial-console --root "$d/h3"
[ "$rc" -ne 124 ] || fail "tenxen hung on a FIFO"
expect_rc 1
expect_out "not a regular file"

# 4. a value with a newline is refused before anything changes
uefi_host "$d/h4"
run "$TENXEN" bootcfg set "xen-append=loglvl=all
[evil]" --root "$d/h4"; expect_rc 1
expect_out "control character"
cmp -s "$d/h4/boot/efi/EFI/BOOT/BOOTX64.cfg" tests/bootcfg/xencfg/corpus/tenxen-fresh.cfg || fail "a refused value changed the config"
# 5. reads go through the jail too: a kernel in /boot that is an absolute link to a file
# outside the tree is resolved inside it (there is no such file there), and nothing from
# outside reaches either ESP
uefi_host "$d/h5"
echo "outside secret" > "$ext/secret"
before=$(sum)
ln -s "$ext/secret" "$d/h5/boot/vmlinuz-6.9.0-1-amd64"
ln -s "$ext/secret" "$d/h5/boot/initrd.img-6.9.0-1-amd64"
run "$TENXEN" bootcfg refresh --root "$d/h5"
expect_rc 1
grep -rqF "outside secret" "$d/h5/boot/efi" "$d/h5/boot/efi2" && fail "a file from outside the tree was copied onto an ESP"
# the same with a relative link that climbs out, and a link on the ESP itself
rm "$d/h5/boot/vmlinuz-6.9.0-1-amd64" "$d/h5/boot/initrd.img-6.9.0-1-amd64"
ln -s ../../../../../../../../../../../../"$ext/secret" "$d/h5/boot/xen-4.99-amd64.efi"
run "$TENXEN" bootcfg refresh --root "$d/h5"
expect_rc 1
grep -rqF "outside secret" "$d/h5/boot/efi" "$d/h5/boot/efi2" && fail "a file from outside the tree reached an ESP through a climbing link"
rm "$d/h5/boot/xen-4.99-amd64.efi"
ln -sf "$ext/secret" "$d/h5/boot/efi/EFI/BOOT/BOOTX64.EFI"
run "$TENXEN" bootcfg refresh --root "$d/h5"
expect_rc 0
[ "$(cat "$ext/secret")" = "outside secret" ] || fail "the file outside the tree was written through a link on the ESP"
[ "$(sum)" = "$before" ] || fail "a file outside the tree changed"

# 6. an ESP reached twice (its second mount point a link to the first) is one ESP: edited once,
# not "another run is changing it"
uefi_host "$d/h6"
rm -rf "$d/h6/boot/efi2"; ln -s efi "$d/h6/boot/efi2"
run "$TENXEN" serial-console --root "$d/h6"
expect_rc 0
expect_no_out "another run"
grep -q 'console=com1' "$d/h6/boot/efi/EFI/BOOT/BOOTX64.cfg" || fail "the ESP reached twice was not changed"
true
