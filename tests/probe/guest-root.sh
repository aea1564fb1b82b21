#!/bin/bash
# Tier 2: tenxen guest create makes a Debian guest's root offline, from the root a host keeps in
# /var/lib/tenxen/guest-root (here a small root made by iso/root-image.sh, with a /boot tarball
# like the medium's), on volumes that are sparse files of a host tree (tests/lib/fake-lvm with
# FAKE_DEV; mount(8) gives them loop devices). The guest's root is then read back: grown to its
# disk, its own host name, fstab, DHCP on eth0, pygrub's menu, the medium's kernel and not Xen,
# the dom0-only services masked, a root password that is the one printed, the host's ssh keys,
# its own host keys, a swap volume. Refusals before anything is made; a failed step undone.
. tests/lib/cli.sh
[ "$(id -u)" = 0 ] || fail "needs root (loop devices, mount); run make check as root"
d=$(tmpdir guest-root)
h=$d/host g=$h/var/lib/tenxen/guest-root
mkdir -p "$d/bin" "$d/tree/etc/ssh" "$d/tree/etc/network" "$d/tree/etc/systemd/system" \
	"$d/tree/boot" "$d/mnt" "$h/etc/tenxen" "$h/usr/share/tenxen/templates" "$h/root/.ssh" "$g"
cleanup() { mountpoint -q "$d/mnt" && umount "$d/mnt"; }
trap cleanup EXIT
# the dom0 root, small: what the guest's settings touch
printf 'root:x:0:0:root:/root:/bin/bash\n' > "$d/tree/etc/passwd"
printf 'root:x:0:\nshadow:x:42:\n' > "$d/tree/etc/group"
printf 'root:*:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n' > "$d/tree/etc/shadow"
printf 'localhost\n' > "$d/tree/etc/hostname"
printf '# UNCONFIGURED FSTAB FOR BASE SYSTEM\n' > "$d/tree/etc/fstab"
printf 'source /etc/network/interfaces.d/*\n' > "$d/tree/etc/network/interfaces"
ROOT_IMAGE_FRAME_MIB=1 iso/root-image.sh "$d/tree" "$g" > "$d/image.log" 2>&1 || fail "root-image.sh: $(cat "$d/image.log")"
# the kernel and initrd as the install keeps them, unpacked (a Xen file there is not the guest's)
mkdir -p "$g/boot"
for f in vmlinuz initrd.img config System.map; do echo "$f of 6.1.0-9" > "$g/boot/$f-6.1.0-9-amd64"; done
echo "xen" > "$g/boot/xen-4.17-amd64.gz"
echo "Tenxen 0.9, Debian bookworm" > "$g/release"
cp data/templates/*.tmpl "$h/usr/share/tenxen/templates/"
printf 'vg = vg0\nmirrors = 0\nbridge = xenbr0\n' > "$h/etc/tenxen/guests.conf"
echo "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGmZ8FU1hp5tKyCsTqBsUcaB2PXHgd9bTZoRDaSvVF7u ops@example.org" > "$h/root/.ssh/authorized_keys"
ln -s "$PWD/tests/lib/fake-lvm" "$d/bin/lvm"
# this test's temporary folders in its own folder: another run's are never seen, nor its
mkdir -p "$d/tmp"
export TMPDIR=$d/tmp
export PATH="$d/bin:$PATH" FAKE_LOG=$d/lvm.log FAKE_LVS=$d/lvs FAKE_PVS="42949672960" FAKE_DEV=$h/dev
: > "$FAKE_LVS"

# the plan says where the root comes from, and that no mirror is used
run "$TENXEN" --root "$h" guest create --template debian-12-pv --name web1 --size 1G --dry-run
expect_rc 0
expect_out "build     the root, offline: Debian bookworm from /var/lib/tenxen/guest-root"
expect_out "the medium's kernel booted by pygrub"
[ -s "$FAKE_LVS" ] && fail "a dry run made volumes"

# refusals, before anything is made
run "$TENXEN" --root "$h" guest create --template debian-13-pv --name web1 --size 1G
expect_rc 1
expect_out "the template debian-13-pv is Debian trixie, and this host's root for guests made offline is Debian bookworm"
expect_out "give --mirror URL to build trixie from a Debian mirror"
cp "$g/root.img.map" "$d/map.good"
sed -i 's/^size .*/size 2147483648/' "$g/root.img.map"
run "$TENXEN" --root "$h" guest create --template debian-12-pv --name web1 --size 1G
expect_rc 1
expect_out "the guest's root is written from a 2 GiB image (/var/lib/tenxen/guest-root): give its disk at least 2 GiB (--size)"
cp "$d/map.good" "$g/root.img.map"
mv "$g/release" "$d/release" && mkfifo "$g/release"
run timeout 10 "$TENXEN" --root "$h" guest create --template debian-12-pv --name web1 --size 1G
expect_rc 1
expect_out "/var/lib/tenxen/guest-root/release is missing"
rm "$g/release" && mv "$d/release" "$g/release"
mv "$g/boot" "$d/boot"
run "$TENXEN" --root "$h" guest create --template debian-12-pv --name web1 --size 1G
expect_rc 1
expect_out "/var/lib/tenxen/guest-root/boot/vmlinuz-* is missing"
mv "$d/boot" "$g/boot"
mv "$g" "$d/away"
run "$TENXEN" --root "$h" guest create --template debian-12-pvh --name web1 --size 1G
expect_rc 1
expect_out "this host keeps no Debian root for guests made offline (/var/lib/tenxen/guest-root; the install puts it there with @guest-templates): give --mirror URL"
mv "$d/away" "$g"
[ -s "$FAKE_LVS" ] && fail "a refused request made volumes: $(cat "$FAKE_LVS")"
[ -e "$h/etc/xen" ] && fail "a refused request wrote $h/etc/xen"

