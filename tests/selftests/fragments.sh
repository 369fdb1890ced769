#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# UDP datagrams larger than the link's MTU, sent in fragments, survive A's
# move (lib_handover.sh): each end's stack reassembles a datagram from
# the peer's new address before the module puts the identifiers back, so
# every fragment counts and the socket sees the identifiers only. Without
# conntrack in either namespace, then with it (an nftables rule that
# tracks connections, as a stateful firewall would). Fragments are
# counted on the wire, before reassembly.

set -e
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_handover.sh"

require_module
require_cmd hcctl hckeyd jq python3 nft

# count_fragments NS: count the fragments NS receives, before reassembly.
count_fragments() {
	ip netns exec "$1" nft -f - <<-EOF
	table ip6 hc_test {
		chain pre {
			type filter hook prerouting priority -500;
			ip6 nexthdr 44 counter
		}
	}
	EOF
}

# track NS: have conntrack follow every packet NS receives.
track() {
	ip netns exec "$1" nft -f - <<-EOF
	table ip6 hc_track {
		chain in {
			type filter hook input priority 0;
			ct state new,established,related counter
		}
	}
	EOF
}

# fragments NS: the fragments NS received.
fragments() {
	ip netns exec "$1" nft list table ip6 hc_test |
		awk '/counter/ { print $(NF - 2) }'
}

setup_untracked() {
	setup
	count_fragments "$nsa"
	count_fragments "$nsb"
}

setup_tracked() {
	setup_untracked
	track "$nsa"
	track "$nsb"
}

# check_fragments WHAT: fragments went both ways (300 datagrams of three
# fragments each).
check_fragments() {
	[ "$(fragments "$nsa")" -gt 400 ] && [ "$(fragments "$nsb")" -gt 400 ] ||
		fail "$1: too few fragments: A received $(fragments "$nsa"), B $(fragments "$nsb")"
	pass "$1: A received $(fragments "$nsa") fragments, B $(fragments "$nsb")"
}
udp_check=check_fragments

udp_move "UDP, 3000-byte datagrams, no conntrack, A moves" setup_untracked size=3000
udp_move "UDP, 3000-byte datagrams, conntrack, A moves" setup_tracked size=3000
