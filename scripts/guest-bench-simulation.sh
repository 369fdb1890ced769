#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The handover simulation, run inside the benchmark guest (see
# bench-simulation.sh): $HC_HOSTS mobile hosts (default 50), each in a
# namespace with the module and the key daemon, on $HC_ROUTERS access
# networks (default 5). Each access network is a router namespace with a
# bridge, its own prefix (2001:db8:N::/64) and radvd; the routers hang off
# a core router, $HC_DELAY ms (default 5) one way on each router's
# uplink. Every host has two links, to two access networks chosen at
# random, one of them up; it takes its address by SLAAC, with DAD. Each
# host opens a TCP connection to each of the $HC_PEERS (default 5) hosts
# after it and echoes what its own listener receives (simflows.py). For
# $HC_SECONDS (default 300), each host moves every 10 to 30 s (random) to
# its other network: half the moves break before make (the old link down,
# 0.5 to 1.5 s without a network, the new one up), half make before break
# (the new link up, its address usable, the old link down).
#
# Writes to $HC_RESULTS: flows.json (simflows.py's report), moves.tsv
# (host, kind, new address, seconds from the start of the move to the
# new address usable, when it started), stats.tsv (each host's counters at the end), slab.txt (the
# module's slabs and the guest's memory before and after), keyd.txt (the
# key daemons' memory), state/ (each host's addresses, sockets, cache and
# counters 30 s after the last move), verdict (0: every connection
# survived); with HC_SIM_CAPTURE set, each host's packets (HOST.pcap).

set -u
export PATH=$HC_TOP/tools/hcctl:$HC_TOP/tools/hckeyd:$PATH
hosts=${HC_HOSTS:-50}
routers=${HC_ROUTERS:-5}
peers=${HC_PEERS:-5}
seconds=${HC_SECONDS:-300}
delay=${HC_DELAY:-5}
work=$TMPDIR/sim
res=$HC_RESULTS
mkdir -p "$work"
RANDOM=${HC_SEED:-1}

log() { printf '%s %s\n' "$(date +%T)" "$*" | tee -a "$res/simulation.log"; }

# global_addr NS DEV: NS's usable global address on DEV, if any.
global_addr() {
	ip -n "$1" -6 -o addr show dev "$2" scope global -tentative |
		awk '{ split($4, a, "/"); print a[1]; exit }'
}

memory() {
	grep -E '^(MemFree|MemAvailable|Slab|SUnreclaim):' /proc/meminfo
	grep -E '^(hc_foreign|hc_faddr) ' /proc/slabinfo |
		awk '{ printf "%s: %d objects of %d bytes, %d KiB\n", $1, $2, $4, $2 * $4 / 1024 }'
}

insmod "$HC_TOP/hostcache.ko" || exit 1
memory > "$res/slab.txt"

log "network: $hosts hosts, $routers access networks, $delay ms one way per uplink"
ip netns add sim-core
ip -n sim-core link set lo up
ip netns exec sim-core sysctl -qw net.ipv6.conf.all.forwarding=1
for n in $(seq "$routers"); do
	r=sim-r$n
	ip netns add "$r"
	ip -n "$r" link set lo up
	ip netns exec "$r" sysctl -qw net.ipv6.conf.all.forwarding=1
	ip -n sim-core link add "r$n" type veth peer name up0 netns "$r"
	ip -n sim-core addr add "2001:db8:ff:$n::1/64" dev "r$n"
	ip -n "$r" addr add "2001:db8:ff:$n::2/64" dev up0
	ip -n sim-core link set "r$n" up
	ip -n "$r" link set up0 up
	ip netns exec sim-core tc qdisc add dev "r$n" root netem delay "${delay}ms"
	ip netns exec "$r" tc qdisc add dev up0 root netem delay "${delay}ms"
	ip -n "$r" link add br0 type bridge mcast_snooping 0
	ip -n "$r" link add d0 master br0 type dummy
	ip -n "$r" addr add "2001:db8:$n::1/64" dev br0
	ip -n "$r" link set d0 up
	ip -n "$r" link set br0 up
	cat > "$work/radvd.$n.conf" <<-EOF
	interface br0 {
		AdvSendAdvert on;
		MinRtrAdvInterval 3;
		MaxRtrAdvInterval 10;
		prefix 2001:db8:$n::/64 { };
	};
	EOF
	chmod 600 "$work/radvd.$n.conf"
	ip netns exec "$r" radvd -C "$work/radvd.$n.conf" -p "$work/radvd.$n.pid" \
		-m logfile -l "$work/radvd.$n.log"
done
for n in $(seq "$routers"); do
	for _ in $(seq 100); do
		[ -z "$(ip -n "sim-r$n" -6 addr show tentative)" ] && break
		sleep 0.1
	done
	ip -n "sim-r$n" -6 route add default via "2001:db8:ff:$n::1"
	ip -n sim-core -6 route add "2001:db8:$n::/64" via "2001:db8:ff:$n::2"
done

