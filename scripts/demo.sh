#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demonstration: build what is needed (the test kernel is cached), boot
# it under User-Mode Linux and show the module and hcctl at work with two
# hosts in network namespaces.

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=${HC_OUT:-$top/demo-results}
mkdir -p "$out"

echo "Building the test kernel (cached after the first run), module and tools..."
kdir=$("$top/scripts/build.sh")
HC_KERNEL_ARGS="quiet" "$top/scripts/uml-run.sh" "$kdir" demo "$out"
