#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# End-to-end test of sleepproxy in network namespaces.  Run as root on a
# machine whose kernel can load kernel/sleepproxy.ko (tests/vm/run.sh
# boots one: `make vmtest`).  Loads the module if it is not loaded, and
# unloads it at the end: that too is a test.  SLEEPPROXY_KO and
# SLEEPPROXY_SPCTL override the module and the tool to test.
#
# ┌──────────────────────────────────────────────────────────────────────┐
# │ $gw: the gateway (sleepproxy loaded, spctl runs here)                │
# │                                                                      │
# │      br0  192.168.1.1/24  52:54:00:00:00:01  (stp off, delay 0)      │
# │       │                                │                             │
# │      vcl                              vhs                            │
# └───────┼────────────────────────────────┼─────────────────────────────┘
#         │ veth                           │ veth
# ┌───────┼──────────────────────┐ ┌───────┼─────────────────────────────┐
# │      eth0                    │ │      eth0                           │
# │ $cl: the client              │ │ $hs: the sleeping host              │
# │   192.168.1.2/24             │ │   52:54:00:aa:bb:cc                 │
# │   52:54:00:00:00:02          │ │   no IPv4 address while asleep,     │
# │                              │ │   192.168.1.4/24 once awake         │
# └──────────────────────────────┘ └─────────────────────────────────────┘
#
# Registered from $gw:
#   host 1: dev br0 mac 52:54:00:aa:bb:cc ip 192.168.1.4 tcp 22,445
#   host 2: dev br0 mac 52:54:00:aa:bb:dd ip 192.168.1.5 ip 192.168.1.6
#           tcp any wake-count 1   (nobody answers to its MAC: it sleeps on)
#   host 3 (c2. only): dev br0 mac 52:54:00:aa:bb:e3 ip 192.168.1.7 tcp 22
#           wake-count 1 wake-mac 52:54:00:aa:bb:e4 password 00:11:22:33:44:55
#   host 4 (g. only): dev br0 mac 52:54:00:aa:bb:e5 ip 192.168.1.8 tcp 22
#           wake-count 1   (reached from host 1 while host 1 is up)
# $gx is a second gateway namespace that must see none of $gw's hosts;
# $gk holds a dummy interface for raw netlink abuse (tests/lib/nlpolicy.py).
#
# IPv6 is off in every namespace before any link exists, so that the
# sleeping host sends nothing (no DAD, RS or MLD) until the test makes it.
#
# Output is one "ok N - ..." line per check; the first failure prints
# "not ok N - ...", the proxy's state, the captures, and exits 1.

set -e
set -E

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
repo=$(cd "$here/.." && pwd -P)
SPCTL=${SLEEPPROXY_SPCTL:-$repo/tools/spctl/spctl}
KO=${SLEEPPROXY_KO:-$repo/kernel/sleepproxy.ko}
PKT="$repo/tests/lib/pkt.py"

gw=gw$$ cl=cl$$ hs=hs$$ gx=gx$$ gk=gk$$
BR=52:54:00:00:00:01
CL=52:54:00:00:00:02
H1=52:54:00:aa:bb:cc
H2=52:54:00:aa:bb:dd
H3=52:54:00:aa:bb:e3 H3_WAKE=52:54:00:aa:bb:e4
PW6=00:11:22:33:44:55 PW4=de:ad:be:ef
BCAST=ff:ff:ff:ff:ff:ff
ZERO=00:00:00:00:00:00
GW_IP=192.168.1.1 CL_IP=192.168.1.2 H1_IP=192.168.1.4 H2_IP=192.168.1.5 H2_IP2=192.168.1.6
H3_IP=192.168.1.7
H4=52:54:00:aa:bb:e5 H4_IP=192.168.1.8

netns_extra=( $gx $gk )
# shellcheck source=tests/lib/common.sh
. "$repo/tests/lib/common.sh"

# ---------------------------------------------------------------- helpers

arp_reply_line() { # ETH_DST SHA-OWNER SPA THA TPA
	echo "arp op=2 eth_src=$2 eth_dst=$1 sha=$2 spa=$3 tha=$4 tpa=$5"
}
garp_line() { # SHA IP
	echo "arp op=1 eth_src=$BR eth_dst=$BCAST sha=$1 spa=$2 tha=$ZERO tpa=$2"
}
add_host1() { sp add-host dev br0 mac $H1 ip $H1_IP tcp 22,445; }
add_host2() { sp add-host dev br0 mac $H2 ip $H2_IP ip $H2_IP2 tcp any wake-count 1; }
add_host3() { sp add-host dev br0 mac $H3 ip $H3_IP tcp 22 wake-count 1 "$@"; }
# spctl as nobody, with no capabilities at all.
sp_nobody() {
	pgw setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all -- \
		"$SPCTL" "$@"
}

# ---------------------------------------------------------------- topology

make_topology
# A registered host is taken over once it has been silent this long: a
# short time keeps the tests short.
echo 300 >/sys/module/sleepproxy/parameters/awake_grace_ms
grace_ms=300
expect_eq "topology: br0 has the MAC we gave it" \
	"$(pgw cat /sys/class/net/br0/address)" $BR

# ---------------------------------------------------------------- b. register

cap_start $cl eth0 "$tmp/garp.pcap"
add_host1
add_host2
wait_proxying $H1
wait_proxying $H2
sleep 0.2
cap_stop "$tmp/garp.pcap"
ok "spctl add-host (two hosts), taken over once silent"
expect_eq "registration: one gratuitous ARP for $H1_IP (sha=spa=tpa, br0 MAC)" \
	"$(count_fixed "$(garp_line $BR $H1_IP)" "$tmp/garp.pcap.txt")" 1
