#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send Mobility Header messages, well-formed or broken, for tests.

    mhsend.py SRC DST KIND...
    mhsend.py bind SRC DST ADDR...

Each KIND is one packet: bu (a well-formed Binding Update with the
Homeless Support and a BID option), bad-checksum, unknown-type, bid-length
(a BID option of length 6), misaligned (a BID option at an odd offset),
proto (payload proto TCP), truncated (header length past the packet).
The packets are whole IPv6 packets on a raw socket, so that even the
checksum can be wrong.

"bind" is what a peer with a valid SA could send: a Binding Update with
the O flag and the Homeless Support option that binds exactly the ADDRs,
one BID each, on an ordinary Mobility Header socket, so that the xfrm
policy for SRC to DST applies (AH). It asks for 40 s, follows the
sequence number a Binding Acknowledgment with status 135 gives, and prints
the status and the lifetime (s) of the acknowledgment it ends with.
"""

import ipaddress
import socket
import struct
import sys

IPPROTO_MH = 135
NONE = 59


def checksum(src, dst, mh):
    pseudo = src + dst + struct.pack("!IxxxB", len(mh), IPPROTO_MH)
    data = pseudo + mh + b"\0" * (len(mh) % 2)
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xffff) + (total >> 16)
    return ~total & 0xffff


def message(src, dst, mh_type, body, proto=NONE, length=None, good=True):
    """An MH message: header, BODY (the fixed part and options), padded."""
    body += b"\0" * (-(6 + len(body)) % 8)      # Pad1s
    hdrlen = (6 + len(body)) // 8 - 1 if length is None else length
    mh = struct.pack("!BBBBH", proto, hdrlen, mh_type, 0, 0) + body
    csum = checksum(src, dst, mh) ^ (0 if good else 0x5555)
    return mh[:4] + struct.pack("!H", csum) + mh[6:]


def bu(options):
    # sequence 1, A flag, lifetime 10 (40 s)
    return struct.pack("!HHH", 1, 0x8000, 10) + options


HOMELESS = bytes([18, 2, 1, 0])     # at offset 12: 2n
BID = bytes([35, 4, 0, 1, 0, 0])    # at offset 16: 2n


def kinds(src, dst):
    return {
        "bu": message(src, dst, 5, bu(HOMELESS + BID)),
        "bad-checksum": message(src, dst, 5, bu(HOMELESS + BID), good=False),
        "unknown-type": message(src, dst, 42, bu(b"")),
        "bid-length": message(src, dst, 5, bu(bytes([35, 6]) + b"\0" * 6)),
        "misaligned": message(src, dst, 5, bu(b"\0" + BID)),
        "proto": message(src, dst, 5, bu(HOMELESS), proto=6),
        "truncated": message(src, dst, 5, bu(b""), length=2),
    }


def bind(src, dst, addrs):
    body = HOMELESS                         # at offset 12: 2n
    for bid, addr in enumerate(addrs, 1):   # PadN, then a BID at 8n + 2
        body += bytes([1, 0, 35, 20]) + struct.pack("!HBB", bid, 0, 0)
        body += ipaddress.IPv6Address(addr).packed
    sock = socket.socket(socket.AF_INET6, socket.SOCK_RAW, IPPROTO_MH)
    sock.bind((src, 0))
    sock.settimeout(2)
    seq = 1
    for _ in range(5):
        # A and O flags; the kernel fills in the checksum (offset 4).
        mh = message(bytes(16), bytes(16), 5,
                     struct.pack("!HHH", seq, 0x8040, 10) + body)
        sock.sendto(mh[:4] + b"\0\0" + mh[6:], (dst, 0))
        try:
            while True:
                ans = sock.recv(2048)
                if len(ans) >= 12 and ans[2] == 6:
                    break
        except socket.timeout:
            print("no answer")
            return 1
        status = ans[6]
        ack_seq, lifetime = struct.unpack("!HH", ans[8:12])
        if status != 135:
            print(status, lifetime * 4)
            return 0
        seq = (ack_seq + 1) & 0xffff
    print("135")
    return 1


def main(argv):
    if len(argv) >= 4 and argv[1] == "bind":
        return bind(argv[2], argv[3], argv[4:])
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    src = ipaddress.IPv6Address(argv[1]).packed
    dst = ipaddress.IPv6Address(argv[2]).packed
    packets = kinds(src, dst)
    sock = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_RAW)
    for kind in argv[3:]:
        mh = packets[kind]
        ip6 = struct.pack("!IHBB", 6 << 28, len(mh), IPPROTO_MH, 64)
        sock.sendto(ip6 + src + dst + mh, (argv[2], 0))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
