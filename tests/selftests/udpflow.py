#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A UDP flow on a connected socket, answered by an echo server.

    udpflow.py serve PORT [nocsum] [idle=SECONDS]
                                     echo every datagram back until
                                     SECONDS (default 3) pass without
                                     one (30 s before the first); print
                                     each peer address when it is first
                                     seen
    udpflow.py send ADDR PORT COUNT INTERVAL [nocsum]
                                     send COUNT numbered datagrams on a
                                     connected socket, one per INTERVAL
                                     seconds; print "SENT ANSWERED
                                     ANSWERED_OF_LAST_THIRD GAP STALL",
                                     GAP the longest time, in ms, without
                                     an answer once answers came, STALL
                                     that less INTERVAL (the pacing)

Options, after the others: "nocsum" sends with a zero UDP checksum
(UDP_NO_CHECK6_TX) and accepts one (UDP_NO_CHECK6_RX), RFC 6936;
"exthdrs" puts a Hop-by-Hop and a Destination Options header (PadN only)
in every datagram of the socket; "size=N" sends datagrams of N bytes
(default 64), fragmented when larger than the path allows.
"""

import select
import socket
import struct
import sys
import time

UDP_NO_CHECK6_TX = 101
UDP_NO_CHECK6_RX = 102


def zero_checksums(sock):
    sock.setsockopt(socket.IPPROTO_UDP, UDP_NO_CHECK6_TX, 1)
    sock.setsockopt(socket.IPPROTO_UDP, UDP_NO_CHECK6_RX, 1)


def with_exthdrs(sock):
    """Sticky Hop-by-Hop and Destination Options headers on @sock."""
    padn = bytes([0, 0, 1, 4, 0, 0, 0, 0])
    sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_HOPOPTS, padn)
    sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_DSTOPTS, padn)


def serve(port, nocsum, exthdrs, idle):
    peers = set()
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as sock:
        if nocsum:
            zero_checksums(sock)
        if exthdrs:
            with_exthdrs(sock)
        sock.bind(("::", port))
        # The client may take seconds to start on a busy machine.
        sock.settimeout(30)
        try:
            while True:
                data, peer = sock.recvfrom(65536)
                sock.settimeout(idle)
                if peer[0] not in peers:
                    peers.add(peer[0])
                    print(peer[0], flush=True)
                sock.sendto(data, peer)
        except socket.timeout:
            pass


def send(addr, port, count, interval, nocsum, exthdrs, size):
    answered, times = set(), []
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as sock:
        if nocsum:
            zero_checksums(sock)
        if exthdrs:
            with_exthdrs(sock)
        sock.connect((addr, port))
        for seq in range(count):
            try:
                sock.send(struct.pack("!I", seq) + bytes(size - 4))
            except OSError:
                pass    # no route for a moment: the datagram is lost
            deadline = time.monotonic() + interval
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                ready, _, _ = select.select([sock], [], [], left)
                if ready:
                    try:
                        answered.add(struct.unpack("!I", sock.recv(65536)[:4])[0])
                        times.append(time.monotonic())
                    except OSError:
                        pass
        ready = True
        while ready:
            ready, _, _ = select.select([sock], [], [], 1)
            if ready:
                answered.add(struct.unpack("!I", sock.recv(65536)[:4])[0])
                times.append(time.monotonic())
    last = [s for s in answered if s >= count - count // 3]
    gap = max((b - a for a, b in zip(times, times[1:])), default=0)
    stall = max(gap - interval, 0)
    print(count, len(answered), len(last), int(gap * 1000),
          int(stall * 1000), flush=True)


def main(argv):
    idle, nocsum, exthdrs, size = 3.0, False, False, 64
    while argv[-1] in ("nocsum", "exthdrs") or "=" in argv[-1]:
        word = argv[-1]
        if word.startswith("idle="):
            idle = float(word[5:])
        elif word.startswith("size="):
            size = int(word[5:])
        elif word in ("nocsum", "exthdrs"):
            nocsum |= word == "nocsum"
            exthdrs |= word == "exthdrs"
        else:
            break
        argv = argv[:-1]
    if len(argv) == 3 and argv[1] == "serve":
        serve(int(argv[2]), nocsum, exthdrs, idle)
    elif len(argv) == 6 and argv[1] == "send":
        send(argv[2], int(argv[3]), int(argv[4]), float(argv[5]), nocsum,
             exthdrs, size)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
