#!/bin/bash
# Every mirrored layout boots with a disk gone, and each disk is the one gone at least once:
# - the host iso-1-install.sh installed (root and swap on mirrors with a core log), booted
#   without its second disk (a snapshot: the disks stay as installed);
# - a second host, installed here from the check ISO with tests/iso/answers/check-raid1.ks (root
#   on LVM raid1, swap on a mirror with a disk log), booted without its first disk.
# Each must reach Xen, dom0 on its root with one leg missing, say so on the console with the way
# back that fits what the volume group has become, and reach the login prompt.
# The second host also loses either network card: its two cards are in an active-backup bond on
# a switch of the test's own (tests/lib/vlan-net.sh) that carries only VLAN 42, where the test's
# DHCP and web servers are. The installer reads its answer file from that web server over the
# VLAN (tenxen.vlan=42), from a folder of one file per host, by its MAC address, and reports each
# step there (tenxen.report=), and reads the payload from a web server there too
# (tenxen.payload=), each byte of it once; the installed host gets its address on bond0.42 by
# DHCP, answers ping, and still answers with its first card's link down, then with its second's.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/iso.sh
. tests/lib/vga.sh
. tests/lib/vlan-net.sh
scratch "$ISO_WORK"/c.img "$ISO_WORK"/d.img
[ -f "$ISO_WORK/installed" ] || fail "no installed disks: iso-1-install.sh did not succeed"
check_iso || fail "cannot build the check ISO"

# degraded_boot NAME WHAT DISK-ARGS...: boot the disks (a snapshot), wait for the boot check and
# the login prompt; the console stays in $QVM_LOG.txt. With KEEP=1 the VM goes on running.
degraded_boot() {
	local name=$1 what=$2
	shift 2
	QVM_SMP=1 qvm_start "$ISO_WORK" "$name" 900 -m 1024 -snapshot "$@" "${ISO_NET[@]}"
	qvm_wait 'TENXEN-FIRSTBOOT-DONE' 900 || fail "$what: the host did not come up"
	qvm_wait 'login:' 120 || fail "$what: no login prompt"
	secs=$(qvm_seconds)
	[ -n "${KEEP:-}" ] || qvm_end 0
	grep -q '(XEN) Command line: .*dom0_mem=600M' "$QVM_LOG.txt" || fail "$what: Xen did not boot"
	grep -q 'tenxen: volume group vg0 has lost a disk' "$QVM_LOG.txt" ||
		fail "$what: the initramfs did not say why it changed vg0"
	# the host's own checks, as iso-1 reads them: none may fail with a disk gone either
	grep -q 'TENXEN-CHECK FAIL' "$QVM_LOG.txt" &&
		fail "$what: the host's checks found something wrong: $(grep -o 'TENXEN-CHECK FAIL.*' "$QVM_LOG.txt" | tr '\n' ';')"
	true
}

# 1. core-log mirrors, the second disk gone
mapfile -t disks < <(iso_disks a "")
degraded_boot without-b "core-log host without disk b" "${disks[@]}"
grep -q 'TENXEN-CHECK ok root /dev/mapper/vg0-root' "$QVM_LOG.txt" || fail "without disk b: root is not vg0/root"
grep -Eq 'TENXEN-CHECK info swap [a-z0-9]+ active 1' "$QVM_LOG.txt" ||
	fail "without disk b: swap is not in use on the disk left: $(grep -o 'TENXEN-CHECK info swap.*' "$QVM_LOG.txt")"
grep -q 'TENXEN-CHECK info disks present 1 of' "$QVM_LOG.txt" || fail "without disk b: vg0 does not have exactly one disk left"
# the way back it names must fit what vg0 has become: only mirror legs were on the lost disk, so
# it left the group, and each former mirror is named
grep -q 'TENXEN-CHECK info disks present 1 of 1, missing 0' "$QVM_LOG.txt" ||
	fail "without disk b: vg0 still lists the lost disk, though it held only mirror legs"
grep -q 'tenxen: the lost disk is no longer part of vg0: to mirror again, wipefs -a .*lvconvert -m1 vg0/root.*lvconvert -m1 vg0/swap' "$QVM_LOG.txt" ||
	fail "without disk b: the console does not say how to mirror root and swap again"
echo "core-log mirrors without disk b: Xen, dom0 on vg0/root from disk a, login prompt after $secs s"

