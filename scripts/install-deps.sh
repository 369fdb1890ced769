#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian packages needed to build the test kernel, the module
# and the tools, and to run the tests. Does nothing when all are present.

set -euo pipefail

packages=(
	# test kernel and module
	linux-source-6.1 build-essential flex bison bc kmod libelf-dev
	libssl-dev xz-utils sparse perl python3 patch
	# tools
	pkg-config libnl-3-dev libnl-genl-3-dev libnl-xfrm-3-dev libjson-c-dev
	# the guest's userspace for tests and the demonstration
	iproute2 iputils-ping util-linux procps jq ethtool nftables
	# a router's advertisements, for SLAAC in the routed tests
	radvd
	# Mobility Header interoperability: a decoder and a builder nobody
	# here wrote
	tshark python3-scapy
	# benchmarks: throughput, and the plot of a handover
	iperf3 gnuplot-nox
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: need root to install packages" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
