#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Observability: the per-interface counters in /sys/class/net/IF/sleepproxy/
# and `spctl stats dev IF`, which must move by exactly what scripted traffic
# causes, agree with each other and with `spctl stats -o prometheus` (read
# by Python's prometheus_client parser); the directory comes with the first
# host and goes with the last one, with the interface, and when the
# interface leaves the namespace; the "removed, interface" event; an open
# counter file across rmmod.  Same topology as tests/netns.sh.
#
# Run as root where kernel/sleepproxy.ko can be loaded (`make vmtest`).

set -e
set -E

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
repo=$(cd "$here/.." && pwd -P)
SPCTL=${SLEEPPROXY_SPCTL:-$repo/tools/spctl/spctl}
KO=${SLEEPPROXY_KO:-$repo/kernel/sleepproxy.ko}
PKT="$repo/tests/lib/pkt.py"

gw=gws$$ cl=cls$$ hs=hss$$
BR=52:54:00:00:00:01
CL=52:54:00:00:00:02
H1=52:54:00:aa:bb:cc
H2=52:54:00:aa:bb:dd
H3=52:54:00:aa:bb:ee
GW_IP=192.168.1.1 CL_IP=192.168.1.2 H1_IP=192.168.1.4 H2_IP=192.168.1.5
GW6=2001:db8:1::1 CL6=2001:db8:1::2 H1_6=2001:db8:1::4

# shellcheck source=tests/lib/common.sh
. "$repo/tests/lib/common.sh"

params=/sys/module/sleepproxy/parameters
dir=/sys/class/net/br0/sleepproxy
# Debian's interpreter: it has python3-prometheus-client.
py=/usr/bin/python3

# snap NAME: the interface's counters three ways, as JSON files NAME.sysfs,
# NAME.stats (spctl stats dev br0 -j) and NAME.prom (the interface's
# samples of spctl stats -o prometheus, parsed).
snap() {
	pgw sh -c "cd $dir && grep -H . *" |
		$py -c 'import json, sys
print(json.dumps({k: int(v) for k, v in (l.strip().split(":", 1) for l in sys.stdin)}))' \
		>"$tmp/$1.sysfs"
	sp stats dev br0 -j >"$tmp/$1.stats"
	sp stats -o prometheus >"$tmp/$1.prom.txt"
	$py - "$tmp/$1.prom.txt" >"$tmp/$1.prom" <<'EOF'
import json, sys
from prometheus_client.parser import text_string_to_metric_families
out = {}
for fam in text_string_to_metric_families(open(sys.argv[1]).read()):
    for s in fam.samples:
        if s.labels == {"interface": "br0"}:
            out[s.name.removeprefix("sleepproxy_").removesuffix("_total")] = int(s.value)
print(json.dumps(out))
EOF
}

# delta BEFORE AFTER SOURCE: "name=+n" for every counter of SOURCE that
# moved, rx_frames left out (the gateway's own IPv6 chatter moves it).
delta() {
	$py - "$tmp/$1.$3" "$tmp/$2.$3" <<'EOF'
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
print(" ".join("%s=%+d" % (k, b[k] - a.get(k, 0)) for k in sorted(b)
               if isinstance(b[k], int) and k not in ("rx_frames", "ifindex")
               and b[k] != a.get(k, 0)))
EOF
}

make_topology
pgw sysctl -qw net.ipv6.conf.br0.accept_dad=0 net.ipv6.conf.br0.disable_ipv6=0
pcl sysctl -qw net.ipv6.conf.eth0.accept_dad=0 net.ipv6.conf.eth0.disable_ipv6=0
ip -n $gw addr add $GW6/64 dev br0 nodad
ip -n $cl addr add $CL6/64 dev eth0 nodad
echo 2000 >$params/awake_grace_ms
echo 0 >$params/max_replies_per_sec
ok "topology"

# ---------------------------------------------------------------- a. the directory's life

expect_eq "no sleepproxy directory before the first host" \
	"$(pgw sh -c "test -e $dir && echo yes || echo no")" no
rc=0
sp stats dev br0 >/dev/null 2>"$tmp/err" || rc=$?
expect_eq "stats dev br0 without hosts: exit 1, the kernel's reason" \
	"$rc,$(cat "$tmp/err")" "1,Error: no host is registered on that interface"

# Neither taken over before the files are read, however slow the machine:
# a longer grace for these two (it applies from the next registration).
echo 6000 >$params/awake_grace_ms
sp add-host dev br0 mac $H1 ip $H1_IP ip $H1_6 tcp 22
sp add-host dev br0 mac $H2 ip $H2_IP
echo 2000 >$params/awake_grace_ms
expect_eq "the directory comes with the first host: hosts, hosts_proxying" \
	"$(pgw cat $dir/hosts $dir/hosts_proxying | xargs)" "2 0"
