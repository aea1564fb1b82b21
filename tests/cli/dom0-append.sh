#!/bin/bash
# dom0's kernel options (bootcfg set dom0-append=): set on every Xen entry's kernel, on BIOS in
# extlinux.conf and on UEFI in the xen.cfg of both ESPs; a second run changes nothing; a key
# given again replaces its word; serial-console on and off keeps them; refused values change
# nothing; the dry run writes nothing.
. tests/lib/bootcfg-host.sh
d=$(tmpdir dom0)
opts='xen-pciback.hide=(0000:03:00.0) iommu=pt'

host "$d/h"
c="$d/h/boot/extlinux/extlinux.conf"
run "$TENXEN" bootcfg --root "$d/h" set dom0-append="$opts"; expect_rc 0
n=$(grep -c "root=[^ ]* ro $opts ---\|root=[^ ]* ro .*$opts ---" "$c")
[ "$n" = "$(grep -c 'mboot.c32' "$c")" ] || fail "not on every Xen entry: $(cat "$c")"
grep -E '^ *APPEND root=' "$c" | grep -q pciback && fail "on the entry without Xen: $(cat "$c")"
cp "$c" "$d/once"
run "$TENXEN" bootcfg --root "$d/h" set dom0-append="$opts"; expect_rc 0; expect_out "nothing to change"
cmp -s "$c" "$d/once" || fail "a second run changed the config"
run "$TENXEN" bootcfg --root "$d/h" set dom0-append=iommu=soft; expect_rc 0
grep -q 'iommu=pt' "$c" && fail "iommu=soft left iommu=pt beside it"
grep -q 'xen-pciback.hide=(0000:03:00.0) iommu=soft' "$c" || fail "iommu=soft did not take iommu=pt's place: $(cat "$c")"
cp "$c" "$d/before-serial"
run "$TENXEN" serial-console --root "$d/h" --port ttyS1; expect_rc 0
grep -q 'iommu=soft console=hvc0 ---' "$c" || fail "serial-console dropped dom0's options: $(cat "$c")"
run "$TENXEN" serial-console --root "$d/h" --remove; expect_rc 0
cmp -s "$c" "$d/before-serial" || fail "serial-console off did not give back the config: $(diff "$d/before-serial" "$c")"
for bad in "root=/dev/sda2" "quiet --- x" "" "$(printf 'quiet\nroot=x')"; do
	run "$TENXEN" bootcfg --root "$d/h" set dom0-append="$bad"; expect_rc 1
	cmp -s "$c" "$d/before-serial" || fail "a refused dom0-append=\"$bad\" changed the config"
done
run "$TENXEN" bootcfg --root "$d/h" set dom0-append="root=/dev/sda2"; expect_out "root= is the host's own"
run "$TENXEN" bootcfg --root "$d/h" --dry-run set dom0-append=nomodeset; expect_rc 0
expect_out "iommu=soft nomodeset ---"
cmp -s "$c" "$d/before-serial" || fail "the dry run wrote"

uefi_host "$d/u"
run "$TENXEN" bootcfg --root "$d/u" set dom0-append="$opts"; expect_rc 0
for esp in efi efi2; do
	x="$d/u/boot/$esp/EFI/BOOT/BOOTX64.cfg"
	k=$(grep -c '^kernel=' "$x")
	[ "$(grep -c "^kernel=.* ro.* $opts\$" "$x")" = "$k" ] || fail "$esp: not on every kernel= line: $(cat "$x")"
done
cmp -s "$d/u/boot/efi/EFI/BOOT/BOOTX64.cfg" "$d/u/boot/efi2/EFI/BOOT/BOOTX64.cfg" || fail "the two ESPs differ"
cp "$d/u/boot/efi/EFI/BOOT/BOOTX64.cfg" "$d/x-once"
run "$TENXEN" bootcfg --root "$d/u" set dom0-append="$opts"; expect_rc 0
cmp -s "$d/u/boot/efi/EFI/BOOT/BOOTX64.cfg" "$d/x-once" || fail "a second run changed xen.cfg"
run "$TENXEN" serial-console --root "$d/u"; expect_rc 0
grep -q "$opts console=hvc0\$" "$d/u/boot/efi/EFI/BOOT/BOOTX64.cfg" || fail "serial-console dropped dom0's options on UEFI"
run "$TENXEN" serial-console --root "$d/u" --remove; expect_rc 0
cmp -s "$d/u/boot/efi/EFI/BOOT/BOOTX64.cfg" "$d/x-once" || fail "serial-console off did not give back xen.cfg"
echo "ok: dom0-append on extlinux and on both ESPs' xen.cfg; idempotent; kept by serial-console"
