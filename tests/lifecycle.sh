#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The life of a registration: leases and the wake before they end,
# addresses claimed by other machines, honest awake detection (NIC
# offload answers are not the host), the takeover only once the host is
# silent, denial-of-sleep limits, the admin's ARP rules, refused
# addresses, save and restore across a module reload, -batch, and a
# bounded stress run.  Same topology as tests/netns.sh (see the diagram
# there), IPv6 on br0 and on the client as in tests/ipv6.sh.
#
# Run as root where kernel/sleepproxy.ko can be loaded (`make vmtest`).
# One "ok N - ..." line per check; the first failure prints "not ok N -
# ...", the proxy's state and the captures, and exits 1.

set -e
set -E

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
repo=$(cd "$here/.." && pwd -P)
SPCTL=${SLEEPPROXY_SPCTL:-$repo/tools/spctl/spctl}
KO=${SLEEPPROXY_KO:-$repo/kernel/sleepproxy.ko}
PKT="$repo/tests/lib/pkt.py"

gw=gwl$$ cl=cll$$ hs=hsl$$
BR=52:54:00:00:00:01
CL=52:54:00:00:00:02
H1=52:54:00:aa:bb:cc
H2=52:54:00:aa:bb:dd
OTHER=52:54:00:77:77:77
BCAST=ff:ff:ff:ff:ff:ff
GW_IP=192.168.1.1 CL_IP=192.168.1.2 H1_IP=192.168.1.4 H2_IP=192.168.1.5
GW6=2001:db8:1::1 CL6=2001:db8:1::2 H1_6=2001:db8:1::4

# shellcheck source=tests/lib/common.sh
. "$repo/tests/lib/common.sh"

params=/sys/module/sleepproxy/parameters
add_host1() { sp add-host dev br0 mac $H1 ip $H1_IP ip $H1_6 tcp 22 "$@"; }
gone() { [[ -z $(hostval "$1" .mac) ]]; }
arp_answered() { # IP: does br0 answer the client's ARP request for IP?
	pkt $cl arp eth0 --spa $CL_IP --tpa "$1" | grep -c "sha=$BR" || true
}

make_topology
pgw sysctl -qw net.ipv6.conf.br0.accept_dad=0 net.ipv6.conf.br0.disable_ipv6=0
pcl sysctl -qw net.ipv6.conf.eth0.accept_dad=0 net.ipv6.conf.eth0.disable_ipv6=0
ip -n $gw addr add $GW6/64 dev br0 nodad
ip -n $cl addr add $CL6/64 dev eth0 nodad
echo 300 >$params/awake_grace_ms
wait_until 10 sh -c "ip -n $cl -6 addr show dev eth0 scope link | grep -q fe80" ||
	fail "the client has no link-local address"
ok "topology"

# ---------------------------------------------------------------- a. refused addresses

