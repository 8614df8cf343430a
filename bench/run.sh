#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: what the module costs and what it is worth, as ratios
# measured side by side in one run (absolute times on a shared or emulated
# machine are noise; ratios are not).
#
#   bench/run.sh [kunit|vm]...      (default: both)
#
#   kunit  the ingress hook's cost per frame (tests/kunit/bench_test.c) in
#          a User-Mode Linux kernel without sanitizers, next to an empty
#          hook in the same loop: native speed
#   vm     throughput, ARP/ND answer rate, wake latency, control plane and
#          SYN replay (bench/vm.sh) in a QEMU guest, next to the kernel's
#          own paths and a userspace responder
#
# Prints one markdown table per part and writes them to
# $SLEEPPROXY_CACHE/bench/results.md.  Fails only when something breaks,
# never because a goal is not met.  BENCH_SIZE=tiny runs everything on a
# tiny size (what `make check` does so that none of it can rot).

set -eu
set -o pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
repo=$(cd "$here/.." && pwd -P)
cache=${SLEEPPROXY_CACHE:-${HOME:-/root}/.cache/sleepproxy}
out=$cache/bench
size=${BENCH_SIZE:-full}
mkdir -p "$out"

parts=("$@")
[[ ${#parts[@]} -ne 0 ]] || parts=(kunit vm)

results=$out/results.md
{
	echo "Run: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores," \
		"$(awk '/MemTotal/ { printf "%d GiB", $2 / 1048576 + 0.5 }' /proc/meminfo)," \
		"$(. /etc/os-release && echo "$PRETTY_NAME"), size $size"
	echo
} >"$results"

# ------------------------------------------------------------------ kunit

# One table from the "sleepproxy-bench:" lines of the kernel logs.
kunit_table() { awk -f "$here/kunit-table.awk" "$1"; }

run_kunit() {
	local series build log boots b

	# A build of its own per kernel series, as tests/kunit/run.sh keeps.
	series=$("$repo/scripts/kernel.sh" series "${SLEEPPROXY_KVER:-}")
	build=$cache/uml-bench-$series
	# The speed of a shared machine moves between levels for seconds at
	# a time, and a slower level only adds: each case's best of 3 boots.
	boots=3
	[[ $size == full ]] || boots=1

	echo "bench: the hook per frame (KUnit, UML without sanitizers, $boots boots)" >&2
	: >"$out/kunit.cases"
	for b in $(seq "$boots"); do
		SLEEPPROXY_KUNITCONFIG=$here/kunit.kunitconfig \
		SLEEPPROXY_KUNIT_BUILD=$build \
			"$repo/tests/kunit/run.sh" --kernel_args="sleepproxy.bench_size=$size" \
			'sleepproxy_bench' >"$out/kunit.log" 2>&1 || {
			tail -n 40 "$out/kunit.log" >&2
			echo "bench: the KUnit benchmarks failed (log: $out/kunit.log)" >&2
			return 1
		}
		log=$build/test.log
		grep -q 'sleepproxy-bench: case=' "$log" || {
			echo "bench: no results in $log" >&2
			return 1
		}
		grep 'sleepproxy-bench: case=' "$log" >>"$out/kunit.cases"
	done
	{
		echo "## The hook, per frame (ns; KUnit on UML, median of 5 rounds, best of $boots boots)"
		echo
		echo "| frames | hosts | hook | empty hook | above | goal | |"
		echo "| --- | ---: | ---: | ---: | ---: | --- | --- |"
		kunit_table "$out/kunit.cases"
		echo
	} | tee -a "$results"
}

# ------------------------------------------------------------------ vm

# BENCH|section|metric|value|unit|baseline|baseline value|ratio|goal|met
vm_table() {
	awk -F'|' '
	$1 == "BENCH" {
		printf "| %s | %s | %s %s | %s | %s %s | %s | %s | %s |\n",
			$2, $3, $4, $5, $6, $7, $5, $8, $9, $10
	}' "$1"
}

run_vm() {
	local ko=${SLEEPPROXY_KO:-$repo/kernel/sleepproxy.ko}
	local spctl=${SLEEPPROXY_SPCTL:-$repo/tools/spctl/spctl}

	[[ -e $ko && -x $spctl ]] || {
		echo "bench: build first (make): $ko, $spctl" >&2
		return 1
	}
	echo "bench: throughput, answer rate, wake latency, control plane (VM)" >&2
	# The C tools (spbench, responder); slub_debug would tax every
	# allocation, the kernel's own paths as much as the module's.
	make -s -C "$here"
	SLEEPPROXY_KO=$ko SLEEPPROXY_SPCTL=$spctl SLEEPPROXY_VM_SLUB_DEBUG=off SLEEPPROXY_VM_PIN=1 \
		"$repo/tests/vm/run.sh" "$here/vm.sh" "$size" >"$out/vm.log" 2>&1 || {
		tail -n 40 "$out/vm.log" >&2
		echo "bench: the VM benchmarks failed (log: $out/vm.log)" >&2
		return 1
	}
	# Without it the figures move by 2x (bench/vm.sh, "CPUs").
	if (( $(nproc) > 1 )) &&
	   ! grep -q "guest's CPU 0 runs on host CPU 0" "$out/vm.log"; then
		echo "bench: the guest's CPU 0 was not pinned (log: $out/vm.log)" >&2
		return 1
	fi
	{
		echo "## In a VM, side by side (medians of alternating rounds)"
		echo
		echo "| section | metric | sleepproxy | against | its value | ratio | goal | |"
		echo "| --- | --- | ---: | --- | ---: | ---: | --- | --- |"
		vm_table "$out/vm.log"
		echo
	} | tee -a "$results"
}

rc=0
for p in "${parts[@]}"; do
	case $p in
	kunit) run_kunit || rc=1 ;;
	vm) run_vm || rc=1 ;;
	*) echo "usage: $0 [kunit|vm]..." >&2; exit 2 ;;
	esac
done
echo "bench: results in $results" >&2
exit $rc
