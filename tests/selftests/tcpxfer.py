#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A paced TCP transfer whose two ends report what they moved.

    tcpxfer.py serve PORT          accept one connection, read it to the
                                   end, print "BYTES SHA256"
    tcpxfer.py send ADDR PORT BYTES [SECONDS]
                                   send BYTES of pseudo-random data, paced
                                   over about SECONDS, print "BYTES SHA256"
"""

import hashlib
import socket
import sys
import time

CHUNK = 65536


def serve(port):
    with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as lsock:
        lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        lsock.bind(("::", port))
        lsock.listen(1)
        conn, _ = lsock.accept()
        digest, total = hashlib.sha256(), 0
        with conn:
            while True:
                data = conn.recv(CHUNK)
                if not data:
                    break
                digest.update(data)
                total += len(data)
    print(total, digest.hexdigest(), flush=True)


def send(addr, port, count, seconds):
    digest, total = hashlib.sha256(), 0
    block = hashlib.sha256(b"hostcache").digest() * (CHUNK // 32)
    pause = seconds / max(count // CHUNK, 1)
    with socket.create_connection((addr, port), timeout=30) as sock:
        while total < count:
            data = block[:min(CHUNK, count - total)]
            block = block[1:] + block[:1]
            sock.sendall(data)
            digest.update(data)
            total += len(data)
            time.sleep(pause)
    print(total, digest.hexdigest(), flush=True)


def main(argv):
    if len(argv) >= 3 and argv[1] == "serve":
        serve(int(argv[2]))
    elif len(argv) >= 5 and argv[1] == "send":
        send(argv[2], int(argv[3]), int(argv[4]),
             float(argv[5]) if len(argv) > 5 else 0)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
