#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Binding Update processing benchmark (run on demand, not by make check):
# boots the benchmark kernel (no debugging options), fills one namespace
# with HC_BENCH_ENTRIES (default 100000) foreign entries through netlink,
# and reports how many Binding Updates a second the module processes for
# peers in that cache, with 1 and with 8 BID options each.
# Results: bench-results/bu/.

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=${HC_OUT:-$top/bench-results}/bu
rm -rf "$out"
mkdir -p "$out"

"$top/scripts/install-deps.sh"
kdir=$("$top/scripts/test-kernel.sh" bench)
make -s -C "$kdir" M="$top" ARCH=um CONFIG_HOSTCACHE_BENCH=y modules
make -s -C "$top/tools/hcctl"
HC_MEM=${HC_MEM:-2G} \
	HC_KERNEL_ARGS="quiet HC_BENCH_ENTRIES=${HC_BENCH_ENTRIES:-100000}" \
	"$top/scripts/uml-run.sh" "$kdir" bench-bu "$out" > "$out/console.log"
cat "$out/bench.txt"
