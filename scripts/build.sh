#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build everything a test-kernel boot needs: the test kernel (cached), the
# module against it with the KUnit suites linked in, and the tools.
# Prints the kernel build directory. Compiler warnings fail the build.

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
jobs=${JOBS:-$(nproc)}

"$top/scripts/install-deps.sh"
kdir=$("$top/scripts/test-kernel.sh")

echo "build: the module, with its KUnit suites, and the tools" >&2
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! make -s -C "$kdir" M="$top" ARCH=um W=1 -j"$jobs" \
	CONFIG_HOSTCACHE_KUNIT_TEST=y modules >"$log" 2>&1; then
	cat "$log" >&2
	echo "build: module build failed" >&2
	exit 1
fi
if grep -qi 'warning' "$log"; then
	cat "$log" >&2
	echo "build: module build has warnings" >&2
	exit 1
fi
make -s -C "$top/tools/hcctl" CFLAGS="-O2 -g -Werror" >&2
make -s -C "$top/tools/hckeyd" CFLAGS="-O2 -g -Werror" >&2
echo "$kdir"
