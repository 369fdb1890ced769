#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The handover simulation (run on demand, not by make check), in one boot
# of the benchmark kernel (no debugging options): 50 mobile hosts behind
# 5 access routers, each with TCP connections to five others, moving
# between two networks every 10 to 30 s for five minutes (see
# guest-bench-simulation.sh; HC_HOSTS, HC_ROUTERS, HC_PEERS, HC_SECONDS,
# HC_DELAY and HC_SEED change it; HC_SIM_CAPTURE=1 keeps each host's
# packets). Reports whether every connection
# survived with every byte echoed, the Binding Updates per second, the
# entries, the moves' times and the memory. About 10 minutes. Results:
# bench-results/simulation/.

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=${HC_OUT:-$top/bench-results}/simulation
seconds=${HC_SECONDS:-300}
rm -rf "$out"
mkdir -p "$out"

"$top/scripts/install-deps.sh"
kdir=$("$top/scripts/test-kernel.sh" bench)
make -s -C "$kdir" M="$top" ARCH=um modules
make -s -C "$top/tools/hcctl"
make -s -C "$top/tools/hckeyd"
args="quiet slab_nomerge HC_SECONDS=$seconds"
for var in HC_HOSTS HC_ROUTERS HC_PEERS HC_DELAY HC_SEED HC_SIM_CAPTURE; do
	[ -z "${!var:-}" ] || args="$args $var=${!var}"
done
HC_MEM=${HC_MEM:-3G} HC_TIMEOUT=$((seconds + 1800)) HC_KERNEL_ARGS=$args \
	"$top/scripts/uml-run.sh" "$kdir" bench-simulation "$out" > "$out/console.log"

{
	if [ -s "$out/flows.json" ]; then
		jq -r '"connections: \(.connections) (\(.quiet) quiet ones), failed: \(.failures | length)",
			"messages echoed: \(.messages), \(.bytes_echoed) bytes",
			"longest wait for an echo, per connection: min \(.longest_echo_wait_s.min) s, median \(.longest_echo_wait_s.median) s, max \(.longest_echo_wait_s.max) s",
			(.failures[] | "failed: \(.)")' "$out/flows.json"
	else
		echo "no report from the connections: see $out/simulation.log"
	fi
	awk -F'\t' '{ n[$2]++; t[$2] = t[$2] " " $4; if ($3 == "none") lost[$2]++ }
		END { for (k in n) printf "%s moves: %d (%d without a new address)\n", k, n[k], lost[k] }' \
		"$out/moves.tsv"
	for kind in make-before-break break-before-make; do
		awk -F'\t' -v k="$kind" '$2 == k { print $4 }' "$out/moves.tsv" | sort -g |
			awk -v k="$kind" '{ v[NR] = $1 } END { if (NR) printf "%s, new address usable after: min %.2f s, median %.2f s, max %.2f s\n", k, v[1], v[int((NR + 1) / 2)], v[NR] }'
	done
	awk -F'\t' -v s="$seconds" '{ e += $2; if ($2 > me) me = $2; f += $3; sent += $4; re += $5; ack += $6; acc += $7; rej += $8; ver += $9 }
		END { printf "Binding Updates: %d sent (%.1f per second), %d of them retransmissions, %d acknowledged; %d accepted, %d refused\n", sent, sent / s, re, ack, acc, rej
		      printf "addresses verified: %d\n", ver
		      printf "entries at the end: %d in all, %.1f per host, %d at most; flows: %d\n", e, e / NR, me, f }' \
		"$out/stats.tsv"
	cat "$out/slab.txt" "$out/keyd.txt"
	echo "verdict: $(cat "$out/verdict" 2> /dev/null || echo none) (0: every connection survived)"
} | tee "$out/bench.txt"
[ "$(cat "$out/verdict" 2> /dev/null)" = 0 ]
