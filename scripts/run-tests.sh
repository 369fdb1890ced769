#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-tests.sh [NAME...]: the test suite. Builds the test kernel (cached),
# the module and the tools; checks the sources (checkpatch --strict,
# kernel-doc, sparse); proves in a guest of its own that the kernel's bug
# detectors fire; boots the test kernel under User-Mode Linux and runs the
# KUnit suites and selftests there. Any kernel warning, sanitizer or
# lockdep report or leak in a test guest fails the run.
#
# The work is spread over $HC_GUESTS lanes (default: one per CPU), each a
# User-Mode Linux guest with its own kernel log, balanced by the durations
# measured in tests/durations. With NAMEs (a selftest, a KUnit suite,
# checkpatch, kernel-doc, sparse or detectors) only those run.
#
# Prints TAP as results come in and a closing "N passed, N failed,
# N skipped" line; exits non-zero if anything failed. A selftest that runs
# longer than $HC_TEST_TIMEOUT seconds (default 300) is killed and fails;
# so is a guest whose KUnit suites together run longer. The whole run,
# build included, ends after $HC_RUN_LIMIT seconds (default 4800): a guest
# still running then is killed, and what it was doing is reported.
# Logs are kept in $HC_OUT (default ./test-results); the durations this
# run measured are in $HC_OUT/durations.

set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=${HC_OUT:-$top/test-results}
lanes=${HC_GUESTS:-$(nproc)}
[ "$lanes" -ge 1 ] 2> /dev/null || lanes=1
test_limit=${HC_TEST_TIMEOUT:-300}
run_limit=${HC_RUN_LIMIT:-4800}
passed=0 failed=0 skipped=0 n=0

. "$top/scripts/test-plan.sh"

report() {	# report "ok DESC" | "not ok DESC" | "ok DESC # SKIP ..."
	n=$((n + 1))
	case $1 in
	"not ok "*)
		failed=$((failed + 1))
		echo "not ok $n ${1#not ok }"
		;;
	*"# SKIP"*)
		skipped=$((skipped + 1))
		echo "ok $n ${1#ok }"
		;;
	*)
		passed=$((passed + 1))
		echo "ok $n ${1#ok }"
		;;
	esac
}

# report_file FILE: print a result file: its comments, then its results.
report_file() {
	local line
	while IFS= read -r line; do
		case $line in
		"# duration: "*) ;;
		"#"*) echo "$line" ;;
		?*) report "$line" ;;
		esac
	done < "$1"
}

finish() {
	echo "1..$n"
	echo "$passed passed, $failed failed, $skipped skipped"
	[ "$failed" = 0 ] && [ "$n" -gt 0 ]
	exit
}

echo "TAP version 13"
if ! plan_tests "$@"; then
	echo "Bail out! unknown test name"
	exit 2
fi
rm -rf "$out"
mkdir -p "$out"

# Build, showing what the first (long) kernel build is doing.
"$top/scripts/build.sh" 2>&1 > "$out/kdir" | tee "$out/build.log" |
	grep --line-buffered -E '^(install-deps|test-kernel|build):' | sed -u 's/^/# /'
if [ "${PIPESTATUS[0]}" != 0 ]; then
	sed 's/^/# /' "$out/build.log"
	report "not ok build"
	finish
fi
kdir=$(cat "$out/kdir")
report "ok build"

# publish DIR NAME: DIR/results/.NAME is complete: rename it into place,
# where it is reported whole (the guests do the same with theirs).
publish() {
	mv "$1/results/.$2" "$1/results/$2.tap"
}