# 2. root on raid1 and swap on a disk-log mirror, installed now over the tagged VLAN, the first
# disk gone
vnet_start "$ISO_WORK/vnet" 42 || fail "cannot start the test's network (namespace, switch, dnsmasq, httpd)"
# one file per host in a folder, as for a rack: this host's is named after its first card's MAC
mkdir -p "$VNET_WORK/www/hosts"
cp tests/iso/answers/check-raid1.ks "$VNET_WORK/www/hosts/52-54-00-12-34-61.ks"
# the payload as make netboot serves it (the check ISO's /tenxen); the web server logs the bytes
# it sends for each request
iso/payload-tree.sh "$VNET_WORK/www/tenxen" build/payload "$(ls build/deb/tenxen_*.deb)" tests/iso/answers > /dev/null ||
	fail "cannot make the payload's folder"
mapfile -t cards < <(vnet_cards 52:54:00:12:34:61 52:54:00:12:34:62)
ISO_NET=("${cards[@]}")
ISO_IMAGES=("$ISO_WORK/c.img" "$ISO_WORK/d.img")
mapfile -t disks < <(qvm_disks "$ISO_WORK" c TXISO-C d TXISO-D)
ISO_KARGS="tenxen.vlan=42 tenxen.report=http://$VNET_ADDR/cgi-bin/report tenxen.payload=http://$VNET_ADDR/tenxen/" \
	iso_install_check install-raid1 "http://$VNET_ADDR/hosts/" "${disks[@]}"
echo "raid1 host installed: $(grep -o 'phases: .*' "$QVM_LOG.txt")"
grep -Eq 'tenxen: network: eth[0-9]+\.42 has 10\.42\.0\.[0-9]+' "$QVM_LOG.txt" ||
	fail "the installer did not get its address on VLAN 42: $(grep -o 'tenxen: network.*' "$QVM_LOG.txt")"
grep -q "the answer file is http://$VNET_ADDR/hosts/52-54-00-12-34-61.ks (the MAC address of card eth0)" "$QVM_LOG.txt" ||
	fail "the installer did not read its own answer file, by its MAC address, over the VLAN"
# its reports, one JSON object per POST: start, each step, done
head -1 "$VNET_WORK/events" | grep -q '^{"event":"start","answers":"http://10.42.0.1/hosts/".*"macs":\["52:54:00:12:34:61","52:54:00:12:34:62"\]' ||
	fail "the install's first report is not its start, naming its cards: $(head -1 "$VNET_WORK/events")"
tail -1 "$VNET_WORK/events" | grep -q '^{"event":"done","seconds":' ||
	fail "the install's last report is not done: $(tail -1 "$VNET_WORK/events")"
steps=$(grep -c '"event":"progress"' "$VNET_WORK/events")
[ "$steps" -ge 20 ] || fail "the install reported $steps steps"
# the payload came over the VLAN: its manifest checked first, then each file it read sent whole
# and once (the root image in byte ranges, frame by frame), none sent twice
grep -q "the payload at http://$VNET_ADDR/tenxen/: [0-9]* files in its manifest, the small ones checked" "$QVM_LOG.txt" ||
	fail "the installer did not read the payload's manifest over the VLAN"
payload=$(awk 'NR == FNR { size["/tenxen/" $3] = $2; next }
	$1 == "GET" { sent[$2] += $5; n[$2]++ }
	END { for (f in sent) { files++; bytes += sent[f]; if (f in size && sent[f] != size[f]) bad = bad " " f "=" sent[f] "/" size[f] }
	      printf "%d files, %d MiB, %d requests for the root image%s\n", files, bytes / 1048576, n["/tenxen/root.img.zst"], bad ? "; not sent exactly once:" bad : "" }' \
	"$VNET_WORK/www/tenxen/payload.sums" "$VNET_WORK/http.log")
echo "payload over HTTP: $payload"
case $payload in *"not sent exactly once"* | *" 0 requests"*) fail "the payload was not read once over HTTP: $payload" ;; esac
grep -q '^GET /tenxen/boot.tar.zst - 200 ' "$VNET_WORK/http.log" || fail "/boot's tarball was not read over HTTP"
mapfile -t disks < <(qvm_disks "$ISO_WORK" d TXISO-D)
QVM_MONITOR=1 KEEP=1 degraded_boot without-c "raid1 host without disk c" "${disks[@]}"
grep -Eq 'TENXEN-CHECK info root /dev/mapper/vg0-root +raid1' "$QVM_LOG.txt" ||
	fail "without disk c: root is not vg0/root on raid1: $(grep -o 'TENXEN-CHECK info root.*' "$QVM_LOG.txt")"
