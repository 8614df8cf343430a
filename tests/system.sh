#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every system test in network namespaces, one after the other, so that a
# single VM boot serves them all (`make vmtest`: tests/vm/run.sh
# tests/system.sh).  Each loads the module if it is not loaded and
# unloads it at the end.  Fails if any of them fails; runs them all.
# With SLEEPPROXY_SYSTEM_BENCH=tiny (make check sets it for one kernel),
# the VM benchmark runs last at its tiny size, so that its code cannot rot;
# its figures mean nothing at that size and under slub_debug.

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
failed=()
times=$(mktemp)
trap 'rm -f "$times"' EXIT
suites=( netns.sh ipv6.sh lifecycle.sh stats.sh routed.sh replay.sh spsd.sh config.sh )
[[ -z ${SLEEPPROXY_SYSTEM_BENCH:-} ]] || suites+=( ../bench/vm.sh )
for t in "${suites[@]}"; do
	echo "# ==== $t"
	start=$SECONDS
	: >"$times"
	args=()
	[[ $t != */vm.sh ]] || args=( "$SLEEPPROXY_SYSTEM_BENCH" )
	if SP_TIMES=$times "$here/$t" "${args[@]}"; then
		echo "# ==== $t passed in $((SECONDS - start)) s"
	else
		echo "# ==== $t FAILED after $((SECONDS - start)) s"
		failed+=( "$t" )
	fi
	# Where the time went: the five slowest checks (ms since the one before).
	sort -rn "$times" | head -n 5 | sed 's/^/#   slowest: /'
	# A suite that failed may have left the module loaded.
	[[ -d /sys/module/sleepproxy ]] && rmmod sleepproxy 2>/dev/null
done
if [[ ${#failed[@]} -ne 0 ]]; then
	echo "system tests failed: ${failed[*]}"
	exit 1
fi
echo "system tests: all passed"
