#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# IPv6 end to end, and nothing leaking for a sleeping host over either
# family.  Same topology as tests/netns.sh (see the diagram there), with
# IPv6 on br0 and on the client, and off on the host while it sleeps:
#
#   br0     192.168.1.1/24  2001:db8:1::1/64  52:54:00:00:00:01
#   client  192.168.1.2/24  2001:db8:1::2/64  52:54:00:00:00:02
#   host 1  52:54:00:aa:bb:cc, registered for 192.168.1.4, 2001:db8:1::4,
#           its link-local fe80::5054:ff:feaa:bbcc and a temporary
#           address 2001:db8:1:0:9c3e:51f2:7a40:6d11, tcp 22
#   host 2  52:54:00:aa:bb:dd, IPv6 only (2001:db8:1::5), tcp any; nobody
#           answers to its MAC
#
# Run as root where kernel/sleepproxy.ko can be loaded (tests/vm/run.sh
# boots such a kernel: `make vmtest`).  One "ok N - ..." line per check;
# the first failure prints "not ok N - ...", the proxy's state and the
# captures, and exits 1.

set -e
set -E

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
repo=$(cd "$here/.." && pwd -P)
SPCTL=${SLEEPPROXY_SPCTL:-$repo/tools/spctl/spctl}
KO=${SLEEPPROXY_KO:-$repo/kernel/sleepproxy.ko}
PKT="$repo/tests/lib/pkt.py"

gw=gw6$$ cl=cl6$$ hs=hs6$$
BR=52:54:00:00:00:01
CL=52:54:00:00:00:02
H1=52:54:00:aa:bb:cc
H2=52:54:00:aa:bb:dd
BCAST=ff:ff:ff:ff:ff:ff
MC_ALL=33:33:00:00:00:01
GW_IP=192.168.1.1 CL_IP=192.168.1.2 H1_IP=192.168.1.4
GW6=2001:db8:1::1 CL6=2001:db8:1::2 CL_LL=fe80::5054:ff:fe00:2
H1_6=2001:db8:1::4 H1_LL=fe80::5054:ff:feaa:bbcc
H1_TMP=2001:db8:1:0:9c3e:51f2:7a40:6d11
H2_6=2001:db8:1::5
NOBODY6=2001:db8:1::9

# shellcheck source=tests/lib/common.sh
. "$repo/tests/lib/common.sh"

# ---------------------------------------------------------------- helpers

na_line() { # ETH_DST IP_DST FLAGS TARGET TLLA
	echo "na eth_src=$BR eth_dst=$1 ip_src=$4 ip_dst=$2 hlim=255 flags=$3 target=$4 tlla=$5 csum=ok"
}
# The answer to the client's solicitation for $1, and an announcement.
sol_na() { na_line $CL $CL_LL SO "$1" $BR; }
unsol_na() { na_line $MC_ALL ff02::1 O "$1" "${2:-$BR}"; }

add_host1() {
	sp add-host dev br0 mac $H1 ip $H1_IP ip $H1_6 ip $H1_LL ip $H1_TMP \
		tcp 22 "$@"
}

# connect6 ADDR PORT SECONDS: a real client's connect(), from the client.
connect_from_client() {
	pcl python3 -c '
import socket, sys
try:
    socket.create_connection((sys.argv[1], int(sys.argv[2])),
                             timeout=float(sys.argv[3])).close()
    print("connected")
except socket.timeout:
    print("timeout")
except OSError as e:
    print("error", e.errno)' "$@"
}

# udp_from_client ADDR: one datagram to port 9999.
udp_from_client() {
	pcl python3 -c '
import socket, sys
fam = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
socket.socket(fam, socket.SOCK_DGRAM).sendto(b"x" * 32, (sys.argv[1], 9999))' "$1"
}

# The solicited-node groups br0 has joined.
br0_groups() { ip -n $gw -6 maddr show dev br0 | awk '$1 == "inet6" { print $2 }'; }
has_group() { br0_groups | grep -qx "$1"; }

