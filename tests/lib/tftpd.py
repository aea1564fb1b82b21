#!/usr/bin/env python3
# A minimal read-only TFTP server (RFC 1350, octet mode, no options) for the tests: serves the
# files of one folder from 127.0.0.1:PORT, each transfer from a port of its own.
#   tftpd.py DIR PORT
import os
import socket
import struct
import sys

root, port = sys.argv[1], int(sys.argv[2])
srv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
srv.bind(("127.0.0.1", port))
while True:
    pkt, peer = srv.recvfrom(2048)
    xfer = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    xfer.bind(("127.0.0.1", 0))
    xfer.settimeout(2)
    opcode = struct.unpack("!H", pkt[:2])[0]
    name = pkt[2:].split(b"\0")[0].decode().lstrip("/")
    path = os.path.join(root, name)
    if opcode != 1 or ".." in name or not os.path.isfile(path):
        xfer.sendto(struct.pack("!HH", 5, 1) + b"File not found\0", peer)
        continue
    data = open(path, "rb").read()
    block = 1
    while True:
        chunk = data[(block - 1) * 512:block * 512]
        for _ in range(5):
            xfer.sendto(struct.pack("!HH", 3, block & 0xFFFF) + chunk, peer)
            try:
                ack, _ = xfer.recvfrom(512)
                if struct.unpack("!HH", ack[:4]) == (4, block & 0xFFFF):
                    break
            except socket.timeout:
                pass
        if len(chunk) < 512:
            break
        block += 1
    xfer.close()
