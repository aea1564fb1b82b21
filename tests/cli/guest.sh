#!/bin/bash
# tenxen guest: each template renders to the expected plan and xl config (keys xl knows, disks
# in the guest volume group); bad input is refused before anything is made; a failed step
# removes what was made. lvm and xen-create-image are stand-ins here (tests/lib/fake-lvm, a
# failing or succeeding script); the virtual-machine test runs the real ones.
. tests/lib/cli.sh
d=$(tmpdir guest)
h=$d/host
mkdir -p "$d/bin" "$h/etc/tenxen/templates" "$h/usr/share/tenxen/templates" "$h/srv"
cp data/templates/*.tmpl "$h/usr/share/tenxen/templates/"
printf 'vg = vg0\nmirrors = 1\nbridge = xenbr0\nmirror = http://deb.example.org/debian\n' > "$h/etc/tenxen/guests.conf"
touch "$h/srv/debian-13.iso"
ln -s "$PWD/tests/lib/fake-lvm" "$d/bin/lvm"
export PATH="$d/bin:$PATH" FAKE_LOG=$d/lvm.log FAKE_LVS=$d/lvs FAKE_PVS="42949672960 42949672960"
release=$(uname -r)
: > "$FAKE_LVS"

# every template: the dry run against tests/guests/TEMPLATE.expected
for t in data/templates/*.tmpl; do
	name=$(basename "$t" .tmpl)
	iso=; [ "$name" = hvm-iso ] && iso="--iso /srv/debian-13.iso"
	# shellcheck disable=SC2086
	run "$TENXEN" --root "$h" guest create --template "$name" --name web1 --dry-run $iso
	expect_rc 0
	printf '%s\n' "$out" | sed "s|/lib/modules/$release|/lib/modules/RELEASE|" > "$d/$name.out"
	diff -u "tests/guests/$name.expected" "$d/$name.out" || fail "template $name renders differently"
	# the config's keys are xl's; each disk is a volume of the guest volume group or the ISO
	sed -n 's/^  \([a-z_]*\) = .*/\1/p' "$d/$name.out" | while read -r k; do
		grep -qx "$k" tests/guests/xl-keys || fail "template $name: $k is not an xl.cfg key"
	done || exit 1
	grep -o 'target=[^"]*' "$d/$name.out" | while read -r tg; do
		case "$tg" in target=/dev/vg0/web1-disk | target=/dev/vg0/web1-swap | target=/srv/debian-13.iso) ;;
		*) fail "template $name: disk $tg is not in vg0" ;; esac
	done || exit 1
done
[ -s "$FAKE_LVS" ] && fail "a dry run made volumes: $(cat "$FAKE_LVS")"
[ -e "$h/etc/xen" ] && fail "a dry run wrote $h/etc/xen"

# options override the template; guests.conf's settings can be overridden too
run "$TENXEN" --root "$h" guest create --template debian-13-pvh --name db2 --size 20G --memory 3G --vcpus 4 --vg vg0 --mirrors 0 --bridge none --mirror http://deb.example.org/debian --dry-run
expect_rc 0
expect_out "vg0/db2-disk: 20 GiB, linear"
expect_out "memory = 3072"
expect_out "vcpus = 4"
expect_out "--dist=trixie"
expect_out "--mirror=http://deb.example.org/debian"
expect_no_out "vif ="