declare -A before
# snap COUNTER...: remember namespace counters; delta COUNTER: moved since.
snap() { local c; for c in "$@"; do before[$c]=$(statval "$c"); done; }
delta() { echo $(( $(statval "$1") - before[$1] )); }

# ---------------------------------------------------------------- topology

make_topology
# A registered host is taken over once it has been silent this long.
grace=/sys/module/sleepproxy/parameters/awake_grace_ms
echo 300 >$grace
# IPv6 on br0 and the client, without DAD delays; the host sleeps.
pgw sysctl -qw net.ipv6.conf.br0.accept_dad=0 net.ipv6.conf.br0.disable_ipv6=0
pcl sysctl -qw net.ipv6.conf.eth0.accept_dad=0 net.ipv6.conf.eth0.disable_ipv6=0 \
	net.ipv6.neigh.eth0.delay_first_probe_time=1
ip -n $gw addr add $GW6/64 dev br0 nodad
ip -n $cl addr add $CL6/64 dev eth0 nodad
wait_until 10 sh -c "ip -n $cl -6 addr show dev eth0 scope link | grep -q $CL_LL" ||
	fail "the client has no link-local address"
ok "topology: IPv6 on br0 and the client, off on the sleeping host"

# ---------------------------------------------------------------- a. register

# Right after the topology comes up a capture may start late: once more
# if it caught nothing at all (not even the client's own frames).
for try in 1 2; do
	sp del-host dev br0 mac $H1 >/dev/null 2>&1 || true
	cap_start $cl eth0 "$tmp/reg.pcap"
	add_host1
	wait_proxying $H1
	# The takeover's announcements: let tcpdump catch up with them.
	for a in $H1_6 $H1_LL $H1_TMP; do
		cap_wait "$tmp/reg.pcap" "$(unsol_na $a)" 1 || true
	done
	cap_stop "$tmp/reg.pcap"
	[[ -s $tmp/reg.pcap.txt ]] && break
done
expect_eq "show -j: host 1 has its IPv4 and its three IPv6 addresses" \
	"$(hostval $H1 '.addrs|join(",")')" "$H1_IP,$H1_6,$H1_LL,$H1_TMP"
expect_eq "registration: one unsolicited NA (Override, to all nodes, br0's MAC) for each IPv6 address" \
	"$(count_fixed "$(unsol_na $H1_6)" "$tmp/reg.pcap.txt"),$(count_fixed "$(unsol_na $H1_LL)" "$tmp/reg.pcap.txt"),$(count_fixed "$(unsol_na $H1_TMP)" "$tmp/reg.pcap.txt")" 1,1,1
expect_eq "...counted in na_unsolicited; the IPv4 address got its gratuitous ARP" \
	"$(hstat $H1 na_unsolicited),$(hstat $H1 garp_sent)" 3,1
for g in ff02::1:ff00:4 ff02::1:ffaa:bbcc ff02::1:ff40:6d11; do
	has_group $g || fail "br0 did not join the solicited-node group $g: $(br0_groups | tr '\n' ' ')"
done
ok "br0 joined the solicited-node group of each proxied IPv6 address"

# ---------------------------------------------------------------- b. Neighbor Solicitations

# R25-R28: global, link-local and temporary addresses.
for t in $H1_6 $H1_LL $H1_TMP; do
	expect_eq "NS for $t from the client: NA with S and O, br0's MAC, every field right" \
		"$(pkt $cl ns eth0 --target $t)" "$(sol_na $t)"
done
# R29: extension headers before the ICMPv6 message.
pkt $cl ns eth0 --target $H1_6 --variant hbh --variant dstopt \
	--variant hbh-dstopt >"$tmp/ns-ext.out"
expect_eq "NS behind Hop-by-Hop, Destination Options, and both: each answered (R29)" \
	"$(count_fixed "$(sol_na $H1_6)" "$tmp/ns-ext.out"),$(wc -l <"$tmp/ns-ext.out")" 3,3
