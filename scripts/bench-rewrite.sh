#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Rewriting benchmarks (run on demand, not by make check), in one boot of
# the benchmark kernel (no debugging options):
#   - TCP throughput (iperf3) from A to B without the module, with it and
#     no move, and with it and B moved (every packet rewritten at both
#     ends), HC_BENCH_ROUNDS (default 3; 0 skips this part) runs of each in
#     turns; then with HC_BENCH_ENTRIES (default 100000) unrelated entries
#     in both caches; medians, and ratios against the first;
#   - a handover with 20 ms of one-way delay (netem) on the link: from
#     A's old address going to the first acknowledgment of data sent from
#     its new one, measured on a capture, and a plot of the bytes B
#     acknowledged over time (handover.png).
# About 15 minutes. Results: bench-results/rewrite/.

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=${HC_OUT:-$top/bench-results}/rewrite
rm -rf "$out"
mkdir -p "$out"

"$top/scripts/install-deps.sh"
kdir=$("$top/scripts/test-kernel.sh" bench)
make -s -C "$kdir" M="$top" ARCH=um modules
make -s -C "$top/tools/hcctl"
HC_MEM=${HC_MEM:-2G} HC_TIMEOUT=2400 \
	HC_KERNEL_ARGS="quiet HC_BENCH_ENTRIES=${HC_BENCH_ENTRIES:-100000} HC_BENCH_ROUNDS=${HC_BENCH_ROUNDS:-3}" \
	"$top/scripts/uml-run.sh" "$kdir" bench-rewrite "$out" > "$out/console.log"
gnuplot -e "data='$out/acked.dat'; move=$(cat "$out/move.txt"); set output '$out/handover.png'" \
	"$top/scripts/handover.gp"
cat "$out/bench.txt"
echo "plot: $out/handover.png"
