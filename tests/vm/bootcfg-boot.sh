# Tier 3: a disk whose /boot Tenxen wrote (bootcfg new: the config; bootcfg install: extlinux, its
# modules, the boot code and the legacy BIOS bootable attribute) boots under qemu through
# extlinux to Xen and a dom0. With the serial console on, Xen takes com1 at the chosen speed and
# dom0's console is hvc0. After "tenxen serial-console --remove --root" on that disk, the next
# boot uses no serial line at all.
set -u
export ASAN_OPTIONS=${ASAN_OPTIONS:-suppressions=$PWD/tests/asan.supp}
TENXEN=${TENXEN:-build/san/tenxen}
OUT=${OUT:-build/check}
fail() { echo "FAILED: $*"; exit 1; }
[ "$(id -u)" = 0 ] || fail "the boot test needs root (loop devices, mount); run make check as root"
for t in qemu-system-x86_64 parted partx mkfs.ext4 extlinux cpio apt-get dpkg-deb; do
	command -v $t > /dev/null || fail "$t is missing; make deps installs it"
done
. tests/lib/debs.sh
fetch_debs || fail "could not fetch Debian's kernel and Xen"
d="$OUT/vm-bootcfg-boot"
# the host as tenxen sees it: its /boot is this disk's partition, mounted there (a link from the
# tree to a folder outside it would be resolved inside the tree, as on any host)
mnt="$d/host/boot"
rm -rf "$d" && mkdir -p "$mnt"
loop=""
cleanup() {
	mountpoint -q "$mnt" && umount "$mnt"
	[ -n "$loop" ] && { partx -d "$loop" 2> /dev/null; losetup -d "$loop" 2> /dev/null; }
}
trap cleanup EXIT
attach_loop() {
	loop=$(losetup -f --show "$d/disk.img") || return 1
	partx -d "$loop" 2> /dev/null || true # stale entries outlive losetup -d on this kernel
	partx -a "$loop"
}
attach() { attach_loop && mount "${loop}p2" "$mnt"; }
detach() { umount "$mnt" && partx -d "$loop" && losetup -d "$loop"; loop=""; }

probe_initrd "$d/initrd.gz"
truncate -s 300M "$d/disk.img"
parted -s "$d/disk.img" mklabel gpt mkpart bios 1MiB 2MiB set 1 bios_grub on mkpart boot ext4 2MiB 290MiB ||
	fail "parted"
attach_loop || fail "cannot attach the disk image"
mkfs.ext4 -q -L boot "${loop}p2" || fail "mkfs.ext4"
mount "${loop}p2" "$mnt" || fail "mount"
cp "$XEN_GZ" "$mnt/"
cp "$VMLINUZ" "$mnt/"
cp "$d/initrd.gz" "$mnt/initrd.img-$KVER"
cat > "$d/host.ks" << 'KS'
#version=1
disk a --path=/dev/sda
clearpart a
bootloader extlinux --disks=a --timeout=1
part /boot --size=512M --disks=a
volgroup vg0 --disks=a
logvol / --vg=vg0 --name=root --size=4G
xen --dom0-mem=512M,max:512M
console serial --port=ttyS0 --speed=57600
rootpw --lock
KS
"$TENXEN" bootcfg --root "$d/host" new --answers "$d/host.ks" || fail "bootcfg new"
"$TENXEN" bootcfg install --boot "$mnt" --disk "$loop" || fail "bootcfg install"
cat "$mnt/extlinux/extlinux.conf"
detach || fail "detach"

boot_vm "$d/disk.img" "$d/serial" 240 || fail "the first boot did not reach dom0's /init: $(tail -c 3000 "$d/serial/com1.log")"
cat "$d/serial/time"
c1="$d/serial/com1.log" c2="$d/serial/com2.txt"
grep -a -q "(XEN) Xen version 4.17" "$c1" || fail "no Xen banner on com1"
grep -a "(XEN) Command line:" "$c1" | grep -q "com1=57600,8n1 console=com1,vga" || fail "Xen's command line lacks the serial console: $(grep -a 'Command line' "$c1")"
grep -a "(XEN) Command line:" "$c1" | grep -q "dom0_mem=512M,max:512M" || fail "Xen's command line lacks dom0_mem"
grep -a -q "Linux version $KVER" "$c1" || fail "dom0's kernel messages did not reach com1 through Xen"
grep -q "TENXEN-HYPERVISOR xen" "$c2" || fail "dom0 does not run under Xen: $(cat "$c2")"
# the last console listed is /dev/console (Documentation/ABI/testing/sysfs-tty)
grep -q "TENXEN-CONSOLE.* hvc0$" "$c2" || fail "dom0's console is not hvc0: $(cat "$c2")"
grep -q "TENXEN-CMDLINE .*console=hvc0" "$c2" || fail "dom0's command line lacks console=hvc0"
echo "serial boot: Xen on com1 at 57600, dom0 on hvc0"

attach || fail "cannot attach the disk image again"
"$TENXEN" serial-console --remove --root "$d/host" || fail "serial-console --remove"
grep -qi '^ *serial ' "$mnt/extlinux/extlinux.conf" && fail "SERIAL still in the config"
detach || fail "detach"

boot_vm "$d/disk.img" "$d/vga" 240 || fail "the second boot did not reach dom0's /init: $(cat "$d/vga/com2.log")"
cat "$d/vga/time"
c1="$d/vga/com1.log" c2="$d/vga/com2.txt"
grep -q "TENXEN-HYPERVISOR xen" "$c2" || fail "the second boot is not under Xen: $(cat "$c2")"
[ -s "$c1" ] && fail "the serial line was used after --remove: $(head -c 2000 "$c1")"
grep -q "console=hvc0" "$c2" && fail "dom0 still has console=hvc0 after --remove"
# /dev/console is the VGA one (hvc0 may still be listed: Xen's console now reaches only VGA)
grep -q "TENXEN-CONSOLE.*tty0$" "$c2" || fail "dom0's console is not the VGA one: $(cat "$c2")"
echo "after --remove: nothing on com1, dom0 on tty0"
