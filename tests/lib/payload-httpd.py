#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A web server for the tests of a payload read over HTTP: it serves DIR with byte ranges and
HEAD, logs each request, and can misbehave on purpose.

  payload-httpd.py DIR PORTFILE LOG [--listen ADDR:PORT] [--events FILE] [--drop PATH:BYTES]...
                   [--no-ranges] [--slow PATH:BYTES-PER-SECOND]

PORTFILE gets the port it listens on (by default on 127.0.0.1, chosen by the system). LOG gets
one line a request, when it ends: METHOD PATH RANGE STATUS BYTES-SENT CLIENT SECONDS (since the
epoch; a request cut short is logged with what was sent). --events appends each POST's body
as a line to FILE (an install's reports). --drop closes the connection after BYTES of the first
GET of PATH; --no-ranges answers a range request with the whole file (HTTP 200); --slow sends
PATH at that rate to each request (so that a test can stop the server while hosts read it).
"""
import http.server
import os
import sys
import threading
import time

root, portfile, logpath = sys.argv[1:4]
drops, ranges, listen, events, slow = {}, True, ("127.0.0.1", 0), None, {}
args = sys.argv[4:]
while args:
    a = args.pop(0)
    if a == "--drop":
        path, n = args.pop(0).rsplit(":", 1)
        drops[path] = int(n)
    elif a == "--no-ranges":
        ranges = False
    elif a == "--slow":
        path, n = args.pop(0).rsplit(":", 1)
        slow[path] = int(n)
    elif a == "--events":
        events = args.pop(0)
    elif a == "--listen":
        host, port = args.pop(0).rsplit(":", 1)
        listen = (host, int(port))
lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def note(self, rng, status, sent):
        with lock, open(logpath, "a") as f:
            f.write(f"{self.command} {self.path} {rng or '-'} {status} {sent} "
                    f"{self.client_address[0]} {time.time():.1f}\n")

    def answer(self, body):
        # the path stays inside DIR (no ".."); links in DIR are followed, as the payload's
        # folder links to its large files
        rel = os.path.normpath(self.path.split("?")[0].lstrip("/"))
        full = os.path.join(root, rel)
        if rel.startswith("..") or os.path.isabs(rel) or not os.path.isfile(full):
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            self.note(None, 404, 0)
            return
        size = os.path.getsize(full)
        start, end, status = 0, size - 1, 200
        rng = self.headers.get("Range")
        if rng and ranges and rng.startswith("bytes="):
            a, _, b = rng[6:].partition("-")
            start, end, status = int(a), min(int(b) if b else size - 1, size - 1), 206
            if start >= size:
                self.send_response(416)
                self.send_header("Content-Length", "0")
                self.end_headers()
                self.note(rng, 416, 0)
                return
        length = max(0, end - start + 1)
        self.send_response(status)
        self.send_header("Content-Length", str(length))
        self.send_header("Accept-Ranges", "bytes")
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.end_headers()
        sent = 0
        if body:
            limit = length
            with lock:
                if rel in drops:
                    limit = min(length, drops.pop(rel))
            with open(full, "rb") as f:
                f.seek(start)
                try:
                    while sent < limit:
                        chunk = f.read(min(65536, limit - sent))
                        if not chunk:
                            break
                        self.wfile.write(chunk)
                        sent += len(chunk)
                        if rel in slow:
                            time.sleep(len(chunk) / slow[rel])
                except OSError:
                    self.note(rng, status, sent)
                    raise
            if limit < length:
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(2)
        self.note(rng, status, sent)

    def do_GET(self):
        self.answer(True)

    def do_HEAD(self):
        self.answer(False)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        status = 204 if events else 404
        if events:
            with lock, open(events, "ab") as f:
                f.write(body.replace(b"\n", b" ") + b"\n")
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()
        self.note(None, status, 0)


server = http.server.ThreadingHTTPServer(listen, Handler)
with open(portfile + ".new", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(portfile + ".new", portfile)
server.serve_forever()
