#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demonstration, run inside the test guest by guest-init.sh: two hosts
# in network namespaces, the module loaded, hcctl at work in each.

set -e
export PATH=$HC_TOP/tools/hcctl:$HC_TOP/tools/hckeyd:$PATH
. "$HC_TOP/tests/selftests/lib.sh"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show() { printf '$ %s\n' "$*"; "$@"; }

step "load the module"
show insmod "$HC_TOP/hostcache.ko"
dmesg | grep 'hostcache:' | grep -v 'KTAP\|# \|ok ' | tail -n 1

step "two hosts, A and B, in network namespaces joined by veth"
setup_two_hosts
show ip -n "$nsa" -6 -brief addr show dev veth-a
show ip -n "$nsb" -6 -brief addr show dev veth-b

step "hcctl talks to the module in each namespace"
show hcctl -n "$nsa" version
show hcctl -n "$nsa" param
show hcctl -n "$nsa" param set default-lifetime 300
show hcctl -n "$nsa" -j -p param
show hcctl -n "$nsb" -j -p param

step "bad input is refused with the kernel's reason"
show hcctl -n "$nsa" param set max-expired-lifetime 0 || true

step "A's Host Cache: a foreign entry for B, with B's two addresses"
hcctl -n "$nsa" monitor > "$TMPDIR/events" &
monitor=$!
sleep 0.3
show hcctl -n "$nsa" foreign add fd00::2 2001:db8:b::2 lifetime 120 bid 1
show hcctl -n "$nsa" foreign addr add fd00::2 2001:db8:b::3 verified
show hcctl -n "$nsa" -j -p foreign show 2001:db8:b::3
show hcctl -n "$nsa" foreign add 2001:db8:b::3 || true
show hcctl -n "$nsa" foreign add fd00::9 fe80::9 || true
show hcctl -n "$nsa" foreign set fd00::2 trusted homeless
show hcctl -n "$nsa" foreign addr del fd00::2 2001:db8:b::2
show hcctl -n "$nsa" stats
show hcctl -n "$nsb" foreign
sleep 0.3
kill "$monitor"
printf '$ hcctl -n %s monitor    # what it printed meanwhile\n' "$nsa"
cat "$TMPDIR/events"

step "IPv6 between A and B"
show na ping -6 -c 2 -i 0.2 fd00::2

step "B processes a Binding Update from A (no AH yet: B turns on the test switch)"
show hcctl -n "$nsb" param set accept-unauthenticated on
printf '$ mhsend.py fd00::1 fd00::2 bu    # A: BU, sequence 1, A flag, Homeless Support, BID 1\n'
na python3 "$HC_TOP/tests/selftests/mhsend.py" fd00::1 fd00::2 bu
sleep 0.5
show hcctl -n "$nsb" foreign
hcctl -n "$nsb" stats | grep 'mh_received\|mh_well_formed\|mh_bu_\|mh_acks'
printf '$ hcctl -n %s stats    # A received the Binding Acknowledgment\n' "$nsa"
hcctl -n "$nsa" stats | grep 'mh_received\|mh_well_formed'

step "A tells B, a homeless peer, when its addresses change"
show hcctl -n "$nsa" param set accept-unauthenticated on
show hcctl -n "$nsa" foreign set fd00::2 homeless
show ip -n "$nsa" addr add fd00::a/64 dev veth-a nodad
sleep 1
show hcctl -n "$nsb" foreign
show ip -n "$nsa" addr del fd00::1/64 dev veth-a
sleep 1
show hcctl -n "$nsb" foreign
hcctl -n "$nsa" stats | grep 'mh_bu_sent\|mh_bu_acked'

step "a TCP connection survives a move: A sends 20 MB to B while A changes address"
cleanup_two_hosts
setup_two_hosts
printf '# The test switch is off: updates count only under AH. The key daemon\n'
printf '# runs in each host.\n'
for ns in "$nsa" "$nsb"; do
	printf '$ ip netns exec %s hckeyd -f -v &\n' "$ns"
	ip netns exec "$ns" hckeyd -f -v 2> "$TMPDIR/keyd.$ns" &
	keyd_pids="$keyd_pids $!"
done
na ping -6 -c 1 -W 2 fd00::2 > /dev/null
xfer="python3 $HC_TOP/tests/selftests/tcpxfer.py"
nb $xfer serve 5001 > "$TMPDIR/recv" &
server=$!
sleep 0.5
na $xfer send fd00::2 5001 20000000 6 > "$TMPDIR/sent" &
client=$!
sleep 1.5
printf '# A opened the connection: its SYN made the entry for B; after the\n'
printf '# handshake A trusted it and asked for an SA; the daemons keyed one\n'
printf '# and A sent its Initial Binding Update under AH; B answered that it\n'
printf '# is homeless and sent its own.\n'
show hcctl -n "$nsa" foreign
show hcctl -n "$nsb" foreign
printf '$ cat keyd.a    # what A'"'"'s daemon said\n'
cat "$TMPDIR/keyd.$nsa"
printf '$ ip -n %s xfrm policy    # A'"'"'s policy for B: AH for the Mobility Header\n' "$nsa"
ip -n "$nsa" xfrm policy
show ip -n "$nsa" addr add fd00::a1/64 dev veth-a nodad
sleep 0.5
show ip -n "$nsa" addr del fd00::1/64 dev veth-a
printf '# fd00::1 now leads nowhere:\n'
show nb ip neigh replace fd00::1 lladdr 02:00:00:00:00:99 dev veth-b nud permanent
sleep 1
show hcctl -n "$nsb" foreign
show nb ss -tn state established
wait "$client" "$server"
printf '$ cat sent received    # bytes and SHA-256 at each end\n'
cat "$TMPDIR/sent" "$TMPDIR/recv"
hcctl -n "$nsa" stats | grep 'learned\|flows\|mh_bu_sent\|mh_bu_acked\|mh_authenticated\|mh_unauthenticated\|acquires'

step "unload"
cleanup_two_hosts
show rmmod hostcache
