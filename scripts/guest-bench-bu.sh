#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Binding Update benchmark, run inside the benchmark guest (see
# bench-bu.sh): fill a namespace with $HC_BENCH_ENTRIES entries, then time
# the processing of updates from 2048 of those peers, three runs each with
# 1 and with 8 BID options.

set -eu
export PATH=$HC_TOP/tools/hcctl:$PATH
out=$HC_RESULTS/bench.txt
n=${HC_BENCH_ENTRIES:-100000}
bench=/sys/kernel/debug/hostcache/bu_bench
: > "$out"
say() { echo "$*" | tee -a "$out"; }

insmod "$HC_TOP/hostcache.ko"
ip netns add bench
# nsenter, not "ip netns exec": that mounts a new /sys, without debugfs.
B() { nsenter --net=/run/netns/bench "$@"; }
# Room in each entry for its own address and two sets of up to 8 BIDs.
B hcctl param set max-entries "$n" max-addrs 32 accept-unauthenticated on
B python3 "$HC_TOP/tests/selftests/hcnl.py" fill "$n" 2001:db8:1000::1 1 > /dev/null

field() { awk -v k="$2" '$1 == k { print $2 }' <<< "$1"; }
say "cache: $n entries; updates from 2048 of its peers, 8 rounds each," \
	"each moving all its BIDs to new care-of addresses"
for bids in 1 8; do
	echo "$bids" > "$bench"
	for run in 1 2 3; do
		r=$(B cat "$bench")
		say "BIDs $bids, run $run: $(field "$r" updates_per_s) updates/s" \
			"($(field "$r" ns_per_update) ns each; $(field "$r" accepted) of" \
			"$(field "$r" updates) accepted, cache $(field "$r" entries) entries)"
		[ "$(field "$r" accepted)" = "$(field "$r" updates)" ] ||
			say "WRONG: not every update was accepted"
	done
done
ip netns del bench
rmmod hostcache
