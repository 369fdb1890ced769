#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Local Host Cache entries through hcctl: the default entry holds every
# IPv6 address of the namespace, ::1 included, and follows addresses as
# they are added and removed; the administrator's entries hold only the
# host's addresses and lose one when the host does; the default entry
# cannot be changed by hand; every change is reported; a namespace has
# at most 63 entries besides the default one.

set -e
. "$(dirname "$0")/lib.sh"

require_module
require_cmd hcctl jq setpriv
A() { hcctl -n "$nsa" "$@"; }
addrs() { A -j local show "$1" | jq -r '.[0].addrs | sort | join(" ")'; }
has() { A -j local show "$1" | jq -e --arg a "$2" '.[0].addrs | index($a)' > /dev/null; }

# The namespace this runs in existed before the module was loaded.
hcctl -j local show 1 | jq -e '.[0].addrs | index("::1")' > /dev/null ||
	fail "the default entry of a namespace older than the module lacks ::1"
pass "addresses from before the module was loaded are in the default entry"

setup_two_hosts
start_monitor "$nsa" "$TMPDIR/events" -j
monitor=$monitor_pid
trap 'kill $monitor 2>/dev/null || true; cleanup_two_hosts' EXIT

has 1 ::1 || fail "::1 missing from the default entry"
has 1 fd00::1 || fail "fd00::1 missing from the default entry"
[ "$(A -j local | jq length)" = 1 ] || fail "a new namespace has more than the default entry"
[ "$(A -j local | jq '.[0].default')" = true ] || fail "entry 1 is not marked default"
pass "the default entry holds the namespace's addresses: $(addrs 1)"

ip -n "$nsa" addr add fd00:1::1/64 dev veth-a nodad
has 1 fd00:1::1 || fail "a new address did not join the default entry"
pass "a new address joins the default entry"

id=$(A -j local add fd00::1 fd00:1::1 | jq '.[0].id')
[ "$id" -gt 1 ] || fail "local add printed no entry"
[ "$(addrs "$id")" = "fd00:1::1 fd00::1" ] || fail "entry $id holds $(addrs "$id")"
pass "an administrator's entry $id of two of the host's addresses"

expect_fail "foreign address" "not an address of this host" A local add 2001:db8::99
expect_fail "address twice" "address already in this entry" A local addr add "$id" fd00::1
expect_fail "change the default" "cannot change the default" A local addr add 1 fd00::1
expect_fail "remove the default" "cannot change the default" A local del 1
expect_fail "unknown entry" "no such local entry" A local del 999
expect_fail "unknown entry" "no such local entry" A local show 999
expect_fail "unprivileged" "Operation not permitted" \
	na setpriv --reuid=65534 --regid=65534 --clear-groups hcctl local add fd00::1
[ "$(A -j local | jq length)" = 2 ] || fail "a refused request changed the entries"
pass "bad requests refused, nothing changed"

ip -n "$nsa" addr del fd00:1::1/64 dev veth-a
has 1 fd00:1::1 && fail "a removed address stayed in the default entry"
[ "$(addrs "$id")" = "fd00::1" ] || fail "a removed address stayed in entry $id"
pass "a removed address leaves every entry"

A local addr del "$id" fd00::1
A local addr add "$id" fd00::1
A local del "$id"
expect_fail "removed entry" "no such local entry" A local show "$id"
pass "an administrator's entry changed and removed"

ev() { jq -c "select(.object == \"local\" and .event == \"$1\" and .id == $2) | .addrs" "$TMPDIR/events"; }
# Events come in order: once the last change's is in, all are.
wait_for '[ -n "$(ev deleted "$id")" ]' || fail "entry removal not reported"
kill $monitor
[ "$(ev new-addr 1)" = '["fd00:1::1"]' ] || fail "the address the default gained was not reported"
[ "$(ev deleted-addr 1)" = '["fd00:1::1"]' ] || fail "the address the default lost was not reported"
[ "$(ev new "$id")" = '["fd00::1","fd00:1::1"]' ] || fail "entry creation not reported: $(ev new "$id")"
[ "$(ev deleted-addr "$id" | wc -l)" = 2 ] || fail "entry $id's lost addresses not reported"
[ "$(ev deleted "$id" | wc -l)" = 1 ] || fail "entry removal not reported"
pass "every change reported by hcctl monitor"

# At most 63 entries besides the default one: anyone with a user
# namespace can make them.
for i in $(seq 63); do
	A local add fd00::1 > /dev/null || fail "entry $i of 63 refused"
done
expect_fail "64th entry" "at most 63 local entries" A local add fd00::1
[ "$(A -j local | jq length)" = 64 ] || fail "the refused entry was made"
pass "63 local entries besides the default one, and no more"
