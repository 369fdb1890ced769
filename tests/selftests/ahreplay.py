#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send again, unchanged, the first AH-protected Mobility Header packet of
a capture, as an attacker on the link would.

    ahreplay.py PCAP IFACE SRC

PCAP is a classic pcap file (tshark -F pcap) of Ethernet frames; the frame
replayed is the first IPv6 packet from SRC whose next header is AH and
whose AH next header is the Mobility Header. It goes out of IFACE as it
was captured. Exit status 1 if the capture holds no such frame.
"""

import ipaddress
import socket
import struct
import sys

ETH_P_IPV6 = 0x86DD
IPPROTO_AH = 51
IPPROTO_MH = 135


def frames(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    order = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    off = 24
    while off + 16 <= len(data):
        incl = struct.unpack(order + "IIII", data[off:off + 16])[2]
        yield data[off + 16:off + 16 + incl]
        off += 16 + incl


def protected_mh(frame, src):
    if len(frame) < 14 + 40 + 12:
        return False
    if struct.unpack("!H", frame[12:14])[0] != ETH_P_IPV6:
        return False
    ip6 = frame[14:]
    return (ip6[6] == IPPROTO_AH and ip6[8:24] == src and
            ip6[40] == IPPROTO_MH)


def main(argv):
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    src = ipaddress.IPv6Address(argv[3]).packed
    for frame in frames(argv[1]):
        if protected_mh(frame, src):
            sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
            sock.bind((argv[2], 0))
            sock.send(frame)
            return 0
    print("no AH-protected Mobility Header from %s in %s" %
          (argv[3], argv[1]), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
