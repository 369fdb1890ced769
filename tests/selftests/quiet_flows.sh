#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Connections a host never sent on since it learned its peer survive
# moves (lib_routed.sh). B connects to A, which serves, and neither
# sends: A's last packet on the connection was its SYN-ACK, before B's
# Binding Update made A an entry for B. Then:
#   1. A moves from link 1 to link 2; B speaks first, to A's new address;
#   2. on a second such connection, to A's new address, B is renumbered
#      and speaks first, from its new address.
# A must take each message as from B's first address, intact (SHA-256),
# and neither host may send or take a reset.

set -e
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_handover.sh"
. "$(dirname "$0")/lib_routed.sh"

require_module
require_cmd hcctl hckeyd jq python3 radvd bc

setup_routed
trap cleanup_talk EXIT
b_may_move

start_talk atcp "$nsa" serve tcp 7200
listening "$nsa" tcp 7200 || fail "A's server did not start"
start_talk btcp "$nsb" connect tcp "$a1" 7200
wait_until 20 'homeless "$nsa" && homeless "$nsb"' ||
	fail "the hosts do not know each other as homeless: A $(hcctl -n "$nsa" foreign), B $(hcctl -n "$nsb" foreign)"
rst_a=$(resets "$nsa") rst_b=$(resets "$nsb")

move_a acc1 acc2 2001:db8:2:
a2=$(global_addr "$nsa" acc2 2001:db8:2:)
said b a tcp "A moved, B first"

start_talk atcp2 "$nsa" serve tcp 7201
listening "$nsa" tcp 7201 || fail "A's second server did not start"
start_talk btcp2 "$nsb" connect tcp "$a2" 7201
wait_until 10 '[ -n "$(ip netns exec "$nsa" ss -Htn state established "sport = :7201")" ]' ||
	fail "B's second connection did not open"
sleep 1
move_b "$peer" 2001:db8:101::2
said b a tcp2 "B moved, B first"

ra=$(($(resets "$nsa") - rst_a)) rb=$(($(resets "$nsb") - rst_b))
[ "$ra" = 0 ] && [ "$rb" = 0 ] || fail "resets: A $ra, B $rb"
pass "connections A never sent on survive A's move and B's, no reset"
