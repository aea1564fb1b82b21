#!/bin/bash
# make bench, part 6 (BENCH_ONLY=pxe runs it alone): a rack by PXE (tests/lib/pxe.sh, make
# netboot's tree): host a alone, then hosts a, b (UEFI) and c at once, from the same web server;
# each host's time from power-on to its install done, its slowdown against host a alone, and
# the bytes the server sent it against the payload bytes it needed (goal: each byte once).
set -u
cd "$(dirname "$0")/.."
d=build/bench
mkdir -p "$d"
echo "6. a rack by PXE: one host alone, then three at once from one web server"
. tests/lib/iso.sh
. tests/lib/vlan-net.sh
. tests/lib/pxe.sh
pxe_start "$d/pxe" || { echo "cannot start the PXE network" >&2; exit 1; }
for i in 0 1 2; do
	host_ks "$i" "bootloader --firmware=auto --disks=${NAMES[$i]}" \
		"part /boot --size=512M --disks=${NAMES[$i]}" "volgroup vg0 --disks=${NAMES[$i]}" \
		"logvol / --vg=vg0 --name=root --size=3G"
done
# served IP: the bytes sent to one client, and the payload bytes of the files it read
served() {
	awk -v ip="$1" 'NR == FNR { size["/tenxen/" $3] = $2; next }
		$1 == "GET" && $6 == ip && ($2 in size) { sent += $5; if (!($2 in seen)) { seen[$2] = 1; need += size[$2] } }
		END { printf "%.1f %.1f %.3f", sent / 1048576, need / 1048576, need ? sent / need : 0 }' \
		"$VNET_WORK/www/tenxen/payload.sums" "$VNET_WORK/http.log"
}
# inst I: machine I's install's own seconds, from its console
inst() { grep -o 'install done in [0-9.]*' "${LOGS[$1]}.txt" | grep -o '[0-9.]*$'; }
# ip_of I: the address dnsmasq last leased to machine I
ip_of() { awk -v m="${MACS[$1]}" '$2 == m { print $3 }' "$VNET_WORK/leases" | tail -1; }
new_disks 0
: > "$VNET_WORK/http.log"
boot_all alone 0
wait_all 'TENXEN-INSTALL-(OK|FAILED)' 1800 || { echo "host a alone did not finish" >&2; exit 1; }
end_all 30
grep -q TENXEN-INSTALL-OK "${LOGS[0]}.txt" || { echo "host a alone failed: ${LOGS[0]}.txt" >&2; exit 1; }
alone=${PXE_SECS[0]} a_inst=$(inst 0)
read -r a_sent a_need a_ratio <<< "$(served "$(ip_of 0)")"
new_disks 0 1 2
: > "$VNET_WORK/http.log"
boot_all three
wait_all 'TENXEN-INSTALL-(OK|FAILED)' 1800 || { echo "the three hosts did not finish" >&2; exit 1; }
end_all 30
printf '   %-22s %10s %10s %10s %12s %12s %8s\n' "host" "seconds" "install" "slowdown" "sent, MiB" "needed, MiB" "ratio"
printf '   %-22s %10d %10s %10s %12s %12s %8s\n' "a alone (BIOS)" "$alone" "$a_inst" "1.00" "$a_sent" "$a_need" "$a_ratio"
for i in 0 1 2; do
	grep -q TENXEN-INSTALL-OK "${LOGS[$i]}.txt" || { echo "host ${NAMES[$i]} failed: ${LOGS[$i]}.txt" >&2; exit 1; }
	read -r sent need ratio <<< "$(served "$(ip_of "$i")")"
	printf '   %-22s %10d %10s %10.2f %12s %12s %8s\n' "${NAMES[$i]} of three (${FIRMWARE[$i]})" "${PXE_SECS[$i]}" "$(inst "$i")" \
		"$(echo "scale=2; ${PXE_SECS[$i]} / $alone" | bc)" "$sent" "$need" "$ratio"
done
echo "   seconds: from power-on (PXE, the loader and the installer by TFTP) to the install done (polled"
echo "   every 2 s); install: the installer's own time, its payload over HTTP;"
echo "   slowdown: against host a alone; ratio: bytes sent to the host / the payload bytes it needed"
echo "   (goal: 1.000, each byte once); the three share this machine's cores under TCG, so their"
echo "   slowdown is mostly the emulator's, not the web server's"
# the smallest memory host a installs with over HTTP, as part 3 finds it for the ISO: the loader
# holds the installer's kernel and initrd in memory, and the installer holds no payload file
# larger than the small ones it checks before the disks (the root image goes frame by frame)
# (dom0 memory "auto", so that what is measured is the installer's need)
PXE_DOM0_MEM=auto host_ks 0 "part /boot --size=512M --disks=a" "volgroup vg0 --disks=a" "logvol / --vg=vg0 --name=root --size=3G"
smallest=none
for mem in 256 384 512 768; do
	new_disks 0
	PXE_MEM=$mem boot_all "mem$mem" 0
	wait_all 'TENXEN-INSTALL-(OK|FAILED)|Kernel panic|Out of memory|invoked oom-killer' 1200
	end_all 30
	if grep -q TENXEN-INSTALL-OK "${LOGS[0]}.txt"; then smallest=$mem; break; fi
	echo "   $mem MiB: the install did not succeed ($(grep -Eo 'Kernel panic.*|Out of memory.*|invoked oom-killer.*|TENXEN-INSTALL-FAILED.*' "${LOGS[0]}.txt" | head -1))"
done
echo "   smallest memory host a installs with by PXE, its payload over HTTP (of 256, 384, 512, 768 MiB): $smallest"
vnet_stop
