#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Connections survive address changes, end to end. A and B learn each
# other from the traffic itself: A's first SYN gives A an entry for B; once
# the handshake completes A trusts it and sends its Initial Binding Update,
# B answers and sends its own (draft 2.1.1, 2.1.2). No entry is made by
# hand. Each case sends 50 MB from A to B over TCP, paced over 12 s,
# while hosts move: a new address comes, the peer learns it, the old one
# goes and leads nowhere. The data B received must hash the same as what A
# sent, and neither host may send or receive a reset.
#
# Every Binding Update and Acknowledgment goes under AH: the key daemon
# runs in both hosts and sets up the SAs when A's module asks for them
# (the test switch stays off).

set -e
. "$(dirname "$0")/lib.sh"

require_module
require_cmd hcctl hckeyd jq python3 tshark ethtool
here=$(dirname "$0")
xfer="python3 $here/tcpxfer.py"
udp="python3 $here/udpflow.py"
size=50000000
out=${TMPDIR:-/tmp}/handover.$$
trap 'rm -f "$out".* "$keyd_log".*; cleanup_two_hosts' EXIT

setup() {
	setup_two_hosts
	start_keyd "$nsa"
	start_keyd "$nsb"
	na ping -6 -c 1 -W 2 fd00::2 > /dev/null || fail "A cannot reach B"
	rst_a=0 rst_b=0
}

peer_of() { [ "$1" = "$nsa" ] && echo "$nsb" || echo "$nsa"; }

# state NS ADDR: the state of ADDR in NS's Host Cache, if it is there.
state() {
	hcctl -n "$1" -j foreign |
		jq -r --arg a "$2" '.[]?.addrs[] | select(.addr == $a) | .state'
}

# known NS ADDR: wait up to 5 s for ADDR to be valid in NS's Host Cache.
known() {
	local i
	for i in $(seq 50); do
		[ "$(state "$1" "$2")" = valid ] && return 0
		sleep 0.1
	done
	return 1
}

# gone NS OLD: OLD, an address NS lost, leads nowhere from its peer: the
# peer's neighbour entry for it points at no one (as if NS had left that
# network; else the kernel still takes packets for a deleted address on a
# connected socket).
gone() {
	if [ "$1" = "$nsa" ]; then
		nb ip neigh replace "$2" lladdr 02:00:00:00:00:99 dev veth-b nud permanent
	else
		na ip neigh replace "$2" lladdr 02:00:00:00:00:99 dev veth-a nud permanent
	fi
}

# move NS DEV OLD NEW: NS gains NEW, its peer learns it, NS loses OLD.
move() {
	ip -n "$1" addr add "$4/64" dev "$2" nodad
	known "$(peer_of "$1")" "$4" ||
		fail "$(peer_of "$1") did not learn $4 (state '$(state "$(peer_of "$1")" "$4")')"
	ip -n "$1" addr del "$3/64" dev "$2"
	gone "$1" "$3"
}

# resets NS: TCP resets sent and connections reset, in NS.
resets() {
	ip netns exec "$1" awk '/^Tcp:/ { if (!n++) { for (i = 1; i <= NF; i++) f[$i] = i } else print $f["OutRsts"] + $f["EstabResets"] }' /proc/net/snmp
}

# start_tcp DST PORT: A starts sending $size bytes to B at DST.
start_tcp() {
	nb $xfer serve "$2" > "$out.recv.$2" 2>&1 &
	eval "server_$2=$!"
	listening "$nsb" tcp "$2" || fail "B's server did not start"
	na timeout 90 $xfer send "$1" "$2" "$size" 12 > "$out.sent.$2" 2>&1 &
	eval "client_$2=$!"
	sleep 1.5
}

# end_tcp PORT WHAT: the transfer on PORT must complete intact.
end_tcp() {
	local client server sent recv
	client=$(eval echo "\$client_$1")
	server=$(eval echo "\$server_$1")
	reap "$client" "$server"
	sent=$(cat "$out.sent.$1") recv=$(cat "$out.recv.$1")
	[ -n "$sent" ] && [ "$sent" = "$recv" ] ||
		fail "$2: A sent '$sent', B received '$recv'"
}

# finish WHAT: no reset on either host since setup (or since the
# baseline $rst_a, $rst_b); tear down.
finish() {
	local ra rb
	ra=$(($(resets "$nsa") - rst_a)) rb=$(($(resets "$nsb") - rst_b))
	[ "$ra" = 0 ] && [ "$rb" = 0 ] ||
		fail "$1: resets: A $ra, B $rb"
	[ "$(hcctl -n "$nsb" -j stats | jq .mh_authenticated)" -gt 0 ] ||
		fail "$1: no Binding Update reached B under AH"
	pass "$1: 50 MB intact, no reset"
	cleanup_two_hosts
}

# A moves, with a capture of the data packets at B.
setup
na ethtool -K veth-a gso on tso on tx on > /dev/null
nb tshark -q -i veth-b -s 128 -w "$out.pcap" -a duration:60 > "$out.tshark" 2>&1 &
capture=$!
# tshark is slow to start: wait until it captures the pings.
for i in $(seq 100); do
	na ping -6 -c 1 -W 1 fd00::2 > /dev/null || true
	[ "$(stat -c %s "$out.pcap" 2> /dev/null || echo 0)" -gt 400 ] && break
	sleep 0.2
