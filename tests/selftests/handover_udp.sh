#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A UDP flow on a connected socket survives A's move (lib_handover.sh):
# A sends 300 datagrams, one each 20 ms, B echoes them; most of the last
# third must be answered, and B's socket must see only A's first address.
# With checksum offload, without it, and with zero UDP checksums (RFC
# 6936).

set -e
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_handover.sh"

require_module
require_cmd hcctl hckeyd jq python3 ethtool

udp_move "UDP, connected socket, A moves" setup
udp_move "UDP, no checksum offload, A moves" setup_soft
udp_move "UDP, zero checksum, A moves" setup nocsum
