#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The per-namespace switch, hcctl param set enabled on|off: off, B behaves
# as without the module.
# - B's hooks go: a connection it opens makes no entry (the hooks make
#   one for the peer of a SYN), as it does once B is on again;
# - a Binding Update to B gets an ICMPv6 Parameter Problem, code 1
#   (unrecognized Next Header), pointing at the Next Header field, as a
#   kernel without a Mobility Header handler sends, captured by tshark on
#   A's side, and counted in B's Ip6InUnknownProtos; the module counts
#   nothing;
# - B's foreign entries and flows are forgotten, and a new entry is
#   refused with an extack message; a bad value changes nothing;
# - a namespace made while the module parameter default_enabled is off
#   starts off;
# - on again, once A has forgotten B too, a new connection B opens
#   survives a move of each end (key daemons, AH): nothing of the old
#   state is in the way.

set -e
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_handover.sh"

require_module
require_cmd hcctl hckeyd jq tshark dumpcap /usr/bin/python3
default=/sys/module/hostcache/parameters/default_enabled
nsx=$hc_prefix-x

created() { hcctl -n "$1" -j stats | jq .created; }

# learns NS DST: NS's module makes an entry when NS opens a connection
# to DST, port 7100, where a server listens ($listener). (The kernel
# lists no hooks: CONFIG_NETFILTER_NETLINK_HOOK is off.)
learns() {
	local learn_ns=$1 before
	before=$(created "$1")
	ip netns exec "$1" /usr/bin/python3 -c "import socket; socket.create_connection(('$2', 7100), 5).close()" ||
		fail "$1 could not connect to $2"
	wait_until 2 '[ "$(created "$learn_ns")" -gt "$before" ]'
}

enabled() { hcctl -n "$1" -j param | jq .enabled; }

# received_mh NS: the Mobility Header packets NS's module counted.
received_mh() { hcctl -n "$1" -j stats | jq .mh_received; }

unknown_protos() {
	ip netns exec "$1" awk '$1 == "Ip6InUnknownProtos" { print $2 }' /proc/net/snmp6
}

setup_two_hosts
listener=
trap 'kill "$listener" 2> /dev/null; echo "$saved" > "$default"; ip netns del "$nsx" 2> /dev/null || true; cleanup_handover' EXIT
saved=$(cat "$default")
[ "$(enabled "$nsb")" = true ] || fail "a new namespace is off: $(hcctl -n "$nsb" param)"
ip netns exec "$nsa" /usr/bin/python3 -c "import socket, time
s = socket.socket(socket.AF_INET6)
s.bind(('::', 7100))
s.listen(16)
time.sleep(600)" &
listener=$!
listening "$nsa" tcp 7100 || fail "A's server did not start"
learns "$nsb" fd00::1 || fail "B made no entry for A while on"
hcctl -n "$nsb" foreign add fd00::99 > /dev/null
expect_fail "a bad value" "" hcctl -n "$nsb" param set enabled maybe
[ "$(enabled "$nsb")" = true ] || fail "a bad value switched B off"
counters=$(hcctl -n "$nsb" -j stats | jq '.entries + .removed')
hcctl -n "$nsb" param set enabled off max-entries 100
[ "$(enabled "$nsb")" = false ] || fail "B is still on"
[ "$(hcctl -n "$nsb" -j param | jq .max_entries)" = 100 ] ||
	fail "the other parameter of the request was not applied"
[ "$(hcctl -n "$nsb" -j foreign | jq length)" = 0 ] ||
	fail "B kept its entries: $(hcctl -n "$nsb" foreign)"
[ "$(hcctl -n "$nsb" -j stats | jq .removed)" = "$counters" ] ||
	fail "B did not count its entries removed: $(hcctl -n "$nsb" -j stats | jq -c '{entries, removed}')"
! learns "$nsb" fd00::1 || fail "B made an entry for A while off"
expect_fail "a new entry while off" "off in this namespace" \
	hcctl -n "$nsb" foreign add fd00::98
pass "off: no hooks, no entries, none added"

