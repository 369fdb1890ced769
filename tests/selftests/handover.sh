#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# TCP connections survive address changes, end to end (lib_handover.sh).
# Each case sends 50 MB from A to B, paced over 12 s, while hosts move: a
# new address comes, the peer learns it, the old one goes and leads
# nowhere. Data must reach B after each move, what B received must hash
# the same as what A sent, and neither host may send or receive a reset. The first case also checks on
# the wire that the moved packets carry no extra header.

set -e
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_handover.sh"

require_module
require_cmd hcctl hckeyd jq python3 tshark dumpcap ethtool

# A moves, with a capture of the data packets at B.
setup
na ethtool -K veth-a gso on tso on tx on > /dev/null
nb dumpcap -i veth-b -s 128 -w "$out.pcap" -a duration:60 > "$out.dumpcap" 2>&1 &
capture=$!
# Wait until the capture has the pings.
wait_until 20 'na ping -6 -c 1 -W 1 fd00::2 > /dev/null;
	[ "$(stat -c %s "$out.pcap" 2> /dev/null || echo 0)" -gt 400 ]' ||
	fail "dumpcap did not start: $(cat "$out.dumpcap")"
rst_a=$(resets "$nsa") rst_b=$(resets "$nsb")
start_tcp fd00::2 5001
entry_is "$nsa" fd00::2 trusted && entry_is "$nsa" fd00::2 homeless ||
	fail "A's entry for B, made by the SYN, is not trusted and homeless: $(hcctl -n "$nsa" foreign)"
entry_is "$nsb" fd00::1 homeless ||
	fail "B did not learn A from A's Initial Binding Update: $(hcctl -n "$nsb" foreign)"
pass "entries made by the connection: A trusts B, both know the other is homeless"
move "$nsa" veth-a fd00::1 fd00::a1
flowing "$nsb" 5001 || fail "A moves: no data after the move"
end_tcp 5001 "A moves"
kill "$capture" 2> /dev/null || true
wait "$capture" || true
# Every data segment A sent: IPv6 header, then TCP at once; payload
# length is the TCP header and data, nothing else.
tshark -r "$out.pcap" -Y 'ipv6.src == fd00::a1 && tcp.len > 0' \
	-T fields -e ipv6.nxt -e ipv6.plen -e tcp.hdr_len -e tcp.len > "$out.fields"
n=$(wc -l < "$out.fields")
[ "$n" -ge 20 ] || fail "capture: only $n data packets from A's new address"
bad=$(awk '$1 != 6 || $2 != $3 + $4' "$out.fields" | head -3)
[ -z "$bad" ] || fail "capture: packets with more than IPv6 + TCP: $bad"
rst=$(tshark -r "$out.pcap" -Y 'tcp.flags.reset == 1' | wc -l)
[ "$rst" = 0 ] || fail "capture: $rst resets between A and B"
pass "capture: $n data packets from the new address, each a 40-byte IPv6 header then TCP; no reset"
finish "A moves"

setup
start_tcp fd00::2 5001
move "$nsb" veth-b fd00::2 fd00::b1
flowing "$nsb" 5001 || fail "B moves: no data after the move"
end_tcp 5001 "B moves"
finish "B moves"

setup
start_tcp fd00::2 5001
move "$nsa" veth-a fd00::1 fd00::a1
flowing "$nsb" 5001 || fail "A moves, then B: no data after A's move"
move "$nsb" veth-b fd00::2 fd00::b1
flowing "$nsb" 5001 || fail "A moves, then B: no data after B's move"
end_tcp 5001 "A moves, then B"
finish "A moves, then B"

setup
# Paced over 30 s: three moves take 20 s on a loaded machine, and the data
# must still come after the last.
start_tcp fd00::2 5001 30
move "$nsa" veth-a fd00::1 fd00::a1
flowing "$nsb" 5001 || fail "A moves three times: no data after the first move"
move "$nsa" veth-a fd00::a1 fd00::a2
flowing "$nsb" 5001 || fail "A moves three times: no data after the second move"
move "$nsa" veth-a fd00::a2 fd00::a3
flowing "$nsb" 5001 || fail "A moves three times: no data after the third move"
end_tcp 5001 "A moves three times"
finish "A moves three times"

setup_soft
start_tcp fd00::2 5001
move "$nsa" veth-a fd00::1 fd00::a1
move "$nsb" veth-b fd00::2 fd00::b1
flowing "$nsb" 5001 || fail "both move, no checksum offload: no data after the moves"
end_tcp 5001 "both move, no checksum offload"
finish "both move, no checksum offload"
