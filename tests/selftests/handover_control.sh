#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A TCP connection survives when one end changes address: A sends 20 MB
# to B at fd00::2; meanwhile B gains fd00::b, tells A (Binding Update),
# and drops fd00::2. The data B received hashes the same as what A sent.
# Without Host Cache entries nothing is rewritten, and the same move
# breaks the connection: the test tests something.
#
# Both hosts know each other as homeless peers (set by hand: entry
# creation from traffic is not built yet) and accept unauthenticated
# updates (no AH yet).

set -e
. "$(dirname "$0")/lib.sh"

require_module
require_cmd hcctl jq python3
xfer="python3 $(dirname "$0")/tcpxfer.py"
out=${TMPDIR:-/tmp}/rewrite_move.$$
trap 'rm -f "$out".*; cleanup_two_hosts' EXIT

# move WITH_ENTRIES: one transfer across B's move; leaves "sent;received"
# in $out.result.
move() {
	local server client state i
	setup_two_hosts
	for ns in "$nsa" "$nsb"; do
		hcctl -n "$ns" param set accept-unauthenticated on
	done
	na ping -6 -c 1 -W 2 fd00::2 > /dev/null || fail "A cannot reach B"
	if [ "$1" = yes ]; then
		hcctl -n "$nsa" foreign add fd00::2 > /dev/null
		hcctl -n "$nsa" foreign set fd00::2 homeless > /dev/null
		hcctl -n "$nsb" foreign add fd00::1 > /dev/null
		hcctl -n "$nsb" foreign set fd00::1 homeless > /dev/null
	fi
	nb $xfer serve 5001 > "$out.recv" 2>&1 &
	server=$!
	sleep 1
	na timeout 60 $xfer send fd00::2 5001 20000000 8 > "$out.sent" 2>&1 &
	client=$!
	sleep 2
	ip -n "$nsb" addr add fd00::b/64 dev veth-b nodad
	for i in $(seq 50); do
		[ "$1" = yes ] || break
		state=$(hcctl -n "$nsa" -j foreign | jq -r '.[]?.addrs[] | select(.addr == "fd00::b") | .state')
		[ "$state" = valid ] && break
		sleep 0.1
	done
	ip -n "$nsb" addr del fd00::2/64 dev veth-b
	kill -0 "$client" 2> /dev/null || fail "the transfer ended before the move"
	wait "$client" || true
	kill "$server" 2> /dev/null || true
	wait "$server" || true
	echo "$(cat "$out.sent");$(cat "$out.recv")" > "$out.result"
	cleanup_two_hosts
}

move yes
result=$(cat "$out.result")
sent=${result%%;*} recv=${result#*;}
[ -n "$sent" ] && [ "$sent" = "$recv" ] ||
	fail "with the Host Cache: A sent '$sent', B received '$recv'"
pass "TCP survives B's move: 20 MB, same SHA-256 at both ends ($sent)"

move no
result=$(cat "$out.result")
sent=${result%%;*} recv=${result#*;}
[ "$sent" != "$recv" ] ||
	fail "without Host Cache entries the move did not break the connection"
pass "without Host Cache entries the same move breaks the connection"