# swap is up too: the whole volume group was started, not the root alone; its mirror lost the
# leg on the missing disk
grep -Eq 'TENXEN-CHECK info swap linear active 1' "$QVM_LOG.txt" ||
	fail "without disk c: swap is not running on the disk left: $(grep -o 'TENXEN-CHECK info swap.*' "$QVM_LOG.txt")"
# dropping the mirror's legs dropped the lost disk from vg0 (raid1's image there with it), and
# the way back says so, naming both volumes
grep -q 'TENXEN-CHECK info disks present 1 of 1, missing 0' "$QVM_LOG.txt" ||
	fail "without disk c: vg0 should have the one disk left: $(grep -o 'TENXEN-CHECK info disks.*' "$QVM_LOG.txt")"
grep -q 'tenxen: the lost disk is no longer part of vg0: to mirror again, wipefs -a .*vgextend vg0 DEVICE, lvconvert --repair vg0/root, lvconvert -m1 vg0/swap' "$QVM_LOG.txt" ||
	fail "without disk c: the console does not say how to mirror again"
# /boot's md RAID1 runs on the member left and is mounted: a kernel upgrade on the degraded host
# lands where extlinux reads, not in the root's empty /boot folder
grep -Eq 'TENXEN-CHECK info boot /dev/md[0-9a-z/]+ 1' "$QVM_LOG.txt" ||
	fail "without disk c: /boot is not mounted from its degraded md array: $(grep -o 'TENXEN-CHECK info boot.*' "$QVM_LOG.txt")"
grep -q 'tenxen: md array md[0-9]* started with a member missing' "$QVM_LOG.txt" ||
	fail "without disk c: the console does not say that /boot's array runs degraded"
# the network: a bond of both cards under the guests' bridge, the address on VLAN 42
grep -q 'TENXEN-CHECK info bond active-backup 1 cards lan0 lan1 bridge bond0' "$QVM_LOG.txt" ||
	fail "the bond is not as the answer file says: $(grep -o 'TENXEN-CHECK info bond.*' "$QVM_LOG.txt")"
# the host keeps the same events, up to its last step (the record is written there)
grep -Eq 'TENXEN-CHECK info events [0-9]+ \{"event":"start"' "$QVM_LOG.txt" ||
	fail "the host's install record has no events: $(grep -o 'TENXEN-CHECK info events.*' "$QVM_LOG.txt")"
grep -q 'TENXEN-CHECK info cmdline .*bonding.max_bonds=0' "$QVM_LOG.txt" ||
	fail "dom0's command line lacks the option of xen --dom0-append: $(grep -o 'TENXEN-CHECK info cmdline.*' "$QVM_LOG.txt")"
addr=$(grep -o 'TENXEN-CHECK info mgmt 10\.42\.0\.[0-9]*' "$QVM_LOG.txt" | awk '{print $4}')
[ -n "$addr" ] || fail "the host has no address on bond0.42: $(grep -o 'TENXEN-CHECK info mgmt.*' "$QVM_LOG.txt")"
grep -Eq "DHCPACK\(txvlan\) $addr 52:54:00:12:34:6[12] xen-raid1" "$VNET_WORK/dnsmasq.log" ||
	fail "the test's DHCP server did not give $addr to the host's bond: $(grep DHCPACK "$VNET_WORK/dnsmasq.log")"
vnet_ping "$addr" || fail "the host does not answer ping at $addr on VLAN 42"
# each card in turn loses its link (qemu's set_link): the bond moves to the other one
for down in 0 1; do
	up=$((1 - down))
	vga_hmp "set_link c$up on" > /dev/null
	vga_hmp "set_link c$down off" > /dev/null
	sleep 1.5 # the switch writes its counts each second
	before=$(vnet_sent $up)
	vnet_ping "$addr" || fail "with card $down's link down, the host does not answer ping at $addr"
	for _ in 1 2 3; do [ "$(vnet_sent $up)" -gt "$before" ] && break; sleep 1; done
	[ "$(vnet_sent $up)" -gt "$before" ] || fail "with card $down's link down, no answer came by card $up"
done
qvm_end 0
echo "network: bond0 of lan0 and lan1 under xenbr0, $addr on VLAN 42 by DHCP, answers ping with either card's link down; the install reported start, $steps steps and done"
echo "raid1 root and disk-log swap without disk c: Xen, dom0 on vg0/root degraded, swap on, /boot degraded and mounted, login prompt after $secs s"
echo "ok: core-log mirrors boot without their second disk, raid1 with a disk-log swap without its first"
