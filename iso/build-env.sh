#!/bin/bash
# Build Tenxen's installer environment: Debian's kernel (unpacked from its package, never
# installed here) and an initramfs holding tenxen, busybox, lvm2, mdadm, e2fsprogs, mkfs.fat and
# efibootmgr (UEFI), the kernel
# modules an installer needs with their dependency data, terminfo and an lvm.conf without udev.
#   iso/build-env.sh OUTDIR TENXEN_BINARY  ->  OUTDIR/vmlinuz, OUTDIR/initrd.img
set -eu
out=${1:?usage: iso/build-env.sh OUTDIR TENXEN_BINARY}
tenxen=${2:?usage: iso/build-env.sh OUTDIR TENXEN_BINARY}
cd "$(dirname "$0")/.."
. iso/debs.sh
fetch_debs
mkdir -p "$out"
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,etc/lvm,etc/tenxen,proc,sys,dev,run,tmp,target,mnt,root,lib,usr/share}

# programs and the libraries they load, copied from this Debian (the same release)
copy_prog() {
	local src=$1 dst=$2 lib
	install -D -m 0755 "$src" "$root$dst"
	for lib in $(ldd "$src" 2> /dev/null | grep -o '/[^ ]*'); do
		[ -e "$root$lib" ] || install -D -m 0755 "$lib" "$root$lib"
	done
}
copy_prog "$tenxen" /sbin/tenxen
for p in lvm mdadm mke2fs resize2fs tune2fs mkswap extlinux mkfs.fat efibootmgr; do copy_prog "$(command -v $p)" "/sbin/$p"; done
ln -sf mkfs.fat "$root/sbin/mkfs.vfat" # the ESPs of a UEFI host
# GNU tar and zstd unpack the payload (busybox's tar keeps no extended attributes)
for p in tar zstd; do copy_prog "$(command -v $p)" "/usr/bin/$p"; done
install -D -m 0644 /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
install -D -m 0755 iso/udhcpc.script "$root/etc/udhcpc.script"
printf 'hosts: files dns\n' > "$root/etc/nsswitch.conf"
ln -sf mke2fs "$root/sbin/mkfs.ext4"
install -m 0755 "$BUSYBOX" "$root/bin/busybox"
for a in $("$BUSYBOX" --list); do
	case $a in busybox | mke2fs | mkfs.ext2 | mkswap | tar) continue ;; esac
	[ -e "$root/bin/$a" ] || [ -e "$root/sbin/$a" ] || ln -s busybox "$root/bin/$a"
done
ln -sf ../bin/busybox "$root/sbin/modprobe" # LVM and the kernel exec /sbin/modprobe
printf '#!/bin/sh\nexit 0\n' > "$root/sbin/udevadm" && chmod +x "$root/sbin/udevadm" # libparted's settle

# kernel modules with everything they depend on, and their dependency data
kroot=$(cd "$KERNEL_DIR" && pwd)
[ -f "$kroot/lib/modules/$KVER/modules.dep" ] || depmod -b "$kroot" "$KVER"
grep -v '^#' iso/modules | while read -r m; do
	[ -n "$m" ] || continue
	modprobe -d "$kroot" -S "$KVER" --show-depends "$m" 2> /dev/null | awk '$1 == "insmod" {print $2}'
done | sort -u | while read -r ko; do
	rel=${ko#"$kroot"}
	install -D -m 0644 "$ko" "$root$rel"
done
cp "$kroot/lib/modules/$KVER/modules.order" "$kroot/lib/modules/$KVER/modules.builtin" \
	"$kroot/lib/modules/$KVER/modules.builtin.modinfo" \
	"$root/lib/modules/$KVER/" 2> /dev/null || true
depmod -b "$root" "$KVER"

# terminfo for the text installer on a serial line and on VGA
for t in v/vt100 v/vt102 l/linux; do
	[ -e "/lib/terminfo/$t" ] && install -D -m 0644 "/lib/terminfo/$t" "$root/lib/terminfo/$t"
done
# time zones, for checking the answer file's (and, later, for choosing one on screen)
mkdir -p "$root/usr/share/zoneinfo"
(cd /usr/share/zoneinfo && tar --exclude=./posix --exclude=./right -cf - .) | tar -xf - -C "$root/usr/share/zoneinfo"
cp iso/lvm.conf "$root/etc/lvm/lvm.conf"
cp iso/modules "$root/etc/tenxen/modules"
install -m 0755 iso/init "$root/init"
echo "root:x:0:0:root:/root:/bin/sh" > "$root/etc/passwd"

cp "$VMLINUZ" "$out/vmlinuz"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$out/initrd.img.new"
mv "$out/initrd.img.new" "$out/initrd.img"
echo "installer environment: $out/vmlinuz (kernel $KVER), $out/initrd.img ($(du -h "$out/initrd.img" | cut -f1))"
