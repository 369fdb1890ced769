#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Handover stalls (run on demand, not by make check), in one boot of the
# benchmark kernel (no debugging options): the cases of the routed
# handover matrix (tests/selftests: slaac_dad, break_make, outage, moves,
# both_move; HC_CASES, comma-separated, to choose) with HC_DELAY (default
# 20) ms one way between the router and B. For each case and protocol:
# the stall (TCP: the longest time B received nothing, from the
# receiver's record of each read, less the median time between reads,
# which is the sender's pacing; UDP: the longest time A got no echo, less
# the time between its datagrams) against its goal (make-before-break: a
# round trip, as ping measures it; break-before-make: the gap, the time
# the new link took to give A a usable address, a round trip and 10 ms,
# and a second for an update lost on purpose), and a plot of the bytes B
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
# than the 0.2 s the selftests log: the longest time between reads less
# the median one (the pacing, in the last column); a plot of each.
{
	printf '%-48s %-5s %9s %9s  %-7s %s\n' case proto "stall ms" "goal ms" verdict "pacing ms"
	while IFS=$'\t' read -r name proto stall goal; do
		slug=$(tr -c 'a-z0-9\n' - <<< "${name,,}-${proto,,}")
		pacing=-
		if [ -f "$out/$slug.dat" ]; then
			awk 'NR > 1 { print $1 - t } { t = $1 }' "$out/$slug.dat" |
				sort -g > "$out/$slug.gaps"
			pacing=$(awk '{ v[NR] = $1 } END { printf "%d\n", v[int((NR + 1) / 2)] / 1e6 }' "$out/$slug.gaps")
			stall=$(awk '{ max = $1 } END { printf "%d\n", max / 1e6 }' "$out/$slug.gaps")
			stall=$((stall - pacing))
			awk 'NR == 1 { t0 = $1 } { print ($1 - t0) / 1e9, $2 }' \
				"$out/$slug.dat" > "$out/$slug.plot"
			gnuplot -e "data='$out/$slug.plot'; title='$name, $proto'; set output '$out/$slug.png'" \
				"$top/scripts/handover-stall.gp"
		fi
		printf '%-48s %-5s %9s %9s  %-7s %s\n' "$name" "$proto" "$stall" "$goal" \
			"$([ "$stall" -le "$goal" ] && echo met || echo missed)" "$pacing"
	done < "$out/stalls.tsv"
	echo
	echo "round trip from A to B, the shortest of ten pings (the goals' round trip):"
	for log in "$out"/*.log; do
		[ "$log" = "$out/console.log" ] ||
			sed -n "s/^round trip from A to B: /$(basename "$log" .log): /p" "$log"
	done
	echo
	echo "selftest exit status (0 passed):"
	cat "$out/verdicts.txt"
} | tee "$out/bench.txt"
echo "plots: $out/*.png"