# bad input: each refused with what to do, nothing made
run "$TENXEN" --root "$h" guest create --template debian-12-pvhh --name web1; expect_rc 1
expect_out "there is no template debian-12-pvhh in $h/etc/tenxen/templates or "
expect_out "/usr/share/tenxen/templates; did you mean debian-12-pvh?"
run "$TENXEN" --root "$h" guest create --template debian-12-pvh --name Web_1; expect_rc 1
expect_out '"Web_1" is not a guest name'
run "$TENXEN" --root "$h" guest create --template debian-12-pvh --name web1 --size 50G; expect_rc 1
expect_out "no space left for a disk of 50 GiB in vg0: the largest that fits is 40956 MiB (each copy on its own disk)"
run "$TENXEN" --root "$h" guest create --template debian-12-pvh --name web1 --size 40956M; expect_rc 1
expect_out "no space left in vg0 for the guest's swap of 512 MiB after its disk"
run "$TENXEN" --root "$h" guest create --template debian-12-pvh --name web1 --vg nosuch; expect_rc 1
expect_out "there is no volume group nosuch on this host"
FAKE_PVS=42949672960 run "$TENXEN" --root "$h" guest create --template debian-12-pvh --name web1; expect_rc 1
expect_out "asks for 1 extra copies of each guest disk, but vg0 has 1 disk; lower mirrors or give --mirrors 0"
run "$TENXEN" --root "$h" guest create --template hvm-iso --name win1; expect_rc 1
expect_out "boots an install ISO: give it with --iso"
run "$TENXEN" --root "$h" guest create --template hvm-iso --name win1 --iso /srv/nosuch.iso; expect_rc 1
expect_out "--iso /srv/nosuch.iso: there is no such file"
run "$TENXEN" --root "$h" guest create --template debian-12-pvh --name web1 --size 10X; expect_rc 2
expect_out "--size 10X is not a size"
run "$TENXEN" --root "$h" guest create --name web1; expect_rc 2
expect_out "guest create needs --template NAME and --name NAME"
run "$TENXEN" --root "$h" guest frob; expect_rc 2
expect_out "guest has no frob"
printf 'vg = vg0\nmirrors = two\n' > "$d/bad.conf"; cp "$d/bad.conf" "$h/etc/tenxen/guests.conf"
run "$TENXEN" --root "$h" guest create --template debian-12-pvh --name web1; expect_rc 1
expect_out "$h/etc/tenxen/guests.conf:2: error: mirrors = two: not a count of extra copies from 0 to 9"
printf 'vg = vg0\nmirror = ftp://deb.example.org/debian\n' > "$h/etc/tenxen/guests.conf"
run "$TENXEN" --root "$h" guest create --template debian-12-pvh --name web1; expect_rc 1
expect_out "guests.conf:2: error: mirror = ftp://deb.example.org/debian: not a mirror's URL (http://... or https://..."
printf 'vg = vg0\nmirrors = 1\nbridge = xenbr0\nmirror = http://deb.example.org/debian\n' > "$h/etc/tenxen/guests.conf"
printf 'type = pvh\nbuilder = xen-tools\nsize = 8Q\n' > "$h/etc/tenxen/templates/broken.tmpl"
run "$TENXEN" --root "$h" guest create --template broken --name web1; expect_rc 1
expect_out "broken.tmpl:3: error: size = 8Q: not a size"
run "$TENXEN" --root "$h" guest templates; expect_rc 1
expect_out "debian-13-pvh    pvh  xen-tools  8 GiB     1 GiB    2     Debian 13 (trixie), PVH"
expect_out "broken.tmpl:3: error"
rm "$h/etc/tenxen/templates/broken.tmpl"
# the host's own template in /etc overrides the package's of the same name, and is listed once
sed 's/^description = .*/description = Our own PVH/' data/templates/debian-12-pvh.tmpl > "$h/etc/tenxen/templates/debian-12-pvh.tmpl"
printf 'description = Scratch\ntype = hvm\n' > "$h/etc/tenxen/templates/scratch.tmpl"
run "$TENXEN" --root "$h" guest templates; expect_rc 0
expect_out "Our own PVH"
expect_out "scratch          hvm  none"
[ "$(printf '%s\n' "$out" | grep -c '^debian-12-pvh ')" = 1 ] || fail "debian-12-pvh is not listed once: $out"
run "$TENXEN" --root "$h" guest create --template debian-12-pvh --name web1 --dry-run; expect_rc 0
expect_out "(Our own PVH)"
rm "$h/etc/tenxen/templates/"*.tmpl
# no template anywhere: said, with where they are looked for
mv "$h/usr/share/tenxen/templates" "$d/pkg-templates"
run "$TENXEN" --root "$h" guest templates; expect_rc 1
expect_out "there are no guest templates in $h/etc/tenxen/templates or "
expect_out "the tenxen package installs them in /usr/share/tenxen/templates"
mv "$d/pkg-templates" "$h/usr/share/tenxen/templates"
# after make install (any PREFIX) the program finds the templates it installed
make -s install DESTDIR="$PWD/$d/inst" PREFIX=/opt/tx > /dev/null || fail "make install failed"
run "$d/inst/opt/tx/sbin/tenxen" --root "$d/inst" guest templates; expect_rc 0
expect_out "debian-12-pv     pv   xen-tools"
[ -s "$FAKE_LVS" ] && fail "a refused request made volumes: $(cat "$FAKE_LVS")"
[ -e "$h/etc/xen" ] && fail "a refused request wrote $h/etc/xen"

