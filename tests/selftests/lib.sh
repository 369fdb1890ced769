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

cleanup_two_hosts() {
	ip netns del "$nsa" 2> /dev/null || true
	ip netns del "$nsb" 2> /dev/null || true
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
