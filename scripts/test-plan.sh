# SPDX-License-Identifier: GPL-2.0
#
# Which tests a run of run-tests.sh runs, and on which lane: sourced by
# run-tests.sh. A lane is one CPU's worth of work: the host's static
# checks, the detectors guest, or a test guest with its share of the KUnit
# suites and selftests. Work goes to the least loaded lane, longest first,
# by the durations in tests/durations (a test not listed there counts as
# $default_duration seconds).

plan_top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
static_names="checkpatch kernel-doc sparse"
default_duration=30

# The names a run can be asked for.
all_selftests() {
	local t
	for t in "$plan_top"/tests/selftests/*.sh; do
		t=$(basename "$t" .sh)
		case $t in lib | lib_*) ;; *) echo "$t" ;; esac
	done
}
all_suites() {
	sed -n 's/^[[:space:]]*\.name = "\(hostcache_[a-z0-9_]*\)",$/\1/p' \
		"$plan_top"/tests/kunit/*.c | sort
}

declare -A plan_selected

# plan_tests [NAME...]: select NAMEs (all tests if none). A selftest is
# named with or without ".sh", a KUnit suite with or without its
# "hostcache_" prefix. Fails, saying why, on a name it does not know.
plan_tests() {
	local name all=1 unknown=0 t
	local known="$static_names detectors $(all_suites) $(all_selftests)"

	for name in $(echo "$*" | tr ',' ' '); do
		all=0
		name=${name%.sh}
		if grep -qxF -- "$name" <<< "$(tr ' ' '\n' <<< "$known")"; then
			plan_selected[$name]=1
		elif grep -qxF -- "hostcache_$name" <<< "$(all_suites)"; then
			plan_selected[hostcache_$name]=1
		else
			echo "# unknown test '$name'; known:" $known
			unknown=1
		fi
	done
	[ "$unknown" = 0 ] || return 1
	if [ "$all" = 1 ]; then
		for t in $known; do
			plan_selected[$t]=1
		done
	fi
	return 0
}

selected() {
	[ -n "${plan_selected[$1]:-}" ]
}

# duration NAME: the seconds NAME took when last measured.
duration() {
	local d
	d=$(awk -v n="$1" '$1 == n { print int($2 + 0.5); exit }' "$plan_top/tests/durations" 2> /dev/null)
	echo "${d:-$default_duration}"
}

# selftest_limit NAME LIMIT: the seconds selftest NAME may run before it
# counts as hung: LIMIT, or twice what it took when last measured if that
# is more.
selftest_limit() {
	local twice=$(($(duration "$1") * 2))
	echo $((twice > $2 ? twice : $2))
}

declare -a lane_load lane_job_list lane_test_list lane_suite_list

# least_loaded LANE...: the one of LANEs with the least work.
least_loaded() {
	local best=$1 i
	for i; do
		[ "${lane_load[$i]}" -lt "${lane_load[$best]}" ] && best=$i
	done
	echo "$best"
}

# reloads NAME: the selftest NAME unloads and loads the module, which
# runs the KUnit suites again on every load unless the guest disabled them.
reloads() {
	grep -qx '# test-plan: reloads the module' "$plan_top/tests/selftests/$1.sh" 2> /dev/null
}

# clashes LANE ITEM: ITEM should not share LANE's guest: KUnit and a test
# that reloads the module.
clashes() {
	local t
	if [ "$2" = kunit ]; then
		for t in ${lane_test_list[$1]}; do
			reloads "$t" && return 0
		done
		return 1
	fi
	reloads "$2" && [ -n "${lane_suite_list[$1]}" ]
}

# plan_lanes N: spread the selected work over N lanes.
plan_lanes() {
	local lanes=$1 i lane t guests items=() chosen=()

	for i in $(seq "$lanes"); do
		lane_load[$i]=0 lane_job_list[$i]= lane_test_list[$i]= lane_suite_list[$i]=
	done
	if selected checkpatch || selected kernel-doc || selected sparse; then
		lane=$(least_loaded $(seq "$lanes"))
		lane_job_list[$lane]+=" static"
		lane_load[$lane]=$((lane_load[lane] + $(duration static)))
	fi
	if selected detectors; then
		lane=$(least_loaded $(seq "$lanes"))
		lane_job_list[$lane]+=" detectors"
		lane_load[$lane]=$((lane_load[lane] + $(duration detectors)))
	fi

	# Test guests: the KUnit suites (one piece of work, since they all
	# run when the module loads) and the selftests, longest first.
	for t in $(all_suites); do
		selected "$t" && { items+=("$(duration kunit) kunit"); break; }
	done
	for t in $(all_selftests); do
		selected "$t" && items+=("$(duration "$t") $t")
	done
	[ ${#items[@]} -gt 0 ] || return 0
	guests=$((${#items[@]} < lanes ? ${#items[@]} : lanes))
	# The guests go to the least loaded lanes.
	for lane in $(for i in $(seq "$lanes"); do echo "${lane_load[$i]} $i"; done |
		sort -n -k1,1 -k2,2 | head -n "$guests" | cut -d' ' -f2 | sort -n); do
		chosen+=("$lane")
		lane_job_list[$lane]+=" test"
		lane_load[$lane]=$((lane_load[lane] + $(duration guest)))
	done
	while read -r d t; do
		lane=
		for i in "${chosen[@]}"; do
			clashes "$i" "$t" && continue
			[ -z "$lane" ] || [ "${lane_load[$i]}" -lt "${lane_load[$lane]}" ] && lane=$i
		done
		[ -n "$lane" ] || lane=$(least_loaded "${chosen[@]}")
		lane_load[$lane]=$((lane_load[lane] + d))
		if [ "$t" = kunit ]; then
			lane_suite_list[$lane]=$(for s in $(all_suites); do
				selected "$s" && echo "$s"; done)
		else
			lane_test_list[$lane]+=" $t"
		fi
	done < <(printf '%s\n' "${items[@]}" | sort -k1,1nr -k2,2)
}

# plan_complete: every selected test has a lane.
plan_complete() {
	local want have
	want=$(for t in $(all_suites) $(all_selftests); do selected "$t" && echo "$t"; done | sort)
	have=$(for i in "${!lane_load[@]}"; do lane_kunit "$i"; lane_selftests "$i"; done | sort)
	[ "$want" = "$have" ]
}

lane_jobs() { echo ${lane_job_list[$1]}; }
lane_selftests() { [ -z "${lane_test_list[$1]}" ] || printf '%s\n' ${lane_test_list[$1]}; }
lane_kunit() { [ -z "${lane_suite_list[$1]}" ] || printf '%s\n' ${lane_suite_list[$1]}; }

# plan_summary: a line on what each lane does, and its expected seconds.
plan_summary() {
	local i s=
	for i in "${!lane_load[@]}"; do
		[ -n "${lane_job_list[$i]}" ] || continue
		s+="lane $i (~${lane_load[$i]} s):"
		s+=$(echo "${lane_job_list[$i]}" | sed 's/ test$//; s/ test / /')
		[ -z "${lane_suite_list[$i]}" ] || s+=" kunit"
		s+="${lane_test_list[$i]}; "
	done
	echo "${s%; }"
}
