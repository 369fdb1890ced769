#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Prove the test kernel's bug detectors work, inside the test guest: load
# tests/detectors/hc_detectors.ko once per kind of bug and check that the
# kernel reported it. A detector that stays silent fails the test run, so a
# clean kernel log in the real tests means something.

set -u
tap=$HC_RESULTS/results.tap
module=$HC_TOP/tests/detectors/hc_detectors.ko
kmemleak=/sys/kernel/debug/kmemleak
: > "$tap"

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

echo scan > "$kmemleak" && echo clear > "$kmemleak"

expect warn WARN 'WARNING: CPU: .* hc_detectors_init'
expect kasan KASAN 'BUG: KASAN: (slab-)?use-after-free'
expect bounds UBSAN 'UBSAN: array-index-out-of-bounds'
expect shift UBSAN 'UBSAN: shift-out-of-bounds'
expect rcu PROVE_RCU 'suspicious rcu_dereference_check\(\) usage'
# kmemleak reports objects older than five seconds, on a scan. The module
# stays loaded until then so the report names it.
insmod "$module" kind=leak
sleep 6
echo scan > "$kmemleak"
if grep -q 'hc_detectors' "$kmemleak"; then
	echo "ok detector: kmemleak reports leak" >> "$tap"
else
	echo "not ok detector: kmemleak did not report leak" >> "$tap"
fi
rmmod hc_detectors
# Last: lockdep turns itself off after its first report.
expect lockdep lockdep 'possible circular locking dependency'
