#!/bin/bash
# A rack installed over the network (make netboot's tree, docs/netboot.md): three machines boot by
# PXE at once, two on BIOS (iPXE, then pxelinux) and one on UEFI (OVMF, then GRUB's network
# image), from a DHCP and TFTP server (dnsmasq) and a web server on a network of the test's own
# (tests/lib/vlan-net.sh, untagged). Each reads its own answer file from hosts/ by its MAC address
# (its own host name and layout), reads the payload over HTTP, and reports its steps.
#  1. The web server stops while the hosts read the payload: each install fails, saying which URL.
#  2. The web server back, the same machines boot again and install; each reports done, and the
#     server's log shows each host read each file it needed once, each byte of it once.
#  3. Host a (BIOS) and host b (UEFI, by its firmware entry) boot from their disks: each one's
#     host name and layout are its answer file's.
#  4. A payload file damaged on the server (the root image's map): three new machines each
#     refuse before touching a disk, saying which file; their disks hold nothing.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/iso.sh
. tests/lib/vlan-net.sh
. tests/lib/pxe.sh
pxe_start "${OUT:-build/check}/pxe" || fail "cannot start the test's network (namespace, switch, dnsmasq, web server) or make netboot's tree"
host_ks 0 "part /boot --size=512M --disks=a" "volgroup vg0 --disks=a" "logvol / --vg=vg0 --name=root --size=3G" \
	"logvol swap --vg=vg0 --name=swap --size=256M"
host_ks 1 "bootloader --firmware=auto --disks=b" "part /boot --size=400M --disks=b" \
	"volgroup vg0 --disks=b" "logvol / --vg=vg0 --name=root --size=3G"
host_ks 2 "part /boot --size=300M --disks=c" "volgroup vgc --disks=c" \
	"logvol / --vg=vgc --name=dom0 --size=3500M" "logvol swap --vg=vgc --name=swap --size=128M"

# 1. the web server stops while every host reads the root image (sent slowly in this round, so
# that all three are in the middle of it), for longer than an installer tries again: each
# install fails and says which URL
new_disks
vnet_httpd_stop
VNET_HTTPD_OPTS=(--slow tenxen/root.img.zst:1500000)
vnet_httpd_start
boot_all stopped
t=0
until [ "$(awk '$2 == "/tenxen/root.img.zst" { print $6 }' "$VNET_WORK/http.log" 2> /dev/null | sort -u | wc -l)" = 3 ]; do
	[ $t -lt 900 ] || fleet_fail "not every host read the root image"
	sleep 1
	t=$((t + 1))
done
vnet_httpd_stop
wait_all 'TENXEN-INSTALL-(OK|FAILED)' 900 || fleet_fail "the installs did not end with the web server stopped"
end_all
for i in 0 1 2; do
	grep -q 'TENXEN-INSTALL-FAILED' "${LOGS[$i]}.txt" || fail "${NAMES[$i]}: the install went on without the web server"
	grep -Eq "http://$VNET_ADDR/tenxen/[^ ]*: .*(after [0-9]+ tries|Couldn't connect)" "${LOGS[$i]}.txt" ||
		fail "${NAMES[$i]}: the failure does not name the URL: $(grep -m1 'error:' "${LOGS[$i]}.txt")"
done
echo "web server stopped: each install failed: $(grep -ho 'error: http[^;]*' "${LOGS[0]}.txt" | head -1)"

# 2. the web server back (at full speed): the same machines, booted again, install
VNET_HTTPD_OPTS=()
vnet_httpd_start
: > "$VNET_WORK/events"
cp "$VNET_WORK/http.log" "$W/http-round1.log" && : > "$VNET_WORK/http.log"
boot_all install
wait_all 'TENXEN-INSTALL-(OK|FAILED)' 1800 || fleet_fail "the installs did not end"
end_all 60
for i in 0 1 2; do
	grep -q TENXEN-INSTALL-OK "${LOGS[$i]}.txt" || fail "${NAMES[$i]}: the install failed: $(grep -m3 'error:' "${LOGS[$i]}.txt")"
	grep -q "the answer file is http://$VNET_ADDR/tenxen/hosts/${MACS[$i]//:/-}.ks" "${LOGS[$i]}.txt" ||
		fail "${NAMES[$i]}: it did not read its own answer file"
	grep -q "\"event\":\"done\".*\"macs\":\[\"${MACS[$i]}\"\]" "$VNET_WORK/events" ||
		fail "${NAMES[$i]}: no report of done"
