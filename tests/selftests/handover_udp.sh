#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A UDP flow on a connected socket survives A's move (lib_handover.sh):
# A sends 300 datagrams, one each 20 ms, B echoes them; most of the last
# third must be answered, and B's socket must see only A's first address.
# With checksum offload, without it, and with zero UDP checksums (RFC
# 6936).

set -e
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_handover.sh"

require_module
require_cmd hcctl hckeyd jq python3 ethtool

# udp_move WHAT SETUP [nocsum]: a connected UDP socket at A, answered by
# B, across A's move; B's server sees only A's first address.
udp_move() {
	local server client count answered last gap peers
	$2
	nb $udp serve 5003 $3 > "$out.udp.peers" 2>&1 &
	server=$!
	listening "$nsb" udp 5003 || fail "$1: B's server did not start"
	na $udp send fd00::2 5003 300 0.02 $3 > "$out.udp.sent" 2>&1 &
	client=$!
	# The flow is under way: B heard A, and each host knows the other
	# is homeless. (The client takes a while to start on a busy machine.)
	wait_until 20 'grep -q fd00::1 "$out.udp.peers"' &&
		wait_until 20 'homeless "$nsa" && homeless "$nsb"' ||
		fail "$1: the flow did not start: B saw '$(cat "$out.udp.peers")'"
	move "$nsa" veth-a fd00::1 fd00::a1
	wait "$client" || true
	wait "$server" || true
	read -r count answered last gap < "$out.udp.sent" ||
		fail "$1: no result: $(cat "$out.udp.sent")"
	peers=$(tr '\n' ' ' < "$out.udp.peers")
	[ "$last" -ge $((count / 3 * 9 / 10)) ] ||
		fail "$1: $answered of $count answered, $last of the last third"
	[ "$peers" = "fd00::1 " ] || fail "$1: B's socket saw '$peers'"
	pass "$1: $answered of $count answered, $last of the last $((count / 3)), none for $gap ms at most; B's socket saw only fd00::1"
	cleanup_two_hosts
}
udp_move "UDP, connected socket, A moves" setup
udp_move "UDP, no checksum offload, A moves" setup_soft
udp_move "UDP, zero checksum, A moves" setup nocsum