expect_eq "...and holds one value per file, every counter at 0" \
	"$(pgw sh -c "cd $dir && grep -L -x '[0-9]*' *; grep -v -x 0 * | grep -v -E '^(hosts|rx_frames|hosts_proxying|garp_sent|na_unsolicited):'; true" | xargs)" ""
files=$(pgw ls $dir | xargs)
for f in hosts hosts_proxying arp_requests arp_replies ns_requests na_replies \
	syn_wake wakes magic_sent wakes_suppressed awake drop_malformed \
	drop_fragment drop_srcroute drop_sleeping tx_errors; do
	[[ " $files " == *" $f "* ]] || fail "no $dir/$f (have: $files)"
done
ok "the files include hosts, arp_replies, wakes, magic_sent, drop_malformed and the rest"
wait_taken_over $H1
wait_taken_over $H2
expect_eq "hosts_proxying once the proxy has taken over" \
	"$(pgw cat $dir/hosts_proxying)" 2

# ---------------------------------------------------------------- b. exact counts

snap before
# Three ARP requests and two Neighbor Solicitations for the host...
for _ in 1 2 3; do pkt $cl arp eth0 --spa $CL_IP --tpa $H1_IP --wait 0 >/dev/null; done
pkt $cl ns eth0 --target $H1_6 --variant normal --variant normal --wait 0.5 >/dev/null
# ...five packets it would not have answered: a fragment, a source route,
# a bad TCP checksum, a SYN-ACK, a bad IP checksum; a SYN to a port it did
# not register; then the SYN that wakes it.
pkt $cl syn eth0 --eth-dst $BR --src $CL_IP --dst $H1_IP --dport 22 \
	--variant frag-mf --variant lsrr --variant bad-tcpsum --variant synack \
	--variant bad-ipsum
pkt $cl syn eth0 --eth-dst $BR --src $CL_IP --dst $H1_IP --dport 80
pkt $cl syn eth0 --eth-dst $BR --src $CL_IP --dst $H1_IP --dport 22
wait_until 5 state_is $H1 woken || fail "the SYN did not wake the host"
snap after
want="arp_replies=+3 arp_requests=+3 drop_fragment=+1 drop_ipv4_malformed=+1 drop_malformed=+2 drop_sleeping=+6 drop_srcroute=+1 drop_tcp_malformed=+1 magic_sent=+6 na_replies=+2 ns_requests=+2 syn_held=+1 syn_other=+1 syn_wake=+1 wakes=+1"
expect_eq "sysfs: each counter moved by exactly what the traffic caused" \
	"$(delta before after sysfs)" "$want"
# spctl names the drops of a sleeping host's traffic "dropped" and keeps
# the sums (drop_malformed, drop_fragment, drop_srcroute) to sysfs.
expect_eq "spctl stats dev br0 -j: the same" \
	"$(delta before after stats)" \
	"arp_replies=+3 arp_requests=+3 drop_ipv4_fragment=+1 drop_ipv4_malformed=+1 drop_ipv4_srcroute=+1 drop_tcp_malformed=+1 dropped=+6 magic_sent=+6 na_replies=+2 ns_requests=+2 syn_held=+1 syn_other=+1 syn_wake=+1 wakes=+1"
expect_eq "spctl stats -o prometheus (parsed), interface br0: the same" \
	"$(delta before after prom)" "$(delta before after stats)"
expect_eq "the namespace's counters moved with the interface's" \
	"$(sp stats -j | jq -c '[.drop_ipv4_fragment, .drop_ipv4_srcroute, .drop_tcp_malformed, .drop_ipv4_malformed, .hosts, .hosts_proxying]')" \
	"$(jq -c '[.drop_ipv4_fragment, .drop_ipv4_srcroute, .drop_tcp_malformed, .drop_ipv4_malformed, .hosts, .hosts_proxying]' "$tmp/after.stats")"
expect_eq "the host's own counters say the same" \
	"$(hostval $H1 '.stats | [.arp_requests, .ns_requests, .syn_wake, .syn_other, .dropped, .wakes, .magic_sent] | map(tostring) | join(" ")')" \
	"3 2 1 1 6 1 6"
expect_eq "the three agree on every counter they share" \
	"$(jq -c '[.hosts, .hosts_proxying, .arp_replies, .wakes, .magic_sent, .tx_errors, .dropped]' "$tmp/after.stats"),$(jq -c '[.hosts, .hosts_proxying, .arp_replies, .wakes, .magic_sent, .tx_errors, .drop_sleeping]' "$tmp/after.sysfs"),$(jq -c '[.hosts, .hosts_proxying, .arp_replies, .wakes, .magic_sent, .tx_errors, .dropped]' "$tmp/after.prom")" \
	"[2,2,3,1,6,0,6],[2,2,3,1,6,0,6],[2,2,3,1,6,0,6]"

