#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Which kernel to build the module for and to boot in the tests: one rule,
# used by the Makefile, tests/vm/run.sh and tests/kunit/run.sh (and what
# packages the module for each kernel), so that they never disagree.
#
#   scripts/kernel.sh pick [KVER]   the kernel release
#   scripts/kernel.sh kdir [KVER]   its kbuild tree (/lib/modules/K/build)
#   scripts/kernel.sh series [KVER] its major.minor, e.g. 6.12: which
#                                   /usr/src/linux-source-X.Y.tar.xz
#                                   KUnit builds User-Mode Linux from
#   scripts/kernel.sh list          every kernel here that can be built for
#                                   and booted (headers and image), oldest
#                                   first: what `make check` tests
#
# KVER is a release (6.12.117+deb12-amd64) or the start of one up to a dot
# or a dash (6.12, 6.1.0-57): the newest installed release that matches.
# Without KVER: the running kernel if its headers are installed (a real
# gateway), else the newest kernel with both headers and an image in /boot
# (one the tests can boot), else the newest with headers.

set -e

modules=${SLEEPPROXY_MODULES_DIR:-/lib/modules}
boot=${SLEEPPROXY_BOOT_DIR:-/boot}

die() { echo "kernel.sh: $*" >&2; exit 1; }

headers() { [ -e "$modules/$1/build/Makefile" ]; }
bootable() { [ -e "$boot/vmlinuz-$1" ] && [ -d "$modules/$1/kernel" ]; }

# Installed releases, oldest first.
releases() {
	ls "$modules" 2>/dev/null | sort -V
}

pick() {
	want=$1 found=
	if [ -n "$want" ]; then
		for k in $(releases); do
			case $k in
			"$want"|"$want".*|"$want"-*|"$want"+*)
				headers "$k" || bootable "$k" && found=$k ;;
			esac
		done
		[ -n "$found" ] || die "no kernel $want in $modules"
		echo "$found"
		return
	fi
	k=$(uname -r)
	if headers "$k"; then
		echo "$k"
		return
	fi
	for k in $(releases); do
		headers "$k" && bootable "$k" && found=$k
	done
	if [ -z "$found" ]; then
		for k in $(releases); do
			headers "$k" && found=$k
		done
	fi
	[ -n "$found" ] || die "no kernel headers in $modules: install linux-headers-amd64 (tests/deps.sh) or set KDIR="
	echo "$found"
}

case ${1:-} in
pick)
	pick "${2:-}" ;;
kdir)
	k=$(pick "${2:-}")
	headers "$k" || die "no headers for $k: $modules/$k/build"
	echo "$modules/$k/build" ;;
series)
	k=$(pick "${2:-}")
	echo "$k" | sed -n 's/^\([0-9]*\.[0-9]*\).*/\1/p' ;;
list)
	for k in $(releases); do
		headers "$k" && bootable "$k" && echo "$k"
	done ;;
*)
	echo "usage: $0 pick|kdir|series [KVER] | list" >&2
	exit 2 ;;
esac
