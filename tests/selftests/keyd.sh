#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The AH key daemon, hckeyd, one in each host, the test switch off: A's
# first connection to B makes A's module ask for an SA; the daemons run
# their exchange, install the SAs and name them; the Binding Updates then
# go under AH both ways. A transfer survives A's move, and the SAs follow
# the addresses without a new exchange. Restarting both daemons changes no
# SA, and the next move (B's) still verifies. A third host that spoofs A's
# address in a Binding Update redirects nothing. When an entry goes, its
# SAs and policies go. Keys never show in the daemons' logs, and B's daemon
# runs as nobody with CAP_NET_ADMIN only.

set -e
. "$(dirname "$0")/lib.sh"

require_module
require_cmd hcctl hckeyd jq python3
here=$(dirname "$0")
xfer="python3 $here/tcpxfer.py"
out=${TMPDIR:-/tmp}/keyd.$$
nsc=$hc_prefix-c
trap 'rm -f "$out".*; ip netns del "$nsc" 2> /dev/null || true
	cleanup_two_hosts; rm -f "$keyd_log".*' EXIT

A() { hcctl -n "$nsa" "$@"; }
B() { hcctl -n "$nsb" "$@"; }
counter() { hcctl -n "$1" -j stats | jq ".$2"; }
# valid NS: the valid addresses of NS's entries, sorted.
valid() {
	hcctl -n "$1" -j foreign |
		jq -c '[.[].addrs[] | select(.state == "valid") | .addr] | sort'
}
# sas NS: NS's SAs and policies, without keys.
sas() {
	ip -n "$1" xfrm state | sed -E 's/0x[0-9a-f]{16,}/KEY/'
	ip -n "$1" xfrm policy
}
has_sa() { ip -n "$1" xfrm state | grep -q "dst $2\$"; }
has_policy() { ip -n "$1" xfrm policy | grep -q "dst $2/128 "; }
no_unauthenticated() {
	[ "$(counter "$nsa" mh_unauthenticated)" = 0 ] &&
		[ "$(counter "$nsb" mh_unauthenticated)" = 0 ] ||
		fail "$1: unauthenticated Mobility Header messages:" \
			"A $(counter "$nsa" mh_unauthenticated), B $(counter "$nsb" mh_unauthenticated)"
}

setup_two_hosts
start_keyd "$nsa"
start_keyd "$nsb" -u nobody
pid_b=$keyd_pid
na ping -6 -c 1 -W 2 fd00::2 > /dev/null || fail "A cannot reach B"
# ip netns exec execs the daemon: its PID is the daemon's.
wait_for 'grep -q "^Uid:.*65534" /proc/$pid_b/status' ||
	fail "B's daemon does not run as nobody"
status=$(cat /proc/"$pid_b"/status)
grep -q "^CapEff:.*0000000000001000" <<< "$status" ||
	fail "B's daemon keeps more than CAP_NET_ADMIN: $(grep Cap <<< "$status")"
pass "B's daemon runs as nobody with CAP_NET_ADMIN only"

nb $xfer serve 5001 > "$out.recv" &
server=$!
listening "$nsb" tcp 5001 || fail "B's server did not start"
na $xfer send fd00::2 5001 20000000 6 > "$out.sent" &
client=$!
wait_until 20 '[ "$(A -j foreign show fd00::2 2> /dev/null | jq .[0].homeless)" = true ]' ||
	fail "A did not learn that B is homeless: $(A -j stats)"
wait_for '[ "$(B -j foreign show fd00::1 2> /dev/null | jq .[0].homeless)" = true ]' ||
	fail "B did not learn that A is homeless: $(B -j stats)"
[ "$(counter "$nsa" acquires)" = 1 ] || fail "A did not ask for an SA"
A -j foreign show fd00::2 | jq -e '.[0].ah_reqid' > /dev/null ||
	fail "A's entry for B names no SA"
B -j foreign show fd00::1 | jq -e '.[0].ah_reqid' > /dev/null ||
	fail "B's entry for A names no SA"
[ "$(counter "$nsa" mh_authenticated)" -ge 1 ] &&
	[ "$(counter "$nsb" mh_authenticated)" -ge 1 ] ||
	fail "no Binding Update or Acknowledgment under AH"
no_unauthenticated "first contact"
has_sa "$nsa" fd00::2 && has_sa "$nsa" fd00::1 && has_policy "$nsa" fd00::2 ||
	fail "A's SAs: $(sas "$nsa")"
has_sa "$nsb" fd00::1 && has_sa "$nsb" fd00::2 && has_policy "$nsb" fd00::1 ||
	fail "B's SAs: $(sas "$nsb")"
pass "first contact: the daemons set up SAs, the updates go under AH both ways"

ip -n "$nsa" addr add fd00::a1/64 dev veth-a nodad
wait_for '[ "$(valid "$nsb")" = "[\"fd00::1\",\"fd00::a1\"]" ]' ||
	fail "B did not learn A's new address: $(valid "$nsb")"
