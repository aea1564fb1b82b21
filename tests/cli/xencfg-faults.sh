# UEFI: a write killed at each step leaves each ESP's xen.cfg old or new, never torn; the next run
# makes both ESPs new and the same again.
. tests/lib/bootcfg-host.sh
d=$(tmpdir xfaults)
uefi_host "$d/want"
"$TENXEN" serial-console --root "$d/want" > "$d/ref" 2>&1 || fail "the reference run failed: $(cat "$d/ref")"
new="$d/want/boot/efi/EFI/BOOT/BOOTX64.cfg"
old=tests/bootcfg/xencfg/corpus/tenxen-fresh.cfg
cmp -s "$new" "$old" && fail "the reference run changed nothing"
for point in mid-write after-write after-fsync after-backup after-rename; do
	uefi_host "$d/h"
	TENXEN_FAULT=$point "$TENXEN" serial-console --root "$d/h" > /dev/null 2>&1
	rc=$?
	[ $rc -eq 137 ] || fail "$point: expected the run to be killed (137), got $rc"
	states=
	for esp in efi efi2; do
		conf="$d/h/boot/$esp/EFI/BOOT/BOOTX64.cfg"
		if cmp -s "$conf" "$old"; then s=old; elif cmp -s "$conf" "$new"; then s=new; else
			fail "$point: $esp's config is torn: $(diff "$old" "$conf")"; fi
		states="$states $esp=$s"
	done
	echo "killed at $point:$states"
	case $point in
		after-rename) [ "$states" = " efi=new efi2=old" ] || fail "$point: expected the first ESP new, the second old" ;;
		*) [ "$states" = " efi=old efi2=old" ] || fail "$point: expected both ESPs old" ;;
	esac
	"$TENXEN" serial-console --root "$d/h" > "$d/out" 2>&1 || fail "$point: the run after the crash failed: $(cat "$d/out")"
	for esp in efi efi2; do
		cmp -s "$d/h/boot/$esp/EFI/BOOT/BOOTX64.cfg" "$new" || fail "$point: $esp is not the new config after the next run"
		ls "$d/h/boot/$esp/EFI/BOOT" | grep -q 'tenxen-new' && fail "$point: a temporary file is left on $esp"
	done
done
# the kernel hook on a UEFI host: a new kernel and a new xen.efi reach both ESPs and their configs
uefi_host "$d/k"
echo new-kernel > "$d/k/boot/vmlinuz-6.1.0-29-amd64"; echo new-initrd > "$d/k/boot/initrd.img-6.1.0-29-amd64"
echo new-xen > "$d/k/boot/xen-4.18-amd64.efi"
mkdir -p "$d/bin" && ln -sf "$(pwd)/$TENXEN" "$d/bin/tenxen"
PATH="$d/bin:$PATH" TENXEN_ROOT="$d/k" sh data/hooks/kernel-zz-tenxen 6.1.0-29-amd64 /boot/vmlinuz-6.1.0-29-amd64 > "$d/out" 2>&1 ||
	fail "the kernel hook failed: $(cat "$d/out")"
for esp in efi efi2; do
	e="$d/k/boot/$esp/EFI/BOOT"
	grep -q '^kernel=vmlinuz-6.1.0-29-amd64 root=/dev/mapper/vg0-root ro$' "$e/BOOTX64.cfg" || fail "$esp: the hook did not move kernel=: $(cat "$e/BOOTX64.cfg")"
	grep -q '^ramdisk=initrd.img-6.1.0-29-amd64$' "$e/BOOTX64.cfg" || fail "$esp: the hook did not move ramdisk="
	[ "$(cat "$e/BOOTX64.EFI")" = new-xen ] || fail "$esp: the newest xen.efi was not copied"
	[ "$(cat "$e/vmlinuz-6.1.0-29-amd64")" = new-kernel ] || fail "$esp: the new kernel was not copied"
done
out=$(PATH="$d/bin:$PATH" TENXEN_ROOT="$d/k" sh data/hooks/kernel-zz-tenxen 2>&1)
[ -z "$out" ] || fail "a second hook run said something: $out"

# show: the first ESP's config and every ESP of fstab
uefi_host "$d/s"
run "$TENXEN" bootcfg show --root "$d/s"; expect_rc 0
expect_out "config:  /boot/efi/EFI/BOOT/BOOTX64.cfg (xen.cfg, read by xen.efi on UEFI)"
expect_out "default: xen"
expect_out "serial:  none"
expect_out "  xen-safe"
expect_out "/boot/efi2   holds the config"
# a dry run writes nothing on either ESP; a missing ESP is named and the present one is changed
uefi_host "$d/h"
"$TENXEN" bootcfg set dom0_mem=2G,max:2G --dry-run --root "$d/h" > "$d/out" 2>&1 || fail "dry run failed"
grep -q '^+options=dom0_mem=2048M,max:2048M' "$d/out" || fail "the dry run shows no diff: $(cat "$d/out")"
cmp -s "$d/h/boot/efi/EFI/BOOT/BOOTX64.cfg" "$old" && cmp -s "$d/h/boot/efi2/EFI/BOOT/BOOTX64.cfg" "$old" ||
	fail "the dry run changed a config"
rm "$d/h/boot/efi2/EFI/BOOT/BOOTX64.cfg"
"$TENXEN" bootcfg set dom0_mem=2G,max:2G --root "$d/h" > "$d/out" 2>&1 || fail "set with one ESP gone failed: $(cat "$d/out")"
grep -q '/boot/efi2 holds no EFI/BOOT/BOOTX64.cfg' "$d/out" || fail "the missing ESP is not named: $(cat "$d/out")"
grep -q 'dom0_mem=2048M,max:2048M' "$d/h/boot/efi/EFI/BOOT/BOOTX64.cfg" || fail "the present ESP was not changed"
# once it is back (a new disk's ESP, mounted and blank), refresh makes it the same as the other
"$TENXEN" bootcfg refresh --root "$d/h" > "$d/out" 2>&1 || fail "refresh failed: $(cat "$d/out")"
grep -q '/boot/efi2 was blank; it is filled as /boot/efi' "$d/out" || fail "refresh did not fill the blank ESP: $(cat "$d/out")"
diff -r "$d/h/boot/efi/EFI/BOOT" "$d/h/boot/efi2/EFI/BOOT" -x '*.tenxen-old' || fail "the ESPs differ after refresh"
for f in BOOTX64.EFI BOOTX64.cfg vmlinuz-6.1.0-28-amd64 initrd.img-6.1.0-28-amd64; do
	[ -s "$d/h/boot/efi2/EFI/BOOT/$f" ] || fail "refresh left $f off the filled ESP"
done
true