expect_eq "registration: one gratuitous ARP for each of host 2's addresses" \
	"$(count_fixed "$(garp_line $BR $H2_IP)" "$tmp/garp.pcap.txt"),$(count_fixed "$(garp_line $BR $H2_IP2)" "$tmp/garp.pcap.txt")" 1,1
expect_eq "registration: no other ARP sent" \
	"$(count_re '^arp ' "$tmp/garp.pcap.txt")" 3
expect_eq "show -j: host 1 is proxying on br0" \
	"$(hostval $H1 '[.dev, .state, (.addrs|join(",")), (.tcp_ports|map(tostring)|join(",")), .tcp_any, .wake_count] | join(" ")')" \
	"br0 proxying $H1_IP 22,445 false 3"
expect_eq "show -j: host 2 has two addresses, tcp any, wake-count 1" \
	"$(hostval $H2 '[.state, (.addrs|join(",")), .tcp_any, .wake_count] | join(" ")')" \
	"proxying $H2_IP,$H2_IP2 true 1"
expect_eq "show -j: garp_sent counts them" "$(hstat $H1 garp_sent),$(hstat $H2 garp_sent)" 1,2
expect_eq "stats -j: hosts 2" "$(statval hosts)" 2

# ---------------------------------------------------------------- a. exit codes

rc=0; sp >/dev/null 2>&1 || rc=$?
expect_eq "spctl with no command: usage error" $rc 2
rc=0; sp frobnicate >/dev/null 2>&1 || rc=$?
expect_eq "spctl with an unknown command: usage error" $rc 2
rc=0; sp add-host dev br0 ip 192.168.1.9 >/dev/null 2>&1 || rc=$?
expect_eq "add-host without mac: usage error" $rc 2
rc=0; sp add-host dev br0 mac 52:54:00:aa:bb:ee ip 192.168.1.9 wake-count lots >/dev/null 2>&1 || rc=$?
expect_eq "add-host with wake-count lots: usage error" $rc 2
rc=0; sp add-host dev br0 mac 52:54:00:aa:bb:ee ip $H1_IP tcp 22 >/dev/null 2>"$tmp/dup.out" || rc=$?
expect_eq "add-host of $H1_IP again under another MAC: refused" $rc 1
grep -q '^Error: ' "$tmp/dup.out" || fail "the refusal carries no \"Error: \" message: $(cat "$tmp/dup.out")"
ok "the refusal says why: $(head -n1 "$tmp/dup.out")"
rc=0; sp add-host dev lo mac 52:54:00:aa:bb:ee ip 192.168.1.9 >/dev/null 2>"$tmp/lo.out" || rc=$?
expect_eq "add-host on lo (not Ethernet): refused" $rc 1
expect_eq "refused requests left two hosts" "$(statval hosts)" 2
# The per-namespace cap (module parameter max_hosts).
max=/sys/module/sleepproxy/parameters/max_hosts
saved=$(cat $max)
echo 2 >$max
rc=0; sp add-host dev br0 mac 52:54:00:aa:bb:ee ip 192.168.1.9 >/dev/null 2>"$tmp/full.out" || rc=$?
expect_eq "a third host with max_hosts=2: refused, the table is full" \
	"$rc $(grep -c 'host table full' "$tmp/full.out")" "1 1"
rc=0; add_host2 >/dev/null 2>&1 || rc=$?
expect_eq "replacing a host is not adding one: accepted at the cap" $rc 0
echo "$saved" >$max
rc=0
pgw setpriv --bounding-set=-net_admin --inh-caps=-net_admin -- \
	"$SPCTL" add-host dev br0 mac 52:54:00:aa:bb:ee ip 192.168.1.9 >/dev/null 2>&1 || rc=$?
expect_eq "add-host without CAP_NET_ADMIN: refused" $rc 1
rc=0
pgw setpriv --bounding-set=-net_admin --inh-caps=-net_admin -- \
	"$SPCTL" del-host dev br0 mac $H2 >/dev/null 2>&1 || rc=$?
expect_eq "del-host without CAP_NET_ADMIN: refused" $rc 1
rc=0
pgw setpriv --bounding-set=-net_admin --inh-caps=-net_admin -- \
	"$SPCTL" show >/dev/null 2>&1 || rc=$?
expect_eq "show without CAP_NET_ADMIN works" $rc 0
rc=0
pgw setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all -- \
	"$SPCTL" show -j >"$tmp/nobody.out" 2>&1 || rc=$?
expect_eq "show as an unprivileged user works" "$rc $(jq length "$tmp/nobody.out" 2>/dev/null)" "0 2"
expect_eq "still two hosts" "$(statval hosts)" 2

# ---------------------------------------------------------------- c. a client connects

cap_start $hs eth0 "$tmp/wake.pcap"
rc=0
pcl timeout 3 bash -c "exec 3<>/dev/tcp/$H1_IP/22" 2>/dev/null || rc=$?
cap_stop "$tmp/wake.pcap"
expect_eq "client connect() to $H1_IP:22 gets no answer (no RST): it times out" $rc 124
expect_eq "the client's neighbour entry for $H1_IP is the gateway's br0 MAC" \
	"$(client_lladdr $H1_IP)" $BR
expect_eq "the sleeping host got 3 Ethernet magic packets (0x0842) for its MAC" \
	"$(count_re "$(wol_eth_re $H1)" "$tmp/wake.pcap.txt")" 3
expect_eq "the sleeping host got 3 UDP magic packets to 255.255.255.255:9, checksums valid" \
	"$(count_re "$(wol_udp_re $H1)" "$tmp/wake.pcap.txt")" 3
