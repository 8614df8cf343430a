# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Shared by the system tests in network namespaces (tests/netns.sh,
# tests/ipv6.sh): source it, do not run it.  The script sets first
#   repo SPCTL KO PKT       the checkout, the tool, the module, pkt.py
#   gw cl hs                the gateway, client and host namespaces
#   netns_extra             more namespaces to delete at exit (optional)
#   BR CL H1 BCAST          the MACs of br0, the client, host 1; broadcast
#   GW_IP CL_IP             the IPv4 addresses of br0 and the client
# and gets the reporting (ok, fail, expect_eq: the first failure prints
# the proxy's state and the captures, then exits 1), captures, spctl
# queries, and the module loaded.

tmp=$(mktemp -d /tmp/sleepproxy-netns.XXXXXX)
declare -A cap_pid=()
bg_pids=()
n=0
done_ok=

pgw() { ip netns exec $gw "$@"; }
pcl() { ip netns exec $cl "$@"; }
phs() { ip netns exec $hs "$@"; }
sp() { ip netns exec $gw "$SPCTL" "$@"; }
pkt() { local ns=$1; shift; ip netns exec "$ns" python3 "$PKT" "$@"; }

# ---------------------------------------------------------------- reporting

diagnostics() {
	set +e
	echo "# ---- diagnostics ----"
	if [[ -e /run/netns/$gw ]]; then
		echo "# spctl show:"; sp show 2>&1 | sed 's/^/#   /'
		echo "# spctl show -j:"; sp show -j 2>&1 | sed 's/^/#   /'
		echo "# spctl stats -j:"; sp stats -j 2>&1 | sed 's/^/#   /'
		echo "# client neighbours:"; ip -n $cl neigh show 2>&1 | sed 's/^/#   /'
		echo "# gateway links:"; ip -n $gw -br link 2>&1 | sed 's/^/#   /'
		echo "# bridge fdb:"; ip netns exec $gw bridge fdb show br br0 2>&1 | sed 's/^/#   /'
	fi
	local f
	for f in "$tmp"/*.pcap; do
		[[ -e $f ]] || continue
		[[ -n ${cap_pid[$f]} ]] && cap_stop "$f" quiet
		echo "# capture $(basename "$f"):"
		tcpdump -nn -e -r "$f" 2>/dev/null | tail -n 30 | sed 's/^/#   /'
	done
	for f in "$tmp"/*.out; do
		[[ -e $f ]] || continue
		echo "# $(basename "$f"):"; tail -n 20 "$f" | sed 's/^/#   /'
	done
	echo "# kernel log (tail):"; dmesg 2>/dev/null | tail -n 30 | sed 's/^/#   /'
}

# With SP_TIMES set (tests/system.sh), each check's time since the one
# before it goes there, in milliseconds, for the slowest to be shown.
sp_last=${EPOCHREALTIME/[.,]/}
ok() {
	local now

	n=$((n + 1))
	echo "ok $n - $*"
	if [[ -n ${SP_TIMES:-} ]]; then
		now=${EPOCHREALTIME/[.,]/}
		printf '%d %s: %s\n' $(((now - sp_last) / 1000)) "$n" "$*" >>"$SP_TIMES"
		sp_last=$now
	fi
}

fail() {
	trap - ERR
	# In a command substitution: let the caller see the failure.
	if (( BASH_SUBSHELL > 0 )); then
		echo "$*" >&2
		exit 1
	fi
	echo "not ok $((n + 1)) - $*"
	diagnostics
	echo "$n passed, 1 failed"
	exit 1
}

# Fail with the line and the command when something unexpected fails.
trap 'fail "unexpected failure at line $LINENO: $BASH_COMMAND"' ERR

# expect_eq DESCRIPTION GOT WANT
expect_eq() {
	[[ $2 == "$3" ]] || fail "$1 (got '$2', want '$3')"
	ok "$1"
}

cleanup() {
	set +e
	trap - ERR
	local p
	for p in "${cap_pid[@]}" "${bg_pids[@]}"; do
		kill "$p" 2>/dev/null
	done
	wait 2>/dev/null
	for p in $gw $cl $hs "${netns_extra[@]}"; do
		ip netns del "$p" 2>/dev/null
	done
	if [[ -n $done_ok ]]; then
		rm -rf "$tmp"
	else
		echo "# files kept in $tmp"
	fi
}
trap cleanup EXIT

# ---------------------------------------------------------------- helpers

# cap_start NS IFACE FILE: capture everything on IFACE into FILE.
cap_start() {
	local ns=$1 ifc=$2 f=$3
	rm -f "$f" "$f.log"
	# --immediate-mode: without it libpcap hands frames over a ring block
	# at a time, up to a second late, and what is still in the ring when
	# tcpdump is stopped is lost.
	ip netns exec "$ns" tcpdump -i "$ifc" -nn -U --immediate-mode -Z root \
		-w "$f" 2>"$f.log" &
	cap_pid[$f]=$!
	for _ in $(seq 100); do
		grep -q 'listening on' "$f.log" 2>/dev/null && return 0
		sleep 0.1
	done
	fail "tcpdump did not start in $ns: $(cat "$f.log")"
}

# cap_stop FILE: stop the capture and decode it into FILE.txt.
cap_stop() {
	local f=$1
	kill -INT "${cap_pid[$f]}" 2>/dev/null || true
	wait "${cap_pid[$f]}" 2>/dev/null || true
	unset "cap_pid[$f]"
	[[ $2 == quiet ]] && return 0
	python3 "$PKT" pcap "$f" >"$f.txt"
}

# cap_wait FILE LINE COUNT [SECONDS]: wait until the running capture FILE
# holds COUNT decoded lines equal to LINE (an emulated CPU can leave
# tcpdump seconds behind; what it has not read when it is stopped is lost).
cap_wait() {
	local f=$1 line=$2 want=$3 secs=${4:-5}
	local end=$(( $(date +%s) + secs ))
	while [[ $(python3 "$PKT" pcap "$f" 2>/dev/null | grep -c -F -x -- "$line") -lt $want ]]; do
		[[ $(date +%s) -lt $end ]] || return 1
		sleep 0.2
	done
}

# cap_wait_re FILE REGEX COUNT [SECONDS]: the same, for lines matching REGEX.
cap_wait_re() {
	local f=$1 re=$2 want=$3 secs=${4:-5}
	local end=$(( $(date +%s) + secs ))
	while [[ $(python3 "$PKT" pcap "$f" 2>/dev/null | grep -c -E -- "$re") -lt $want ]]; do
		[[ $(date +%s) -lt $end ]] || return 1
		sleep 0.2
	done
}

# count_fixed LINE FILE / count_re REGEX FILE
count_fixed() { grep -c -F -x -- "$1" "$2" || true; }
count_re() { grep -c -E -- "$1" "$2" || true; }

# hostval MAC JQ: a field of one host from `spctl show -j`.
hostval() { sp show -j | jq -r --arg m "$1" ".[] | select(.mac == \$m) | $2"; }
statval() { sp stats -j | jq -r ".$1"; }
state() { hostval "$1" .state; }
state_is() { [[ $(state "$1") == "$2" ]]; }
hstat() { hostval "$1" ".stats.$2"; }

client_lladdr() {
	ip -n $cl -j neigh show "$1" dev eth0 | jq -r '.[0].lladdr // "none"'
}
client_nud() {
	ip -n $cl -j neigh show "$1" dev eth0 | jq -r '.[0].state[0] // "none"'
}

# wait_proxying MAC: a registered host is taken over once it is silent.
wait_proxying() {
	wait_until 10 state_is "$1" proxying ||
		fail "host $1 was not taken over (state $(state "$1"))"
}

# wait_taken_over MAC: the same, for a host that SYNs may wake at once.
taken_over() { local s; s=$(state "$1"); [[ $s == proxying || $s == woken ]]; }
wait_taken_over() {
	wait_until 10 taken_over "$1" ||
		fail "host $1 was not taken over (state $(state "$1"))"
}

# listening NS PORT: a TCP socket in NS listens on PORT.
listening() { [[ -n $(ip netns exec "$1" ss -Hltn "sport = :$2") ]]; }

# wait_until SECONDS CMD...: poll CMD until it succeeds.
wait_until() {
	local end=$(( $(date +%s) + $1 )); shift
	until "$@"; do
		[[ $(date +%s) -lt $end ]] || return 1
		sleep 0.2
	done
}


# wol_eth_re MAC [PASSWORD] / wol_udp_re MAC [PASSWORD]: the magic packet
# of each form that wakes MAC, with PASSWORD (de:ad:be:ef) after the MACs.
wol_len() { echo $(( 102 + (${#1} + 1) / 3 )); }
wol_pw() { [[ -z $1 ]] || echo " password=$1"; }
wol_eth_re() {
	echo "^wol-eth eth_src=$BR eth_dst=$BCAST len=$(wol_len "$2") target=$1$(wol_pw "$2")\$"
}
wol_udp_re() {
	echo "^wol-udp eth_src=$BR eth_dst=$BCAST ip_src=${GW_IP//./\\.} ip_dst=255\\.255\\.255\\.255 sport=[0-9]+ dport=9 ipsum=ok udpsum=ok ulen=$(( $(wol_len "$2") + 8 )) len=$(wol_len "$2") target=$1$(wol_pw "$2")\$"
}


# ---------------------------------------------------------------- module

[[ $(id -u) -eq 0 ]] || { echo "$(basename "$0") must run as root" >&2; exit 1; }
for tool in ip tcpdump jq python3 arping setpriv; do
	command -v $tool >/dev/null || { echo "missing $tool (tests/deps.sh)" >&2; exit 1; }
done
[[ -x $SPCTL ]] || { echo "missing $SPCTL (make)" >&2; exit 1; }

module_loaded() { [[ -d /sys/module/sleepproxy ]]; }
load_module() {
	local d
	for d in $(modinfo -F depends "$KO" 2>/dev/null | tr , ' '); do
		modprobe "$d"
	done
	insmod "$KO"
}
if ! module_loaded; then
	[[ -e $KO ]] || { echo "missing $KO (make)" >&2; exit 1; }
	load_module
	ok "insmod $(basename "$KO")"
fi
grace_ms=$(cat /sys/module/sleepproxy/parameters/awake_grace_ms 2>/dev/null || echo 2000)
# One burst of magic packets per wake, as the suites count them; wake
# rounds have their own checks (tests/replay.sh).
echo 0 >/sys/module/sleepproxy/parameters/wake_timeout_ms


# ---------------------------------------------------------------- topology

# The gateway's br0 with the client and the host on its two ports (the
# diagram at the top of tests/netns.sh).  IPv6 is off in every namespace
# before any link exists, so that the sleeping host sends nothing (no DAD,
# RS or MLD) until a test makes it.
make_topology() {
	for ns in $gw $cl $hs; do
		ip netns add $ns
		ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1
		ip -n $ns link set lo up
	done
	ip -n $gw link add br0 address $BR type bridge stp_state 0 forward_delay 0
	ip -n $gw link add vcl type veth peer name eth0 netns $cl
	ip -n $gw link add vhs type veth peer name eth0 netns $hs
	ip -n $cl link set eth0 address $CL
	ip -n $hs link set eth0 address $H1
	ip -n $gw link set vcl master br0
	ip -n $gw link set vhs master br0
	ip -n $gw addr add $GW_IP/24 dev br0
	ip -n $cl addr add $CL_IP/24 dev eth0
	for l in vcl vhs br0; do ip -n $gw link set $l up; done
	ip -n $cl link set eth0 up
	ip -n $hs link set eth0 up
	# Linux re-validates a stale neighbour after delay_first_probe_time: 1 s
	# instead of 5 keeps the unicast-probe test short.
	pcl sysctl -qw net.ipv4.neigh.eth0.delay_first_probe_time=1
	wait_until 10 pgw sh -c 'for p in vcl vhs; do
		[ "$(cat /sys/class/net/br0/brif/$p/state)" = 3 ] || exit 1; done' ||
		fail "bridge ports did not reach forwarding"
}
