#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Idle connections survive moves (draft 2.1.4: an entry stays while
# connections refer to it). In the routed network (lib_routed.sh), A
# holds a TCP connection and a UDP flow (connected on A, an unconnected
# server on B) to B, with DEFAULT-LIFETIME cut to $lifetime s. Four
# times, both stay silent for twice DEFAULT-LIFETIME, then one host moves
# and one speaks first:
#   1. A moves from link 1 to link 2 (SLAAC, DAD); A speaks first;
#   2. B is renumbered; B speaks first;
#   3. A moves back to link 1, with a new interface identifier; B speaks
#      first;
#   4. B is renumbered again; A speaks first.
# Each message must reach the other end intact (SHA-256), UDP ones as
# coming from the sender's first address; neither host may send or take
# a reset.

set -e
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_handover.sh"
. "$(dirname "$0")/lib_routed.sh"

require_module
require_cmd hcctl hckeyd jq python3 radvd bc

lifetime=5

idle() {
	log "$SECONDS s: both idle for $((2 * lifetime + 1)) s"
	sleep $((2 * lifetime + 1))
}

setup_routed
trap cleanup_talk EXIT
for ns in "$nsa" "$nsb"; do
	hcctl -n "$ns" param set default-lifetime "$lifetime"
done
b_may_move

start_talk btcp "$nsb" serve tcp 7100
start_talk budp "$nsb" serve udp 7101
listening "$nsb" tcp 7100 && listening "$nsb" udp 7101 || fail "B's servers did not start"
start_talk atcp "$nsa" connect tcp "$peer" 7100
start_talk audp "$nsa" connect udp "$peer" 7101
exchange a b "before the moves"
wait_until 20 'homeless "$nsa" && homeless "$nsb"' ||
	fail "the hosts do not know each other as homeless: A $(hcctl -n "$nsa" foreign), B $(hcctl -n "$nsb" foreign)"
rst_a=$(resets "$nsa") rst_b=$(resets "$nsb")

idle
move_a acc1 acc2 2001:db8:2:
exchange a b "A moved, A first"

idle
move_b "$peer" 2001:db8:101::2
exchange b a "B moved, B first"

idle
ip -n "$nsa" link set acc1 address 02:00:00:00:01:02
move_a acc2 acc1 2001:db8:1:
exchange b a "A moved back, B first"

idle
move_b 2001:db8:101::2 2001:db8:102::2
exchange a b "B moved again, A first"

ra=$(($(resets "$nsa") - rst_a)) rb=$(($(resets "$nsb") - rst_b))
[ "$ra" = 0 ] && [ "$rb" = 0 ] || fail "resets: A $ra, B $rb"
[ "$(hcctl -n "$nsb" -j stats | jq .mh_authenticated)" -gt 0 ] ||
	fail "no Binding Update reached B under AH"
pass "idle TCP and UDP flows survive four moves, each after $((2 * lifetime)) s of silence"