# static_checks DIR: checkpatch, kernel-doc and sparse, as selected; one
# result file each in DIR/results.
static_checks() {
	local dir=$1 sources start=$SECONDS
	mkdir -p "$dir/results"
	sources=$(cd "$top" && find net include tests/kunit tests/bench -name '*.[ch]' | sort)
	if selected checkpatch; then
		if (cd "$top" && "$kdir/scripts/checkpatch.pl" --strict --no-tree --terse \
			--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG -f $sources) > "$dir/checkpatch.log" 2>&1; then
			echo "ok checkpatch --strict"
		else
			sed 's/^/# /' "$dir/checkpatch.log"
			echo "not ok checkpatch --strict"
		fi > "$dir/results/.checkpatch"
		publish "$dir" checkpatch
	fi
	if selected kernel-doc; then
		if (cd "$top" && "$kdir/scripts/kernel-doc" -none -v $sources) > "$dir/kernel-doc.log" 2>&1 &&
			! grep -q 'warning' "$dir/kernel-doc.log"; then
			echo "ok kernel-doc"
		else
			grep 'warning' "$dir/kernel-doc.log" | sed 's/^/# /'
			echo "not ok kernel-doc"
		fi > "$dir/results/.kernel-doc"
		publish "$dir" kernel-doc
	fi
	if selected sparse; then
		# In a copy: sparse rebuilds every object, which must not race
		# with the guests loading the module built in the tree.
		rm -rf "$dir/src"
		mkdir -p "$dir/src"
		(cd "$top" && cp -r Kbuild net include tests "$dir/src/")
		if make -s -C "$kdir" M="$dir/src" ARCH=um C=2 CONFIG_HOSTCACHE_KUNIT_TEST=y \
			modules > "$dir/sparse.log" 2>&1 && ! grep -q 'warning:\|error:' "$dir/sparse.log"; then
			echo "ok sparse"
		else
			sed 's/^/# /' "$dir/sparse.log"
			echo "not ok sparse"
		fi > "$dir/results/.sparse"
		publish "$dir" sparse
		rm -rf "$dir/src"
	fi
	echo "# duration: static $((SECONDS - start))" > "$dir/results/.static"
	publish "$dir" static
}

# boot JOB DIR TIMEOUT [VAR=VALUE...]: run scripts/guest-JOB.sh in a
# guest whose console, results and the host side's verdict land in DIR.
boot() {
	local job=$1 dir=$2 timeout=$3 left=$((run_limit - SECONDS))
	shift 3
	mkdir -p "$dir/results"
	# A guest that hangs in the kernel ends with the run, not after
	# the sum of its tests' limits.
	[ "$timeout" -le "$left" ] || timeout=$((left > 1 ? left : 1))
	HC_TIMEOUT=${HC_TIMEOUT:-$timeout} HC_KERNEL_ARGS="$* ${HC_KERNEL_ARGS:-}" \
		"$top/scripts/uml-run.sh" "$kdir" "$job" "$dir" \
		> "$dir/console.log" 2> "$dir/uml-run.log"
	echo $? > "$dir/status"
}

# detectors DIR: the guest that proves the detectors report bugs, so that
# a clean log in the test guests means something.
detectors() {
	local dir=$1
	mkdir -p "$dir/results"
	if ! make -s -C "$kdir" M="$top/tests/detectors" ARCH=um modules \
		> "$dir/build.log" 2>&1; then
		{ sed 's/^/# /' "$dir/build.log"; echo "not ok detectors: build"; } \
			> "$dir/results/.detectors"
		publish "$dir" detectors
		return
	fi
	boot detectors "$dir" 300
}

# test_guest LANE DIR: the lane's test guest: its KUnit suites, if any,
# and its selftests.
test_guest() {
	local lane=$1 dir=$2 args limit name
	args="HC_GUEST=guest$lane HC_TEST_TIMEOUT=$test_limit"
	# The sizes of the on-demand runs (make flood, make reload).
	[ -z "${HC_FLOOD_PACKETS:-}" ] || args+=" HC_FLOOD_PACKETS=$HC_FLOOD_PACKETS"
	[ -z "${HC_RELOADS:-}" ] || args+=" HC_RELOADS=$HC_RELOADS"
	args+=" HC_SELFTESTS=$(lane_selftests "$lane" | paste -sd,)"
	if [ "$(lane_kunit "$lane")" ]; then
		args+=" HC_KUNIT=$(lane_kunit "$lane" | paste -sd,)"
	else
		args+=" kunit.enable=0"
	fi
	# Every selftest may use its whole limit, and so may the KUnit
	# suites; loading, unloading and the leak scan take about a minute
	# more.
	limit=180
	for name in $(lane_selftests "$lane"); do
		limit=$((limit + $(selftest_limit "$name" "$test_limit") + 10))
	done
	[ -z "$(lane_kunit "$lane")" ] || limit=$((limit + test_limit))
	boot test "$dir" "$limit" $args
}

run_lane() {
	local lane=$1 job
	for job in $(lane_jobs "$lane"); do
		case $job in
		static) static_checks "$out/static" ;;
		detectors) detectors "$out/detectors" ;;
		test) test_guest "$lane" "$out/guest$lane" ;;
		esac
	done
}

