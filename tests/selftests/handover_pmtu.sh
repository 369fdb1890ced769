#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Path MTU discovery after a move: an ICMPv6 Packet Too Big about a
# rewritten packet quotes locators, and must reach the socket, which knows
# only identifiers. A and B talk through a router R; A moves from fd00::1
# to fd00::a1; then R's link to B shrinks to an MTU of 1280. R's Packet
# Too Big quotes A's packets from fd00::a1; A's module puts the identifiers
# back in the quoted header, A's socket learns the path MTU (1280) and the
# 20 MB transfer completes intact. The key daemons run in A and B.

set -e
. "$(dirname "$0")/lib.sh"

require_module
require_cmd hcctl hckeyd jq python3 ss
xfer="python3 $(dirname "$0")/tcpxfer.py"
nsr=$hc_prefix-r
out=${TMPDIR:-/tmp}/handover_pmtu.$$
cleanup() {
	rm -f "$out".*
	cleanup_two_hosts
	ip netns del "$nsr" 2> /dev/null || true
}
trap cleanup EXIT

ip netns add "$nsa"
ip netns add "$nsb"
ip netns add "$nsr"
for ns in "$nsa" "$nsb" "$nsr"; do
	ip -n "$ns" link set lo up
done
ip -n "$nsa" link add veth-a type veth peer name veth-ra netns "$nsr"
ip -n "$nsb" link add veth-b type veth peer name veth-rb netns "$nsr"
ip -n "$nsa" addr add fd00::1/64 dev veth-a nodad
ip -n "$nsr" addr add fd00::ff/64 dev veth-ra nodad
ip -n "$nsr" addr add fd01::ff/64 dev veth-rb nodad
ip -n "$nsb" addr add fd01::2/64 dev veth-b nodad
for l in "$nsa veth-a" "$nsb veth-b" "$nsr veth-ra" "$nsr veth-rb"; do
	set -- $l
	ip -n "$1" link set "$2" up
done
ip netns exec "$nsr" sysctl -q -w net.ipv6.conf.all.forwarding=1
ip -n "$nsa" route add default via fd00::ff
ip -n "$nsb" route add default via fd01::ff
start_keyd "$nsa"
start_keyd "$nsb"
na ping -6 -c 1 -W 2 fd01::2 > /dev/null || fail "A cannot reach B through R"

# The receiver's pauses (stderr) are not part of what it received.
nb $xfer serve 5001 > "$out.recv" 2> "$out.gaps" &
server=$!
listening "$nsb" tcp 5001 || fail "B's server did not start"
# Paced over 30 s: on a loaded machine the setup, the move and the MTU's
# fall take 20 s, and the data must still come after them.
na timeout 120 $xfer send fd01::2 5001 20000000 30 > "$out.sent" 2>&1 &
client=$!
flowing "$nsb" 5001 || fail "no data reached B"
wait_until 20 'homeless "$nsa" && homeless "$nsb"' ||
	fail "the hosts do not know each other as homeless"

ip -n "$nsa" addr add fd00::a1/64 dev veth-a nodad
# A's update, under AH, tells B before the old address goes.
wait_for 'hcctl -n "$nsb" -j foreign | jq -e ".[]?.addrs[] |
	select(.addr == \"fd00::a1\" and .state == \"valid\")" > /dev/null' ||
	fail "B did not learn fd00::a1: $(hcctl -n "$nsb" foreign)"
ip -n "$nsa" addr del fd00::1/64 dev veth-a
ip -n "$nsr" neigh replace fd00::1 lladdr 02:00:00:00:00:99 dev veth-ra nud permanent
# Data flows from the new address before the path's MTU falls.
flowing "$nsb" 5001 || fail "no data reached B after A's move"
ip -n "$nsr" link set veth-rb mtu 1280
flowing "$nsb" 5001 || fail "no data reached B after the MTU fell"

reap "$client" "$server"
sent=$(cat "$out.sent") recv=$(cat "$out.recv")
[ -n "$sent" ] && [ "$sent" = "$recv" ] ||
	fail "A sent '$sent', B received '$recv' ($(cat "$out.gaps"))"
toobig=$(na awk '$1 == "Icmp6InPktTooBigs" { print $2 }' /proc/net/snmp6)
[ "$toobig" -gt 0 ] || fail "A received no Packet Too Big"
mtu=$(na ip -6 route get fd01::2 | grep -o 'mtu [0-9]*' || true)
[ "$mtu" = "mtu 1280" ] ||
	fail "A's route to fd01::2 has '$mtu', not mtu 1280"
[ "$(hcctl -n "$nsb" -j stats | jq .mh_authenticated)" -gt 0 ] ||
	fail "no Binding Update reached B under AH"
pass "Packet Too Big about fd00::a1 reached the socket of fd00::1: $toobig received, path MTU 1280, 20 MB intact"
