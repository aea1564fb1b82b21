# A tagged management network for the VM tests, in a network namespace of the test's own: the
# switch of tests/lib/vlanswitch.py with two trunk ports for a VM's two cards, and on its VLAN's
# access port (10.42.0.1/24) a DHCP server (dnsmasq) and a web server (busybox httpd, serving
# WORK/www; POSTs to /cgi-bin/report are appended to WORK/events). Everything started here is stopped by vnet_stop, which an EXIT trap runs, also when
# the test fails.
#   vnet_start WORK VID   start it all; VNET_NS is the namespace
#   vnet_cards MAC0 MAC1  qemu arguments for the VM's two cards (netdev ids c0 and c1)
#   vnet_stop             stop what vnet_start started, remove the namespace
VNET_ADDR=10.42.0.1
VNET_PIDS=()

vnet_start() {
	VNET_WORK=$(realpath -m "$1") VNET_VID=$2 VNET_NS=tenxen-vnet-$$
	rm -rf "$VNET_WORK"
	mkdir -p "$VNET_WORK/www"
	ip netns add "$VNET_NS" || return 1
	trap vnet_stop EXIT
	ip -n "$VNET_NS" link set lo up
	ip netns exec "$VNET_NS" python3 tests/lib/vlanswitch.py "$VNET_WORK" txvlan "$VNET_VID" 2 \
		2> "$VNET_WORK/switch.log" &
	VNET_PIDS+=($!)
	for _ in $(seq 1 50); do ip -n "$VNET_NS" link show txvlan > /dev/null 2>&1 && break; sleep 0.1; done
	ip -n "$VNET_NS" addr add "$VNET_ADDR/24" dev txvlan &&
		ip -n "$VNET_NS" link set txvlan up || return 1
	ip netns exec "$VNET_NS" dnsmasq --keep-in-foreground --conf-file=/dev/null --user=root \
		--port=0 --interface=txvlan --bind-interfaces --dhcp-range=10.42.0.50,10.42.0.99,1h \
		--dhcp-leasefile="$VNET_WORK/leases" --pid-file= --log-dhcp \
		--log-facility="$VNET_WORK/dnsmasq.log" &
	VNET_PIDS+=($!)
	# the install's reports (tenxen --report): each POST's JSON a line of WORK/events
	mkdir -p "$VNET_WORK/www/cgi-bin"
	cat > "$VNET_WORK/www/cgi-bin/report" <<- EOF
		#!/bin/sh
		head -c "\$CONTENT_LENGTH" >> $VNET_WORK/events
		echo >> $VNET_WORK/events
		printf 'Status: 204 No Content\\r\\n\\r\\n'
	EOF
	chmod 0755 "$VNET_WORK/www/cgi-bin/report"
	ip netns exec "$VNET_NS" busybox httpd -f -p "$VNET_ADDR:80" -h "$VNET_WORK/www" &
	VNET_PIDS+=($!)
	sleep 0.5
	for p in "${VNET_PIDS[@]}"; do kill -0 "$p" 2> /dev/null || return 1; done
}

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
