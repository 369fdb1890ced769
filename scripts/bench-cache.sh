#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Scale benchmark of the Host Cache (run on demand, not by make check):
# boots the benchmark kernel (no debugging options) and fills one namespace
# with HC_BENCH_ENTRIES (default 1000000) foreign entries through netlink.
# Reports the time to fill and to dump, memory per entry, and the cost of a
# lookup with 1 entry and with the cache full. Results: bench-results/.

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=${HC_OUT:-$top/bench-results}/cache
rm -rf "$out"
mkdir -p "$out"

"$top/scripts/install-deps.sh"
kdir=$("$top/scripts/test-kernel.sh" bench)
make -s -C "$kdir" M="$top" ARCH=um CONFIG_HOSTCACHE_BENCH=y modules
make -s -C "$top/tools/hcctl"
# slab_nomerge: hc_foreign and hc_faddr keep caches of their own in slabinfo.
HC_MEM=${HC_MEM:-3G} \
	HC_KERNEL_ARGS="slab_nomerge quiet HC_BENCH_ENTRIES=${HC_BENCH_ENTRIES:-1000000}" \
	"$top/scripts/uml-run.sh" "$kdir" bench-cache "$out" > "$out/console.log"
cat "$out/bench.txt"
