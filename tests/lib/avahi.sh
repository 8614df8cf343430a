# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2154
# ($tmp and bg_pids come from tests/lib/common.sh.)
#
# A private D-Bus system bus and avahi-daemon per network namespace, for
# tests that need real mDNS (tests/spsd.sh).  Source it after
# tests/lib/common.sh.  Each daemon gets its own bus socket under $tmp and
# its own /run/avahi-daemon (a tmpfs in a mount namespace of its own), so
# that several run side by side; clients reach one through
# DBUS_SYSTEM_BUS_ADDRESS (avahi_env).

for tool in dbus-daemon avahi-daemon avahi-browse unshare; do
	command -v $tool >/dev/null || { echo "missing $tool (tests/deps.sh)" >&2; exit 1; }
done

# avahi_env NS: run the rest of the command line against NS's daemon.
avahi_env() {
	local ns=$1; shift
	DBUS_SYSTEM_BUS_ADDRESS=unix:path=$tmp/avahi-$ns/bus ip netns exec "$ns" "$@"
}

# avahi_start NS IFACE HOSTNAME: a bus and a daemon in NS, on IFACE only.
avahi_start() {
	local ns=$1 ifc=$2 name=$3 d=$tmp/avahi-$1
	mkdir -p "$d" /run/avahi-daemon
	cat >"$d/bus.conf" <<-EOF
	<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
	 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
	<busconfig>
	  <type>system</type>
	  <listen>unix:path=$d/bus</listen>
	  <auth>EXTERNAL</auth>
	  <policy context="default">
	    <allow user="*"/>
	    <allow own="*"/>
	    <allow send_destination="*"/>
	    <allow receive_sender="*"/>
	  </policy>
	</busconfig>
	EOF
	cat >"$d/avahi.conf" <<-EOF
	[server]
	host-name=$name
	use-ipv4=yes
	use-ipv6=yes
	allow-interfaces=$ifc
	enable-dbus=yes
	ratelimit-interval-usec=0
	[wide-area]
	enable-wide-area=no
	[publish]
	publish-hinfo=no
	publish-workstation=no
	EOF
	ip netns exec "$ns" dbus-daemon --config-file="$d/bus.conf" --nofork \
		--nopidfile >"$d/bus.out" 2>&1 &
	bg_pids+=( "$!" )
	wait_until 10 test -S "$d/bus" || fail "dbus-daemon did not start in $ns: $(cat "$d/bus.out")"
	ip netns exec "$ns" unshare -m sh -c "mount -t tmpfs tmpfs /run/avahi-daemon &&
		DBUS_SYSTEM_BUS_ADDRESS=unix:path=$d/bus exec avahi-daemon \
		-f $d/avahi.conf --no-chroot --no-drop-root --no-rlimits" \
		>"$tmp/avahi-$ns.out" 2>&1 &
	bg_pids+=( "$!" )
	wait_until 20 grep -q 'Server startup complete' "$tmp/avahi-$ns.out" ||
		fail "avahi-daemon did not start in $ns"
}

# browse NS TYPE: the resolved instances of TYPE NS sees now, one
# avahi-browse -p -k line each ("=;iface;proto;name;type;domain;host;addr;port;txt").
browse() {
	avahi_env "$1" timeout 15 avahi-browse -p -r -t -k "$2" 2>/dev/null | grep '^=' || true
}
