#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers shared by the hostcache selftests (kselftest conventions: exit 0
# pass, 1 fail, 4 skip). Source it after "set -e".

ksft_skip=4
hc_prefix=hc$$
nsa=$hc_prefix-a
nsb=$hc_prefix-b

# Run a command in host A's or host B's network namespace.
na() { ip netns exec "$nsa" "$@"; }
nb() { ip netns exec "$nsb" "$@"; }

log() { printf '%s\n' "$*"; }
fail() { log "FAIL: $*"; exit 1; }
pass() { log "ok: $*"; }

require_module() {
	[ -d /sys/module/hostcache ] || fail "the hostcache module is not loaded"
}

require_cmd() {
	local cmd
	for cmd; do
		command -v "$cmd" > /dev/null || {
			log "SKIP: $cmd not installed"
			exit $ksft_skip
		}
	done
}

# Two hosts joined by a veth pair: A fd00::1/64 on veth-a, B fd00::2/64.
setup_two_hosts() {
	ip netns add "$nsa"
	ip netns add "$nsb"
	trap cleanup_two_hosts EXIT
	ip -n "$nsa" link set lo up
	ip -n "$nsb" link set lo up
	ip -n "$nsa" link add veth-a type veth peer name veth-b netns "$nsb"
	ip -n "$nsa" addr add fd00::1/64 dev veth-a nodad
	ip -n "$nsb" addr add fd00::2/64 dev veth-b nodad
	ip -n "$nsa" link set veth-a up
	ip -n "$nsb" link set veth-b up
}

# add_host NS ON IF_ON ADDR_ON IF ADDR: a new namespace NS joined to
# namespace ON by a veth pair, IF_ON in ON with ADDR_ON/64 and IF in NS
# with ADDR/64, without DAD (a third host beside the case under test). The
# caller deletes NS.
add_host() {
	ip netns add "$1"
	ip -n "$1" link set lo up
	ip -n "$2" link add "$3" type veth peer name "$5" netns "$1"
	ip -n "$2" addr add "$4"/64 dev "$3" nodad
	ip -n "$1" addr add "$6"/64 dev "$5" nodad
	ip -n "$2" link set "$3" up
	ip -n "$1" link set "$5" up
}

cleanup_two_hosts() {
	stop_keyd
	ip netns del "$nsa" 2> /dev/null || true
	ip netns del "$nsb" 2> /dev/null || true
}

# start_keyd NS [OPTION]...: run the AH key daemon in NS, in the
# foreground, logging to $keyd_log.NS; cleanup_two_hosts stops it. Sets
# $keyd_pid.
keyd_log=${TMPDIR:-/tmp}/hckeyd.$$
keyd_pids=
start_keyd() {
	local ns=$1
	shift
	ip netns exec "$ns" hckeyd -f -v "$@" >> "$keyd_log.$ns" 2>&1 &
	keyd_pid=$!
	keyd_pids="$keyd_pids $keyd_pid"
}

# stop_keyd: stop every daemon start_keyd started (their SAs stay). One
# that has not stopped 5 s after SIGTERM is killed, and said so: its main
# loop, which reads the signal, is stuck.
stop_keyd() {
	local pid _
	for pid in $keyd_pids; do
		kill "$pid" 2> /dev/null || true
		for _ in $(seq 50); do
			kill -0 "$pid" 2> /dev/null || break
			sleep 0.1
		done
		if kill -0 "$pid" 2> /dev/null; then
			log "hckeyd $pid did not stop 5 s after SIGTERM: killed; its stack: $(tr '\n' ' ' < /proc/"$pid"/stack 2> /dev/null)"
			kill -9 "$pid" 2> /dev/null || true
		fi
		wait "$pid" 2> /dev/null || true
	done
	keyd_pids=
}

# reap CLIENT SERVER: wait for a transfer's client, then up to 5 s for its
# server, which a stalled connection would keep waiting for ever.
reap() {
	local _
	wait "$1" || true
	for _ in $(seq 50); do
		kill -0 "$2" 2> /dev/null || break
		sleep 0.1
	done
	kill "$2" 2> /dev/null || true
	wait "$2" || true
}

# wait_until SECONDS CONDITION...: evaluate CONDITION every 0.1 s until it
# holds, SECONDS x 10 times at most; false if it never did. The steps
# stretch on a loaded machine, which gives a slow condition its time; but
# no longer than three times SECONDS, so that a test still fails, saying
# what it waited for, within its limit.
wait_until() {
	local _ n=$(($1 * 10)) _wait_end=$((SECONDS + 3 * $1))
	shift
	for _ in $(seq "$n"); do
		eval "$*" && return 0
		[ "$SECONDS" -lt "$_wait_end" ] || break
		sleep 0.1
	done
	return 1
}

# wait_for CONDITION...: wait_until 5 CONDITION.
wait_for() {
	wait_until 5 "$@"
}

# listening NS PROTO PORT: wait up to 5 s for a socket of PROTO (tcp or
# udp) in NS to be bound to PORT, so a client started next finds it.
listening() {
	wait_for "[ -n \"\$(ip netns exec $1 ss -Hln --$2 'sport = :$3')\" ]"
}

# start_monitor NS FILE [OPTION...]: "hcctl OPTION... monitor" in NS,
# writing to FILE, in the background (its PID in $monitor_pid); returns
# once it has joined the module's multicast group, so that it misses no
# later event.
start_monitor() {
	local mon_ns=$1
	ip netns exec "$1" hcctl "${@:3}" monitor > "$2" &
	monitor_pid=$!
	wait_for 'subscribed "$mon_ns" "$monitor_pid"' ||
		fail "hcctl monitor in $1 did not subscribe"
}

# subscribed NS PID: a netlink socket of process PID, in NS, is in a
# multicast group (/proc/net/netlink, by socket inode). The Groups column
# shows the first 32 groups only; the module's is among them on the test
# kernel, and a wait that never ends fails loudly.
subscribed() {
	local inodes
	inodes=$(readlink /proc/"$2"/fd/* 2> /dev/null | sed -n 's/^socket:\[\([0-9]*\)\]$/\1/p')
	[ -n "$inodes" ] &&
		ip netns exec "$1" awk 'NR > 1 && $4 != "00000000" { print $10 }' /proc/net/netlink |
		grep -qxF "$inodes"
}

# homeless NS: NS has entries, and knows each of its peers is homeless.
homeless() {
	hcctl -n "$1" -j foreign | jq -e 'length > 0 and all(.[]; .homeless)' > /dev/null
}

# received NS PORT: the bytes NS's end of the TCP connection on local
# PORT has received (0 before it is established).
received() {
	local bytes
	bytes=$(ip netns exec "$1" ss -Hti state established "( sport = :$2 )" |
		grep -o 'bytes_received:[0-9]*' | cut -d: -f2)
	echo "${bytes:-0}"
}

# flowing NS PORT: wait up to 20 s for NS to receive another megabyte on
# the TCP connection on local PORT.
flowing() {
	local flow_ns=$1 flow_port=$2 from
	from=$(received "$flow_ns" "$flow_port")
	wait_until 20 '[ "$(received "$flow_ns" "$flow_port")" -ge $((from + 1000000)) ]'
}

# expect_fail WHAT PATTERN CMD...: CMD must fail and print PATTERN.
expect_fail() {
	local what=$1 pattern=$2 out
	shift 2
	if out=$("$@" 2>&1); then
		fail "$what: succeeded, expected an error"
	fi
	grep -q -- "$pattern" <<< "$out" ||
		fail "$what: error does not say \"$pattern\": $out"
	pass "$what: $out"
}
