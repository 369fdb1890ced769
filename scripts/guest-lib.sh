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
