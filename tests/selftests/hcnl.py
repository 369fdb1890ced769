#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A raw generic netlink client for the hostcache module, for tests.

hcctl only sends well-formed requests; this speaks the wire format
directly, so tests can send garbage and fill the cache fast.

    hcnl.py garbage          malformed requests: each must be refused with
                             an error message and change nothing
    hcnl.py fill N [BASE [ADDRS]]
                             create N entries of ADDRS addresses (default
                             1), pipelined: entry i holds BASE + i, and
                             BASE + i + j * 2^64 for its j-th address
    hcnl.py count            entries in a dump (and whether it was
                             interrupted by changes)
"""

import errno
import ipaddress
import os
import socket
import struct
import sys
import time

NETLINK_GENERIC = 16
NLM_F_REQUEST, NLM_F_MULTI, NLM_F_ACK, NLM_F_DUMP = 1, 2, 4, 0x300
NLM_F_DUMP_INTR = 0x10
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLM_F_ACK_TLVS = 0x200
NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_MISS_TYPE = 1, 5
SOL_NETLINK, NETLINK_EXT_ACK, NETLINK_CAP_ACK = 270, 11, 10
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
NLA_F_NESTED = 0x8000

# include/uapi/linux/hostcache.h
CMD_NEW_FOREIGN, CMD_DEL_FOREIGN, CMD_GET_FOREIGN = 4, 5, 6
CMD_SET_FOREIGN, CMD_NEW_ADDR, CMD_DEL_ADDR = 7, 8, 9
A_FOREIGN = 4
FOREIGN_A_ID, FOREIGN_A_FLAGS, FOREIGN_A_ADDR, FOREIGN_A_REASON = 1, 2, 3, 4
ADDR_A_ADDR, ADDR_A_STATE, ADDR_A_FLAGS = 1, 2, 3
ADDR_A_LIFETIME, ADDR_A_BID = 4, 5


def nla(kind, payload):
    """One attribute, padded to 4 bytes."""
    head = struct.pack("HH", 4 + len(payload), kind)
    return head + payload + b"\0" * (-len(payload) % 4)


def nest(kind, *attrs):
    return nla(kind | NLA_F_NESTED, b"".join(attrs))


def u8(kind, v):
    return nla(kind, struct.pack("B", v))


def u16(kind, v):
    return nla(kind, struct.pack("H", v))


def u32(kind, v):
    return nla(kind, struct.pack("I", v))


def addr(text, *extra):
    return nest(FOREIGN_A_ADDR,
                nla(ADDR_A_ADDR, ipaddress.IPv6Address(text).packed), *extra)


def attrs_of(data):
    """Parse attributes into a {type: payload} dict (last one wins)."""
    out = {}
    while len(data) >= 4:
        length, kind = struct.unpack("HH", data[:4])
        if length < 4:
            break
        out[kind & 0x3fff] = data[4:length]
        data = data[(length + 3) & ~3:]
    return out


def attrs_of_all(data, want):
    """The payloads of every attribute of type WANT, in order."""
    out = []
    while len(data) >= 4:
        length, kind = struct.unpack("HH", data[:4])
        if length < 4:
            break
        if kind & 0x3fff == want:
            out.append(data[4:length])
        data = data[(length + 3) & ~3:]
    return out


class Genl:
    def __init__(self, name="hostcache"):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                  NETLINK_GENERIC)
        self.sock.bind((0, 0))
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
        self.seq = 0
        self.family = GENL_ID_CTRL
        reply = self.request(CTRL_CMD_GETFAMILY,
                             nla(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0"),
                             version=1)
        if reply[0]:
            raise OSError(-reply[0], "no generic netlink family " + name)
        self.family = struct.unpack("H", attrs_of(reply[2][0])
                                    [CTRL_ATTR_FAMILY_ID][:2])[0]

    def send(self, cmd, payload=b"", flags=NLM_F_ACK, version=1, reserved=0):
        self.seq += 1
        body = struct.pack("BBH", cmd, version, reserved) + payload
        head = struct.pack("IHHII", 16 + len(body), self.family,
                           NLM_F_REQUEST | flags, self.seq, 0)
        self.sock.send(head + body)
        return self.seq

    def messages(self):
        """Yield (type, flags, seq, payload) of the messages read next."""
        data = self.sock.recv(1 << 20)
        while len(data) >= 16:
            length, kind, flags, seq, _ = struct.unpack("IHHII", data[:16])
            yield kind, flags, seq, data[16:length]
            data = data[(length + 3) & ~3:]

    def request(self, cmd, payload=b"", flags=NLM_F_ACK, **kw):
        """Send one request; return (error, extack message, [attributes
        payload of each reply], dump interrupted)."""
        seq = self.send(cmd, payload, flags, **kw)
        replies, intr = [], False
        while True:
            for kind, mflags, mseq, body in self.messages():
                if mseq != seq:
                    continue
                if kind == NLMSG_ERROR:
                    err = struct.unpack("i", body[:4])[0]
                    msg = ""
                    if mflags & NLM_F_ACK_TLVS:
                        tlvs = attrs_of(body[20:])
                        msg = tlvs.get(NLMSGERR_ATTR_MSG, b"")
                        msg = msg.rstrip(b"\0").decode()
                        if not msg and NLMSGERR_ATTR_MISS_TYPE in tlvs:
                            kind = struct.unpack(
                                "I", tlvs[NLMSGERR_ATTR_MISS_TYPE])[0]
                            msg = f"missing attribute {kind}"
                    return err, msg, replies, intr
                if kind == NLMSG_DONE:
                    return 0, "", replies, intr
                intr |= bool(mflags & NLM_F_DUMP_INTR)
                replies.append(body[4:])
                if not mflags & NLM_F_MULTI and not flags & NLM_F_ACK:
                    return 0, "", replies, intr

    def dump(self):
        err, msg, replies, intr = self.request(CMD_GET_FOREIGN, b"",
                                               NLM_F_DUMP)
        if err:
            raise OSError(-err, msg)
        return replies, intr

    def entries(self):
        """The cache's entries, without the fields that change with time:
        a sorted list of (id, flags, ((address, state, flags, bid)...))."""
        out = []
        for reply in self.dump()[0]:
            entry = attrs_of(attrs_of(reply)[A_FOREIGN])
            addrs = []
            data = attrs_of_all(attrs_of(reply)[A_FOREIGN], FOREIGN_A_ADDR)
            for a in data:
                fields = attrs_of(a)
                addrs.append(tuple(fields.get(k) for k in
                                   (ADDR_A_ADDR, ADDR_A_STATE, ADDR_A_FLAGS,
                                    ADDR_A_BID)))
            out.append((entry[FOREIGN_A_ID], entry[FOREIGN_A_FLAGS],
                        tuple(addrs)))
        return sorted(out)


def garbage(nl):
    """Each malformed request must fail with an extack message and leave
    the cache as it was."""
    good = nest(A_FOREIGN, addr("2001:db8:99::1"))
    before = nl.entries()
    cases = [
        ("address of 15 bytes",
         CMD_NEW_FOREIGN, nest(A_FOREIGN, nest(FOREIGN_A_ADDR,
                               nla(ADDR_A_ADDR, b"\x20" * 15))), 0),
        ("unknown top-level attribute",
         CMD_NEW_FOREIGN, good + u32(99, 1), 0),
        ("unknown attribute in the entry",
         CMD_NEW_FOREIGN, nest(A_FOREIGN, addr("2001:db8:99::1"),
                               u32(40, 1)), 0),
        ("reply-only attribute in a request",
         CMD_NEW_FOREIGN, nest(A_FOREIGN, addr("2001:db8:99::1",
                                               u8(ADDR_A_STATE, 0))), 0),
        ("unknown entry flag",
         CMD_NEW_FOREIGN, nest(A_FOREIGN, addr("2001:db8:99::1"),
                               u32(FOREIGN_A_FLAGS, 0x80)), 0),
        ("address flag a request may not set",
         CMD_NEW_FOREIGN, nest(A_FOREIGN, addr("2001:db8:99::1",
                                               u32(ADDR_A_FLAGS, 0x04))), 0),
        ("BID 0",
         CMD_NEW_FOREIGN, nest(A_FOREIGN, addr("2001:db8:99::1",
                                               u16(ADDR_A_BID, 0))), 0),
        ("lifetime 0",
         CMD_NEW_FOREIGN, nest(A_FOREIGN, addr("2001:db8:99::1",
                                               u32(ADDR_A_LIFETIME, 0))), 0),
        ("no entry attribute", CMD_NEW_FOREIGN, b"", 0),
        ("entry without an address",
         CMD_NEW_FOREIGN, nest(A_FOREIGN, u32(FOREIGN_A_FLAGS, 1)), 0),
        ("address nest without the address",
         CMD_NEW_FOREIGN, nest(A_FOREIGN, nest(FOREIGN_A_ADDR,
                                               u16(ADDR_A_BID, 3))), 0),
        ("ID chosen by the caller",
         CMD_NEW_FOREIGN, nest(A_FOREIGN, u32(FOREIGN_A_ID, 7),
                               addr("2001:db8:99::1")), 0),
        ("attribute longer than the message",
         CMD_NEW_FOREIGN, struct.pack("HH", 200, A_FOREIGN) + b"\0" * 8, 0),
        ("reserved header field set", CMD_NEW_FOREIGN, good, 1),
        ("unknown entry", CMD_DEL_FOREIGN,
         nest(A_FOREIGN, u32(FOREIGN_A_ID, 0x7fffff00)), 0),
        ("ID 0", CMD_DEL_FOREIGN, nest(A_FOREIGN, u32(FOREIGN_A_ID, 0)), 0),
        ("two addresses to remove at once",
         CMD_DEL_ADDR, nest(A_FOREIGN, u32(FOREIGN_A_ID, 1),
                            addr("2001:db8::1"), addr("2001:db8::2")), 0),
        ("multicast address",
         CMD_NEW_FOREIGN, nest(A_FOREIGN, addr("ff02::1")), 0),
        ("unknown command", 200, good, 0),
    ]
    failed = 0
    for name, cmd, payload, reserved in cases:
        err, msg, _, _ = nl.request(cmd, payload, reserved=reserved)
        if err >= 0:
            print(f"FAIL: {name}: accepted")
            failed += 1
        elif not msg and cmd != 200:
            print(f"FAIL: {name}: {os.strerror(-err)}, without a message")
            failed += 1
        else:
            print(f"ok: {name}: {os.strerror(-err)}: {msg}")
    if nl.entries() != before:
        print("FAIL: refused requests changed the cache")
        failed += 1
    return failed


def fill(nl, count, base, naddrs=1):
    """Create COUNT entries of NADDRS addresses each, pipelined."""
    first = int(ipaddress.IPv6Address(base))
    window, sent, done, start = 512, 0, 0, time.monotonic()
    while done < count:
        while sent < count and sent - done < window:
            addrs = [addr(str(ipaddress.IPv6Address(first + sent + (j << 64))))
                     for j in range(naddrs)]
            nl.send(CMD_NEW_FOREIGN, nest(A_FOREIGN, *addrs), 0)
            sent += 1
        for kind, _, _, body in nl.messages():
            done += 1
            if kind == NLMSG_ERROR and struct.unpack("i", body[:4])[0]:
                err = -struct.unpack("i", body[:4])[0]
                raise OSError(err, "entry %d refused: %s" %
                              (done, os.strerror(err)))
    return time.monotonic() - start


def main(argv):
    nl = Genl()
    if argv[1:2] == ["garbage"]:
        return 1 if garbage(nl) else 0
    if argv[1:2] == ["fill"]:
        base = argv[3] if len(argv) > 3 else "2001:db8:1000::1"
        naddrs = int(argv[4]) if len(argv) > 4 else 1
        seconds = fill(nl, int(argv[2]), base, naddrs)
        print(f"filled {argv[2]} entries in {seconds:.3f} s")
        return 0
    if argv[1:2] == ["count"]:
        start = time.monotonic()
        replies, intr = nl.dump()
        print(len(replies), "interrupted" if intr else "consistent",
              f"{time.monotonic() - start:.3f} s")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
