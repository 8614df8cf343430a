#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Compile the module for a 32-bit (i386) kernel with W=1, and fail on any
# error or warning: gateways running 32-bit kernels exist, and what breaks
# there (64-bit division, printk formats for size_t and u64, pointer to
# integer casts) compiles silently on amd64.
#
#   tests/build-i386.sh
#
# Debian's linux-source tarball is unpacked once into $SLEEPPROXY_CACHE
# (default ~/.cache/sleepproxy, see tests/kunit/tree.sh).  An i386 defconfig
# plus what the module depends on is prepared for external modules in
# $SLEEPPROXY_CACHE/i386, once: a stamp records the tree, the options and
# the compiler, and a change to any of them prepares it again.  The module's
# sources are copied to a temporary directory and built there, so that the
# objects of this checkout (built for amd64) are left alone.
#
# Only `modules_prepare` is run, not a whole kernel, so modpost has no
# Module.symvers to check the module's undefined symbols against: its
# "undefined!" notices are expected and filtered out.  In their place the
# script fails when the module needs one of libgcc's 64-bit arithmetic
# helpers (__udivdi3 and friends), which a 32-bit kernel does not provide.

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
repo=$(cd "$here/.." && pwd -P)
# shellcheck source=tests/kunit/tree.sh
. "$here/kunit/tree.sh"

# Several clones may share one cache: one run at a time.
cache=${SLEEPPROXY_CACHE:-${HOME:-/root}/.cache/sleepproxy}
mkdir -p "$cache"
exec 9>"$cache/.i386.lock"
if ! flock -n 9; then
	echo "i386: waiting for another run using the same cache" >&2
	flock 9
fi

# gcc for amd64 targets i386 with -m32 (Debian builds it with multilib);
# a kernel needs no 32-bit libc, so gcc-multilib is not required.
start=$SECONDS
sp_tree_prepare build-essential bc flex bison libelf-dev libssl-dev

build=$SP_CACHE/i386
opts=(MODULES NET INET IPV6 NETFILTER NETFILTER_INGRESS NET_INGRESS)
stamp=$build/.sleepproxy-prepared
want="tree $(<"$SP_TREE/.sleepproxy-unpacked")
options ${opts[*]}
cc $(gcc --version | head -n 1)"
kmake=(make -C "$SP_TREE" O="$build" ARCH=i386 -j"$(nproc)")

if [[ ! -f $stamp || $(<"$stamp") != "$want" ]]; then
	echo "i386: preparing an i386 kernel build in $build" >&2
	rm -rf "$build"
	mkdir -p "$build"
	"${kmake[@]}" -s defconfig
	args=()
	for o in "${opts[@]}"; do args+=(-e "$o"); done
	"$SP_TREE/scripts/config" --file "$build/.config" "${args[@]}"
	"${kmake[@]}" -s olddefconfig
	for o in "${opts[@]}"; do
		grep -qx "CONFIG_$o=y" "$build/.config" ||
			{ echo "i386: CONFIG_$o=y did not stick" >&2; exit 1; }
	done
	"${kmake[@]}" -s modules_prepare
	printf '%s\n' "$want" >"$stamp"
fi
prepared=$((SECONDS - start))

src=$(mktemp -d "${TMPDIR:-/tmp}/sleepproxy-i386.XXXXXX")
trap 'rm -rf "$src"' EXIT
# Sources only: never the amd64 objects (or the .mod.c) lying in kernel/.
(cd "$repo" && find Kbuild kernel uapi -type f \
	\( -name '*.[ch]' -o -name Kbuild -o -name Kconfig \) \
	! -name '*.mod.c' -print0 | xargs -0 cp --parents -t "$src")

log=$src/build.log
rc=0
# tests/kunit/run.sh links some clone's uapi header into the shared tree's
# include/uapi/linux/, which LINUXINCLUDE searches ahead of the module's
# own -I: put the copy's uapi/ in front of everything (NOSTDINC_FLAGS is
# the only variable that comes first; its value in the kernel Makefile is
# -nostdinc).
# Since 6.2 modpost fails on the symbols it cannot resolve without the
# kernel's Module.symvers unless KBUILD_MODPOST_WARN is set; 6.1 only warns.
"${kmake[@]}" M="$src" W=1 NOSTDINC_FLAGS="-nostdinc -I$src/uapi" \
	KBUILD_MODPOST_WARN=1 modules >"$log" 2>&1 || rc=$?
# What a missing Module.symvers makes modpost say is expected (see the top
# of this file): leave it out, then anything that still says warning or
# error is one.  The paths in the log point at the copy: show this clone's.
grep -vE -e '^WARNING: modpost: "[^"]+" \[[^]]+\] undefined!$' \
	-e '^WARNING: modpost: suppressed [0-9]+ unresolved symbol warnings' \
	-e '^WARNING: Module\.symvers is missing\.$' \
	-e '^ +(Modules may not have dependencies or modversions|You may get many unresolved symbol (warnings|errors))\.$' \
	-e '^ +You can set KBUILD_MODPOST_WARN=1 to turn errors into warning$' \
	-e '^ +if you want to proceed at your own risk\.$' \
	"$log" | sed "s|$src/|$repo/|g" >"$src/shown.log" || true
cat "$src/shown.log"
elapsed=$((SECONDS - start))

if [[ $rc -ne 0 || ! -f $src/kernel/sleepproxy.ko ]]; then
	echo "i386: FAILED: the module does not build (${elapsed}s)" >&2
	exit 1
fi
if grep -qiE 'warning|error' "$src/shown.log"; then
	echo "i386: FAILED: the build printed warnings (${elapsed}s):" >&2
	grep -iE 'warning|error' "$src/shown.log" >&2
	exit 1
fi
helpers=$(nm -u "$src/kernel/sleepproxy.ko" |
	awk '$2 ~ /^__(u?(div|mod)[dt]i3|u?divmod[dt]i4)$/ { print $2 }')
if [[ -n $helpers ]]; then
	echo "i386: FAILED: the module calls libgcc helpers that a 32-bit" \
	     "kernel lacks (use div_u64() and friends):" "${helpers//$'\n'/ }" >&2
	exit 1
fi
echo "i386: OK (${elapsed}s, of which ${prepared}s preparing the kernel tree)"
