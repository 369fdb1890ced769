#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# An unprivileged user who makes a user and a network namespace is root in
# them, and may fill that namespace's Host Cache through the netlink API.
# What that costs the kernel is charged to the user's memory cgroup, whose
# limit therefore bounds it: 5,000 entries add their slab memory to the
# cgroup's, and it goes when the namespace goes.

set -e
. "$(dirname "$0")/lib.sh"

require_module
require_cmd unshare setpriv python3
here=$(cd "$(dirname "$0")" && pwd)
[ -e /proc/self/ns/user ] || { log "SKIP: no user namespaces"; exit $ksft_skip; }
grep -qw cgroup2 /proc/filesystems || { log "SKIP: no cgroup2"; exit $ksft_skip; }

cg=${TMPDIR:-/tmp}/memcg.$$
mkdir -p "$cg"
mount -t cgroup2 none "$cg"
trap 'kill $FILL_PID 2> /dev/null || true; wait 2> /dev/null || true
	rmdir "$cg/user" 2> /dev/null || true; umount "$cg"; rmdir "$cg"' EXIT
grep -qw memory "$cg/cgroup.controllers" || { log "SKIP: no memory controller"; exit $ksft_skip; }
echo +memory > "$cg/cgroup.subtree_control"
mkdir "$cg/user"

# slab: the kernel slab memory charged to the user's cgroup (bytes).
slab() { awk '$1 == "slab" { print $2 }' "$cg/user/memory.stat"; }

# The user's process: in the cgroup, as nobody, root of its own user and
# network namespaces; it says "ready", waits for a line, makes 5,000
# entries, says "filled", and waits for a line before it ends.
prog='import sys
sys.path.insert(0, sys.argv[1])
import hcnl
nl = hcnl.Genl()
print("ready", flush=True)
sys.stdin.readline()
hcnl.fill(nl, 5000, "2001:db8:1000::1")
print("filled", flush=True)
sys.stdin.readline()'
coproc FILL {
	echo "$BASHPID" > "$cg/user/cgroup.procs"
	exec setpriv --reuid=65534 --regid=65534 --clear-groups \
		unshare -Urn python3 -c "$prog" "$here" 2>&1
}
read -r -t 30 line <&"${FILL[0]}" || fail "the user's process did not start"
[ "$line" = ready ] || fail "the user's process said: $line"
before=$(slab)
echo go >&"${FILL[1]}"
read -r -t 120 line <&"${FILL[0]}" || fail "the user's process did not fill its cache"
[ "$line" = filled ] || fail "the user's process said: $line"
filled=$(slab)
echo end >&"${FILL[1]}"
wait "$FILL_PID" || true
log "the cgroup's slab: $before bytes, $filled with 5,000 entries"
[ "$((filled - before))" -ge $((5000 * 150)) ] ||
	fail "5,000 entries added only $((filled - before)) bytes to the user's cgroup"
# The namespace goes once its last process has; so does its charge.
wait_until 20 '[ "$(slab)" -lt $((before + (filled - before) / 4)) ]' ||
	fail "the charge stayed after the namespace went: $(slab) bytes"
pass "a user's namespace's entries are charged to its memory cgroup ($(((filled - before) / 5000)) bytes each), and go with it"
