#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The manual page must format without a single warning.
#
#   tests/manpage.sh [PAGE]

set -u

page=${1:-spctl.8}
status=0

check() {
	local what=$1 out
	shift
	out=$("$@" 2>&1 >/dev/null)
	if [[ $? -ne 0 || -n $out ]]; then
		echo "FAIL: $what $page" >&2
		printf '%s\n' "$out" >&2
		status=1
	fi
}

check groff groff -man -ww -z -t "$page"
if command -v man >/dev/null; then
	check man env MANWIDTH=80 man -l --warnings -E UTF-8 "$page"
fi
[[ $status -eq 0 ]] && echo "manpage.sh: $page formats cleanly"
exit $status
