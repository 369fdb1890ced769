#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A test guest's job, run by guest-init.sh: load the module (its KUnit
# suites run at load, unless the kernel was booted with kunit.enable=0),
# report the cases of the suites in $HC_KUNIT, run the selftests in
# $HC_SELFTESTS (both comma-separated), unload, look for leaks.
#
# Each test's result goes to a file of its own in $HC_RESULTS/results,
# renamed into place when complete, so the host reports it at once:
# "# " comments, then "ok DESC", "not ok DESC" or "ok DESC # SKIP" lines,
# and "# duration: NAME SECONDS". $HC_RESULTS/running names what runs
# now (a selftest, kunit, unload), for the host to report if the guest
# never finishes. A selftest that runs longer than
# $HC_TEST_TIMEOUT seconds (default 300) is killed and fails, with a
# report of what the guest's tasks were waiting for.

set -u
guest=${HC_GUEST:-guest}
results=$HC_RESULTS/results
kunit=/sys/kernel/debug/kunit
limit=${HC_TEST_TIMEOUT:-300}
export PATH=$HC_TOP/tools/hcctl:$HC_TOP/tools/hckeyd:$PATH
mkdir -p "$results" "$HC_RESULTS/selftests"

. "$HC_TOP/scripts/guest-lib.sh"
. "$HC_TOP/scripts/test-plan.sh"

# publish NAME: move the result being written ($results/.NAME) into place.
publish() {
	mv "$results/.$1" "$results/$1.tap"
}

# Leaks from boot are not ours.
kmemleak_reset

# Suites already present belong to the kernel, not to the module.
builtin_suites=$(ls "$kunit" 2> /dev/null)

start=$(date +%s.%N)
if ! insmod "$HC_TOP/hostcache.ko" 2> "$HC_RESULTS/insmod.log"; then
	{ sed 's/^/# /' "$HC_RESULTS/insmod.log"; echo "not ok $guest: module loads"; } > "$results/.load"
	publish load
	dmesg > "$HC_RESULTS/dmesg.log"
	exit 1
fi
echo "ok $guest: module loads" > "$results/.load"
publish load

# KUnit: one result per test case, from each suite's KTAP in debugfs.
if [ -n "${HC_KUNIT:-}" ]; then
	echo kunit > "$HC_RESULTS/running"
	for suite in ${HC_KUNIT//,/ }; do
		dir=$kunit/$suite
		if grep -qxF "$suite" <<< "$builtin_suites" || [ ! -f "$dir/results" ]; then
			echo "not ok kunit: $suite: the module has no such suite"
			continue
		fi
		cases=0
		while IFS= read -r line; do
			if [[ $line =~ ^[[:space:]]+(not )?ok\ [0-9]+\ (-\ )?([^#]*[^#[:space:]])[[:space:]]*(#.*)?$ ]]; then
				cases=$((cases + 1))
				desc="kunit: $suite: ${BASH_REMATCH[3]}"
				directive=${BASH_REMATCH[4]}
				if [[ $directive == "# SKIP"* ]]; then
					echo "ok $desc $directive"
				else
					echo "${BASH_REMATCH[1]}ok $desc"
				fi
			elif [[ $line =~ ^[[:space:]]+# ]]; then
				echo "${line#"${line%%#*}"}"
			fi
		done < "$dir/results"
		[ "$cases" -gt 0 ] || echo "not ok kunit: $suite: no test case ran"
	done > "$results/.kunit"
	echo "# duration: kunit $(echo "$(date +%s.%N) - $start" | bc)" >> "$results/.kunit"
	publish kunit
fi

# Selftests: kselftest convention, exit 0 pass, 4 skip, else fail. A test
# runs in a session of its own, so that a hung one is killed whole.
for name in ${HC_SELFTESTS//,/ }; do
	log=$HC_RESULTS/selftests/$name.log
	start=$(date +%s.%N)
	echo "$name" > "$HC_RESULTS/running"
	test_limit=$(selftest_limit "$name" "$limit")
	run_limited "$test_limit" "$log" bash "$HC_TOP/tests/selftests/$name.sh"
	status=$?
	took=$(echo "$(date +%s.%N) - $start" | bc)
	{
		case $status in
		0)
			sed 's/^/# /' "$log"
			echo "ok selftest: $name.sh"
			;;
		4)
			sed 's/^/# /' "$log"
			echo "ok selftest: $name.sh # SKIP"
			;;
		124)
			echo "# $name.sh: killed after $test_limit s; its last output:"
			tail -n 30 "$log" | sed 's/^/# /'
			echo "# what the guest's tasks were waiting for:"
			sed 's/^/# /' "$log.tasks"
			echo "not ok selftest: $name.sh (hung: killed after $test_limit s)"
			;;
		*)
			sed 's/^/# /' "$log"
			echo "not ok selftest: $name.sh (exit $status)"
			;;
		esac
		echo "# $name.sh took $took s"
		echo "# duration: $name $took"
	} > "$results/.selftest-$name"
	publish "selftest-$name"
done

start=$(date +%s.%N)
echo unload > "$HC_RESULTS/running"
if rmmod hostcache 2> "$HC_RESULTS/rmmod.log"; then
	echo "ok $guest: module unloads"
else
	sed 's/^/# /' "$HC_RESULTS/rmmod.log"
	echo "not ok $guest: module unloads"
fi > "$results/.unload"
publish unload

echo "leak scan" > "$HC_RESULTS/running"
kmemleak_report "$HC_RESULTS/kmemleak.log"
dmesg > "$HC_RESULTS/dmesg.log"
echo "# duration: guest $(echo "$(date +%s.%N) - $start" | bc)" > "$results/.guest"
publish guest
rm -f "$HC_RESULTS/running"
