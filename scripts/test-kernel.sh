#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test-kernel.sh [test | bench]: build (or reuse) a User-Mode Linux kernel
# and print its build directory on stdout. The kernel comes from Debian's
# linux-source-6.1 with the fixes in scripts/uml-patches/. The test kernel
# (the default) is configured by scripts/uml-kernel.config and
# scripts/uml-debug.config (KASAN, UBSAN, lockdep, kmemleak...); the
# benchmark kernel by uml-kernel.config alone, so that figures are not
# those of a debugging kernel. Kernels are cached outside the repository
# under $HOSTCACHE_CACHE (default ~/.cache/hostcache), keyed by the kind,
# the source package version and the content of the fragments, the patches
# and this script, so each is rebuilt only when one of them changes.

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
kind=${1:-test}
case $kind in
test) fragments=("$top"/scripts/uml-kernel.config "$top"/scripts/uml-debug.config) ;;
bench) fragments=("$top"/scripts/uml-kernel.config) ;;
*) echo "usage: test-kernel.sh [test | bench]" >&2; exit 2 ;;
esac
cache=${HOSTCACHE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hostcache}
srcpkg=linux-source-6.1
tarball=/usr/src/$srcpkg.tar.xz
jobs=${JOBS:-$(nproc)}

log() { printf 'test-kernel: %s\n' "$*" >&2; }

version=$(dpkg-query -W -f '${Version}' "$srcpkg")
patches=("$top"/scripts/uml-patches/*.patch)
key=$(cat "${fragments[@]}" "${patches[@]}" "$0" | sha256sum | cut -c1-16)
kdir=$cache/$kind-$srcpkg-$version-$key

if [ -f "$kdir/.hostcache-ready" ]; then
	echo "$kdir"
	exit 0
fi

log "building the $kind kernel, once: $srcpkg $version (key $key) in $kdir"
rm -rf "$kdir"
mkdir -p "$kdir"
log "extracting $tarball"
tar -C "$kdir" --strip-components=1 -xf "$tarball"
cd "$kdir"
for p in "${patches[@]}"; do
	log "applying $(basename "$p")"
	patch -s -p1 < "$p" >&2
done

log "configuring: $(basename -a "${fragments[@]}" | paste -sd' '), olddefconfig"
cat "${fragments[@]}" > .config
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
done < <(cat "${fragments[@]}")
[ "$missing" = 0 ] || { log "config fragment did not survive olddefconfig"; exit 1; }

# progress: make's "  CC  file" lines become a count of steps every 15 s; all
# else (warnings, errors) passes through.
progress() {
	local line steps=0 last=$SECONDS
	while IFS= read -r line; do
		case $line in
		"  "[A-Z]*) steps=$((steps + 1)) ;;
		*) printf '%s\n' "$line" >&2 ;;
		esac
		if [ $((SECONDS - last)) -ge 15 ]; then
			last=$SECONDS
			log "compiling: $steps steps done, $((SECONDS / 60))m$((SECONDS % 60))s"
		fi
	done
	log "compiled: $steps steps in $((SECONDS / 60))m$((SECONDS % 60))s"
}
log "compiling on $jobs CPUs: about 1,500 steps"
SECONDS=0
if ! make ARCH=um -j"$jobs" linux modules_prepare 2>&1 | progress; then
	log "the kernel build failed"
	exit 1
fi
# The kernel has no modules of its own: its exports are all there is.
cp vmlinux.symvers Module.symvers
# The stamp marks a complete build: an interrupted one starts afresh.
touch .hostcache-ready
# Keep one kernel of each kind; drop stale ones.
find "$cache" -maxdepth 1 -name "$kind-$srcpkg-*" ! -path "$kdir" -exec rm -rf {} + 2>/dev/null || true
find "$cache" -maxdepth 1 -name "$srcpkg-*" -exec rm -rf {} + 2>/dev/null || true
echo "$kdir"
