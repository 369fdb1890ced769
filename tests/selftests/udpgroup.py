#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A UDP flow beside datagrams to a multicast group and an anycast address.

    udpgroup.py listen LOCAL PEER PORT GROUP ANYCAST DEV
        a socket connected from LOCAL to PEER, PORT to PORT, that says
        "hello" first; beside it a socket bound to PORT on every address,
        in GROUP and holding ANYCAST, on DEV. Prints "flow SOURCE TEXT" or
        "wild SOURCE TEXT" for each datagram either receives.
    udpgroup.py answer PORT
        a socket bound to PORT on every address that answers the first
        datagram with "welcome", then sends "TEXT" to ADDR, PORT for each
        line "send ADDR TEXT" on stdin. Prints "got SOURCE TEXT" for each
        datagram received.

Each stops after 120 s, or at end of input.
"""

import select
import socket
import struct
import sys
import time

IPV6_JOIN_ANYCAST = 27


def bound(port):
    sock = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("::", port))
    return sock


def listen(local, peer, port, group, anycast, dev):
    flow = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    flow.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    flow.bind((local, port))
    flow.connect((peer, port))
    wild = bound(port)
    index = socket.if_nametoindex(dev)
    for opt, addr in ((socket.IPV6_JOIN_GROUP, group),
                      (IPV6_JOIN_ANYCAST, anycast)):
        wild.setsockopt(socket.IPPROTO_IPV6, opt,
                        socket.inet_pton(socket.AF_INET6, addr) +
                        struct.pack("@I", index))
    flow.send(b"hello")
    names = {flow: "flow", wild: "wild"}
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select(list(names), [], [], 1)
        for sock in ready:
            data, source = sock.recvfrom(2048)
            print(names[sock], source[0], data.decode(), flush=True)


def answer(port):
    sock = bound(port)
    answered = False
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([sock, sys.stdin], [], [], 1)
        if sock in ready:
            data, source = sock.recvfrom(2048)
            print("got", source[0], data.decode(), flush=True)
            if not answered:
                sock.sendto(b"welcome", source)
                answered = True
        if sys.stdin in ready:
            words = sys.stdin.readline().split()
            if not words:
                return
            sock.sendto(words[2].encode(), (words[1], port))


def main(argv):
    if len(argv) == 8 and argv[1] == "listen":
        listen(argv[2], argv[3], int(argv[4]), argv[5], argv[6], argv[7])
    elif len(argv) == 3 and argv[1] == "answer":
        answer(int(argv[2]))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