expect_eq "no other magic packet" "$(count_re '^wol-' "$tmp/wake.pcap.txt")" 6
expect_eq "the SYN never reached the sleeping host" "$(count_re '^tcp ' "$tmp/wake.pcap.txt")" 0
expect_eq "host 1 is woken" "$(state $H1)" woken
expect_eq "host 1: wakes 1, magic_sent 6" "$(hstat $H1 wakes),$(hstat $H1 magic_sent)" 1,6
syn_wake=$(hstat $H1 syn_wake)
[[ $syn_wake -ge 1 ]] || fail "host 1: syn_wake is $syn_wake"
ok "host 1: syn_wake $syn_wake (the client retried once the first SYN was dropped)"
expect_eq "host 2 slept on" "$(state $H2),$(hstat $H2 wakes)" proxying,0
expect_eq "host 1's wake log: a SYN from the client's address and MAC to port 22, sent" \
	"$(hostval $H1 '.wakes | length'),$(hostval $H1 '.wakes[0] | [.reason, .src, .src_mac, .dport, .sent] | map(tostring) | join(" ")')" \
	"1,syn $CL_IP $CL 22 true"
expect_eq "...and the frame behind it, from its Ethernet header: to br0, from the client" \
	"$(hostval $H1 '.wake_frame[0:24]')" "${BR//:/}${CL//:/}"
sp show -d dev br0 >"$tmp/show-d.out"
grep -q -E "^    wake syn [0-9.]+s ago from $CL_IP port [0-9]+ \($CL\) to port 22\$" "$tmp/show-d.out" ||
	fail "show -d does not say who woke host 1: $(grep '^    wake' "$tmp/show-d.out")"
ok "show -d: who woke host 1, from where, to which port"

# ---------------------------------------------------------------- c2. wake MAC, SecureOn password

# A host woken at another MAC than the one it is known by, with a SecureOn
# password (as a Mac registering with a Bonjour Sleep Proxy may ask): both
# forms of the magic packet carry that MAC, then the password.  Only a
# caller with CAP_NET_ADMIN is shown the password.
add_host3 wake-mac $H3_WAKE password $PW6
wait_proxying $H3
expect_eq "show -j (root): host 3's wake MAC, password and origin" \
	"$(hostval $H3 '[.wake_mac, .password, .origin] | join(" ")')" \
	"$H3_WAKE $PW6 admin"
sp show >"$tmp/show-h3.out"
grep -q "^    tcp 22 wake-count 1 wake-mac $H3_WAKE password $PW6 " "$tmp/show-h3.out" ||
	fail "show (root) lacks host 3's wake MAC or password: $(grep -A2 " $H3 " "$tmp/show-h3.out")"
ok "show (root) gives host 3's wake MAC and password, and does not mark it"
sp_nobody show -j >"$tmp/nobody-h3.json"
expect_eq "show -j as an unprivileged user: the wake MAC, no password" \
	"$(jq -r --arg m $H3 '.[] | select(.mac == $m) | [.wake_mac, (has("password") | tostring), .origin] | join(" ")' "$tmp/nobody-h3.json")" \
	"$H3_WAKE false admin"
sp_nobody show >"$tmp/nobody-h3.out"
expect_eq "show as an unprivileged user prints no password" \
	"$(count_re password "$tmp/nobody-h3.out"),$(count_re " wake-mac $H3_WAKE lease " "$tmp/nobody-h3.out")" 0,1

cap_start $hs eth0 "$tmp/wol6.pcap"
pkt $cl syn eth0 --eth-dst $BR --src $CL_IP --dst $H3_IP --dport 22
sleep 1
cap_stop "$tmp/wol6.pcap"
expect_eq "a SYN wakes host 3: a magic packet of each form for its wake MAC, with the 6-byte password" \
	"$(count_re "$(wol_eth_re $H3_WAKE $PW6)" "$tmp/wol6.pcap.txt"),$(count_re "$(wol_udp_re $H3_WAKE $PW6)" "$tmp/wol6.pcap.txt")" 1,1
expect_eq "...and no other magic packet" "$(count_re '^wol-' "$tmp/wol6.pcap.txt")" 2
expect_eq "host 3: woken, wakes 1, magic_sent 2" \
	"$(state $H3),$(hstat $H3 wakes),$(hstat $H3 magic_sent)" woken,1,2

# Registered again with a 4-byte password and no wake MAC: still woken, and
# the next wake (after the re-wake interval) carries the host's own MAC and
# the new password.
add_host3 password $PW4
expect_eq "the replacement takes the new values: own MAC to wake, the 4-byte password" \
	"$(hostval $H3 '[.state, .wake_mac, .password] | join(" ")')" "woken $H3 $PW4"
syn_to_h3() {
	pkt $cl syn eth0 --eth-dst $BR --src $CL_IP --dst $H3_IP --dport 22
	[[ $(hstat $H3 wakes) -ge 2 ]]
}
cap_start $hs eth0 "$tmp/wol4.pcap"
wait_until 15 syn_to_h3 || fail "SYNs to host 3 did not wake it again (wakes $(hstat $H3 wakes))"
sleep 0.5
cap_stop "$tmp/wol4.pcap"
expect_eq "the next wake: a magic packet of each form for its own MAC, with the 4-byte password" \
	"$(count_re "$(wol_eth_re $H3 $PW4)" "$tmp/wol4.pcap.txt"),$(count_re "$(wol_udp_re $H3 $PW4)" "$tmp/wol4.pcap.txt")" 1,1
expect_eq "...and no other magic packet" "$(count_re '^wol-' "$tmp/wol4.pcap.txt")" 2
# The admin wakes host 3 by hand: as it registered (its own MAC, the
# 4-byte password, one of each form), though it is woken already, logged
# as manual; then a MAC nobody registered, with a password given.
OTHER_MAC=52:54:00:99:99:99
# The tracepoints watch too (c4. checks the reply one).
tr=/sys/kernel/tracing
[[ -e $tr/trace ]] || mount -t tracefs nodev $tr
echo 1 >$tr/events/sleepproxy/sleepproxy_wake/enable
echo 1 >$tr/events/sleepproxy/sleepproxy_reply/enable
: >$tr/trace
cap_start $hs eth0 "$tmp/manual.pcap"
sp wake dev br0 mac $H3
sp wake dev br0 mac $OTHER_MAC password $PW6
cap_wait_re "$tmp/manual.pcap" "$(wol_udp_re $OTHER_MAC $PW6)" 3 10 || true
sleep 0.5
cap_stop "$tmp/manual.pcap"
br0_ifindex=$(ip -n $gw -j link show br0 | jq -r '.[0].ifindex')
expect_eq "tracepoint sleepproxy:sleepproxy_wake fires for the manual wake of host 3" \
	"$(grep -c -E "sleepproxy_wake: ifindex=$br0_ifindex mac=$H3 reason=manual sent=1\$" $tr/trace)" 1
