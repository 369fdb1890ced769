#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Binding Updates sent when local addresses come and go: A knows B as a
# homeless peer; each address A gains or loses reaches B's Host Cache by a
# Binding Update (one BID per address, O flag), acknowledged by B; an
# unanswered update is sent again until B answers. tshark decodes every
# update A sent as a valid Mobility Header message. Both hosts accept
# unauthenticated updates (no AH yet).

set -e
. "$(dirname "$0")/lib.sh"

require_module
require_cmd hcctl jq tshark
setup_two_hosts
pcap=${TMPDIR:-/tmp}/mh_announce.$$.pcap
log=${TMPDIR:-/tmp}/mh_announce.$$.log
trap 'kill $capture 2> /dev/null || true; rm -f "$pcap" "$log"; cleanup_two_hosts' EXIT
for ns in "$nsa" "$nsb"; do
	hcctl -n "$ns" param set accept-unauthenticated on
done
na ping -6 -c 1 -W 2 fd00::2 > /dev/null || fail "A cannot reach B"

# A background job ignores SIGINT: tshark is stopped with SIGTERM, and
# stops by itself after 5 minutes in any case.
ip netns exec "$nsa" tshark -i veth-a -f "ip6 proto 135" -a duration:300 -w "$pcap" > "$log" 2>&1 &
capture=$!
for _ in $(seq 300); do
	grep -q Capturing "$log" && break
	sleep 0.1
done
grep -q Capturing "$log" || fail "tshark did not start: $(cat "$log")"

A() { hcctl -n "$nsa" "$@"; }
# B's view of A: address, state and whether it came from a BU.
b_view() {
	hcctl -n "$nsb" -j foreign |
		jq -c '[.[].addrs[] | select(.state == "valid") | .addr] | sort'
}
wait_view() {
	local want=$1 i
	for i in $(seq 100); do
		[ "$(b_view)" = "$want" ] && return 0
		sleep 0.1
	done
	fail "B's valid addresses for A are $(b_view), expected $want"
}
stat() { hcctl -n "$1" -j stats | jq ".$2"; }

A foreign add fd00::2 > /dev/null
A foreign set fd00::2 homeless
ip -n "$nsa" addr add fd00::a/64 dev veth-a nodad
wait_view '["fd00::1","fd00::a"]'
[ "$(hcctl -n "$nsb" -j foreign | jq -r '.[0].homeless')" = true ] ||
	fail "B did not learn that A is homeless"
for _ in $(seq 50); do
	[ "$(stat "$nsa" mh_bu_acked)" -ge 1 ] && break
	sleep 0.1
done
[ "$(stat "$nsa" mh_bu_acked)" -ge 1 ] || fail "A got no acknowledgment"
pass "a new address reaches B's Host Cache; B acknowledged"

ip -n "$nsa" addr del fd00::1/64 dev veth-a
wait_view '["fd00::a"]'
[ "$(hcctl -n "$nsb" -j foreign | jq -r '.[0].addrs[] | select(.addr == "fd00::1") | .state')" = expired ] ||
	fail "the lost address is not kept as expired"
pass "a lost address leaves B's bindings (kept as expired)"

# B stops accepting: A's next update goes unanswered and is sent again.
hcctl -n "$nsb" param set accept-unauthenticated off
sent=$(stat "$nsa" mh_bu_sent)
ip -n "$nsa" addr add fd00::b/64 dev veth-a nodad
for _ in $(seq 60); do
	[ "$(stat "$nsa" mh_bu_retried)" -ge 2 ] && break
	sleep 0.1
done
[ "$(stat "$nsa" mh_bu_retried)" -ge 2 ] ||
	fail "no retransmission: $(hcctl -n "$nsa" -j stats | jq -c .)"
[ "$(stat "$nsb" mh_unauthenticated)" -ge 3 ] || fail "B did not see the retries"
hcctl -n "$nsb" param set accept-unauthenticated on
wait_view '["fd00::a","fd00::b"]'
pass "an unanswered update is sent again ($(( $(stat "$nsa" mh_bu_sent) - sent )) sends) until B answers"

# Five addresses at once: one update, every address a BID with its own
# care-of address.
for x in c d e f 10; do
	ip -n "$nsa" addr add "fd00::$x/64" dev veth-a nodad
done
wait_view '["fd00::10","fd00::a","fd00::b","fd00::c","fd00::d","fd00::e","fd00::f"]'
pass "seven addresses in one update"

# The capture has the update with all seven, the last A sent.
wait_for 'tshark -r "$pcap" -Y "mip6.mhtype == 5 && mip6.bi.coa_ipv6 == fd00::10" 2> /dev/null |
	grep -q .' || fail "the capture lacks A's update with fd00::10"
kill -TERM "$capture"
wait "$capture" || true
# A also acknowledges B's own first update: only A's updates are looked at.
got=$(tshark -r "$pcap" -Y "(ipv6.src == fd00::1 || ipv6.src == fd00::a) && mip6.mhtype == 5" \
	-T fields -E separator=';' -E aggregator=, -e mip6.mhtype \
	-e mip6.bu.a_flag -e mip6.bu.lifetime -e mip6.bi.coa_ipv6 \
	-e _ws.expert.severity -e _ws.malformed 2> /dev/null | sort -u)
[ -n "$got" ] || fail "tshark saw no update from A"
while IFS=';' read -r type a lifetime coas severity malformed; do
	[ "$type" = 5 ] && [ "$a" = 1 ] && [ "$lifetime" = 150 ] &&
		[ -n "$coas" ] && [ -z "$severity$malformed" ] ||
		fail "tshark decodes an update from A as: $type;$a;$lifetime;$coas;$severity;$malformed"
done <<< "$got"
pass "tshark decodes A's updates: $(tr '\n' ' ' <<< "$got")"

# A short lifetime: the binding is refreshed without any address change.
A param set binding-lifetime 8
acked=$(stat "$nsa" mh_bu_acked)
ip -n "$nsa" addr add fd00::11/64 dev veth-a nodad
for _ in $(seq 150); do
	[ "$(stat "$nsa" mh_bu_acked)" -ge $((acked + 2)) ] && break
	sleep 0.1
done
[ "$(stat "$nsa" mh_bu_acked)" -ge $((acked + 2)) ] ||
	fail "no refresh within 6 s of an 8 s binding"
[ "$(hcctl -n "$nsb" -j foreign | jq -r '.[0].addrs[] | select(.addr == "fd00::11") | .state')" = valid ] ||
	fail "the refreshed binding is not valid"
pass "an 8 s binding is refreshed before it ends"
