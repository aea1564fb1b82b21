# Debian packages Tenxen boots and packs, fetched once into build/cache (never installed on the
# build machine): Debian's kernel, Xen and busybox.
#   fetch_debs: sets KERNEL_DIR (unpacked linux-image), XEN_GZ, VMLINUZ, KVER, BUSYBOX
CACHE=${CACHE:-build/cache}

# deb_for PACKAGE: download it into $CACHE/debs (once); prints the .deb's path
deb_for() {
	local pkg=$1 f
	mkdir -p "$CACHE/debs"
	f=$(ls "$CACHE/debs/${pkg}_"*.deb 2> /dev/null | head -1)
	if [ -z "$f" ]; then
		(cd "$CACHE/debs" && { apt-get download "$pkg" > /dev/null 2>&1 ||
			{ apt-get update -qq > /dev/null 2>&1 && apt-get download "$pkg" > /dev/null; }; }) ||
			{ echo "cannot download the Debian package $pkg" >&2; return 1; }
		f=$(ls "$CACHE/debs/${pkg}_"*.deb | head -1)
	fi
	echo "$f"
}

# unpack_deb PACKAGE DIR: the package's files under DIR (once)
unpack_deb() {
	local deb
	deb=$(deb_for "$1") || return 1
	if [ ! -e "$2/.unpacked" ] || [ "$(cat "$2/.unpacked")" != "$(basename "$deb")" ]; then
		rm -rf "$2" && mkdir -p "$2" && dpkg-deb -x "$deb" "$2" && basename "$deb" > "$2/.unpacked"
	fi
}

fetch_debs() {
	local kpkg
	kpkg=$(apt-cache depends linux-image-amd64 2> /dev/null | sed -n 's/.*Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -1)
	if [ -z "$kpkg" ]; then
		apt-get update -qq > /dev/null 2>&1
		kpkg=$(apt-cache depends linux-image-amd64 | sed -n 's/.*Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -1)
	fi
	[ -n "$kpkg" ] || { echo "cannot tell which kernel linux-image-amd64 stands for" >&2; return 1; }
	unpack_deb "$kpkg" "$CACHE/kernel" || return 1
	unpack_deb xen-hypervisor-4.17-amd64 "$CACHE/xen" || return 1
	unpack_deb busybox-static "$CACHE/busybox" || return 1
	KERNEL_DIR=$CACHE/kernel
	VMLINUZ=$(ls "$CACHE"/kernel/boot/vmlinuz-* | head -1)
	KVER=${VMLINUZ##*/vmlinuz-}
	XEN_GZ=$(ls "$CACHE"/xen/boot/xen-*.gz | head -1)
	BUSYBOX=$CACHE/busybox/bin/busybox
	[ -f "$VMLINUZ" ] && [ -f "$XEN_GZ" ] && [ -x "$BUSYBOX" ]
}