expect_eq "NS with an option of unknown type: answered" \
	"$(pkt $cl ns eth0 --target $H1_6 --variant unknown-opt)" "$(sol_na $H1_6)"
expect_eq "NS unicast to br0's MAC and the host's address (reachability): answered" \
	"$(pkt $cl ns eth0 --target $H1_6 --dst $H1_6 --eth-dst $BR)" "$(sol_na $H1_6)"
ip -n $gw link set br0 promisc on
pkt $cl ns eth0 --target $H1_6 --dst $H1_6 --eth-dst $H1 >"$tmp/ns-tohost.out"
ip -n $gw link set br0 promisc off
expect_eq "NS unicast to the sleeping host's own MAC (br0 promiscuous): answered" \
	"$(cat "$tmp/ns-tohost.out")" "$(sol_na $H1_6)"
expect_eq "DAD probe for $H1_6 from another MAC: defended, to all nodes, O without S" \
	"$(pkt $cl ns eth0 --target $H1_6 --src ::)" "$(unsol_na $H1_6)"
expect_eq "NS for an address nobody registered: not answered" \
	"$(pkt $cl ns eth0 --target $NOBODY6)" ""
replies=$(hstat $H1 na_replies)
[[ $replies -ge 10 ]] || fail "na_replies is $replies after 10 answers"
ok "na_replies counts them ($replies), ns_requests $(hstat $H1 ns_requests)"

# RFC 4861 7.1.1: ill-formed solicitations are neither answered nor passed on.
snap drop_nd_malformed
for v in hlim64 code1 bad-csum zero-opt trunc-opt; do
	expect_eq "NS variant $v: not answered" \
		"$(pkt $cl ns eth0 --target $H1_6 --variant $v)" ""
done
expect_eq "DAD probe with a source link-layer address option: not answered" \
	"$(pkt $cl ns eth0 --target $H1_6 --src :: --variant dad-slla)" ""
expect_eq "...and each of the six counted in drop_nd_malformed" \
	"$(delta drop_nd_malformed)" 6
expect_eq "NS too short to hold its target: not answered, not attributable, not counted" \
	"$(pkt $cl ns eth0 --target $H1_6 --variant short),$(delta drop_nd_malformed)" ",6"
expect_eq "NS for a multicast target: not answered" \
	"$(pkt $cl ns eth0 --target $H1_6 --variant mcast-target)" ""

# ---------------------------------------------------------------- c. IPv6 SYNs

snap drop_ipv6_malformed drop_ipv6_fragment drop_ipv6_srcroute drop_tcp_malformed
cap_start $hs eth0 "$tmp/syn6-bad.pcap"
pkt $cl syn eth0 --eth-dst $BR --src $CL6 --dst $H1_6 --dport 22 \
	--variant frag --variant atomic-frag --variant rh0 --variant truncated \
	--variant bad-version --variant bad-tcpsum --variant synack
sleep 1
cap_stop "$tmp/syn6-bad.pcap"
expect_eq "IPv6 fragments, type 0 routing, bad lengths and checksums, SYN-ACK: no magic packet" \
	"$(count_re '^wol-' "$tmp/syn6-bad.pcap.txt"),$(state $H1),$(hstat $H1 wakes)" 0,proxying,0
expect_eq "drop_ipv6_fragment +2, drop_ipv6_srcroute +1, drop_ipv6_malformed +2, drop_tcp_malformed +1" \
	"$(delta drop_ipv6_fragment),$(delta drop_ipv6_srcroute),$(delta drop_ipv6_malformed),$(delta drop_tcp_malformed)" 2,1,2,1
expect_eq "...and nothing of it reached the host" \
	"$(count_re "eth_dst=$H1 " "$tmp/syn6-bad.pcap.txt")" 0

