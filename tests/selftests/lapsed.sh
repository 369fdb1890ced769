#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Addresses a peer left, and peers whose bindings lapsed (lib_routed.sh).
# A holds a TCP connection and a UDP flow (connected on A, an unconnected
# server on B) to B at B's first address, b1. B is renumbered: A's Host
# Cache keeps b1 as expired, and the connection goes on at B's new
# address.
#   1. Another host, C, now holds b1 (R routes it there). A new
#      connection from A to b1 must reach C, not B (draft 2.1.3: an
#      expired address may be someone else's), while the old flows still
#      reach B. MAXIMUM-EXPIRED-LIFETIME ($max_expired s) after b1
#      expired, A's Host Cache no longer has it, the old flows still
#      reach B (they keep their identifiers), and a new connection to b1
#      reaches C again, through an entry of C's own.
#   2. R cuts B off for longer than B's binding lifetime ($lifetime s):
#      every address of B expires in A's Host Cache. A's sends on the
#      connection then fail fast: the UDP socket's with EHOSTUNREACH
#      (draft 2.2: as if an ICMP Destination Unreachable came), TCP's
#      segment is refused and retransmitted. Once R lets B through again,
#      B's update renews its bindings and both flows go on, their
#      messages intact, with no reset on either host.

set -e
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_handover.sh"
. "$(dirname "$0")/lib_routed.sh"

require_module
require_cmd hcctl hckeyd jq python3 radvd bc nft

nsc=$hc_prefix-c
b2=2001:db8:101::2
# B refreshes at three quarters of it: a quarter is the margin a loaded
# machine has for the refresh to arrive.
lifetime=12
max_expired=30

in_c() { ip netns exec "$nsc" "$@"; }
cleanup_lapsed() {
	ip netns del "$nsc" 2> /dev/null || true
	cleanup_talk
}

# addr_state NS ADDR: ADDR's state in NS's Host Cache, if it is there.
addr_state() {
	hcctl -n "$1" -j foreign |
		jq -r --arg a "$2" '.[].addrs[] | select(.addr == $a) | .state'
}

# in_b_entry ADDR: ADDR's state in the entry of A's Host Cache that holds
# B's b2, if it is there. (An entry of C's own for b1 may come sooner: a
# late segment of A's connection to C, sent once b1 is gone from B's.)
in_b_entry() {
	hcctl -n "$nsa" -j foreign |
		jq -r --arg a "$1" --arg b "$b2" \
			'.[] | select(any(.addrs[]; .addr == $b)) | .addrs[] | select(.addr == $a) | .state'
}

setup_routed
trap cleanup_lapsed EXIT
b_may_move
hcctl -n "$nsb" param set binding-lifetime "$lifetime"
hcctl -n "$nsa" param set max-expired-lifetime "$max_expired"

start_talk btcp "$nsb" serve tcp 7100
start_talk budp "$nsb" serve udp 7101
listening "$nsb" tcp 7100 && listening "$nsb" udp 7101 || fail "B's servers did not start"
start_talk atcp "$nsa" connect tcp "$peer" 7100
start_talk audp "$nsa" connect udp "$peer" 7101
exchange a b "before the move"
wait_until 20 'homeless "$nsa" && homeless "$nsb"' ||
	fail "the hosts do not know each other as homeless"
rst_a=$(resets "$nsa") rst_b=$(resets "$nsb")

nb ip addr add "$b2/64" dev eth0
wait_until 5 'settled "$nsb"' || fail "B's $b2 stayed tentative"
nb ip addr del "$peer/64" dev eth0
wait_until 15 '[ "$(addr_state "$nsa" "$peer")" = expired ] &&
	[ "$(addr_state "$nsa" "$b2")" = valid ]' ||
	fail "A did not take B's move: $(hcctl -n "$nsa" foreign)"
# Only b1 goes soon; what expires later is kept for the default time.
hcctl -n "$nsa" param set max-expired-lifetime 1800
exchange a b "B moved"

