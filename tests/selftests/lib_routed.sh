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
# through DAD. A third access link (2001:db8:3::/64, acc3) is there for
# tests that move often. A and B run the module and the key daemon; the
# link to B has a one-way delay of $delay ms. $rtt is the round trip from
# A to B as measured (the shortest of ten pings): netem's delay is timed
# in the kernel's ticks, so it is longer than 2 * $delay on a kernel
# without high-resolution timers (10 ms ticks on the test kernels).
#
# Source it after lib.sh and lib_handover.sh.

nsr=$hc_prefix-r
peer=2001:db8:100::2
delay=${HC_DELAY:-10}

cleanup_routed() {
	[ -z "${addrmon:-}" ] || kill "$addrmon" 2> /dev/null || true
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
	local line words
	while read -r line; do
		read -ra words <<< "$line"
		[[ ${words[3]} == "$3"* ]] || continue
		echo "${words[3]%/*}"
		return
	done <<< "$(ip -n "$1" -6 -o addr show dev "$2" scope global -tentative)"
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
	interface l3 {
		AdvSendAdvert on;
		MinRtrAdvInterval 3;
		MaxRtrAdvInterval 10;
		prefix 2001:db8:3::/64 { };
	};
	EOF
	chmod 600 "$out.radvd.conf"
}

# readvertise [PREFIX1_OPTIONS]: R's radvd advertises anew, so.
readvertise() {
	radvd_conf "$@"
	kill -HUP "$(cat "$out.radvd.pid")"
}

# setup_routed: the network, with links 2 and 3 down on A's side; the daemons;
# A's address on link 1. Sets $a1, A's address on link 1.
setup_routed() {
	local ns
	for ns in "$nsa" "$nsb" "$nsr"; do
		ip netns add "$ns"
		ip -n "$ns" link set lo up
	done
	trap cleanup_routed EXIT
	nr sysctl -qw net.ipv6.conf.all.forwarding=1
	for n in 1 2 3; do
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
	ip -n "$nsa" -ts monitor address > "$out.addrmon" &
	addrmon=$!
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
	rtt=$(na ping -6 -c 10 -i 0.2 -q "$peer" |
		awk -F/ '/^rtt/ { sub(/.*= /, "", $4); printf "%d\n", $4 + 0.5 }')
	[ -n "$rtt" ] || fail "A could not time its round trip to B"
	log "round trip from A to B: $rtt ms (netem: 2 x $delay ms)"
	rst_a=0 rst_b=0
}

# b_may_move: B's later addresses (2001:db8:101::2, 2001:db8:102::2) are
# on its link too, and B's way out does not hang on its first.
b_may_move() {
	nr ip addr add 2001:db8:101::1/64 dev rb nodad
	nr ip addr add 2001:db8:102::1/64 dev rb nodad
	nb ip -6 route replace default via \
		"$(ip -n "$nsr" -6 -o addr show dev rb scope link | awk '{ print $4 }' | cut -d/ -f1)" dev eth0
}

# usable NS ADDR: wait up to 15 s for NS's Host Cache to hold ADDR valid,
# and verified if a Binding Update brought it.
usable() {
	local ns=$1 addr=$2
	wait_until 15 '[ "$(hcctl -n "$ns" -j foreign | jq -r --arg a "$addr" \
		".[].addrs[] | select(.addr == \$a and .state == \"valid\" and
		 (.verified or (.from_bu | not))) | .addr")" = "$addr" ]' ||
		fail "$ns cannot send to $addr: $(hcctl -n "$ns" foreign)"
}

# move_a FROM TO PREFIX: A's link TO comes up, A takes an address in
# PREFIX from it, then link FROM goes down (and its addresses with it).
move_a() {
	local from=$1 to=$2 prefix=$3 new
	ip -n "$nsa" link set "$to" up
	wait_until 15 '[ -n "$(global_addr "$nsa" "$to" "$prefix")" ]' ||
		fail "A got no address on $to: $(ip -n "$nsa" -6 addr show dev "$to")"
	new=$(global_addr "$nsa" "$to" "$prefix")
	ip -n "$nsa" link set "$from" down
	log "$SECONDS s: A moved to $new"
	usable "$nsb" "$new"
}

# move_b OLD NEW: B takes NEW (with DAD), then loses OLD.
move_b() {
	nb ip addr add "$2/64" dev eth0
	wait_until 5 'settled "$nsb"' || fail "B's $2 stayed tentative"
	nb ip addr del "$1/64" dev eth0
	log "$SECONDS s: B moved to $2"
	usable "$nsa" "$2"
}