done
grep -q 'PXELINUX' "${LOGS[0]}.txt" || fail "a: it did not boot by pxelinux"
# b booted the installer through GRUB's network image: the TFTP server sent it, and then GRUB's
# own config, which only a running GRUB asks for (only b is UEFI; OVMF draws GRUB's menu on the
# screen, not the serial console, so the server's log is the evidence)
grep -q 'dnsmasq-tftp.*: sent .*/grub/x86_64-efi/core.efi to ' "$VNET_WORK/dnsmasq.log" &&
	grep -q 'dnsmasq-tftp.*: sent .*/grub/grub.cfg to ' "$VNET_WORK/dnsmasq.log" ||
	fail "b did not boot GRUB's network image by TFTP: $(grep -m3 'dnsmasq-tftp' "$VNET_WORK/dnsmasq.log")"
# each host read each file it needed once, each byte once (the root image in byte ranges)
per_host=$(awk 'NR == FNR { size["/tenxen/" $3] = $2; next }
	$1 == "GET" && ($2 in size) { sent[$6 " " $2] += $5; hosts[$6] = 1 }
	END { for (k in sent) { split(k, p, " "); if (sent[k] != size[p[2]]) bad = bad " " k "=" sent[k] "/" size[p[2]]; bytes[p[1]] += sent[k] }
	      for (h in hosts) printf "%s %d MiB; ", h, bytes[h] / 1048576
	      if (bad) printf "not once:%s", bad }' \
	"$VNET_WORK/www/tenxen/payload.sums" "$VNET_WORK/http.log")
echo "payload read: $per_host"
case $per_host in *"not once"*) fail "a host read a file more than once, or not whole: $per_host" ;; esac
[ "$(echo "$per_host" | grep -o 'MiB' | wc -l)" = 3 ] || fail "not three hosts read the payload: $per_host"
echo "three hosts installed by PXE side by side: $(grep -ho 'install done in [0-9.]* s' "${LOGS[@]/%/.txt}" | tr '\n' ' ')"

# 3. host a boots from its disk: its name and layout
mapfile -t disks < <(qvm_disks "$W" a TXPXE-A)
QVM_SMP=1 qvm_start "$W" boot-a 900 -m 1024 "${disks[@]}"
qvm_wait 'TENXEN-FIRSTBOOT-DONE' 900 || fail "host a did not come up"
qvm_end 0
grep -Eq 'TENXEN-CHECK host fleet-a volumes +vg0 root 3072.00; vg0 swap 256.00;' "$QVM_LOG.txt" ||
	fail "host a is not as its answer file says: $(grep -o 'TENXEN-CHECK host.*' "$QVM_LOG.txt")"
echo "host a booted: $(grep -o 'TENXEN-CHECK host.*' "$QVM_LOG.txt")"
# 3b. host b (UEFI) boots from its disk, by the firmware boot entry its install wrote into its
# NVRAM: Xen started by the firmware, its name and layout its answer file's
mapfile -t disks < <(qvm_disks "$W" b TXPXE-B)
mapfile -t fw < <(qvm_uefi "$W/b-vars.fd")
QVM_SMP=1 qvm_start "$W" boot-b 900 "${fw[@]}" -m 1024 "${disks[@]}"
qvm_wait 'TENXEN-FIRSTBOOT-DONE' 900 || fail "host b (UEFI) did not come up from its disk: $(tail -n 5 "$QVM_LOG.txt")"
qvm_end 0
grep -q '(XEN) Bootloader: EFI' "$QVM_LOG.txt" || fail "host b's Xen was not started by the firmware"
grep -Eq 'TENXEN-CHECK host fleet-b volumes +vg0 root 3072.00;' "$QVM_LOG.txt" ||
	fail "host b is not as its answer file says: $(grep -o 'TENXEN-CHECK host.*' "$QVM_LOG.txt")"
echo "host b booted by UEFI: $(grep -o 'TENXEN-CHECK host.*' "$QVM_LOG.txt")"

# 4. the root image's map damaged on the server (one digit of a frame's SHA-256): three new
# machines refuse before touching a disk, naming the file
sed -i '0,/^frame/s/^\(frame [0-9]* [0-9]* \)./\1x/' "$VNET_WORK/www/tenxen/root.img.map"
new_disks
boot_all damaged
wait_all 'TENXEN-INSTALL-(OK|FAILED)' 900 || fleet_fail "the installs with a damaged payload did not end"
end_all
for i in 0 1 2; do
	grep -q "http://$VNET_ADDR/tenxen/root.img.map: its SHA-256 is" "${LOGS[$i]}.txt" ||
		fail "${NAMES[$i]}: the damaged file was not named: $(grep -m2 'error:' "${LOGS[$i]}.txt")"
	grep -q 'refused before any disk was touched' "${LOGS[$i]}.txt" || fail "${NAMES[$i]}: not refused before the disks"
	[ "$(stat -c %b "$W/${NAMES[$i]}.img")" = 0 ] || fail "${NAMES[$i]}: its disk was written"
done
echo "ok: a rack by PXE (BIOS, UEFI, BIOS): the web server stopped, each failed naming the URL; back, each installed and reported done; the payload read once per host; hosts a (BIOS) and b (UEFI) booted as their answer files say; a damaged file refused by each before its disks"
