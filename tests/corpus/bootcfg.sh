#!/bin/bash
# Tier 1 corpus: extlinux.conf files in the styles found in the wild: each edit's words and the file it left,
# and the refused files.
# Run by tests/run.sh, which counts its "ok NAME" and "FAIL NAME" lines; UPDATE=1 rewrites the
# expected outputs (review the diff before committing).
. tests/lib/corpus.sh
# make_host ROOT: an installed host's files: /boot with two Xen versions and two kernels
make_host() {
	rm -rf "$1" && mkdir -p "$1/boot/extlinux" "$1/etc" "$1/lib/systemd"
	touch "$1/lib/systemd/systemd" "$1/boot/extlinux/mboot.c32" "$1/boot/extlinux/libcom32.c32"
	for f in xen-4.16-amd64.gz xen-4.17-amd64.gz vmlinuz-6.1.0-27-amd64 vmlinuz-6.1.0-28-amd64 \
		initrd.img-6.1.0-27-amd64 initrd.img-6.1.0-28-amd64; do touch "$1/boot/$f"; done
}
# bc_step NAME STEP ROOT ARGS...: run one edit, then compare its words and the file it left
bc_step() {
	local name=$1 step=$2 root=$3 act="$OUT/bc-$1.$2.out"
	shift 3
	"$TENXEN" "$@" --root "$root" > "$act.stdout" 2> "$act.stderr"
	local rc=$?
	{ cat "$act.stderr" "$act.stdout"; echo "exit: $rc"; echo "--- /boot/extlinux/extlinux.conf"
	  cat "$root/boot/extlinux/extlinux.conf"; } > "$act"
	expect "bootcfg $name: $step" "tests/bootcfg/expected/$name.$step" "$act"
}
mkdir -p tests/bootcfg/expected
for conf in tests/bootcfg/corpus/*.conf; do
	name=$(basename "$conf" .conf)
	root="$OUT/bc-host-$name"
	make_host "$root"; cp "$conf" "$root/boot/extlinux/extlinux.conf"
	bc_step "$name" add "$root" serial-console
	bc_step "$name" speed "$root" serial-console --speed 9600
	bc_step "$name" remove "$root" serial-console --remove
	make_host "$root"; cp "$conf" "$root/boot/extlinux/extlinux.conf"
	bc_step "$name" dom0mem "$root" bootcfg set dom0_mem=4G,max:4G
	make_host "$root"; cp "$conf" "$root/boot/extlinux/extlinux.conf"
	bc_step "$name" refresh "$root" bootcfg refresh
done
for conf in tests/bootcfg/bad/*.conf; do
	name=$(basename "$conf" .conf)
	act="$OUT/bc-bad-$name.out"
	# a copy in $OUT: the edit's lock file is made beside it, never in tests/
	cp "$conf" "$OUT/bc-bad.conf"
	"$TENXEN" bootcfg --config "$OUT/bc-bad.conf" show 2>&1 | sed "s|$OUT/bc-bad.conf|$conf|g" > "$act"
	echo "exit: ${PIPESTATUS[0]}" >> "$act"
	expect "bootcfg refuses $name" "${conf%.conf}.expected" "$act"
done
