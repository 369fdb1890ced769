#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Redirection flooding (Documentation: Address verification). A and B run
# the key daemons, and A sends B 100 MB. An address B really gained is
# tested and verified. Then B, with its valid SA, binds a victim's address
# instead of its own: V, a third namespace on another link of A's. V must
# get at most 3 probes and none of the transfer, A must leave V's address
# unverified, and the transfer must go on to B intact.

set -e
. "$(dirname "$0")/lib.sh"

require_module
require_cmd hcctl hckeyd jq python3 nft
here=$(dirname "$0")
out=${TMPDIR:-/tmp}/redirect.$$
nsv=$hc_prefix-v
trap 'rm -f "$out".*; ip netns del "$nsv" 2> /dev/null || true
	cleanup_two_hosts; rm -f "$keyd_log".*' EXIT

A() { hcctl -n "$nsa" "$@"; }
counter() { hcctl -n "$nsa" -j stats | jq ".$1"; }
# addr_flag ADDR FLAG: FLAG of B's address ADDR in A's cache.
addr_flag() {
	A -j foreign show fd00::2 |
		jq -r --arg a "$1" ".[0].addrs[] | select(.addr == \$a) | .$2"
}
# at_v KIND: packets from A that reached V: "probes" (the Mobility Header,
# bare or under AH) or "payload" (TCP).
at_v() {
	ip netns exec "$nsv" nft list chain ip6 watch in |
		awk -v kind="$1" '$0 ~ "comment \"" kind "\"" {
			for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }'
}

setup_two_hosts
add_host "$nsv" "$nsa" veth-v fd01::1 veth-w fd01::2
ip netns exec "$nsv" nft -f - <<-EOF
	table ip6 watch {
		chain in {
			type filter hook prerouting priority 0;
			ip6 saddr { fd00::1, fd01::1 } ip6 nexthdr { ah, 135 } counter comment "probes"
			ip6 saddr { fd00::1, fd01::1 } meta l4proto tcp counter comment "payload"
		}
	}
EOF

start_keyd "$nsa"
start_keyd "$nsb"
nb python3 "$here/tcpxfer.py" serve 5001 > "$out.recv" &
server=$!
listening "$nsb" tcp 5001 || fail "B's server did not start"
na python3 "$here/tcpxfer.py" send fd00::2 5001 100000000 25 > "$out.sent" &
client=$!
wait_until 20 '[ "$(A -j foreign show fd00::2 2> /dev/null | jq .[0].homeless)" = true ] &&
	[ "$(hcctl -n "$nsb" -j foreign show fd00::1 2> /dev/null | jq .[0].ah_reqid)" != null ]' ||
	fail "A and B did not become homeless peers under SAs: $(A -j foreign)"
pass "A and B know each other as homeless, under SAs"

ip -n "$nsb" addr add fd00::3/64 dev veth-b nodad
wait_until 10 '[ "$(addr_flag fd00::3 verified)" = true ]' ||
	fail "B's new address was not verified: $(A -j foreign; A -j stats)"
pass "an address B gained was tested and verified ($(counter tests_sent) tests sent)"

# B's SA protects what any process of B sends A in the Mobility Header.
status=$(nb python3 "$here/mhsend.py" bind fd00::2 fd00::1 fd01::2 | cut -d' ' -f1)
[ "$status" = 0 ] || fail "A refused the attacker's update with status $status"
[ "$(addr_flag fd01::2 state)" = valid ] ||
	fail "the update did not bind V's address: $(A -j foreign)"
flowing "$nsb" 5001 || fail "the transfer stopped after the attack"
wait_until 15 '[ "$(counter tests_failed)" -ge 1 ]' ||
	fail "A did not give up testing V's address: $(A -j stats)"
[ "$(addr_flag fd01::2 verified)" = false ] ||
	fail "A verified V's address"
probes=$(at_v probes)
tcp=$(at_v payload)
log "at V: $probes probes, $tcp TCP packets"
[ "$probes" -le 3 ] || fail "V got $probes probes"
[ "$tcp" = 0 ] || fail "V got $tcp packets of the transfer"
pass "V got $probes probes and nothing of the transfer; its address stays unverified"

reap "$client" "$server"
read -r sent_bytes sent_hash < "$out.sent"
read -r recv_bytes recv_hash < "$out.recv"
[ "$sent_bytes" = 100000000 ] && [ "$sent_hash" = "$recv_hash" ] ||
	fail "the transfer to B broke: sent $sent_bytes $sent_hash, B got $recv_bytes $recv_hash"
pass "the 100 MB transfer reached B intact"
