#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""First messages (I1) of hckeyd's exchange, as anyone may send them.

    keydprobe.py i1 ADDR KIND      send one I1 of KIND to hckeyd at ADDR;
                                   print "R1" and its length if the answer
                                   is an R1 to it, else "none"
    keydprobe.py flood ADDR COUNT  send COUNT good I1s at once; print
                                   "SENT ANSWERED SECONDS", SECONDS the
                                   time the sending took

KIND: good; short (no padding); padded (padding not zero); version (2);
spi (an SPI below 256); type (an I1 marked as an R1).

An I1 is version 1, type 1, two zero bytes, Ni (16), Ei (32), SPIi (4),
then zeros up to 72 bytes, the length of the R1: version 1, type 2, two
zero bytes, Ni, Nr (16), Er (32), SPIr.
"""

import os
import socket
import struct
import sys
import time

PORT = 7456
I1_LEN = 72


def i1(kind="good"):
    ni = os.urandom(16)
    spi = 0x1000 if kind != "spi" else 255
    msg = bytes([2 if kind == "version" else 1,
                 2 if kind == "type" else 1, 0, 0])
    msg += ni + os.urandom(32) + struct.pack("!I", spi)
    pad = bytearray(I1_LEN - len(msg))
    if kind == "padded":
        pad[-1] = 1
    if kind != "short":
        msg += pad
    return ni, msg


def is_r1(reply, ni):
    return (len(reply) == I1_LEN and reply[:4] == bytes([1, 2, 0, 0]) and
            reply[4:20] == ni and struct.unpack("!I", reply[68:72])[0] >= 256)


def probe(addr, kind):
    ni, msg = i1(kind)
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as sock:
        sock.settimeout(1)
        sock.connect((addr, PORT))
        sock.send(msg)
        try:
            reply = sock.recv(2048)
        except socket.timeout:
            print("none")
            return
    print("R1 %d" % len(reply) if is_r1(reply, ni) else "none")


def flood(addr, count):
    nis = set()
    answered = 0
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as sock:
        sock.connect((addr, PORT))
        start = time.monotonic()
        for _ in range(count):
            ni, msg = i1()
            nis.add(ni)
            sock.send(msg)
        took = time.monotonic() - start
        sock.settimeout(1)
        try:
            while True:
                reply = sock.recv(2048)
                if len(reply) == I1_LEN and reply[4:20] in nis:
                    answered += 1
        except socket.timeout:
            pass
    print(count, answered, "%.3f" % took)


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "i1":
        probe(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "flood":
        flood(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
