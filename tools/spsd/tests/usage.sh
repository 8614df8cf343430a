#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What spsd does before it serves: a bad command line is exit status 2, a
# bad configuration or a missing interface or module is 1 with the reason
# on stderr, and -t prints the name it would advertise.
#
#   tests/usage.sh [SPSD]

set -u

spsd=${1:-./spsd}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
passed=0

# expect STATUS STDOUT-REGEX STDERR-REGEX ARGS...
expect() {
	local want=$1 out_re=$2 err_re=$3 rc=0
	shift 3
	"$spsd" "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	# An empty regex checks nothing (grep finds no line in an empty file).
	if [[ $rc -ne $want ]] ||
	   { [[ -n $out_re ]] && ! grep -qE -- "$out_re" "$tmp/out"; } ||
	   { [[ -n $err_re ]] && ! grep -qE -- "$err_re" "$tmp/err"; }; then
		echo "FAIL: spsd $* (status $rc, want $want)" >&2
		sed 's/^/  stdout: /' "$tmp/out" >&2
		sed 's/^/  stderr: /' "$tmp/err" >&2
		failed=$((failed + 1))
	else
		passed=$((passed + 1))
	fi
}

conf() { printf '%s\n' "$@" >"$tmp/spsd.conf"; }

expect 0 '^Usage: spsd' '' -h
expect 0 '^spsd [0-9]' '' -V
expect 2 '' 'Usage' -x
expect 2 '' 'Usage' extra-argument
expect 2 '' 'Usage' -c
expect 1 '' 'nonexistent.conf: No such file' -c "$tmp/nonexistent.conf" -t

conf "interfaces = lo" "name = Cellar Box" "intent = 20"
expect 0 '^20-40-30-65\.0 Cellar Box$' '' -c "$tmp/spsd.conf" -t
conf "interfaces = lo"
expect 0 "^30-40-30-65\\.0 $(hostname -s)\$" '' -c "$tmp/spsd.conf" -t
conf "interfaces = lo" "intent = 100"
expect 1 '' 'spsd.conf:2: intent: expected a number from 10 to 99' \
	-c "$tmp/spsd.conf" -t
conf "interfaces = lo" "max_lease = 90000"
expect 1 '' 'max_lease: expected seconds, from 1 to 86400' \
	-c "$tmp/spsd.conf" -t
conf "interfaces = lo" "colour = blue"
expect 1 '' 'spsd.conf:2: unknown key "colour"' -c "$tmp/spsd.conf" -t
conf "name = x"
expect 1 '' 'no "interfaces" given' -c "$tmp/spsd.conf" -t
conf "interfaces = sp-no-such-if0"
expect 1 '' 'interface sp-no-such-if0: No such device' -c "$tmp/spsd.conf"

echo "usage: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
