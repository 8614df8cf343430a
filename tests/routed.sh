#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Waking from elsewhere: SYNs routed to a sleeping host from another subnet
# (IPv4 and IPv6), through a WireGuard tunnel and through a DNAT
# port-forward from a WAN, a connect()
# from the gateway itself, Wake-on-LAN relay (UDP 7 and 9 to the host's
# address from far and near, to its subnet's broadcast address from far,
# ethertype 0x0842 on another interface; never for an unknown MAC or
# without the host's SecureOn password), and hosts on VLAN devices over a
# bridge with and without vlan_filtering.
#
#      far (10.0.2.2, 2001:db8:2::2)        wan (203.0.113.2)
#           | eth0                               | eth0
#           | vfar 10.0.2.1                      | vwan 203.0.113.1, DNAT :2222 -> host:22
#   +-------+------------------ gateway ---------+--------+
#   |   br0 192.168.1.1, 2001:db8:1::1; br0.10 192.168.10.1  |
#   +------------+--------------------------+-----------------+
#                | vcl                      | vhs
#             client                      host (sleeps)
#
# Run as root where kernel/sleepproxy.ko can be loaded (`make vmtest`).

set -e
set -E

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
repo=$(cd "$here/.." && pwd -P)
SPCTL=${SLEEPPROXY_SPCTL:-$repo/tools/spctl/spctl}
KO=${SLEEPPROXY_KO:-$repo/kernel/sleepproxy.ko}
PKT="$repo/tests/lib/pkt.py"

gw=gwr$$ cl=clr$$ hs=hsr$$ far=far$$ wan=wan$$
netns_extra=( $far $wan )
BR=52:54:00:00:00:01
CL=52:54:00:00:00:02
H1=52:54:00:aa:bb:cc
H2=52:54:00:aa:bb:dd
OTHER=52:54:00:77:77:77
BCAST=ff:ff:ff:ff:ff:ff
GW_IP=192.168.1.1 CL_IP=192.168.1.2 H1_IP=192.168.1.4
GW6=2001:db8:1::1 H1_6=2001:db8:1::4
FAR_GW=10.0.2.1 FAR_IP=10.0.2.2 FAR_GW6=2001:db8:2::1 FAR6=2001:db8:2::2
WAN_GW=203.0.113.1 WAN_IP=203.0.113.2
PW=de:ad:be:ef

# shellcheck source=tests/lib/common.sh
. "$repo/tests/lib/common.sh"

params=/sys/module/sleepproxy/parameters
# IP for the sleeping host in a capture on its link (the proxy's own ARP
# question to a woken host, and other stations' chatter, are not).
to_host="^(tcp|tcp6|icmp|icmp6|udp|udp6|ipv4|ipv6) .*(eth_dst=$H1|ip_dst=($H1_IP|$H1_6) )"
pfar() { ip netns exec $far "$@"; }
pwan() { ip netns exec $wan "$@"; }

# connect_from NS ADDR PORT SECS: a real connect(); exit status 124 when it
# is still waiting SECS seconds after it began (counted from the connect(),
# not from starting python, which a loaded machine can make take seconds),
# 0 once it completes.
connect_from() {
	ip netns exec "$1" python3 -c '
import socket, sys
try:
    socket.create_connection((sys.argv[1], int(sys.argv[2])),
                             timeout=float(sys.argv[3])).close()
except socket.timeout:
    sys.exit(124)' "$2" "$3" "$4"
}

# listen_on_host: the woken host accepts one connection on port 22.
listen_on_host() {
	ip netns exec $hs python3 -c '
import socket
s = socket.socket(socket.AF_INET6)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("::", 22))
s.listen(1)
s.settimeout(60)
s.accept()[0].close()' 2>"$tmp/listen.err" &
	listener=$!
	bg_pids+=( "$listener" )
	wait_until 20 listening $hs 22 ||
		fail "the host's listener did not start: $(cat "$tmp/listen.err")"
}
held_is() { [[ $(hstat $H1 syn_held) == "$1" ]]; }

