#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Both hosts break before make at once, and one returns to an address it
# had (lib_routed.sh). While A sends to B, B is renumbered to
# 2001:db8:101::2 and A learns it; B's first address stays in A's cache
# as expired. Then at the same moment A's link 1 goes down (A comes up
# on link 2, SLAAC and DAD) and B drops 2001:db8:101::2 and takes its
# first address back. Each update goes to the address the other has
# left. A's retries then look for B at each address of B's entry, the
# expired one too, and find it: the transfer completes intact, with no
# reset on either host. Without that search neither host would hear of
# the other again.

set -e
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_handover.sh"
. "$(dirname "$0")/lib_routed.sh"

require_module
require_cmd hcctl hckeyd jq python3 radvd

setup_routed
b_may_move
size=4000000
start_tcp "$peer" 7001 40
move_b "$peer" 2001:db8:101::2
wait_until 10 '[ "$(state "$nsa" "$peer")" = expired ]' ||
	fail "A's cache does not hold B's first address as expired: $(hcctl -n "$nsa" foreign)"

ip -n "$nsa" link set acc1 down &
a_down=$!
nb ip addr del 2001:db8:101::2/64 dev eth0
nb ip addr add "$peer/64" dev eth0
wait "$a_down"
ip -n "$nsa" link set acc2 up
wait_until 15 '[ -n "$(global_addr "$nsa" acc2 2001:db8:2:)" ] && settled "$nsb"' ||
	fail "the hosts got no new addresses: A $(ip -n "$nsa" -6 addr show dev acc2), B $(ip -n "$nsb" -6 addr show dev eth0)"
a2=$(global_addr "$nsa" acc2 2001:db8:2:)
log "$SECONDS s: A moved to $a2 and B back to $peer, at once"

end_tcp 7001 "both jumped"
log "TCP: B received nothing for $(stall_of 7001) ms at most"
[ "$(state "$nsa" "$peer")" = valid ] || fail "A's cache holds B's $peer as '$(state "$nsa" "$peer")'"
ra=$(($(resets "$nsa") - rst_a)) rb=$(($(resets "$nsb") - rst_b))
[ "$ra" = 0 ] && [ "$rb" = 0 ] || fail "resets: A $ra, B $rb"
pass "both hosts jumped at once, B back to an address A had: $((size / 1000000)) MB intact, no reset"
