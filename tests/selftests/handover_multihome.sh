#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# TCP connections of multi-homed hosts survive the loss of the address
# they use (lib_handover.sh): A with two addresses loses the one its
# connection started from; two connections to two addresses of B survive
# B losing both. Each sends 50 MB from A to B, paced over 12 s (the first
# to B over 30 s: it must outlast the start of the second); data must
# reach B after the loss, intact, and neither host may send or receive a
# reset.

set -e
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_handover.sh"

require_module
require_cmd hcctl hckeyd jq python3

# A has two addresses from the start; the one the connection uses goes.
setup
ip -n "$nsa" addr add fd00::11/64 dev veth-a nodad
start_tcp fd00::2 5001
known "$nsb" fd00::11 || fail "B did not learn A's second address"
ip -n "$nsa" addr del fd00::1/64 dev veth-a
gone "$nsa" fd00::1
flowing "$nsb" 5001 || fail "A multi-homed: no data after the loss"
end_tcp 5001 "A multi-homed, loses one address"
finish "A multi-homed, loses one address"

# Two connections to two addresses of B; B then loses both.
setup
ip -n "$nsb" addr add fd00::22/64 dev veth-b nodad
start_tcp fd00::2 5001 30
known "$nsa" fd00::22 || fail "A did not learn B's second address"
start_tcp fd00::22 5002
ip -n "$nsb" addr add fd00::b1/64 dev veth-b nodad
known "$nsa" fd00::b1 || fail "A did not learn fd00::b1"
ip -n "$nsb" addr del fd00::2/64 dev veth-b
ip -n "$nsb" addr del fd00::22/64 dev veth-b
gone "$nsb" fd00::2
gone "$nsb" fd00::22
flowing "$nsb" 5001 && flowing "$nsb" 5002 || fail "two connections: no data after B's losses"
end_tcp 5001 "connection to fd00::2"
end_tcp 5002 "connection to fd00::22"
finish "two connections to two addresses of B"
