#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/systemd/sleepproxy.service: what "make install" makes of it, what
# systemd-analyze verify says of it (when it runs here), and what its
# commands do, run against the stand-in for the module: restore nothing on
# a first boot, save at stop, restore that at the next start, carry on past
# a line that fails.
#
#   tests/systemd.sh [UNIT] [SPCTL] [FAKE_KERNEL_SO]

set -u

unit=$(realpath "${1:-../systemd/sleepproxy.service}")
spctl=$(realpath "${2:-./spctl}")
fake=$(realpath "${3:-tests/fake-kernel.so}")
here=$(dirname "$(realpath "$0")")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

failed=0
passed=0

fail() {
	echo "FAIL: $1" >&2
	shift
	printf '  %s\n' "$@" >&2
	failed=$((failed + 1))
}

ok() {
	passed=$((passed + 1))
}

# value FILE KEY: every value of KEY= in FILE, one a line.
value() {
	sed -n "s/^$2=//p" "$1"
}

# has FILE KEY VALUE: KEY=VALUE is in FILE.
has() {
	if grep -qxF "$2=$3" "$1"; then
		ok
	else
		fail "$(basename "$1"): no $2=$3" "$(grep "^$2=" "$1")"
	fi
}

# What make install writes.
if ! ${MAKE:-make} -s -C "$here/.." install DESTDIR="$tmp/root" PREFIX=/usr \
		>"$tmp/make.log" 2>&1; then
	fail "make install" "$(cat "$tmp/make.log")"
fi
installed=$tmp/root/usr/lib/systemd/system/sleepproxy.service
if [[ ! -f $installed ]]; then
	fail "make install puts no unit in /usr/lib/systemd/system" \
		"$(cd "$tmp/root" && find . -type f)"
	installed=/dev/null
elif [[ $(stat -c %a "$installed") != 644 ]]; then
	fail "the installed unit has mode $(stat -c %a "$installed")"
fi
if grep -q '@[A-Z]*@' "$installed"; then
	fail "placeholders left in the installed unit" \
		"$(grep '@[A-Z]*@' "$installed")"
fi
has "$installed" Type oneshot
has "$installed" RemainAfterExit yes
has "$installed" StateDirectory sleepproxy
has "$installed" ExecStartPre "/sbin/modprobe sleepproxy"
has "$installed" ExecStart "-/bin/sh -c 'test ! -e /var/lib/sleepproxy/hosts || exec /usr/sbin/spctl -batch /var/lib/sleepproxy/hosts'"
has "$installed" ExecStop "/usr/sbin/spctl save /var/lib/sleepproxy/hosts"
has "$installed" WantedBy multi-user.target
[[ -x $tmp/root/usr/sbin/spctl ]] && ok ||
	fail "make install puts no spctl in /usr/sbin"

# The unit as it would be with spctl in this directory, its state in $tmp.
sed -e "s|@SBINDIR@|$(dirname "$spctl")|g" \
    -e "s|/var/lib/sleepproxy|$tmp/state|g" "$unit" >"$tmp/sleepproxy.service"

# systemd-analyze verify, if it works here at all: a unit that is fine
# must pass without a word first.
printf '[Service]\nType=oneshot\nExecStart=/bin/true\n' >"$tmp/probe.service"
if ! command -v systemd-analyze >/dev/null; then
	echo "systemd.sh: no systemd-analyze: only the checks of this script"
elif ! out=$(systemd-analyze verify --man=no "$tmp/probe.service" 2>&1) ||
     [[ -n $out ]]; then
	echo "systemd.sh: systemd-analyze verify does not work here: only the checks of this script"
else
	if out=$(systemd-analyze verify --man=no "$tmp/sleepproxy.service" 2>&1) &&
	   [[ -z $out ]]; then
		ok
	else
		fail "systemd-analyze verify sleepproxy.service" "$out"
	fi
fi

# The commands, as systemd would run them ("-": the status is ignored).
export LD_PRELOAD=$fake FAKE_SP_STATE=$tmp/module
start=$(value "$tmp/sleepproxy.service" ExecStart)
stop=$(value "$tmp/sleepproxy.service" ExecStop)
run() {
	eval "${1#-}" >"$tmp/out" 2>"$tmp/err"
}

mkdir "$tmp/state"
run "$start" && [[ ! -s $tmp/out && ! -s $tmp/err ]] && ok ||
	fail "start without saved hosts" "$(cat "$tmp/err")"
"$spctl" add-host dev lo mac 52:54:00:00:03:01 ip 192.0.2.1 lease 600 \
	lease-wake off
"$spctl" add-host dev lo mac 52:54:00:00:03:02 ip 2001:db8::2 tcp any
run "$stop" && ok || fail "stop" "$(cat "$tmp/err")"
[[ $(stat -c %a "$tmp/state/hosts" 2>/dev/null) == 600 ]] && ok ||
	fail "stop saves the hosts, mode 0600" "$(ls -l "$tmp/state")"
"$spctl" save >"$tmp/saved"

rm "$tmp/module"
run "$start" && ok || fail "start with saved hosts" "$(cat "$tmp/err")"
"$spctl" save | cmp -s - "$tmp/saved" && ok ||
	fail "start restores what stop saved"

# A line that fails is reported and skipped; the status of the whole is
# ignored by "-", which the unit must keep.
rm "$tmp/module"
printf 'add-host dev nosuchdev0 mac 52:54:00:00:03:03 ip 192.0.2.3\n' \
	>>"$tmp/state/hosts"
run "$start"
rc=$?
[[ $rc -eq 1 && $start == -* ]] && ok ||
	fail "a failing line: status $rc, ignored by ExecStart=-"
grep -qF "$tmp/state/hosts:4: Cannot find device \"nosuchdev0\"" "$tmp/err" &&
	ok || fail "a failing line is reported" "$(cat "$tmp/err")"
[[ $("$spctl" -j show | grep -o '"mac"' | wc -l) -eq 2 ]] && ok ||
	fail "the other lines are restored"

echo "systemd.sh: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
