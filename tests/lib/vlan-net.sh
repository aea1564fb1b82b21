# A network for the VM tests, in a network namespace of the test's own: the switch of
# tests/lib/vlanswitch.py with trunk ports for the VMs' cards (a tagged VLAN; or, with VID 0,
# plain untagged ports for machines that boot by PXE), and on its access port (10.42.0.1/24) a
# DHCP server (dnsmasq; VNET_DHCP holds more of its options, for TFTP and PXE) and a web server
# (tests/lib/payload-httpd.py, serving WORK/www and logging each request with the bytes it sent
# in WORK/http.log; each POST's body, an install's report, is a line of WORK/events). Everything
# started here is stopped by vnet_stop, which runs when the test exits (tests/lib/exit.sh), also when the test fails.
#   vnet_start WORK VID [CARDS]   start it all, with CARDS trunk ports (2); VNET_NS is the namespace
#   vnet_cards MAC...             qemu arguments for cards on the ports in turn (netdev ids c0...)
#   vnet_stop                     stop what vnet_start started, remove the namespace
. tests/lib/exit.sh
VNET_ADDR=10.42.0.1
VNET_PIDS=()

vnet_start() {
	VNET_WORK=$(realpath -m "$1") VNET_VID=$2 VNET_NS=tenxen-vnet-$$
	local cards=${3:-2}
	rm -rf "$VNET_WORK"
	mkdir -p "$VNET_WORK/www" "$VNET_WORK/tftp"
	ip netns add "$VNET_NS" || return 1
	on_exit vnet_stop
	ip -n "$VNET_NS" link set lo up
	ip netns exec "$VNET_NS" python3 tests/lib/vlanswitch.py "$VNET_WORK" txvlan "$VNET_VID" "$cards" \
		2> "$VNET_WORK/switch.log" &
	VNET_PIDS+=($!)
	for _ in $(seq 1 50); do ip -n "$VNET_NS" link show txvlan > /dev/null 2>&1 && break; sleep 0.1; done
	ip -n "$VNET_NS" addr add "$VNET_ADDR/24" dev txvlan &&
		ip -n "$VNET_NS" link set txvlan up || return 1
	ip netns exec "$VNET_NS" dnsmasq --keep-in-foreground --conf-file=/dev/null --user=root \
		--port=0 --interface=txvlan --bind-interfaces --dhcp-range=10.42.0.50,10.42.0.99,1h \
		--dhcp-leasefile="$VNET_WORK/leases" --pid-file= --log-dhcp \
		--log-facility="$VNET_WORK/dnsmasq.log" ${VNET_DHCP[@]+"${VNET_DHCP[@]}"} &
	VNET_PIDS+=($!)
	vnet_httpd_start
	sleep 0.5
	for p in "${VNET_PIDS[@]}"; do kill -0 "$p" 2> /dev/null || return 1; done
}

# vnet_httpd_stop, vnet_httpd_start: the web server stopped (a server gone mid-install), started
# (VNET_HTTPD_OPTS: more options of tests/lib/payload-httpd.py)
vnet_httpd_start() {
	ip netns exec "$VNET_NS" python3 tests/lib/payload-httpd.py "$VNET_WORK/www" \
		"$VNET_WORK/http.port" "$VNET_WORK/http.log" --listen "$VNET_ADDR:80" \
		--events "$VNET_WORK/events" ${VNET_HTTPD_OPTS[@]+"${VNET_HTTPD_OPTS[@]}"} 2>> "$VNET_WORK/httpd.err" &
	VNET_HTTPD=$!
	VNET_PIDS+=($!)
}
vnet_httpd_stop() { kill "$VNET_HTTPD" 2> /dev/null; wait "$VNET_HTTPD" 2> /dev/null; }

vnet_cards() {
	local i=0 mac
	for mac in "$@"; do
		rm -f "$VNET_WORK/vm$i.sock"
		printf '%s\n' -netdev "dgram,id=c$i,local.type=unix,local.path=$VNET_WORK/vm$i.sock,remote.type=unix,remote.path=$VNET_WORK/sw$i.sock" \
			-device "virtio-net-pci,netdev=c$i,mac=$mac"
		i=$((i + 1))
	done
}

vnet_stop() {
	local p
	for p in "${VNET_PIDS[@]}"; do kill "$p" 2> /dev/null; done
	for p in "${VNET_PIDS[@]}"; do wait "$p" 2> /dev/null; done
	VNET_PIDS=()
	[ -n "${VNET_NS:-}" ] && ip netns del "$VNET_NS" 2> /dev/null
	VNET_NS=
}

# vnet_ping ADDR: 0 when ADDR answers ping from the access port, within 10 s
vnet_ping() { ip netns exec "$VNET_NS" busybox ping -c 2 -w 10 "$1" > /dev/null 2>&1; }

# vnet_sent CARD: how many tagged frames the VM's card CARD (0 or 1) has sent
vnet_sent() { sed -n "s/^card$1 //p" "$VNET_WORK/stats" 2> /dev/null; }

# vnet_card PORT MAC: qemu arguments for a VM's one card, on trunk port PORT (netdev id c0)
vnet_card() {
	rm -f "$VNET_WORK/vm$1.sock"
	printf '%s\n' -netdev "dgram,id=c0,local.type=unix,local.path=$VNET_WORK/vm$1.sock,remote.type=unix,remote.path=$VNET_WORK/sw$1.sock" \
		-device "virtio-net-pci,netdev=c0,mac=$2"
}