# making one: an empty HVM guest (no build step)
run "$TENXEN" --root "$h" guest create --template hvm-iso --name win1 --size 4G --iso /srv/debian-13.iso
expect_rc 0
expect_out "Guest win1 is ready: start it with xl create /etc/xen/win1.cfg"
grep -qx vg0/win1-disk "$FAKE_LVS" || fail "no volume win1-disk: $(cat "$FAKE_LVS")"
grep -q -- '-n win1-disk -L 4294967296b vg0' "$FAKE_LOG" || fail "lvcreate was not asked for 4 GiB: $(cat "$FAKE_LOG")"
grep -q 'target=/dev/vg0/win1-disk' "$h/etc/xen/win1.cfg" || fail "no config for win1"
# the name is now taken, by its config and by its volume
run "$TENXEN" --root "$h" guest create --template hvm-iso --name win1 --iso /srv/debian-13.iso; expect_rc 1
expect_out "a guest called win1 exists already"
mv "$h/etc/xen/win1.cfg" "$d/win1.cfg"
run "$TENXEN" --root "$h" guest create --template hvm-iso --name win1 --iso /srv/debian-13.iso; expect_rc 1
expect_out "the volume group vg0 already holds a volume of guest win1"
mv "$d/win1.cfg" "$h/etc/xen/win1.cfg"

# a failed step removes what was made: the swap volume cannot be made, then xen-tools fails
FAKE_FAIL=lvcreate:web2-swap run "$TENXEN" --root "$h" guest create --template debian-12-pvh --name web2 --mirrors 0
expect_rc 1
expect_out "removed the volume vg0/web2-disk again"
printf '#!/bin/sh\necho "debootstrap: cannot reach the mirror" >&2\nexit 1\n' > "$d/bin/xen-create-image"
chmod +x "$d/bin/xen-create-image"
run "$TENXEN" --root "$h" guest create --template debian-12-pvh --name web2 --mirrors 0
expect_rc 1
expect_out "xen-tools could not build the root of web2"
expect_out "removed /etc/xen/web2.cfg again"
expect_out "removed the volume vg0/web2-swap again"
expect_out "removed the volume vg0/web2-disk again"
grep -q web2 "$FAKE_LVS" && fail "web2's volumes are left: $(cat "$FAKE_LVS")"
[ -e "$h/etc/xen/web2.cfg" ] && fail "web2's config is left"
# and a build that works: the password xen-tools made is passed on, the config is Tenxen's
printf '#!/bin/sh\nfor a; do case $a in --output=*) o=${a#--output=};; esac; done\necho junk > "$o/web2.cfg"\necho "Root Password   :  s3cret"\n' > "$d/bin/xen-create-image"
run "$TENXEN" --root "$h" guest create --template debian-12-pvh --name web2 --mirrors 0
expect_rc 0
expect_out "the guest's root password (made by xen-tools): s3cret"
grep -q '^name = "web2"' "$h/etc/xen/web2.cfg" || fail "web2's config is not Tenxen's"
# guest list (also plain "guest"): each config of /etc/xen, with its type, memory, vCPUs and
# disks; a config that is a FIFO, or a link out of the host tree, is said and not read
run "$TENXEN" --root "$h" guest list
expect_rc 0
printf '%s\n' "$out" | grep -Eq '^web2 +pvh +[0-9]+ MiB +[0-9]+ +- +/dev/vg0/web2-disk, /dev/vg0/web2-swap$' ||
	fail "guest list does not show web2 as its config says: $out"
