#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The control for handover.sh: without the module, the same move breaks
# the connection, so the handover tests test something. A sends 20 MB to
# B at fd00::2; B gains fd00::b1 and drops fd00::2, which then leads
# nowhere (A's neighbour entry for it points at no one). With the module
# (and the key daemons) the data arrives intact; with the module unloaded
# the transfer stalls and B never gets it all. The module is loaded again
# at the end.

set -e
. "$(dirname "$0")/lib.sh"

require_module
require_cmd hcctl hckeyd jq python3
[ -f "${HC_TOP:-}/hostcache.ko" ] || {
	log "SKIP: \$HC_TOP/hostcache.ko is needed to load the module again"
	exit $ksft_skip
}
xfer="python3 $(dirname "$0")/tcpxfer.py"
out=${TMPDIR:-/tmp}/handover_control.$$
trap 'rm -f "$out".*; cleanup_two_hosts; [ -d /sys/module/hostcache ] || insmod "$HC_TOP/hostcache.ko"' EXIT

# transfer: one 20 MB transfer across B's move; "sent;received" on stdout.
transfer() {
	local server client
	setup_two_hosts
	if [ -d /sys/module/hostcache ]; then
		start_keyd "$nsa"
		start_keyd "$nsb"
	fi
	na ping -6 -c 1 -W 2 fd00::2 > /dev/null || fail "A cannot reach B"
	ip netns exec "$nsb" $xfer serve 5001 > "$out.recv" 2> "$out.gaps" &
	server=$!
	listening "$nsb" tcp 5001 || fail "B's server did not start"
	ip netns exec "$nsa" $xfer send fd00::2 5001 20000000 6 > "$out.sent" 2>&1 &
	client=$!
	flowing "$nsb" 5001 || fail "no data reached B"
	if [ -d /sys/module/hostcache ]; then
		# Each host knows the other is homeless: B's move is told.
		wait_until 20 'homeless "$nsa" && homeless "$nsb"' ||
			fail "the hosts do not know each other as homeless"
	fi
	ip -n "$nsb" addr add fd00::b1/64 dev veth-b nodad
	if [ -d /sys/module/hostcache ]; then
		# B's update, under AH, tells A before the old address goes.
		wait_for 'hcctl -n "$nsa" -j foreign | jq -e ".[]?.addrs[] |
			select(.addr == \"fd00::b1\" and .state == \"valid\")" > /dev/null' ||
			fail "A did not learn fd00::b1: $(hcctl -n "$nsa" foreign)"
	fi
	ip -n "$nsb" addr del fd00::2/64 dev veth-b
	# B left that network: fd00::2 leads nowhere.
	na ip neigh replace fd00::2 lladdr 02:00:00:00:00:99 dev veth-a nud permanent
	# A stalled transfer would wait for its timeouts: 15 s is plenty.
	for _ in $(seq 150); do
		kill -0 "$client" 2> /dev/null || break
		sleep 0.1
	done
	kill "$client" "$server" 2> /dev/null || true
	wait "$client" "$server" 2> /dev/null || true
	echo "$(cat "$out.sent");$(cat "$out.recv")"
	cleanup_two_hosts
}

result=$(transfer)
sent=${result%%;*} recv=${result#*;}
[ -n "$sent" ] && [ "$sent" = "$recv" ] ||
	fail "with the module: A sent '$sent', B received '$recv'"
pass "with the module: B's move, 20 MB intact ($sent)"

rmmod hostcache
result=$(transfer)
insmod "$HC_TOP/hostcache.ko"
sent=${result%%;*} recv=${result#*;}
! { [ -n "$sent" ] && [ "$sent" = "$recv" ]; } ||
	fail "without the module the move did not break the connection"
pass "without the module the same move breaks the connection (B received '${recv:-nothing}')"
