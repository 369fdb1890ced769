#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The handover stalls, run inside the benchmark guest (see
# bench-handover.sh): the routed selftests of the handover matrix with
# $HC_DELAY ms one way between R and B, each reporting its stalls and
# goals (report_stall in lib_routed.sh) to $HC_RESULTS/stalls.tsv and the
# TCP receiver's progress beside it. The TCP senders write 1 KiB at a
# time (paced as in the tests), so that B's reads are milliseconds apart
# and a stall stands out of the pacing. Writes verdicts.txt: each test's
# exit status.

set -u
export PATH=$HC_TOP/tools/hcctl:$HC_TOP/tools/hckeyd:$PATH
export HC_STALLS=$HC_RESULTS/stalls.tsv HC_PROGRESS=$TMPDIR/progress
export HC_DELAY=${HC_DELAY:-20} xfer_opts=chunk=1024
: > "$HC_STALLS"
: > "$HC_RESULTS/verdicts.txt"
insmod "$HC_TOP/hostcache.ko" || exit 1
for name in ${HC_CASES//,/ }; do
	timeout -k 10 600 bash "$HC_TOP/tests/selftests/$name.sh" \
		> "$HC_RESULTS/$name.log" 2>&1
	echo "$name $?" >> "$HC_RESULTS/verdicts.txt"
done
rmmod hostcache