# The host wakes up and talks: one awake transition, one fewer proxied.
ip -n $hs addr add $H1_IP/24 dev eth0
phs ping -c 1 -W 1 $GW_IP >/dev/null 2>&1 || true
wait_until 5 state_is $H1 awake || fail "the host was not seen awake"
expect_eq "awake counted once, hosts_proxying down to 1" \
	"$(pgw cat $dir/awake $dir/hosts_proxying | xargs)" "1 1"
ip -n $hs addr flush dev eth0

# Prometheus families are whole and typed; per-host samples carry both labels.
$py - "$tmp/after.prom.txt" <<'EOF' || fail "the Prometheus output does not parse as expected"
import sys
from prometheus_client.parser import text_string_to_metric_families
fams = {f.name: f for f in text_string_to_metric_families(open(sys.argv[1]).read())}
assert fams["sleepproxy_hosts"].type == "gauge"
assert fams["sleepproxy_wakes"].type == "counter"
w = {s.labels["host"]: s.value for s in fams["sleepproxy_host_wakes"].samples}
assert w == {"52:54:00:aa:bb:cc": 1, "52:54:00:aa:bb:dd": 0}, w
assert all(s.labels["interface"] == "br0" for s in fams["sleepproxy_host_wakes"].samples)
EOF
ok "Prometheus: typed families, per-host samples labelled interface and host"

# ---------------------------------------------------------------- c. going away

sp del-host dev br0 mac $H1
expect_eq "one host left: the directory stays, hosts 1, the counts kept" \
	"$(pgw cat $dir/hosts $dir/wakes | xargs)" "1 1"
sp del-host dev br0 mac $H2
expect_eq "the directory goes with the last host" \
	"$(pgw sh -c "test -e $dir && echo yes || echo no")" no
rc=0
sp stats dev br0 >/dev/null 2>&1 || rc=$?
expect_eq "...and so do the interface's counters (stats dev br0: exit 1)" "$rc" 1
expect_eq "the namespace's counters stay" \
	"$(sp stats -j | jq -c '[.hosts, .drop_ipv4_fragment]')" "[0,1]"

# An interface that goes away takes its hosts, its directory and says so.
ip -n $gw link add dum0 address 52:54:00:00:00:10 type dummy
ip -n $gw link set dum0 up
ip -n $gw addr add 10.9.0.1/24 dev dum0
sp add-host dev dum0 mac $H3 ip 10.9.0.4
expect_eq "a host on dum0: its directory" "$(pgw cat /sys/class/net/dum0/sleepproxy/hosts)" 1
ip netns exec $gw "$SPCTL" monitor -j >"$tmp/monitor.out" 2>&1 &
mon=$!
bg_pids+=( "$mon" )
sleep 0.5
ip -n $gw link del dum0
wait_until 5 grep -q removed "$tmp/monitor.out" || true
kill "$mon" 2>/dev/null || true
expect_eq "interface deleted: event removed (interface), the host gone" \
	"$(jq -r 'select(.event == "removed") | [.mac, .removed] | join(" ")' "$tmp/monitor.out"),$(sp show -j | jq length)" \
	"$H3 interface,0"

# An interface that moves to another namespace: the same, and nothing of
# the proxy follows it there.
ip -n $gw link add dum1 type dummy
ip -n $gw link set dum1 up
ip -n $gw addr add 10.9.1.1/24 dev dum1
sp add-host dev dum1 mac $H3 ip 10.9.1.4
ip -n $gw link set dum1 netns $cl
expect_eq "interface moved away: host gone, no directory on either side" \
	"$(sp show -j | jq length),$(pcl sh -c 'test -e /sys/class/net/dum1/sleepproxy && echo yes || echo no')" \
	"0,no"

# ---------------------------------------------------------------- d. rmmod with a file open

sp add-host dev br0 mac $H2 ip $H2_IP
pgw sh -c "exec 9<$dir/hosts; sleep 3; cat <&9 >/dev/null 2>&1; echo closed" \
	>"$tmp/open.out" 2>&1 &
reader=$!
sleep 0.5
rmmod sleepproxy || fail "rmmod with a counter file open"
wait $reader || true
expect_eq "rmmod with a counter file open: it goes, the reader gets an error, not a crash" \
	"$(cat "$tmp/open.out"),$(test -e /sys/module/sleepproxy && echo loaded || echo gone)" \
	"closed,gone"
load_module
rmmod sleepproxy
ok "insmod again, and the final rmmod"

done_ok=1
echo "$n passed, 0 failed"
