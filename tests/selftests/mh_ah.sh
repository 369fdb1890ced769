#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# AH protection of bindings, with SAs installed by hand (ip xfrm) the way
# a key daemon would install them: transport-mode AH, hmac(sha256), for
# the Mobility Header only, and named in each peer's entry by reqid. The
# test switch stays off in both hosts.
#
# A opens a connection to B: A's module asks for an SA (an acquire event)
# and sends nothing; once the SA is named, A's Binding Update goes under
# AH and B accepts it, and B's answers come back under AH. Then B refuses,
# each counted: an update without AH, a replayed protected one, one under
# the SA of another peer, one with a bad ICV. Last, A drops every address
# before it gains a new one (break before make): its update from an
# address B never saw, under A's SA, moves A's entry at B.

set -e
. "$(dirname "$0")/lib.sh"

require_module
require_cmd hcctl jq tshark python3
setup_two_hosts
dir=$(dirname "$0")
pcap=${TMPDIR:-/tmp}/mh_ah.$$.pcap
events=${TMPDIR:-/tmp}/mh_ah.$$.events
trap 'kill $capture $monitor 2> /dev/null || true; rm -f "$pcap" "$events"
	cleanup_two_hosts' EXIT

A() { hcctl -n "$nsa" "$@"; }
B() { hcctl -n "$nsb" "$@"; }
counter() { hcctl -n "$1" -j stats | jq ".$2"; }
xfrm_stat() { ip netns exec "$1" awk -v k="$2" '$1 == k { print $2 }' /proc/net/xfrm_stat; }
# B's valid addresses of the entry with AH reqid 88 (A's).
b_view() {
	B -j foreign | jq -c '[.[] | select(.ah_reqid == 88) | .addrs[] |
		select(.state == "valid") | .addr] | sort'
}

key_ab=0x$(printf '1%.0s' $(seq 64))
key_ba=0x$(printf '2%.0s' $(seq 64))
key_other=0x$(printf '3%.0s' $(seq 64))
key_bad=0x$(printf '4%.0s' $(seq 64))

# sa NS DST SPI KEY REQID: a transport-mode AH SA for the Mobility Header;
# any source, so that it still serves when the sender's address changes.
sa() {
	ip -n "$1" xfrm state add src :: dst "$2" proto ah spi "$3" reqid "$5" \
		mode transport replay-window 32 \
		auth-trunc 'hmac(sha256)' "$4" 128 \
		sel src ::/0 dst ::/0 proto 135
}
sa_del() { ip -n "$1" xfrm state del src :: dst "$2" proto ah spi "$3"; }
# Every Mobility Header message a host sends goes under its reqid's SA.
policy() {
	ip -n "$1" xfrm policy add src ::/0 dst ::/0 proto 135 dir out \
		tmpl proto ah mode transport reqid "$2"
}

policy "$nsa" 77
policy "$nsb" 88
sa "$nsa" fd00::2 0x1000 "$key_ab" 77	# A -> B
sa "$nsb" fd00::2 0x1000 "$key_ab" 88
for addr in fd00::1 fd00::a9; do	# B -> A, where A is and will be
	sa "$nsb" "$addr" 0x2000 "$key_ba" 88
	sa "$nsa" "$addr" 0x2000 "$key_ba" 77
done
B foreign add fd00::1 ah-reqid 88 > /dev/null	# B's daemon as responder

ip netns exec "$nsa" tshark -i veth-a -F pcap -f "ip6" -a duration:300 -w "$pcap" > /dev/null 2>&1 &
capture=$!
for _ in $(seq 100); do
	na ping -6 -c 1 -W 1 fd00::2 > /dev/null || true
	[ "$(stat -c %s "$pcap" 2> /dev/null || echo 0)" -gt 200 ] && break
	sleep 0.2
done 2> /dev/null
start_monitor "$nsa" "$events"
monitor=$monitor_pid

# A talks to B: its entry for B asks for an SA and nothing goes to B.
ip netns exec "$nsb" python3 "$dir/tcpxfer.py" serve 5001 > /dev/null &
server=$!
listening "$nsb" tcp 5001 || fail "B's server did not start"
na python3 "$dir/tcpxfer.py" send fd00::2 5001 100000 > /dev/null
reap $! "$server"
wait_for 'grep -q "^acquire foreign" "$events"' ||
	fail "no acquire event: $(cat "$events")"
[ "$(counter "$nsa" acquires)" = 1 ] || fail "acquires not counted"
[ "$(counter "$nsb" mh_received)" = 0 ] || fail "A sent a Binding Update without an SA"
A foreign show fd00::2 | grep -q ah-reqid && fail "the entry has an SA already"
pass "A talks to B, has no SA: it asks key daemons for one and sends nothing"

A foreign set fd00::2 ah-reqid 77 > /dev/null
wait_for '[ "$(A -j foreign show fd00::2 | jq .[0].homeless)" = true ]' ||
	fail "A did not learn that B is homeless: $(A -j stats)"