# a failed step undoes what was made: here ssh-keygen fails inside the mounted root
printf '#!/bin/sh\necho "ssh-keygen: no entropy" >&2\nexit 1\n' > "$d/bin/ssh-keygen" && chmod +x "$d/bin/ssh-keygen"
run "$TENXEN" --root "$h" guest create --template debian-12-pv --name web2 --size 1G
expect_rc 1
expect_out "could not make the root of web2"
expect_out "removed the volume vg0/web2-disk again"
expect_no_out "password (made here"
rm "$d/bin/ssh-keygen"
[ -s "$FAKE_LVS" ] && fail "the failed guest's volumes are left: $(cat "$FAKE_LVS")"
[ -e "$h/dev/vg0/web2-disk" ] && fail "the failed guest's disk file is left"
[ -e "$h/etc/xen/web2.cfg" ] && fail "the failed guest's config is left"
grep -q tenxen-guest-root /proc/mounts && fail "the failed guest's root is still mounted: $(grep tenxen-guest-root /proc/mounts)"

# a PV guest, made
run "$TENXEN" --root "$h" guest create --template debian-12-pv --name web1 --size 1G
expect_rc 0
expect_out "writing the guest's root from this host's Debian bookworm root (/var/lib/tenxen/guest-root), offline: no mirror is used"
expect_out "Guest web1 is ready: start it with xl create /etc/xen/web1.cfg"
pw=$(sed -n "s/.*the guest's root password (made here, said once): //p" <<< "$out")
[ "${#pw}" = 16 ] || fail "no password of 16 characters was said: $pw"
disk=$h/dev/vg0/web1-disk swap=$h/dev/vg0/web1-swap
[ "$(blkid -o value -s TYPE "$swap")" = swap ] || fail "the guest's swap volume holds no swap"
blocks=$(dumpe2fs -h "$disk" 2> /dev/null | awk -F: '/^Block count/ {print $2 + 0}')
bsize=$(dumpe2fs -h "$disk" 2> /dev/null | awk -F: '/^Block size/ {print $2 + 0}')
[ "$((blocks * bsize))" = 1073741824 ] || fail "the guest's root was not grown to its 1 GiB disk: $blocks blocks of $bsize"
mount -o ro "$disk" "$d/mnt" || fail "cannot mount the guest's root"
m=$d/mnt
[ "$(cat "$m/etc/hostname")" = web1 ] || fail "hostname: $(cat "$m/etc/hostname")"
grep -q '^127.0.1.1	web1$' "$m/etc/hosts" || fail "hosts: $(cat "$m/etc/hosts")"
grep -q '^/dev/xvda2	/	ext4' "$m/etc/fstab" && grep -q '^/dev/xvda1	none	swap' "$m/etc/fstab" || fail "fstab: $(cat "$m/etc/fstab")"
grep -q '^iface eth0 inet dhcp$' "$m/etc/network/interfaces" || fail "interfaces: $(cat "$m/etc/network/interfaces")"
grep -q 'linux /boot/vmlinuz-6.1.0-9-amd64 root=/dev/xvda2 ro console=hvc0 net.ifnames=0$' "$m/boot/grub/grub.cfg" &&
	grep -q 'initrd /boot/initrd.img-6.1.0-9-amd64$' "$m/boot/grub/grub.cfg" &&
	grep -qx 'set timeout=1' "$m/boot/grub/grub.cfg" || fail "pygrub's menu: $(cat "$m/boot/grub/grub.cfg")"
