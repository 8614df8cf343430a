#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/systemd/spsd.service: what "make install" makes of it, and what
# systemd-analyze verify says of it when it runs here.
#
#   tests/systemd.sh [STAGING_DIR]    (a "make install DESTDIR=" tree)

set -u

root=$(realpath "${1:?usage: $0 DESTDIR}")
unit=$root/usr/lib/systemd/system/spsd.service
failed=0

fail() { echo "FAIL: $*" >&2; failed=$((failed + 1)); }

[[ -f $unit ]] || { echo "FAIL: no $unit" >&2; exit 1; }
grep -q '@SBINDIR@' "$unit" && fail "@SBINDIR@ left in the unit"
grep -qx 'ExecStart=/usr/sbin/spsd' "$unit" || fail "ExecStart is not /usr/sbin/spsd"
grep -qx 'ExecStartPre=/usr/sbin/spsd -t' "$unit" || fail "no configuration check"
grep -q '^After=avahi-daemon.service' "$unit" || fail "not ordered after avahi-daemon"
[[ -x $root/usr/sbin/spsd ]] || fail "spsd not installed"
[[ -f $root/etc/sleepproxy/spsd.conf ]] || fail "no spsd.conf installed"
[[ -f $root/usr/share/man/man8/spsd.8 ]] || fail "no spsd.8 installed"

# The example configuration is one spsd takes as it is.
"$root/usr/sbin/spsd" -c "$root/etc/sleepproxy/spsd.conf" -t >/dev/null ||
	fail "spsd -t rejects the installed spsd.conf"

printf '[Service]\nType=oneshot\nExecStart=/bin/true\n' >"$root/probe.service"
if ! command -v systemd-analyze >/dev/null; then
	echo "systemd.sh: no systemd-analyze: only the checks of this script"
elif ! out=$(systemd-analyze verify --man=no "$root/probe.service" 2>&1) ||
     [[ -n $out ]]; then
	echo "systemd.sh: systemd-analyze verify does not work here: only the checks of this script"
else
	# The staged binary in place of the installed one; units it needs but
	# this machine lacks are not the unit's fault.
	sed "s|/usr/sbin/spsd|$root/usr/sbin/spsd|" "$unit" >"$root/spsd.service"
	out=$(systemd-analyze verify --man=no "$root/spsd.service" 2>&1 |
	      grep -v -E 'avahi-daemon.service|sleepproxy.service|network-online' ||
	      true)
	[[ -z $out ]] || fail "systemd-analyze verify spsd.service: $out"
fi
rm -f "$root/probe.service" "$root/spsd.service"

[[ $failed -eq 0 ]] && echo "systemd: spsd.service OK"
[[ $failed -eq 0 ]]