# The host wakes: its addresses and a way back to the far subnet.
host_up() {
	phs sysctl -qw net.ipv6.conf.eth0.disable_ipv6=0 \
		net.ipv6.conf.eth0.accept_dad=0
	ip -n $hs addr add $H1_IP/24 dev eth0
	ip -n $hs addr add $H1_6/64 dev eth0 nodad
	ip -n $hs route add default via $GW_IP
	ip -n $hs -6 route add default via $GW6
}

host_down() {
	phs sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1
	ip -n $hs addr flush dev eth0 scope global
	ip -n $hs route flush default 2>/dev/null || true
	ip -n $hs -6 route flush default 2>/dev/null || true
}

# A fresh registration of host 1, taken over.
register1() {
	sp del-host dev br0 mac $H1 2>/dev/null || true
	pgw ip neigh flush dev br0
	sp add-host dev br0 mac $H1 ip $H1_IP ip $H1_6 tcp 22 "$@"
	wait_taken_over $H1
}

# wol_udp NS DST PORT MAC [PASSWORD]: a magic packet over UDP, as
# `wakeonlan -i DST -p PORT MAC` sends it ($WOL_COUNT times, at once).
wol_udp() {
	ip netns exec "$1" python3 -c '
import os, socket, sys
mac = bytes.fromhex(sys.argv[3].replace(":", ""))
pw = bytes.fromhex(sys.argv[4].replace(":", "")) if len(sys.argv) > 4 else b""
s = socket.socket(socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET,
                  socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
for _ in range(int(os.environ.get("WOL_COUNT", "1"))):
    s.sendto(b"\xff" * 6 + mac * 16 + pw, (sys.argv[1], int(sys.argv[2])))' \
		"$2" "$3" "$4" ${5:+"$5"}
}

# wol_raw NS IFACE MAC: a magic packet as an Ethernet frame of type 0x0842.
wol_raw() {
	ip netns exec "$1" python3 -c '
import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[1], 0))
src = open("/sys/class/net/%s/address" % sys.argv[1]).read().strip()
mac = bytes.fromhex(sys.argv[2].replace(":", ""))
s.send(b"\xff" * 6 + bytes.fromhex(src.replace(":", "")) + b"\x08\x42" +
       b"\xff" * 6 + mac * 16)' "$2" "$3"
}

make_topology
# IPv6 on the gateway and the client; the host gets it when it wakes (a
# sleeping host sends nothing).
for ns in $gw $cl; do
	ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=0 \
		net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_dad=0
done
pgw sysctl -qw net.ipv6.conf.br0.accept_dad=0 net.ipv4.ip_forward=1 \
	net.ipv6.conf.all.forwarding=1
ip -n $gw addr add $GW6/64 dev br0 nodad
for ns in $far $wan; do
	ip netns add $ns
	ip -n $ns link set lo up
done
ip -n $gw link add vfar type veth peer name eth0 netns $far
ip -n $gw link add vwan type veth peer name eth0 netns $wan
ip -n $gw addr add $FAR_GW/24 dev vfar
ip -n $gw addr add $FAR_GW6/64 dev vfar nodad
ip -n $gw addr add $WAN_GW/24 dev vwan
ip -n $gw link set vfar up
ip -n $gw link set vwan up
ip -n $far addr add $FAR_IP/24 dev eth0
ip -n $far addr add $FAR6/64 dev eth0 nodad
ip -n $far link set eth0 up
ip -n $far route add default via $FAR_GW
ip -n $far -6 route add default via $FAR_GW6
ip -n $wan addr add $WAN_IP/24 dev eth0
ip -n $wan link set eth0 up
ip -n $wan route add default via $WAN_GW
pgw nft -f - <<EOF
table ip sp_nat {
	chain prerouting {
		type nat hook prerouting priority dstnat;
		iifname "vwan" tcp dport 2222 dnat to $H1_IP:22
	}
}
EOF
echo 300 >$params/awake_grace_ms
echo 0 >$params/max_wakes_per_sec
ok "topology: a far subnet, a WAN with a port-forward"

# ---------------------------------------------------------------- a. a routed SYN

