#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The module's state lives and dies with its namespace and with the
# module. 1,000 network namespaces are made and dropped, each while it
# holds entries, flows, a pending Binding Update and a collector that is
# due; then the module is unloaded and loaded $HC_RELOADS times (default 3;
# "make reload" does 100) while a TCP connection and a UDP flow run
# between two namespaces. The kernel must report nothing (KASAN, lockdep,
# RCU, UBSAN, warnings) and the connection must still carry data at the
# end.
#
# test-plan: reloads the module

set -e
. "$(dirname "$0")/lib.sh"

require_module
require_cmd python3 jq insmod rmmod
module=$(dirname "$0")/../../hostcache.ko
[ -f "$module" ] || fail "no $module to load again"
here=$(dirname "$0")
namespaces=1000
reloads=${HC_RELOADS:-3}

# The kernel log from here on; anything alarming in it fails the test.
log_from=$(($(dmesg | wc -l) + 1))
splats='WARNING:|BUG|Oops|KASAN|UBSAN|general protection|lock held|'
splats+='possible (recursive|circular) locking|inconsistent lock state|'
splats+='suspicious RCU usage|Call Trace:|RCU stall|blocked for more than'
kernel_quiet() {
	! dmesg | tail -n "+$log_from" | grep -E "$splats" | head -n 40 | grep .
}

start=$(date +%s.%N)
last=$(python3 "$here/churn.py" "$namespaces" 20) ||
	fail "churn.py stopped"
took=$(echo "$(date +%s.%N) - $start" | bc)
jq -e '.entries >= 1 and .flows >= 20 and .mh_bu_sent >= 1' <<< "$last" > /dev/null ||
	fail "the namespaces did not hold the state they should: $last"
log "$namespaces namespaces in $took s; the last one held" \
	"$(jq -c '{entries, flows, mh_bu_sent}' <<< "$last")"
kernel_quiet || fail "the kernel complained while namespaces came and went"
pass "$namespaces namespaces with entries, flows and a pending update made and dropped"

setup_two_hosts
trap 'kill $tcp_pid $tcp_srv $udp_pid $udp_srv 2> /dev/null || true; cleanup_two_hosts; [ -d /sys/module/hostcache ] || insmod "$module"' EXIT
# Started without na/nb so that $! is the program itself, which the trap
# stops (the function's subshell would die and leave it running).
ip netns exec "$nsb" python3 "$here/tcpxfer.py" serve 7000 > /dev/null &
tcp_srv=$!
ip netns exec "$nsb" python3 "$here/udpflow.py" serve 7001 > /dev/null &
udp_srv=$!
listening "$nsb" tcp 7000 && listening "$nsb" udp 7001 ||
	fail "the servers in B did not start"
ip netns exec "$nsa" python3 "$here/tcpxfer.py" send fd00::2 7000 100000000000 10000 > /dev/null &
tcp_pid=$!
ip netns exec "$nsa" python3 "$here/udpflow.py" send fd00::2 7001 1000000 0.01 > /dev/null &
udp_pid=$!
flowing "$nsb" 7000 || fail "the transfer did not start"

start=$(date +%s.%N)
for i in $(seq "$reloads"); do
	wait_for '[ "$(hcctl -n "$nsa" -j stats | jq .flows)" -ge 2 ]' ||
		fail "reload $i: A's traffic made no flows"
	rmmod hostcache || fail "reload $i: rmmod failed"
	insmod "$module" || fail "reload $i: insmod failed"
done
took=$(echo "$(date +%s.%N) - $start" | bc)
log "$reloads reloads in $took s"
flowing "$nsb" 7000 || fail "the connection stopped during the reloads"
kill -0 "$udp_pid" || fail "the UDP sender died"
kernel_quiet || fail "the kernel complained while the module came and went"
pass "$reloads unloads and loads under traffic, the connection unharmed"
