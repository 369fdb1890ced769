#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Binding Updates built by Scapy, processed by the module on host B; B's
own updates, answered by Scapy; and what a standard mobile node sends a
correspondent.

    mh_interop.py IFACE PEER_NETNS PCAP

Runs in host A's namespace (fd00::1, a second address fd00::3 on IFACE),
with B at fd00::2 and fd00::22 accepting unauthenticated updates. Each step sends one
packet built by Scapy's Mobility Header layers (the BID and experimental
options, which Scapy does not know, as its generic option), waits for B's
answer, decodes it with Scapy and checks it and B's Host Cache as RFC 6275,
RFC 5648 and the draft say. Everything on IFACE is written to PCAP for
tshark. Prints one line per step; exits 1 at the first failure.
"""

import json
import logging
import subprocess
import sys
import threading
import time

# Scapy's route warnings for the link-local neighbours say nothing here.
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)

from scapy.layers.inet6 import (HAO, ICMPv6EchoRequest, IPv6,
                                IPv6ExtHdrDestOpt, MIP6MH_BA, MIP6MH_BE,
                                MIP6MH_BRR, MIP6MH_BU, MIP6MH_CoTI,
                                MIP6MH_Generic, MIP6MH_HoTI, MIP6OptAltCoA,
                                MIP6OptUnknown)
from scapy.packet import Raw
from scapy.sendrecv import AsyncSniffer, send
from scapy.utils import wrpcap

A, A2, B, B2 = "fd00::1", "fd00::3", "fd00::2", "fd00::22"

HOMELESS = MIP6OptUnknown(otype=18, odata=b"\x01\x00")


def pad(n):
    """A PadN option of n bytes in all."""
    return MIP6OptUnknown(otype=1, odata=b"\0" * (n - 2))


def bid(number, coa=None):
    """A BID option (RFC 5648 4.3); with a care-of address if given."""
    data = number.to_bytes(2, "big") + b"\0\0"
    if coa:
        data += bytes(IPv6(dst=coa))[24:40]
    return MIP6OptUnknown(otype=35, odata=data)


class Check:
    def __init__(self, iface, peer_ns):
        self.peer_ns = peer_ns
        self.packets = []
        sniffing = threading.Event()
        self.sniffer = AsyncSniffer(
            iface=iface, store=False, prn=self.packets.append,
            lfilter=lambda p: IPv6 in p and p[IPv6].nh == 135,
            started_callback=sniffing.set)
        self.sniffer.start()
        if not sniffing.wait(30):
            print("FAIL: the sniffer did not start")
            sys.exit(1)
        self.seen = 0

    def fail(self, what):
        print("FAIL: " + what)
        self.stop()
        sys.exit(1)

    def answer(self, kind):
        """The next message of KIND from B, decoded. B's own Binding
        Updates (its first one to a homeless peer, draft 2.1.2) and its
        tests of the addresses updates bind (Binding Refresh Requests)
        are not answers."""
        for _ in range(60):
            # By position: two answers may be equal, byte for byte.
            for i in range(self.seen, len(self.packets)):
                p = self.packets[i]
                if p[IPv6].src != B or MIP6MH_BU in p or MIP6MH_BRR in p:
                    continue
                self.seen = i + 1
                if kind not in p:
                    self.fail("B answered with %r" % p.summary())
                return p[kind]
            time.sleep(0.1)
        self.fail("no answer from B")
        return None

    def ba(self, what, pkt, status, seq, bids):
        send(pkt, verbose=False)
        ba = self.answer(MIP6MH_BA)
        got = [int.from_bytes(bytes(o)[2:4], "big")
               for o in ba.options if o.otype == 35]
        opt_status = [bytes(o)[4] for o in ba.options if o.otype == 35]
        homeless = any(bytes(o)[:3] == b"\x12\x02\x01" for o in ba.options)
        # Scapy recomputes the checksum of a copy without it.
        copy = IPv6(bytes(ba.underlayer))
        del copy[MIP6MH_BA].cksum
        good_csum = IPv6(bytes(copy))[MIP6MH_BA].cksum == ba.cksum
        if (ba.status, ba.seq, got) != (status, seq, bids) or \
                any(opt_status) or not homeless or not good_csum:
            self.fail("%s: BA status %d seq %d BIDs %s (option status %s, "
                      "homeless %s, checksum %s), expected %d %d %s" %
                      (what, ba.status, ba.seq, got, opt_status, homeless,
                       good_csum, status, seq, bids))
        print("ok: %s: BA status %d, sequence %d, BIDs %s" %
              (what, status, seq, bids))

    def cache(self):
        out = subprocess.run(["hcctl", "-n", self.peer_ns, "-j", "foreign"],
                             check=True, capture_output=True, text=True)
        return {a["addr"]: (a["state"], a.get("bid", 0), e["homeless"])
                for e in json.loads(out.stdout) for a in e["addrs"]}

    def expect_cache(self, what, want):
        got = self.cache()
        if got != want:
            self.fail("%s: B's cache is %s, expected %s" % (what, got, want))
        print("ok: %s: B's cache %s" % (what, sorted(got.items())))

    def updates_from_b(self, since, n, what):
        """B's first N Binding Updates to A from packet SINCE on, as
        (position, update); waits up to 10 s for them."""
        for _ in range(100):
            got = [(i, p[MIP6MH_BU]) for i, p in enumerate(self.packets)
                   if i >= since and p[IPv6].src == B and
                   p[IPv6].dst == A and MIP6MH_BU in p]
            if len(got) >= n:
                return got[:n]
            time.sleep(0.1)
        self.fail("%s: B sent %d updates to A, expected %d" %
                  (what, len(got), n))
        return None

    def answer_b(self, bu, status, options):
        """Answer B's update BU with a BA of STATUS and OPTIONS; return
        where in the capture B's next packets start."""
        since = len(self.packets)
        send(IPv6(src=A, dst=B) /
             MIP6MH_BA(status=status, seq=bu.seq, mhtime=100,
                       options=options), verbose=False)
        return since

    def stats(self):
        out = subprocess.run(["hcctl", "-n", self.peer_ns, "-j", "stats"],
                             check=True, capture_output=True, text=True)
        return json.loads(out.stdout)

    def stop(self):
        self.sniffer.stop()


