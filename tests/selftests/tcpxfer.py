#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A paced TCP transfer whose two ends report what they moved.

    tcpxfer.py serve PORT [COUNT]  accept COUNT connections (default 1),
                                   read each to the end, print "BYTES
                                   SHA256" for each; on stderr, "gap START
                                   END" (times in ns) for each pause of
                                   more than 0.2 s in the data received;
                                   with $HC_PROGRESS set, "TIME BYTES" (ns,
                                   bytes so far) as data comes, to the
                                   file $HC_PROGRESS.PORT
    tcpxfer.py send ADDR PORT BYTES [SECONDS [FROM FROM_PORT]]
                                   send BYTES of pseudo-random data, paced
                                   over about SECONDS, from FROM and
                                   FROM_PORT if given, print "BYTES SHA256"

Options, after the others: "exthdrs" puts a Hop-by-Hop and a Destination
Options header (PadN only) in every packet of the socket; "chunk=N" sends
in writes of N bytes (default 65536), unpaced when SECONDS is 0.
"""

import hashlib
import os
import socket
import sys
import threading
import time

CHUNK = 65536
GAP = 200000000     # ns


def with_exthdrs(sock):
    """Sticky Hop-by-Hop and Destination Options headers on @sock: each is
    eight bytes, a PadN option of four bytes after the two of the header
    (the kernel fills in the next header and length)."""
    padn = bytes([0, 0, 1, 4, 0, 0, 0, 0])
    sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_HOPOPTS, padn)
    sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_DSTOPTS, padn)


def drain(conn, progress):
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
            if progress:
                progress.write(f"{now} {total}\n")
    print(total, digest.hexdigest(), flush=True)


def serve(port, count, exthdrs):
    with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as lsock:
        lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if exthdrs:
            with_exthdrs(lsock)     # connections inherit them
        lsock.bind(("::", port))
        lsock.listen(count)
        readers = []
        prefix = os.environ.get("HC_PROGRESS")
        progress = open(f"{prefix}.{port}", "w") if prefix else None
        for _ in range(count):
            conn, _ = lsock.accept()
            readers.append(threading.Thread(target=drain,
                                            args=(conn, progress)))
            readers[-1].start()
    for reader in readers:
        reader.join()
    if progress:
        progress.close()


def send(addr, port, count, seconds, source, exthdrs, chunk):
    digest, total = hashlib.sha256(), 0
    seed = source[0].encode() or b"hostcache"
    block = hashlib.sha256(seed).digest() * (chunk // 32)
    pause = seconds / max(count // chunk, 1)
    with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as sock:
        if exthdrs:
            with_exthdrs(sock)
        if source[0]:
            sock.bind(source)
        sock.settimeout(30)
        sock.connect((addr, port))
        sock.settimeout(None)   # the connection may wait out an outage
        while total < count:
            data = block[:min(chunk, count - total)]
            block = block[1:] + block[:1]
            sock.sendall(data)
            digest.update(data)
            total += len(data)
            time.sleep(pause)
    print(total, digest.hexdigest(), flush=True)


def main(argv):
    exthdrs, chunk = False, CHUNK
    while argv[-1] == "exthdrs" or argv[-1].startswith("chunk="):
        if argv[-1] == "exthdrs":
            exthdrs = True
        else:
            chunk = int(argv[-1][6:])
        argv = argv[:-1]
    if len(argv) in (3, 4) and argv[1] == "serve":
        serve(int(argv[2]), int(argv[3]) if len(argv) > 3 else 1, exthdrs)
    elif len(argv) in (5, 6, 8) and argv[1] == "send":
        send(argv[2], int(argv[3]), int(argv[4]),
             float(argv[5]) if len(argv) > 5 else 0,
             (argv[6], int(argv[7])) if len(argv) > 7 else ("", 0),
             exthdrs, chunk)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
