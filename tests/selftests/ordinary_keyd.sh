#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What a homeless host costs an ordinary peer (lib_routed.sh). B runs no
# key daemon and its module is off, as a server on the Internet would.
# - For five minutes A opens a connection to B every 15 s; A forgets its
#   entry for B 5 s after its last use (default-lifetime 3 s, then
#   max-expired-lifetime 2 s), so the connections come through new
#   entries. A's key daemon asks B once: B's
#   kernel answers the I1 with an ICMPv6 Port Unreachable, and A leaves B
#   alone for ordinary-hold (an hour). A capture at B counts every
#   discovery datagram from A (key exchange on UDP 7456, Mobility Header,
#   AH): at most 3. Every connection works.
# - A moves (link 2 up, then link 1 down) while it sends on a connection
#   to B: toward an ordinary peer its packets leave as without the module,
#   all from the address the connection started from (B would reset a
#   connection from another), and B sends no reset.

set -e
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_handover.sh"
. "$(dirname "$0")/lib_routed.sh"

require_module
require_cmd hcctl hckeyd jq radvd tshark dumpcap /usr/bin/python3

rounds=20 every=15

setup_routed
server= capture= holder=
trap 'kill $server $capture $holder 2> /dev/null; cleanup_routed' EXIT
stop_keyd
start_keyd "$nsa"
hcctl -n "$nsb" param set enabled off
hcctl -n "$nsa" param set default-lifetime 3 max-expired-lifetime 2
ip netns exec "$nsb" /usr/bin/python3 -c "import socket, threading
def serve(c):
    while c.recv(4096):
        pass
    c.close()
s = socket.socket(socket.AF_INET6)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('::', 7100))
s.listen(64)
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()" &
server=$!
listening "$nsb" tcp 7100 || fail "B's server did not start"

pcap=$out.pcap
ip netns exec "$nsb" dumpcap -i eth0 -a duration:600 -w "$pcap" \
	-f "ip6 and (udp port 7456 or ip6 proto 135 or ip6 proto 51 or icmp6 or tcp port 7100)" \
	> "$out.dumpcap" 2>&1 &
capture=$!
wait_until 30 'grep -q Capturing "$out.dumpcap"' || fail "dumpcap did not start: $(cat "$out.dumpcap")"

for round in $(seq "$rounds"); do
	na /usr/bin/python3 -c "import socket
s = socket.create_connection(('$peer', 7100), 5)
s.sendall(b'x' * 1000)
s.close()" || fail "round $round: A could not connect to B"
	sleep "$every"
done
log "$SECONDS s: $rounds connections; A: $(hcctl -n "$nsa" -j stats | jq -c '{created, acquires, spared}')"

ip netns exec "$nsa" /usr/bin/python3 -c "import socket, time
s = socket.create_connection(('$peer', 7100), 5)
while True:
    s.sendall(b'x' * 100)
    time.sleep(0.5)" > /dev/null 2>&1 &
holder=$!
sleep 2
ip -n "$nsa" link set acc2 up
wait_until 15 '[ -n "$(global_addr "$nsa" acc2 2001:db8:2:)" ]' ||
	fail "A got no address on link 2: $(ip -n "$nsa" -6 addr show dev acc2)"
moved=$(date +%s.%N)
ip -n "$nsa" link set acc1 down
log "$SECONDS s: A moved to $(global_addr "$nsa" acc2 2001:db8:2:)"
sleep 10
kill "$holder" "$capture"
wait "$capture" 2> /dev/null || true

# count FILTER: packets of the capture that match FILTER. ICMPv6 errors
# quote packets, whose fields a filter would match too: they are left out.
count() { tshark -r "$pcap" -Y "!icmpv6 && $1" 2> /dev/null | wc -l; }
discovery=$(count "ipv6.dst == $peer && (udp.dstport == 7456 || mipv6 || ah)")
refused=$(tshark -r "$pcap" -Y "ipv6.src == $peer && icmpv6.type == 1 && icmpv6.code == 4" 2> /dev/null | wc -l)
[ "$discovery" -ge 1 ] && [ "$refused" -ge 1 ] ||
	fail "no discovery seen: $discovery datagrams from A, $refused Port Unreachable from B ($(grep exchange "$keyd_log.$nsa"))"
[ "$discovery" -le 3 ] ||
	fail "$rounds connections in $((rounds * every)) s cost B $discovery discovery datagrams: $(tshark -r "$pcap" -Y "!icmpv6 && ipv6.dst == $peer && (udp.dstport == 7456 || mipv6 || ah)" 2>&1 | head -n 20)"
stats=$(hcctl -n "$nsa" -j stats)
[ "$(jq .acquires <<< "$stats")" = 1 ] && [ "$(jq .ordinary <<< "$stats")" = 1 ] &&
	[ "$(jq .created <<< "$stats")" -ge $((rounds / 2)) ] &&
	[ "$(jq .spared <<< "$stats")" -ge $(($(jq .created <<< "$stats") - 2)) ] ||
	fail "A: $(jq -c '{created, acquires, ordinary, spared}' <<< "$stats")"
pass "$rounds connections in $((rounds * every)) s through $(jq .created <<< "$stats") entries cost B $discovery discovery datagrams, answered by $refused Port Unreachable"

after="frame.time_epoch > $moved && tcp.dstport == 7100 && ipv6.dst == $peer"
from_a1=$(count "$after && ipv6.src == $a1")
others=$(count "$after && !(ipv6.src == $a1)")
resets=$(count "ipv6.src == $peer && tcp.flags.reset == 1")
[ "$from_a1" -ge 1 ] && [ "$others" = 0 ] && [ "$resets" = 0 ] ||
	fail "after A's move: $from_a1 packets from $a1, $others from other sources, $resets resets from B"
pass "after A's move, its $from_a1 packets to B left from $a1, as without the module; B reset nothing"