# 1. C takes b1.
add_host "$nsc" "$nsr" rc 2001:db8:200::1 eth0 2001:db8:200::2
in_c ip addr add "$peer/128" dev eth0 nodad
in_c ip -6 route add default via 2001:db8:200::1
nr ip -6 route add "$peer/128" via 2001:db8:200::2
# new_to_b1 WHAT: A's new connection to b1 must reach C, not B.
new_to_b1() {
	local ns servers=
	for ns in "$nsb" "$nsc"; do
		ip netns exec "$ns" $xfer serve 7200 > "$out.new.$ns" 2>&1 &
		servers="$servers $!"
	done
	listening "$nsb" tcp 7200 && listening "$nsc" tcp 7200 ||
		fail "$1: the servers on 7200 did not start"
	na timeout 30 $xfer send "$peer" 7200 100000 > "$out.new.sent" 2>&1 ||
		fail "$1: A's new connection to $peer failed: $(cat "$out.new.sent")"
	wait_until 10 '[ -s "$out.new.$nsc" ] || [ -s "$out.new.$nsb" ]' || true
	[ "$(cat "$out.new.$nsc")" = "$(cat "$out.new.sent")" ] ||
		fail "$1: A's new connection to $peer, which B left, reached B ('$(cat "$out.new.$nsb")'), not C ('$(cat "$out.new.$nsc")')"
	[ ! -s "$out.new.$nsb" ] || fail "$1: B also got a connection to 7200"
	kill $servers 2> /dev/null || true
	wait $servers 2> /dev/null || true
}
[ "$(addr_state "$nsa" "$peer")" = expired ] ||
	fail "b1 is not expired in A's Host Cache any more: $(hcctl -n "$nsa" foreign)"
new_to_b1 "b1 expired"
pass "a new connection to an address B left reaches its new holder, C"
exchange a b "C holds b1"
pass "the old connection still reaches B"

wait_until $((max_expired + 10)) '[ -z "$(in_b_entry "$peer")" ]' ||
	fail "A still has B's old address $peer ($(in_b_entry "$peer")) past MAXIMUM-EXPIRED-LIFETIME: $(hcctl -n "$nsa" foreign)"
exchange a b "b1 removed"
pass "A removed b1 after MAXIMUM-EXPIRED-LIFETIME; the old connection still reaches B"
new_to_b1 "b1 removed"
[ "$(hcctl -n "$nsa" -j foreign | jq --arg a "$peer" --arg b "$b2" \
	'[.[] | select(any(.addrs[]; .addr == $a)) | select(any(.addrs[]; .addr == $b) | not)] | length')" = 1 ] ||
	fail "A has no entry of C's own for $peer: $(hcctl -n "$nsa" foreign)"
pass "a new connection to b1 reaches C through an entry of C's own"

# 2. B's bindings lapse in A's Host Cache.
nr nft -f - <<-EOF
table ip6 hc_test {
	chain forward {
		type filter hook forward priority 0;
		ip6 saddr $b2 drop
		ip6 daddr $b2 drop
	}
}
EOF
wait_until $((lifetime * 4)) '[ "$(hcctl -n "$nsa" -j foreign | jq --arg a "$b2" \
	"[.[] | select(any(.addrs[]; .addr == \$a)) | .addrs[] | select(.state != \"expired\")] | length")" = 0 ]' ||
	fail "B's addresses did not all expire in A: $(hcctl -n "$nsa" foreign)"
log "$SECONDS s: every address of B expired in A"
for proto in udp tcp; do
	fd=$(eval echo "\$talk_a$proto")
	echo "send 1000" >&"$fd"
done
wait_for 'grep -q "^failed No route to host" "$out.audp.log"' ||
	fail "A's UDP send did not fail with EHOSTUNREACH: $(tail -n 2 "$out.audp.log")"
wait_for 'grep -q "^sent" "$out.atcp.log"' || fail "A's TCP send failed: $(tail -n 2 "$out.atcp.log")"
refused=$(hcctl -n "$nsa" -j stats | jq .unreachable)
[ "$refused" -ge 2 ] || fail "A refused $refused packets as unreachable, not at least 2"
pass "with B's bindings lapsed, A's sends fail with EHOSTUNREACH ($refused packets refused)"

nr nft delete table ip6 hc_test
read -r _ _ sum _ <<< "$(grep '^sent' "$out.atcp.log" | tail -n 1)"
wait_until 60 'grep -q "^got 1000 $sum" "$out.btcp.log"' ||
	fail "the TCP message A sent while B was cut off did not arrive: $(hcctl -n "$nsa" foreign)"
log "$SECONDS s: the TCP message from before reached B"
wait_until 15 '[ "$(hcctl -n "$nsa" -j foreign | jq -r --arg a "$b2" \
	".[].addrs[] | select(.addr == \$a and .state == \"valid\" and .verified) | .addr")" = "$b2" ]' ||
	fail "A cannot send to B's $b2 again: $(hcctl -n "$nsa" foreign)"
exchange a b "B back"
ra=$(($(resets "$nsa") - rst_a)) rb=$(($(resets "$nsb") - rst_b))
[ "$ra" = 0 ] && [ "$rb" = 0 ] || fail "resets: A $ra, B $rb"
pass "once B's update renews its bindings, both flows go on, with no reset"
