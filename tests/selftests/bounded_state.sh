#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What others can make this host keep is bounded. A peer that connects to
# A is not trusted for that; one that A connects to is. A SYN flood at a
# listening port of A, from its peer B's address with every source port,
# makes no flow on either host, while a transfer from A to B goes on
# intact. Flows stop at a peer's sixteenth of max-flows, and at max-flows.
# The flood is $HC_FLOOD_PACKETS SYNs (default 20000; "make flood" sends
# 1,000,000).

set -e
. "$(dirname "$0")/lib.sh"

require_module
require_cmd hcctl jq python3
here=$(dirname "$0")
out=${TMPDIR:-/tmp}/bounded.$$
packets=${HC_FLOOD_PACKETS:-20000}
trap 'rm -f "$out".*; cleanup_two_hosts' EXIT

A() { hcctl -n "$nsa" "$@"; }
stat() { hcctl -n "$1" -j stats | jq ".$2"; }
trusted() { A -j foreign show "$1" | jq .[0].trusted; }
slab() { awk '$1 == "Slab:" { print $2 }' /proc/meminfo; }

setup_two_hosts
na ping -6 -c 1 -W 2 fd00::2 > /dev/null || fail "A cannot reach B"

# Trust: B connects to A, whose entry for B exists and is untrusted.
A foreign add fd00::2 > /dev/null
na python3 "$here/tcpxfer.py" serve 7000 > /dev/null &
server=$!
listening "$nsa" tcp 7000 || fail "A's server did not start"
nb python3 "$here/tcpxfer.py" send fd00::1 7000 100000 > /dev/null
wait "$server" || fail "the server failed"
[ "$(trusted fd00::2)" = false ] ||
	fail "a connection B opened made A trust B: $(A foreign)"
A foreign del fd00::2
nb python3 "$here/tcpxfer.py" serve 7001 > /dev/null &
server=$!
listening "$nsb" tcp 7001 || fail "B's server did not start"
na python3 "$here/tcpxfer.py" send fd00::2 7001 100000 > /dev/null
wait "$server" || fail "the server failed"
[ "$(trusted fd00::2)" = true ] ||
	fail "a connection A opened did not make A trust B: $(A foreign)"
pass "A trusts B for a handshake A started, not for one B started"

# The flood, during a transfer from A to B.
ip netns exec "$nsa" python3 -c 'import socket, time
s = socket.socket(socket.AF_INET6)
s.bind(("::", 7002)); s.listen(16); time.sleep(3600)' &
listener=$!
ip netns exec "$nsb" python3 "$here/tcpxfer.py" serve 7003 > "$out.recv" &
server=$!
listening "$nsa" tcp 7002 && listening "$nsb" tcp 7003 ||
	fail "the servers did not start"
ip netns exec "$nsa" python3 "$here/tcpxfer.py" send fd00::2 7003 30000000 10 > "$out.sent" &
client=$!
flowing "$nsb" 7003 || fail "the transfer did not start"
flows_a=$(stat "$nsa" flows_created) flows_b=$(stat "$nsb" flows_created)
slab_before=$(slab)
sent=$(nb python3 "$here/synflood.py" fd00::2 fd00::1 7002 "$packets")
slab_after=$(slab)
log "flood: ${sent% *} SYNs at ${sent#* } a second; kernel slab $slab_before kB before, $slab_after kB after"
[ "$(stat "$nsa" flows_created)" = "$flows_a" ] ||
	fail "the flood made $(($(stat "$nsa" flows_created) - flows_a)) flows in A"
[ "$(stat "$nsb" flows_created)" = "$flows_b" ] ||
	fail "the flood made $(($(stat "$nsb" flows_created) - flows_b)) flows in B"
kill "$listener"
reap "$client" "$server"
read -r sent_bytes sent_hash < "$out.sent"
read -r recv_bytes recv_hash < "$out.recv"
[ "$sent_bytes" = 30000000 ] && [ "$sent_hash" = "$recv_hash" ] ||
	fail "the transfer broke: sent $sent_bytes $sent_hash, B got $recv_bytes $recv_hash"
pass "$packets spoofed SYNs made no flow; the transfer went on intact"

# Limits: a sixteenth of max-flows per peer, max-flows in all.
A param set max-flows 32
before=$(stat "$nsa" flows)
[ "$before" -le 2 ] || fail "A has $before flows with B already"
na python3 -c 'import socket
socks = [socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) for _ in range(10)]
for s in socks:
    s.connect(("fd00::2", 9)); s.send(b"x")'
[ "$(stat "$nsa" flows)" = 2 ] ||
	fail "A has $(stat "$nsa" flows) flows with B, over its share of 2"
refused=$(stat "$nsa" flows_refused)
[ "$refused" -ge $((10 - 2 + before)) ] || fail "only $refused flows refused"
A param set max-flows 2
A foreign add fd00::99 > /dev/null
na python3 -c 'import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.connect(("fd00::99", 9)); s.send(b"x")'
[ "$(stat "$nsa" flows)" = 2 ] && [ "$(stat "$nsa" flows_refused)" = $((refused + 1)) ] ||
	fail "a flow with another peer went past max-flows: $(A -j stats)"
pass "flows stop at a peer's sixteenth of max-flows ($refused refused), and at max-flows"
