#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the handover selftests (handover*.sh): two hosts that run
# the module and the key daemon, a connection between them, and moves. A
# and B learn each other from the traffic itself: A's first SYN gives A an
# entry for B; once the handshake completes A trusts it and sends its
# Initial Binding Update, B answers and sends its own (draft 2.1.1,
# 2.1.2). No entry is made by hand. Every Binding Update and
# Acknowledgment goes under AH: the test switch stays off.
#
# Source it after lib.sh.

here=$(dirname "${BASH_SOURCE[0]}")
xfer="python3 $here/tcpxfer.py"
udp="python3 $here/udpflow.py"
size=50000000
out=${TMPDIR:-/tmp}/$(basename "$0" .sh).$$

cleanup_handover() {
	rm -f "$out".* "$keyd_log".*
	cleanup_two_hosts
}
trap cleanup_handover EXIT

# setup: the two hosts, a key daemon in each, neighbours resolved.
setup() {
	setup_two_hosts
	trap cleanup_handover EXIT
	start_keyd "$nsa"
	start_keyd "$nsb"
	na ping -6 -c 1 -W 2 fd00::2 > /dev/null || fail "A cannot reach B"
	rst_a=0 rst_b=0
}

# setup_soft: setup, with no checksum offload on either side: checksums
# are computed in software before the packet leaves and checked in
# software on arrival.
setup_soft() {
	setup
	na ethtool -K veth-a tx off > /dev/null
	nb ethtool -K veth-b tx off > /dev/null
}

peer_of() { [ "$1" = "$nsa" ] && echo "$nsb" || echo "$nsa"; }

# state NS ADDR: the state of ADDR in NS's Host Cache, if it is there.
state() {
	hcctl -n "$1" -j foreign |
		jq -r --arg a "$2" '.[]?.addrs[] | select(.addr == $a) | .state'
}

# known NS ADDR: wait up to 5 s for ADDR to be valid in NS's Host Cache.
known() {
	local ns=$1 addr=$2
	wait_for '[ "$(state "$ns" "$addr")" = valid ]'
}

# entry_is NS ADDR FLAG: wait up to 5 s for the entry in NS whose first
# address is ADDR to have FLAG.
entry_is() {
	local ns=$1 addr=$2 flag=$3
	wait_for '[ "$(hcctl -n "$ns" -j foreign | jq -r --arg a "$addr" \
		".[] | select(.addrs[0].addr == \$a) | .$flag")" = true ]'
}

# gone NS OLD: OLD, an address NS lost, leads nowhere from its peer: the
# peer's neighbour entry for it points at no one (as if NS had left that
# network; else the kernel still takes packets for a deleted address on a
# connected socket).
gone() {
	if [ "$1" = "$nsa" ]; then
		nb ip neigh replace "$2" lladdr 02:00:00:00:00:99 dev veth-b nud permanent
	else
		na ip neigh replace "$2" lladdr 02:00:00:00:00:99 dev veth-a nud permanent
	fi
}

# move NS DEV OLD NEW: NS gains NEW, its peer learns it, NS loses OLD.
move() {
	ip -n "$1" addr add "$4/64" dev "$2" nodad
	known "$(peer_of "$1")" "$4" ||
		fail "$(peer_of "$1") did not learn $4 (state '$(state "$(peer_of "$1")" "$4")')"
	ip -n "$1" addr del "$3/64" dev "$2"
	gone "$1" "$3"
}

# resets NS: TCP resets sent and connections reset, in NS.
resets() {
	ip netns exec "$1" awk '/^Tcp:/ { if (!n++) { for (i = 1; i <= NF; i++) f[$i] = i } else print $f["OutRsts"] + $f["EstabResets"] }' /proc/net/snmp
}

# start_tcp DST PORT [SECONDS]: A starts sending $size bytes to B at DST,
# paced over SECONDS (default 12), given up after $xfer_timeout seconds
# (default SECONDS + 78); returns once data flows and each host knows the
# other is homeless. $xfer_opts, if set, go to both ends (tcpxfer.py).
start_tcp() {
	nb $xfer serve "$2" $xfer_opts > "$out.recv.$2" 2> "$out.gaps.$2" &
	eval "server_$2=$!"
	listening "$nsb" tcp "$2" || fail "B's server did not start"
	na timeout "${xfer_timeout:-$((${3:-12} + 78))}" $xfer send "$1" "$2" "$size" "${3:-12}" $xfer_opts > "$out.sent.$2" 2>&1 &
	eval "client_$2=$!"
	flowing "$nsb" "$2" || fail "no data reached B on port $2"
	wait_until 20 'homeless "$nsa" && homeless "$nsb"' ||
		fail "the hosts do not know each other as homeless: A $(hcctl -n "$nsa" foreign), B $(hcctl -n "$nsb" foreign)"
}

