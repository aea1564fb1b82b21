# The install medium is never a disk to install onto, and probing finds it two ways: by the
# device the installer mounted it from (--medium, or /proc's mounts), and by its own filesystem
# (iso9660 labelled TENXEN...). A fake /sys and /dev of image files: each way alone marks its
# disk, a plain disk stays unmarked, and a plan that names the medium is refused. Disabling
# either way of finding it turns this test red.
. tests/lib/cli.sh
d=$(tmpdir probemedium)
d=$(cd "$d" && pwd)
mkdir -p "$d/sys/block" "$d/sys/class/net" "$d/proc/self" "$d/dev" "$d/iso"
echo 'MemTotal: 16777216 kB' > "$d/proc/meminfo"
: > "$d/proc/self/mounts"
for n in sda sdb sdc; do
	mkdir -p "$d/sys/block/$n/queue" "$d/sys/block/$n/device"
	echo "$n-serial" > "$d/sys/block/$n/device/serial"
	echo 0 > "$d/sys/block/$n/removable"
done
truncate -s 8G "$d/dev/sda" "$d/dev/sdc"
echo "the medium's release" > "$d/iso/release"
xorriso -as mkisofs -quiet -V TENXEN_0_1 -o "$d/dev/sdb" "$d/iso" 2> "$d/xorriso.err" || fail "xorriso: $(cat "$d/xorriso.err")"
for n in sda sdb sdc; do echo $(( $(stat -c %s "$d/dev/$n") / 512 )) > "$d/sys/block/$n/size"; done
probe() { out=$("$TENXEN" --sys "$d/sys" --dev "$d/dev" --proc "$d/proc" "$@" probe --json 2>&1); rc=$?; }
probe --medium "$d/dev/sdc1"
expect_rc 0
medium() { jq -r --arg n "$1" '.disks[] | select(.name == $n) | .medium' <<< "$out"; }
[ "$(medium sda)" = false ] || fail "a plain disk was taken for the medium: $out"
[ "$(medium sdb)" = true ] || fail "the disk holding the TENXEN iso9660 filesystem is not the medium: $out"
[ "$(medium sdc)" = true ] || fail "the disk the medium was mounted from (a partition of it) is not the medium: $out"
# the plan refuses a disk that is the medium, by either way
run "$TENXEN" --sys "$d/sys" --dev "$d/dev" --proc "$d/proc" --medium "$d/dev/sdc1" probe --record "$d/m.json"
expect_rc 0
for n in sdb sdc; do
	printf '#version=1\ndisk a --serial=%s-serial\nclearpart a\npart /boot --size=512M --disks=a\nvolgroup vg0 --disks=a\nlogvol / --vg=vg0 --name=root --size=4G\nrootpw --lock\n' "$n" > "$d/a.ks"
	run "$TENXEN" plan --answers "$d/a.ks" --machine "$d/m.json"
	expect_rc 1
	expect_out "matches only $d/dev/$n"
	expect_out "the medium Tenxen booted from, which is never installed onto"
done
# and the plain disk is planned onto
sed -i 's/--serial=sdc-serial/--serial=sda-serial/' "$d/a.ks"
run "$TENXEN" plan --answers "$d/a.ks" --machine "$d/m.json"
expect_rc 0
echo "the install medium found by its mount's device and by its own filesystem, and never planned onto"
