#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A host with many addresses: the default local entry of a namespace with
# 1,000 global addresses on one interface (and then 3,000) can be read
# through netlink whole, by GET (one reply) and by dump (which spreads an
# entry over several messages); every address the kernel has is in it,
# once. GET of an entry too large for one reply fails with a message that
# says to dump. The addresses go on without DAD: this case is about the
# size of the entry.

set -e
. "$(dirname "$0")/lib.sh"

require_module
require_cmd hcctl jq

setup_two_hosts

# add_addrs FROM TO: A gets fd00:1::FROM .. fd00:1::TO (hexadecimal).
add_addrs() {
	local i
	for ((i = $1; i <= $2; i++)); do
		printf 'addr add fd00:1::%x/64 dev veth-a nodad\n' "$i"
	done | ip -n "$nsa" -batch -
}

# kernel_addrs: A's IPv6 addresses, as the kernel lists them, sorted.
kernel_addrs() {
	ip -n "$nsa" -j -6 addr show | jq -r '.[].addr_info[].local' | sort
}

# entry_addrs ARGS...: the addresses of the one entry "hcctl -j local
# ARGS..." prints, sorted; nothing if it printed other than one entry.
entry_addrs() {
	hcctl -n "$nsa" -j local "$@" | jq -r 'if length == 1 then .[0].addrs[] else empty end' | sort
}

# readable N HOW ARGS...: the default entry, read with ARGS, holds the
# kernel's addresses, N of them or more, each once.
readable() {
	local n=$1 how=$2
	shift 2
	kernel_addrs > "$TMPDIR/kernel"
	[ "$(wc -l < "$TMPDIR/kernel")" -ge "$n" ] ||
		fail "A has only $(wc -l < "$TMPDIR/kernel") addresses"
	entry_addrs "$@" > "$TMPDIR/entry" ||
		fail "$how of the default entry failed"
	cmp -s "$TMPDIR/kernel" "$TMPDIR/entry" ||
		fail "$how of the default entry: $(wc -l < "$TMPDIR/entry") addresses, the kernel has $(wc -l < "$TMPDIR/kernel"); first differences: $(diff "$TMPDIR/kernel" "$TMPDIR/entry" | head -4 | tr '\n' ' ')"
	pass "$how of the default entry: all $(wc -l < "$TMPDIR/entry") addresses of the namespace"
}

add_addrs 1 1000
readable 1000 "GET" show 1
readable 1000 "dump" show

add_addrs 1001 3000
readable 3000 "dump" show
expect_fail "GET of 3,000 addresses" "entry too large for one reply: dump the entries" \
	hcctl -n "$nsa" local show 1
