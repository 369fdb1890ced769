#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The rewriting benchmarks, run inside the benchmark guest (see
# bench-rewrite.sh). Writes bench.txt, acked.dat and move.txt to
# $HC_RESULTS.

set -eu
export PATH=$HC_TOP/tools/hcctl:$PATH
. "$HC_TOP/tests/selftests/lib.sh"
res=$HC_RESULTS
out=$res/bench.txt
n=${HC_BENCH_ENTRIES:-100000}
rounds=${HC_BENCH_ROUNDS:-3}
: > "$out"
say() { echo "$*" | tee -a "$out"; }
cd "$TMPDIR"

# known NS ADDR: wait up to 5 s for ADDR to be valid in NS's Host Cache.
known() {
	local i
	for i in $(seq 50); do
		hcctl -n "$1" -j foreign | jq -e --arg a "$2" \
			'.[]?.addrs[] | select(.addr == $a and .state == "valid")' \
			> /dev/null && return 0
		sleep 0.1
	done
	return 1
}

# throughput [OLD NEW]: iperf3 from A to B's fd00::2 for 14 s; with OLD
# and NEW, B moves from OLD to NEW at 2 s. Prints the mean bit rate of
# seconds 5 to 14.
throughput() {
	nb iperf3 -s -1 > /dev/null 2>&1 &
	local server=$!
	sleep 0.5
	na iperf3 -c fd00::2 -t 14 -i 1 -J > iperf.json &
	local client=$!
	if [ $# = 2 ]; then
		sleep 2
		ip -n "$nsb" addr add "$2/64" dev veth-b nodad
		known "$nsa" "$2" || say "WRONG: A did not learn B's $2" >&2
		ip -n "$nsb" addr del "$1/64" dev veth-b
		na ip neigh replace "$1" lladdr 02:00:00:00:00:99 dev veth-a nud permanent
	fi
	wait "$client" || say "WRONG: iperf3 failed" >&2
	wait "$server" || true
	jq '[.intervals[5:][] | .sum.bits_per_second] | add / length' iperf.json
}

two_hosts() {
	setup_two_hosts
	na ping -6 -c 1 -W 2 fd00::2 > /dev/null
	if [ -d /sys/module/hostcache ]; then
		hcctl -n "$nsa" param set accept-unauthenticated on max-entries $((n + 100))
		hcctl -n "$nsb" param set accept-unauthenticated on max-entries $((n + 100))
	fi
}

gbps() { echo "scale=2; $1 / 1000000000" | bc; }
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
list() { for v; do printf '%s ' "$(gbps "$v")"; done; }

throughputs() {
# Without the module and with it, in turns, so that drift in the
# machine's speed weighs on both alike.
base=() still=() moved=()
for r in $(seq "$rounds"); do
	two_hosts
	base+=("$(throughput)")
	cleanup_two_hosts
	insmod "$HC_TOP/hostcache.ko"
	two_hosts
	still+=("$(throughput)")
	cleanup_two_hosts
	two_hosts
	moved+=("$(throughput fd00::2 fd00::b1)")
	flows=$(hcctl -n "$nsa" -j stats | jq .flows)
	cleanup_two_hosts
	rmmod hostcache
done
b=$(echo "${base[*]}" | median) m=$(echo "${moved[*]}" | median)
st=$(echo "${still[*]}" | median)
say "TCP throughput, iperf3 A -> B over veth, mean of seconds 5-14 of each"
say "run, $rounds runs each, in turns; medians:"
say "  without the module:   $(gbps "$b") Gbit/s (runs: $(list "${base[@]}"))"
say "  module, no move (hooks and flow lookups, nothing to rewrite):"
say "                        $(gbps "$st") Gbit/s (runs: $(list "${still[@]}")), ratio $(echo "scale=3; $st / $b" | bc)"
say "  module, B moved at 2 s, every packet rewritten at both ends (A's flows: $flows):"
say "                        $(gbps "$m") Gbit/s (runs: $(list "${moved[@]}")), ratio $(echo "scale=3; $m / $b" | bc)"

# The same with $n unrelated entries in both caches: filled once, then B
# moves to a new address in every run.
insmod "$HC_TOP/hostcache.ko"
two_hosts
start=$(date +%s)
ip netns exec "$nsa" python3 "$HC_TOP/tests/selftests/hcnl.py" fill "$n" 2001:db8:1000::1 1 > /dev/null
ip netns exec "$nsb" python3 "$HC_TOP/tests/selftests/hcnl.py" fill "$n" 2001:db8:1000::1 1 > /dev/null
filled=$(($(date +%s) - start))
entries=$(hcctl -n "$nsa" -j stats | jq .entries)
crowded=()
old=fd00::2
for r in $(seq "$rounds"); do
	crowded+=("$(throughput "$old" "fd00::b$r")")
	old=fd00::b$r
done
c=$(echo "${crowded[*]}" | median)
say "  the same with $entries entries in A's cache and as many in B's (filled in $filled s):"
say "                        $(gbps "$c") Gbit/s (runs: $(list "${crowded[@]}")), ratio $(echo "scale=3; $c / $b" | bc)"
cleanup_two_hosts
rmmod hostcache
}

[ "$rounds" -gt 0 ] && throughputs
insmod "$HC_TOP/hostcache.ko"

say ""
say "Handover, 20 ms one-way delay on the link (netem at both ends):"
two_hosts
na tc qdisc add dev veth-a root netem delay 20ms limit 100000
nb tc qdisc add dev veth-b root netem delay 20ms limit 100000
rtt=$(na ping -6 -c 5 -i 0.2 fd00::2 | awk -F/ '/^rtt/ { print $5 }')
say "  ping round trip: $rtt ms (mean of 5)"
na tshark -q -i veth-a -s 128 -w "$TMPDIR/move.pcap" -a duration:60 > /dev/null 2>&1 &
capture=$!
for _ in $(seq 100); do
	na ping -6 -c 1 -W 1 fd00::2 > /dev/null || true
	[ "$(stat -c %s "$TMPDIR/move.pcap" 2> /dev/null || echo 0)" -gt 400 ] && break
	sleep 0.2
done
nb python3 "$HC_TOP/tests/selftests/tcpxfer.py" serve 5001 > recv.txt &
server=$!
sleep 0.5
na python3 "$HC_TOP/tests/selftests/tcpxfer.py" send fd00::2 5001 20000000 8 > sent.txt &
client=$!
sleep 3
t_add=$(date +%s.%N)
ip -n "$nsa" addr add fd00::a1/64 dev veth-a nodad
known "$nsb" fd00::a1 || say "WRONG: B did not learn A's new address"
t_known=$(date +%s.%N)
t_gone=$(date +%s.%N)
ip -n "$nsa" addr del fd00::1/64 dev veth-a
nb ip neigh replace fd00::1 lladdr 02:00:00:00:00:99 dev veth-b nud permanent
wait "$client" "$server" || say "WRONG: the transfer failed"
[ "$(cat sent.txt)" = "$(cat recv.txt)" ] || say "WRONG: B received other data"
sleep 1
kill "$capture" 2> /dev/null || true
wait "$capture" || true

# Raw sequence numbers: to tshark the flow is two conversations, one per
# address of A, each with its own relative numbers.
first=$(tshark -r "$TMPDIR/move.pcap" -c 1 -T fields -e frame.time_epoch)
# (No process substitution: the guest has no /dev/fd.)
read -r t_data seq <<< "$(tshark -r "$TMPDIR/move.pcap" \
	-Y 'ipv6.src == fd00::a1 && tcp.dstport == 5001 && tcp.len > 0' \
	-T fields -e frame.time_epoch -e tcp.seq_raw | head -n 1)"
t_ack=$(tshark -r "$TMPDIR/move.pcap" \
	-Y 'ipv6.dst == fd00::a1 && tcp.srcport == 5001' \
	-T fields -e frame.time_epoch -e tcp.ack_raw |
	awk -v seq="$seq" '{ d = ($2 - seq + 4294967296) % 4294967296 }
		d > 0 && d < 2147483648 { print $1; exit }')
# When the kernel let the old address go: A's Binding Update that says so
# (the last one before the data from the new address) left at once; the
# capture sees it after A's 20 ms of delay.
t_bu=$(tshark -r "$TMPDIR/move.pcap" -Y "mip6.mhtype == 5 && frame.time_epoch < $t_data" \
	-T fields -e frame.time_epoch | tail -n 1)
t_del=$(echo "$t_bu - 0.020" | bc)
ms() { echo "scale=1; ($2 - $1) * 1000 / 1" | bc; }
say "  new address added -> the peer has it (BU and BA, polled by hcctl):  $(ms "$t_add" "$t_known") ms"
say "  old address gone (the kernel's update for it left, less A's 20 ms delay):"
say "    -> first data segment from the new address on the wire: $(ms "$t_del" "$t_data") ms (after A's 20 ms delay)"
say "    -> first acknowledgment of data sent from it: $(ms "$t_del" "$t_ack") ms"
# B never sent to the new address before: its first packets there wait
# for neighbour discovery over the delayed link.
t_ns=$(tshark -r "$TMPDIR/move.pcap" -Y "icmpv6.type == 135 && icmpv6.nd.ns.target_address == fd00::a1 && frame.time_epoch > $t_del" \
	-T fields -e frame.time_epoch | head -n 1)
t_na=$(tshark -r "$TMPDIR/move.pcap" -Y "icmpv6.type == 136 && ipv6.src == fd00::a1 && frame.time_epoch > $t_del" \
	-T fields -e frame.time_epoch | head -n 1)
[ -n "$t_ns" ] && [ -n "$t_na" ] &&
	say "    of which B's neighbour discovery for the new address: its solicitation reached A at $(ms "$t_del" "$t_ns") ms, A's advertisement left at $(ms "$t_del" "$t_na") ms"
say "  ('ip addr del' started $(ms "$t_gone" "$t_del") ms before the kernel's update left)"
say "  target: one round trip ($rtt ms) + 10 ms"
tshark -r "$TMPDIR/move.pcap" -Y "frame.time_epoch > $t_del - 0.1 && frame.time_epoch < $t_ack + 0.05" \
	-T fields -e frame.time_relative -e ipv6.src -e ipv6.dst -e tcp.len -e tcp.seq_raw \
	-e tcp.ack_raw -e mip6.mhtype -e ah.spi > "$res/move-trace.txt"
tshark -r "$TMPDIR/move.pcap" -Y 'tcp.srcport == 5001 && tcp.flags.ack == 1' \
	-T fields -e frame.time_relative -e tcp.ack_raw |
	awk 'NR == 1 { base = $2 } { print $1, ($2 - base + 4294967296) % 4294967296 }' \
	> "$res/acked.dat"
echo "scale=3; $t_gone - $first" | bc > "$res/move.txt"
cleanup_two_hosts
rmmod hostcache
