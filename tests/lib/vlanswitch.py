#!/usr/bin/env python3
# A switch for the VM tests, with one tagged VLAN: qemu's network cards are its trunk ports
# (each a pair of Unix datagram sockets, qemu's -netdev dgram), and a tap interface, made here in
# the caller's network namespace, is the access port of the VLAN, where the tests' DHCP and web
# servers listen. Frames from a card tagged with the VLAN's ID leave by the tap untagged; frames
# from the tap go tagged to every card (qemu drops them at a card whose link is down). Untagged frames and other tags are
# dropped, so an address a card gets came over the VLAN. The kernels the tests run on have no
# 802.1Q support of their own (no vlan devices, no VLAN filtering on bridges), hence this.
# Each second, DIR/stats holds how many tagged frames each card sent: "card0 N" lines.
#   vlanswitch.py DIR TAP VID CARDS   ->  sockets DIR/swN.sock; qemu binds DIR/vmN.sock
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
tag = struct.pack("!HH", 0x8100, vid)

cards = []
for i in range(ncards):
    path = os.path.join(work, "sw%d.sock" % i)
    if os.path.exists(path):
        os.unlink(path)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    # a card whose queue is full (its VM not reading: the card down in the guest) must not stop
    # the switch: a Unix datagram socket blocks its sender then, so frames to it are dropped
    s.setblocking(False)
    cards.append(s)
sent = [0] * ncards
peer = [os.path.join(work, "vm%d.sock" % i) for i in range(ncards)]
last = 0.0
while True:
    ready, _, _ = select.select([tap] + cards, [], [], 1.0)
    for r in ready:
        if r == tap:
            frame = os.read(tap, 65536)
            out = (frame[:12] + tag + frame[12:]).ljust(64, b"\0")  # padded as a wire would
            for i, s in enumerate(cards):
                try:
                    s.sendto(out, peer[i])
                except OSError:
                    pass  # that VM has not started, has ended, or reads nothing now
            continue
        i = cards.index(r)
        frame = r.recv(65536)
        if len(frame) >= 18 and frame[12:14] == b"\x81\x00" and \
                struct.unpack("!H", frame[14:16])[0] & 0x0FFF == vid:
            sent[i] += 1
            os.write(tap, (frame[:12] + frame[16:]).ljust(60, b"\0"))
    if time.time() - last >= 1.0:
        last = time.time()
        with open(os.path.join(work, "stats.new"), "w") as f:
            f.write("".join("card%d %d\n" % (i, n) for i, n in enumerate(sent)))
        os.replace(os.path.join(work, "stats.new"), os.path.join(work, "stats"))
