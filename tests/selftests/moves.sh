#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Five moves in ten seconds (lib_routed.sh): while A sends to B, every
# two seconds a link of A's comes up with a new interface identifier (a
# new MAC), in turn link 2, 3, 1, 2, 3; A takes an address there by
# SLAAC, with DAD, and once it is usable, the links that came up before
# it go down. A starts DAD as soon as a link comes up (no random delay of
# up to router_solicitation_delay, 1 s), as a host that moves this often
# would. A TCP transfer and a UDP flow (a connected socket on A, an echo
# server on B) run through the moves. The connection survives, its
# data intact, neither host sends or takes a reset, and B's UDP socket
# sees only A's first address. Reports when each move ended and the
# stall (the longest time B received nothing).

set -e
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_handover.sh"
. "$(dirname "$0")/lib_routed.sh"

require_module
require_cmd hcctl hckeyd jq python3 radvd bc

is_up() { ip -n "$nsa" link show "$1" up | grep -q .; }

# rapid_move K DEV PREFIX: move K. At 2 (K - 1) s after $start, once DEV
# is down, DEV comes up with a new MAC; once it has a usable address in
# PREFIX, every link that came up for an earlier move goes down. Logs the
# move to $out.moves. A link's slot and state change under a lock: a
# later move may take the link up between an earlier move's reading of
# its slot and taking it down.
rapid_move() {
	local k=$1 dev=$2 prefix=$3 other slot addr up
	sleep "$(echo "$start + 2 * ($k - 1) - $(date +%s.%N)" | bc)" 2> /dev/null || true
	wait_until 10 '! is_up "$dev"' || { log "move $k: $dev stayed up"; return 1; }
	{
		flock 9
		ip -n "$nsa" link set "$dev" address "02:00:00:00:0$k:01"
		echo "$k" > "$out.slot.$dev"
		ip -n "$nsa" link set "$dev" up
	} 9> "$out.slots"
	up=$(echo "$(date +%s.%N) - $start" | bc | cut -c1-5)
	wait_until 15 '[ -n "$(global_addr "$nsa" "$dev" "$prefix")" ]' ||
		{ log "move $k: A got no address on $dev: $(ip -n "$nsa" -6 addr show dev "$dev")"; return 1; }
	addr=$(global_addr "$nsa" "$dev" "$prefix")
	{
		flock 9
		for other in acc1 acc2 acc3; do
			read -r slot < "$out.slot.$other" || continue
			[ "$slot" -ge "$k" ] || ip -n "$nsa" link set "$other" down
		done
	} 9> "$out.slots"
	echo "move $k: $dev up at $up s, $addr usable at $(echo "$(date +%s.%N) - $start" | bc | cut -c1-5) s" >> "$out.moves"
}

setup_routed
for n in 1 2 3; do
	na sysctl -qw "net.ipv6.conf.acc$n.router_solicitation_delay=0"
done
echo 0 > "$out.slot.acc1"
size=3000000
start_tcp "$peer" 7001 25
nb $udp serve 5003 > "$out.udp.peers" 2>&1 &
server=$!
listening "$nsb" udp 5003 || fail "UDP: B's server did not start"
na $udp send "$peer" 5003 600 0.05 > "$out.udp.sent" 2>&1 &
client=$!
wait_until 20 'grep -q "$a1" "$out.udp.peers"' ||
	fail "UDP: the flow did not start: B saw '$(cat "$out.udp.peers")'"

start=$(echo "$(date +%s.%N) + 1" | bc)
movers=
for k in 1 2 3 4 5; do
	n=$((k % 3 + 1))
	rapid_move "$k" "acc$n" "2001:db8:$n:" &
	movers="$movers $!"
done
for m in $movers; do
	wait "$m" || fail "a move failed: $(cat "$out.moves" 2> /dev/null)"
done
sort -n -k2 "$out.moves"
log "(times from when the first move was due)"

end_tcp 7001 "TCP, five moves"
wait "$client" || true
wait "$server" || true
udp_verdict "UDP, five moves in ten seconds" "$a1" "$rtt"
report_stall "five moves in ten seconds" TCP "$(stall_of 7001)" "$rtt" 7001
ra=$(($(resets "$nsa") - rst_a)) rb=$(($(resets "$nsb") - rst_b))
[ "$ra" = 0 ] && [ "$rb" = 0 ] || fail "five moves: resets: A $ra, B $rb"
pass "TCP, five moves in ten seconds: $((size / 1000000)) MB intact, no reset; B received nothing for $(stall_of 7001) ms at most"