for a in $GW_IP 192.168.1.255 $GW6; do
	rc=0
	sp add-host dev br0 mac $H2 ip $a >/dev/null 2>"$tmp/refused.out" || rc=$?
	expect_eq "add-host ip $a (the gateway's own, or broadcast): refused with a reason" \
		"$rc,$(grep -c -E "^Error: .*(gateway's own|broadcast)" "$tmp/refused.out")" 1,1
done

# ---------------------------------------------------------------- b. takeover once silent

echo 1500 >$params/awake_grace_ms
cap_start $cl eth0 "$tmp/talk.pcap"
# The host still talks (pings the gateway) when it registers, and for a
# while after.
ip -n $hs addr add $H1_IP/24 dev eth0
phs ping -c 20 -i 0.3 -W 1 $GW_IP >/dev/null 2>&1 &
talk=$!
bg_pids+=( "$talk" )
sleep 0.5
add_host1
sleep 1.5
st=$(state $H1)
wait $talk || true
ip -n $hs addr flush dev eth0
expect_eq "while the host talks it stays registered" "$st" registered
wait_until 10 state_is $H1 proxying || fail "host 1 was not taken over once silent"
sleep 0.2
cap_stop "$tmp/talk.pcap"
expect_eq "the takeover announcement came only after it fell silent: once, with br0's MAC" \
	"$(count_re "^arp op=1 eth_src=$BR eth_dst=$BCAST sha=$BR spa=$H1_IP tha=[0-9a-f:]+ tpa=$H1_IP\$" "$tmp/talk.pcap.txt")" 1
echo 300 >$params/awake_grace_ms

# ---------------------------------------------------------------- c. offload answers

# A sleeping NIC with ARP/NS offload answers for its host from the host's
# MAC (here, the gateway's own questions): that is not the host awake.
offload=$(hstat $H1 offload_frames)
conflicts=$(hstat $H1 conflicts)
pkt $hs arp eth0 --op reply --eth-dst $BR --spa $H1_IP --tha $BR --tpa $GW_IP --wait 0.2 >/dev/null
pkt $hs na eth0 --target $H1_6 --dst $GW6 --eth-dst $BR --flags SO
sleep 0.3
expect_eq "an ARP reply and a solicited NA from the host's MAC leave it proxied" \
	"$(state $H1),$(( $(hstat $H1 offload_frames) - offload ))" proxying,2
# A NIC may send its solicited answer to all nodes, with Override: that
# is the host's own MAC, and claims nothing either.
pkt $hs na eth0 --target $H1_6 --dst ff02::1 --flags SO
sleep 0.3
expect_eq "...and claim none of its addresses, even with an Override NA to all nodes" \
	"$(state $H1),$(hstat $H1 conflicts)" "proxying,$conflicts"
# ...while an announcement from it is the host itself.
pkt $hs arp eth0 --spa $H1_IP --tpa $H1_IP --wait 0.2 >/dev/null
wait_until 5 state_is $H1 awake || fail "a gratuitous ARP from the host's MAC did not show it awake"
ok "a gratuitous ARP from the host's own MAC: awake"

# ---------------------------------------------------------------- d. conflicts

sp del-host dev br0 mac $H1
add_host1
wait_proxying $H1
expect_eq "ARP for $H1_IP is answered" "$(arp_answered $H1_IP)" 1
# A probe from another MAC only asks: defended.
expect_eq "an ARP probe from another MAC is defended" \
	"$(pkt $cl arp eth0 --spa 0.0.0.0 --tpa $H1_IP | grep -c "sha=$BR")" 1
# A reply from another MAC claims the address.
pkt $cl arp eth0 --op reply --eth-src $OTHER --sha $OTHER --spa $H1_IP \
	--eth-dst $BR --tha $BR --tpa $GW_IP --wait 0.2 >/dev/null
expect_eq "an ARP reply from another MAC for $H1_IP ends proxying of it" \
	"$(arp_answered $H1_IP),$(hstat $H1 conflicts),$(hostval $H1 '.conflicts|join(",")')" "0,1,$H1_IP"
expect_eq "...the host's other address is still proxied (NS answered)" \
	"$(pkt $cl ns eth0 --target $H1_6 | grep -c "tlla=$BR")" 1
expect_eq "...the kernel log says so once" \
	"$(dmesg | grep -c "$H1_IP is claimed by $OTHER")" 1
# An unsolicited NA with Override from another MAC claims an IPv6 address.
pkt $cl na eth0 --target $H1_6 --eth-src $OTHER --flags O
sleep 0.3
expect_eq "an unsolicited NA with Override from another MAC for $H1_6 ends proxying of it" \
	"$(pkt $cl ns eth0 --target $H1_6 | grep -c "tlla=$BR"),$(hstat $H1 conflicts)" 0,2
expect_eq "...and traffic to the claimed addresses passes: SYNs no longer wake" \
	"$(pkt $cl syn eth0 --eth-dst $BR --src $CL_IP --dst $H1_IP --dport 22; sleep 0.5; state $H1)" proxying
add_host1
expect_eq "registering again proxies both addresses again" \
	"$(arp_answered $H1_IP),$(hostval $H1 '.conflicts|length')" 1,0

# ---------------------------------------------------------------- e. leases

cap_start $hs eth0 "$tmp/lease.pcap"
sp del-host dev br0 mac $H1
ip netns exec $gw "$SPCTL" monitor >"$tmp/monitor.out" 2>&1 &
bg_pids+=( "$!" )
mon=$!
sleep 2		# joined the events group
add_host1 lease 4
wait_proxying $H1
left=$(hostval $H1 .lease_left)
[[ $left -ge 1 && $left -le 4 ]] || fail "lease_left is $left right after lease 4"
ok "show -j: lease_left $left of 4"
# The wake comes a second before the end (a tenth of the lease): watched
# in the events, as polling spctl show may miss so short a window on a
# loaded machine; that it came before the removal is checked below.
wait_until 6 grep -q "^wake br0 $H1 lease" "$tmp/monitor.out" ||
	fail "no lease wake while the host was still registered"
ok "the host is woken before its lease ends, while still registered"
wait_until 4 gone $H1 || fail "host 1 is still registered after its lease ended"
cap_stop "$tmp/lease.pcap"
ok "...and removed when it ends"
expect_eq "the lease wake sent the magic packets (3 of each form)" \
	"$(count_re "$(wol_eth_re $H1)" "$tmp/lease.pcap.txt"),$(count_re "$(wol_udp_re $H1)" "$tmp/lease.pcap.txt")" 3,3
expect_eq "leases_expired counts it" "$(statval leases_expired)" 1
kill $mon
expect_eq "spctl monitor: the lease wake, then the removal, lease its reason" \
	"$(grep -E "^(wake|removed) br0 $H1" "$tmp/monitor.out" | xargs)" \
	"wake br0 $H1 lease removed br0 $H1 lease"

# Registering again refreshes the lease without interrupting proxying.
add_host1 lease 10
wait_proxying $H1
sleep 3
add_host1 lease 10
expect_eq "a refresh keeps the host proxying" "$(state $H1)" proxying
# Past the first lease's end: the lease runs from the refresh.
sleep 6.5
expect_eq "...and the lease runs from the refresh" "$(hostval $H1 .mac)" $H1
wait_until 12 gone $H1 || fail "host 1 did not expire after its refreshed lease"
ok "...until the refreshed lease ends"

# lease-wake off: no wake before the end.
cap_start $hs eth0 "$tmp/nowake.pcap"
add_host1 lease 2 lease-wake off
wait_until 6 gone $H1 || fail "host 1 (lease 2) did not expire"
cap_stop "$tmp/nowake.pcap"
expect_eq "with lease-wake off the lease ends without a wake" \
	"$(count_re '^wol-' "$tmp/nowake.pcap.txt")" 0

# ---------------------------------------------------------------- f. denial of sleep

echo 2 >$params/max_wakes_per_sec
for i in $(seq 10 29); do
	sp add-host dev br0 mac 52:54:00:aa:00:$i ip 192.168.1.$((100 + i)) tcp any wake-count 1
done
wait_until 10 sh -c "[ \$(ip netns exec $gw $SPCTL show -j | jq '[.[] | select(.state == \"proxying\")] | length') = 20 ]" ||
	fail "the 20 hosts were not taken over"
supp=$(statval wakes_suppressed)
# One SYN to each, all at once (one process: starting 20 would take
# seconds under an emulated CPU, and refill the budget meanwhile).
ip netns exec $cl python3 - "$repo/tests/lib" $BR $CL_IP <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
import pkt
s = pkt.open_socket("eth0")
src = pkt.iface_mac("eth0")
for i in range(10, 30):
    s.send(pkt.syn_frame("normal", pkt.mac_bytes(sys.argv[2]), src,
                         pkt.ip_bytes(sys.argv[3]),
                         pkt.ip_bytes("192.168.1.%d" % (100 + i)), 40000, 80))
PY
sleep 0.5
# Each wake of these hosts (wake-count 1) sends one magic packet of each form.
magic=$(sp show -j | jq '[.[] | select(.mac | startswith("52:54:00:aa:00:")) | .stats.wakes] | add')
expect_eq "...each wake sent its two magic packets" \
	"$(sp show -j | jq '[.[] | select(.mac | startswith("52:54:00:aa:00:")) | .stats.magic_sent] | add')" $(( 2 * magic ))
suppressed=$(( $(statval wakes_suppressed) - supp ))
[[ $magic -ge 2 && $magic -lt 20 ]] || fail "a SYN to each of 20 hosts sent $magic wakes with max_wakes_per_sec=2"
ok "a SYN to each of 20 sleeping hosts: only $magic wakes went out (budget 2/s)"
expect_eq "...and the rest were counted as suppressed" "$(( magic + suppressed ))" 20
for i in $(seq 10 29); do sp del-host dev br0 mac 52:54:00:aa:00:$i; done
echo 20 >$params/max_wakes_per_sec

add_host1
wait_proxying $H1
echo 5 >$params/max_replies_per_sec
supp=$(statval replies_suppressed)
ip netns exec $cl python3 "$PKT" flood eth0 --eth-dst $BR --src $CL_IP --dst $H1_IP \
	--dport 22 --seconds 2 2>"$tmp/replyflood.out" || true
replies=$(hstat $H1 arp_replies)
suppressed=$(( $(statval replies_suppressed) - supp ))
[[ $suppressed -gt 100 ]] || fail "an ARP flood from one MAC had only $suppressed answers suppressed"
ok "an ARP flood from one source: $suppressed answers suppressed (max_replies_per_sec=5)"
expect_eq "...while another source is still answered" \
	"$(pkt $cl arp eth0 --eth-src $OTHER --sha $OTHER --spa 192.168.1.77 --tpa $H1_IP | grep -c "sha=$BR")" 1
echo 100 >$params/max_replies_per_sec

# ---------------------------------------------------------------- g. the admin's ARP rules

if command -v nft >/dev/null; then
	pgw nft add table arp sptest
	pgw nft add chain arp sptest out '{ type filter hook output priority 0 ; }'
	pgw nft add rule arp sptest out arp operation reply drop
	expect_eq "an nft arp output rule that drops replies silences the proxy's ARP replies too" \
		"$(arp_answered $H1_IP)" 0
	pgw nft delete table arp sptest
	expect_eq "...and without it they go out again" "$(arp_answered $H1_IP)" 1
	pgw nft add table ip6 sptest6
	pgw nft add chain ip6 sptest6 out '{ type filter hook output priority 0 ; }'
	pgw nft add rule ip6 sptest6 out icmpv6 type nd-neighbor-advert drop
	expect_eq "an nft ip6 output rule that drops NAs silences the proxy's NAs too" \
		"$(pkt $cl ns eth0 --target $H1_6 | grep -c "tlla=$BR")" 0
	pgw nft delete table ip6 sptest6
	expect_eq "...and without it they go out again" \
		"$(pkt $cl ns eth0 --target $H1_6 | grep -c "tlla=$BR")" 1
fi

# ---------------------------------------------------------------- h. save, reload, restore

sp add-host dev br0 mac $H2 ip $H2_IP tcp any ping on lease 600 lease-wake off
sp show -j | jq -S 'map({mac, addrs, tcp_ports, tcp_any, ping, lease_wake, wake_count})' >"$tmp/before.json"
state_file=/tmp/sleepproxy-hosts.$$
sp save "$state_file"
expect_eq "save writes one add-host line per host" "$(grep -c '^add-host ' "$state_file")" 2
rmmod sleepproxy
load_module
echo 300 >$params/awake_grace_ms
rc=0; ip netns exec $gw "$SPCTL" -batch "$state_file" || rc=$?
expect_eq "-batch restores the saved hosts after a module reload" "$rc" 0
sp show -j | jq -S 'map({mac, addrs, tcp_ports, tcp_any, ping, lease_wake, wake_count})' >"$tmp/after.json"
expect_eq "...every host back as it was registered" "$(diff "$tmp/before.json" "$tmp/after.json" && echo same)" same
left=$(hostval $H2 .lease_left)
[[ $left -gt 550 && $left -le 600 ]] || fail "host 2's lease came back with $left s left"
ok "...host 2's lease came back with the time it had left ($left s)"
rm -f "$state_file"

# -batch with a bad line in the middle: reported with its number, the rest done.
printf '%s\n' "del-host dev br0 mac $H2" "add-host dev br0 mac $H2 frobnicate 1" \
	"del-host dev br0 mac $H1" >"$tmp/batch"
rc=0
ip netns exec $gw "$SPCTL" -batch "$tmp/batch" 2>"$tmp/batch.err" || rc=$?
expect_eq "-batch with a bad line 2: exit 1, line 2 reported, lines 1 and 3 done" \
	"$rc,$(grep -c ':2:' "$tmp/batch.err"),$(sp show -j | jq length)" 1,1,0

# ---------------------------------------------------------------- i. stress

# Floods of ARP, NS and SYNs while hosts come and go, leases expire, the
# interface flaps and finally goes away, and the module is reloaded.
add_host1
ip netns exec $cl python3 "$PKT" flood eth0 --eth-dst $BR --src $CL_IP --dst $H1_IP \
	--dport 22 --seconds 120 2>"$tmp/flood4.out" &
f4=$!
ip netns exec $cl python3 "$PKT" flood eth0 --eth-dst $BR --src $CL6 --dst $H1_6 \
	--dport 22 --seconds 120 2>"$tmp/flood6.out" &
f6=$!
bg_pids+=( "$f4" "$f6" )
end=$(( $(date +%s) + 20 ))
rounds=0
while [[ $(date +%s) -lt $end ]]; do
	for i in 1 2 3 4; do
		sp add-host dev br0 mac 52:54:00:bb:00:0$i ip 192.168.1.$((150 + i)) \
			ip 2001:db8:1::$((150 + i)) tcp any lease 1 >/dev/null
	done
	add_host1 >/dev/null
	sp add-host dev br0 mac 52:54:00:bb:00:01 ip 192.168.1.160 tcp 22 >/dev/null
	sp del-host dev br0 mac 52:54:00:bb:00:02 >/dev/null 2>&1 || true	# may have expired
	if (( rounds % 5 == 4 )); then
		ip -n $gw link set br0 down
		ip -n $gw link set br0 up
	fi
	rounds=$((rounds + 1))
	sleep 0.3
done
ok "$rounds rounds of adds, replaces, deletes, expiring leases and link flaps under floods"
rx=$(statval rx_frames)
[[ $rx -gt 1000 ]] || fail "the floods did not reach the proxy (rx_frames $rx)"
ip -n $gw link del br0
expect_eq "br0 deleted under the floods: every host went with it" "$(sp show -j | jq length)" 0
rmmod sleepproxy
load_module
ok "rmmod and insmod after the stress run"
kill "$f4" "$f6" 2>/dev/null || true
wait "$f4" "$f6" 2>/dev/null || true
rmmod sleepproxy
ok "final rmmod"

done_ok=1
echo "$n passed, 0 failed"
