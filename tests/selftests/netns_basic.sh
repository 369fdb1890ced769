#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Two hosts in network namespaces joined by veth, the module loaded: hcctl
# talks to the module in each namespace, each namespace has state of its
# own, changing it needs CAP_NET_ADMIN, bad input is refused with the
# kernel's message and changes nothing, and IPv6 flows between the hosts.

set -e
. "$(dirname "$0")/lib.sh"

require_module
require_cmd hcctl jq setpriv ping
setup_two_hosts

param() { # param NS NAME: one parameter's value, from JSON output
	hcctl -n "$1" -j param show | jq -r ".$2"
}

version=$(hcctl -n "$nsa" -j version | jq -r .module)
[ "$version" = "$(cat /sys/module/hostcache/version)" ] ||
	fail "hcctl version reports \"$version\""
pass "hcctl version: module $version"

[ "$(param "$nsa" default_lifetime)" = 600 ] || fail "default-lifetime is not 600"
[ "$(param "$nsa" max_expired_lifetime)" = 1800 ] ||
	fail "max-expired-lifetime is not 1800"
pass "defaults are the draft's: 600 s and 1800 s"

hcctl -n "$nsa" param set default-lifetime 30 max-expired-lifetime 90
[ "$(param "$nsa" default_lifetime)" = 30 ] || fail "set did not apply"
[ "$(param "$nsa" max_expired_lifetime)" = 90 ] || fail "set did not apply"
[ "$(param "$nsb" default_lifetime)" = 600 ] ||
	fail "a change in A shows in B: state is not per namespace"
pass "parameters are per namespace"

expect_fail "unprivileged set" "Operation not permitted" \
	na setpriv --reuid=65534 --regid=65534 --clear-groups \
	hcctl param set default-lifetime 5
[ "$(na setpriv --reuid=65534 --regid=65534 --clear-groups \
	hcctl -j param | jq -r .default_lifetime)" = 30 ] ||
	fail "unprivileged read failed, or the refused set changed the value"
pass "unprivileged users read but do not change"

expect_fail "zero lifetime" "out of range" \
	hcctl -n "$nsa" param set default-lifetime 0
expect_fail "half-valid request" "out of range" \
	hcctl -n "$nsa" param set default-lifetime 45 max-expired-lifetime 0
[ "$(param "$nsa" default_lifetime)" = 30 ] ||
	fail "a refused request was half applied"
expect_fail "unknown parameter" "unknown parameter" \
	hcctl -n "$nsa" param set lifetime-of-brian 1
expect_fail "not a number" "invalid" \
	hcctl -n "$nsa" param set default-lifetime soon
expect_fail "unknown object" "unknown object" hcctl -n "$nsa" frobnicate
pass "bad input is refused and changes nothing"

na ping -6 -c 3 -i 0.2 -W 2 fd00::2 > /dev/null || fail "A cannot ping B"
nb ping -6 -c 3 -i 0.2 -W 2 fd00::1 > /dev/null || fail "B cannot ping A"
pass "IPv6 ping between the namespaces"
