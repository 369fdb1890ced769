#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The cost of AH (run on demand, not by make check), in one boot of the
# benchmark kernel (no debugging options): the key daemons' exchange, and
# the Binding Update round trip with AH and without it, HC_BENCH_MOVES
# (default 20) updates each. About 3 minutes. Results: bench-results/ah/.

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=${HC_OUT:-$top/bench-results}/ah
rm -rf "$out"
mkdir -p "$out"

"$top/scripts/install-deps.sh"
kdir=$("$top/scripts/test-kernel.sh" bench)
make -s -C "$kdir" M="$top" ARCH=um modules
make -s -C "$top/tools/hcctl"
make -s -C "$top/tools/hckeyd"
HC_TIMEOUT=900 HC_KERNEL_ARGS="quiet HC_BENCH_MOVES=${HC_BENCH_MOVES:-20}" \
	"$top/scripts/uml-run.sh" "$kdir" bench-ah "$out" > "$out/console.log"
cat "$out/bench.txt"