expect_eq "spctl wake of host 3: one magic packet of each form, as it registered" \
	"$(count_re "$(wol_eth_re $H3 $PW4)" "$tmp/manual.pcap.txt"),$(count_re "$(wol_udp_re $H3 $PW4)" "$tmp/manual.pcap.txt")" 1,1
expect_eq "...counted, and logged as manual" \
	"$(hstat $H3 wakes),$(hostval $H3 '.wakes[0] | [.reason, (has("src") | tostring)] | join(" ")')" \
	"3,manual false"
expect_eq "spctl wake of a MAC nobody registered: 3 of each form, with the password" \
	"$(count_re "$(wol_eth_re $OTHER_MAC $PW6)" "$tmp/manual.pcap.txt"),$(count_re "$(wol_udp_re $OTHER_MAC $PW6)" "$tmp/manual.pcap.txt")" 3,3
expect_eq "stats: manual_wakes 2" "$(statval manual_wakes)" 2
rc=0
sp wake dev br0 mac $H3 password $PW6 2>"$tmp/wake-err.out" || rc=$?
expect_eq "spctl wake with a password for a registered host: refused, with the reason" \
	"$rc,$(cat "$tmp/wake-err.out")" "1,Error: a registered host is woken with its own password"
rc=0
sp wake dev lo mac $OTHER_MAC 2>"$tmp/wake-err.out" || rc=$?
expect_eq "spctl wake on a non-Ethernet interface: refused" \
	"$rc,$(cat "$tmp/wake-err.out")" "1,Error: no such Ethernet interface, or it is down"
rc=0
sp_nobody wake dev br0 mac $OTHER_MAC 2>/dev/null || rc=$?
expect_eq "spctl wake without CAP_NET_ADMIN: refused" "$rc,$(statval manual_wakes)" 1,2

add_host3
expect_eq "registered again without either: own MAC, no password" \
	"$(hostval $H3 '[.wake_mac, (has("password") | tostring)] | join(" ")')" "$H3 false"
sp del-host dev br0 mac $H3

# ---------------------------------------------------------------- c4. events

# spctl monitor sees a host's life in order: added, proxying, a wake (a
# SYN, with its sender), awake, removed (deleted); -j and text alike.
ip netns exec $gw "$SPCTL" monitor -j >"$tmp/monitor-j.out" 2>&1 &
bg_pids+=( "$!" )
mon_j=$!
ip netns exec $gw "$SPCTL" monitor >"$tmp/monitor.out" 2>&1 &
bg_pids+=( "$!" )
mon=$!
sleep 2		# both have joined the group (they print nothing until then)
add_host3
wait_proxying $H3
expect_eq "tracepoint sleepproxy:sleepproxy_reply fires for the takeover's gratuitous ARP" \
	"$(grep -c -E "sleepproxy_reply: ifindex=$br0_ifindex mac=$H3 kind=garp to=ff:ff:ff:ff:ff:ff\$" $tr/trace)" 1
echo 0 >$tr/events/sleepproxy/enable
pkt $cl syn eth0 --eth-dst $BR --src $CL_IP --dst $H3_IP --dport 22
wait_until 5 state_is $H3 woken || fail "host 3 not woken (state $(state $H3))"
pkt $cl arp eth0 --tpa $GW_IP --spa $H3_IP --sha $H3 --eth-src $H3 --wait 0.2 >/dev/null
wait_until 5 state_is $H3 awake || fail "host 3 not seen awake (state $(state $H3))"
sp del-host dev br0 mac $H3
wait_until 5 grep -q "^removed br0 $H3" "$tmp/monitor.out" ||
	fail "no removed event in spctl monitor's output"
kill $mon $mon_j
expect_eq "spctl monitor -j: added, proxying, wake, awake, removed, in that order" \
	"$(jq -r --arg m $H3 'select(.mac == $m) | .event' "$tmp/monitor-j.out" | xargs)" \
	"added proxying wake awake removed"
expect_eq "...the wake says why and who, the removal why" \
	"$(jq -r --arg m $H3 'select(.mac == $m and .event == "wake") | .wake | [.reason, .src, .src_mac, .dport, .sent] | map(tostring) | join(" ")' "$tmp/monitor-j.out"),$(jq -r --arg m $H3 'select(.mac == $m and .event == "removed") | .removed' "$tmp/monitor-j.out")" \
	"syn $CL_IP $CL 22 true,deleted"
expect_eq "spctl monitor (text): one line per event" \
	"$(grep -c -E "^(added|proxying|awake) br0 $H3\$" "$tmp/monitor.out"),$(grep -c -E "^wake br0 $H3 syn from $CL_IP port [0-9]+ \($CL\) to port 22\$" "$tmp/monitor.out"),$(grep -c -x "removed br0 $H3 deleted" "$tmp/monitor.out")" \
	3,1,1

# ---------------------------------------------------------------- d. ARP replies

pkt $cl arp eth0 --spa $CL_IP --tpa $H1_IP >"$tmp/arp-req.out"
expect_eq "broadcast ARP request for $H1_IP: one reply, every field right" \
	"$(cat "$tmp/arp-req.out")" "$(arp_reply_line $CL $BR $H1_IP $CL $CL_IP)"
