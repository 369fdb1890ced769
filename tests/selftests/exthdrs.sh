#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Connections whose packets carry extension headers before TCP or UDP
# survive moves (lib_handover.sh): a Hop-by-Hop and a Destination Options
# header on every packet of both ends (sticky socket options), for TCP
# across A's and B's moves and for UDP across A's; and BIG TCP, whose
# packets over 64 KiB carry a Hop-by-Hop jumbo payload option (RFC 2675)
# from the sender's stack to the receiver's, across A's move. Each asserts
# the data intact and no reset, and that the headers were there: counted
# on the wire by nftables.

set -e
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_handover.sh"

require_module
require_cmd hcctl hckeyd jq python3 nft

# count_hbh NS: count the packets with a Hop-by-Hop header that NS sends
# (1), those of them over 64 KiB (2: jumbo), those it receives (3), and
# those of them from fd00::1 (4), with the addresses on the wire (before
# the module's hooks).
count_hbh() {
	ip netns exec "$1" nft -f - <<-EOF
	table ip6 hc_test {
		chain out {
			type filter hook output priority 0;
			ip6 nexthdr 0 counter
			ip6 nexthdr 0 meta length > 65535 counter
		}
		chain in {
			type filter hook prerouting priority -500;
			ip6 nexthdr 0 counter
			ip6 nexthdr 0 ip6 saddr fd00::1 counter
		}
	}
	EOF
}

# counted NS N: the packets of the Nth counter of NS's hc_test table.
counted() {
	ip netns exec "$1" nft list table ip6 hc_test |
		awk '/counter/ { print $(NF - 2) }' | sed -n "$2p"
}

# tcp_move WHAT MOVER DEV OLD NEW: a transfer with extension headers from
# A to B across MOVER's move from OLD to NEW; B must have counted packets
# with a Hop-by-Hop header after the move.
tcp_move() {
	local before
	setup
	count_hbh "$nsb"
	start_tcp fd00::2 5001
	move "$2" "$3" "$4" "$5"
	before=$(counted "$nsb" 3)
	flowing "$nsb" 5001 || fail "$1: no data after the move"
	end_tcp 5001 "$1"
	[ "$(counted "$nsb" 3)" -gt "$((before + 100))" ] ||
		fail "$1: B saw $(($(counted "$nsb" 3) - before)) packets with a Hop-by-Hop header after the move"
	finish "$1"
}

xfer_opts=exthdrs
tcp_move "TCP with Hop-by-Hop and Destination Options, A moves" \
	"$nsa" veth-a fd00::1 fd00::a1
tcp_move "TCP with Hop-by-Hop and Destination Options, B moves" \
	"$nsb" veth-b fd00::2 fd00::b1
unset xfer_opts

udp_move "UDP with Hop-by-Hop and Destination Options, A moves" setup exthdrs

# BIG TCP: A may send packets of up to 185,000 bytes, B may receive them
# whole (GRO on its veth); the sender writes 256 KiB at a time, 200 MB
# over 30 s (so that it still sends when the move is done on a loaded
# machine, where the setup takes 20 s). After the move, none may leave from A's old address (which
# still works on this shared link: the check is on the wire).
setup
count_hbh "$nsa"
count_hbh "$nsb"
na ip link set veth-a gso_max_size 185000 gro_max_size 185000
nb ip link set veth-b gso_max_size 185000 gro_max_size 185000
nb ethtool -K veth-b gro on > /dev/null
size=200000000
xfer_opts=chunk=262144 start_tcp fd00::2 5001 30
move "$nsa" veth-a fd00::1 fd00::a1
before=$(counted "$nsa" 2) stale=$(counted "$nsb" 4)
flowing "$nsb" 5001 || fail "BIG TCP: no data after the move"
end_tcp 5001 "BIG TCP, A moves"
jumbo=$(($(counted "$nsa" 2) - before)) stale=$(($(counted "$nsb" 4) - stale))
[ "$jumbo" -gt 10 ] ||
	fail "BIG TCP: A sent $jumbo packets over 64 KiB after the move"
[ "$stale" = 0 ] ||
	fail "BIG TCP: $stale packets with a Hop-by-Hop header came from A's old address after the move"
pass "BIG TCP: A sent $jumbo packets over 64 KiB after the move, none from its old address; B took $(counted "$nsb" 3) with a Hop-by-Hop header"
finish "BIG TCP, A moves"
