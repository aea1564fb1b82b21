#!/usr/bin/env python3
# A switch for the VM tests, with one tagged VLAN: qemu's network cards are its trunk ports
# (each a pair of Unix datagram sockets, qemu's -netdev dgram), and a tap interface, made here in
# the caller's network namespace, is the access port of the VLAN, where the tests' DHCP and web
# servers listen. Frames from a card tagged with the VLAN's ID leave by the tap untagged; frames
# from the tap go tagged to every card (qemu drops them at a card whose link is down). Untagged frames and other tags are
# dropped, so an address a card gets came over the VLAN. The kernels the tests run on have no
# 802.1Q support of their own (no vlan devices, no VLAN filtering on bridges), hence this.
# Each second, DIR/stats holds how many tagged frames each card sent: "card0 N" lines.
# VID 0 makes it a plain switch of untagged frames (a PXE network: firmware tags nothing).
#   vlanswitch.py DIR TAP VID CARDS   ->  sockets DIR/swN.sock; qemu binds DIR/vmN.sock
import collections
import errno
import fcntl
import os
import select
import socket
import struct
import sys
import time

work, tap_name, vid, ncards = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
TUNSETIFF, IFF_TAP, IFF_NO_PI = 0x400454CA, 0x0002, 0x1000
tap = os.open("/dev/net/tun", os.O_RDWR)
fcntl.ioctl(tap, TUNSETIFF, struct.pack("16sH", tap_name.encode(), IFF_TAP | IFF_NO_PI))
tag = struct.pack("!HH", 0x8100, vid) if vid else b""

cards = []
for i in range(ncards):
    path = os.path.join(work, "sw%d.sock" % i)
    if os.path.exists(path):
        os.unlink(path)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    s.setblocking(False)
    cards.append(s)
sent = [0] * ncards
peer = [os.path.join(work, "vm%d.sock" % i) for i in range(ncards)]
# Each port has a queue, as a switch's port has a buffer: a Unix datagram socket holds only a few
# datagrams (net.unix.max_dgram_qlen), and a VM that the emulator has not run for a moment would
# lose the rest of a burst; Linux's TCP recovers from that, a boot loader's small TCP stack may
# not. A port's socket is connected to its VM's, so that select() says when that VM reads
# again; a VM not started yet, or ended, gets nothing, and one that stops reading (a card whose
# link is down still reads) loses what is past its queue. A connected socket takes datagrams from
# its peer alone, so when a new VM binds the port's path (the next boot of a test), the port
# connects to it within a second.
QUEUE = 8192
pending = [collections.deque() for _ in range(ncards)]
connected = [False] * ncards
peer_ino = [None] * ncards


def follow(i):
    """Connect port i to the VM that now holds its path, if that is a new one."""
    try:
        ino = os.stat(peer[i]).st_ino
    except OSError:
        return
    if ino != peer_ino[i] or not connected[i]:
        try:
            cards[i].connect(peer[i])
            connected[i], peer_ino[i] = True, ino
            pending[i].clear()
        except OSError:
            connected[i] = False


def send(i, frame):
    s = cards[i]
    if not connected[i]:
        follow(i)
        if not connected[i]:
            return  # that VM has not started, or has ended
    if pending[i]:
        if len(pending[i]) < QUEUE:
            pending[i].append(frame)
        return
    try:
        s.send(frame)
    except BlockingIOError:
        pending[i].append(frame)
    except OSError:
        connected[i] = False  # that VM ended; a new one binds its socket again
        pending[i].clear()


def flush(i):
    while pending[i]:
        try:
            cards[i].send(pending[i][0])
        except BlockingIOError:
            return
        except OSError:
            connected[i] = False
            pending[i].clear()
            return
        pending[i].popleft()


last = 0.0
while True:
    waiting = [cards[i] for i in range(ncards) if pending[i]]
    ready, writable, _ = select.select([tap] + cards, waiting, [], 1.0)
    for w in writable:
        flush(cards.index(w))
    for r in ready:
        if r == tap:
            frame = os.read(tap, 65536)
            out = (frame[:12] + tag + frame[12:]).ljust(64, b"\0")  # padded as a wire would
            for i in range(ncards):
                send(i, out)
            continue
        i = cards.index(r)
        try:
            frame = r.recv(65536)
        except OSError:
            continue
        if vid == 0 and len(frame) >= 14 and frame[12:14] != b"\x81\x00":
            sent[i] += 1
            os.write(tap, frame)
        elif vid and len(frame) >= 18 and frame[12:14] == b"\x81\x00" and \
                struct.unpack("!H", frame[14:16])[0] & 0x0FFF == vid:
            sent[i] += 1
            os.write(tap, (frame[:12] + frame[16:]).ljust(60, b"\0"))
    if time.time() - last >= 1.0:
        last = time.time()
        for i in range(ncards):
            follow(i)
        with open(os.path.join(work, "stats.new"), "w") as f:
            f.write("".join("card%d %d\n" % (i, n) for i, n in enumerate(sent)))
        os.replace(os.path.join(work, "stats.new"), os.path.join(work, "stats"))