register1
cap_start $hs eth0 "$tmp/far.pcap"
cap_start $far eth0 "$tmp/far-back.pcap"
rc=0
connect_from $far $H1_IP 22 3 || rc=$?
cap_stop "$tmp/far.pcap"
cap_stop "$tmp/far-back.pcap"
expect_eq "a connect() from the far subnet gets no answer while the host sleeps" $rc 124
expect_eq "...it wakes the host: both magic packet forms on the host's link" \
	"$(state $H1),$(count_re "$(wol_eth_re $H1)" "$tmp/far.pcap.txt"),$(count_re "$(wol_udp_re $H1)" "$tmp/far.pcap.txt")" \
	"woken,3,3"
expect_eq "...and nothing of it reaches the sleeping host, nor an ICMP error the sender" \
	"$(count_re "$to_host" "$tmp/far.pcap.txt"),$(count_re "^icmp.* ip_dst=($FAR_IP|$FAR6) " "$tmp/far-back.pcap.txt")" "0,0"
expect_eq "the wake log: a SYN from $FAR_IP, routed in on vfar, to port 22" \
	"$(hostval $H1 '.wakes[0] | [.reason, .via, .in_dev, .src, .dport, .src_mac] | map(tostring) | join(" ")')" \
	"syn routed vfar $FAR_IP 22 null"
expect_eq "...and the frame behind it, from its IP header" \
	"$(hostval $H1 '.wake_frame[0:2]')" 45
sp show -d dev br0 | grep -q -E "^    wake syn [0-9.]+s ago from $FAR_IP port [0-9]+ routed in on vfar to port 22\$" ||
	fail "show -d: $(sp show -d dev br0 | grep '^    wake')"
ok "show -d: a SYN from the far subnet, routed in on vfar"

# The host comes up; the far client's retransmitted SYN gets through.
listen_on_host
connect_from $far $H1_IP 22 40 2>"$tmp/far-connect.err" &
client=$!
bg_pids+=( "$client" )
# Its first SYN is kept before the host comes up (the client may take
# longer than a second to start on a slow machine).
wait_until 30 held_is 2 ||
	fail "the second connect()'s SYN was not kept: syn_held $(hstat $H1 syn_held)"
host_up
rc=0; wait $client || rc=$?
expect_eq "a connect() from the far subnet completes once the host is up" \
	"$rc,$(state $H1)" "0,awake"
# The SYN of the connect() abandoned above was kept and is replayed too
# (the far client answers the host's SYN-ACK with a reset).
expect_eq "...through its first SYN, kept and replayed through its route" \
	"$(hostval $H1 '.stats | [.syn_held, .syn_replayed] | map(tostring) | join(" ")')" "2 2"
wait $listener || true
host_down

# ---------------------------------------------------------------- a2. through WireGuard

wg genkey >"$tmp/k1"
wg genkey >"$tmp/k2"
ip -n $gw link add wg0 type wireguard
ip -n $far link add wg0 type wireguard
pgw wg set wg0 private-key "$tmp/k1" listen-port 51820 \
	peer "$(wg pubkey <"$tmp/k2")" allowed-ips 10.9.9.2/32
pfar wg set wg0 private-key "$tmp/k2" \
	peer "$(wg pubkey <"$tmp/k1")" allowed-ips 10.9.9.1/32,192.168.1.0/24 \
	endpoint $FAR_GW:51820
ip -n $gw addr add 10.9.9.1/24 dev wg0
ip -n $far addr add 10.9.9.2/24 dev wg0
ip -n $gw link set wg0 up
ip -n $far link set wg0 up
ip -n $far route add 192.168.1.0/24 dev wg0
register1
rc=0
connect_from $far $H1_IP 22 3 || rc=$?
expect_eq "a connect() through a WireGuard tunnel wakes the host: routed in on wg0" \
	"$rc,$(state $H1),$(hostval $H1 '.wakes[0] | [.via, .in_dev, .src] | join(" ")')" \
	"124,woken,routed wg0 10.9.9.2"
ip -n $far route del 192.168.1.0/24 dev wg0