ip -n "$nsa" addr del fd00::1/64 dev veth-a
nb ip neigh replace fd00::1 lladdr 02:00:00:00:00:99 dev veth-b nud permanent
reap "$client" "$server"
[ -s "$out.sent" ] && [ "$(cat "$out.sent")" = "$(cat "$out.recv")" ] ||
	fail "A sent '$(cat "$out.sent")', B received '$(cat "$out.recv")'"
wait_for '[ "$(valid "$nsb")" = "[\"fd00::a1\"]" ]' ||
	fail "B's view of A: $(valid "$nsb")"
# A's fd00::1 is expired in B's cache: its SA stays (B's updates may look
# for A there) until the address goes.
wait_for 'has_sa "$nsb" fd00::a1 && has_policy "$nsb" fd00::a1 && has_sa "$nsb" fd00::1' ||
	fail "B's SAs did not follow A: $(sas "$nsb")"
wait_for 'has_sa "$nsa" fd00::a1 && ! has_sa "$nsa" fd00::1' ||
	fail "A's SAs did not follow A: $(sas "$nsa")"
no_unauthenticated "A's move"
pass "A moves during a transfer: intact, and the SAs follow without a new exchange"

sas "$nsa" > "$out.sas-a"
sas "$nsb" > "$out.sas-b"
stop_keyd
start_keyd "$nsa"
start_keyd "$nsb"
# Each daemon says it is ready once it has read the state back.
wait_for '[ "$(grep -c " ready:" "$keyd_log.$nsa")" = 2 ] &&
	[ "$(grep -c " ready:" "$keyd_log.$nsb")" = 2 ]' ||
	fail "the daemons did not start again: $(cat "$keyd_log.$nsa" "$keyd_log.$nsb")"
[ "$(sas "$nsa")" = "$(cat "$out.sas-a")" ] && [ "$(sas "$nsb")" = "$(cat "$out.sas-b")" ] ||
	fail "restarting the daemons changed the SAs"
ip -n "$nsb" addr add fd00::b1/64 dev veth-b nodad
wait_for '[ "$(valid "$nsa")" = "[\"fd00::2\",\"fd00::b1\"]" ]' ||
	fail "A did not learn B's new address: $(valid "$nsa")"
ip -n "$nsb" addr del fd00::2/64 dev veth-b
wait_for '[ "$(valid "$nsa")" = "[\"fd00::b1\"]" ]' ||
	fail "A's view of B: $(valid "$nsa")"
wait_for 'has_sa "$nsa" fd00::b1 && has_policy "$nsa" fd00::b1 && has_sa "$nsa" fd00::2' ||
	fail "A's SAs did not follow B: $(sas "$nsa")"
no_unauthenticated "B's move after the restart"
pass "restarted daemons change no SA; B's next move verifies"

# C, beside B on a link of its own, sends B a Binding Update that claims
# A's address and binds C's.
add_host "$nsc" "$nsb" veth-bc fd01::2 veth-c fd01::3
ip -n "$nsc" route add fd00::/64 via fd01::2
ip netns exec "$nsc" ping -6 -c 1 -W 2 fd00::b1 > /dev/null || fail "C cannot reach B"
view=$(valid "$nsb")
ip netns exec "$nsc" python3 "$here/mhsend.py" fd00::a1 fd00::b1 bu
ip netns exec "$nsc" python3 "$here/mhsend.py" fd01::3 fd00::b1 bu
wait_for '[ "$(counter "$nsb" mh_unauthenticated)" = 2 ]' ||
	fail "the spoofed updates were not counted: $(B -j stats)"
[ "$(valid "$nsb")" = "$view" ] || fail "a spoofed update changed B's cache: $(valid "$nsb")"
nb $xfer serve 5002 > "$out.recv2" &
server=$!
listening "$nsb" tcp 5002 || fail "B's server did not start"
na $xfer send fd00::b1 5002 1000000 > "$out.sent2" &
reap $! "$server"
[ -s "$out.sent2" ] && [ "$(cat "$out.sent2")" = "$(cat "$out.recv2")" ] ||
	fail "after the spoofed update A and B no longer talk"
pass "a spoofed update from a third host changes nothing"

for id in $(A -j foreign | jq -r '.[].id'); do
	A foreign del "$id"
done
wait_for '[ -z "$(ip -n "$nsa" xfrm state)" ] && [ -z "$(ip -n "$nsa" xfrm policy)" ]' ||
	fail "A's SAs stay after its entries went: $(sas "$nsa")"
pass "an entry gone, its SAs and policies go"

if grep -Eq '[0-9a-fA-F]{32}' "$keyd_log".*; then
	fail "a daemon logged something that looks like a key"
fi
pass "no key material in the daemons' logs"
