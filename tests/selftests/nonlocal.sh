#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Sources that are not the host's own addresses are left alone. In the
# routed network (lib_routed.sh), A holds 2001:db8:f::/64 as AnyIP (a
# local route, no address) and R routes it to A. Once A and B know each
# other as homeless (a first connection, A's Binding Update accepted),
# connections with A's end in that prefix carry it as their source:
#   1. A connects from 2001:db8:f::1, bound with IPV6_FREEBIND, TCP and UDP;
#   2. A connects from 2001:db8:f::2, bound with IPV6_TRANSPARENT, TCP;
#   3. B connects to A's 2001:db8:f::3, which A's listener on :: accepts.
# Messages go both ways; each must arrive intact, as from the address the
# other end's socket has; no reset on either host.

set -e
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_handover.sh"
. "$(dirname "$0")/lib_routed.sh"

require_module
require_cmd hcctl hckeyd jq python3 radvd bc

setup_routed
trap cleanup_talk EXIT
na ip -6 route add local 2001:db8:f::/64 dev lo
nr ip -6 route add 2001:db8:f::/64 via "$a1"

# The hosts meet: B accepts A's addresses.
start_talk btcp "$nsb" serve tcp 6000
listening "$nsb" tcp 6000 || fail "B's server did not start"
start_talk atcp "$nsa" connect tcp "$peer" 6000
wait_until 20 'homeless "$nsa" && homeless "$nsb"' ||
	fail "the hosts do not know each other as homeless: A $(hcctl -n "$nsa" foreign), B $(hcctl -n "$nsb" foreign)"
rst_a=$(resets "$nsa") rst_b=$(resets "$nsb")

start_talk bfree "$nsb" serve tcp 6001
start_talk bfreeu "$nsb" serve udp 6002
start_talk btransp "$nsb" serve tcp 6003
start_talk a3 "$nsa" serve tcp 6004
listening "$nsb" tcp 6001 && listening "$nsb" udp 6002 &&
	listening "$nsb" tcp 6003 && listening "$nsa" tcp 6004 ||
	fail "a server did not start"

start_talk afree "$nsa" connect tcp "$peer" 6001 from=2001:db8:f::1 freebind
start_talk afreeu "$nsa" connect udp "$peer" 6002 from=2001:db8:f::1 freebind
start_talk atransp "$nsa" connect tcp "$peer" 6003 from=2001:db8:f::2 transparent
start_talk b3 "$nsb" connect tcp 2001:db8:f::3 6004

said a b free "IPV6_FREEBIND, TCP" 2001:db8:f::1
said b a free "IPV6_FREEBIND, TCP" "$peer"
said a b freeu "IPV6_FREEBIND, UDP" 2001:db8:f::1
said b a freeu "IPV6_FREEBIND, UDP" "$peer"
said a b transp "IPV6_TRANSPARENT, TCP" 2001:db8:f::2
said b a transp "IPV6_TRANSPARENT, TCP" "$peer"
said b a 3 "to AnyIP, TCP" "$peer"
said a b 3 "to AnyIP, TCP" 2001:db8:f::3
ra=$(($(resets "$nsa") - rst_a)) rb=$(($(resets "$nsb") - rst_b))
[ "$ra" = 0 ] && [ "$rb" = 0 ] || fail "resets: A $ra, B $rb"
pass "sources that are not the host's addresses: every message intact, from the socket's address; no reset"
