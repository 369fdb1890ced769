#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A routed network for the handover selftests: mobile host A reaches
# peer B through router R. R has two access links to A, each with a
# prefix of its own that radvd advertises (link 1: 2001:db8:1::/64, A's
# acc1; link 2: 2001:db8:2::/64, A's acc2). Each is a bridge on R (l1,
# l2) that a dummy port keeps up, A's interface a veth pair to another
# port: as an access network, it stays up while A comes and goes. B is
# behind R on 2001:db8:100::/64 (B 2001:db8:100::2). A takes its
# addresses from the router advertisements by SLAAC; every address goes
# through DAD. A and B run the module and the key daemon; the link to B
# has a one-way delay of $delay ms.
#
# Source it after lib.sh and lib_handover.sh.

nsr=$hc_prefix-r
peer=2001:db8:100::2
delay=10

cleanup_routed() {
	[ ! -f "$out.radvd.pid" ] || kill "$(cat "$out.radvd.pid")" 2> /dev/null || true
	ip netns del "$nsr" 2> /dev/null || true
	cleanup_handover
}

nr() { ip netns exec "$nsr" "$@"; }

# settled NS [DEV]: no address in NS (on DEV) is tentative any more.
settled() {
	[ -z "$(ip -n "$1" -6 addr show ${2:+dev "$2"} tentative)" ]
}

# global_addr NS DEV PREFIX: NS's usable address on DEV in PREFIX (given
# as "2001:db8:1:"), if it has one.
global_addr() {
	ip -n "$1" -6 -o addr show dev "$2" scope global -tentative |
		awk '{ print $4 }' | cut -d/ -f1 | grep "^$3" | head -n 1
}

# radvd_conf [PREFIX1_OPTIONS]: R's radvd configuration, with options
# for link 1's prefix ("AdvPreferredLifetime 0;" deprecates it).
radvd_conf() {
	cat > "$out.radvd.conf" <<-EOF
	interface l1 {
		AdvSendAdvert on;
		MinRtrAdvInterval 3;
		MaxRtrAdvInterval 10;
		prefix 2001:db8:1::/64 { ${1:-} };
	};
	interface l2 {
		AdvSendAdvert on;
		MinRtrAdvInterval 3;
		MaxRtrAdvInterval 10;
		prefix 2001:db8:2::/64 { };
	};
	EOF
	chmod 600 "$out.radvd.conf"
}

# readvertise [PREFIX1_OPTIONS]: R's radvd advertises anew, so.
readvertise() {
	radvd_conf "$@"
	kill -HUP "$(cat "$out.radvd.pid")"
}

# setup_routed: the network, with link 2 down on A's side; the daemons;
# A's address on link 1. Sets $a1, A's address on link 1.
setup_routed() {
	local ns
	for ns in "$nsa" "$nsb" "$nsr"; do
		ip netns add "$ns"
		ip -n "$ns" link set lo up
	done
	trap cleanup_routed EXIT
	nr sysctl -qw net.ipv6.conf.all.forwarding=1
	for n in 1 2; do
		ip -n "$nsr" link add "l$n" type bridge mcast_snooping 0
		ip -n "$nsr" link add "d$n" master "l$n" type dummy
		ip -n "$nsr" link add "r$n" type veth peer name "acc$n" netns "$nsa"
		ip -n "$nsr" link set "r$n" master "l$n"
		ip -n "$nsr" addr add "2001:db8:$n::1/64" dev "l$n"
		for dev in "d$n" "r$n" "l$n"; do
			ip -n "$nsr" link set "$dev" up
		done
	done
	ip -n "$nsr" link add rb type veth peer name eth0 netns "$nsb"
	ip -n "$nsr" addr add 2001:db8:100::1/64 dev rb
	ip -n "$nsr" link set rb up
	ip -n "$nsb" addr add "$peer"/64 dev eth0
	ip -n "$nsb" link set eth0 up
	ip -n "$nsa" link set acc1 up
	nr tc qdisc add dev rb root netem delay "${delay}ms"
	nb tc qdisc add dev eth0 root netem delay "${delay}ms"

	radvd_conf
	nr radvd -C "$out.radvd.conf" -p "$out.radvd.pid" -m logfile \
		-l "$out.radvd.log"

	wait_until 10 'settled "$nsr" && settled "$nsb"' ||
		fail "DAD did not end in R and B: $(ip -n "$nsr" -6 addr show tentative; ip -n "$nsb" -6 addr show tentative)"
	nb ip -6 route add default via 2001:db8:100::1
	wait_until 10 '[ -n "$(global_addr "$nsa" acc1 2001:db8:1:)" ]' ||
		fail "A got no address on link 1: $(ip -n "$nsa" -6 addr; cat "$out.radvd.log")"
	a1=$(global_addr "$nsa" acc1 2001:db8:1:)
	start_keyd "$nsa"
	start_keyd "$nsb"
	na ping -6 -c 1 -W 2 "$peer" > /dev/null || fail "A cannot reach B"
	rst_a=0 rst_b=0
}
