#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Handover stalls (run on demand, not by make check), in one boot of the
# benchmark kernel (no debugging options): the cases of the routed
# handover matrix (tests/selftests: slaac_dad, break_make, outage, moves,
# both_move; HC_CASES, comma-separated, to choose) with HC_DELAY (default
# 20) ms one way between the router and B. For each case and protocol:
# the stall (TCP: the longest time B received nothing, from the
# receiver's record of each read; UDP: the longest time A got no echo)
# against its goal (make-before-break: a round trip; break-before-make:
# the gap, DAD, a round trip and 10 ms), and a plot of the bytes B
# received over time per TCP case. About 12 minutes. Results:
# bench-results/handover/.

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=${HC_OUT:-$top/bench-results}/handover
cases=${HC_CASES:-slaac_dad,break_make,outage,moves,both_move}
rm -rf "$out"
mkdir -p "$out"

"$top/scripts/install-deps.sh"
kdir=$("$top/scripts/test-kernel.sh" bench)
make -s -C "$kdir" M="$top" ARCH=um modules
make -s -C "$top/tools/hcctl"
make -s -C "$top/tools/hckeyd"
HC_TIMEOUT=3600 HC_KERNEL_ARGS="quiet HC_DELAY=${HC_DELAY:-20} HC_CASES=$cases" \
	"$top/scripts/uml-run.sh" "$kdir" bench-handover "$out" > "$out/console.log"

# TCP stalls from the receiver's record ("TIME_NS BYTES" per read), finer
# than the 0.2 s the selftests log; a plot of each.
{
	printf '%-52s %-5s %10s %10s  %s\n' case proto "stall ms" "goal ms" verdict
	while IFS=$'\t' read -r name proto stall goal; do
		slug=$(tr -c 'a-z0-9\n' - <<< "${name,,}-${proto,,}")
		if [ -f "$out/$slug.dat" ]; then
			stall=$(awk 'NR > 1 && $1 - t > max { max = $1 - t } { t = $1 }
				END { printf "%d\n", max / 1e6 }' "$out/$slug.dat")
			awk 'NR == 1 { t0 = $1 } { print ($1 - t0) / 1e9, $2 }' \
				"$out/$slug.dat" > "$out/$slug.plot"
			gnuplot -e "data='$out/$slug.plot'; title='$name, $proto'; set output '$out/$slug.png'" \
				"$top/scripts/handover-stall.gp"
		fi
		printf '%-52s %-5s %10s %10s  %s\n' "$name" "$proto" "$stall" "$goal" \
			"$([ "$stall" -le "$goal" ] && echo met || echo missed)"
	done < "$out/stalls.tsv"
	echo
	echo "selftest exit status (0 passed):"
	cat "$out/verdicts.txt"
} | tee "$out/bench.txt"
echo "plots: $out/*.png"
