#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# An ordinary peer: B's module is off, so B's kernel is one without
# Mobile IPv6, and answers a Binding Update with an ICMPv6 Parameter
# Problem, unrecognized Next Header (RFC 8200 4). A, with the test switch
# on (updates without SAs), takes that as the answer (draft 2.2.4):
# - A's first connection to B sends B one Initial Binding Update, which
#   asks whether B is homeless; B's Parameter Problem makes B ordinary at
#   once (not the second ask a silent peer gets), and A's entry says so;
# - A's next connections to B send B nothing, also through a new entry:
#   A remembers B's address for ordinary-hold, beyond the entry's life;
# - an error about an update A never sent (a forgery in A's own
#   namespace, its sequence number wrong) changes nothing, while one that
#   quotes a send of the current update stops the updates to a peer taken
#   as homeless at once.

set -e
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_handover.sh"

require_module
require_cmd hcctl jq tshark dumpcap nft /usr/bin/python3

stat() { hcctl -n "$nsa" -j stats | jq ".$1"; }
# entry: A's view of B, as {"homeless":..,"ordinary":..}, if A has one.
entry() {
	hcctl -n "$nsa" -j foreign show fd00::2 2> /dev/null |
		jq -c '.[0] | {homeless, ordinary}'
}
counters() { hcctl -n "$nsa" -j stats | jq -c '{mh_bu_sent, ordinary, spared}'; }

# connect: A opens a connection to B's server, sends a byte and closes.
connect() {
	na /usr/bin/python3 -c "import socket
s = socket.create_connection(('fd00::2', 7100), 5)
s.sendall(b'x')
s.close()" || fail "A could not connect to B"
}

setup_two_hosts
server= holder=
trap 'kill $server $holder 2> /dev/null; cleanup_handover' EXIT
hcctl -n "$nsb" param set enabled off
hcctl -n "$nsa" param set accept-unauthenticated on
ip netns exec "$nsb" /usr/bin/python3 -c "import socket
s = socket.socket(socket.AF_INET6)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('::', 7100))
s.listen(64)
while True:
    c, _ = s.accept()
    c.recv(1)
    c.close()" &
server=$!
listening "$nsb" tcp 7100 || fail "B's server did not start"
na ping -6 -c 1 -W 2 fd00::2 > /dev/null || fail "A cannot reach B"

sent=$(stat mh_bu_sent)
connect
wait_for '[ "$(entry)" = "{\"homeless\":false,\"ordinary\":true}" ]' ||
	fail "B's Parameter Problem did not make it ordinary: $(hcctl -n "$nsa" foreign) $(counters)"
# A silent peer is asked again 1 s after the first ask.
sleep 3
[ $(($(stat mh_bu_sent) - sent)) = 1 ] && [ "$(stat ordinary)" = 1 ] ||
	fail "one Parameter Problem: $(counters), $sent updates before"
pass "B's Parameter Problem makes it ordinary at once: one update asked it"

spared=$(stat spared)
connect
hcctl -n "$nsa" foreign del fd00::2
connect
wait_for '[ "$(entry)" = "{\"homeless\":false,\"ordinary\":true}" ]' ||
	fail "A's new entry for B is not ordinary: $(hcctl -n "$nsa" foreign)"
sleep 2
[ $(($(stat mh_bu_sent) - sent)) = 1 ] && [ $(($(stat spared) - spared)) = 2 ] ||
	fail "two more connections, one through a new entry: $(counters), $sent updates and $spared spared before"
pass "the next connections send B nothing, also through a new entry"

# B taken as homeless: A's updates go on until B answers, and B's
# Parameter Problems stay in B.
nb nft -f - <<-EOF
table ip6 hc_test {
	chain out {
		type filter hook output priority 0;
		icmpv6 type parameter-problem drop
	}
}
EOF
hcctl -n "$nsa" foreign del fd00::2
hcctl -n "$nsa" foreign add fd00::2 homeless > /dev/null
[ "$(entry)" = '{"homeless":true,"ordinary":false}' ] ||
	fail "an entry added as homeless is ordinary: $(hcctl -n "$nsa" foreign)"
pcap=$out.pcap
ip netns exec "$nsa" dumpcap -i veth-a -f "ip6 proto 135" -a duration:6 -w "$pcap" > "$out.log" 2>&1 &
capture=$!
wait_until 30 'grep -q Capturing "$out.log"' || fail "dumpcap did not start: $(cat "$out.log")"
ip netns exec "$nsa" /usr/bin/python3 -c "import socket, time
s = socket.create_connection(('fd00::2', 7100), 5)
time.sleep(120)" &
holder=$!
wait "$capture" || fail "dumpcap failed: $(cat "$out.log")"
seqs=$(tshark -r "$pcap" -Y "mip6.mhtype == 5" -T fields -e mip6.bu.seqnr)
[ "$(wc -w <<< "$seqs")" -ge 2 ] || fail "A sent B fewer than 2 updates in 6 s: '$seqs'"
read -r first _ <<< "$(tr '\n' ' ' <<< "$seqs")"
ordinary=$(stat ordinary)
na /usr/bin/python3 "$here/paramprob.py" fd00::2 fd00::1 $(((first + 1000) % 65536))
sleep 2
[ "$(entry)" = '{"homeless":true,"ordinary":false}' ] && [ "$(stat ordinary)" = "$ordinary" ] ||
	fail "an error about update $(((first + 1000) % 65536)), which A never sent (it sent $(tr '\n' ' ' <<< "$seqs")), changed B's entry: $(entry), $(counters)"
na /usr/bin/python3 "$here/paramprob.py" fd00::2 fd00::1 "$first"
wait_for '[ "$(entry)" = "{\"homeless\":false,\"ordinary\":true}" ]' ||
	fail "an error about update $first did not make B ordinary: $(entry), $(counters)"
sent=$(stat mh_bu_sent)
# Unanswered, the updates would go 8 and 16 s apart by now.
sleep 17
[ "$(stat mh_bu_sent)" = "$sent" ] && [ "$(stat ordinary)" = $((ordinary + 1)) ] ||
	fail "A's updates to B went on: $(counters), $sent updates before"
pass "an error about an update A did not send changes nothing; one about a send of the current update stops them"
