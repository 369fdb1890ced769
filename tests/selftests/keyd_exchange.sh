#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# hckeyd's exchange when things go wrong or happen at once. The responder
# answers only a well-formed I1, with an R1 no longer than it, and no more
# I1s from one /64 than its rate allows. An exchange whose R2 is lost
# completes when the I2 is sent again, on the same keys. Both hosts
# starting an exchange at once end with one pair of SAs (three times). An
# exchange survives either host moving while it is under way: the
# initiator losing the address it started from starts again at once from
# its new one; the responder gaining one tells the initiator of it under
# the new SAs. An nftables rule in B holds its R1s or R2s back.

set -e
. "$(dirname "$0")/lib.sh"

require_module
require_cmd hcctl hckeyd jq python3 nft
here=$(dirname "$0")
xfer="python3 $here/tcpxfer.py"
probe="python3 $here/keydprobe.py"
out=${TMPDIR:-/tmp}/keyd_exchange.$$
on_exit() {
	rm -f "$out".*
	cleanup_two_hosts
	rm -f "$keyd_log".*
}
trap on_exit EXIT

counter() { hcctl -n "$1" -j stats | jq ".$2"; }
valid() {
	hcctl -n "$1" -j foreign |
		jq -c '[.[].addrs[] | select(.state == "valid") | .addr] | sort'
}
homeless() {
	[ "$(hcctl -n "$1" -j foreign show "$2" 2> /dev/null | jq .[0].homeless)" = true ]
}
has_sa() { ip -n "$1" xfrm state | grep -q "dst $2\$"; }
# spis NS: "DST SPI" of each SA in NS, sorted: the same in both hosts when
# they hold the two ends of the same SAs.
spis() {
	ip -n "$1" xfrm state |
		awk '/^src/ { dst = $4 } /proto ah spi/ { print dst, $4 }' | sort
}
# daemons: both daemons' logs, for a failure message.
daemons() {
	printf '\nA: %s\n%s\nB: %s\n%s' "$(cat "$keyd_log.$nsa" 2> /dev/null)" \
		"$(hcctl -n "$nsa" -j stats)" "$(cat "$keyd_log.$nsb" 2> /dev/null)" \
		"$(hcctl -n "$nsb" -j stats)"
}
logged() { grep -c -- "$2" "$keyd_log.$1" || true; }

