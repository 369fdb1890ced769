#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PID 1 of the User-Mode Linux test guest (see uml-run.sh). The root is the
# host's, read-only; only $HC_RESULTS is mounted writable. Runs
# scripts/guest-$HC_JOB.sh, then powers the guest off.

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp TMPDIR=/tmp

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /var/tmp
# The results directory may lie under a tmpfs mounted above.
mkdir -p "$HC_RESULTS" 2>/dev/null
mount -t hostfs -o "$HC_RESULTS" hostfs "$HC_RESULTS"
ip link set lo up

cd "$HC_TOP" && bash "$HC_TOP/scripts/guest-$HC_JOB.sh"
echo "guest exit status $?" > "$HC_RESULTS/finished"

sync
echo o > /proc/sysrq-trigger
sleep 10
