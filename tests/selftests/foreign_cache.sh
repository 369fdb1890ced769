#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The foreign Host Cache through hcctl: entries are created, found by ID
# and by address, changed and removed; bad input is refused with the
# kernel's reason and leaves the cache as it was; limits evict untrusted
# entries only; addresses expire and go; every change is reported to
# "hcctl monitor"; dumps of a large cache are complete.

set -e
. "$(dirname "$0")/lib.sh"

require_module
require_cmd hcctl jq setpriv python3
setup_two_hosts
hcnl="python3 $(dirname "$0")/hcnl.py"

A() { hcctl -n "$nsa" "$@"; }
count() { A -j foreign | jq length; }
snapshot() { A -j foreign | jq -c '[.[] | {id, trusted, homeless, addrs: [.addrs[] | {addr, state, lifetime, bid}]}]'; }

# Events, from the first change on.
start_monitor "$nsa" "$TMPDIR/events" -j
monitor=$monitor_pid
trap 'kill $monitor 2>/dev/null || true; cleanup_two_hosts' EXIT

id=$(A -j foreign add 2001:db8::1 2001:db8:1::1 lifetime 300 bid 7 | jq '.[0].id')
[ "$id" -ge 1 ] || fail "foreign add printed no entry"
entry=$(A -j foreign show 2001:db8:1::1)
[ "$(jq '.[0].id' <<< "$entry")" = "$id" ] || fail "lookup by address found another entry"
[ "$(jq -r '.[0].addrs[1].lifetime' <<< "$entry")" = absolute ] || fail "lifetime 300 is not absolute"
[ "$(jq '.[0].addrs[1].bid' <<< "$entry")" = 7 ] || fail "bid 7 was not kept"
[ "$(jq -r '.[0].addrs[0].lifetime' <<< "$entry")" = activity ] || fail "default lifetime is not activity-related"
expires=$(jq '.[0].addrs[0].expires' <<< "$entry")
[ "$expires" -le 600 ] && [ "$expires" -ge 595 ] || fail "an idle address expires in $expires s, not ~600"
[ "$(jq '.[0].trusted' <<< "$entry")" = false ] || fail "a new entry is trusted"
[ "$(hcctl -n "$nsb" -j foreign | jq length)" = 0 ] || fail "the entry shows in another namespace"
pass "entry $id created, found by ID and address, per namespace"

A foreign addr add "$id" 2001:db8:2::1 verified
[ "$(A -j foreign show "$id" | jq '.[0].addrs | length')" = 3 ] || fail "address not added"
A foreign addr del 2001:db8::1 2001:db8::1
[ "$(A -j foreign show "$id" | jq -r '[.[0].addrs[].addr] | join(" ")')" = "2001:db8:1::1 2001:db8:2::1" ] ||
	fail "address not removed"
A foreign set "$id" trusted homeless > /dev/null
[ "$(A -j foreign show "$id" | jq '.[0].trusted and .[0].homeless')" = true ] || fail "flags not set"
pass "addresses added and removed, flags changed"

# Bad input: refused with the kernel's reason, nothing changes.
before=$(snapshot)
other=$(A -j foreign add 2001:db8:3::1 | jq '.[0].id')
before=$(snapshot)
expect_fail "unknown entry" "no such foreign entry" A foreign del 4000000
expect_fail "unknown address" "no foreign entry has this address" A foreign show 2001:db8:77::1
expect_fail "duplicate address" "address belongs to another entry" A foreign add 2001:db8:5::1 2001:db8:3::1
expect_fail "address twice in the entry" "address already in this entry" A foreign addr add "$id" 2001:db8:2::1
expect_fail "scope mix" "share one scope" A foreign add 2001:db8:6::1 fe80::6
expect_fail "scope of the entry" "share one scope" A foreign addr add "$id" fe80::7
expect_fail "multicast address" "not a unicast address" A foreign add ff02::1
expect_fail "loopback address" "not a unicast address" A foreign add ::1
expect_fail "no address" "no address given" A foreign add trusted
expect_fail "lifetime 0" "out of range" A foreign add 2001:db8:8::1 lifetime 0
expect_fail "BID 0" "out of range" A foreign add 2001:db8:8::1 bid 0
expect_fail "not an address" "not an IPv6 address" A foreign add zzz
expect_fail "unknown option" "unknown address option" A foreign add 2001:db8:8::1 zzz
expect_fail "unprivileged add" "Operation not permitted" \
	na setpriv --reuid=65534 --regid=65534 --clear-groups hcctl foreign add 2001:db8:9::1
[ "$(na setpriv --reuid=65534 --regid=65534 --clear-groups hcctl -j foreign | jq length)" = 2 ] ||
	fail "unprivileged users cannot read the cache"
A param set max-addrs 3
expect_fail "over max-addrs" "more addresses than an entry may hold" \
	A foreign addr add "$id" 2001:db8:20::1 2001:db8:21::1
[ "$(A -j stats | jq .refused_addrs)" = 1 ] || fail "refused addresses not counted"
A param set max-addrs 16
na $hcnl garbage
[ "$(snapshot)" = "$before" ] || fail "refused requests changed the cache"
pass "bad input refused, cache unchanged"

