#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The test suite: build the test kernel (cached), the module and the
# tools; check the sources with checkpatch --strict, kernel-doc and
# sparse; boot the kernel under User-Mode Linux and run every KUnit suite
# and selftest there; fail on any kernel warning, sanitizer or lockdep
# report or leak.
#
# Prints TAP and a closing "N passed, N failed, N skipped" line; exits
# non-zero if anything failed. Logs are kept in $HC_OUT (default
# ./test-results).

set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=${HC_OUT:-$top/test-results}
passed=0 failed=0 skipped=0 n=0

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

finish() {
	echo "1..$n"
	echo "$passed passed, $failed failed, $skipped skipped"
	[ "$failed" = 0 ] && [ "$n" -gt 0 ]
	exit
}

rm -rf "$out"
mkdir -p "$out"
echo "TAP version 13"

if ! kdir=$("$top/scripts/build.sh" 2> "$out/build.log"); then
	sed 's/^/# /' "$out/build.log"
	report "not ok build"
	finish
fi
report "ok build"

# Kernel coding style and static checks on the module and its headers.
sources=$(cd "$top" && find net include tests/kunit tests/bench -name '*.[ch]' | sort)
if (cd "$top" && "$kdir/scripts/checkpatch.pl" --strict --no-tree --terse \
	--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG -f $sources) > "$out/checkpatch.log" 2>&1; then
	report "ok checkpatch --strict"
else
	sed 's/^/# /' "$out/checkpatch.log"
	report "not ok checkpatch --strict"
fi
if (cd "$top" && "$kdir/scripts/kernel-doc" -none -v $sources) > "$out/kernel-doc.log" 2>&1 &&
	! grep -q 'warning' "$out/kernel-doc.log"; then
	report "ok kernel-doc"
else
	grep 'warning' "$out/kernel-doc.log" | sed 's/^/# /'
	report "not ok kernel-doc"
fi
if make -s -C "$kdir" M="$top" ARCH=um C=2 CONFIG_HOSTCACHE_KUNIT_TEST=y \
	modules > "$out/sparse.log" 2>&1 && ! grep -q 'warning:\|error:' "$out/sparse.log"; then
	report "ok sparse"
else
	sed 's/^/# /' "$out/sparse.log"
	report "not ok sparse"
fi

# boot JOB DIR: run scripts/guest-JOB.sh in the test guest; its console,
# results and the host side's verdict land in DIR.
boot() {
	local job=$1 dir=$2
	mkdir -p "$dir"
	HC_TIMEOUT=${HC_TIMEOUT:-1800} "$top/scripts/uml-run.sh" "$kdir" "$job" "$dir" \
		> "$dir/console.log" 2> "$dir/uml-run.log"
	echo $? > "$dir/status"
}

# report_boot JOB DIR: report each result of a finished boot.
report_boot() {
	local job=$1 dir=$2 line
	if [ -s "$dir/results.tap" ]; then
		while IFS= read -r line; do
			case $line in
			"#"*) echo "$line" ;;
			*) report "$line" ;;
			esac
		done < "$dir/results.tap"
	else
		report "not ok $job: the guest reported no result"
	fi
	if [ "$(cat "$dir/status")" = 0 ]; then
		report "ok $job: guest job ran to its end"
	else
		sed 's/^/# /' "$dir/uml-run.log"
		tail -n 40 "$dir/console.log" | sed 's/^/# console: /'
		report "not ok $job: guest job ran to its end"
	fi
}

# Two guests side by side, one a core: the first proves that the kernel's
# detectors report bugs, so that a clean log in the second means something.
if make -s -C "$kdir" M="$top/tests/detectors" ARCH=um modules \
	> "$out/detectors-build.log" 2>&1; then
	boot detectors "$out/detectors" &
	detectors=$!
else
	sed 's/^/# /' "$out/detectors-build.log"
	report "not ok detectors: build"
	detectors=
fi
boot test "$out"
if [ -n "$detectors" ]; then
	wait "$detectors"
	report_boot detectors "$out/detectors"
fi
report_boot test "$out"

# Any warning, sanitizer or lockdep report, or leak fails the run.
splats='WARNING:|BUG:|BUG kmalloc|Oops|Kernel panic|KASAN|UBSAN|kernel BUG|'
splats+='general protection|possible recursive locking|possible circular locking|'
splats+='inconsistent lock state|suspicious RCU usage|lock held when returning|'
splats+='INFO: task .* blocked|unreferenced object|Call Trace:|segfault|RCU stall'
if grep -hE "$splats" "$out/console.log" "$out/dmesg.log" > "$out/splats.log" 2>/dev/null ||
	[ -s "$out/kmemleak.log" ]; then
	sed 's/^/# /' "$out/splats.log"
	sed 's/^/# kmemleak: /' "$out/kmemleak.log" 2>/dev/null | head -n 40
	report "not ok kernel log clean (no WARN, BUG, KASAN, UBSAN, lockdep, leak)"
elif [ ! -f "$out/dmesg.log" ]; then
	report "not ok kernel log clean (no kernel log was saved)"
else
	report "ok kernel log clean (no WARN, BUG, KASAN, UBSAN, lockdep, leak)"
fi

finish