pkt $cl arp eth0 --spa 0.0.0.0 --tpa $H1_IP >"$tmp/arp-probe.out"
expect_eq "ARP probe (spa 0.0.0.0) for $H1_IP is defended: reply with tpa 0.0.0.0" \
	"$(cat "$tmp/arp-probe.out")" "$(arp_reply_line $CL $BR $H1_IP $CL 0.0.0.0)"
pkt $cl arp eth0 --eth-dst $BR --spa $CL_IP --tpa $H1_IP >"$tmp/arp-ucast.out"
expect_eq "unicast ARP request to br0's MAC is answered" \
	"$(cat "$tmp/arp-ucast.out")" "$(arp_reply_line $CL $BR $H1_IP $CL $CL_IP)"
# Another machine announcing a proxied address has it now (DHCP gave it
# away): the proxy stops answering for that address only.
pkt $cl arp eth0 --spa $H2_IP2 --tpa $H2_IP2 >"$tmp/arp-garp.out"
expect_eq "a gratuitous ARP from another MAC for $H2_IP2 is not answered" "$(cat "$tmp/arp-garp.out")" ""
expect_eq "...it ends proxying of that address: conflicts 1, shown, no more answers for it" \
	"$(hstat $H2 conflicts),$(hostval $H2 '.conflicts|join(",")'),$(pkt $cl arp eth0 --spa $CL_IP --tpa $H2_IP2 | wc -l)" "1,$H2_IP2,0"
expect_eq "...while $H2_IP is still answered" \
	"$(pkt $cl arp eth0 --spa $CL_IP --tpa $H2_IP)" "$(arp_reply_line $CL $BR $H2_IP $CL $CL_IP)"
add_host2
expect_eq "registering host 2 again proxies $H2_IP2 again (and it slept on)" \
	"$(pkt $cl arp eth0 --spa $CL_IP --tpa $H2_IP2),$(hostval $H2 '.conflicts|length'),$(state $H2)" \
	"$(arp_reply_line $CL $BR $H2_IP2 $CL $CL_IP),0,proxying"
pkt $cl arp eth0 --sha $H1 --spa 0.0.0.0 --tpa $H1_IP >"$tmp/arp-own.out"
expect_eq "an ARP probe whose sha is the host's own MAC is not answered" "$(cat "$tmp/arp-own.out")" ""
pkt $cl arp eth0 --spa $CL_IP --tpa 192.168.1.9 >"$tmp/arp-other.out"
expect_eq "ARP for an address nobody registered is not answered" "$(cat "$tmp/arp-other.out")" ""
# The kernel's own re-validation of a stale entry: a unicast probe to br0.
# A new entry, so that no recent confirmation lets the kernel skip the probe.
# Under an emulated CPU a capture can miss the one probe: up to three
# rounds, each from a fresh STALE entry.
for try in 1 2 3; do
	ip -n $cl neigh del $H1_IP dev eth0 2>/dev/null || true
	ip -n $cl neigh add $H1_IP lladdr $BR nud stale dev eth0
	cap_start $cl eth0 "$tmp/stale.pcap"
	pcl ping -c 1 -W 1 $H1_IP >/dev/null 2>&1 || true
	wait_until 10 sh -c "[ \"\$(ip -n $cl -j neigh show $H1_IP dev eth0 | jq -r '.[0].state[0]')\" = REACHABLE ]" ||
		fail "the client's stale entry for $H1_IP did not become REACHABLE (now $(client_nud $H1_IP))"
	sleep 0.3
	cap_stop "$tmp/stale.pcap"
	ucast_probe=$(count_re "^arp op=1 eth_src=$CL eth_dst=$BR sha=$CL spa=$CL_IP tha=[0-9a-f:]+ tpa=$H1_IP\$" "$tmp/stale.pcap.txt")
	[[ $ucast_probe -ge 1 ]] && break
	echo "# round $try: the capture holds no unicast probe; again"
done
ok "a real client's STALE entry is re-validated and becomes REACHABLE"
[[ $ucast_probe -ge 1 ]] || fail "no unicast ARP probe from the client to br0 seen"
expect_eq "...through its unicast ARP request to br0, which was answered" \
	"$(count_fixed "$(arp_reply_line $CL $BR $H1_IP $CL $CL_IP)" "$tmp/stale.pcap.txt")" "$ucast_probe"

# A peer that missed the takeover still has the host's own MAC and asks it
# directly.  The bridge floods that (the silent host has no forwarding
# entry) and, br0 being promiscuous (a tcpdump on the gateway, say), passes
# a copy up: the proxy answers it.  Frames to other stations it leaves be.
ip -n $gw link set br0 promisc on
pkt $cl arp eth0 --eth-dst $H1 --spa $CL_IP --tpa $H1_IP >"$tmp/arp-tohost.out"
pkt $cl arp eth0 --eth-dst 52:54:00:99:99:99 --spa $CL_IP --tpa $H1_IP >"$tmp/arp-toother.out"
ip -n $gw link set br0 promisc off
expect_eq "ARP request unicast to the sleeping host's own MAC (br0 promiscuous): answered" \
	"$(cat "$tmp/arp-tohost.out")" "$(arp_reply_line $CL $BR $H1_IP $CL $CL_IP)"
expect_eq "ARP request unicast to another station's MAC: not answered" \
	"$(cat "$tmp/arp-toother.out")" ""

# R1: an 802.1p priority tag (VLAN id 0) does not hide the ARP inside it;
# a frame tagged for a VLAN belongs to that VLAN's device, not to br0.
pkt $cl arp eth0 --vlan 0 --spa $CL_IP --tpa $H1_IP >"$tmp/arp-prio.out"
pkt $cl arp eth0 --vlan 10 --spa $CL_IP --tpa $H1_IP >"$tmp/arp-vlan.out"
expect_eq "a priority-tagged ARP request (VLAN id 0) is answered" \
	"$(cat "$tmp/arp-prio.out")" "$(arp_reply_line $CL $BR $H1_IP $CL $CL_IP)"