def bids_of(mh):
    """The BIDs of the BID options of a Mobility Header message."""
    return [int.from_bytes(bytes(o)[2:4], "big")
            for o in mh.options if o.otype == 35]


def sender_rules(t):
    """B as a sender (RFC 6275 11.7.1, RFC 5648 5.7): its own update to
    the homeless peer A, unanswered, is sent again with a new sequence
    number each time; a 168 makes the next one carry one BID, a BA
    without BID options none (one Alternate Care-of Address instead)."""
    sent = t.updates_from_b(0, 3, "retransmissions")
    seqs = [bu.seq for _, bu in sent]
    if not all(0 < (b - a) % 65536 < 100 for a, b in zip(seqs, seqs[1:])):
        t.fail("retransmitted updates numbered %s" % seqs)
    print("ok: B's update sent 3 times unanswered, sequence numbers %s" %
          seqs)
    last = sent[-1][1]
    bids = bids_of(last)
    if len(bids) != 2:
        t.fail("B's update lists BIDs %s, expected its 2 addresses" % bids)

    since = t.answer_b(last, 168, [bid(b) for b in bids] + [HOMELESS])
    _, single = t.updates_from_b(since, 1, "after 168")[0]
    if len(bids_of(single)) != 1 or single.seq == last.seq:
        t.fail("after 168 B's update %d lists BIDs %s, expected one" %
               (single.seq, bids_of(single)))
    print("ok: after a BA with 168 B's next update (%d) lists one BID" %
          single.seq)

    since = t.answer_b(single, 0, [HOMELESS])
    _, plain = t.updates_from_b(since, 1, "after a BA without BIDs")[0]
    coas = [o.acoa for o in plain.options if MIP6OptAltCoA in o]
    if bids_of(plain) or len(coas) != 1 or coas[0] not in (B, B2):
        t.fail("after a BA without BID options B's update lists BIDs %s "
               "and Alternate Care-of Addresses %s" %
               (bids_of(plain), coas))
    print("ok: after a BA without BID options B's next update (%d) lists "
          "no BID, and %s as its Alternate Care-of Address" %
          (plain.seq, coas[0]))

    acked = t.stats()["mh_bu_acked"]
    since = t.answer_b(plain, 0, [HOMELESS])
    for _ in range(50):
        if t.stats()["mh_bu_acked"] == acked + 1:
            break
        time.sleep(0.1)
    else:
        t.fail("B did not take the BA of its update without BIDs")
    time.sleep(2.5)		# past the next retransmission
    if any(p[IPv6].src == B and MIP6MH_BU in p for p in t.packets[since:]):
        t.fail("B sent its update again after it was acknowledged")
    print("ok: the BA of that update ends B's retransmissions")


