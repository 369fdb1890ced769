#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# An address is announced the moment it becomes fit, and not before
# (lib_routed.sh: SLAAC from a router's advertisements, DAD on). While A
# sends to B from its address on link 1, A's link 2 comes up: its new
# address is tentative until DAD completes. The first Binding Update that
# lists it must reach B after DAD completed, within one round trip plus
# 10 ms; no packet may leave A from the address before. Then A's address
# on link 1 is deprecated: A's next update leaves it out, and A's packets
# move to the preferred address, while the connection goes on.

set -e
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_handover.sh"
. "$(dirname "$0")/lib_routed.sh"

require_module
require_cmd hcctl hckeyd jq python3 tshark dumpcap radvd bc

# capture NS DEV NAME: dumpcap on DEV in NS into $out.NAME.pcap, in the
# background; returns once it captures (its PID in $capture_pid).
capture() {
	capture_log=$out.$3.log
	ip netns exec "$1" dumpcap -i "$2" -f ip6 -a duration:300 -w "$out.$3.pcap" \
		> "$capture_log" 2>&1 &
	capture_pid=$!
	wait_until 30 'grep -q Capturing "$capture_log"' ||
		fail "dumpcap on $2 did not start: $(cat "$capture_log")"
}

setup_routed
size=8000000
start_tcp "$peer" 7001 45
log "$SECONDS s: A is $a1 on link 1; B is $peer, ${delay} ms away each way"

na sysctl -qw net.ipv6.conf.acc2.ndisc_notify=1
capture "$nsb" eth0 b
capture_b=$capture_pid
capture "$nsr" r2 link2
capture_link2=$capture_pid
sleep 0.5

ip -n "$nsa" link set acc2 up
wait_until 15 '[ -n "$(global_addr "$nsa" acc2 2001:db8:2:)" ]' ||
	fail "A got no address on link 2: $(ip -n "$nsa" -6 addr show dev acc2)"
a2=$(global_addr "$nsa" acc2 2001:db8:2:)
known "$nsb" "$a2" || fail "B did not learn $a2 (state '$(state "$nsb" "$a2")')"
sleep 1
kill "$capture_b" "$capture_link2"
wait "$capture_b" "$capture_link2" 2> /dev/null || true

# When DAD began (its Neighbor Solicitation, from ::) and when it
# completed (with ndisc_notify, the kernel sends an unsolicited Neighbor
# Advertisement from the address then, just after installing its route).
dad=$(tshark -r "$out.link2.pcap" -Y "icmpv6.type == 135 && ipv6.src == :: && icmpv6.nd.ns.target_address == $a2" \
	-T fields -e frame.time_epoch 2> /dev/null | head -n 1)
fit=$(tshark -r "$out.link2.pcap" -Y "icmpv6.type == 136 && ipv6.src == $a2" \
	-T fields -e frame.time_epoch 2> /dev/null | head -n 1)
[ -n "$dad" ] && [ -n "$fit" ] || fail "link 2's capture lacks $a2's DAD or its advertisement"
# The first packet from the address must be that advertisement.
read -r first_sent first_what <<< "$(tshark -r "$out.link2.pcap" -Y "ipv6.src == $a2" \
	-T fields -e frame.time_epoch -e _ws.col.Info 2> /dev/null | head -n 1)"
# The first update listing it, as B received it.
first_bu=$(tshark -r "$out.b.pcap" -Y "mip6.mhtype == 5 && mip6.bi.coa_ipv6 == $a2" \
	-T fields -e frame.time_epoch 2> /dev/null | head -n 1)
[ -n "$first_bu" ] || fail "B's capture has no update listing $a2"
ms() { echo "scale=1; ($2 - $1) * 1000 / 1" | bc; }
log "$SECONDS s: $a2: DAD took $(ms "$dad" "$fit") ms; the first update reached B $(ms "$fit" "$first_bu") ms after it completed"
[ "$first_sent" = "$fit" ] || fail "a packet left A from $a2 before DAD completed: $first_what"
[ "$(echo "$first_bu >= $fit" | bc)" = 1 ] || fail "$a2 was announced while tentative"
[ "$(echo "$first_bu - $fit <= (2 * $delay + 10) / 1000" | bc -l)" = 1 ] ||
	fail "$a2 reached B more than one round trip plus 10 ms after it became fit"
pass "a new address is announced once DAD completes, and reaches B within a round trip plus 10 ms"

# A new connection from $a1; then the router deprecates link 1's
# prefix: the next update lists only $a2, and A's packets come from it.
capture "$nsb" eth0 b2
capture_b=$capture_pid
start_tcp "$peer" 7002 30
readvertise "AdvPreferredLifetime 0;"
wait_until 20 '[ -n "$(ip -n "$nsa" -6 addr show dev acc1 deprecated)" ]' ||
	fail "A did not deprecate $a1: $(ip -n "$nsa" -6 addr show dev acc1)"
deprecated=$(date +%s.%N)
log "$SECONDS s: A deprecated $a1"
# An address event makes A announce; a deprecation by itself is none.
ip -n "$nsa" addr add 2001:db8:2::99/64 dev acc2
wait_until 10 '[ "$(state "$nsb" 2001:db8:2::99)" = valid ]' ||
	fail "B did not learn 2001:db8:2::99"
flowing "$nsb" 7002 || fail "the connection stopped after $a1 was deprecated"
kill "$capture_b"
wait "$capture_b" 2> /dev/null || true
listed=$(tshark -r "$out.b2.pcap" -Y "mip6.mhtype == 5 && mip6.bi.coa_ipv6 == 2001:db8:2::99" \
	-T fields -e mip6.bi.coa_ipv6 2> /dev/null | tail -n 1)
[ -n "$listed" ] || fail "B's capture has no update listing 2001:db8:2::99"
grep -qF "$a1" <<< "$listed" && fail "the deprecated $a1 is still announced: $listed"
after="frame.time_epoch > $deprecated + 1 && tcp.len > 0"
from_a1=$(tshark -r "$out.b2.pcap" -Y "$after && ipv6.src == $a1" 2> /dev/null | wc -l)
from_a2=$(tshark -r "$out.b2.pcap" -Y "$after && ipv6.src == $a2" 2> /dev/null | wc -l)
log "$SECONDS s: after the deprecation, B received $from_a2 segments from $a2 and $from_a1 from $a1; the update listed $listed"
[ "$from_a2" -gt 0 ] || fail "A's data did not move to $a2"
pass "a deprecated address is not announced, and A's packets leave it"

end_tcp 7001 "link 2 comes up"
end_tcp 7002 "link 1's prefix is deprecated"
report_stall "make-before-break" TCP "$(stall_of 7001)" "$rtt" 7001
report_stall "make-before-break, prefix deprecated" TCP "$(stall_of 7002)" "$rtt" 7002
finish "SLAAC and DAD on link 2"
