#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A move while the SYN is in flight (lib_routed.sh): A and B know each
# other from a first connection. A opens a second one; R loses B's
# SYN-ACKs to link 1, so the handshake is still open when A moves to
# link 2 (SLAAC, DAD; link 1 goes down once the new address is usable).
# The handshake must complete from A's new address, under the first
# address as the connection's identifier, and the transfer arrive intact,
# with no reset on either host.
#
# UDP has no handshake: a datagram in flight during a move is a lost
# datagram, which the UDP cases of break_make.sh and outage.sh cover.

set -e
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_handover.sh"
. "$(dirname "$0")/lib_routed.sh"

require_module
require_cmd hcctl hckeyd jq python3 radvd nft

syn_sent() {
	na ss -Htn state syn-sent "( dport = :$1 )" | grep -q .
}

setup_routed
size=2000000
start_tcp "$peer" 7001 10
end_tcp 7001 "TCP, the first connection"

nr nft -f - <<-EOF
table ip6 hc_test {
	chain forward {
		type filter hook forward priority 0;
		ip6 daddr 2001:db8:1::/64 tcp flags & (syn | ack) == syn | ack counter drop
	}
}
EOF
nb $xfer serve 7002 > "$out.recv.7002" 2> "$out.gaps.7002" &
server_7002=$!
listening "$nsb" tcp 7002 || fail "B's server did not start"
na timeout 120 $xfer send "$peer" 7002 "$size" 5 > "$out.sent.7002" 2>&1 &
client_7002=$!
wait_until 10 'syn_sent 7002' || fail "A's connection is not in SYN-SENT"
ip -n "$nsa" link set acc2 up
wait_until 15 '[ -n "$(global_addr "$nsa" acc2 2001:db8:2:)" ]' ||
	fail "A got no address on link 2: $(ip -n "$nsa" -6 addr show dev acc2)"
syn_sent 7002 || fail "the handshake ended before the move"
ip -n "$nsa" link set acc1 down
log "$SECONDS s: A moved to $(global_addr "$nsa" acc2 2001:db8:2:) with the handshake open"
end_tcp 7002 "TCP, a move while the SYN is in flight"
dropped=$(nr nft list table ip6 hc_test | awk '/counter/ { print $(NF - 3) }')
[ "$dropped" -gt 0 ] || fail "R lost no SYN-ACK"
ra=$(($(resets "$nsa") - rst_a)) rb=$(($(resets "$nsb") - rst_b))
[ "$ra" = 0 ] && [ "$rb" = 0 ] || fail "a move while the SYN is in flight: resets: A $ra, B $rb"
pass "TCP, a move while the SYN is in flight: R lost $dropped SYN-ACKs, then $((size / 1000000)) MB intact, no reset"
