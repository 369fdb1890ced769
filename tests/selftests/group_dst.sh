#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Datagrams to a multicast group or to an anycast address are never taken
# for a flow's (lib_handover.sh): A holds a UDP flow with B, port 5005 on
# both ends, and beside it a socket bound to port 5005 on every address,
# in group ff0e::5005 and holding the anycast address fd00::aa. After B's
# move, B sends from its new address and port 5005: to A's flow (which
# the module gives back B's first address), to the group and to the
# anycast address (which must reach the other socket as they are, from
# B's new address, never the flow's socket).

set -e
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_handover.sh"

require_module
require_cmd hcctl hckeyd jq python3

group="python3 $here/udpgroup.py"

setup
# The sockets go with the test; ip netns exec, not nb, so that $! is the
# program itself.
group_pids=
cleanup_group() {
	[ -z "$group_pids" ] || kill $group_pids 2> /dev/null || true
	cleanup_handover
}
trap cleanup_group EXIT
mkfifo "$out.b.in"
ip netns exec "$nsb" $group answer 5005 < "$out.b.in" > "$out.b.log" 2>&1 &
group_pids=$!
exec {to_b}> "$out.b.in"
listening "$nsb" udp 5005 || fail "B's socket did not start"
ip netns exec "$nsa" $group listen fd00::1 fd00::2 5005 ff0e::5005 fd00::aa veth-a \
	> "$out.a.log" 2>&1 &
group_pids="$group_pids $!"
wait_until 20 'grep -q "flow fd00::2 welcome" "$out.a.log"' ||
	fail "B did not answer A's flow: A $(cat "$out.a.log"), B $(cat "$out.b.log")"
wait_until 20 'homeless "$nsa" && homeless "$nsb"' ||
	fail "the hosts do not know each other as homeless: A $(hcctl -n "$nsa" foreign), B $(hcctl -n "$nsb" foreign)"
move "$nsb" veth-b fd00::2 fd00::b1

# said_to ADDR TEXT LINE: B sends TEXT to ADDR; A must print LINE.
# The condition names locals: wait_until has positional parameters of its own.
said_to() {
	local text=$2 line=$3

	echo "send $1 $text" >&"$to_b"
	wait_until 10 'grep -q " $text$" "$out.a.log"' ||
		fail "$text did not reach A: $(cat "$out.a.log")"
	grep -qx "$line" "$out.a.log" ||
		fail "$text: A printed '$(grep "$text" "$out.a.log")', not '$line'"
	pass "$text: $line"
}
said_to fd00::1 unicast "flow fd00::2 unicast"
said_to ff0e::5005 multicast "wild fd00::b1 multicast"
said_to fd00::aa anycast "wild fd00::b1 anycast"
exec {to_b}>&-