expect_eq "an ARP request tagged for VLAN 10 is not answered on br0" \
	"$(cat "$tmp/arp-vlan.out")" ""

# ---------------------------------------------------------------- e. other ports

add_host1
expect_eq "add-host again while woken: still woken (a refresh does not interrupt proxying)" "$(state $H1)" woken
pkt $cl arp eth0 --spa $CL_IP --tpa $H1_IP >"$tmp/arp-req2.out"
expect_eq "while proxying, ARP requests are answered" \
	"$(cat "$tmp/arp-req2.out")" "$(arp_reply_line $CL $BR $H1_IP $CL $CL_IP)"
syn_other=$(hstat $H1 syn_other)
wakes=$(hstat $H1 wakes)
cap_start $hs eth0 "$tmp/port80.pcap"
pkt $cl syn eth0 --eth-dst $BR --src $CL_IP --dst $H1_IP --dport 80
sleep 2
cap_stop "$tmp/port80.pcap"
expect_eq "SYN to port 80 (not registered): no magic packet" \
	"$(count_re '^wol-' "$tmp/port80.pcap.txt")" 0
expect_eq "SYN to port 80: syn_other +1, no wake, still proxying" \
	"$(hstat $H1 syn_other),$(hstat $H1 wakes),$(state $H1)" "$((syn_other + 1)),$wakes,woken"

# ---------------------------------------------------------------- f. malformed IPv4

declare -A before
# delta COUNTER: how far a stats -j counter moved since "before".
delta() { echo $(( $(statval "$1") - before[$1] )); }
for c in drop_ipv4_malformed drop_ipv4_fragment drop_ipv4_srcroute drop_tcp_malformed; do
	before[$c]=$(statval $c)
done
cap_start $hs eth0 "$tmp/malformed.pcap"
pkt $cl syn eth0 --eth-dst $BR --src $CL_IP --dst $H2_IP --dport 12345 \
	--variant frag-mf --variant frag-offset --variant lsrr --variant ssrr \
	--variant bad-ipsum --variant ihl4 --variant truncated --variant bad-tcpsum \
	--variant synack
sleep 1
cap_stop "$tmp/malformed.pcap"
expect_eq "fragments, source routes, bad checksums, bad lengths, SYN-ACK: no magic packet" \
	"$(count_re '^wol-' "$tmp/malformed.pcap.txt")" 0
expect_eq "...and host 2 (tcp any) still proxying, never woken" "$(state $H2),$(hstat $H2 wakes)" proxying,0
expect_eq "drop_ipv4_fragment +2 (MF set; offset 8)" \
	"$(delta drop_ipv4_fragment)" 2
expect_eq "drop_ipv4_srcroute +2 (LSRR; SSRR)" \
	"$(delta drop_ipv4_srcroute)" 2
expect_eq "drop_ipv4_malformed +3 (bad header checksum; ihl 4; total length past the end)" \
	"$(delta drop_ipv4_malformed)" 3
expect_eq "drop_tcp_malformed +1 (bad TCP checksum)" \
	"$(delta drop_tcp_malformed)" 1
cap_start $hs eth0 "$tmp/wake2.pcap"
pkt $cl syn eth0 --eth-dst $BR --src $CL_IP --dst $H2_IP --dport 12345
sleep 1
cap_stop "$tmp/wake2.pcap"
expect_eq "a well-formed SYN to any port of host 2 (tcp any) wakes it: 1 + 1 magic packets (wake-count 1)" \
	"$(count_re "$(wol_eth_re $H2)" "$tmp/wake2.pcap.txt"),$(count_re "$(wol_udp_re $H2)" "$tmp/wake2.pcap.txt")" 1,1
expect_eq "host 2: woken, wakes 1, magic_sent 2" \
	"$(state $H2),$(hstat $H2 wakes),$(hstat $H2 magic_sent)" woken,1,2

# ---------------------------------------------------------------- g. the host wakes up

# A host registers and goes on talking for a while before it sleeps: its
# own probe neither counts as it being awake nor is answered, and it puts
# the takeover off.
sp del-host dev br0 mac $H1
echo 6000 >/sys/module/sleepproxy/parameters/awake_grace_ms
cap_start $hs eth0 "$tmp/grace.pcap"
add_host1
rc=0
phs arping -q -D -c 1 -w 1 -I eth0 $H1_IP || rc=$?
st=$(state $H1)
cap_stop "$tmp/grace.pcap"
echo $grace_ms >/sys/module/sleepproxy/parameters/awake_grace_ms
expect_eq "the host's own ARP probe while it goes to sleep: still registered, not awake" "$st" registered
expect_eq "...it was not answered: no ARP reply from br0 reached the host" \
	"$(count_re "^arp op=2 eth_src=$BR " "$tmp/grace.pcap.txt")" 0
expect_eq "...and arping -D on the host found its address free" $rc 0
expect_eq "...and no takeover announcement went out while it talked" \
	"$(count_re "^arp op=1 eth_src=$BR eth_dst=$BCAST sha=$BR spa=$H1_IP " "$tmp/grace.pcap.txt")" 0
wait_proxying $H1

# The client connects again: the host is woken.
cap_start $hs eth0 "$tmp/wake3.pcap"
wakes=$(hstat $H1 wakes)
rc=0
pcl timeout 2 bash -c "exec 3<>/dev/tcp/$H1_IP/445" 2>/dev/null || rc=$?
cap_stop "$tmp/wake3.pcap"
expect_eq "a connect() to port 445 wakes host 1 again" \
	"$rc,$(state $H1),$(hstat $H1 wakes),$(count_re "$(wol_eth_re $H1)" "$tmp/wake3.pcap.txt")" \
	"124,woken,$((wakes + 1)),3"

