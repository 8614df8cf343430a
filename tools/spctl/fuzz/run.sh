#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run a libFuzzer harness for a bounded time: spctl's command line
# parsers, or spsd's update parser (tools/spsd/Makefile).
#
#   fuzz/run.sh FUZZER [SECONDS [CORPUS [DICT]]]
#
# Starts from the seed corpus CORPUS (default: fuzz/corpus/ next to this
# script) with the dictionary DICT (default: fuzz/args.dict there; "" for
# none) and a fixed seed.  Whatever libFuzzer writes (new inputs,
# crash reproducers) goes to a temporary directory, never into the
# checkout.  Prints the number of runs and the rate.  On a crash (a
# sanitizer report, a leak, a rule of the harness broken, a hang) it
# fails, shows the report and keeps the reproducer, printing its path and
# the command that replays it.

set -euo pipefail

fuzzer=$(realpath "$1")
secs=${2:-20}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
seeds=$(realpath "${3:-$here/corpus}")
dict=${4-$here/args.dict}
dict_opt=()
[[ -n $dict ]] && dict_opt=("-dict=$(realpath "$dict")")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/spctl-fuzz.XXXXXX")
mkdir "$tmp/corpus" "$tmp/crash"

rc=0
# In $tmp, so that nothing libFuzzer writes can land in the checkout.  The
# first corpus directory receives the new inputs, the second is only read.
(cd "$tmp" && "$fuzzer" -seed=1 -max_total_time="$secs" -max_len="${FUZZ_MAX_LEN:-512}" \
	-timeout=10 -print_final_stats=1 "${dict_opt[@]}" \
	-artifact_prefix="$tmp/crash/" "$tmp/corpus" "$seeds") \
	>"$tmp/log" 2>&1 || rc=$?

final_stat() {
	sed -n "s/^stat::$1: *//p" "$tmp/log"
}

crash=$(find "$tmp/crash" -type f | head -n 1)
if [[ $rc -ne 0 || -n $crash ]]; then
	# The report, without libFuzzer's progress lines.
	grep -vE '^#[0-9]+[[:space:]]+(NEW|REDUCE|pulse|RELOAD)' "$tmp/log" |
		tail -n 80 >&2
	echo "fuzz: FAILED (exit status $rc)" >&2
	if [[ -n $crash ]]; then
		echo "fuzz: reproducer: $crash" >&2
		echo "fuzz: replay it: $fuzzer $crash" >&2
	fi
	echo "fuzz: whole log: $tmp/log" >&2
	exit 1
fi

echo "fuzz: OK: $(final_stat number_of_executed_units) runs in ${secs}s" \
	"($(final_stat average_exec_per_sec)/s), $(final_stat new_units_added) new" \
	"inputs, no crash"
rm -rf "$tmp"
