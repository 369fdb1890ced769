#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the jobs run inside the test guest.

kmemleak=/sys/kernel/debug/kmemleak

# Forget what kmemleak has seen so far (boot-time objects are not ours).
kmemleak_reset() {
	[ -w "$kmemleak" ] || return 0
	echo scan > "$kmemleak"
	echo clear > "$kmemleak"
}

# kmemleak_report FILE: write kmemleak's report of leaks to FILE. It
# reports only objects older than five seconds, and lists a leak found by
# one scan only after the next one. UML records no allocation backtrace:
# the report gives the size, the task and a hex dump.
kmemleak_report() {
	if [ ! -w "$kmemleak" ]; then
		echo "kmemleak is not available" > "$1"
		return
	fi
	sleep 6
	echo scan > "$kmemleak"
	echo scan > "$kmemleak"
	cat "$kmemleak" > "$1"
}

# task_report SESSION: what a hung test was doing. UML gives no kernel
# stacks of other tasks (their /proc stack is empty, wchan trips KASAN and
# sysrq t crashes it), so: every process with its state (D: asleep in the
# kernel, uninterruptible), what each of SESSION's holds open, the memory
# left, and the kernel log's last lines.
task_report() {
	local pid

	ps -eo pid,ppid,pgid,stat,etimes,args
	for pid in $(ps -o pid= -s "$1"); do
		echo "$pid holds:"
		ls -l "/proc/$pid/fd" 2> /dev/null | awk 'NR > 1 { print "	" $9, $10, $11 }'
	done
	grep -E '^(MemFree|MemAvailable|Slab):' /proc/meminfo
	dmesg | tail -n 40
}

# reap_session SID: kill what a finished test left running in its
# session (it would compete with the tests after it), and say what it was.
reap_session() {
	local left

	left=$(ps -o pid=,args= -s "$1")
	[ -n "$left" ] || return 0
	echo "left running when the test ended, killed:"
	echo "$left"
	# shellcheck disable=SC2046 # one PID per word
	kill -KILL $(ps -o pid= -s "$1") 2> /dev/null
}

# run_limited LIMIT FILE COMMAND...: run COMMAND with output to FILE, in
# a session of its own. One that runs longer than LIMIT seconds has its
# tasks reported (task_report) to FILE.tasks, then its session is killed:
# SIGTERM, and SIGKILL 10 s later. Returns COMMAND's status, or 124 when
# it was killed. What it leaves running is killed (reap_session).
run_limited() {
	local limit=$1 out=$2 test_pid timer done_pid status

	shift 2
	setsid "$@" > "$out" 2>&1 &
	test_pid=$!
	sleep "$limit" &
	timer=$!
	wait -n -p done_pid "$test_pid" "$timer"
	status=$?
	if [ "$done_pid" = "$test_pid" ]; then
		kill "$timer" 2> /dev/null
		reap_session "$test_pid" >> "$out"
		return "$status"
	fi
	task_report "$test_pid" > "$out.tasks" 2>&1
	kill -TERM -- "-$test_pid" 2> /dev/null
	for _ in $(seq 100); do
		kill -0 "$test_pid" 2> /dev/null || break
		sleep 0.1
	done
	kill -KILL -- "-$test_pid" 2> /dev/null
	wait "$test_pid" 2> /dev/null
	return 124
}
