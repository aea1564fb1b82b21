# bootcfg show, set, new, refresh and their bad input; the kernel hook.
. tests/lib/bootcfg-host.sh
d=$(tmpdir bccmd)
host "$d/h"
run "$TENXEN" bootcfg --root "$d/h" show; expect_rc 0
expect_out "default: xen"
expect_out "dom0      /vmlinuz-6.1.0-27-amd64"
run "$TENXEN" bootcfg --root "$d/h" set dom0-mem=2G; expect_rc 0
run "$TENXEN" bootcfg --root "$d/h" set dom0_mem=2048; expect_rc 1
expect_out '"2048" has no unit, and Xen would read it as KiB'
run "$TENXEN" bootcfg --root "$d/h" set dom0_mme=2G; expect_rc 1; expect_out "did you mean dom0_mem?"
run "$TENXEN" bootcfg --root "$d/h" set default=nosuch; expect_rc 1
expect_out "has no entry called nosuch; its entries are: xen, debian"
run "$TENXEN" bootcfg --root "$d/h" set default=debian xen-append="loglvl=all iommu=1"; expect_rc 0
grep -q '^DEFAULT debian$' "$d/h/boot/extlinux/extlinux.conf" || fail "default not set"
grep -q 'dom0_mem=2048M loglvl=all iommu=1 ---' "$d/h/boot/extlinux/extlinux.conf" || fail "xen-append not set"
# Xen's virtual PMU for the profiler: set, changed in place, dropped by off; a bad mode changes nothing
c="$d/h/boot/extlinux/extlinux.conf"
run "$TENXEN" bootcfg --root "$d/h" set vpmu=ipc; expect_rc 0
[ "$(grep -c 'mboot.c32 .*vpmu=ipc ---\|xen.*vpmu=ipc .*---' "$c")" -ge 1 ] || fail "vpmu=ipc not set: $(cat "$c")"
run "$TENXEN" bootcfg --root "$d/h" set vpmu=arch; expect_rc 0
grep -q 'vpmu=ipc' "$c" && fail "vpmu=ipc left beside vpmu=arch"
grep -q 'iommu=1 vpmu=arch ---' "$c" || fail "vpmu=arch not in Xen's options: $(cat "$c")"
cp "$c" "$d/vpmu.conf"
run "$TENXEN" bootcfg --root "$d/h" set vpmu=ipx; expect_rc 1
expect_out "vpmu=ipx is not a mode; use off, on, bts, ipc or arch"
cmp -s "$c" "$d/vpmu.conf" || fail "a refused vpmu changed the config"
run "$TENXEN" bootcfg --root "$d/h" set vpmu=off; expect_rc 0
grep -q 'vpmu' "$c" && fail "vpmu=off left a vpmu option: $(cat "$c")"
run "$TENXEN" bootcfg --root "$d/h" sho; expect_rc 2; expect_out "did you mean show?"
run "$TENXEN" bootcfg --root "$d/nonexistent" show; expect_rc 2
expect_out "--root $d/nonexistent: there is no such folder"
mkdir -p "$d/empty"
run "$TENXEN" bootcfg --root "$d/empty" show; expect_rc 1
expect_out "found no boot configuration under $d/empty: no extlinux configuration"

# new: a fresh config from an answer file
host "$d/n"; rm "$d/n/boot/extlinux/extlinux.conf"
cat > "$d/n.ks" << 'KS'
#version=1
disk a --path=/dev/sda
clearpart a
part /boot --size=512M --disks=a
volgroup vg0 --disks=a
logvol / --vg=vg0 --name=root --size=20G
xen --dom0-mem=auto --dom0-max-vcpus=4
console serial --port=ttyS1 --speed=57600
rootpw --lock
profiler --vpmu=bts
KS
run "$TENXEN" bootcfg --root "$d/n" --machine tests/machines/one-disk.json new --answers "$d/n.ks"; expect_rc 0
conf="$d/n/boot/extlinux/extlinux.conf"
head -4 "$conf" | grep -q '^SERIAL 1 57600$' || fail "no SERIAL line: $(cat "$conf")"
grep -q 'APPEND /xen-4.17-amd64.gz dom0_mem=1433M,max:1433M dom0_max_vcpus=4 vpmu=bts com2=57600,8n1 console=com2,vga --- /vmlinuz-6.1.0-27-amd64 root=/dev/mapper/vg0-root ro console=hvc0 --- /initrd.img-6.1.0-27-amd64' "$conf" ||
	fail "Xen entry: $(cat "$conf")"
grep -q '^LABEL xen-safe$' "$conf" || fail "no safe-mode entry"
grep -q 'APPEND root=/dev/mapper/vg0-root ro console=ttyS1,57600n8' "$conf" || fail "no recovery entry"
cp "$conf" "$d/fresh.conf"
run "$TENXEN" serial-console --root "$d/n" --port ttyS1 --speed 57600; expect_rc 0
cmp -s "$conf" "$d/fresh.conf" || fail "serial-console changed a fresh config that already had that console"
run "$TENXEN" bootcfg --root "$d/n" new --answers "$d/n.ks" --machine tests/machines/one-disk.json; expect_rc 1
expect_out "exists; bootcfg new writes a whole new config: add --force"
rm "$d/n/boot/vmlinuz-6.1.0-27-amd64"
run "$TENXEN" bootcfg --root "$d/n" new --force --answers "$d/n.ks" --machine tests/machines/one-disk.json; expect_rc 1
expect_out "lacks a kernel (vmlinuz-*)"

# the kernel hook: a new kernel arrives, the hook points the entries at it
host "$d/k"
touch "$d/k/boot/vmlinuz-6.1.0-28-amd64" "$d/k/boot/initrd.img-6.1.0-28-amd64"
mkdir -p "$d/bin" && ln -sf "$(pwd)/$TENXEN" "$d/bin/tenxen"
PATH="$d/bin:$PATH" TENXEN_ROOT="$d/k" sh data/hooks/kernel-zz-tenxen 6.1.0-28-amd64 /boot/vmlinuz-6.1.0-28-amd64 ||
	fail "the kernel hook failed"
grep -q -- '--- /vmlinuz-6.1.0-28-amd64 root=/dev/mapper/vg0-root ro quiet --- /initrd.img-6.1.0-28-amd64' "$d/k/boot/extlinux/extlinux.conf" ||
	fail "the hook did not refresh: $(cat "$d/k/boot/extlinux/extlinux.conf")"
out=$(PATH="$d/bin:$PATH" TENXEN_ROOT="$d/k" sh data/hooks/kernel-zz-tenxen 2>&1)
[ -z "$out" ] || fail "a second hook run said something: $out"
