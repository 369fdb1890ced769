#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Two connections that share their ports and their peer never mix
# (lib_handover.sh): A sends to B's port 7001 from port 40000 of each of
# two addresses, fd00::1 and fd00::1b, at once. The module keys a flow by
# its peer's entry and its ports, which the two share: the second's
# packets, taken back to the first's addresses, would reach the first's
# socket.
# A tells the two apart by the address a packet comes to: both transfers
# complete intact, without a reset, also while B moves.

set -e
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_handover.sh"

require_module
require_cmd hcctl hckeyd jq python3

setup
ip -n "$nsa" addr add fd00::1b/64 dev veth-a nodad
size=3000000

# two_transfers PORT SECONDS [DURING]: the two transfers from port PORT
# of each of A's addresses, paced over SECONDS, running DURING meanwhile;
# both must arrive intact.
two_transfers() {
	local server first second
	nb $xfer serve 7001 2 > "$out.recv" 2> "$out.gaps" &
	server=$!
	listening "$nsb" tcp 7001 || fail "B's server did not start"
	na $xfer send fd00::2 7001 "$size" "$2" fd00::1 "$1" > "$out.sent1" 2>&1 &
	first=$!
	na $xfer send fd00::2 7001 "$size" "$2" fd00::1b "$1" > "$out.sent2" 2>&1 &
	second=$!
	${3:-}
	wait "$first" || true
	wait "$second" || true
	reap "$server" "$server"
	[ "$(cat "$out.sent1" "$out.sent2" | sort)" = "$(sort "$out.recv")" ] ||
		fail "A sent '$(cat "$out.sent1")' and '$(cat "$out.sent2")', B received '$(cat "$out.recv")'"
}
two_transfers 40000 6
[ "$(resets "$nsa")" = 0 ] && [ "$(resets "$nsb")" = 0 ] ||
	fail "resets: A $(resets "$nsa"), B $(resets "$nsb")"
pass "two connections with one peer and the same ports, from two addresses: both intact, no reset"

# The same while B moves: A tells the two apart by the address B's
# packets come to, since both come from B's new address.
b_moves() {
	sleep 3
	move "$nsb" veth-b fd00::2 fd00::b2
}
two_transfers 40001 12 b_moves
[ "$(resets "$nsa")" = 0 ] && [ "$(resets "$nsb")" = 0 ] ||
	fail "B moved: resets: A $(resets "$nsa"), B $(resets "$nsb")"
pass "the same while B moves: both intact, no reset"
