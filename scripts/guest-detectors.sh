#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Prove the test kernel's bug detectors work, inside the test guest: load
# tests/detectors/hc_detectors.ko once per kind of bug and check that the
# kernel reported it. A detector that stays silent fails the test run, so a
# clean kernel log in the real tests means something.

set -u
mkdir -p "$HC_RESULTS/results"
tap=$HC_RESULTS/results/.detectors
module=$HC_TOP/tests/detectors/hc_detectors.ko
. "$HC_TOP/scripts/guest-lib.sh"
: > "$tap"
start=$(date +%s.%N)

# expect KIND DETECTOR PATTERN: the bug KIND must make the kernel log PATTERN.
expect() {
	local kind=$1 detector=$2 pattern=$3 before
	before=$(dmesg | wc -l)
	insmod "$module" kind="$kind" && rmmod hc_detectors
	if dmesg | tail -n +"$((before + 1))" | grep -qE "$pattern"; then
		echo "ok detector: $detector reports $kind" >> "$tap"
	else
		echo "not ok detector: $detector did not report $kind" >> "$tap"
	fi
}

kmemleak_reset

# Lockdep and PROVE_RCU first: a report that taints the kernel (KASAN)
# turns lock debugging off.
expect rcu PROVE_RCU 'suspicious rcu_dereference_check\(\) usage'
expect lockdep lockdep 'possible circular locking dependency'

insmod "$module" kind=leak
kmemleak_report "$HC_RESULTS/kmemleak.log"
if grep -q 'unreferenced object .* (size 128)' "$HC_RESULTS/kmemleak.log"; then
	echo "ok detector: kmemleak reports leak" >> "$tap"
else
	echo "not ok detector: kmemleak did not report leak" >> "$tap"
fi
rmmod hc_detectors

expect warn WARN 'WARNING: CPU: .* hc_detectors_init'
expect bounds UBSAN 'UBSAN: array-index-out-of-bounds'
expect shift UBSAN 'UBSAN: shift-out-of-bounds'
expect kasan KASAN 'BUG: KASAN: (slab-)?use-after-free'

echo "# duration: detectors $(echo "$(date +%s.%N) - $start" | bc)" >> "$tap"
mv "$tap" "$HC_RESULTS/results/detectors.tap"