# report_stall CASE PROTO MS GOAL [PORT]: a case's stall and its goal
# (ms), in the log and, for make bench-handover, a line in $HC_STALLS;
# with PORT, the TCP receiver's progress on it ($HC_PROGRESS.PORT) goes
# beside $HC_STALLS, for a plot.
report_stall() {
	local slug
	log "stall: $1, $2: $3 ms (goal $4 ms)"
	[ -n "${HC_STALLS:-}" ] || return 0
	printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >> "$HC_STALLS"
	slug=$(tr -c 'a-z0-9\n' - <<< "${1,,}-${2,,}")
	[ -z "${5:-}" ] || [ ! -f "$HC_PROGRESS.$5" ] ||
		cp "$HC_PROGRESS.$5" "$(dirname "$HC_STALLS")/$slug.dat"
}

# usable_after SINCE PREFIX: sets $usable to the time, in ms, from SINCE
# (ns since the epoch) to when A first had a usable address (DAD over)
# in PREFIX (as "2001:db8:2:"), from A's address monitor.
usable_after() {
	local stamps stamp at
	stamps=$(awk -v p="inet6 $2" '/^\[/ && index($0, p) &&
		!/Deleted|tentative|dadfailed/ { print substr($1, 2, length($1) - 2) }' \
		"$out.addrmon")
	for stamp in $stamps; do
		at=$(date -d "$stamp" +%s%N)
		if [ "$at" -ge "$1" ]; then
			usable=$(((at - $1) / 1000000))
			return
		fi
	done
	fail "A's address monitor saw no usable address in $2 after $1: $(cat "$out.addrmon")"
}

# goal_bbm GAP_MS USABLE_MS [LOST]: the goal for break-before-make: the
# gap, the time the new link took to give A a usable address (router
# solicitation and advertisement, DAD: the network's share, measured), a
# round trip ($rtt) and 10 ms; and INITIAL_BINDACK_TIMEOUT (1 s) for each
# of LOST updates the network lost on purpose.
goal_bbm() {
	echo $(($1 + $2 + rtt + 10 + ${3:-0} * 1000))
}

# Messages on demand (talk.py), for the cases that check each one.
talk="python3 $here/talk.py"

# start_talk NAME NS ARG...: talk.py ARG... in NS, its commands from the
# FIFO $out.NAME.in (held open on fd talk_NAME), its report in
# $out.NAME.log.
start_talk() {
	local name=$1 ns=$2
	shift 2
	mkfifo "$out.$name.in"
	ip netns exec "$ns" $talk "$@" < "$out.$name.in" > "$out.$name.log" 2>&1 &
	talk_pids="$talk_pids $!"
	eval "exec {talk_$name}> \"\$out.\$name.in\""
}

talk_pids=
cleanup_talk() {
	[ -z "$talk_pids" ] || kill $talk_pids 2> /dev/null || true
	cleanup_routed
}

# said FROM TO PROTO WHAT [ID]: FROM (a or b) sends a message on PROTO
# (the talk named FROM PROTO); TO must get it intact within 30 s, as from
# ID (default: FROM's first address).
said() {
	local from=$1$3 to=$2$3 fd count sum id sent got
	count=$(grep -c "^sent" "$out.$from.log" || true)
	fd=$(eval echo "\$talk_$from")
	echo "send 1000" >&"$fd"
	wait_for '[ "$(grep -c ^sent "$out.$from.log")" -gt "$count" ]' ||
		fail "$4: $from could not send: $(tail -n 2 "$out.$from.log"); its Host Cache: $(hcctl -n "$(eval echo "\$ns$1")" foreign)"
	read -r _ _ sum sent <<< "$(grep '^sent' "$out.$from.log" | tail -n 1)"
	wait_until 30 'grep -q "^got 1000 $sum" "$out.$to.log"' ||
		fail "$4: $3 message from $1 did not reach $2: $(tail -n 2 "$out.$to.log")"
	id=${5:-$([ "$1" = a ] && echo "$a1" || echo "$peer")}
	grep -q "^got 1000 $sum $id " "$out.$to.log" ||
		fail "$4: $2 got the $3 message as from $(grep "^got 1000 $sum" "$out.$to.log" | cut -d' ' -f4), not $id"
	got=$(grep "^got 1000 $sum" "$out.$to.log" | cut -d' ' -f5)
	log "$4: $3 $1 -> $2 in $(echo "($got - $sent) * 1000 / 1" | bc) ms"
}

# exchange FIRST OTHER WHAT: FIRST speaks first on both flows, the other
# answers.
exchange() {
	said "$1" "$2" tcp "$3"
	said "$1" "$2" udp "$3"
	said "$2" "$1" tcp "$3"
	said "$2" "$1" udp "$3"
}