[ -f "$m/boot/vmlinuz-6.1.0-9-amd64" ] && [ ! -e "$m/boot/xen-4.17-amd64.gz" ] || fail "/boot: $(ls "$m/boot")"
for u in xen xendomains; do
	[ "$(readlink "$m/etc/systemd/system/$u.service")" = /dev/null ] || fail "$u.service is not masked"
done
hash=$(awk -F: '$1 == "root" {print $2}' "$m/etc/shadow")
case $hash in '$y$'*) ;; *) fail "root's password is not a yescrypt hash: $hash" ;; esac
[ "$(perl -e 'print crypt($ARGV[0], $ARGV[1])' "$pw" "$hash")" = "$hash" ] || fail "root's hash is not of the password said"
grep -q '^daemon:\*:' "$m/etc/shadow" || fail "the other accounts of /etc/shadow were lost"
[ "$(stat -c %a:%g "$m/etc/shadow")" = 640:42 ] || fail "/etc/shadow mode and group $(stat -c %a:%g "$m/etc/shadow"), not 640 and shadow's"
cmp -s "$h/root/.ssh/authorized_keys" "$m/root/.ssh/authorized_keys" || fail "the host's ssh keys were not copied"
[ "$(stat -c %a "$m/root/.ssh/authorized_keys")" = 600 ] || fail "authorized_keys mode"
[ -s "$m/etc/ssh/ssh_host_ed25519_key" ] || fail "no ssh host key: $(ls "$m/etc/ssh")"
umount "$d/mnt"
# the guest's kernel hook keeps pygrub's menu on its newest kernel as kernels come and go
mount "$disk" "$d/mnt" || fail "cannot mount the guest's root again"
[ -x "$m/etc/kernel/postinst.d/zz-tenxen-pygrub" ] &&
	[ "$(readlink "$m/etc/kernel/postrm.d/zz-tenxen-pygrub")" = ../postinst.d/zz-tenxen-pygrub ] ||
	fail "the guest has no kernel hook for pygrub's menu"
for f in vmlinuz initrd.img; do echo new > "$m/boot/$f-6.1.0-10-amd64"; done
sh "$m/etc/kernel/postinst.d/zz-tenxen-pygrub" --root "$m" || fail "the kernel hook failed"
[ "$(grep -m1 -o 'linux /boot/vmlinuz-[^ ]*' "$m/boot/grub/grub.cfg")" = "linux /boot/vmlinuz-6.1.0-10-amd64" ] &&
	[ "$(grep -c '^menuentry' "$m/boot/grub/grub.cfg")" = 2 ] || fail "the menu does not boot the newer kernel first: $(cat "$m/boot/grub/grub.cfg")"
rm "$m"/boot/*-6.1.0-9-amd64
sh "$m/etc/kernel/postrm.d/zz-tenxen-pygrub" --root "$m" || fail "the kernel hook failed after a removal"
grep -q 'vmlinuz-6.1.0-9' "$m/boot/grub/grub.cfg" && fail "the menu still names a removed kernel"
rm "$m"/boot/vmlinuz-*
sh "$m/etc/kernel/postinst.d/zz-tenxen-pygrub" --root "$m" 2> "$d/hook.err" && fail "the hook wrote a menu with no kernel"
grep -q 'vmlinuz-6.1.0-10' "$m/boot/grub/grub.cfg" || fail "a hook with no kernel to name emptied the menu"
umount "$d/mnt"
grep -q tenxen-guest-root /proc/mounts && fail "the guest's root is still mounted"
ls "$d/tmp" | grep -q '^tenxen-guest-root\.' && fail "a mount point was left in $d/tmp"
grep -q 'bootloader = "pygrub"' "$h/etc/xen/web1.cfg" || fail "web1's config: $(cat "$h/etc/xen/web1.cfg")"
# the same name again: refused, nothing changed
sum=$(sha256sum < "$disk")
run "$TENXEN" --root "$h" guest create --template debian-12-pv --name web1 --size 1G
expect_rc 1
expect_out "a guest called web1 exists already"
[ "$(sha256sum < "$disk")" = "$sum" ] || fail "a refused request changed web1's disk"
# deleted: volumes and config gone
run "$TENXEN" --root "$h" guest delete web1 --yes
expect_rc 0
[ ! -e "$disk" ] && [ ! -e "$swap" ] && [ ! -e "$h/etc/xen/web1.cfg" ] || fail "guest delete left web1's files"
echo "guest root: made offline from the host's image and read back; refusals and a failed step left nothing"