# A real client's connect() resolves through the proxy and wakes the host.
cap_start $hs eth0 "$tmp/wake6.pcap"
res=$(connect_from_client $H1_6 22 3)
cap_stop "$tmp/wake6.pcap"
expect_eq "client connect() to [$H1_6]:22 gets no answer (no RST): it times out" "$res" timeout
expect_eq "the client's neighbour entry for $H1_6 is br0's MAC" "$(client_lladdr $H1_6)" $BR
expect_eq "the sleeping host got 3 + 3 magic packets" \
	"$(count_re "$(wol_eth_re $H1)" "$tmp/wake6.pcap.txt"),$(count_re "$(wol_udp_re $H1)" "$tmp/wake6.pcap.txt")" 3,3
expect_eq "the SYN never reached the sleeping host" \
	"$(count_re '^tcp6 ' "$tmp/wake6.pcap.txt")" 0
expect_eq "host 1 is woken, wakes 1" "$(state $H1),$(hstat $H1 wakes)" woken,1

# Extension headers before TCP, and a routing header with no segments left.
for v in hbh rh2-left0; do
	sp del-host dev br0 mac $H1
	add_host1
	wait_proxying $H1
	pkt $cl syn eth0 --eth-dst $BR --src $CL6 --dst $H1_6 --dport 22 --variant $v
	wait_until 5 state_is $H1 woken || fail "an IPv6 SYN with $v did not wake host 1"
	ok "an IPv6 SYN with $v before TCP wakes the host"
done

# ---------------------------------------------------------------- d. stale re-validation

add_host1
replies=$(hstat $H1 na_replies)
ip -n $cl neigh del $H1_6 dev eth0 2>/dev/null || true
ip -n $cl neigh add $H1_6 lladdr $BR nud stale dev eth0
cap_start $cl eth0 "$tmp/stale6.pcap"
pcl ping -6 -c 1 -W 1 $H1_6 >/dev/null 2>&1 || true
wait_until 10 sh -c "[ \"\$(ip -n $cl -j neigh show $H1_6 dev eth0 | jq -r '.[0].state[0]')\" = REACHABLE ]" ||
	fail "the client's stale entry for $H1_6 did not become REACHABLE (now $(client_nud $H1_6))"
cap_stop "$tmp/stale6.pcap"
ok "a real client's STALE IPv6 neighbour entry is re-validated and becomes REACHABLE"
# The proxy answered the client's own probe; the capture shows it when
# it caught it (the probe is a single frame, sent within the second).
[[ $(hstat $H1 na_replies) -gt $replies ]] || fail "the proxy answered no solicitation while the client re-validated"
ucast=$(count_re "^ns eth_src=$CL eth_dst=$BR ip_src=[0-9a-f:]+ ip_dst=$H1_6 hlim=255 target=$H1_6 " "$tmp/stale6.pcap.txt")
expect_eq "...through its unicast NS to br0, answered with Solicited + Override" \
	"$(count_re "^na eth_src=$BR eth_dst=$CL ip_src=$H1_6 ip_dst=[0-9a-f:]+ hlim=255 flags=SO target=$H1_6 tlla=$BR csum=ok\$" "$tmp/stale6.pcap.txt")" "$ucast"

# ---------------------------------------------------------------- e. nothing leaks

