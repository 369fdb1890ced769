#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A paced TCP transfer whose two ends report what they moved.

    tcpxfer.py serve PORT [COUNT]  accept COUNT connections (default 1),
                                   read each to the end, print "BYTES
                                   SHA256" for each; on stderr, "gap START
                                   END" (times in ns) for each pause of
                                   more than 0.2 s in the data received
    tcpxfer.py send ADDR PORT BYTES [SECONDS [FROM FROM_PORT]]
                                   send BYTES of pseudo-random data, paced
                                   over about SECONDS, from FROM and
                                   FROM_PORT if given, print "BYTES SHA256"
"""

import hashlib
import socket
import sys
import threading
import time

CHUNK = 65536
GAP = 200000000     # ns


def drain(conn):
    digest, total, last = hashlib.sha256(), 0, None
    with conn:
        while True:
            data = conn.recv(CHUNK)
            now = time.time_ns()
            if not data:
                break
            if last and now - last > GAP:
                print("gap", last, now, file=sys.stderr, flush=True)
            last = now
            digest.update(data)
            total += len(data)
    print(total, digest.hexdigest(), flush=True)


def serve(port, count):
    with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as lsock:
        lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        lsock.bind(("::", port))
        lsock.listen(count)
        readers = []
        for _ in range(count):
            conn, _ = lsock.accept()
            readers.append(threading.Thread(target=drain, args=(conn,)))
            readers[-1].start()
    for reader in readers:
        reader.join()


def send(addr, port, count, seconds, source):
    digest, total = hashlib.sha256(), 0
    seed = source[0].encode() or b"hostcache"
    block = hashlib.sha256(seed).digest() * (CHUNK // 32)
    pause = seconds / max(count // CHUNK, 1)
    with socket.create_connection((addr, port), timeout=30,
                                  source_address=source) as sock:
        sock.settimeout(None)   # the connection may wait out an outage
        while total < count:
            data = block[:min(CHUNK, count - total)]
            block = block[1:] + block[:1]
            sock.sendall(data)
            digest.update(data)
            total += len(data)
            time.sleep(pause)
    print(total, digest.hexdigest(), flush=True)


def main(argv):
    if len(argv) in (3, 4) and argv[1] == "serve":
        serve(int(argv[2]), int(argv[3]) if len(argv) > 3 else 1)
    elif len(argv) in (5, 6, 8) and argv[1] == "send":
        send(argv[2], int(argv[3]), int(argv[4]),
             float(argv[5]) if len(argv) > 5 else 0,
             (argv[6], int(argv[7])) if len(argv) > 7 else ("", 0))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