# A Binding Update to B while off, and the answer on the wire.
na ping -6 -c 1 -W 2 fd00::2 > /dev/null || fail "A cannot reach B"
pcap=$out.pcap
ip netns exec "$nsa" dumpcap -i veth-a -f icmp6 -a duration:10 -w "$pcap" > "$out.log" 2>&1 &
capture=$!
wait_until 30 'grep -q Capturing "$out.log"' || fail "dumpcap did not start: $(cat "$out.log")"
mh=$(received_mh "$nsb") unknown=$(unknown_protos "$nsb")
na /usr/bin/python3 "$here/mhsend.py" fd00::1 fd00::2 bu
wait_until 5 '[ "$(unknown_protos "$nsb")" -gt "$unknown" ]' ||
	fail "B did not count an unknown protocol: $(unknown_protos "$nsb")"
wait "$capture" || fail "dumpcap failed: $(cat "$out.log")"
# ipv6.nxt: the ICMPv6 packet's own (58), then the quoted one's (135).
problem=$(tshark -r "$pcap" -Y 'icmpv6.type == 4 && ipv6.src == fd00::2' \
	-T fields -e icmpv6.code -e icmpv6.pointer -e ipv6.nxt | tail -n 1)
[ "$problem" = "1	6	58,135" ] ||
	fail "B's answer to a Binding Update while off: '$problem', not code 1, pointer 6, about Mobility Header ($(tshark -r "$pcap" 2>&1))"
[ "$(received_mh "$nsb")" = "$mh" ] || fail "B's module counted the packet"
pass "off: a Binding Update gets a Parameter Problem, unrecognized Next Header at offset 6"

hcctl -n "$nsb" param set enabled on
learns "$nsb" fd00::1 || fail "B's hooks did not come back"
hcctl -n "$nsb" foreign add fd00::98 > /dev/null
pass "on again: hooks and entries"
kill "$listener" 2> /dev/null || true
cleanup_handover

# The default of new namespaces.
echo N > "$default"
ip netns add "$nsx"
[ "$(enabled "$nsx")" = false ] ||
	fail "a namespace made with default_enabled off is on"
expect_fail "a new entry in it" "off in this namespace" \
	hcctl -n "$nsx" foreign add fd00::98
echo "$saved" > "$default"
ip netns del "$nsx"
pass "a namespace made with default_enabled off starts off"

# Off and on again under a connection's state; then a new connection
# survives both ends' moves.
setup
start_tcp fd00::2 5001
end_tcp 5001 "before the switch"
[ "$(hcctl -n "$nsb" -j foreign | jq length)" -ge 1 ] ||
	fail "B has no entry for A"
hcctl -n "$nsb" param set enabled off
[ "$(hcctl -n "$nsb" -j stats | jq .flows)" = 0 ] ||
	fail "B kept flows: $(hcctl -n "$nsb" -j stats | jq .flows)"
hcctl -n "$nsb" param set enabled on
# B has forgotten A, and its key daemon dropped their SAs with the entry.
# A's daemon refuses a new exchange while A's entry for B has SAs that
# were used (so that no one else can replace them): A must forget B too
# before they can talk under AH again. Then B, opening a connection,
# learns A again, and the daemons key the pair anew.
hcctl -n "$nsa" foreign del fd00::2
na $xfer serve 5002 > "$out.recv.5002" 2> "$out.gaps.5002" &
server_5002=$!
listening "$nsa" tcp 5002 || fail "A's server did not start"
nb timeout 90 $xfer send fd00::1 5002 "$size" 12 > "$out.sent.5002" 2>&1 &
client_5002=$!
flowing "$nsa" 5002 || fail "no data reached A on B's new connection"
wait_until 20 'homeless "$nsa" && homeless "$nsb"' ||
	fail "the hosts do not know each other as homeless again: A $(hcctl -n "$nsa" foreign), B $(hcctl -n "$nsb" foreign); B's counters $(hcctl -n "$nsb" -j stats | jq -c .); B's key daemon: $(tail -n 5 "$keyd_log.$nsb")"
move "$nsa" veth-a fd00::1 fd00::a1
flowing "$nsa" 5002 || fail "no data after A's move"
move "$nsb" veth-b fd00::2 fd00::b1
flowing "$nsa" 5002 || fail "no data after B's move"
end_tcp 5002 "after off and on"
finish "a connection after B was off and on again, both ends move"
