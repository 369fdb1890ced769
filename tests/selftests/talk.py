#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Messages both ways on one TCP connection or UDP flow, sent on command.

    talk.py serve tcp|udp PORT       TCP: accept one connection; UDP: an
                                     unconnected socket that answers the
                                     address the last datagram came from
    talk.py connect tcp|udp ADDR PORT [from=SOURCE] [freebind|transparent]
                                     a TCP connection, or a connected UDP
                                     socket, from SOURCE if given, bound
                                     with IPV6_FREEBIND or IPV6_TRANSPARENT
                                     if asked (SOURCE need not be an
                                     address of the host's)

Both read commands from stdin: "send N" sends a message of N random bytes
(at most 1,200 for UDP), "quit" ends. Both print, one line each, "sent N
SHA256 TIME" for a message sent, "failed WHAT TIME" for one the socket
refused, "got N SHA256 PEER TIME" for one received (PEER: the address it
came from, as the socket sees it), and "closed" or "error WHAT" when the
connection ends; each line ends with the time, in seconds. Nothing goes on
the wire between messages: no keepalive, no retransmission by this
program.
"""

import hashlib
import os
import select
import socket
import struct
import sys
import time


# Socket options that let a socket bind to an address the host has not.
BINDS = {"freebind": 78, "transparent": 75}   # IPV6_FREEBIND, IPV6_TRANSPARENT


def say(*words):
    print(*words, f"{time.time():.6f}", flush=True)


def digest(data):
    return hashlib.sha256(data).hexdigest()


class Tcp:
    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def send(self, data):
        self.sock.sendall(struct.pack("!I", len(data)) + data)

    def receive(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise EOFError
        self.buf += chunk
        while len(self.buf) >= 4:
            (size,) = struct.unpack("!I", self.buf[:4])
            if len(self.buf) < 4 + size:
                break
            say("got", size, digest(self.buf[4:4 + size]),
                self.sock.getpeername()[0])
            self.buf = self.buf[4 + size:]


class Udp:
    def __init__(self, sock, connected):
        self.sock = sock
        self.peer = sock.getpeername() if connected else None
        self.connected = connected

    def send(self, data):
        if self.connected:
            self.sock.send(data)
        elif self.peer:
            self.sock.sendto(data, self.peer)
        else:
            raise OSError("no peer yet")

    def receive(self):
        data, peer = self.sock.recvfrom(65536)
        if not self.connected:
            self.peer = peer
        say("got", len(data), digest(data), peer[0])


def open_end(argv):
    proto = argv[1]
    if argv[0] == "serve":
        port = int(argv[2])
        if proto == "udp":
            sock = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
            sock.bind(("::", port))
            return Udp(sock, False)
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as lsock:
            lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            lsock.bind(("::", port))
            lsock.listen(1)
            sock, _ = lsock.accept()
        return Tcp(sock)
    addr, port = argv[2], int(argv[3])
    sock = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM if proto == "udp"
                         else socket.SOCK_STREAM)
    for opt in argv[4:]:
        if opt in BINDS:
            sock.setsockopt(socket.IPPROTO_IPV6, BINDS[opt], 1)
    for opt in argv[4:]:
        if opt.startswith("from="):
            sock.bind((opt[5:], 0))
    sock.settimeout(30)
    sock.connect((addr, port))
    if proto == "udp":
        return Udp(sock, True)
    return Tcp(sock)


def run(end):
    end.sock.settimeout(None)
    while True:
        ready, _, _ = select.select([end.sock, sys.stdin], [], [])
        if end.sock in ready:
            end.receive()
        if sys.stdin not in ready:
            continue
        words = sys.stdin.readline().split()
        if not words or words[0] == "quit":
            return
        data = os.urandom(int(words[1]))
        try:
            end.send(data)
        except OSError as err:
            say("failed", err.strerror or err)
            continue
        say("sent", len(data), digest(data))


def main(argv):
    options = [a for a in argv[4:] if a in BINDS or a.startswith("from=")]
    if len(argv) < 3 or argv[0] not in ("serve", "connect") or \
            argv[1] not in ("tcp", "udp") or \
            len(argv) != (3 if argv[0] == "serve" else 4 + len(options)):
        print(__doc__, file=sys.stderr)
        return 2
    end = open_end(argv)
    try:
        run(end)
    except EOFError:
        say("closed")
        return 1
    except OSError as err:
        say("error", err.strerror or err)
        return 1
    say("closed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