# The host comes up, claims its address, probes it.
# A new entry, so that no recent confirmation lets the kernel skip the probe.
ip -n $cl neigh del $H1_IP dev eth0 2>/dev/null || true
ip -n $cl neigh add $H1_IP lladdr $BR nud stale dev eth0
awake=$(hstat $H1 awake)
garp=$(hstat $H1 garp_sent)
cap_start $cl eth0 "$tmp/awake.pcap"
ip -n $hs addr add $H1_IP/24 dev eth0
rc=0
phs arping -q -D -c 1 -w 1 -I eth0 $H1_IP || rc=$?
sleep 0.5
cap_stop "$tmp/awake.pcap"
expect_eq "the waking host's arping -D finds its address free" $rc 0
expect_eq "its probe told the proxy it is awake: state awake, awake +1" \
	"$(state $H1),$(hstat $H1 awake)" "awake,$((awake + 1))"
expect_eq "repair gratuitous ARP with the host's MAC as sha seen by the client" \
	"$(count_fixed "$(garp_line $H1 $H1_IP)" "$tmp/awake.pcap.txt")" 1
expect_eq "...counted in garp_sent" "$(hstat $H1 garp_sent)" $((garp + 1))
expect_eq "the client's neighbour entry for $H1_IP now has the host's MAC" \
	"$(client_lladdr $H1_IP)" $H1
pkt $cl arp eth0 --spa $CL_IP --tpa $H1_IP >"$tmp/arp-awake.out"
expect_eq "ARP requests for $H1_IP are now answered by the host itself, not by br0" \
	"$(cat "$tmp/arp-awake.out")" "$(arp_reply_line $CL $H1 $H1_IP $CL $CL_IP)"

# A registered host that is up reaches one that sleeps, as any peer does:
# its ARP request is answered for the sleeper and its connect() wakes it.
sp add-host dev br0 mac $H4 ip $H4_IP tcp 22 wake-count 1
wait_proxying $H4
h1_replies=$(hstat $H1 arp_replies)
pkt $hs arp eth0 --spa $H1_IP --tpa $H4_IP >"$tmp/arp-h4.out"
expect_eq "host 1, up and registered, asks for sleeping host 4's address: br0 answers" \
	"$(cat "$tmp/arp-h4.out")" "$(arp_reply_line $H1 $BR $H4_IP $H1 $H1_IP)"
cap_start $cl eth0 "$tmp/wake-h4.pcap"
rc=0
phs timeout 2 bash -c "exec 3<>/dev/tcp/$H4_IP/22" 2>/dev/null || rc=$?
cap_stop "$tmp/wake-h4.pcap"
expect_eq "host 1's connect() to host 4 wakes it: woken, a wake from host 1's address and MAC" \
	"$rc,$(state $H4),$(hostval $H4 '.wakes[0] | [.reason, .src, .src_mac, .dport] | map(tostring) | join(" ")')" \
	"124,woken,syn $H1_IP $H1 22"
expect_eq "...its magic packets went out (flooded to the client's port too)" \
	"$(count_re "$(wol_eth_re $H4)" "$tmp/wake-h4.pcap.txt")" 1
expect_eq "...and host 1 stayed awake, with nothing answered for its own address" \
	"$(state $H1),$(hstat $H1 arp_replies)" "awake,$h1_replies"
sp del-host dev br0 mac $H4

# ---------------------------------------------------------------- h. re-arm, delete

add_host1
wait_proxying $H1
ok "add-host again once it is awake: taken over again once silent"
sp del-host dev br0 mac $H1
expect_eq "del-host: host 1 is gone" "$(hostval $H1 .mac)" ""
expect_eq "del-host: one host left" "$(statval hosts)" 1
pkt $cl arp eth0 --spa $CL_IP --tpa $H1_IP >"$tmp/arp-del.out"
expect_eq "after del-host br0 no longer answers for $H1_IP" \
	"$(count_re "sha=$BR" "$tmp/arp-del.out")" 0
rc=0; sp del-host dev br0 mac $H1 >/dev/null 2>&1 || rc=$?
expect_eq "del-host of a host that is not there: refused" $rc 1
# The host goes back to sleep for what follows.
ip -n $hs addr flush dev eth0

# ---------------------------------------------------------------- h2. a silent wake

# A host that resumes without sending anything the gateway sees: the
# client's retransmitted SYN makes the proxy ask the host for its address,
# its answer ends proxying, and the client's connect() completes.
add_host1
wait_proxying $H1
probes=$(hstat $H1 awake_probes)
ip netns exec $hs python3 -c '
import socket
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 22))
s.listen(1)
s.settimeout(40)
s.accept()[0].close()' 2>"$tmp/listen.err" &
listener=$!
bg_pids+=( "$listener" )
wait_until 20 listening $hs 22 ||
	fail "the host's listener did not start: $(cat "$tmp/listen.err")"
ip netns exec $cl python3 -c '
import socket, sys
socket.create_connection((sys.argv[1], 22), timeout=30).close()' $H1_IP \
	2>"$tmp/connect.err" &
client=$!
bg_pids+=( "$client" )
wait_until 10 state_is $H1 woken ||
	fail "the client's SYN did not wake host 1 (state $(state $H1))"
# The host resumes: an address, nothing sent (IPv6 off, no arp_notify).
ip -n $hs addr add $H1_IP/24 dev eth0
rc=0; wait $client || rc=$?
expect_eq "a connect() begun while the host slept completes once it is up" $rc 0
expect_eq "the host answered the proxy's unicast ARP: awake, awake_probes moved" \
	"$(state $H1),$(( $(hstat $H1 awake_probes) > probes ))" awake,1
