# --dry-run writes nothing on every kind of host tree Tenxen edits: a systemd host, a sysvinit
# host (inittab) with /etc/securetty, a systemd host with securetty, each before and after a real
# change (so that --remove and another speed have something to undo). The whole tree is compared
# before and after each dry run: every file's bytes and mode, every link and folder.
. tests/lib/bootcfg-host.sh
d=$(tmpdir dry-run-trees)
# snapshot ROOT: one line per thing in the tree (type, mode, and bytes or target)
snapshot() {
	(cd "$1" && find . -printf '%y %m %p -> %l\n' | sort && find . -type f -print0 | sort -z | xargs -0 sha256sum)
}
# dry ROOT WHAT ARGS...: tenxen ARGS --dry-run on ROOT must succeed, say what it would do, and
# leave the tree as it was
dry() {
	local root=$1 what=$2
	shift 2
	snapshot "$root" > "$d/before"
	run "$TENXEN" "$@" --root "$root" --dry-run
	[ "$rc" -eq 0 ] || fail "$what: exit $rc"
	snapshot "$root" > "$d/after"
	diff -u "$d/before" "$d/after" > "$d/diff" || fail "$what: --dry-run changed the tree: $(cat "$d/diff")"
}
# kinds: systemd, sysvinit (inittab + securetty), systemd with securetty
host "$d/systemd"
host "$d/sysv"; rm -rf "$d/sysv/lib/systemd"
printf 'id:2:initdefault:\n1:2345:respawn:/sbin/getty 38400 tty1\n' > "$d/sysv/etc/inittab"
printf 'console\ntty1\n' > "$d/sysv/etc/securetty"
host "$d/both"; printf 'console\ntty1\n' > "$d/both/etc/securetty"
for k in systemd sysv both; do
	r="$d/$k"
	dry "$r" "$k: serial-console" serial-console --port ttyS1 --speed 57600
	expect_out "would"
	[ $k = systemd ] || expect_out "securetty"
	[ $k = sysv ] && expect_out "inittab"
	dry "$r" "$k: bootcfg set" bootcfg set dom0_mem=2G,max:2G
	dry "$r" "$k: bootcfg refresh" bootcfg refresh
	# after a real change, the dry runs of the ways back
	run "$TENXEN" serial-console --root "$r"; expect_rc 0
	dry "$r" "$k: serial-console --speed" serial-console --speed 9600
	expect_out "would"
	dry "$r" "$k: serial-console --remove" serial-console --remove
	expect_out "would"
	[ $k = systemd ] || expect_out "securetty"
	[ $k = sysv ] && expect_out "inittab"
done
# a fresh config for a host with no extlinux folder yet: the dry run makes none
host "$d/fresh"; rm -rf "$d/fresh/boot/extlinux"
dry "$d/fresh" "bootcfg new" bootcfg new --answers tests/answers/mirror-core.ks
expect_out "+LABEL"
# a dry run that changed the tree must be caught by the comparison itself
snapshot "$d/sysv" > "$d/before"; echo x >> "$d/sysv/etc/inittab"; snapshot "$d/sysv" > "$d/after"
cmp -s "$d/before" "$d/after" && fail "the tree comparison misses a change to inittab"
true
