#!/bin/bash
# Answer files by URL: http from a server on loopback (found, not found), tftp from busybox's
# tftpd, and an address where nothing listens: each read or refused with a clear sentence.
. tests/lib/cli.sh
d=$(tmpdir fetch)
cp tests/answers/mirror-core.ks "$d/good.ks"
cp tests/iso/answers/bad.ks "$d/bad.ks"
port=$(free_port)
python3 -m http.server --bind 127.0.0.1 --directory "$d" "$port" > "$d/http.log" 2>&1 &
server=$!
trap 'kill $server ${tftp:-} 2> /dev/null' EXIT
wait_port "$port"

run "$TENXEN" plan --answers "http://127.0.0.1:$port/good.ks" --machine tests/machines/two-identical.json
expect_rc 0
expect_out "vg0/root: mirror, 2 legs, core log"

# a broken file is reported at the URL's line, before anything else happens
run "$TENXEN" install --dry-run --answers "http://127.0.0.1:$port/bad.ks" --machine tests/machines/two-identical.json
expect_rc 1
expect_out "http://127.0.0.1:$port/bad.ks:8: error: --size=4X is not a size"
expect_out "refused before any disk was touched"

run "$TENXEN" plan --answers "http://127.0.0.1:$port/nosuch.ks" --machine tests/machines/two-identical.json
expect_rc 1
expect_out "cannot fetch the answer file http://127.0.0.1:$port/nosuch.ks: the server answered 404"

# nothing listens: retried for TENXEN_FETCH_TIMEOUT seconds, then a sentence
closed=$(free_port)
start=$(date +%s)
TENXEN_FETCH_TIMEOUT=3 run "$TENXEN" plan --answers "http://127.0.0.1:$closed/a.ks" --machine tests/machines/two-identical.json
expect_rc 1
expect_out "cannot fetch the answer file http://127.0.0.1:$closed/a.ks"
expect_out "check the address, that the server runs, and that this machine has a network"
[ $(($(date +%s) - start)) -le 20 ] || fail "a closed port kept tenxen waiting"

# tftp, as PXE setups serve it (a small server of the tests' own)
tport=$(free_port)
python3 tests/lib/tftpd.py "$d" "$tport" > "$d/tftp.log" 2>&1 &
tftp=$!
sleep 0.5
run "$TENXEN" plan --answers "tftp://127.0.0.1:$tport/good.ks" --machine tests/machines/two-identical.json
expect_rc 0
expect_out "vg0/root: mirror, 2 legs, core log"
run "$TENXEN" plan --answers "tftp://127.0.0.1:$tport/nosuch.ks" --machine tests/machines/two-identical.json
expect_rc 1
expect_out "cannot fetch the answer file tftp://127.0.0.1:$tport/nosuch.ks"
expect_no_out "getpeername"
echo "fetch: http, tftp, not found and nothing listening all behave"

# a folder of answer files, one per host: this machine's by a card's MAC address (eno2's here),
# else default.ks; each request carries the machine's MACs, which the server logs
h="$d/hosts"
mkdir -p "$h"
hport=$(free_port)
cat > "$d/headers.py" << 'EOF2'
import http.server, sys
class H(http.server.SimpleHTTPRequestHandler):
    def do_GET(self):
        with open(sys.argv[3], "a") as f:
            f.write("%s %s\n" % (self.path, self.headers.get("X-Tenxen-MAC-1", "-")))
        super().do_GET()
    def log_message(self, *a):
        pass
http.server.ThreadingHTTPServer.allow_reuse_address = True
s = http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), lambda *a: H(*a, directory=sys.argv[2]))
s.serve_forever()
EOF2
python3 "$d/headers.py" "$hport" "$h" "$d/headers.log" &
hosts=$!
trap 'kill $server ${tftp:-} $hosts 2> /dev/null' EXIT
wait_port "$hport"
run "$TENXEN" plan --answers "http://127.0.0.1:$hport/" --machine tests/machines/two-identical.json
expect_rc 1
expect_out "no answer file for this machine under http://127.0.0.1:$hport/: tried http://127.0.0.1:$hport/52-54-00-12-34-56.ks, http://127.0.0.1:$hport/52-54-00-12-34-57.ks, http://127.0.0.1:$hport/default.ks"
cp tests/answers/mirror-core.ks "$h/default.ks"
run "$TENXEN" plan --answers "http://127.0.0.1:$hport/" --machine tests/machines/two-identical.json
expect_rc 0; expect_out "the answer file is http://127.0.0.1:$hport/default.ks (no file for this machine's cards or serial number)"
sed 's/--size=20G/--size=21G/' tests/answers/mirror-core.ks > "$h/52-54-00-12-34-57.ks"
run "$TENXEN" plan --answers "http://127.0.0.1:$hport/" --machine tests/machines/two-identical.json
expect_rc 0; expect_out "the answer file is http://127.0.0.1:$hport/52-54-00-12-34-57.ks (the MAC address of card eno2)"
expect_out "vg0/root: mirror, 2 legs, core log"
grep -q "^/52-54-00-12-34-57.ks eno2 52:54:00:12:34:57$" "$d/headers.log" || fail "the request did not carry X-Tenxen-MAC-1: $(cat "$d/headers.log")"
# an error in that file is reported at its own URL and line
printf '#version=1\ndisk a --path=/dev/sda\nlogvol / --size=4X\n' > "$h/52-54-00-12-34-57.ks"
run "$TENXEN" plan --answers "http://127.0.0.1:$hport/" --machine tests/machines/two-identical.json
expect_rc 1; expect_out "http://127.0.0.1:$hport/52-54-00-12-34-57.ks:3: error"
# many hosts share one base file: %include of a name beside the host's file, of a path from the
# server's root, and of a URL from a local file
grep -v '^network\|^rootpw' tests/answers/mirror-core.ks > "$h/base.ks"
printf '#version=1\n%%include base.ks\nnetwork --device=eno2 --hostname=xen57\nrootpw --lock\n' > "$h/52-54-00-12-34-57.ks"
run "$TENXEN" plan --answers "http://127.0.0.1:$hport/" --machine tests/machines/two-identical.json
expect_rc 0; expect_out "hostname: xen57"; expect_out "vg0/root: mirror, 2 legs, core log"
printf '#version=1\n%%include /base.ks\nrootpw --lock\n' > "$h/52-54-00-12-34-57.ks"
run "$TENXEN" plan --answers "http://127.0.0.1:$hport/" --machine tests/machines/two-identical.json
expect_rc 0; expect_out "vg0/root: mirror, 2 legs, core log"
printf '#version=1\n%%include http://127.0.0.1:%s/base.ks\nrootpw --lock\n' "$hport" > "$d/local.ks"
run "$TENXEN" check "$d/local.ks"
expect_rc 0; expect_out "local.ks: ok"
printf '#version=1\n%%include nosuch.ks\nrootpw --lock\n' > "$h/52-54-00-12-34-57.ks"
run "$TENXEN" plan --answers "http://127.0.0.1:$hport/" --machine tests/machines/two-identical.json
expect_rc 1; expect_out "the server answered 404"
expect_out "52-54-00-12-34-57.ks:2: error: %include nosuch.ks: http://127.0.0.1:$hport/nosuch.ks could not be fetched"
echo "fetch: a folder of answer files, by MAC address, then default.ks; %include by URL"