def chained_acks(t):
    """Draft 3.2.2: a packet MAY carry several Binding Acknowledgments.
    Only the second of two carries Homeless Support in one packet, only
    the first in another: both senders become homeless."""
    for src in ("fd00::5", "fd00::6"):
        subprocess.run(["hcctl", "-n", t.peer_ns, "foreign", "add", src],
                       check=True, capture_output=True)
    for src, first_homeless in (("fd00::5", False), ("fd00::6", True)):
        parts = []
        for i, homeless in enumerate((first_homeless, not first_homeless)):
            ba = IPv6(src=src, dst=B, nh=135) / MIP6MH_BA(
                nh=135 if i == 0 else 59, status=0, seq=1, mhtime=10,
                options=[HOMELESS] if homeless else [])
            parts.append(bytes(IPv6(bytes(ba)))[40:])
        send(IPv6(src=src, dst=B, nh=135) / Raw(b"".join(parts)),
             verbose=False)
    for _ in range(50):
        cache = t.cache()
        if cache["fd00::5"][2] and cache["fd00::6"][2]:
            break
        time.sleep(0.1)
    else:
        t.fail("two BAs in one packet: homeless %s" %
               {a: t.cache()[a][2] for a in ("fd00::5", "fd00::6")})
    if t.stats()["mh_proto"]:
        t.fail("a packet of two BAs was refused")
    print("ok: two BAs in one packet are both processed")


