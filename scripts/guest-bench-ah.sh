#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The cost of AH, run inside the benchmark guest (see bench-ah.sh): the
# key exchange between two daemons, and the Binding Update round trip
# with AH and without it (the test switch), in one boot. Writes bench.txt
# to $HC_RESULTS.

set -eu
export PATH=$HC_TOP/tools/hcctl:$HC_TOP/tools/hckeyd:$PATH
. "$HC_TOP/tests/selftests/lib.sh"
res=$HC_RESULTS
out=$res/bench.txt
n=${HC_BENCH_MOVES:-20}
: > "$out"
say() { echo "$*" | tee -a "$out"; }
cd "$TMPDIR"
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# capture FILE: start tshark on A's link; sets $capture.
capture() {
	na tshark -q -i veth-a -w "$1" -a duration:600 > /dev/null 2>&1 &
	capture=$!
	for _ in $(seq 100); do
		na ping -6 -c 1 -W 1 fd00::2 > /dev/null || true
		[ "$(stat -c %s "$1" 2> /dev/null || echo 0)" -gt 400 ] && break
		sleep 0.2
	done
}

# talk: A opens a connection to B, so that B is a peer A talks to.
talk() {
	nb python3 "$HC_TOP/tests/selftests/tcpxfer.py" serve 5001 > /dev/null &
	local server=$!
	listening "$nsb" tcp 5001 || say "WRONG: B's server did not start"
	na python3 "$HC_TOP/tests/selftests/tcpxfer.py" send fd00::2 5001 100000 > /dev/null &
	reap $! "$server"
	wait_for '[ "$(hcctl -n "$nsa" -j foreign show fd00::2 | jq .[0].homeless)" = true ]' ||
		say "WRONG: A did not learn that B is homeless"
}

# moves: A gains and loses an address $n times; each time one Binding
# Update goes to B and is acknowledged.
moves() {
	local i acked
	for i in $(seq "$n"); do
		acked=$(hcctl -n "$nsa" -j stats | jq .mh_bu_acked)
		ip -n "$nsa" addr add "fd00::c$i/64" dev veth-a nodad
		wait_for '[ "$(hcctl -n "$nsa" -j stats | jq .mh_bu_acked)" -gt "$acked" ]' ||
			say "WRONG: update $i not acknowledged"
		ip -n "$nsa" addr del "fd00::c$i/64" dev veth-a
		sleep 0.3
	done
}

# round_trips PCAP: milliseconds from each update A sent to the
# acknowledgment with its sequence number, one a line.
round_trips() {
	tshark -r "$1" -Y 'mip6.mhtype == 5 || mip6.mhtype == 6' -T fields \
		-e frame.time_epoch -e mip6.mhtype -e mip6.bu.seqnr -e mip6.ba.seqnr |
		awk '$2 == 5 { sent[$3] = $1 } $2 == 6 && ($3 in sent) {
			printf "%.3f\n", ($1 - sent[$3]) * 1000; delete sent[$3] }'
}

insmod "$HC_TOP/hostcache.ko"

# with_ah PCAP MOVES: the daemons key the SAs on A's first connection;
# then, if MOVES, A moves $n times. Sets $exchange: the exchange's
# datagrams, in milliseconds from the I1: I1, R1, I2, R2.
with_ah() {
	setup_two_hosts
	start_keyd "$nsa"
	start_keyd "$nsb"
	capture "$1"
	talk
	[ "$2" = 0 ] || moves
	kill "$capture"
	wait "$capture" || true
	exchange=$(tshark -r "$1" -Y 'udp.port == 7456' -T fields -e frame.time_epoch |
		awk 'NR == 1 { t = $1 } { printf "%.1f ", ($1 - t) * 1000 }')
	cleanup_two_hosts
}

# The first AH SA and the first policy of the boot each cost the kernel a
# few hundred ms, once: the first exchange pays for them, the next do not.
with_ah ah-first.pcap 0
first=$exchange
with_ah ah.pcap 1
round_trips ah.pcap > rtt-ah.txt
# Updates and acknowledgments with an AH SPI, and without.
spis=$(tshark -r ah.pcap -Y 'mip6.mhtype == 5 || mip6.mhtype == 6' -T fields -e ah.spi)
ah_frames=$(grep -c . <<< "$spis" || true)
clear_frames=$(grep -c '^$' <<< "$spis" || true)

# Without AH: the test switch on both hosts, no SA.
setup_two_hosts
hcctl -n "$nsa" param set accept-unauthenticated on
hcctl -n "$nsb" param set accept-unauthenticated on
capture clear.pcap
talk
moves
kill "$capture"
wait "$capture" || true
round_trips clear.pcap > rtt-clear.txt
cleanup_two_hosts
rmmod hostcache

with=$(median < rtt-ah.txt) without=$(median < rtt-clear.txt)
say "Key exchange between two daemons, on A's link, ms from A's I1 to each"
say "datagram (I1, R1, I2, R2; an I2 and R2 repeated if the responder was slow):"
say "  first of the boot (the kernel's first AH SA and policy):  $first"
say "  the next one:                                              $exchange"
say "Binding Update to Binding Acknowledgment, on A's link, veth, no delay,"
say "median of $(wc -l < rtt-ah.txt) and $(wc -l < rtt-clear.txt) updates:"
say "  under AH (hmac(sha256), both ways):  $with ms"
say "  without AH (test switch):            $without ms"
say "  ratio: $(echo "scale=2; $with / $without" | bc)"
say "  (updates and acknowledgments in the AH run: $ah_frames under AH, $clear_frames in the clear)"
