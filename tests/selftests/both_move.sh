#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Both hosts move at once (lib_routed.sh): while A sends to B, twice, at
# the same moment A moves to another access link (SLAAC, DAD; its old
# link goes down once the new address is usable) and B is renumbered (a
# new address with DAD, then the old one goes). Each host's Binding
# Update goes to the address it knows of the other, while the other is
# moving too. A TCP transfer and a UDP flow (a connected socket on A, an
# echo server on B) run through both moves. The connection survives, its
# data intact, neither host sends or takes a reset, and B's UDP socket
# sees only A's first address. Reports the stall (the longest time B
# received nothing).
#
# Neither host keeps its old address until the other acknowledged the
# new one: each drops it as soon as its new one is usable. B's DAD ends
# before A's SLAAC does, so B's update reaches A on A's old link, and A's
# reaches B at B's new address. Had both lost their old addresses before
# either update arrived, no update could reach either host: without a
# rendezvous point the two cannot find each other (see the
# documentation).

set -e
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_handover.sh"
. "$(dirname "$0")/lib_routed.sh"

require_module
require_cmd hcctl hckeyd jq python3 radvd

# move_a FROM TO PREFIX: A's link TO comes up, A takes an address in
# PREFIX from it, then link FROM goes down.
move_a() {
	local from=$1 to=$2 prefix=$3
	ip -n "$nsa" link set "$to" up
	wait_until 15 '[ -n "$(global_addr "$nsa" "$to" "$prefix")" ]' ||
		{ log "A got no address on $to"; return 1; }
	ip -n "$nsa" link set "$from" down
	log "$SECONDS s: A moved to $(global_addr "$nsa" "$to" "$prefix")"
}

# move_b OLD NEW: B takes NEW (with DAD), then loses OLD.
move_b() {
	local old=$1 new=$2
	nb ip addr add "$new/64" dev eth0
	wait_until 5 'settled "$nsb"' || { log "B's $new stayed tentative"; return 1; }
	nb ip addr del "$old/64" dev eth0
	log "$SECONDS s: B moved to $new"
}

# both_move A_FROM A_TO A_PREFIX B_OLD B_NEW
both_move() {
	local mover
	move_a "$1" "$2" "$3" &
	mover=$!
	move_b "$4" "$5" || fail "B's move failed"
	wait "$mover" || fail "A's move failed"
}

setup_routed
b_may_move
size=10000000
start_tcp "$peer" 7001 30
nb $udp serve 5003 > "$out.udp.peers" 2>&1 &
server=$!
listening "$nsb" udp 5003 || fail "UDP: B's server did not start"
na $udp send "$peer" 5003 800 0.05 > "$out.udp.sent" 2>&1 &
client=$!
wait_until 20 'grep -q "$a1" "$out.udp.peers"' ||
	fail "UDP: the flow did not start: B saw '$(cat "$out.udp.peers")'"
sleep 1

both_move acc1 acc2 2001:db8:2: "$peer" 2001:db8:101::2
sleep 5
ip -n "$nsa" link set acc1 address 02:00:00:00:01:02
both_move acc2 acc1 2001:db8:1: 2001:db8:101::2 2001:db8:102::2

end_tcp 7001 "TCP, both move"
wait "$client" || true
wait "$server" || true
udp_verdict "UDP, both hosts move at once, twice" "$a1" "$rtt"
report_stall "both hosts move at once, twice" TCP "$(stall_of 7001)" "$rtt" 7001
ra=$(($(resets "$nsa") - rst_a)) rb=$(($(resets "$nsb") - rst_b))
[ "$ra" = 0 ] && [ "$rb" = 0 ] || fail "both move: resets: A $ra, B $rb"
pass "TCP, both hosts move at once, twice: $((size / 1000000)) MB intact, no reset; B received nothing for $(stall_of 7001) ms at most"
