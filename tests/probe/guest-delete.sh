# Tier 2: tenxen guest delete against real LVM on a loop device (as root). A guest's own
# volumes go; a config that names the host's root, an option, or another guest's volume removes
# nothing. The metadata is real; this kernel has no device-mapper, so every lvm call runs with
# --driverloaded n (a wrapper ahead in PATH) and nothing is activated.
set -u
export ASAN_OPTIONS=${ASAN_OPTIONS:-suppressions=$PWD/tests/asan.supp}
TENXEN=${TENXEN:-build/san/tenxen}
OUT=${OUT:-build/check}
fail() { echo "FAILED: $*"; exit 1; }
[ "$(id -u)" = 0 ] || fail "the loop-device tests need root (losetup); run make check as root"
LVM=$(command -v lvm) || fail "lvm is missing; make deps installs it"
d="$OUT/guest-delete"
rm -rf "$d" && mkdir -p "$d/bin" "$d/host/etc/tenxen" "$d/host/etc/xen" "$d/host/srv"
vg=txgdel$$
dev=
cleanup() {
	[ -n "$dev" ] || return
	"$LVM" vgremove -f --driverloaded n "$vg" > /dev/null 2>&1
	losetup -d "$dev"
}
trap cleanup EXIT
export LVM_SUPPRESS_FD_WARNINGS=1
printf '#!/bin/sh\nsub=$1; shift\nexec %s "$sub" --driverloaded n "$@"\n' "$LVM" > "$d/bin/lvm"
chmod +x "$d/bin/lvm"
export PATH="$d/bin:$PATH"
truncate -s 64M "$d/pv.img"
dev=$(losetup -f --show "$d/pv.img") || fail "losetup"
lvm pvcreate -q -y "$dev" > "$d/lvm.log" 2>&1 && lvm vgcreate -q "$vg" "$dev" >> "$d/lvm.log" 2>&1 ||
	fail "pvcreate/vgcreate: $(cat "$d/lvm.log")"
for lv in root swap web1-disk web1-swap shared other-disk; do
	lvm lvcreate -q -y -n "$lv" -L 4M "$vg" >> "$d/lvm.log" 2>&1 || fail "lvcreate $lv: $(cat "$d/lvm.log")"
done
volumes() { lvm lvs --noheadings -o lv_name "$vg" 2> /dev/null | tr -d ' ' | sort | tr '\n' ' '; }
all=$(volumes)
[ "$all" = "other-disk root shared swap web1-disk web1-swap " ] || fail "the volumes made are $all"
h=$d/host
touch "$h/srv/install.iso"
printf 'vg = %s\nmirrors = 0\nbridge = none\nmirror = none\n' "$vg" > "$h/etc/tenxen/guests.conf"
printf '/dev/mapper/%s-root / ext4 defaults 0 1\n/dev/%s/swap none swap sw 0 0\n' "$vg" "$vg" > "$h/etc/fstab"
disks() { local l=() t; for t; do l+=("\"format=raw, vdev=xvda, access=rw, target=$t\""); done; local IFS=,; echo "disk = [ ${l[*]} ]"; }
printf 'name = "web1"\n%s\n' "$(disks /dev/$vg/web1-disk /dev/$vg/web1-swap /srv/install.iso)" > "$h/etc/xen/web1.cfg"
printf 'name = "evil"\n%s\n' "$(disks -ff "/dev/$vg/root" "/dev/$vg/web1-disk")" > "$h/etc/xen/evil.cfg"
printf 'name = "other"\n%s\n' "$(disks "/dev/$vg/other-disk" "/dev/$vg/shared")" > "$h/etc/xen/other.cfg"
printf 'name = "web2"\n%s\n' "$(disks "/dev/mapper/$vg-shared")" > "$h/etc/xen/web2.cfg"

"$TENXEN" --root "$h" guest delete evil --yes > "$d/evil.out" 2>&1 && fail "guest delete evil passed: $(cat "$d/evil.out")"
grep -q "evil's disk -ff is not a logical volume's path" "$d/evil.out" || fail "the option-like target was not refused: $(cat "$d/evil.out")"
grep -q "evil's disk $vg/root is the host's own (the host's /etc/fstab): refused" "$d/evil.out" || fail "the host's root was not refused: $(cat "$d/evil.out")"
[ "$(volumes)" = "$all" ] || fail "a refused guest delete removed volumes: $(volumes)"
[ -f "$h/etc/xen/evil.cfg" ] || fail "a refused guest delete removed the config"

"$TENXEN" --root "$h" guest delete web2 --yes > "$d/web2.out" 2>&1 && fail "guest delete web2 passed"
grep -q "web2's disk $vg/shared is also guest other's: refused" "$d/web2.out" || fail "a shared volume was not refused: $(cat "$d/web2.out")"
[ "$(volumes)" = "$all" ] || fail "a refused guest delete removed volumes: $(volumes)"

# while evil's config names web1's disk too, it is not web1's alone
"$TENXEN" --root "$h" guest delete web1 --yes > "$d/web1.out" 2>&1 && fail "guest delete web1 passed while evil names its disk"
grep -q "web1's disk $vg/web1-disk is also guest evil's: refused" "$d/web1.out" || fail "web1's disk shared with evil: $(cat "$d/web1.out")"
rm "$h/etc/xen/evil.cfg"
"$TENXEN" --root "$h" guest delete web1 --yes > "$d/web1.out" 2>&1 || fail "guest delete web1: $(cat "$d/web1.out")"
grep -q "/srv/install.iso is a file, not a logical volume: left as it is" "$d/web1.out" || fail "the ISO was not said to be left: $(cat "$d/web1.out")"
[ "$(volumes)" = "other-disk root shared swap " ] || fail "after guest delete web1 the volumes are $(volumes)"
[ ! -e "$h/etc/xen/web1.cfg" ] && [ -f "$h/srv/install.iso" ] || fail "web1's config is left, or its ISO went"
echo "guest delete on real LVM: web1's two volumes removed; the host's root, an option and a shared volume refused, nothing removed then"
