#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A guided tour of sleepproxy for a human: a client, a sleeping host and a
# gateway that answers for the host, wakes it when the client connects,
# and steps aside when the host is up.  Runs as root where the module can
# be loaded (`make demo` boots a VM for it).
#
# ┌──────────────────────────────────────────────────────────────────────┐
# │ $gw: the gateway, sleepproxy answers on br0 for the sleeping host    │
# │                                                                      │
# │      br0  192.168.1.1/24  52:54:00:00:00:01                          │
# │       │                                │                             │
# │      vcl                              vhs                            │
# └───────┼────────────────────────────────┼─────────────────────────────┘
#         │ veth                           │ veth
# ┌───────┼──────────────────────┐ ┌───────┼─────────────────────────────┐
# │      eth0 192.168.1.2/24     │ │      eth0 52:54:00:aa:bb:cc         │
# │ $cl: the client              │ │ $hs: the host, asleep: no address   │
# └──────────────────────────────┘ └─────────────────────────────────────┘

set -e

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
repo=$(cd "$here/.." && pwd -P)
SPCTL=${SLEEPPROXY_SPCTL:-$repo/tools/spctl/spctl}
KO=${SLEEPPROXY_KO:-$repo/kernel/sleepproxy.ko}

gw=gw$$ cl=cl$$ hs=hs$$
BR=52:54:00:00:00:01
HOST=52:54:00:aa:bb:cc
HOST_IP=192.168.1.4
tmp=$(mktemp -d /tmp/sleepproxy-demo.XXXXXX)
pids=()
loaded_here=

cleanup() {
	set +e
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	for p in $gw $cl $hs; do ip netns del $p 2>/dev/null; done
	[[ -n $loaded_here ]] && rmmod sleepproxy 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

header() { printf '\n== %s ==\n\n' "$*"; }
say() { printf '%s\n' "$*"; }
# run NS CMD...: show the command as typed in that namespace, then run it.
run() {
	local ns=$1; shift
	printf '%s# %s\n' "${ns%$$}" "$*"
	ip netns exec "$ns" "$@"
}
spctl() {
	printf 'gw# spctl %s\n' "$*"
	ip netns exec $gw "$SPCTL" "$@"
}
pause() { sleep "${DEMO_PAUSE:-0.5}"; }

# ---------------------------------------------------------------- setup
header "the network: a gateway, a client and a host that wants to sleep"
if [[ ! -d /sys/module/sleepproxy ]]; then
	insmod "$KO"
	loaded_here=1
	say "Loaded $(basename "$KO") into the kernel."
fi
for ns in $gw $cl $hs; do
	ip netns add $ns
	# No IPv6: the sleeping host must stay silent on the wire.
	ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
	ip -n $ns link set lo up
done
ip -n $gw link add br0 address $BR type bridge stp_state 0 forward_delay 0
ip -n $gw link add vcl type veth peer name eth0 netns $cl
ip -n $gw link add vhs type veth peer name eth0 netns $hs
ip -n $hs link set eth0 address $HOST
ip -n $gw link set vcl master br0
ip -n $gw link set vhs master br0
ip -n $gw addr add 192.168.1.1/24 dev br0
ip -n $cl addr add 192.168.1.2/24 dev eth0
for l in vcl vhs br0; do ip -n $gw link set $l up; done
ip -n $cl link set eth0 up
ip -n $hs link set eth0 up
sleep 1
say "Three network namespaces stand for three machines:"
say "  gw  the gateway, bridge br0 192.168.1.1 (MAC $BR)"
say "  cl  a client, 192.168.1.2"
say "  hs  a host (MAC $HOST) that serves ssh and smb on $HOST_IP"
say "The host is asleep: its link is up but it has no address and sends"
say "nothing, as a suspended machine's network card would."

# ---------------------------------------------------------------- register
header "the host goes to sleep: the gateway takes over its address"
say "Before suspending, the host (or an admin) registers it on the gateway:"
spctl add-host dev br0 mac $HOST ip $HOST_IP tcp 22,445
spctl show
say
say "The host is \"registered\": while it still talks the gateway leaves it be."
say "Once it has been silent for two seconds the gateway takes over:"
for _ in $(seq 50); do
	ip netns exec $gw "$SPCTL" show -j | grep -q '"state":"proxying"' && break
	sleep 0.2
done
spctl show
say
say "The gateway announced $HOST_IP with its own MAC (a gratuitous ARP), so"
say "the LAN now sends the host's traffic to the gateway."

# ---------------------------------------------------------------- wake
header "a client connects: the gateway answers ARP and wakes the host"
ip netns exec $hs tcpdump -i eth0 -nn -e -c 6 -l \
	'ether proto 0x0842 or (udp and dst port 9)' >"$tmp/magic.txt" 2>"$tmp/magic.err" &
pids+=( $! )
for _ in $(seq 50); do grep -q 'listening on' "$tmp/magic.err" && break; sleep 0.1; done
say "The client opens an ssh connection to $HOST_IP (3 seconds at most):"
printf 'cl# %s\n' "timeout 3 bash -c 'exec 3<>/dev/tcp/$HOST_IP/22'"
rc=0
ip netns exec $cl timeout 3 bash -c "exec 3<>/dev/tcp/$HOST_IP/22" 2>/dev/null || rc=$?
if [[ $rc -eq 124 ]]; then
	say "(no answer yet: the host is still waking up; TCP will retry)"
else
	say "(connect ended with status $rc)"
fi
say
say "The client resolved $HOST_IP to the gateway's MAC ($BR):"
run $cl ip neigh show $HOST_IP dev eth0
say
say "The gateway dropped the SYN and sent Wake-on-LAN magic packets, three"
say "as raw Ethernet frames (ethertype 0x0842) and three as UDP to port 9."
say "What the sleeping host's network card received:"
for _ in $(seq 50); do kill -0 "${pids[-1]}" 2>/dev/null || break; sleep 0.1; done
kill -INT "${pids[-1]}" 2>/dev/null || true
wait "${pids[-1]}" 2>/dev/null || true
sed 's/^/  /' "$tmp/magic.txt"
say
spctl show

# ---------------------------------------------------------------- awake
header "the host wakes up: the gateway steps aside"
say "The host resumes, configures its address and checks that nobody else"
say "uses it (an RFC 5227 probe).  The gateway never answers the host's own"
say "probe; seeing a frame from the host's MAC tells it the host is back."
run $hs ip addr add $HOST_IP/24 dev eth0
run $hs arping -D -c 1 -w 1 -I eth0 $HOST_IP || true
sleep 0.5
say
spctl show
say
say "The gateway sent a gratuitous ARP with the host's own MAC; the client's"
say "cache now points at the host itself:"
run $cl ip neigh show $HOST_IP dev eth0
say
say "From now on the host answers for itself:"
run $cl arping -c 1 -w 2 -I eth0 $HOST_IP || true

# ---------------------------------------------------------------- stats
header "the gateway's counters"
say "Per-namespace counters for the packets that belong to no host:"
spctl stats
say
say "The same as JSON, for scripts:"
spctl show -j
spctl stats -j

header "the end"
say "When the host goes back to sleep it registers again (add-host), and the"
say "gateway takes over once more."
