#!/bin/bash
# Tier 1 corpus: UEFI's xen.cfg: the same edits on every EFI System Partition, and the refused files.
# Run by tests/run.sh, which counts its "ok NAME" and "FAIL NAME" lines; UPDATE=1 rewrites the
# expected outputs (review the diff before committing).
. tests/lib/corpus.sh
# make_uefi_host ROOT CFG: a UEFI host's files: two ESPs in fstab, each holding CFG
make_uefi_host() {
	rm -rf "$1" && mkdir -p "$1/etc" "$1/lib/systemd" "$1/boot/efi/EFI/BOOT" "$1/boot/efi2/EFI/BOOT"
	touch "$1/lib/systemd/systemd"
	printf 'UUID=1 / ext4 defaults 0 1\nUUID=AB-CD /boot/efi vfat umask=0077,nofail 0 1\nUUID=EF-01 /boot/efi2 vfat umask=0077,nofail 0 1\n' > "$1/etc/fstab"
	for f in xen-4.17-amd64.efi vmlinuz-6.1.0-27-amd64 vmlinuz-6.1.0-28-amd64 \
		initrd.img-6.1.0-27-amd64 initrd.img-6.1.0-28-amd64; do echo "$f" > "$1/boot/$f"; done
	for d in efi efi2; do
		cp "$2" "$1/boot/$d/EFI/BOOT/BOOTX64.cfg"
		# the ESPs hold the older kernel (an entry may be pinned to it) and one no entry boots
		cp "$1/boot/vmlinuz-6.1.0-27-amd64" "$1/boot/initrd.img-6.1.0-27-amd64" "$1/boot/$d/EFI/BOOT/"
		echo old > "$1/boot/$d/EFI/BOOT/vmlinuz-6.1.0-26-amd64"
	done
}
# xc_step NAME STEP ROOT ARGS...: one edit; its words, the first ESP's config, and whether the
# second ESP's is the same
xc_step() {
	local name=$1 step=$2 root=$3 act="$OUT/xc-$1.$2.out" efi=boot/efi/EFI/BOOT
	shift 3
	"$TENXEN" "$@" --root "$root" > "$act.stdout" 2> "$act.stderr"
	local rc=$?
	{ cat "$act.stderr" "$act.stdout"; echo "exit: $rc"; echo "--- /$efi/BOOTX64.cfg"
	  cat "$root/$efi/BOOTX64.cfg"
	  echo "--- files: $(cd "$root/$efi" && ls | grep -v tenxen-old | tr '\n' ' ')"
	  if diff -r "$root/$efi" "$root/boot/efi2/EFI/BOOT" > /dev/null; then
		echo "--- the two ESPs are the same"
	  else echo "--- the two ESPs DIFFER"; fi; } > "$act"
	expect "xen.cfg $name: $step" "tests/bootcfg/xencfg/expected/$name.$step" "$act"
}
mkdir -p tests/bootcfg/xencfg/expected
for conf in tests/bootcfg/xencfg/corpus/*.cfg; do
	name=$(basename "$conf" .cfg)
	root="$OUT/xc-host-$name"
	make_uefi_host "$root" "$conf"
	xc_step "$name" add "$root" serial-console
	xc_step "$name" add-again "$root" serial-console
	xc_step "$name" speed "$root" serial-console --speed 9600
	xc_step "$name" remove "$root" serial-console --remove
	make_uefi_host "$root" "$conf"
	xc_step "$name" dom0mem "$root" bootcfg set dom0_mem=4G,max:4G vpmu=on
	xc_step "$name" dom0mem-again "$root" bootcfg set dom0_mem=4G,max:4G vpmu=on
	make_uefi_host "$root" "$conf"
	xc_step "$name" refresh "$root" bootcfg refresh
done
for conf in tests/bootcfg/xencfg/bad/*.cfg; do
	name=$(basename "$conf" .cfg)
	act="$OUT/xc-bad-$name.out"
	cp "$conf" "$OUT/xc-bad.cfg"
	"$TENXEN" bootcfg --config "$OUT/xc-bad.cfg" set dom0_mem=1G 2>&1 | sed "s|$OUT/||g" > "$act"
	echo "exit: ${PIPESTATUS[0]}" >> "$act"
	cmp -s "$conf" "$OUT/xc-bad.cfg" || echo "the refused file was changed" >> "$act"
	expect "xen.cfg refuses $name" "${conf%.cfg}.expected" "$act"
done