# ---------------------------------------------------------------- b. IPv6, DNAT

register1
rc=0
connect_from $far $H1_6 22 3 || rc=$?
expect_eq "an IPv6 connect() from the far subnet wakes the host" \
	"$rc,$(state $H1),$(hostval $H1 '.wakes[0] | [.via, .src] | join(" ")')" \
	"124,woken,routed $FAR6"

register1
rc=0
connect_from $wan $WAN_GW 2222 3 || rc=$?
expect_eq "a connect() to the WAN port-forward wakes the host (after DNAT: port 22)" \
	"$rc,$(state $H1),$(hostval $H1 '.wakes[0] | [.via, .in_dev, .src, .dport] | map(tostring) | join(" ")')" \
	"124,woken,routed vwan $WAN_IP 22"

# ---------------------------------------------------------------- c. from the gateway itself

register1
listen_on_host
connect_from $gw $H1_IP 22 40 2>"$tmp/local-connect.err" &
client=$!
bg_pids+=( "$client" )
wait_until 10 state_is $H1 woken || fail "the gateway's own connect() did not wake the host"
sleep 2
expect_eq "the gateway's own connect() wakes the host and is still waiting (no EPERM, no EHOSTUNREACH)" \
	"$(kill -0 $client 2>/dev/null && echo waiting || echo "ended: $(cat "$tmp/local-connect.err")"),$(hostval $H1 '.wakes[0] | [.via, .src] | join(" ")')" \
	"waiting,local $GW_IP"
host_up
rc=0; wait $client || rc=$?
expect_eq "...and completes once the host is up" "$rc,$(state $H1)" "0,awake"
wait $listener || true
host_down

# ---------------------------------------------------------------- d. nothing else leaks

register1
dropped=$(hstat $H1 dropped)
cap_start $hs eth0 "$tmp/leak.pcap"
cap_start $far eth0 "$tmp/leak-back.pcap"
pfar python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(b"x", ("'$H1_IP'", 5000))
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.sendto(b"x", ("'$H1_6'", 5000))'
pfar ping -c 1 -W 1 $H1_IP >/dev/null 2>&1 || true
pgw ping -c 1 -W 1 $H1_IP >/dev/null 2>&1 || true
sleep 1
cap_stop "$tmp/leak.pcap"
cap_stop "$tmp/leak-back.pcap"
expect_eq "routed UDP and pings, a ping from the gateway: nothing reaches the host, no ICMP back" \
	"$(count_re "$to_host" "$tmp/leak.pcap.txt"),$(count_re "^icmp.* ip_dst=($FAR_IP|$FAR6) " "$tmp/leak-back.pcap.txt"),$(state $H1)" \
	"0,0,proxying"
expect_eq "...each one counted as dropped" "$(( $(hstat $H1 dropped) - dropped ))" 4

# ---------------------------------------------------------------- e. Wake-on-LAN relay (R31)

relay_case() { # DESCRIPTION WANT_RELAYED COMMAND...
	local what=$1 want=$2 before
	shift 2
	register1 "${relay_opts[@]}"
	before=$(hstat $H1 magic_relayed)
	cap_start $hs eth0 "$tmp/relay.pcap"
	"$@"
	sleep 1
	cap_stop "$tmp/relay.pcap"
	expect_eq "$what" \
		"$(( $(hstat $H1 magic_relayed) - before )),$(count_re "$(wol_eth_re $H1 "$relay_pw")" "$tmp/relay.pcap.txt"),$(count_re "$(wol_udp_re $H1 "$relay_pw")" "$tmp/relay.pcap.txt")" \
		"$want"
}
relay_opts=() relay_pw=
relay_case "UDP 9 to the host's address from the far subnet: relayed, both forms" \
	1,3,3 wol_udp $far $H1_IP 9 $H1
expect_eq "...recorded as a magic packet from $FAR_IP, routed, to port 9" \
	"$(hostval $H1 '.wakes[0] | [.reason, .via, .src, .dport] | map(tostring) | join(" ")'),$(state $H1)" \
	"magic routed $FAR_IP 9,woken"
