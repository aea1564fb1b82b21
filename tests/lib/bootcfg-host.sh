# A fake installed host for the bootcfg tests: host ROOT [CONF]
. tests/lib/cli.sh
host() {
	rm -rf "$1" && mkdir -p "$1/boot/extlinux" "$1/etc" "$1/lib/systemd"
	touch "$1/lib/systemd/systemd" "$1/boot/extlinux/mboot.c32" "$1/boot/extlinux/libcom32.c32"
	for f in xen-4.17-amd64.gz vmlinuz-6.1.0-27-amd64 initrd.img-6.1.0-27-amd64; do touch "$1/boot/$f"; done
	cp "${2:-tests/bootcfg/corpus/debian-xen-by-hand.conf}" "$1/boot/extlinux/extlinux.conf"
}