# The gateway routes.  Traffic for the sleeping host that does not wake it
# must not be forwarded to the host's MAC, nor answered by the gateway
# with a redirect or an unreachable, whether or not the gateway still has
# the host in its neighbour table.
pgw sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
leak_round() {
	local name=$1 dropped other wakes
	sp del-host dev br0 mac $H1
	add_host1
	wait_proxying $H1
	dropped=$(hstat $H1 dropped) other=$(hstat $H1 syn_other)
	wakes=$(hstat $H1 wakes)
	cap_start $cl eth0 "$tmp/leak-$name-cl.pcap"
	cap_start $hs eth0 "$tmp/leak-$name-hs.pcap"
	pcl ping -c 2 -i 0.3 -W 1 $H1_IP >/dev/null 2>&1 || true
	pcl ping -6 -c 2 -i 0.3 -W 1 $H1_6 >/dev/null 2>&1 || true
	udp_from_client $H1_IP
	udp_from_client $H1_6
	pkt $cl syn eth0 --eth-dst $BR --src $CL_IP --dst $H1_IP --dport 22 --variant synack
	pkt $cl syn eth0 --eth-dst $BR --src $CL6 --dst $H1_6 --dport 22 --variant synack
	[[ $(connect_from_client $H1_IP 80 1.5) == timeout ]] ||
		fail "a connect() to port 80 of the sleeping host did not time out"
	[[ $(connect_from_client $H1_6 80 1.5) == timeout ]] ||
		fail "a connect() to port 80 of the sleeping host did not time out (IPv6)"
	sleep 0.5
	cap_stop "$tmp/leak-$name-cl.pcap"
	cap_stop "$tmp/leak-$name-hs.pcap"
	expect_eq "$name: no ICMP from the gateway to the client (echo reply, redirect, unreachable)" \
		"$(count_re "^icmp eth_src=$BR " "$tmp/leak-$name-cl.pcap.txt"),$(count_re "^icmp6 eth_src=$BR .* type=(1|3|129|137) " "$tmp/leak-$name-cl.pcap.txt")" 0,0
	expect_eq "$name: no frame to the sleeping host's MAC" \
		"$(count_re "eth_dst=$H1 " "$tmp/leak-$name-hs.pcap.txt")" 0
	expect_eq "$name: the gateway did not look for the host either (no ARP, no NS)" \
		"$(count_re "^arp op=1 eth_src=$BR .* tpa=$H1_IP\$" "$tmp/leak-$name-hs.pcap.txt"),$(count_re "^ns eth_src=$BR .* target=$H1_6 " "$tmp/leak-$name-hs.pcap.txt")" 0,0
	other=$(( $(hstat $H1 syn_other) - other ))
	[[ $other -ge 2 ]] || fail "$name: syn_other moved by $other for two connect() to port 80"
	expect_eq "$name: 4 pings, 2 datagrams, 2 stray segments and $other SYNs to port 80 counted in dropped" \
		"$(( $(hstat $H1 dropped) - dropped ))" $(( 8 + other ))
	expect_eq "$name: nobody was woken" "$(state $H1),$(hstat $H1 wakes)" proxying,$wakes
}
ip -n $gw neigh replace $H1_IP lladdr $H1 nud permanent dev br0
ip -n $gw neigh replace $H1_6 lladdr $H1 nud permanent dev br0
leak_round "host in the gateway's neighbour table"
ip -n $gw neigh flush dev br0
ip -n $gw neigh del $H1_IP dev br0 2>/dev/null || true
ip -n $gw neigh del $H1_6 dev br0 2>/dev/null || true
leak_round "no neighbour entry"
pgw sysctl -qw net.ipv4.ip_forward=0 net.ipv6.conf.all.forwarding=0

# ---------------------------------------------------------------- f. ping on

add_host1 ping on
expect_eq "show -j: ping on" "$(hostval $H1 .ping)" true
replies=$(hstat $H1 echo_replies)
pcl ping -c 2 -i 0.3 -W 2 $H1_IP >"$tmp/ping4.out" 2>&1 ||
	fail "ping $H1_IP with ping on: $(tail -n 2 "$tmp/ping4.out")"
pcl ping -6 -c 2 -i 0.3 -W 2 $H1_6 >"$tmp/ping6.out" 2>&1 ||
	fail "ping -6 $H1_6 with ping on: $(tail -n 2 "$tmp/ping6.out")"
ok "with ping on, the client's pings of both addresses are answered"
expect_eq "...4 echo replies counted; the host sleeps on" \
	"$(( $(hstat $H1 echo_replies) - replies )),$(state $H1)" 4,proxying
add_host1
rc=0; pcl ping -c 1 -W 1 $H1_IP >/dev/null 2>&1 || rc=$?
expect_eq "registered again without ping on: pings go unanswered" "$rc,$(hostval $H1 .ping)" 1,false

# ---------------------------------------------------------------- g. the host wakes up

