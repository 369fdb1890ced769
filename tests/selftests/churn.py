#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Network namespaces that come and go while the module's state is live.

    churn.py CYCLES FLOWS

prints the last namespace's counters ("hcctl -j stats") once its update
to the peer has gone out.

Each cycle moves this process into a new network namespace, which drops
the previous one: the kernel's cleanup worker then runs the module's exit
for it, while its collector may be due. In the namespace: a dummy link
with 2001:db8::1, a trusted homeless peer 2001:db8::2, FLOWS UDP flows to
it from a connected socket, and a second address, so that an update to
the peer is pending (nobody answers it). One process does it all, so a
cycle costs no program start.
"""

import ctypes
import ipaddress
import json
import os
import socket
import struct
import subprocess
import sys
import time

import hcnl

CLONE_NEWNET = 0x40000000
NETLINK_ROUTE = 0
RTM_NEWLINK, RTM_NEWADDR = 16, 20
NLM_F_REQUEST, NLM_F_ACK, NLM_F_EXCL, NLM_F_CREATE = 1, 4, 0x200, 0x400
IFLA_IFNAME, IFLA_LINKINFO, IFLA_INFO_KIND = 3, 18, 1
IFA_ADDRESS, IFA_LOCAL, IFA_FLAGS, IFA_F_NODAD = 1, 2, 8, 0x02
IFF_UP = 1
PEER = "2001:db8::2"


def rtnl(sock, kind, body, flags=0):
    """Send one rtnetlink request and fail unless it is acknowledged."""
    head = struct.pack("IHHII", 16 + len(body), kind,
                       NLM_F_REQUEST | NLM_F_ACK | flags, 1, 0)
    sock.send(head + body)
    err = struct.unpack("i", sock.recv(4096)[16:20])[0]
    if err:
        raise OSError(-err, f"rtnetlink {kind}: {os.strerror(-err)}")


def addr_add(sock, ifindex, text):
    body = struct.pack("BBBBI", socket.AF_INET6, 64, 0, 0, ifindex)
    packed = ipaddress.IPv6Address(text).packed
    body += hcnl.nla(IFA_LOCAL, packed) + hcnl.nla(IFA_ADDRESS, packed)
    body += hcnl.nla(IFA_FLAGS, struct.pack("I", IFA_F_NODAD))
    rtnl(sock, RTM_NEWADDR, body, NLM_F_CREATE | NLM_F_EXCL)


def populate(flows):
    """Give the current namespace live state in the module."""
    with socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                       NETLINK_ROUTE) as rt:
        rt.bind((0, 0))
        rtnl(rt, RTM_NEWLINK,
             struct.pack("BxHiII", 0, 0, 1, IFF_UP, IFF_UP))
        rtnl(rt, RTM_NEWLINK,
             struct.pack("BxHiII", 0, 0, 0, IFF_UP, IFF_UP) +
             hcnl.nla(IFLA_IFNAME, b"d0\0") +
             hcnl.nest(IFLA_LINKINFO, hcnl.nla(IFLA_INFO_KIND, b"dummy")),
             NLM_F_CREATE | NLM_F_EXCL)
        dummy = socket.if_nametoindex("d0")
        addr_add(rt, dummy, "2001:db8::1")
        nl = hcnl.Genl()
        err, msg, _, _ = nl.request(
            hcnl.CMD_NEW_FOREIGN,
            hcnl.nest(hcnl.A_FOREIGN, hcnl.u32(hcnl.FOREIGN_A_FLAGS, 3),
                      hcnl.addr(PEER)))
        nl.sock.close()
        if err:
            raise OSError(-err, "foreign add: " + msg)
        with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as udp:
            for port in range(1000, 1000 + flows):
                udp.connect((PEER, port))
                udp.send(b"x")
        addr_add(rt, dummy, "2001:db8::3")


def stats():
    out = subprocess.run(["hcctl", "-j", "stats"], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def main(argv):
    cycles, flows = int(argv[1]), int(argv[2])
    libc = ctypes.CDLL(None, use_errno=True)
    for _ in range(cycles):
        if libc.unshare(CLONE_NEWNET):
            err = ctypes.get_errno()
            raise OSError(err, "unshare: " + os.strerror(err))
        populate(flows)
    deadline = time.monotonic() + 5
    while not stats()["mh_bu_sent"] and time.monotonic() < deadline:
        time.sleep(0.1)
    print(json.dumps(stats()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