# Limits: a full cache evicts untrusted entries, never trusted ones.
A foreign del "$other"
A param set max-entries 3
A foreign add 2001:db8:a::1 trusted > /dev/null
A foreign add 2001:db8:b::1 > /dev/null
A foreign add 2001:db8:c::1 > /dev/null
[ "$(count)" = 3 ] || fail "expected 3 entries, got $(count)"
[ "$(A -j foreign show 2001:db8:c::1 | jq '.[0].addrs | length')" = 1 ] || fail "the new entry is missing"
[ "$(A -j stats | jq .evicted)" = 1 ] || fail "eviction not counted"
A -j foreign show "$id" > /dev/null || fail "a trusted entry was evicted"
A -j foreign show 2001:db8:a::1 > /dev/null || fail "a trusted entry was evicted"
A foreign set 2001:db8:c::1 trusted > /dev/null
expect_fail "full of trusted entries" "full of trusted entries" A foreign add 2001:db8:d::1
[ "$(A -j stats | jq .refused_full)" = 1 ] || fail "refusal not counted"
A param set max-entries 65536
# The largest entry still travels whole: in replies, dumps and events.
A param set max-addrs 48
big=$(A -j foreign add $(printf '2001:db8:b16::%x ' $(seq 1 48)) | jq '.[0].id')
[ "$(A -j foreign show "$big" | jq '.[0].addrs | length')" = 48 ] || fail "an entry of 48 addresses is not shown whole"
[ "$(A -j foreign | jq "map(select(.id == $big)) | .[0].addrs | length")" = 48 ] ||
	fail "an entry of 48 addresses is not dumped whole"
expect_fail "max-addrs above 48" "out of range" A param set max-addrs 49
A foreign del "$big"
A param set max-addrs 16
[ "$(A -s -j foreign | jq '(.foreign | length) == .stats.entries and .stats.evicted == 1')" = true ] ||
	fail "hcctl -s foreign disagrees with itself: $(A -s -j foreign)"
A -s foreign | grep -q '^evicted  *1$' || fail "hcctl -s foreign shows no counters"
pass "full cache evicts untrusted entries only"

# Lifetimes in real time, in B: 1 s idle lifetime, kept 1 s as expired.
B() { hcctl -n "$nsb" "$@"; }
start_monitor "$nsb" "$TMPDIR/events-b" -j
monitor_b=$monitor_pid
trap 'kill $monitor $monitor_b 2>/dev/null || true; cleanup_two_hosts' EXIT
B param set default-lifetime 1 max-expired-lifetime 1
short=$(B -j foreign add 2001:db8:e::1 | jq '.[0].id')
long=$(B -j foreign add 2001:db8:e::2 lifetime 60 | jq '.[0].id')
for _ in $(seq 50); do
	B -j foreign show "$short" > /dev/null 2>&1 || break
	sleep 0.1
done
B foreign show "$short" > /dev/null 2>&1 && fail "an idle address did not go"
B -j foreign show "$long" > /dev/null || fail "an absolute lifetime expired early"
[ "$(B -j stats | jq '.addrs_expired == 1 and .addrs_removed == 1 and .removed == 1')" = true ] ||
	fail "expiry not counted: $(B -j stats)"
wait_for '[ "$(jq -r "select(.object == \"foreign\" and .event == \"deleted\" and .reason == \"expired\") | .id" \
	"$TMPDIR/events-b")" = "$short" ]' || fail "expired entry not reported"
kill $monitor_b
[ "$(jq -r 'select(.object == "foreign" and .event == "new-addr" and .addrs[0].state == "expired") | .id' \
	"$TMPDIR/events-b")" = "$short" ] || fail "expiry not reported"
pass "an idle address expired, went, and was reported"

# Events in A: each change above was reported, in order: once the last
# (the removal of the largest entry) is in, all are.
events() { jq -r "select(.object == \"foreign\" and .event == \"$1\" $2) | .id" "$TMPDIR/events" | wc -l; }
wait_for '[ "$(events deleted "and .id == $big")" = 1 ]' || fail "the last removal was not reported"
kill $monitor
[ "$(events new)" = 6 ] || fail "creations missing from the monitor"
[ "$(events new "and (.addrs | length) == 48")" = 1 ] || fail "the event of a 48-address entry was lost"
[ "$(events new-addr "and .addrs[0].addr == \"2001:db8:2::1\"")" = 1 ] || fail "added address not reported"
[ "$(events deleted-addr "and .addrs[0].addr == \"2001:db8::1\"")" = 1 ] || fail "removed address not reported"
[ "$(events changed "and .id == $id")" = 1 ] || fail "flag change not reported"
[ "$(events deleted "and .reason == \"evicted\"")" = 1 ] || fail "eviction not reported"
[ "$(events deleted "and .reason == \"request\"")" = 2 ] || fail "removal not reported"
pass "every change reported by hcctl monitor"

# A large cache dumps completely.
na $hcnl fill 1500 2001:db8:f000::1
n=$(count)
[ "$n" = $((1500 + 3)) ] || fail "dump of a large cache returned $n entries"
[ "$(A foreign | grep -c '^foreign')" = "$n" ] || fail "text output lost entries"
pass "a cache of $n entries dumps completely"
