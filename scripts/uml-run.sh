#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# uml-run.sh KDIR JOB RESULTS_DIR: boot the User-Mode Linux kernel built in
# KDIR with the host's root read-only and run scripts/guest-JOB.sh in it.
# The guest console goes to stdout. A guest that does not power off within
# $HC_TIMEOUT seconds (default 900) is killed. $HC_KERNEL_ARGS are added
# to the kernel command line. Exits 0 only if the guest ran the job to its
# end and the job exited 0; the job reports its results in RESULTS_DIR.

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
kdir=$1 job=$2 results=$3
timeout=${HC_TIMEOUT:-900}

rm -f "$results/finished"
# UML keeps guest memory in a file under TMPDIR: best on a tmpfs.
if [ -z "${TMPDIR:-}" ] && [ -w /dev/shm ]; then
	export TMPDIR=/dev/shm
fi

set +e
timeout --kill-after=10 "$timeout" "$kdir/linux" \
	mem=${HC_MEM:-1G} log_buf_len=8M kasan_multi_shot \
	root=/dev/root rootfstype=hostfs rootflags=/ ro \
	init="$top/scripts/guest-init.sh" \
	con=null con0=null,fd:1 ssl=null \
	HC_TOP="$top" HC_RESULTS="$results" HC_JOB="$job" \
	${HC_KERNEL_ARGS:-} </dev/null
status=$?
set -e

if [ "$status" = 124 ] || [ "$status" = 137 ]; then
	echo "uml-run: guest timed out after ${timeout}s" >&2
	exit 1
fi
if [ ! -f "$results/finished" ]; then
	echo "uml-run: guest stopped before its job finished (status $status)" >&2
	exit 1
fi
job_status=$(cat "$results/finished")
if [ "$job_status" != 0 ]; then
	echo "uml-run: guest job $job exited with status $job_status" >&2
	exit 1
fi