printf 'name = "old"\nmemory = 512\ndisk = [ "phy:/dev/vg0/old,xvda,w" ]\n' > "$h/etc/xen/old.cfg"
mkfifo "$h/etc/xen/pipe.cfg"
ln -s /etc/passwd "$h/etc/xen/out.cfg"
run timeout 10 "$TENXEN" --root "$h" guest
expect_rc 0
expect_out "/etc/xen/pipe.cfg is not read as a guest's config"
expect_out "/etc/xen/out.cfg is not read as a guest's config"
printf '%s\n' "$out" | grep -Eq '^old +- +512 MiB +- +- +/dev/vg0/old$' || fail "the old form of disk is not read: $out"
printf '%s\n' "$out" | grep -q '^out ' && fail "a link out of the host tree was read: $out"
run "$TENXEN" --root "$h" guest bogus
expect_rc 2
expect_out "guest has no bogus; it has list, templates, create and delete"
# guest delete: refused without --yes and for a guest that is not there; with --yes the
# volumes go first (through lvm), then the config; a disk that is no volume is left
grep -qx vg0/web2-disk "$FAKE_LVS" || fail "web2's disk is not in the fake lvm's list before the delete"
run "$TENXEN" --root "$h" guest delete web2
expect_rc 1
expect_out "guest delete removes web2's volumes (/dev/vg0/web2-disk, /dev/vg0/web2-swap) and its config /etc/xen/web2.cfg"
[ -f "$h/etc/xen/web2.cfg" ] && grep -qx vg0/web2-disk "$FAKE_LVS" || fail "guest delete without --yes removed something"
run "$TENXEN" --root "$h" guest delete nosuch --yes
expect_rc 1
expect_out "there is no guest nosuch in /etc/xen; the guests are: old, web2"
run "$TENXEN" --root "$h" guest delete web2 --yes
expect_rc 0
expect_out "Guest web2 is deleted."
[ ! -e "$h/etc/xen/web2.cfg" ] || fail "web2's config is still there"
grep -q web2 "$FAKE_LVS" && fail "web2's volumes are still there: $(cat "$FAKE_LVS")"
grep -q 'lvm lvremove --config .* -y vg0/web2-disk$' "$FAKE_LOG" || fail "web2's disk was not removed with lvremove"
run "$TENXEN" --root "$h" guest delete old --yes
expect_rc 0
expect_out "vg0/old is not a logical volume of this host: left as it is"

# a guest's config is hostile input: a target that is not a plain volume of the guests' group,
# one the host uses (fstab by path or by UUID, mounted now, swapped on now, made by its
# install), the carry volume, or one another guest names is refused, each said, and then
# nothing at all is removed
mkdir -p "$h/dev/disk/by-uuid" "$h/dev/vg0" "$h/var/log/tenxen" "$d/proc/self"
for lv in root swap data home guests tenxen-carryover web3-disk shared bad tmpswap; do
	echo "vg0/$lv" >> "$FAKE_LVS"; : > "$h/dev/vg0/$lv"
done
echo vg1/other >> "$FAKE_LVS"
printf '/dev/mapper/vg0-root / ext4 defaults 0 1\nUUID=1234-abcd /srv ext4 nofail 0 2\n' > "$h/etc/fstab"
ln -s ../../vg0/data "$h/dev/disk/by-uuid/1234-abcd"
printf 'logvol swap --vg=vg0 --name=swap --size=1G\nlogvol - --vg=vg0 --name=guests --size=1G\n' > "$h/var/log/tenxen/answers.ks"
printf '/dev/vg0/home /home ext4 rw 0 0\n' > "$d/proc/self/mounts"
printf 'Filename Type Size Used Priority\n/dev/vg0/tmpswap partition 1 0 -2\n' > "$d/proc/swaps"
printf 'name = "other"\ndisk = [ "target=/dev/vg0/shared" ]\n' > "$h/etc/xen/other.cfg"
bad_guest() { # NAME TARGET: a guest whose one disk is TARGET
	printf 'name = "%s"\ndisk = [ "format=raw, vdev=xvda, access=rw, target=%s" ]\n' "$1" "$2" > "$h/etc/xen/$1.cfg"
}
cp "$FAKE_LVS" "$d/lvs.before"
for c in "dash|--select lv_name=~.*|is not a logical volume's path (/dev/VG/LV)" \
	"rel|vg0/root|is not a logical volume's path" \
	"dots|/dev/vg0/../vg0/root|is not a logical volume's path" \
	"root|/dev/vg0/root|vg0/root is the host's own (the host's /etc/fstab)" \
	"mapper|/dev/mapper/vg0-root|vg0/root is the host's own (the host's /etc/fstab)" \
	"uuid|/dev/vg0/data|vg0/data is the host's own (the host's /etc/fstab)" \
	"swap|/dev/vg0/swap|vg0/swap is the host's own (a volume the host's install made" \
	"guests|/dev/vg0/guests|vg0/guests is the host's own (a volume the host's install made" \
	"mounted|/dev/vg0/home|vg0/home is the host's own (mounted now" \
	"swapped|/dev/vg0/tmpswap|vg0/tmpswap is the host's own (swapped on now" \
	"carry|/dev/vg0/tenxen-carryover|is the volume a reinstall carries files in" \
	"othervg|/dev/vg1/other|vg1/other is not in the guests' volume group vg0" \
	"shared|/dev/vg0/shared|vg0/shared is also guest other's"; do
	IFS='|' read -r name target why <<< "$c"
	bad_guest "$name" "$target"
	run "$TENXEN" --root "$h" --proc "$d/proc" guest delete "$name" --yes
	expect_rc 1
	expect_out "$why"
	expect_out "guest delete removed nothing"
	[ -f "$h/etc/xen/$name.cfg" ] || fail "guest delete $name removed the config of a refused guest"
	rm "$h/etc/xen/$name.cfg"