done
# tshark itself makes connections on B's loopback that are reset.
sleep 1
rst_a=$(resets "$nsa") rst_b=$(resets "$nsb")
start_tcp fd00::2 5001
# entry_is NS ADDR FLAG: wait up to 5 s for ADDR's entry in NS to have FLAG.
entry_is() {
	local i
	for i in $(seq 50); do
		[ "$(hcctl -n "$1" -j foreign | jq -r --arg a "$2" \
			".[] | select(.addrs[0].addr == \$a) | .$3")" = true ] && return 0
		sleep 0.1
	done
	return 1
}
entry_is "$nsa" fd00::2 trusted && entry_is "$nsa" fd00::2 homeless ||
	fail "A's entry for B, made by the SYN, is not trusted and homeless: $(hcctl -n "$nsa" foreign)"
entry_is "$nsb" fd00::1 homeless ||
	fail "B did not learn A from A's Initial Binding Update: $(hcctl -n "$nsb" foreign)"
pass "entries made by the connection: A trusts B, both know the other is homeless"
move "$nsa" veth-a fd00::1 fd00::a1
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
end_tcp 5001 "B moves"
finish "B moves"

setup
start_tcp fd00::2 5001
move "$nsa" veth-a fd00::1 fd00::a1
sleep 1
move "$nsb" veth-b fd00::2 fd00::b1
end_tcp 5001 "A moves, then B"
finish "A moves, then B"

setup
start_tcp fd00::2 5001
move "$nsa" veth-a fd00::1 fd00::a1
sleep 1
move "$nsa" veth-a fd00::a1 fd00::a2
sleep 1
move "$nsa" veth-a fd00::a2 fd00::a3
end_tcp 5001 "A moves three times"
finish "A moves three times"

# A has two addresses from the start; the one the connection uses goes.
setup
ip -n "$nsa" addr add fd00::11/64 dev veth-a nodad
start_tcp fd00::2 5001
known "$nsb" fd00::11 || fail "B did not learn A's second address"
ip -n "$nsa" addr del fd00::1/64 dev veth-a
gone "$nsa" fd00::1
end_tcp 5001 "A multi-homed, loses one address"
finish "A multi-homed, loses one address"

# Two connections to two addresses of B; B then loses both.
setup
ip -n "$nsb" addr add fd00::22/64 dev veth-b nodad
start_tcp fd00::2 5001
known "$nsa" fd00::22 || fail "A did not learn B's second address"
start_tcp fd00::22 5002
ip -n "$nsb" addr add fd00::b1/64 dev veth-b nodad
known "$nsa" fd00::b1 || fail "A did not learn fd00::b1"
ip -n "$nsb" addr del fd00::2/64 dev veth-b
ip -n "$nsb" addr del fd00::22/64 dev veth-b
gone "$nsb" fd00::2
gone "$nsb" fd00::22
end_tcp 5001 "connection to fd00::2"
end_tcp 5002 "connection to fd00::22"
finish "two connections to two addresses of B"

# setup_soft: no checksum offload on either side: checksums are computed
# in software before the packet leaves and checked in software on arrival.
setup_soft() {
	setup
	na ethtool -K veth-a tx off > /dev/null
	nb ethtool -K veth-b tx off > /dev/null
}

setup_soft
start_tcp fd00::2 5001
move "$nsa" veth-a fd00::1 fd00::a1
move "$nsb" veth-b fd00::2 fd00::b1
end_tcp 5001 "both move, no checksum offload"
finish "both move, no checksum offload"

# udp_move WHAT SETUP [nocsum]: a connected UDP socket at A, answered by
# B, across A's move; B's server sees only A's first address.
udp_move() {
	local server client count answered last peers
	$2
	nb $udp serve 5003 $3 > "$out.udp.peers" 2>&1 &
	server=$!
	listening "$nsb" udp 5003 || fail "$1: B's server did not start"
	na $udp send fd00::2 5003 300 0.02 $3 > "$out.udp.sent" 2>&1 &
	client=$!
	# The flow is under way: B heard A and told A its addresses. (The
	# client takes a while to start on a busy machine.)
	wait_until 20 'grep -q fd00::1 "$out.udp.peers"' &&
		entry_is "$nsa" fd00::2 homeless ||
		fail "$1: the flow did not start: B saw '$(cat "$out.udp.peers")'"
	sleep 1
	move "$nsa" veth-a fd00::1 fd00::a1
	wait "$client" || true
	wait "$server" || true
	read -r count answered last < "$out.udp.sent" ||
		fail "$1: no result: $(cat "$out.udp.sent")"
	peers=$(tr '\n' ' ' < "$out.udp.peers")
	[ "$last" -ge $((count / 3 * 9 / 10)) ] ||
		fail "$1: $answered of $count answered, $last of the last third"
	[ "$peers" = "fd00::1 " ] || fail "$1: B's socket saw '$peers'"
	pass "$1: $answered of $count answered, $last of the last $((count / 3)); B's socket saw only fd00::1"
	cleanup_two_hosts
}
udp_move "UDP, connected socket, A moves" setup
udp_move "UDP, no checksum offload, A moves" setup_soft
udp_move "UDP, zero checksum, A moves" setup nocsum

