#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (or reuse) the User-Mode Linux test kernel and print its build
# directory on stdout. The kernel comes from Debian's linux-source-6.1, with
# the fixes in scripts/uml-patches/ and the configuration fragment
# scripts/uml-test-kernel.config. It is cached outside the repository under
# $HOSTCACHE_CACHE (default ~/.cache/hostcache), keyed by the source package
# version and the content of the fragment, the patches and this script, so
# it is rebuilt only when one of them changes.

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
fragment=$top/scripts/uml-test-kernel.config
cache=${HOSTCACHE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hostcache}
srcpkg=linux-source-6.1
tarball=/usr/src/$srcpkg.tar.xz
jobs=${JOBS:-$(nproc)}

log() { printf 'test-kernel: %s\n' "$*" >&2; }

version=$(dpkg-query -W -f '${Version}' "$srcpkg")
patches=("$top"/scripts/uml-patches/*.patch)
key=$(cat "$fragment" "${patches[@]}" "$0" | sha256sum | cut -c1-16)
kdir=$cache/$srcpkg-$version-$key

if [ -f "$kdir/.hostcache-ready" ]; then
	echo "$kdir"
	exit 0
fi

log "building $srcpkg $version (key $key) in $kdir"
rm -rf "$kdir"
mkdir -p "$kdir"
tar -C "$kdir" --strip-components=1 -xf "$tarball"
cd "$kdir"
for p in "${patches[@]}"; do
	patch -s -p1 < "$p" >&2
done

cp "$fragment" .config
make -s ARCH=um olddefconfig >&2

# Kconfig drops options it cannot satisfy without a word: check each one.
missing=0
while read -r line; do
	case "$line" in
	CONFIG_*=*)
		grep -qxF "$line" .config || { log "option lost: $line"; missing=1; }
		;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }
		opt=${opt%% *}
		if grep -q "^$opt=" .config; then
			log "option should be unset: $opt"
			missing=1
		fi
		;;
	esac
done < "$fragment"
[ "$missing" = 0 ] || { log "config fragment did not survive olddefconfig"; exit 1; }

make -s ARCH=um -j"$jobs" linux modules_prepare >&2
# The kernel has no modules of its own: its exports are all there is.
cp vmlinux.symvers Module.symvers
# The stamp marks a complete build: an interrupted one starts afresh.
touch .hostcache-ready
# Keep one kernel per source version and fragment; drop stale ones.
find "$cache" -maxdepth 1 -name "$srcpkg-*" ! -path "$kdir" -exec rm -rf {} + 2>/dev/null || true
echo "$kdir"