wait_for '[ "$(counter "$nsa" mh_bu_accepted)" -ge 1 ]' ||
	fail "A did not accept B's Binding Update: $(A -j stats)"
[ "$(counter "$nsb" mh_authenticated)" -ge 1 ] || fail "B saw no update under AH"
[ "$(counter "$nsb" mh_bu_accepted)" -ge 1 ] || fail "B accepted no update"
[ "$(counter "$nsb" mh_unauthenticated)" = 0 ] || fail "B saw an update without AH"
[ "$(counter "$nsa" mh_bu_acked)" -ge 1 ] || fail "A's update was not acknowledged"
[ "$(B -j foreign show fd00::1 | jq .[0].homeless)" = true ] ||
	fail "B did not learn that A is homeless"
pass "the SA named, A's update goes under AH; B accepts it and answers under AH"

view=$(b_view)
accepted=$(counter "$nsb" mh_bu_accepted)
na python3 "$dir/mhsend.py" fd00::1 fd00::2 bu
wait_for '[ "$(counter "$nsb" mh_unauthenticated)" = 1 ]' ||
	fail "the update without AH was not counted: $(B -j stats)"
[ "$(counter "$nsb" mh_bu_accepted)" = "$accepted" ] || fail "an update without AH was accepted"
[ "$(b_view)" = "$view" ] || fail "an update without AH changed A's entry: $(b_view)"
pass "an update without AH changes nothing and is counted"

kill "$capture"
wait "$capture" || true
received=$(counter "$nsb" mh_received)
replays=$(xfrm_stat "$nsb" XfrmInStateSeqError)
na python3 "$dir/ahreplay.py" "$pcap" veth-a fd00::1 || fail "nothing to replay"
wait_for '[ "$(xfrm_stat "$nsb" XfrmInStateSeqError)" -gt "$replays" ]' ||
	fail "the replay was not dropped by the replay window"
[ "$(counter "$nsb" mh_received)" = "$received" ] || fail "the replay reached the module"
[ "$(b_view)" = "$view" ] || fail "a replay changed A's entry"
pass "a replayed protected update is dropped by AH's replay window"

# Another peer's SA: B has an entry for fd00::5 with its own SA, and A
# sends with it.
B foreign add fd00::5 ah-reqid 99 > /dev/null
sa "$nsb" fd00::2 0x3000 "$key_other" 99
sa_del "$nsa" fd00::2 0x1000
sa "$nsa" fd00::2 0x3000 "$key_other" 77
ip -n "$nsa" addr add fd00::a3/64 dev veth-a nodad
wait_for '[ "$(counter "$nsb" mh_wrong_sa)" -ge 1 ]' ||
	fail "an update under another peer's SA was not counted: $(B -j stats)"
[ "$(b_view)" = "$view" ] || fail "another peer's SA changed A's entry: $(b_view)"
[ "$(B -j foreign show fd00::5 | jq -c '[.[0].addrs[].addr]')" = '["fd00::5"]' ] ||
	fail "another peer's SA changed that peer's entry"
pass "an update under another peer's SA changes nothing and is counted"

sa_del "$nsa" fd00::2 0x3000
sa "$nsa" fd00::2 0x1000 "$key_bad" 77
received=$(counter "$nsb" mh_received)
icv=$(xfrm_stat "$nsb" XfrmInStateProtoError)
ip -n "$nsa" addr add fd00::a4/64 dev veth-a nodad
wait_for '[ "$(xfrm_stat "$nsb" XfrmInStateProtoError)" -gt "$icv" ]' ||
	fail "an update with a bad ICV was not dropped by xfrm"
[ "$(counter "$nsb" mh_received)" = "$received" ] || fail "a bad ICV reached the module"
[ "$(b_view)" = "$view" ] || fail "a bad ICV changed A's entry: $(b_view)"
pass "an update with a bad ICV is dropped by xfrm; nothing changes"

# Good keys again, with fresh replay windows; then A loses every address
# before it gains fd00::a9.
sa_del "$nsa" fd00::2 0x1000
sa_del "$nsb" fd00::2 0x1000
sa "$nsa" fd00::2 0x1000 "$key_ab" 77
sa "$nsb" fd00::2 0x1000 "$key_ab" 88
for addr in fd00::1 fd00::a3 fd00::a4; do
	ip -n "$nsa" addr del "$addr/64" dev veth-a
done
acked=$(counter "$nsa" mh_bu_acked)
ip -n "$nsa" addr add fd00::a9/64 dev veth-a nodad
wait_for '[ "$(b_view)" = "[\"fd00::a9\"]" ]' ||
	fail "B's view of A is $(b_view), expected only fd00::a9"
[ "$(B -j foreign | jq length)" = 2 ] || fail "B made an entry for A's new address"
wait_for '[ "$(counter "$nsa" mh_bu_acked)" -gt "$acked" ]' ||
	fail "B's acknowledgment did not reach A's new address"
pass "break before make: an update from an address B never saw, under A's SA, moves A's entry"