relay_case "UDP 7 to the host's address from the LAN: relayed" \
	1,3,3 wol_udp $cl $H1_IP 7 $H1
relay_case "UDP 9 to the host's IPv6 address from the far subnet: relayed" \
	1,3,3 wol_udp $far $H1_6 9 $H1
relay_case "UDP 9 to 192.168.1.255 (the host's subnet) from the far subnet: relayed" \
	1,3,3 wol_udp $far 192.168.1.255 9 $H1
relay_case "ethertype 0x0842 on another interface (vfar): relayed" \
	1,3,3 wol_raw $far eth0 $H1
relay_case "a magic packet for another MAC to the host's address: not relayed" \
	0,0,0 wol_udp $far $H1_IP 9 $OTHER
relay_case "0x0842 for another MAC: not relayed" \
	0,0,0 wol_raw $far eth0 $OTHER
relay_case "UDP 9 to port 10 instead: not a magic packet" \
	0,0,0 wol_udp $far $H1_IP 10 $H1
relay_opts=( password $PW ) relay_pw=$PW
relay_case "with a SecureOn password registered, a magic packet without it: not relayed" \
	0,0,0 wol_udp $far $H1_IP 9 $H1
relay_case "...with it: relayed, and the relayed packets carry it" \
	1,3,3 wol_udp $far $H1_IP 9 $H1 $PW
relay_opts=() relay_pw=
register1
echo 1 >$params/max_wakes_per_sec
sleep 1
WOL_COUNT=5 wol_udp $far $H1_IP 9 $H1
sleep 0.5
expect_eq "five relays within a second with max_wakes_per_sec 1: the budget holds them back" \
	"$(hstat $H1 magic_relayed),$(( $(hstat $H1 wakes_suppressed) >= 3 ))" "1,1"
echo 0 >$params/max_wakes_per_sec
sp del-host dev br0 mac $H1

# ---------------------------------------------------------------- f. VLANs (R1)

vlan_round() { # LABEL
	local label=$1
	pgw ip link add link br0 name br0.10 type vlan id 10
	pgw ip addr add 192.168.10.1/24 dev br0.10
	pgw ip link set br0.10 up
	pcl ip link add link eth0 name eth0.10 type vlan id 10
	pcl ip addr add 192.168.10.2/24 dev eth0.10
	pcl ip link set eth0.10 up
	sp add-host dev br0.10 mac $H2 ip 192.168.10.5 tcp 22
	wait_taken_over $H2
	expect_eq "$label: ARP on VLAN 10 for the host on br0.10: answered" \
		"$(pkt $cl arp eth0 --vlan 10 --spa 192.168.10.2 --tpa 192.168.10.5 | grep -c "sha=$BR" || true)" 1
	expect_eq "$label: the same ARP untagged: not answered" \
		"$(pkt $cl arp eth0 --spa 192.168.10.2 --tpa 192.168.10.5 | grep -c "sha=$BR" || true)" 0
	cap_start $hs eth0 "$tmp/vlan.pcap"
	rc=0
	connect_from $cl 192.168.10.5 22 3 || rc=$?
	cap_stop "$tmp/vlan.pcap"
	expect_eq "$label: a connect() on VLAN 10 wakes the host, magic packets tagged 10 only" \
		"$rc,$(state $H2),$(count_re "^vlan=10 wol-" "$tmp/vlan.pcap.txt"),$(count_re "^wol-" "$tmp/vlan.pcap.txt")" \
		"124,woken,6,0"
	sp del-host dev br0.10 mac $H2
	pgw ip link del br0.10
	pcl ip link del eth0.10
}
vlan_round "bridge without vlan_filtering"
pgw ip link set br0 type bridge vlan_filtering 1
pgw bridge vlan add dev br0 vid 10 self
pgw bridge vlan add dev vcl vid 10
pgw bridge vlan add dev vhs vid 10
vlan_round "bridge with vlan_filtering 1"
pgw ip link set br0 type bridge vlan_filtering 0

rmmod sleepproxy
ok "rmmod"

done_ok=1
echo "$n passed, 0 failed"
