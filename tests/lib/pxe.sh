# Machines that boot by PXE from make netboot's tree (iso/netboot.sh), side by side, on a network
# of the test's own (tests/lib/vlan-net.sh, untagged: dnsmasq for DHCP and TFTP, the web server),
# for tests/vm/pxe-fleet.sh and make bench. Three machines: a and c on BIOS, b on UEFI, each one
# 8 GiB disk and one card; the menu's default is the unattended install, from hosts/ by MAC,
# reporting each step to the web server (WORK/vnet/events).
#   pxe_start WORK          the network and the tree, served; HOSTS is the answer files' folder
#   host_ks I LAYOUT...     machine I's answer file (0, 1, 2), with these layout lines
#   new_disks I...          blank disks (and NVRAM) for those machines
#   boot_all ROUND I...     start them (all three by default); consoles are WORK/ROUND-NAME.log;
#                           PXE_MEM: their memory in MiB (1024)
#   wait_all PATTERN SECS   0 once every started machine's console shows PATTERN; PXE_SECS[I]
#                           gets each one's seconds from its start to then
#   end_all [SECS]          wait for them to end by themselves, then stop them
NAMES=(a b c) FIRMWARE=(bios uefi bios)
MACS=(52:54:00:12:35:01 52:54:00:12:35:02 52:54:00:12:35:03)
PIDS=() LOGS=() STARTED=() PXE_T0=() PXE_SECS=()

pxe_start() {
	W=$(realpath -m "$1")
	rm -rf "$W" && mkdir -p "$W"
	VNET_DHCP=(--enable-tftp "--tftp-root=$W/vnet/tftp"
		--dhcp-match=set:efi,option:client-arch,7 --dhcp-match=set:efi,option:client-arch,9
		--dhcp-boot=tag:efi,grub/x86_64-efi/core.efi --dhcp-boot=tag:!efi,pxelinux.0)
	vnet_start "$W/vnet" 0 3 || return 1
	MENU_DEFAULT=unattended NETBOOT_REPORT=http://$VNET_ADDR/report iso/netboot.sh "$W/nb" build/env build/payload \
		"$(ls build/deb/tenxen_*.deb)" "http://$VNET_ADDR/tenxen/" > /dev/null || return 1
	cp -r "$W/nb/tftp/." "$VNET_WORK/tftp/"
	mv "$W/nb/http/tenxen" "$VNET_WORK/www/tenxen"
	HOSTS=$VNET_WORK/www/tenxen/hosts
}

# host_ks I LAYOUT...: host I's answer file, its layout lines given; at each boot a check prints
# its host name and volumes; PXE_DOM0_MEM: its dom0 memory (600M,max:600M)
host_ks() {
	local i=$1 n=${NAMES[$1]}
	shift
	{
		echo "disk $n --serial=TXPXE-${n^^}"
		echo "clearpart $n"
		printf '%s\n' "$@"
		echo "xen --dom0-mem=${PXE_DOM0_MEM:-600M,max:600M}"
		echo "console serial --port=ttyS0 --speed=115200"
		echo "network --device=mac:${MACS[$i]} --bootproto=dhcp --hostname=fleet-$n"
		echo "timezone UTC --utc"
		echo "keyboard us"
		echo "rootpw --lock"
		echo "poweroff"
		cat <<- 'KS'
			%post --erroronfail
			cat > /usr/local/sbin/tenxen-boot-check <<'EOS'
			#!/bin/sh
			echo "TENXEN-CHECK host $(hostname) volumes $(lvs --noheadings -o vg_name,lv_name,lv_size --units m --nosuffix | tr -s ' ' | tr '\n' ';')"
			echo TENXEN-FIRSTBOOT-DONE
			EOS
			chmod 0755 /usr/local/sbin/tenxen-boot-check
			printf '[Unit]\nAfter=local-fs.target\n[Service]\nType=oneshot\nExecStart=/usr/local/sbin/tenxen-boot-check\nStandardOutput=journal+console\n[Install]\nWantedBy=multi-user.target\n' > /etc/systemd/system/tenxen-boot-check.service
			systemctl enable tenxen-boot-check.service
			%end
		KS
	} > "$HOSTS/${MACS[$i]//:/-}.ks"
}
boot_all() {
	local round=$1 i args
	shift
	STARTED=("$@")
	[ $# -gt 0 ] || STARTED=(0 1 2)
	for i in "${STARTED[@]}"; do
		mapfile -t args < <(qvm_disks "$W" "${NAMES[$i]}" "TXPXE-${NAMES[$i]^^}"; vnet_card "$i" "${MACS[$i]}")
		[ "${FIRMWARE[$i]}" = uefi ] && mapfile -t -O "${#args[@]}" args < <(qvm_uefi "$W/${NAMES[$i]}-vars.fd")
		QVM_SMP=1 qvm_start "$W" "$round-${NAMES[$i]}" 1800 -m "${PXE_MEM:-1024}" -boot n "${args[@]}"
		PIDS[$i]=$QVM_PID LOGS[$i]=$QVM_LOG PXE_T0[$i]=$(date +%s) PXE_SECS[$i]=
		exec {QVM_IN}>&-
	done
}
wait_all() {
	local t=0 i n
	while [ $t -lt "$2" ]; do
		n=0
		for i in "${STARTED[@]}"; do
			QVM_LOG=${LOGS[$i]} qvm_text
			grep -Eq "$1" "${LOGS[$i]}.txt" || continue
			n=$((n + 1))
			[ -n "${PXE_SECS[$i]}" ] || PXE_SECS[$i]=$(($(date +%s) - PXE_T0[i]))
		done
		[ $n = "${#STARTED[@]}" ] && return 0
		sleep 2
		t=$((t + 2))
	done
	return 1
}
end_all() {
	local i
	for i in "${STARTED[@]}"; do
		for _ in $(seq 1 "${1:-0}"); do kill -0 "${PIDS[$i]}" 2> /dev/null || break; sleep 1; done
		kill "${PIDS[$i]}" 2> /dev/null || true
		wait "${PIDS[$i]}" 2> /dev/null
		QVM_LOG=${LOGS[$i]} qvm_text
	done
	QVM_PID=
}
fleet_fail() {
	local i
	for i in "${STARTED[@]}"; do
		echo "--- ${NAMES[$i]} (${LOGS[$i]}.txt):"
		tail -n 8 "${LOGS[$i]}.txt" 2> /dev/null
	done
	end_all
	fail "$1"
}
new_disks() {
	local i n ids=("$@")
	[ $# -gt 0 ] || ids=(0 1 2)
	for i in "${ids[@]}"; do
		n=${NAMES[$i]}
		scratch "$W/$n.img"
		rm -f "$W/$n.img" "$W/$n-vars.fd" && truncate -s 8G "$W/$n.img"
	done
}
