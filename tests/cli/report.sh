# install --report URL: each event of the run posted as one JSON object (start, then done or
# failed with the end of the log); a server that is not there never stops the install.
. tests/lib/cli.sh
d=$(tmpdir report)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$d/sink.py" << 'EOF2'
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        with open(sys.argv[2], "ab") as f:
            f.write(self.headers["Content-Type"].encode() + b" " + body + b"\n")
        self.send_response(204)
        self.end_headers()
    def log_message(self, *a):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
EOF2
python3 "$d/sink.py" "$port" "$d/events" &
sink=$!
trap 'kill $sink 2> /dev/null' EXIT
for _ in $(seq 1 50); do python3 -c "import socket; socket.create_connection(('127.0.0.1', $port))" 2> /dev/null && break; sleep 0.1; done

run "$TENXEN" install --dry-run --report "http://127.0.0.1:$port/events" --answers tests/plans/two-mirror-core.ks --machine tests/machines/two-identical.json
expect_rc 0
[ "$(wc -l < "$d/events")" -eq 2 ] || fail "a dry run should post start and done: $(cat "$d/events")"
head -1 "$d/events" | grep -q '^application/json {"event":"start","answers":"tests/plans/two-mirror-core.ks","version":"' || fail "start: $(head -1 "$d/events")"
tail -1 "$d/events" | grep -q '^application/json {"event":"done","seconds":' || fail "done: $(tail -1 "$d/events")"
# each names the machine by its cards
[ "$(grep -c '"macs":\["52:54:00:12:34:56","52:54:00:12:34:57"\]' "$d/events")" -eq 2 ] || fail "the events do not name the machine's cards: $(cat "$d/events")"

# refused: failed, with the end of the log saying why
: > "$d/events"
run "$TENXEN" install --dry-run --report "http://127.0.0.1:$port/events" --answers tests/answers/err-no-root.ks --machine tests/machines/one-disk.json
expect_rc 1
tail -1 "$d/events" | grep -q '"event":"failed","log_tail":\[.*there is no root filesystem' || fail "failed: $(tail -1 "$d/events")"

# nobody listening: said once, and the run goes on
kill $sink; wait $sink 2> /dev/null
run "$TENXEN" install --dry-run --report "http://127.0.0.1:$port/events" --answers tests/plans/two-mirror-core.ks --machine tests/machines/two-identical.json
expect_rc 0; expect_out "Install plan"
[ "$(grep -c "cannot report the install's progress to http://127.0.0.1:$port/events" <<< "$out")" -eq 1 ] || fail "the failed report should be said once"
run "$TENXEN" install --report ftp://x/ --answers tests/plans/two-mirror-core.ks --dry-run --machine tests/machines/two-identical.json
expect_rc 2; expect_out "--report takes an http or https URL"
echo "ok: start, done, failed with the log's end; an absent server said once"
