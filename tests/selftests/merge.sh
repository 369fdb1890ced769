#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# One entry per peer (lib_handover.sh): A opens connections to two
# addresses of multi-homed B at once, before B's first Binding Update,
# so A makes an entry for each. Once B's authenticated update lists both,
# A holds one entry with both; then B loses both addresses, and both
# connections go on. Each sends 50 MB from A to B, paced over 40 s (they
# must outlast the merge and the losses on a loaded machine); data
# must arrive intact, and neither host may send or receive a reset.
#
# The merge gives no peer another's address: B, with its valid SA, lists
# the address of V, a third host A sends to; A tests it, V does not echo,
# and the address stays in V's entry while A's transfer to V goes on.

set -e
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_handover.sh"

require_module
require_cmd hcctl hckeyd jq python3 nft
nsv=$hc_prefix-v

# entries_of NS: NS's foreign entries, one line each: its addresses.
entries_of() {
	hcctl -n "$1" -j foreign | jq -r '.[] | [.addrs[].addr] | sort | join(" ")'
}

# hold_updates / release_updates: B's Mobility Header packets to A (its
# updates and acknowledgments, bare or under AH) are dropped, or no
# longer: both connections start before A hears from B, however late
# the second client starts; B's retransmissions follow the release,
# which comes as soon as A has an entry for each address, so that B's
# back-off stays short.
hold_updates() {
	nb nft -f - <<-EOF
	table ip6 hc_hold {
		chain out {
			type filter hook output priority 0;
			ip6 nexthdr { ah, 135 } drop
		}
	}
	EOF
}
release_updates() { nb nft delete table ip6 hc_hold; }

setup
ip -n "$nsb" addr add fd00::22/64 dev veth-b nodad
na ping -6 -c 1 -W 2 fd00::22 > /dev/null || fail "A cannot reach fd00::22"
hold_updates
for port in 5001 5002; do
	nb $xfer serve "$port" > "$out.recv.$port" 2> "$out.gaps.$port" &
	eval "server_$port=$!"
	listening "$nsb" tcp "$port" || fail "B's server on $port did not start"
done
na timeout 120 $xfer send fd00::2 5001 "$size" 40 > "$out.sent.5001" 2>&1 &
client_5001=$!
na timeout 120 $xfer send fd00::22 5002 "$size" 40 > "$out.sent.5002" 2>&1 &
client_5002=$!
wait_until 20 '[ "$(hcctl -n "$nsa" -j stats | jq .learned)" = 2 ]' ||
	fail "A did not make an entry for each address: $(entries_of "$nsa" | tr '\n' '|')"
release_updates
flowing "$nsb" 5001 && flowing "$nsb" 5002 || fail "no data reached B"
wait_until 20 '[ "$(entries_of "$nsa")" = "fd00::2 fd00::22" ]' ||
	fail "A's entries for B: '$(entries_of "$nsa" | tr '\n' '|')', not one with both addresses; A's counters: $(hcctl -n "$nsa" -j stats | jq -c .); A's key daemon: $(cat "$keyd_log.$nsa"); B's: $(cat "$keyd_log.$nsb"); B: $(hcctl -n "$nsb" -j foreign)"
[ "$(hcctl -n "$nsa" -j stats | jq .addrs_moved)" -ge 1 ] ||
	fail "A merged without moving an address: $(hcctl -n "$nsa" -j stats | jq -c .)"
pass "A holds one entry for B with both addresses ($(hcctl -n "$nsa" -j stats | jq .addrs_moved) moved after a test)"
ip -n "$nsb" addr add fd00::b1/64 dev veth-b nodad
known "$nsa" fd00::b1 || fail "A did not learn fd00::b1"
ip -n "$nsb" addr del fd00::2/64 dev veth-b
ip -n "$nsb" addr del fd00::22/64 dev veth-b
gone "$nsb" fd00::2
gone "$nsb" fd00::22
flowing "$nsb" 5001 && flowing "$nsb" 5002 || fail "no data after B's losses"
end_tcp 5001 "connection to fd00::2"
end_tcp 5002 "connection to fd00::22"
finish "two connections to two addresses of B, opened before B's first update"

# B claims V's address.
setup
trap 'ip netns del "$nsv" 2> /dev/null || true; cleanup_handover' EXIT
add_host "$nsv" "$nsa" veth-v fd01::1 veth-w fd01::2
start_tcp fd00::2 5001
ip netns exec "$nsv" $xfer serve 5003 > "$out.recv.v" &
server_v=$!
listening "$nsv" tcp 5003 || fail "V's server did not start"
na timeout 90 $xfer send fd01::2 5003 20000000 15 > "$out.sent.v" 2>&1 &
client_v=$!
flowing "$nsv" 5003 || fail "no data reached V"
failed=$(hcctl -n "$nsa" -j stats | jq .tests_failed)
status=$(nb python3 "$here/mhsend.py" bind fd00::2 fd00::1 fd01::2 | cut -d' ' -f1)
log "A answered B's update that lists V's address with status $status"
wait_until 15 '[ "$(hcctl -n "$nsa" -j stats | jq .tests_failed)" -gt "$failed" ]' ||
	fail "A did not give up testing V's address: $(hcctl -n "$nsa" -j stats | jq -c .)"
entries_of "$nsa" | grep -qx fd01::2 ||
	fail "V's address left V's entry: $(entries_of "$nsa" | tr '\n' '|')"
[ "$(hcctl -n "$nsa" -j stats | jq .addrs_moved)" = 0 ] ||
	fail "A moved an address: $(hcctl -n "$nsa" -j stats | jq -c .)"
reap "$client_v" "$server_v"
[ -n "$(cat "$out.sent.v")" ] && [ "$(cat "$out.sent.v")" = "$(cat "$out.recv.v")" ] ||
	fail "the transfer to V broke: A sent '$(cat "$out.sent.v")', V got '$(cat "$out.recv.v")'"
pass "B's claim on V's address failed its test; the address stays V's, the transfer to V is intact"
end_tcp 5001 "transfer to B beside the claim"
finish "transfer to B beside the claim"
