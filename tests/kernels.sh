#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check's part for each kernel, oldest first: the module with W=1,
# sparse, KUnit on User-Mode Linux built from that kernel's source, and
# one VM boot of that kernel for every system test (the last kernel's
# boot also runs the VM benchmark at its tiny size).
#
#   tests/kernels.sh KVER...
#
# The emulated CPUs of a VM leave the host's cores idle whenever a test
# waits (for a grace period, a timeout, a retransmit), and a KUnit build
# is all compiling: the next kernel's KUnit runs while this kernel's VM
# does, at the lowest priority, so that it takes only what the VM leaves
# and the tests' timing is the VM's alone.  Its output is shown once the
# VM is done.  Fails at the first kernel with a failure.

set -u

[[ $# -ne 0 ]] || { echo "kernels.sh: no kernel given" >&2; exit 2; }
make=${MAKE:-make}
tmp=$(mktemp -d)
bg=
# The background KUnit is a process group of its own: stopped whole.
trap '[[ -z $bg ]] || kill -- -"$bg" 2>/dev/null; rm -rf "$tmp"' EXIT

kunit_bg() { # KVER: start its KUnit in the background
	# shellcheck disable=SC2016 # expanded by that bash
	setsid nice -n 19 bash -c '"$1" --no-print-directory KVER="$2" kunit >"$3" 2>&1
		echo $? >"$4"' kunit "$make" "$1" "$tmp/kunit-$1.log" "$tmp/kunit-$1.rc" &
	bg=$!
}

kunit_done() { # KVER: wait for it, show it, its status
	wait "$bg"
	bg=
	echo "make check: kernel $1: KUnit (run beside the previous kernel's VM)"
	cat "$tmp/kunit-$1.log"
	[[ $(cat "$tmp/kunit-$1.rc" 2>/dev/null) == 0 ]]
}

kvers=("$@")
for i in "${!kvers[@]}"; do
	k=${kvers[i]}
	next=${kvers[i + 1]:-}
	echo "make check: kernel $k"
	"$make" --no-print-directory KVER="$k" module sparse || exit 1
	if [[ $i -eq 0 ]]; then
		"$make" --no-print-directory KVER="$k" kunit || exit 1
	else
		kunit_done "$k" || exit 1
	fi
	[[ -z $next ]] || kunit_bg "$next"
	# The VM benchmark at its tiny size, once: in the last kernel's boot.
	bench=
	[[ -n $next ]] || bench=tiny
	SLEEPPROXY_SYSTEM_BENCH=$bench "$make" --no-print-directory KVER="$k" vmtest || exit 1
done
echo "make check: all tests passed on ${kvers[*]}"
