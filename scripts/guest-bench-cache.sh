#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The cache scale benchmark, run inside the benchmark guest (see
# bench-cache.sh): fill one namespace with $HC_BENCH_ENTRIES foreign
# entries of two addresses each through netlink; time the fill and a dump;
# measure the memory used and the lookup cost with 1 entry and when full.

set -eu
export PATH=$HC_TOP/tools/hcctl:$PATH
out=$HC_RESULTS/bench.txt
n=${HC_BENCH_ENTRIES:-1000000}
hcnl="python3 $HC_TOP/tests/selftests/hcnl.py"
bench=/sys/kernel/debug/hostcache/lookup_bench
: > "$out"
say() { echo "$*" | tee -a "$out"; }

insmod "$HC_TOP/hostcache.ko"
ip netns add bench
# nsenter, not "ip netns exec": that mounts a new /sys, without debugfs.
B() { nsenter --net=/run/netns/bench "$@"; }
B hcctl param set max-entries "$n"

meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }
slab() { awk -v k="$1" '$1 == k { print $3 * $4 }' /proc/slabinfo; }

# Lookups of one address (its memory stays in the CPU caches), and of
# 65536 addresses taken at random from the cache (memory must be fetched).
lookups() { echo "$1" > "$bench"; B cat "$bench"; }
B hcctl foreign add 2001:db8:ffff::1 2001:db8:ffff:1::1 > /dev/null
one=$(lookups 1)
B hcctl foreign del 2001:db8:ffff::1

sync
echo 3 > /proc/sys/vm/drop_caches
free0=$(meminfo MemFree) vm0=$(meminfo VmallocUsed) radix0=$(slab radix_tree_node)
fill=$(B $hcnl fill "$n" 2001:db8:1000::1 2)
sync
echo 3 > /proc/sys/vm/drop_caches
free1=$(meminfo MemFree) vm1=$(meminfo VmallocUsed) radix1=$(slab radix_tree_node)
dump=$(B $hcnl count)
full_hot=$(lookups 1)
full=$(lookups 65536)

field() { awk -v k="$2" '$1 == k { print $2 }' <<< "$1"; }
say "entries: $n, two addresses each"
say "fill through netlink: $fill"
say "dump through netlink: $dump"
say "memory used (MemFree before and after): $(( (free0 - free1) * 1024 / n )) bytes per entry"
say "  hc_foreign objects: $(awk '$1 == "hc_foreign" { print $4 " bytes each, " $2 " objects" }' /proc/slabinfo)"
say "  hc_faddr objects: $(awk '$1 == "hc_faddr" { print $4 " bytes each, " $2 " objects" }' /proc/slabinfo)"
say "  hash table buckets (vmalloc): $(( (vm1 - vm0) * 1024 / n )) bytes per entry"
say "  xarray nodes: $(( (radix1 - radix0) / n )) bytes per entry"
ratio() { echo "scale=2; $(field "$1" "$3") / $(field "$2" "$3")" | bc; }
say "lookup, 1 entry, 1 address in turn: hit $(field "$one" hit_ps) ps, miss $(field "$one" miss_ps) ps"
say "lookup, $n entries, 1 address in turn: hit $(field "$full_hot" hit_ps) ps, miss $(field "$full_hot" miss_ps) ps"
say "lookup, $n entries, $(field "$full" sample) addresses in turn: hit $(field "$full" hit_ps) ps," \
	"miss $(field "$full" miss_ps) ps ($(field "$full" hits)/$(field "$full" lookups) found)"
say "lookup cost ratio, $n entries / 1 entry, same 1-address pattern:" \
	"hit $(ratio "$full_hot" "$one" hit_ps), miss $(ratio "$full_hot" "$one" miss_ps)"
say "lookup cost ratio, $n entries with 65536 addresses / 1 entry:" \
	"hit $(ratio "$full" "$one" hit_ps), miss $(ratio "$full" "$one" miss_ps)"
for r in "$one" "$full_hot" "$full"; do
	[ "$(field "$r" false_hits)" = 0 ] || say "WRONG: absent addresses were found"
	[ "$(field "$r" hits)" = "$(field "$r" lookups)" ] || say "WRONG: present addresses were not found"
done
ip netns del bench
rmmod hostcache
