# A fake installed host for the bootcfg tests: host ROOT [CONF]
. tests/lib/cli.sh
host() {
	rm -rf "$1" && mkdir -p "$1/boot/extlinux" "$1/etc" "$1/lib/systemd"
	touch "$1/lib/systemd/systemd" "$1/boot/extlinux/mboot.c32" "$1/boot/extlinux/libcom32.c32"
	for f in xen-4.17-amd64.gz vmlinuz-6.1.0-27-amd64 initrd.img-6.1.0-27-amd64; do touch "$1/boot/$f"; done
	cp "${2:-tests/bootcfg/corpus/debian-xen-by-hand.conf}" "$1/boot/extlinux/extlinux.conf"
}

# uefi_host ROOT [CFG]: a UEFI host: two ESPs (in fstab at /boot/efi and /boot/efi2) holding
# the same xen.cfg as BOOTX64.cfg, and /boot with xen.efi, a kernel and its initrd
uefi_host() {
	local f esp
	rm -rf "$1" && mkdir -p "$1/etc" "$1/lib/systemd" "$1/boot/efi/EFI/BOOT" "$1/boot/efi2/EFI/BOOT"
	touch "$1/lib/systemd/systemd"
	printf 'UUID=1 / ext4 defaults 0 1\nUUID=AB-CD /boot/efi vfat umask=0077,nofail 0 1\nUUID=EF-01 /boot/efi2 vfat umask=0077,nofail 0 1\n' > "$1/etc/fstab"
	for f in xen-4.17-amd64.efi vmlinuz-6.1.0-28-amd64 initrd.img-6.1.0-28-amd64; do echo "$f" > "$1/boot/$f"; done
	for esp in efi efi2; do cp "${2:-tests/bootcfg/xencfg/corpus/tenxen-fresh.cfg}" "$1/boot/$esp/EFI/BOOT/BOOTX64.cfg"; done
}
