#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Send an ICMPv6 Parameter Problem about a Binding Update, for tests.

    paramprob.py PEER HOST SEQ

What a host without Mobile IPv6 answers a Binding Update with (code 1,
unrecognized Next Header, pointing at the Next Header field): from PEER
to HOST, quoting a Binding Update with sequence number SEQ from HOST to
PEER. Run in HOST's namespace, it reaches HOST as a forgery from the path
would: the quote is all that tells it from the real one.
"""

import logging
import socket
import sys

logging.getLogger("scapy.runtime").setLevel(logging.ERROR)

from scapy.layers.inet6 import IPv6, ICMPv6ParamProblem, MIP6MH_BU

peer, host, seq = sys.argv[1], sys.argv[2], int(sys.argv[3])
quote = IPv6(src=host, dst=peer) / MIP6MH_BU(seq=seq, flags=0x22, mhtime=150)
error = IPv6(src=peer, dst=host) / ICMPv6ParamProblem(code=1, ptr=6) / quote
# A whole packet on a raw socket goes where the kernel routes HOST: in
# HOST's own namespace, to itself.
with socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_RAW) as s:
    s.sendto(bytes(error), (host, 0))