# A host that registered and is still going to sleep.
sp del-host dev br0 mac $H1
echo 60000 >$grace
add_host1
cap_start $hs eth0 "$tmp/dad.pcap"
# The host resumes: IPv6 on, with Duplicate Address Detection.
phs sysctl -qw net.ipv6.conf.eth0.accept_dad=1 net.ipv6.conf.eth0.dad_transmits=1 \
	net.ipv6.conf.eth0.disable_ipv6=0
ip -n $hs addr add $H1_6/64 dev eth0
wait_until 10 sh -c "! ip -n $hs -6 addr show dev eth0 | grep -q tentative" ||
	fail "the host's addresses stay tentative: $(ip -n $hs -6 addr show dev eth0)"
sleep 0.3
cap_stop "$tmp/dad.pcap"
expect_eq "the host's own DAD probes (from its MAC) for $H1_6 and $H1_LL were seen" \
	"$(count_re "^ns eth_src=$H1 .* ip_src=:: .* target=$H1_6 " "$tmp/dad.pcap.txt"),$(count_re "^ns eth_src=$H1 .* ip_src=:: .* target=$H1_LL " "$tmp/dad.pcap.txt")" 1,1
expect_eq "...and not answered: no NA from br0" \
	"$(count_re "^na eth_src=$BR " "$tmp/dad.pcap.txt")" 0
expect_eq "...so the host keeps both addresses (no dadfailed)" \
	"$(ip -n $hs -6 addr show dev eth0 | grep -c dadfailed || true),$(ip -n $hs -6 addr show dev eth0 | grep -c -e "$H1_6/64" -e "$H1_LL/64")" 0,2
expect_eq "the probes did not count as the host awake: still registered" "$(state $H1)" registered
# Taken over at its first silence, the host's next frame (a router
# solicitation, an MLD report, or this ping) shows it awake.
cap_start $cl eth0 "$tmp/awake6.pcap"
# A changed grace period applies from the next registration on.
echo 300 >$grace
add_host1
# The host pings only once taken over: pinging every few tenths of a
# second before that would keep it from ever falling silent for the grace.
host1_shows_awake() {
	[[ $(hstat $H1 awake) != 0 ]] && return 0
	state_is $H1 proxying && phs ping -6 -c 1 -W 1 $CL6 >/dev/null 2>&1
	return 1
}
wait_until 10 host1_shows_awake ||
	fail "host 1 is $(state $H1): its frames after the takeover did not show it awake"
sleep 0.3
cap_stop "$tmp/awake6.pcap"
expect_eq "taken over once silent, then the host's first frames ended proxying: awake" "$(state $H1)" awake
expect_eq "repair: an Override NA with the host's own MAC for each IPv6 address" \
	"$(count_fixed "$(unsol_na $H1_6 $H1)" "$tmp/awake6.pcap.txt"),$(count_fixed "$(unsol_na $H1_LL $H1)" "$tmp/awake6.pcap.txt"),$(count_fixed "$(unsol_na $H1_TMP $H1)" "$tmp/awake6.pcap.txt")" 1,1,1
expect_eq "the client's neighbour entry for $H1_6 now has the host's MAC" \
	"$(client_lladdr $H1_6)" $H1
pcl ping -6 -c 1 -W 2 $H1_6 >/dev/null 2>&1 || fail "the awake host does not answer the client's ping"
ok "the awake host answers the client's ping itself: traffic passes untouched"
expect_eq "NS for $H1_6 are now answered by the host, not by br0" \
	"$(pkt $cl ns eth0 --target $H1_6 | grep -c "tlla=$BR" || true)" 0
# Back to sleep.
phs sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1

# ---------------------------------------------------------------- h. IPv6-only host