plan_lanes "$lanes"
if ! plan_complete; then
	echo "Bail out! the plan leaves tests out: $(plan_summary)"
	exit 2
fi
echo "# plan: $(plan_summary)"
for lane in $(seq "$lanes"); do
	run_lane "$lane" &
done

# Report each result as soon as a lane or guest writes it.
declare -A shown
show_new() {
	local f
	for f in $(ls -tr "$out"/*/results/*.tap 2> /dev/null); do
		[ -n "${shown[$f]:-}" ] && continue
		shown[$f]=1
		report_file "$f"
	done
}
while [ -n "$(jobs -rp)" ]; do
	show_new
	sleep 1
done
wait
show_new

# What each guest was to report and did not: its guest stopped first.
for lane in $(seq "$lanes"); do
	dir=$out/guest$lane
	for t in $(lane_selftests "$lane"); do
		[ -f "$dir/results/selftest-$t.tap" ] ||
			report "not ok selftest: $t.sh (no result: guest$lane stopped before it)"
	done
	if [ "$(lane_kunit "$lane")" ] && [ ! -f "$dir/results/kunit.tap" ]; then
		report "not ok kunit: no result (guest$lane stopped before)"
	fi
done
if selected detectors && [ ! -f "$out/detectors/results/detectors.tap" ]; then
	report "not ok detectors: no result"
fi

# running_report DIR: what the guest in DIR was doing when it stopped, as
# its job recorded it, and the last output of a selftest it was running.
running_report() {
	local dir=$1 what

	what=$(cat "$dir/running" 2> /dev/null) || return 0
	echo "# it was running: $what"
	[ -f "$dir/selftests/$what.log" ] || return 0
	tail -n 30 "$dir/selftests/$what.log" | sed "s/^/# $what: /"
}

# check_guest NAME DIR: the guest ran its job to the end.
check_guest() {
	local name=$1 dir=$2
	if [ "$(cat "$dir/status" 2> /dev/null)" = 0 ]; then
		report "ok $name: guest job ran to its end"
	else
		sed 's/^/# /' "$dir/uml-run.log" 2> /dev/null
		tail -n 40 "$dir/console.log" 2> /dev/null | sed 's/^/# console: /'
		running_report "$dir"
		report "not ok $name: guest job ran to its end"
	fi
}

# Any warning, sanitizer or lockdep report, or leak in a test guest fails
# the run (the detectors guest has them on purpose).
splats='WARNING:|BUG:|BUG kmalloc|Oops|Kernel panic|KASAN|UBSAN|kernel BUG|'
splats+='general protection|possible recursive locking|possible circular locking|'
splats+='inconsistent lock state|suspicious RCU usage|lock held when returning|'
splats+='INFO: task .* blocked|unreferenced object|Call Trace:|segfault|RCU stall'
check_log() {
	local name=$1 dir=$2
	# A guest that died saved no dmesg.log: its console still counts.
	if { cat "$dir/console.log" "$dir/dmesg.log" 2> /dev/null || true; } |
		grep -E "$splats" > "$dir/splats.log" ||
		[ -s "$dir/kmemleak.log" ]; then
		sed 's/^/# /' "$dir/splats.log"
		sed 's/^/# kmemleak: /' "$dir/kmemleak.log" 2> /dev/null | head -n 40
		report "not ok $name: kernel log clean (no WARN, BUG, KASAN, UBSAN, lockdep, leak)"
	elif [ ! -f "$dir/dmesg.log" ]; then
		report "not ok $name: kernel log clean (no kernel log was saved)"
	else
		report "ok $name: kernel log clean (no WARN, BUG, KASAN, UBSAN, lockdep, leak)"
	fi
}

if selected detectors && [ ! -f "$out/detectors/results/detectors.tap" ] ||
	[ -f "$out/detectors/status" ]; then
	check_guest detectors "$out/detectors"
fi
for lane in $(seq "$lanes"); do
	dir=$out/guest$lane
	[[ " $(lane_jobs "$lane") " == *" test "* ]] || continue
	check_guest "guest$lane" "$dir"
	check_log "guest$lane" "$dir"
done

# The durations measured, to keep tests/durations current.
sed -n 's/^# duration: //p' "$out"/*/results/*.tap 2> /dev/null |
	awk '{ s = int($2 + 0.999); if (s > max[$1]) max[$1] = s } END { for (n in max) print n, max[n] }' |
	sort > "$out/durations"

finish
