#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The connections of the handover simulation (guest-bench-simulation.sh).

    simflows.py SECONDS < PLAN

PLAN has a line "host NAME ADDRESS" for each host (its network namespace
is NAME, ADDRESS its address when the connections open), then a line
"connect CLIENT SERVER" for each connection. One process holds them all:
it enters each namespace in turn to open its sockets (a socket stays in
the namespace it was made in). Every host listens on port 7000 and
echoes what it receives. Each client sends a message of 64 to 4096
random bytes, then waits a while (one connection in five is a quiet
one, 20 to 40 s between messages; the others 0.2 to 3 s), for SECONDS;
it checks every echo byte for byte. Then the clients wait up to 120 s
for the last echoes.

Prints "ready" once every connection is up (or "FAIL ..." if one is
not within 60 s), then one JSON report: connections, failures (reset,
closed, error, corrupt or missing echoes, with the time), messages and
bytes echoed, and the longest wait for an echo of each connection.
Exits 0 if every connection lived to the end with every byte echoed.
"""

import ctypes
import errno
import json
import os
import random
import selectors
import socket
import sys
import time

CLONE_NEWNET = 0x40000000
PORT = 7000
libc = ctypes.CDLL(None, use_errno=True)


def enter(netns):
    fd = os.open("/run/netns/" + netns, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            err = ctypes.get_errno()
            raise OSError(err, "setns " + netns + ": " + os.strerror(err))
    finally:
        os.close(fd)


class Conn:
    """One end of a connection: the client's, or the server's (echo)."""

    def __init__(self, sock, name, client):
        self.sock = sock
        self.name = name
        self.client = client
        self.out = b""
        self.expected = b""      # sent, not yet echoed (client)
        self.waiting_since = None
        self.longest_wait = 0.0
        self.messages = 0
        self.echoed = 0
        self.quiet = random.random() < 0.2
        self.next_send = time.monotonic() + random.uniform(0.2, 3)
        self.failed = None
        self.up = not client


def main(argv):
    if len(argv) != 2:
        sys.exit(__doc__)
    seconds = float(argv[1])
    hosts = {}
    links = []
    for line in sys.stdin:
        words = line.split()
        if words[:1] == ["host"]:
            hosts[words[1]] = words[2]
        elif words[:1] == ["connect"]:
            links.append((words[1], words[2]))

    sel = selectors.DefaultSelector()
    conns = []
    start = time.monotonic()

    def fail(conn, why):
        if conn.failed is None:
            conn.failed = "%s: %s at %s (%.1f s)" % (
                conn.name, why, time.strftime("%H:%M:%S"), time.monotonic() - start)
        try:
            sel.unregister(conn.sock)
        except (KeyError, ValueError):
            pass
        conn.sock.close()

    for name in hosts:
        enter(name)
        lsock = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        lsock.bind(("::", PORT))
        lsock.listen(64)
        lsock.setblocking(False)
        sel.register(lsock, selectors.EVENT_READ, ("listener", name))
    for client, server in links:
        enter(client)
        sock = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        sock.setblocking(False)
        conn = Conn(sock, "%s -> %s" % (client, server), True)
        err = sock.connect_ex((hosts[server], PORT))
        if err not in (0, errno.EINPROGRESS):
            conn.failed = "%s: connect: %s" % (conn.name, os.strerror(err))
            conns.append(conn)
            continue
        sel.register(sock, selectors.EVENT_WRITE, conn)
        conns.append(conn)

    def want(conn):
        events = selectors.EVENT_READ
        if conn.out or not conn.up:
            events |= selectors.EVENT_WRITE
        sel.modify(conn.sock, events, conn)

    def send_some(conn):
        try:
            sent = conn.sock.send(conn.out)
        except BlockingIOError:
            return
        except OSError as e:
            fail(conn, "send: " + os.strerror(e.errno))
            return
        conn.out = conn.out[sent:]
        want(conn)

    ready = False
    stop_sending = start + 60 + seconds
    deadline = stop_sending + 120
    while True:
        now = time.monotonic()
        clients = [c for c in conns if c.client]
        if not ready:
            if all(c.up or c.failed for c in clients):
                ready = True
                print("ready", flush=True)
                stop_sending = now + seconds
                deadline = stop_sending + 120
            elif now > start + 60:
                print("FAIL: connections not up in 60 s:",
                      [c.name for c in clients if not c.up], flush=True)
                sys.exit(1)
        if now > stop_sending and all(c.failed or not c.expected for c in clients):
            break
        if now > deadline:
            break
        if ready and now < stop_sending:
            for conn in clients:
                if conn.failed or not conn.up or now < conn.next_send:
                    continue
                data = os.urandom(random.randint(64, 4096))
                conn.out += data
                conn.expected += data
                if conn.waiting_since is None:
                    conn.waiting_since = now
                conn.messages += 1
                conn.next_send = now + (random.uniform(20, 40) if conn.quiet
                                        else random.uniform(0.2, 3))
                send_some(conn)
        for key, events in sel.select(0.1):
            what = key.data
            if isinstance(what, tuple):
                try:
                    sock, _ = key.fileobj.accept()
                except BlockingIOError:
                    continue
                sock.setblocking(False)
                conn = Conn(sock, "%s echo" % what[1], False)
                conns.append(conn)
                sel.register(sock, selectors.EVENT_READ, conn)
                continue
            conn = what
            if conn.failed:
                continue
            if conn.client and not conn.up:
                err = conn.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if err:
                    fail(conn, "connect: " + os.strerror(err))
                    continue
                conn.up = True
                want(conn)
                continue
            if events & selectors.EVENT_READ:
                try:
                    data = conn.sock.recv(65536)
                except BlockingIOError:
                    data = None
                except OSError as e:
                    fail(conn, "recv: " + os.strerror(e.errno))
                    continue
                if data == b"":
                    fail(conn, "closed by the peer")
                    continue
                if data:
                    if not conn.client:
                        conn.out += data
                        send_some(conn)
                    elif conn.expected[:len(data)] != data:
                        fail(conn, "echo differs from what was sent")
                        continue
                    else:
                        now = time.monotonic()
                        conn.expected = conn.expected[len(data):]
                        conn.echoed += len(data)
                        conn.longest_wait = max(conn.longest_wait, now - conn.waiting_since)
                        conn.waiting_since = now if conn.expected else None
            if events & selectors.EVENT_WRITE and conn.out and not conn.failed:
                send_some(conn)

    now = time.monotonic()
    clients = [c for c in conns if c.client]
    for conn in clients:
        if not conn.failed and conn.expected:
            fail(conn, "%d bytes never echoed" % len(conn.expected))
    failures = [c.failed for c in conns
                if c.failed and (c.client or "closed by the peer" not in c.failed)]
    waits = sorted(c.longest_wait for c in clients)
    report = {
        "connections": len(clients),
        "quiet": sum(c.quiet for c in clients),
        "failures": failures,
        "messages": sum(c.messages for c in clients),
        "bytes_echoed": sum(c.echoed for c in clients),
        "longest_echo_wait_s": {
            "min": round(waits[0], 3),
            "median": round(waits[len(waits) // 2], 3),
            "max": round(waits[-1], 3),
        },
    }
    print(json.dumps(report), flush=True)
    for conn in conns:
        if not conn.failed:
            conn.sock.close()
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main(sys.argv)