wait $listener || true
ip -n $hs addr flush dev eth0
sp del-host dev br0 mac $H1

# ---------------------------------------------------------------- i. per namespace

ip netns add $gx
ip netns exec $gx sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip -n $gx link add br0 type bridge
ip -n $gx link set br0 up
expect_eq "a second gateway namespace sees no hosts" \
	"$(ip netns exec $gx "$SPCTL" show -j | jq length),$(ip netns exec $gx "$SPCTL" stats -j | jq .hosts)" 0,0
ip netns exec $gx "$SPCTL" add-host dev br0 mac $H2 ip $H2_IP tcp any
expect_eq "it may register the same MAC and address as the first" \
	"$(ip netns exec $gx "$SPCTL" show -j | jq -r '.[0].mac')" $H2
expect_eq "the first namespace still has exactly its own host" \
	"$(sp show -j | jq -r '[.[].mac] | join(",")')" $H2
ip netns del $gx
ok "a namespace with a registered host can be deleted"

# ---------------------------------------------------------------- link events

# R34: a switch or link that goes down and up must not wake anybody.
wakes=$(hstat $H2 wakes) magic=$(hstat $H2 magic_sent)
ip -n $gw link set vhs down
ip -n $gw link set br0 down
sleep 0.5
ip -n $gw link set br0 up
ip -n $gw link set vhs up
sleep 2
expect_eq "br0 and its port went down and up: no wake, no magic packet (R34)" \
	"$(hstat $H2 wakes),$(hstat $H2 magic_sent)" "$wakes,$magic"

# br0 gets a new MAC: peers learnt the old one for the proxied addresses.
NEWBR=52:54:00:00:00:11
cap_start $cl eth0 "$tmp/newmac.pcap"
ip -n $gw link set br0 address $NEWBR
sleep 1
cap_stop "$tmp/newmac.pcap"
ip -n $gw link set br0 address $BR
newmac_garp() { echo "arp op=1 eth_src=$NEWBR eth_dst=$BCAST sha=$NEWBR spa=$1 tha=$ZERO tpa=$1"; }
expect_eq "a new MAC on br0 is announced for each of host 2's addresses" \
	"$(count_fixed "$(newmac_garp $H2_IP)" "$tmp/newmac.pcap.txt"),$(count_fixed "$(newmac_garp $H2_IP2)" "$tmp/newmac.pcap.txt")" 1,1

# ---------------------------------------------------------------- k. bad netlink

# Raw generic netlink, from a namespace of its own (it deletes every host
# it finds there when it is done): each malformed request refused with an
# extack message and nothing changed, then twenty thousand mutated
# requests (a bounded run: each costs a round trip through an emulated
# CPU; more belong to a fuzzer, not to each make check), and the family
# still works.
ip netns add $gk
ip -n $gk link add sp0 type dummy
ip -n $gk link set sp0 up
rc=0
ip netns exec $gk python3 "$repo/tests/lib/nlpolicy.py" sp0 --fuzz 20000 \
	>"$tmp/nlpolicy.out" 2>&1 || rc=$?
ip netns del $gk
if [[ $rc -ne 0 ]]; then
	grep -v '^ok ' "$tmp/nlpolicy.out" >&2 || true
	fail "bad netlink requests (tests/lib/nlpolicy.py)"
fi
ok "bad netlink: $(grep -c '^ok ' "$tmp/nlpolicy.out") checks, each refusal with a reason; $(grep -o '[0-9]* mutated requests: [0-9]* refused' "$tmp/nlpolicy.out")"
expect_eq "the test's own namespace was left alone" "$(statval hosts)" 1

# ---------------------------------------------------------------- j. rmmod under load

add_host1
# Not through pkt(): $! must be the flooding process itself.
ip netns exec $cl python3 "$PKT" flood eth0 --eth-dst $BR --src $CL_IP --dst $H1_IP \
	--dport 22 --seconds 300 2>"$tmp/flood.out" &
flood=$!
bg_pids+=( "$flood" )
sleep 3
kill -0 $flood 2>/dev/null || fail "the ARP+SYN flood did not start: $(cat "$tmp/flood.out")"
rx1=$(statval rx_frames)
sleep 1
rx2=$(statval rx_frames)
[[ $rx2 -gt $rx1 ]] || fail "rx_frames does not move under the flood ($rx1 -> $rx2)"
ok "a flood of ARP requests and SYNs runs ($((rx2 - rx1)) frames/s seen)"
rmmod sleepproxy || fail "rmmod with hosts registered and a flood running"
module_loaded && fail "sleepproxy still loaded after rmmod"
ok "rmmod sleepproxy with hosts registered and a flood running"
if ! modprobe -n -q sleepproxy 2>/dev/null; then
	rc=0; sp show >/dev/null 2>&1 || rc=$?
	expect_eq "spctl show without the module: exit 1" $rc 1
fi
load_module
ok "insmod again"
echo $grace_ms >/sys/module/sleepproxy/parameters/awake_grace_ms
add_host1
wait_taken_over $H1
# From a MAC of its own: the flood has spent the client's share of answers.
pkt $cl arp eth0 --eth-src 52:54:00:00:00:99 --sha 52:54:00:00:00:99 \
	--spa $CL_IP --tpa $H1_IP >"$tmp/arp-reload.out"
expect_eq "after the reload the new registration answers ARP" \
	"$(count_fixed "$(arp_reply_line 52:54:00:00:00:99 $BR $H1_IP 52:54:00:00:00:99 $CL_IP)" "$tmp/arp-reload.out" | sed 's/^[1-9][0-9]*$/yes/')" yes
add_host2
sleep 1
rmmod sleepproxy || fail "final rmmod with the flood still running"
ok "final rmmod sleepproxy, flood still running"
kill $flood 2>/dev/null || true
wait $flood 2>/dev/null || true

done_ok=1
echo "$n passed, 0 failed"
