#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Break before make (lib_routed.sh): while A sends to B from its address
# on link 1, link 1 goes down, and a second later link 2 comes up; A
# takes an address there by SLAAC, with DAD. R loses A's first Binding
# Update from there. A must not send from the new address before B
# accepted it (draft 2.2.1: a packet from an address B does not know
# reaches no socket, and B answers it with a reset): the connection
# survives, its data intact, and neither host sends or takes a reset,
# and every acknowledgment reaches A under AH.
# Then the same for a UDP flow (a connected socket on A, an echo server
# on B), which must see only A's first address. Reports the stall: the
# longest time B received nothing.

set -e
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_handover.sh"
. "$(dirname "$0")/lib_routed.sh"

require_module
require_cmd hcctl hckeyd jq python3 radvd nft

# lose_first_update: R drops the first AH packet from each address of
# link 2's prefix (an update: A's SAs are keyed by B's address, whatever
# A's source) and lets the others through. lost: how many R dropped.
lose_first_update() {
	nr nft -f - <<-EOF
	table ip6 hc_test {
		set seen {
			type ipv6_addr
			flags dynamic
		}
		chain forward {
			type filter hook forward priority 0;
			ip6 saddr 2001:db8:2::/64 ip6 nexthdr ah ip6 saddr @seen accept
			ip6 saddr 2001:db8:2::/64 ip6 nexthdr ah add @seen { ip6 saddr } counter drop
		}
	}
	EOF
}
lost() { nr nft list table ip6 hc_test | awk '/counter/ { print $(NF - 3) }'; }

# break_make: link 1 goes down (at $down_at); a second later (at $up_at)
# link 2 comes up and A gets an address there. Sets $a2.
break_make() {
	down_at=$(date +%s%N)
	ip -n "$nsa" link set acc1 down
	sleep 1
	up_at=$(date +%s%N)
	ip -n "$nsa" link set acc2 up
	wait_until 15 '[ -n "$(global_addr "$nsa" acc2 2001:db8:2:)" ]' ||
		fail "A got no address on link 2: $(ip -n "$nsa" -6 addr show dev acc2)"
	a2=$(global_addr "$nsa" acc2 2001:db8:2:)
	log "$SECONDS s: A moved from $a1 to $a2, usable $((($(date +%s%N) - up_at) / 1000000)) ms after link 2 came up"
}

setup_routed
size=6000000
start_tcp "$peer" 7001 25
sleep 2
lose_first_update
break_make
end_tcp 7001 "TCP, break before make"
[ "$(lost)" = 1 ] || fail "R lost $(lost) updates from link 2, not 1"
log "TCP: B received nothing for $(stall_of 7001) ms at most, and new data $(resumed_after 7001 "$up_at") ms after link 2 came up; A held $(hcctl -n "$nsa" -j stats | jq .held) packets back"
usable_after "$up_at" 2001:db8:2:
report_stall "break-before-make, 1 s gap, first update lost" TCP "$(stall_of 7001)" \
	"$(goal_bbm $(((up_at - down_at) / 1000000)) "$usable" 1)" 7001
ra=$(($(resets "$nsa") - rst_a)) rb=$(($(resets "$nsb") - rst_b))
[ "$ra" = 0 ] && [ "$rb" = 0 ] || fail "TCP, break before make: resets: A $ra, B $rb"
# B acknowledged A's update from link 2 under AH: the acknowledgment
# waited for B's key daemon to cover A's new address, rather than leave
# without AH a moment before, which A ignores (it would learn that B
# accepted the address only from the address test's exchange, two round
# trips later).
# B gave none up: xfrm told the module of the daemon's new policy.
unauth=$(hcctl -n "$nsa" -j stats | jq .mh_unauthenticated)
[ "$unauth" = 0 ] ||
	fail "TCP, break before make: A ignored $unauth Mobility Header messages without AH"
unsent=$(hcctl -n "$nsb" -j stats | jq .mh_send_failed)
[ "$unsent" = 0 ] ||
	fail "TCP, break before make: B failed to send $unsent Mobility Header messages"
pass "TCP, break before make: $((size / 1000000)) MB intact, no reset"

# UDP, from A's address on link 2: back to link 1 (a new address
# there), break before make again.
nb $udp serve 5003 idle=20 > "$out.udp.peers" 2>&1 &
server=$!
listening "$nsb" udp 5003 || fail "UDP: B's server did not start"
na $udp send "$peer" 5003 600 0.02 > "$out.udp.sent" 2>&1 &
client=$!
wait_until 20 'grep -q "$a2" "$out.udp.peers"' ||
	fail "UDP: the flow did not start: B saw '$(cat "$out.udp.peers")'"
down_at=$(date +%s%N)
ip -n "$nsa" link set acc2 down
sleep 1
ip -n "$nsa" link set acc1 address 02:00:00:00:01:02
up_at=$(date +%s%N)
ip -n "$nsa" link set acc1 up
wait_until 15 '[ -n "$(global_addr "$nsa" acc1 2001:db8:1:)" ]' ||
	fail "UDP: A got no address back on link 1"
wait "$client" || true
wait "$server" || true
usable_after "$up_at" 2001:db8:1:
udp_verdict "UDP, break before make" "$a2" \
	"$(goal_bbm $(((up_at - down_at) / 1000000)) "$usable")"
