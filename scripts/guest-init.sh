#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PID 1 of the User-Mode Linux test guest (see uml-run.sh). The root is the
# host's, read-only; only $HC_RESULTS is mounted writable. Runs
# scripts/guest-$HC_JOB.sh, then powers the guest off.

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# Scratch space lives on a tmpfs under /run: /tmp is the host's, read-only,
# and may hold the checkout itself.
export HOME=/run/tmp TMPDIR=/run/tmp

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /run
mkdir -p /run/tmp
mount -t hostfs -o "$HC_RESULTS" hostfs "$HC_RESULTS"
ip link set lo up

cd "$HC_TOP" && bash "$HC_TOP/scripts/guest-$HC_JOB.sh"
echo "$?" > "$HC_RESULTS/finished"

sync
echo o > /proc/sysrq-trigger
sleep 10
