#!/bin/bash
# The payload is checked before any disk is touched: a medium without the root, with a root image
# but not its /boot, with one whose map is damaged or bigger than the plan's /, or that the plan
# would not make ext4, without tenxen's package (or with two), without the repository, or without a package set the answer file asks for is refused
# with what is missing; so is a prebuilt layer whose list of removals is missing or unsafe.
# (install --dry-run checks it when --payload is given.)
. tests/lib/cli.sh
d=$(tmpdir payload)
m=tests/machines/two-identical.json
{ cat tests/answers/mirror-core.ks; echo 'packages @profiler @guest-templates'; } > "$d/a.ks"
p=$d/payload
mkdir -p "$p/repo"
# the dry run that checks the payload as it stands
check_payload() { run "$TENXEN" install --dry-run --machine "$m" --answers "$d/a.ks" --payload "$p"; }

check_payload
expect_rc 1
expect_out "the payload has no root: neither root.img.zst with root.img.map nor root.tar.zst (in $p)"
expect_out "the payload has no tenxen package ($p/repo/tenxen_*.deb)"
expect_out "the payload has no package repository"
expect_out "cannot read the package sets $p/package-sets"
expect_out "refused before any disk was touched"

touch "$p/root.tar.zst" "$p/repo/tenxen_0.1_amd64.deb" "$p/repo/tenxen_0.2_amd64.deb" "$p/repo/Packages.gz"
check_payload
expect_rc 1
expect_out "the payload's repository holds 2 tenxen packages ($p/repo/tenxen_0.1_amd64.deb, $p/repo/tenxen_0.2_amd64.deb...); keep one"
rm "$p/repo/tenxen_0.1_amd64.deb"
printf 'profiler: linux-perf fio\n' > "$p/package-sets"
check_payload
expect_rc 1
expect_no_out "the payload has no root"
expect_out "the package set @guest-templates is not in $p/package-sets"

printf 'profiler: linux-perf fio\nguest-templates: xen-tools\n' > "$p/package-sets"
check_payload
expect_rc 0
expect_out "@profiler @guest-templates, offline, from the installer's medium"
expect_no_out "will come with the root"

# a prebuilt layer for exactly these sets: named when it is whole, refused before any disk is
# touched when its list of removals is missing or leads out of the root
mkdir -p "$p/layers"
: > "$p/layers/guest-templates+profiler.tar.zst"
check_payload
expect_rc 1
expect_out "the prebuilt layer $p/layers/guest-templates+profiler.tar.zst has no list of removals"
expect_out "refused before any disk was touched"
printf 'usr/share/doc/x\n/etc/passwd\n' > "$p/layers/guest-templates+profiler.removed"
check_payload
expect_rc 1
expect_out "guest-templates+profiler.removed:2: \"/etc/passwd\" is not a path inside the root"
printf 'usr/share/doc/x\n' > "$p/layers/guest-templates+profiler.removed"
check_payload
expect_rc 0
expect_out "the package sets will come with the root: prebuilt layer $p/layers/guest-templates+profiler.tar.zst"

# the root as an image (docs/iso.md): its map is read and checked against the plan's /
rm "$p/root.tar.zst"
: > "$p/root.img.zst"
printf 'tenxen-image 1\nfilesystem ext4\nsize 1073741824\nextent 0 4096\n' > "$p/root.img.map"
check_payload
expect_rc 1
expect_out "the payload has the root as an image but not its /boot (boot.tar.zst, in $p)"
: > "$p/boot.tar.zst"
printf 'tenxen-image 1\nfilesystem ext4\nsize 1073741824\nextent 0 4096\nextent 4096 x\n' > "$p/root.img.map"
check_payload
expect_rc 1
expect_out "$p/root.img.map:5: error: an extent is \"extent OFFSET LENGTH\""
expect_out "refused before any disk was touched"
printf 'tenxen-image 1\nfilesystem ext4\nsize 1073741824\nextent 0 786432000\n' > "$p/root.img.map"
check_payload
expect_rc 0
expect_out "the root will be written as an image: 750 MiB of ext4, grown to fill /dev/vg0/root"
# a / too small for it
sed 's/--name=root   --size=20G/--name=root --size=512M/' "$d/a.ks" > "$d/small.ks"
run "$TENXEN" install --dry-run --machine "$m" --answers "$d/small.ks" --payload "$p"
expect_rc 1
expect_out "/ on /dev/vg0/root gets 512 MiB, and the dom0 root needs 1024 MiB; give / more room (logvol / --size=)"
# a / the plan makes ext3: an ext4 image cannot be it
sed 's|^logvol /      .*|& --fstype=ext3|' "$d/a.ks" > "$d/xfs.ks"
run "$TENXEN" install --dry-run --machine "$m" --answers "$d/xfs.ks" --payload "$p"
expect_rc 1
expect_out "the payload's root is an ext4 image, and the plan makes / ext3; make it ext4"
# which a tarball of the root can be
: > "$p/root.tar.zst"
run "$TENXEN" install --dry-run --machine "$m" --answers "$d/xfs.ks" --payload "$p"
expect_rc 0
expect_no_out "written as an image"