# Host i's links: link$p (up) and link$q, to access networks p != q.
declare -A home other
for i in $(seq "$hosts"); do
	h=sim-h$i
	p=$((RANDOM % routers + 1))
	q=$(((p + RANDOM % (routers - 1)) % routers + 1))
	home[$i]=$p other[$i]=$q
	ip netns add "$h"
	ip -n "$h" link set lo up
	for n in $p $q; do
		ip -n "sim-r$n" link add "h$i" type veth peer name "link$n" netns "$h"
		ip -n "sim-r$n" link set "h$i" master br0 up
	done
	ip -n "$h" link set "link$p" up
done
for i in $(seq "$hosts"); do
	h=sim-h$i
	for _ in $(seq 150); do
		[ -n "$(global_addr "$h" "link${home[$i]}")" ] && break
		sleep 0.1
	done
	addr=$(global_addr "$h" "link${home[$i]}")
	[ -n "$addr" ] || { log "FAIL: $h got no address"; echo 1 > "$res/verdict"; exit 1; }
	echo "host $h $addr" >> "$work/plan"
	ip netns exec "$h" hckeyd -f >> "$work/keyd.$i.log" 2>&1 &
	[ -z "${HC_SIM_CAPTURE:-}" ] ||
		ip netns exec "$h" dumpcap -q -i any -s 200 -w "$res/$h.pcap" > /dev/null 2>&1 &
done
for i in $(seq "$hosts"); do
	for k in $(seq "$peers"); do
		echo "connect sim-h$i sim-h$(((i + k - 1) % hosts + 1))"
	done
done >> "$work/plan"
memory > "$work/slab.before"

log "connections: $((hosts * peers)), for $seconds s"
mkfifo "$work/flows.out"
python3 "$HC_TOP/scripts/simflows.py" "$seconds" < "$work/plan" > "$work/flows.out" &
flows=$!
exec {flows_out}< "$work/flows.out"
read -r -u "$flows_out" first
log "simflows: $first"
if [ "$first" != ready ]; then
	echo 1 > "$res/verdict"
	exit 1
fi

# mover I: host I moves every 10 to 30 s until the end, between its two
# networks, each move reported to moves.tsv.
mover() {
	local i=$1 h=sim-h$1 from=${home[$1]} to=${other[$1]} end=$((SECONDS + seconds))
	local kind begin addr swap _

	RANDOM=$((${HC_SEED:-1} * 1000 + i))
	while sleep $((10 + RANDOM % 21)); [ "$SECONDS" -lt "$end" ]; do
		begin=$(date +%s.%N)
		if [ $((RANDOM % 2)) = 0 ]; then
			kind=break-before-make
			ip -n "$h" link set "link$from" down
			sleep "$(echo "scale=1; (5 + $RANDOM % 11) / 10" | bc)"
			ip -n "$h" link set "link$to" up
		else
			kind=make-before-break
			ip -n "$h" link set "link$to" up
		fi
		addr=
		for _ in $(seq 300); do
			addr=$(global_addr "$h" "link$to")
			[ -n "$addr" ] && break
			sleep 0.1
		done
		[ "$kind" = break-before-make ] || ip -n "$h" link set "link$from" down
		printf '%s\t%s\t%s\t%s\t%s\n' "$h" "$kind" "${addr:-none}" \
			"$(echo "$(date +%s.%N) - $begin" | bc)" "$(date -d "@$begin" +%T.%3N)" \
			>> "$res/moves.tsv"
		swap=$from
		from=$to to=$swap
	done
}

: > "$res/moves.tsv"
movers=
for i in $(seq "$hosts"); do
	mover "$i" &
	movers="$movers $!"
done
wait $movers
log "moves: $(wc -l < "$res/moves.tsv")"
# What each host holds 30 s after the last move, while the last echoes
# are awaited: for a connection that does not recover.
sleep 30
mkdir -p "$res/state"
for i in $(seq "$hosts"); do
	h=sim-h$i
	{
		ip -n "$h" -6 addr show scope global
		ip netns exec "$h" ss -tni
		hcctl -n "$h" foreign
		hcctl -n "$h" local
		hcctl -n "$h" stats
	} > "$res/state/$h.txt" 2>&1
done
cat <&"$flows_out" > "$res/flows.json"
wait "$flows"
verdict=$?
log "simflows: exit $verdict"

for i in $(seq "$hosts"); do
	hcctl -n "sim-h$i" -j stats | jq -r --arg h "sim-h$i" \
		'[$h, .entries, .flows, .mh_bu_sent, .mh_bu_retried, .mh_bu_acked, .mh_bu_accepted, .mh_bu_rejected, .addrs_verified, .acquires] | @tsv'
done > "$res/stats.tsv"
{
	echo "before the connections:"
	cat "$work/slab.before"
	echo "at the end:"
	memory
} >> "$res/slab.txt"
ps -C hckeyd -o rss= | awk '{ n++; s += $1; if ($1 > m) m = $1 } END { printf "hckeyd: %d daemons, %d KiB resident in all, %d KiB at most\n", n, s, m }' \
	> "$res/keyd.txt"
echo "$verdict" > "$res/verdict"
pkill hckeyd
pkill dumpcap
for n in $(seq "$routers"); do
	kill "$(cat "$work/radvd.$n.pid")" 2> /dev/null
done
cat "$work"/keyd.*.log > "$res/keyd.log" 2> /dev/null