def main(argv):
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    t = Check(argv[1], argv[2])
    ip, ip2 = IPv6(src=A, dst=B), IPv6(src=A2, dst=B)

    t.ba("homeless peer, BID 1",
         ip / MIP6MH_BU(seq=1, flags="A", mhtime=100,
                        options=[HOMELESS, bid(1)]), 0, 1, [1])
    t.expect_cache("first update", {A: ("valid", 1, True)})
    sender_rules(t)

    # A BID with a care-of address sits at 8n+2: 12 + 6 bytes of PadN.
    t.ba("BID 2 with a care-of address",
         ip / MIP6MH_BU(seq=2, flags="A", mhtime=100,
                        options=[pad(6), bid(2, "fd00::a")]), 0, 2, [2])
    t.expect_cache("new BID adds",
                   {A: ("valid", 1, True), "fd00::a": ("valid", 2, True)})

    t.ba("lifetime 0 with BID 2",
         ip / MIP6MH_BU(seq=3, flags="A", mhtime=0, options=[bid(2)]),
         0, 3, [2])
    t.expect_cache("BID 2 removed",
                   {A: ("valid", 1, True), "fd00::a": ("expired", 2, True)})

    t.ba("old sequence number",
         ip / MIP6MH_BU(seq=3, flags="A", mhtime=100), 135, 3, [])
    # RFC 6275 9.5.1's check before RFC 5648's.
    t.ba("old sequence number, BID 0",
         ip / MIP6MH_BU(seq=3, flags="A", mhtime=100, options=[bid(0)]),
         135, 3, [0])
    t.ba("removal of an unknown BID",
         ip / MIP6MH_BU(seq=4, flags="A", mhtime=0, options=[bid(9)]),
         133, 4, [9])
    t.ba("BID 0", ip / MIP6MH_BU(seq=4, flags="A", mhtime=100,
                                 options=[bid(0)]), 164, 4, [0])
    t.ba("multicast care-of address",
         ip / MIP6MH_BU(seq=4, flags="A", mhtime=100,
                        options=[pad(6), bid(3, "ff02::1")]), 164, 4, [3])
    # RFC 5648 6.2: a BID option of a wrong length gets 164; it is not
    # copied, its BID unread.
    for length in (0, 2, 5, 6, 12, 18):
        t.ba("BID option of length %d" % length,
             ip / MIP6MH_BU(seq=4, flags="A", mhtime=100,
                            options=[MIP6OptUnknown(otype=35,
                                                    odata=b"\0\3" +
                                                    b"\0" * (length - 2))
                                     if length >= 2 else
                                     MIP6OptUnknown(otype=35, odata=b"")]),
             164, 4, [])
    t.expect_cache("refusals change nothing",
                   {A: ("valid", 1, True), "fd00::a": ("expired", 2, True)})

    unknown = MIP6OptUnknown(otype=200, odata=b"\xde\xad")
    t.ba("unknown option skipped",
         ip / MIP6MH_BU(seq=4, flags="A", mhtime=100,
                        options=[unknown, pad(2), bid(3, "fd00::b")]),
         0, 4, [3])
    t.expect_cache("BID 3 added past an unknown option",
                   {A: ("valid", 1, True), "fd00::a": ("expired", 2, True),
                    "fd00::b": ("valid", 3, True)})

    t.ba("same BID, new address",
         ip / MIP6MH_BU(seq=5, flags="A", mhtime=100,
                        options=[pad(6), bid(3, "fd00::c")]), 0, 5, [3])
    t.expect_cache("BID 3 moved",
                   {A: ("valid", 1, True), "fd00::a": ("expired", 2, True),
                    "fd00::b": ("expired", 3, True),
                    "fd00::c": ("valid", 3, True)})

    t.ba("no BID, Alternate Care-of Address",
         ip / MIP6MH_BU(seq=6, flags="A", mhtime=100,
                        options=[MIP6OptAltCoA(acoa="fd00::d")]), 0, 6, [])
    t.expect_cache("a BU without BID replaces all bindings",
                   {A: ("expired", 1, True), "fd00::a": ("expired", 2, True),
                    "fd00::b": ("expired", 3, True),
                    "fd00::c": ("expired", 3, True),
                    "fd00::d": ("valid", 0, True)})

    t.ba("bulk from a peer not known to be homeless",
         ip2 / MIP6MH_BU(seq=1, flags="A", mhtime=100,
                         options=[pad(6), bid(1, "fd00::e"), pad(2),
                                  bid(2, "fd00::f")]), 168, 1, [1, 2])
    if A2 in t.cache() or "fd00::e" in t.cache():
        t.fail("a refused bulk update created an entry")
    print("ok: the refused bulk update created no entry")

    send(ip / MIP6MH_Generic(mhtype=42, msg=b"\0" * 10), verbose=False)
    be = t.answer(MIP6MH_BE)
    if be.status != 2:
        t.fail("unknown type: Binding Error status %d, expected 2" % be.status)
    print("ok: unknown type: Binding Error status 2")

    # A standard mobile node (RFC 6275): B runs no return routability, so
    # a Home or Care-of Test Init is of a type it does not take, and
    # holds no binding for a Home Address option (9.3.1).
    for name, msg in (("Home Test Init", MIP6MH_HoTI(cookie=1)),
                      ("Care-of Test Init", MIP6MH_CoTI(cookie=2))):
        send(ip / msg, verbose=False)
        be = t.answer(MIP6MH_BE)
        if be.status != 2:
            t.fail("%s: Binding Error status %d, expected 2" %
                   (name, be.status))
    print("ok: Home and Care-of Test Init: Binding Error status 2")
    home = "fd00::99"
    send(ip / IPv6ExtHdrDestOpt(options=[HAO(hoa=home)]) /
         ICMPv6EchoRequest(), verbose=False)
    be = t.answer(MIP6MH_BE)
    if (be.status, be.ha) != (1, home):
        t.fail("a Home Address option: Binding Error status %d for %s, "
               "expected 1 for %s" % (be.status, be.ha, home))
    print("ok: a Home Address option without a binding: Binding Error "
          "status 1 for %s" % home)

    # Draft 3.1: a Homeless Support option in any message tells B that
    # its sender is homeless; here in a Binding Acknowledgment.
    subprocess.run(["hcctl", "-n", t.peer_ns, "foreign", "add", A2],
                   check=True, capture_output=True)
    for options, want in (([], False), ([HOMELESS], True)):
        send(ip2 / MIP6MH_BA(status=0, seq=1, mhtime=10, options=options),
             verbose=False)
        for _ in range(50):
            if t.cache()[A2][2] == want:
                break
            time.sleep(0.1)
        if t.cache()[A2][2] != want:
            t.fail("a BA %s Homeless Support left homeless %s" %
                   ("with" if options else "without", not want))
    print("ok: a BA with Homeless Support marks its sender homeless, "
          "one without does not")
    chained_acks(t)

    # RFC 6275 6.2 puts the alignment on senders: B reads a BID option
    # at an odd offset (3 bytes of PadN after Homeless Support).
    t.ba("BID option at an odd offset",
         ip2 / MIP6MH_BU(seq=2, flags="A", mhtime=100,
                         options=[HOMELESS, pad(3), bid(1)]), 0, 2, [1])
    if t.cache().get(A2) != ("valid", 1, True):
        t.fail("the misaligned update left %s as %s" % (A2, t.cache().get(A2)))
    print("ok: the misaligned BID option bound %s to BID 1" % A2)

    t.stop()
    wrpcap(argv[3], t.packets)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
