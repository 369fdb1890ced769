#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Interoperability with Mobility Header code nobody here wrote: Scapy
# builds Binding Updates, which B processes as RFC 6275, RFC 5648 and the
# draft say (mh_interop.py checks each answer and B's Host Cache), answers
# B's own updates, which follow what the answers say, as
# does what a standard mobile node sends a correspondent (Home and Care-of
# Test Init, a Home Address option: Binding Errors 2, 2 and 1), and
# tshark decodes every answer B sent as a valid Mobility Header message
# with the expected fields and no malformed-packet or expert warning.

set -e
. "$(dirname "$0")/lib.sh"

require_module
require_cmd hcctl tshark /usr/bin/python3
/usr/bin/python3 -c 'import scapy.layers.inet6' 2> /dev/null || {
	log "SKIP: python3-scapy not installed"
	exit $ksft_skip
}
setup_two_hosts
ip -n "$nsa" addr add fd00::3/64 dev veth-a nodad
ip -n "$nsb" addr add fd00::22/64 dev veth-b nodad
nb hcctl param set accept-unauthenticated on
[ "$(hcctl -n "$nsb" -j param | jq .accept_unauthenticated)" = true ] ||
	fail "the switch does not show in hcctl param"
pcap=${TMPDIR:-/tmp}/mh_interop.$$.pcap
trap 'rm -f "$pcap"; cleanup_two_hosts' EXIT

# Resolve the neighbours first: packets queued for resolution may be lost.
na ping -6 -c 1 -W 2 fd00::2 > /dev/null || fail "A cannot reach B"
na ping -6 -c 1 -W 2 -I fd00::3 fd00::2 > /dev/null || fail "fd00::3 cannot reach B"
na /usr/bin/python3 "$(dirname "$0")/mh_interop.py" veth-a "$nsb" "$pcap"

# type;BA status;sequence;BIDs;BE status;expert severities;malformed
want="6;0;1;1;;;
6;0;2;2;;;
6;0;3;2;;;
6;135;3;;;;
6;135;3;0;;;
6;133;4;9;;;
6;164;4;0;;;
6;164;4;3;;;
6;164;4;;;;
6;164;4;;;;
6;164;4;;;;
6;164;4;;;;
6;164;4;;;;
6;164;4;;;;
6;0;4;3;;;
6;0;5;3;;;
6;0;6;;;;
6;168;1;1,2;;;
7;;;;2;;
7;;;;2;;
7;;;;2;;
7;;;;1;;
6;0;2;1;;;"
# B's own first updates to the homeless peer, and its tests of the
# addresses updates bound, are not answers.
got=$(tshark -r "$pcap" -Y "ipv6.src == fd00::2 && mip6.mhtype != 5 && mip6.mhtype != 0" \
	-T fields -E separator=';' \
	-E aggregator=, -e mip6.mhtype -e mip6.ba.status -e mip6.ba.seqnr \
	-e mip6.bi.bid -e mip6.be.status -e _ws.expert.severity \
	-e _ws.malformed 2> /dev/null)
[ "$got" = "$want" ] || fail "tshark decodes B's answers as
$got
expected
$want"
pass "tshark decodes all $(wc -l <<< "$got") answers B sent, fields as expected, no warning"

# Address tests: a Binding Refresh Request with an experimental option
# of 9 bytes, sub-type 3 and the nonce. Wireshark shows an experimental
# option's data two bytes short (it counts the type and length bytes in
# the length): the sub-type and six bytes of the nonce.
tests=$(tshark -r "$pcap" -Y "ipv6.src == fd00::2 && mip6.mhtype == 0" -T fields \
	-E separator=';' -e mip6.em.data -e _ws.expert.severity -e _ws.malformed 2> /dev/null)
[ -n "$tests" ] || fail "B sent no address test"
bad=$(grep -Ev '^03[0-9a-f]{12};;$' <<< "$tests" || true)
[ -z "$bad" ] || fail "tshark decodes B's address tests as
$tests"
pass "tshark decodes B's $(wc -l <<< "$tests") address tests: an experimental option, sub-type 3, an 8-byte nonce, no warning"

# Draft 2.1.2: a homeless peer's update makes B send its own, although no
# flow of B's uses the peer. Each send has a new sequence number (RFC 6275
# 11.7.1); after the peer's 168 it lists one BID, after a BA without BID
# options none (RFC 5648 5.7), then it is acknowledged (mh_interop.py).
own=$(tshark -r "$pcap" -Y "ipv6.src == fd00::2 && ipv6.dst == fd00::1 && mip6.mhtype == 5" \
	-T fields -E separator=';' -E aggregator=, -e mip6.bu.seqnr \
	-e mip6.bi.bid -e mip6.acoa.acoa -e _ws.malformed 2> /dev/null)
[ "$(wc -l <<< "$own")" -ge 5 ] || fail "B sent its own update $(wc -l <<< "$own") times:
$own"
forms=$(awk -F';' '{ print ($2 == "" ? 0 : split($2, b, ",")) "/" ($3 != "") $4 }' <<< "$own" |
	uniq | paste -sd' ')
[ "$forms" = "2/0 1/0 0/1" ] ||
	fail "B's updates (BIDs/Alternate Care-of Address): $forms, expected 2/0 1/0 0/1:
$own"
seqs=$(cut -d';' -f1 <<< "$own" | paste -sd' ')
awk '{ for (i = 2; i <= NF; i++) if (($i - $(i - 1) + 65536) % 65536 == 0 ||
	($i - $(i - 1) + 65536) % 65536 > 100) exit 1 }' <<< "$seqs" ||
	fail "B's updates are numbered $seqs"
pass "B sent its own update $(wc -l <<< "$own") times, numbered $seqs: two BIDs, then one, then none"

# The switch is per namespace and off by default.
[ "$(hcctl -n "$nsa" -j param | jq .accept_unauthenticated)" = false ] ||
	fail "accept-unauthenticated is not off by default"
nb hcctl param set accept-unauthenticated off
expect_fail "bad switch value" 'expected "on" or "off"' \
	nb hcctl param set accept-unauthenticated maybe
pass "accept-unauthenticated is per namespace, off by default"