sp add-host dev br0 mac $H2 ip $H2_6 tcp any wake-count 1
wait_proxying $H2
cap_start $hs eth0 "$tmp/h2.pcap"
pkt $cl syn eth0 --eth-dst $BR --src $CL6 --dst $H2_6 --dport 1234
wait_until 5 state_is $H2 woken || fail "a SYN did not wake the IPv6-only host 2"
# The client retransmits: at most once a second that asks the host whether
# it is up (a retransmit 5 s on re-sends the wake instead).  Two SYNs a
# second apart from one process: starting one can take longer than 5 s
# on a loaded machine, and then every SYN would be a new wake.
syn_h2() {
	pkt $cl syn eth0 --eth-dst $BR --src $CL6 --dst $H2_6 --dport 1234 \
		--variant normal --variant normal --gap 1.1
	[[ $(hstat $H2 awake_probes) -ge 1 ]] || { sleep 1; false; }
}
wait_until 10 syn_h2 || fail "host 2 was never asked whether it is up"
h2_probe="^ns eth_src=$BR eth_dst=$H2 ip_src=$GW6 ip_dst=$H2_6 hlim=255 target=$H2_6 slla=$BR\$"
cap_wait_re "$tmp/h2.pcap" "$h2_probe" "$(hstat $H2 awake_probes)" || true
cap_stop "$tmp/h2.pcap"
eth=$(count_re "$(wol_eth_re $H2)" "$tmp/h2.pcap.txt")
expect_eq "IPv6-only host 2: woken by a SYN, one magic packet of each form per wake" \
	"$(( eth >= 1 )),$(count_re "$(wol_udp_re $H2)" "$tmp/h2.pcap.txt"),$(hstat $H2 wakes)" "1,$eth,$eth"
expect_eq "...then asked whether it is up with a unicast NS to its MAC" \
	"$(count_re "$h2_probe" "$tmp/h2.pcap.txt")" "$(hstat $H2 awake_probes)"

# ---------------------------------------------------------------- i. delete

sp del-host dev br0 mac $H1
sp del-host dev br0 mac $H2
for g in ff02::1:ff00:4 ff02::1:ffaa:bbcc ff02::1:ff40:6d11 ff02::1:ff00:5; do
	! has_group $g || fail "br0 is still in $g after del-host"
done
ok "del-host: br0 left the solicited-node groups of the hosts' addresses"
expect_eq "...and its own group (ff02::1:ff00:1) stays" "$(has_group ff02::1:ff00:1 && echo yes)" yes
expect_eq "after del-host br0 no longer answers NS for $H1_6" \
	"$(pkt $cl ns eth0 --target $H1_6)" ""

# ---------------------------------------------------------------- j. rmmod under an IPv6 flood

add_host1
wait_proxying $H1
ip netns exec $cl python3 "$PKT" flood eth0 --eth-dst $BR --src $CL6 --dst $H1_6 \
	--dport 22 --seconds 300 2>"$tmp/flood6.out" &
flood=$!
bg_pids+=( "$flood" )
sleep 3
kill -0 $flood 2>/dev/null || fail "the NS+SYN flood did not start: $(cat "$tmp/flood6.out")"
ns1=$(hstat $H1 ns_requests)
sleep 1
ns2=$(hstat $H1 ns_requests)
[[ $ns2 -gt $ns1 ]] || fail "ns_requests does not move under the flood ($ns1 -> $ns2)"
ok "an IPv6 flood of NS and SYNs runs ($((ns2 - ns1)) NS/s seen)"
rmmod sleepproxy || fail "rmmod with an IPv6 host registered and a flood running"
ok "rmmod sleepproxy under the IPv6 flood"
expect_eq "the module's groups went with it" \
	"$(has_group ff02::1:ff00:4 && echo joined || echo left)" left
load_module
echo 300 >$grace
add_host1
wait_taken_over $H1
# From a MAC of its own: the flood has spent the client's share of answers.
expect_eq "after the reload NS are answered again" \
	"$(pkt $cl ns eth0 --target $H1_LL --eth-src 52:54:00:00:00:99 | head -n 1)" \
	"$(na_line 52:54:00:00:00:99 $CL_LL SO $H1_LL $BR)"
rmmod sleepproxy || fail "final rmmod with the flood still running"
ok "final rmmod sleepproxy, flood still running"
kill $flood 2>/dev/null || true
wait $flood 2>/dev/null || true

done_ok=1
echo "$n passed, 0 failed"
