#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Binding Update retransmission (RFC 6275 11.8, 11.7.1): while A talks to
# B (a UDP flow) and B does not answer, A sends its update again after 1,
# 2, 4, 8, 16 and 32 seconds and then every 32 seconds, without giving
# up, each send with a new sequence number; once B answers, the update is
# acknowledged. The test switch stands in for the SAs (B refuses updates
# not under AH while it is off).

set -e
. "$(dirname "$0")/lib.sh"

require_module
require_cmd hcctl jq tshark dumpcap python3 bc

out=${TMPDIR:-/tmp}/bu_retransmit.$$
cleanup() {
	rm -f "$out".*
	cleanup_two_hosts
}
setup_two_hosts
trap cleanup EXIT
for ns in "$nsa" "$nsb"; do
	hcctl -n "$ns" param set accept-unauthenticated on
done
stat() { hcctl -n "$1" -j stats | jq ".$2"; }
na ping -6 -c 1 -W 2 fd00::2 > /dev/null || fail "A cannot reach B"

hcctl -n "$nsa" foreign add fd00::2 > /dev/null
hcctl -n "$nsa" foreign set fd00::2 homeless > /dev/null
ip netns exec "$nsb" python3 "$(dirname "$0")/udpflow.py" serve 5003 > /dev/null 2>&1 &
server=$!
listening "$nsb" udp 5003 || fail "B's server did not start"
ip netns exec "$nsa" python3 "$(dirname "$0")/udpflow.py" send fd00::2 5003 300 0.5 > /dev/null 2>&1 &
client=$!

ip netns exec "$nsa" dumpcap -i veth-a -f "ip6 proto 135" -a duration:200 -w "$out.pcap" > "$out.log" 2>&1 &
capture=$!
wait_until 30 'grep -q Capturing "$out.log"' || fail "dumpcap did not start: $(cat "$out.log")"

# B stops answering; A gains an address and must tell B.
hcctl -n "$nsb" param set accept-unauthenticated off
ip -n "$nsa" addr add fd00::a/64 dev veth-a nodad
log "B does not answer for 100 s"
sleep 100
[ "$(stat "$nsa" mh_bu_given_up)" = 0 ] || fail "A gave B up"
hcctl -n "$nsb" param set accept-unauthenticated on
wait_until 40 '[ "$(hcctl -n "$nsb" -j foreign | jq -r ".[].addrs[] | select(.addr == \"fd00::a\") | .state")" = valid ]' ||
	fail "B never learned fd00::a"
wait_for '[ "$(stat "$nsa" mh_bu_acked)" -ge 1 ]' || fail "A's update was never acknowledged"
kill "$capture" "$client" "$server" 2> /dev/null || true
wait "$capture" 2> /dev/null || true

# A's updates listing fd00::a, in the order sent: time and sequence number.
tshark -r "$out.pcap" -Y "ipv6.src == fd00::1 && mip6.mhtype == 5 && mip6.bi.coa_ipv6 == fd00::a" \
	-T fields -e frame.time_epoch -e mip6.bu.seqnr 2> /dev/null > "$out.sends"
log "A's sends: $(awk 'NR == 1 { t = $1 } { printf "%.1f s #%s, ", $1 - t, $2 }' "$out.sends")"
[ "$(wc -l < "$out.sends")" -ge 8 ] || fail "A sent $(wc -l < "$out.sends") updates in 100 s, not 8"
# Each a new number, one more than the last (modulo 2^16).
awk 'NR > 1 && $2 != (last + 1) % 65536 { exit 1 } { last = $2 }' "$out.sends" ||
	fail "the sequence numbers do not each grow by one"
# The first 8 gaps double from 1 s to 32 s, then stay at 32 s: no sooner, and
# later only by the timer wheel's rounding of long timers (up to 1/8) and
# 0.3 s of scheduling.
awk 'NR > 1 && NR <= 8 { gap = $1 - t; want = 2 ^ (NR - 2); if (want > 32) want = 32
	if (gap < want - 0.1 || gap > want * 1.125 + 0.3) { print "gap " NR - 1 ": " gap " s, not " want; bad = 1 } }
	{ t = $1 } END { exit bad }' "$out.sends" > "$out.gaps" ||
	fail "back-off: $(cat "$out.gaps")"
pass "A sends its update again after 1, 2, 4, 8, 16, 32, 32 s, each with a new number, and does not give up"
