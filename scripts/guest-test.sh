#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The test job, run inside the test guest by guest-init.sh: load the
# module (its KUnit suites run at load), collect their KTAP results, run
# every selftest, unload, look for leaks. Writes one result line per test
# to $HC_RESULTS/results.tap ("ok DESC", "not ok DESC", "ok DESC # SKIP");
# the host numbers them and reads the kernel log (run-tests.sh).

set -u
results=$HC_RESULTS
tap=$results/results.tap
kunit=/sys/kernel/debug/kunit
export PATH=$HC_TOP/tools/hcctl:$HC_TOP/tools/hckeyd:$PATH

: > "$tap"
result() { echo "$*" >> "$tap"; }
comment() { sed 's/^/# /' >> "$tap"; }

. "$HC_TOP/scripts/guest-lib.sh"

# Leaks from boot are not ours.
kmemleak_reset

# Suites already present belong to the kernel, not to the module.
builtin_suites=$(ls "$kunit" 2>/dev/null)

if ! insmod "$HC_TOP/hostcache.ko" 2> "$results/insmod.log"; then
	result "not ok module loads"
	comment < "$results/insmod.log"
	dmesg > "$results/dmesg.log"
	exit 1
fi
result "ok module loads"

# KUnit: one result per test case, from each suite's KTAP in debugfs.
suites=0
for dir in "$kunit"/*/; do
	suite=$(basename "$dir")
	grep -qxF "$suite" <<< "$builtin_suites" && continue
	suites=$((suites + 1))
	cases=0
	while IFS= read -r line; do
		if [[ $line =~ ^[[:space:]]+(not )?ok\ [0-9]+\ (-\ )?([^#]*[^#[:space:]])[[:space:]]*(#.*)?$ ]]; then
			cases=$((cases + 1))
			desc="kunit: $suite: ${BASH_REMATCH[3]}"
			directive=${BASH_REMATCH[4]}
			if [[ $directive == "# SKIP"* ]]; then
				result "ok $desc $directive"
			else
				result "${BASH_REMATCH[1]}ok $desc"
			fi
		elif [[ $line =~ ^[[:space:]]+# ]]; then
			echo "$line" | sed 's/^[[:space:]]*//' | comment
		fi
	done < "$dir/results"
	[ "$cases" -gt 0 ] || result "not ok kunit: $suite: no test case ran"
done
[ "$suites" -gt 0 ] || result "not ok kunit: the module has no KUnit suite"

# Selftests: kselftest convention, exit 0 pass, 4 skip, else fail.
mkdir -p "$results/selftests"
for test in "$HC_TOP"/tests/selftests/*.sh; do
	[ "$(basename "$test")" = lib.sh ] && continue
	name=$(basename "$test")
	log=$results/selftests/${name%.sh}.log
	start=$(date +%s.%N)
	timeout 600 bash "$test" > "$log" 2>&1
	status=$?
	comment < "$log"
	echo "# $name took $(echo "$(date +%s.%N) - $start" | bc) s" >> "$tap"
	case $status in
	0) result "ok selftest: $name" ;;
	4) result "ok selftest: $name # SKIP" ;;
	*) result "not ok selftest: $name (exit $status)" ;;
	esac
done

if rmmod hostcache 2> "$results/rmmod.log"; then
	result "ok module unloads"
else
	result "not ok module unloads"
	comment < "$results/rmmod.log"
fi

kmemleak_report "$results/kmemleak.log"
dmesg > "$results/dmesg.log"