# start [NS...]: both hosts, and a daemon in each NS (in both if none is
# given), ready.
start() {
	local ns
	setup_two_hosts
	trap on_exit EXIT
	[ $# -gt 0 ] || set -- "$nsa" "$nsb"
	for ns in "$@"; do
		start_keyd "$ns"
		wait_for 'grep -q " ready" "$keyd_log.$ns"' ||
			fail "hckeyd in $ns did not start: $(cat "$keyd_log.$ns")"
	done
	na ping -6 -c 1 -W 2 fd00::2 > /dev/null || fail "A cannot reach B"
}

stop() {
	cleanup_two_hosts
	rm -f "$keyd_log".*
}

# delay MS: each way between A and B.
delay() {
	na tc qdisc add dev veth-a root netem delay "${1}ms"
	nb tc qdisc add dev veth-b root netem delay "${1}ms"
}

# hold LENGTH: B drops the exchange's datagrams of LENGTH bytes (IPv6
# header included) that it sends: an R1 is 120, an R2 100. Counted.
hold() {
	nb nft -f - <<- EOF
		table ip6 hc_test {
			chain out {
				type filter hook output priority 0;
				udp sport 7456 meta length $1 counter drop
			}
		}
	EOF
}

# dropped: how many datagrams B has dropped so far.
dropped() {
	nb nft list table ip6 hc_test | awk '/counter/ { print $(NF - 3) }'
}

# release: B drops nothing more; prints how many it dropped.
release() {
	dropped
	nb nft delete table ip6 hc_test
}

# connect FROM-NS TO-ADDR PORT: a short TCP transfer from FROM-NS (its
# completed handshake makes the module ask for SAs), in the background.
connect() {
	ip netns exec "$(peer_of "$1")" $xfer serve "$3" > /dev/null 2>&1 &
	listening "$(peer_of "$1")" tcp "$3" || fail "no server on port $3"
	ip netns exec "$1" $xfer send "$2" "$3" 1000 > /dev/null 2>&1 &
}
peer_of() { [ "$1" = "$nsa" ] && echo "$nsb" || echo "$nsa"; }

# keyed WHAT ADDR: wait for the hosts to hold the two ends of one pair of
# SAs, named for each other's entries (B's for A holding ADDR), with
# updates under AH both ways.
keyed() {
	local a=$2
	wait_until 20 'homeless "$nsa" fd00::2 && homeless "$nsb" "$a"' ||
		fail "$1: the hosts do not know each other as homeless: A $(valid "$nsa"), B $(valid "$nsb")$(daemons)"
	hcctl -n "$nsa" -j foreign | jq -e 'length == 1 and .[0].ah_reqid' > /dev/null ||
		fail "$1: A's entries: $(hcctl -n "$nsa" foreign)"
	hcctl -n "$nsb" -j foreign | jq -e 'length == 1 and .[0].ah_reqid' > /dev/null ||
		fail "$1: B's entries: $(hcctl -n "$nsb" foreign)"
	wait_for '[ -n "$(spis "$nsa")" ] && [ "$(spis "$nsa")" = "$(spis "$nsb")" ]' ||
		fail "$1: the hosts' SAs differ: A $(spis "$nsa" | tr '\n' ' '), B $(spis "$nsb" | tr '\n' ' ')"
	[ "$(counter "$nsa" mh_authenticated)" -ge 1 ] &&
		[ "$(counter "$nsb" mh_authenticated)" -ge 1 ] ||
		fail "$1: no update under AH: A $(counter "$nsa" mh_authenticated), B $(counter "$nsb" mh_authenticated)"
	[ "$(counter "$nsa" mh_unauthenticated)" = 0 ] &&
		[ "$(counter "$nsb" mh_unauthenticated)" = 0 ] ||
		fail "$1: updates without AH reached a host$(daemons)"
}

# What an I1 must be. Only B runs a daemon: A's module, which learns B
# from the probes' connected sockets, asks for SAs that nobody sets up.
start "$nsb"
for kind in short padded version spi type; do
	r=$(na $probe i1 fd00::2 "$kind")
	[ "$r" = none ] || fail "an I1 of kind '$kind' was answered: $r"
done
r=$(na $probe i1 fd00::2 good)
[ "$r" = "R1 72" ] || fail "a good I1 was not answered with an R1 of its length: $r"
pass "only a well-formed I1 is answered, by an R1 of the same length"

# The rate: a burst of 10, then 5 a second, per /64.
read -r sent answered took <<< "$(na $probe flood fd00::2 40)"
most=$(awk -v t="$took" 'BEGIN { print int(10 + 5 * t) + 1 }')
[ "$answered" -ge 9 ] && [ "$answered" -le "$most" ] ||
	fail "$answered of $sent I1s in $took s were answered (9 to $most expected)"
ip -n "$nsa" addr add fd02::1/64 dev veth-a nodad
ip -n "$nsb" addr add fd02::2/64 dev veth-b nodad
r=$(na $probe i1 fd02::2 good)
[ "$r" = "R1 72" ] || fail "another /64 is refused too: $r"
kill -USR1 "$keyd_pid"
wait_for 'grep -q "rate-limited [1-9]" "$keyd_log.$nsb"' ||
	fail "B's daemon counts no rate-limited I1: $(grep counters "$keyd_log.$nsb")"
pass "$answered of $sent I1s sent in $took s answered; another /64 still is"
stop

# The first R2 is lost: A sends its I2 again and B answers it again.
start
hold 100
connect "$nsa" fd00::2 5001
wait_until 20 'grep -q "exchange from fd00::1 .* completed" "$keyd_log.$nsb"' ||
	fail "B did not complete the exchange: $(cat "$keyd_log.$nsb")"
wait_for '[ "$(dropped)" -ge 1 ]' || fail "no R2 was dropped"
dropped=$(release)
[ "${dropped:-0}" -ge 1 ] || fail "no R2 was dropped"
keyed "lost R2" fd00::1
[ "$(logged "$nsb" completed)" = 1 ] && [ "$(logged "$nsa" completed)" = 1 ] ||
	fail "lost R2: more than one exchange: A $(logged "$nsa" completed), B $(logged "$nsb" completed)"
pass "the first R2 lost ($dropped dropped): the I2 sent again completes the exchange, on the same keys"
stop

# Both hosts start at once, each on its own connection; the network's
# delay makes their exchanges cross.
yielded=0 both=0
for round in 1 2 3; do
	start
	delay 100
	nb $xfer serve 5001 > /dev/null 2>&1 &
	na $xfer serve 5002 > /dev/null 2>&1 &
	listening "$nsb" tcp 5001 && listening "$nsa" tcp 5002 ||
		fail "round $round: no servers"
	na $xfer send fd00::2 5001 1000 > /dev/null 2>&1 &
	nb $xfer send fd00::1 5002 1000 > /dev/null 2>&1 &
	keyed "both at once, round $round" fd00::1
	# Each host asks unless the other's update came first.
	[ "$(counter "$nsa" acquires)" = 1 ] && [ "$(counter "$nsb" acquires)" = 1 ] &&
		both=$((both + 1))
	yielded=$((yielded + $(logged "$nsa" yields) + $(logged "$nsb" yields)))
	stop
done
pass "both hosts start at once, three times: one pair of SAs each time (both asked in $both rounds; $yielded exchanges yielded)"

# under_way: new hosts; A's exchange with B started, B's R1s held back.
under_way() {
	start
	hold 120
	connect "$nsa" fd00::2 5001
	wait_until 20 'grep -q "started from fd00::1" "$keyd_log.$nsa"' ||
		fail "A's daemon started no exchange: $(cat "$keyd_log.$nsa")"
}

# A loses the address its exchange started from while it is under way
# (B's R1s are held back meanwhile).
under_way
ip -n "$nsa" addr add fd00::a1/64 dev veth-a nodad
ip -n "$nsa" addr del fd00::1/64 dev veth-a
wait_for 'grep -q "fd00::1 went; starting again" "$keyd_log.$nsa"' ||
	fail "A's daemon did not start again: $(cat "$keyd_log.$nsa")"
dropped=$(release)
[ "${dropped:-0}" -ge 1 ] || fail "A moved before its I1 reached B"
keyed "A moves during the exchange" fd00::a1
[ "$(valid "$nsb")" = '["fd00::a1"]' ] || fail "B's view of A: $(valid "$nsb")"
[ "$(logged "$nsb" completed)" = 1 ] || fail "B completed more than one exchange$(daemons)"
pass "A moves during the exchange: it starts again from fd00::a1 at once and completes"
stop

# B gains an address while the exchange is under way, then loses the old.
under_way
ip -n "$nsb" addr add fd00::b1/64 dev veth-b nodad
release > /dev/null
keyed "B moves during the exchange" fd00::1
wait_for '[ "$(valid "$nsa")" = "[\"fd00::2\",\"fd00::b1\"]" ]' ||
	fail "A did not learn B's new address: $(valid "$nsa")"
ip -n "$nsb" addr del fd00::2/64 dev veth-b
wait_for '[ "$(valid "$nsa")" = "[\"fd00::b1\"]" ]' ||
	fail "A's view of B after B's move: $(valid "$nsa")"
wait_for 'has_sa "$nsa" fd00::b1 && has_sa "$nsb" fd00::b1 && has_sa "$nsa" fd00::2' ||
	fail "the SAs did not follow B: A $(spis "$nsa" | tr '\n' ' '), B $(spis "$nsb" | tr '\n' ' ')"
[ "$(counter "$nsa" mh_unauthenticated)" = 0 ] || fail "an update to A went without AH"
pass "B moves during the exchange: A learns its new address under the new SAs"
