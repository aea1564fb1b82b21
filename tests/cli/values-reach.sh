# Values are checked for the program they reach, wherever they come from: a boot command line no
# longer than Xen or Linux reads (a bootcfg set that made one changes nothing, and the host's
# later commands still work); request headers from the machine's serial number and card names
# with no CR or LF (each injected a header); a card's MAC used in a URL only when it is a MAC;
# --root that is no folder refused by every verb; and what the verbs print never carries a raw
# control character (a guest's name from its config held an escape sequence).
. tests/lib/bootcfg-host.sh
d=$(tmpdir values-reach)

# 1. bootcfg set past Xen's 1023 characters, or Linux's 2047 for dom0: refused, file unchanged,
# on extlinux and on both ESPs of a UEFI host; the host's bootcfg show still reads it
long=$(printf 'opt%d=abcdefghij ' $(seq 1 120))
host "$d/bios"
cp "$d/bios/boot/extlinux/extlinux.conf" "$d/before.conf"
run "$TENXEN" bootcfg set "xen-append=$long" --root "$d/bios"
expect_rc 1
expect_out "command line would be"
expect_out "and Xen reads 1023 at most; nothing was changed"
cmp -s "$d/before.conf" "$d/bios/boot/extlinux/extlinux.conf" || fail "a refused bootcfg set changed extlinux.conf"
run "$TENXEN" bootcfg set "dom0-append=$long$long" --root "$d/bios"
expect_rc 1
expect_out "and Linux reads 2047 at most"
run "$TENXEN" bootcfg show --root "$d/bios"
expect_rc 0
# just under the limit is taken, and read back
run "$TENXEN" bootcfg set "xen-append=$(printf 'o%d=1 ' $(seq 1 100))" --root "$d/bios"
expect_rc 0
run "$TENXEN" bootcfg show --root "$d/bios"
expect_rc 0
expect_out "o100=1"
uefi_host "$d/uefi"
cp "$d/uefi/boot/efi/EFI/BOOT/BOOTX64.cfg" "$d/before.cfg"
run "$TENXEN" bootcfg set "xen-append=$long" --root "$d/uefi"
expect_rc 1
expect_out "and Xen reads 1023 at most"
for esp in efi efi2; do
	cmp -s "$d/before.cfg" "$d/uefi/boot/$esp/EFI/BOOT/BOOTX64.cfg" || fail "a refused bootcfg set changed /boot/$esp's xen.cfg"
done

# 2. headers and URLs from the hardware: a serial number and a card name holding CR LF and a
# header of their own, a MAC that is a path
port=$(free_port)
mkdir -p "$d/www"
cp tests/answers/mirror-core.ks "$d/www/default.ks"
cat > "$d/headers.py" << 'PY'
import http.server, sys
class H(http.server.SimpleHTTPRequestHandler):
    def do_GET(self):
        with open(sys.argv[3], "a") as f:
            f.write("GET %s\n" % self.path)
            for k, v in self.headers.items():
                f.write("%s: %s\n" % (k, v))
        super().do_GET()
    def log_message(self, *a):
        pass
s = http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), lambda *a: H(*a, directory=sys.argv[2]))
s.serve_forever()
PY
python3 "$d/headers.py" "$port" "$d/www" "$d/headers.log" &
server=$!
trap 'kill $server 2> /dev/null' EXIT
wait_port "$port"
jq '.serial = "SN1\r\nX-Evil-Serial: 1" | .nics[0].name = "eno1\r\nX-Evil-Card: 1" | .nics[1].mac = "../../etc/passwd"' \
	tests/machines/two-identical.json > "$d/hostile.json"
run "$TENXEN" plan --answers "http://127.0.0.1:$port/" --machine "$d/hostile.json"
expect_rc 0
grep -qi "^X-Evil" "$d/headers.log" && fail "a value from the hardware injected a header: $(cat "$d/headers.log")"
grep -q "passwd" "$d/headers.log" && fail "a MAC that is a path was used in a URL: $(cat "$d/headers.log")"
grep -q "^GET /default.ks" "$d/headers.log" || fail "default.ks was not asked for: $(cat "$d/headers.log")"

# 3. --root that is not a folder: refused before anything, by every verb that takes it
for verb in "serial-console" "bootcfg show" "guest list" "guest delete web1 --yes" "profile --seconds 1"; do
	# shellcheck disable=SC2086
	run "$TENXEN" --root "$d/nosuch" $verb
	expect_rc 2
	expect_out "--root $d/nosuch: there is no such folder"
done
run "$TENXEN" serial-console --root "$d/nosuch"
expect_rc 2
run "$TENXEN" bootcfg show --root "$d/www/default.ks"
expect_rc 2

# 4. printed values never carry a control character raw: a guest whose name holds an escape
# sequence and a carriage return, listed
mkdir -p "$d/g/etc/xen"
printf 'name = "web\033[2J\rx"\nmemory = 512\ndisk = [ "target=/dev/vg0/w\033]0;t\007" ]\n' > "$d/g/etc/xen/w.cfg"
"$TENXEN" --root "$d/g" guest list > "$d/list.out" 2>&1 || fail "guest list failed: $(cat "$d/list.out")"
LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$d/list.out" && fail "guest list printed a raw control character: $(od -c "$d/list.out" | head)"
grep -qF 'web\x1b[2J\x0dx' "$d/list.out" || fail "the name was not shown escaped: $(cat "$d/list.out")"
echo "values reach their programs checked: command lines, headers, URLs, --root, printed names"
