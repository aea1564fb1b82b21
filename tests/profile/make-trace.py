#!/usr/bin/env python3
"""Write a small xentrace file: two CPUs' records, each CPU's after a CPU-change record, one
lost-records record, and a last record cut short; and runstate changes by which domain 0 runs
300 cycles, domain 3 (web1) 100 and the idle domain 600. Usage: make-trace.py FILE"""
import struct, sys

def runstate(old, new, dom, vcpu, tsc):
    return rec(0x00021001 | old << 8 | new << 4, (dom << 16 | vcpu,), tsc=tsc)

def rec(event, extra=(), tsc=None):
    h = event | (len(extra) << 28) | ((1 << 31) if tsc is not None else 0)
    out = struct.pack('<I', h)
    if tsc is not None:
        out += struct.pack('<Q', tsc)
    return out + b''.join(struct.pack('<I', x) for x in extra)

buf = rec(0x0001f003, (0, 0))                               # CPU 0 follows
buf += rec(0x0002800a, (1, 2), tsc=1000) * 5                # 5 scheduler switches
buf += rec(0x00201101, (7,), tsc=1100) * 3                  # 3 PV hypercalls (64-bit)
buf += rec(0x0001f001, (4, 0), tsc=1200)                    # 4 records lost
buf += runstate(1, 0, 0, 0, 2000) + runstate(0, 2, 0, 0, 2200)     # dom0 runs 200
buf += runstate(1, 0, 3, 1, 2200) + runstate(0, 1, 3, 1, 2300)     # web1's vCPU 1 runs 100
buf += runstate(0, 2, 3, 0, 2400)                                  # (web1's vCPU 0 had started before)
buf += rec(0x0001f003, (1, 0))                              # CPU 1 follows
buf += runstate(2, 0, 0, 1, 1000) + runstate(0, 2, 0, 1, 1100)     # dom0's vCPU 1 runs 100
buf += runstate(1, 0, 32767, 1, 1100) + runstate(0, 1, 32767, 1, 1700)  # idle 600
buf += rec(0x00028004, (3,), tsc=900) * 2                   # 2 wakes
buf += struct.pack('<I', 0x00028006 | (3 << 28))            # a block record, its words missing
open(sys.argv[1], 'wb').write(buf)