# end_tcp PORT WHAT: the transfer on PORT must complete intact.
end_tcp() {
	local client server sent recv
	client=$(eval echo "\$client_$1")
	server=$(eval echo "\$server_$1")
	reap "$client" "$server"
	sent=$(cat "$out.sent.$1") recv=$(cat "$out.recv.$1")
	[ -n "$sent" ] && [ "$sent" = "$recv" ] ||
		fail "$2: A sent '$sent', B received '$recv' $(grep -v ^gap "$out.gaps.$1")"
}

# stall_of PORT: the longest pause, in ms, in the data B received on PORT.
# resumed_after PORT T: the time, in ms, from T (ns since the epoch) to
# the end of the first pause that lasted past it (0 if none did).
stall_of() {
	awk '$1 == "gap" && $3 - $2 > max { max = $3 - $2 }
	     END { printf "%d\n", max / 1000000 }' "$out.gaps.$1"
}
resumed_after() {
	awk -v t="$2" '$1 == "gap" && $3 > t { printf "%d\n", ($3 - t) / 1000000; found = 1; exit }
	     END { if (!found) print 0 }' "$out.gaps.$1"
}

# udp_move WHAT SETUP [OPTION...]: a connected UDP socket at A, answered
# by B, across A's move; most of the last third must be answered, and B's
# server must see only A's first address. The options go to udpflow.py;
# $udp_check, if set, is a command called with WHAT before the teardown.
udp_move() {
	local server client
	$2
	nb $udp serve 5003 "${@:3}" > "$out.udp.peers" 2>&1 &
	server=$!
	listening "$nsb" udp 5003 || fail "$1: B's server did not start"
	na $udp send fd00::2 5003 300 0.02 "${@:3}" > "$out.udp.sent" 2>&1 &
	client=$!
	# The flow is under way: B heard A, and each host knows the other
	# is homeless. (The client takes a while to start on a busy machine.)
	wait_until 20 'grep -q fd00::1 "$out.udp.peers"' &&
		wait_until 20 'homeless "$nsa" && homeless "$nsb"' ||
		fail "$1: the flow did not start: B saw '$(cat "$out.udp.peers")'"
	move "$nsa" veth-a fd00::1 fd00::a1
	wait "$client" || true
	wait "$server" || true
	udp_verdict "$1" fd00::1
	[ -z "${udp_check:-}" ] || "$udp_check" "$1"
	cleanup_two_hosts
}

# udp_verdict WHAT PEER [GOAL]: the UDP flow (udpflow.py's result in
# $out.udp.sent, B's server's peers in $out.udp.peers) had 90% of its
# last third answered, and B's socket saw PEER only; with GOAL, its
# longest time without an answer, less its pacing, is reported against
# it (report_stall, lib_routed.sh).
udp_verdict() {
	local count answered last gap stall peers
	read -r count answered last gap stall < "$out.udp.sent" ||
		fail "$1: no result: $(cat "$out.udp.sent")"
	peers=$(tr '\n' ' ' < "$out.udp.peers")
	[ "$last" -ge $((count / 3 * 9 / 10)) ] ||
		fail "$1: $answered of $count answered, $last of the last third"
	[ "$peers" = "$2 " ] || fail "$1: B's socket saw '$peers'"
	pass "$1: $answered of $count answered, $last of the last $((count / 3)), none for $gap ms at most; B's socket saw only $2"
	[ -z "${3:-}" ] || report_stall "${1#UDP, }" UDP "$stall" "$3"
}

# finish WHAT: no reset on either host since setup (or since the
# baseline $rst_a, $rst_b); tear down.
finish() {
	local ra rb
	ra=$(($(resets "$nsa") - rst_a)) rb=$(($(resets "$nsb") - rst_b))
	[ "$ra" = 0 ] && [ "$rb" = 0 ] ||
		fail "$1: resets: A $ra, B $rb"
	[ "$(hcctl -n "$nsb" -j stats | jq .mh_authenticated)" -gt 0 ] ||
		fail "$1: no Binding Update reached B under AH"
	pass "$1: $((size / 1000000)) MB intact, no reset"
	cleanup_two_hosts
}
