#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Mobility Header messages on the wire: B receives messages from A, each
# well-formed or broken in one way. Each is counted under its verdict in
# "hcctl -s", and nothing reaches B's Host Cache: the broken ones are
# refused, and the well-formed Binding Updates too, as they are not under
# AH.
# The unknown type is answered with a Binding Error, the wrong payload
# proto with an ICMPv6 Parameter Problem. With the test switch on, an
# update gets no more lifetime than max-binding-lifetime, and one that
# binds B's own address is refused.

set -e
. "$(dirname "$0")/lib.sh"

require_module
require_cmd hcctl jq python3
setup_two_hosts
send="python3 $(dirname "$0")/mhsend.py fd00::1 fd00::2"
stat() { hcctl -n "$nsb" -j stats | jq ".$1"; }

# Resolve the neighbours first: packets queued for resolution may be lost.
na ping -6 -c 1 -W 2 fd00::2 > /dev/null || fail "A cannot reach B"
na $send bu bad-checksum unknown-type bid-length misaligned proto truncated bu
for _ in $(seq 20); do
	[ "$(stat mh_received)" = 8 ] && break
	sleep 0.1
done

# The BID option of length 6 and the misaligned one are counted, in
# Binding Updates that are well-formed all the same (refused for want of
# AH; under it they would get 164, and be read).
for expect in received:8 well_formed:4 unauthenticated:4 checksum:1 type:1 \
	bid_length:1 align:1 proto:1 length:1 short:0 option:0; do
	name=mh_${expect%%:*} want=${expect#*:}
	[ "$(stat "$name")" = "$want" ] || fail "$name is $(stat "$name"), not $want"
done
pass "each message counted under its verdict: $(hcctl -n "$nsb" -j stats | jq -c 'with_entries(select(.key | startswith("mh_")))')"

[ "$(hcctl -n "$nsb" -j foreign | jq length)" = 0 ] || fail "a Binding Update changed the cache"
# B answered the unknown type with a Binding Error: A got it, well-formed.
for _ in $(seq 20); do
	[ "$(hcctl -n "$nsa" -j stats | jq .mh_received)" = 1 ] && break
	sleep 0.1
done
[ "$(stat mh_errors_sent)" = 1 ] || fail "B sent $(stat mh_errors_sent) Binding Errors, not 1"
[ "$(hcctl -n "$nsa" -j stats | jq -c '[.mh_received, .mh_well_formed]')" = "[1,1]" ] ||
	fail "A did not receive B's Binding Error alone: $(hcctl -n "$nsa" -j stats | jq -c .)"
[ "$(stat mh_received)" = 8 ] || fail "the counters are not per namespace"
# ... and the wrong payload proto with an ICMPv6 Parameter Problem.
problems=$(na awk '$1 == "Icmp6InParmProblems" { print $2 }' /proc/net/snmp6)
[ "$problems" = 1 ] || fail "A received $problems Parameter Problems, not 1"
pass "no message changed the Host Cache; B answered the unknown type with a Binding Error, the wrong proto with a Parameter Problem; counters are per namespace"

hcctl -n "$nsb" param set accept-unauthenticated on max-binding-lifetime 8
answer=$(na python3 "$(dirname "$0")/mhsend.py" bind fd00::1 fd00::2 fd00::1)
[ "$answer" = "0 8" ] || fail "B answered a 40 s update with \"$answer\", not \"0 8\""
expires=$(hcctl -n "$nsb" -j foreign show fd00::1 | jq '.[0].addrs[0].expires')
[ "$expires" -le 8 ] || fail "B gave the binding $expires s"
pass "a 40 s update is granted max-binding-lifetime, 8 s"

answer=$(na python3 "$(dirname "$0")/mhsend.py" bind fd00::1 fd00::2 fd00::1 fd00::2)
[ "$answer" = "174 0" ] || fail "B answered an update that binds its own address with \"$answer\""
[ "$(hcctl -n "$nsb" -j foreign | jq -c '[.[].addrs[].addr]')" = '["fd00::1"]' ] ||
	fail "the refused update changed B's cache: $(hcctl -n "$nsb" -j foreign)"
pass "an update that binds B's own address is refused with 174"
