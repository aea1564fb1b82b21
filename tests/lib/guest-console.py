#!/usr/bin/env python3
# Drives a Xen guest's console from dom0, as a person at "xl console NAME" would: waits for the
# login prompt, logs in as root, types each command given and waits for the shell's prompt after
# it. What the guest prints goes to stdout, each line prefixed "guest| ". Used by the VM tests
# (tests/vm/iso-7-reinstall.sh), which put it on the host with their script.
#
#   guest-console.py NAME PASSWORD SECONDS COMMAND...
# Exits 0 when every command was typed and its prompt came back, 1 when the console ended or
# SECONDS passed first (saying what it waited for).
import os
import pty
import re
import select
import sys
import time

name, password, secs = sys.argv[1], sys.argv[2], int(sys.argv[3])
commands = sys.argv[4:]
deadline = time.time() + secs
pid, fd = pty.fork()
if pid == 0:
    os.execvp("xl", ["xl", "console", name])

seen = b""
line = b""


def show(data):
    global line
    line += data.replace(b"\r", b"")
    while b"\n" in line:
        one, line = line.split(b"\n", 1)
        sys.stdout.write("guest| " + one.decode("utf-8", "replace") + "\n")
    sys.stdout.flush()


def expect(pattern, what):
    global seen
    rx = re.compile(pattern)
    while time.time() < deadline:
        m = rx.search(seen)
        if m:
            seen = seen[m.end():]
            return
        r, _, _ = select.select([fd], [], [], 1)
        if not r:
            continue
        try:
            data = os.read(fd, 4096)
        except OSError:
            data = b""
        if not data:
            print("guest-console: the console of %s ended while waiting for %s" % (name, what))
            sys.exit(1)
        seen += data
        show(data)
    print("guest-console: no %s on the console of %s in %d s" % (what, name, secs))
    sys.exit(1)


def send(text):
    os.write(fd, text.encode() + b"\r")


# a prompt may have gone by before the console was attached: ask for a fresh one
send("")
expect(rb"login: ", "login prompt")
send("root")
expect(rb"Password: ", "password prompt")
send(password)
prompt = rb"root@[^\r\n]*# "
expect(prompt, "shell prompt after logging in")
for c in commands:
    send(c)
    expect(prompt, "shell prompt after: " + c)
show(b"\n")
os.kill(pid, 15)
sys.exit(0)