done
# one refused disk among good ones: nothing removed, not even the good one
printf 'name = "mixed"\ndisk = [ "target=/dev/vg0/web3-disk", "target=/dev/vg0/root" ]\n' > "$h/etc/xen/mixed.cfg"
: > "$FAKE_LOG"
run "$TENXEN" --root "$h" --proc "$d/proc" guest delete mixed --yes
expect_rc 1
expect_out "vg0/root is the host's own"
cmp -s "$d/lvs.before" "$FAKE_LVS" || fail "a refused guest delete removed volumes: $(diff "$d/lvs.before" "$FAKE_LVS")"
grep -q 'lvremove' "$FAKE_LOG" && fail "a refused guest delete ran lvremove"
rm "$h/etc/xen/mixed.cfg"
# device-mapper's name of a guest's own volume is read as the volume, and removed
bad_guest web3 /dev/mapper/vg0-web3--disk
run "$TENXEN" --root "$h" --proc "$d/proc" guest delete web3 --yes
expect_rc 0
expect_out "removed the volume vg0/web3-disk"
grep -qx vg0/web3-disk "$FAKE_LVS" && fail "web3's volume is still there"
# no guests.conf: no volume is known to be a guest's
mv "$h/etc/tenxen/guests.conf" "$d/guests.conf.kept"
bad_guest web4 /dev/vg0/bad
run "$TENXEN" --root "$h" --proc "$d/proc" guest delete web4 --yes
expect_rc 1
expect_out "names no guests' volume group"
mv "$d/guests.conf.kept" "$h/etc/tenxen/guests.conf"
grep -qx vg0/root "$FAKE_LVS" && grep -qx vg0/swap "$FAKE_LVS" && grep -qx vg0/bad "$FAKE_LVS" ||
	fail "a host volume went: $(cat "$FAKE_LVS")"

# the command line's values pass guests.conf's checks: a quote or a comma in --iso, script= in
# --bridge, shell in --mirror, a group name that is an option, each refused before anything
touch "$h/srv/a\"b.iso" "$h/srv/c,target=x.iso"
for c in "--template hvm-iso --iso /srv/a\"b.iso|may not hold a quote" \
	"--template hvm-iso --iso /srv/c,target=x.iso|may not hold a quote" \
	"--template hvm-iso --iso /dev/vg0/root|give an ISO image file" \
	"--template debian-12-pvh --bridge xenbr0,script=/tmp/x|--bridge xenbr0,script=/tmp/x: not a network interface name" \
	"--template debian-12-pvh --bridge ../br|not a network interface name" \
	"--template debian-12-pvh --bridge averyveryverylongname0|not a network interface name" \
	"--template debian-12-pvh --mirror http://x/\$(reboot)|not a mirror's URL" \
	"--template debian-12-pvh --mirror http://x/;reboot|not a mirror's URL" \
	"--template debian-12-pvh --mirror http://x/a'b|not a mirror's URL" \
	"--template debian-12-pvh --vg -ff|--vg -ff: not a volume group name" \
	"--template debian-12-pvh --vg vg0/root|not a volume group name" \
	"--template debian-12-pvh --mirrors 99|not a count of extra copies"; do
	IFS='|' read -r args why <<< "$c"
	: > "$FAKE_LOG"
	# shellcheck disable=SC2086
	IFS=' ' read -r -a argv <<< "$args"
	run "$TENXEN" --root "$h" guest create --name web5 "${argv[@]}"
	expect_rc 1
	expect_out "$why"
	grep -q lvcreate "$FAKE_LOG" && fail "guest create $args made a volume"
	[ -e "$h/etc/xen/web5.cfg" ] && fail "guest create $args wrote a config"
done
# every lvm call goes through Tenxen's udev-free configuration
grep -v -- '--config' "$FAKE_LOG" | grep -q . && fail "an lvm call without Tenxen's --config: $(grep -v -- '--config' "$FAKE_LOG")"
echo "guest: templates rendered, refusals and roll-backs checked; guests listed and deleted"
