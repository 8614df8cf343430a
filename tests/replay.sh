#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# SYN replay: a host namespace that resumes a second and a half after its
# magic packet (takes its address, listens, announces itself); three
# clients whose connect()s woke it complete through the SYNs the proxy
# kept, each replayed exactly once with the client's own bytes; a SYN that
# outlives syn_hold_ms is freed and never sent; syn_hold_max bounds what a
# host keeps; del-host and rmmod free what is held.  Same topology as
# tests/netns.sh.
#
# Run as root where kernel/sleepproxy.ko can be loaded (`make vmtest`).

set -e
set -E

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
repo=$(cd "$here/.." && pwd -P)
SPCTL=${SLEEPPROXY_SPCTL:-$repo/tools/spctl/spctl}
KO=${SLEEPPROXY_KO:-$repo/kernel/sleepproxy.ko}
PKT="$repo/tests/lib/pkt.py"

gw=gwp$$ cl=clp$$ hs=hsp$$
BR=52:54:00:00:00:01
CL=52:54:00:00:00:02
H1=52:54:00:aa:bb:cc
BCAST=ff:ff:ff:ff:ff:ff
GW_IP=192.168.1.1 CL_IP=192.168.1.2 H1_IP=192.168.1.4
GW6=2001:db8:1::1 CL6=2001:db8:1::2 H1_6=2001:db8:1::4

# shellcheck source=tests/lib/common.sh
. "$repo/tests/lib/common.sh"

params=/sys/module/sleepproxy/parameters

register1() { # [ADD-HOST ARGS...]
	sp del-host dev br0 mac $H1 2>/dev/null || true
	sp add-host dev br0 mac $H1 ip $H1_IP ip $H1_6 tcp 22 "$@"
	wait_proxying $H1
}

# The host resumes DELAY seconds after its first magic packet: it takes
# its addresses (IPv6 too), listens on port 22 for N connections and
# announces itself with a gratuitous ARP, as a resuming machine does.
host_resumes() { # DELAY N
	ip netns exec $hs python3 - "$1" "$2" "$H1_IP" "$H1_6" <<'EOF' >"$tmp/resume.out" 2>&1 &
import socket, struct, subprocess, sys, time
delay, n, ip, ip6 = float(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
raw = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0842))
raw.bind(("eth0", 0))
raw.settimeout(60)
print("ready", flush=True)
raw.recv(2048)
time.sleep(delay)
subprocess.run(["ip", "addr", "add", ip + "/24", "dev", "eth0"], check=True)
# Listening before IPv6 comes up: its first frame (an MLD report) shows
# the host awake, and the SYNs are replayed at once.
srv = socket.socket(socket.AF_INET6)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
srv.bind(("::", 22))
srv.listen(8)
subprocess.run(["sysctl", "-qw", "net.ipv6.conf.eth0.accept_dad=0",
                "net.ipv6.conf.eth0.disable_ipv6=0"], check=True)
subprocess.run(["ip", "addr", "add", ip6 + "/64", "dev", "eth0", "nodad"],
               check=True)
mac = bytes.fromhex(open("/sys/class/net/eth0/address").read().strip().replace(":", ""))
a = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
a.bind(("eth0", 0))
spa = socket.inet_aton(ip)
a.send(b"\xff" * 6 + mac + b"\x08\x06" +
       struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + mac + spa + b"\0" * 6 + spa)
print("up", time.monotonic(), flush=True)
srv.settimeout(30)
for _ in range(n):
    srv.accept()[0].close()
print("served", n, flush=True)
EOF
	resumer=$!
	bg_pids+=( "$resumer" )
	# Listening for the magic packet before any client starts.
	wait_until 20 grep -q '^ready' "$tmp/resume.out" ||
		fail "the host's resumer did not start: $(cat "$tmp/resume.out")"
}

# syns_from PCAP MAC PORT: "sport seq hexbytes" of each TCP SYN to PORT from
# MAC in PCAP, IPv4 or IPv6 packet bytes whole.
syns_from() {
	python3 - "$@" <<'EOF'
import struct, sys
path, mac, port = sys.argv[1], bytes.fromhex(sys.argv[2].replace(":", "")), int(sys.argv[3])
data = open(path, "rb").read()
off = 24
while off + 16 <= len(data):
    incl = struct.unpack("<I", data[off + 8:off + 12])[0]
    frame = data[off + 16:off + 16 + incl]
    off += 16 + incl
    if len(frame) < 54 or frame[6:12] != mac:
        continue
    ip = frame[14:]
    if frame[12:14] == b"\x08\x00":
        ihl = (ip[0] & 15) * 4
        tot = struct.unpack("!H", ip[2:4])[0]
        proto = ip[9]
    elif frame[12:14] == b"\x86\xdd" and len(ip) >= 40:
        ihl = 40
        tot = 40 + struct.unpack("!H", ip[4:6])[0]
        proto = ip[6]
    else:
        continue
    tcp = ip[ihl:tot]
    if proto != 6 or len(tcp) < 20 or struct.unpack("!H", tcp[2:4])[0] != port:
        continue
    if tcp[13] & 0x12 != 0x02:
        continue
    print(struct.unpack("!H", tcp[0:2])[0], struct.unpack("!I", tcp[4:8])[0],
          ip[:tot].hex())
EOF
}

# wait_syns PCAP MAC COUNT: until the running capture holds COUNT SYNs.
wait_syns() {
	local end=$((SECONDS + 15))

	while [[ $(syns_from "$1" "$2" 22 | wc -l) -lt $3 && $SECONDS -lt $end ]]; do
		sleep 0.5
	done
}

make_topology
pgw sysctl -qw net.ipv6.conf.br0.accept_dad=0 net.ipv6.conf.br0.disable_ipv6=0
pcl sysctl -qw net.ipv6.conf.eth0.accept_dad=0 net.ipv6.conf.eth0.disable_ipv6=0
ip -n $gw addr add $GW6/64 dev br0 nodad
ip -n $cl addr add $CL6/64 dev eth0 nodad
echo 300 >$params/awake_grace_ms
ok "topology"

# ---------------------------------------------------------------- a. three clients, one wake

register1
host_resumes 1.5 3
cap_start $hs eth0 "$tmp/host.pcap"
cap_start $cl eth0 "$tmp/client.pcap"
ip netns exec $cl python3 - $H1_IP <<'EOF' >"$tmp/clients.out" 2>&1 &
import socket, sys, threading
ok = []
def one():
    socket.create_connection((sys.argv[1], 22), timeout=40).close()
    ok.append(1)
ts = [threading.Thread(target=one) for _ in range(3)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print("connected", len(ok))
EOF
clients=$!
bg_pids+=( "$clients" )
rc=0; wait $clients || rc=$?
wait $resumer || true
# tcpdump may be seconds behind under an emulated CPU.
wait_syns "$tmp/host.pcap" $BR 3
wait_syns "$tmp/client.pcap" $CL 3
cap_stop "$tmp/host.pcap" quiet
cap_stop "$tmp/client.pcap" quiet
expect_eq "three clients whose connect() woke the host all complete" \
	"$rc,$(cat "$tmp/clients.out"),$(grep -c '^served 3' "$tmp/resume.out")" "0,connected 3,1"
syns_from "$tmp/host.pcap" $BR 22 | sort >"$tmp/replayed"
syns_from "$tmp/client.pcap" $CL 22 | sort -k1,1n -k2,2n -u >"$tmp/sent"
expect_eq "the host got one replayed SYN per client, from the proxy's MAC" \
	"$(wc -l <"$tmp/replayed"),$(cut -d' ' -f1 "$tmp/replayed" | sort -u | wc -l)" "3,3"
# Each client's first SYN (its retransmits carry the same sequence number).
same_bytes=0
while read -r sport seq bytes; do
	grep -q -x "$sport $seq $bytes" "$tmp/sent" && same_bytes=$((same_bytes + 1))
done <"$tmp/replayed"
expect_eq "...each with the client's own bytes, above the Ethernet header" "$same_bytes" 3
expect_eq "no SYN reached the host from a client directly before it answered the replay" \
	"$(syns_from "$tmp/host.pcap" $CL 22 | wc -l)" 0
expect_eq "counters: 3 held, 3 replayed, none expired or dropped" \
	"$(hostval $H1 '.stats | [.syn_held, .syn_replayed, .syn_expired, .syn_dropped] | map(tostring) | join(" ")')" \
	"3 3 0 0"
last=$(hostval $H1 .last_wake_ms)
[[ $last -ge 1000 ]] || fail "last_wake_ms is $last, the host took 1.5 s"
ok "show says how long the wake took ($last ms)"
sp show dev br0 | grep -q "last-wake-took " || fail "show has no last-wake-took"
ok "show: last-wake-took"
ip -n $hs addr flush dev eth0
phs sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1

# ---------------------------------------------------------------- a6. over IPv6

register1
host_resumes 1.5 1
cap_start $hs eth0 "$tmp/host6.pcap"
cap_start $cl eth0 "$tmp/client6.pcap"
rc=0
pcl python3 -c 'import socket, sys
socket.create_connection((sys.argv[1], 22), timeout=40).close()' $H1_6 || rc=$?
wait $resumer || true
wait_syns "$tmp/host6.pcap" $BR 1
wait_syns "$tmp/client6.pcap" $CL 1
cap_stop "$tmp/host6.pcap" quiet
cap_stop "$tmp/client6.pcap" quiet
expect_eq "an IPv6 client whose connect() woke the host completes" \
	"$rc,$(grep -c '^served 1' "$tmp/resume.out")" "0,1"
syns_from "$tmp/host6.pcap" $BR 22 >"$tmp/replayed6"
syns_from "$tmp/client6.pcap" $CL 22 | sort -u >"$tmp/sent6"
read -r sport seq bytes <"$tmp/replayed6" || true
expect_eq "...through one replayed IPv6 SYN with the client's own bytes" \
	"$(wc -l <"$tmp/replayed6"),${bytes:0:2},$(grep -c -x "$sport $seq $bytes" "$tmp/sent6")" "1,60,1"
expect_eq "...counted: held and replayed once" \
	"$(hostval $H1 '.stats | [.syn_held, .syn_replayed] | map(tostring) | join(" ")')" "1 1"
ip -n $hs addr flush dev eth0
phs sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1

# ---------------------------------------------------------------- b. a host that never wakes

echo 2500 >$params/wake_timeout_ms
register1
ip netns exec $gw "$SPCTL" monitor -j >"$tmp/monitor.out" 2>&1 &
bg_pids+=( "$!" )
cap_start $hs eth0 "$tmp/rounds.pcap"
pkt $cl syn eth0 --eth-dst $BR --src $CL_IP --dst $H1_IP --dport 22 --sport 40101
wait_until 8 state_is $H1 proxying || fail "the failed wake did not end (state $(state $H1))"
end=$((SECONDS + 10))
while [[ $(python3 "$PKT" pcap "$tmp/rounds.pcap" 2>/dev/null | grep -c -E "$(wol_eth_re $H1)") -lt 9 &&
	$SECONDS -lt $end ]]; do
	sleep 0.5
done
cap_stop "$tmp/rounds.pcap"
# The first burst, rounds 0.5 s and 1.5 s later, then (3.5 s) the timeout.
expect_eq "a host that never wakes: two rounds after the first burst, then a failed wake" \
	"$(hostval $H1 '.stats | [.wakes, .wake_rounds, .wakes_failed] | map(tostring) | join(" ")'),$(count_re "$(wol_eth_re $H1)" "$tmp/rounds.pcap.txt")" \
	"1 2 1,9"
expect_eq "...its held SYN freed (expired), the host proxied again" \
	"$(hostval $H1 '.stats | [.syn_held, .syn_expired, .syn_replayed] | map(tostring) | join(" ")'),$(state $H1)" \
	"1 1 0,proxying"
expect_eq "spctl monitor: the wake, then proxying again" \
	"$(jq -r --arg m $H1 'select(.mac == $m) | .event' "$tmp/monitor.out" | xargs)" "wake proxying"

# A host's own wake timeout wins over the module's, either way.
echo 60000 >$params/wake_timeout_ms
register1 wake-timeout 2.5
expect_eq "show -j: the host's wake_timeout_ms" "$(hostval $H1 .wake_timeout_ms)" 2500
pkt $cl syn eth0 --eth-dst $BR --src $CL_IP --dst $H1_IP --dport 22 --sport 40102
wait_until 8 state_is $H1 proxying || fail "the host's 2.5 s wake timeout did not end its wake"
expect_eq "wake-timeout 2.5 under a module default of 60 s: two rounds, then a failed wake" \
	"$(hostval $H1 '.stats | [.wakes, .wake_rounds, .wakes_failed] | map(tostring) | join(" ")')" "1 2 1"
echo 2500 >$params/wake_timeout_ms
register1 wake-timeout 0
pkt $cl syn eth0 --eth-dst $BR --src $CL_IP --dst $H1_IP --dport 22 --sport 40103
sleep 4
expect_eq "wake-timeout 0 under a module default of 2.5 s: one burst, no rounds, no failure" \
	"$(hostval $H1 '.stats | [.wakes, .wake_rounds, .wakes_failed] | map(tostring) | join(" ")'),$(state $H1)" "1 0 0,woken"
echo 60000 >$params/wake_timeout_ms

# ---------------------------------------------------------------- c. expiry, bounds, removal

echo 1000 >$params/syn_hold_ms
register1
pkt $cl syn eth0 --eth-dst $BR --src $CL_IP --dst $H1_IP --dport 22 --sport 40001
sleep 2.5
cap_start $hs eth0 "$tmp/late.pcap"
ip -n $hs addr add $H1_IP/24 dev eth0
phs arping -q -U -c 1 -I eth0 $H1_IP || true
wait_until 5 state_is $H1 awake || fail "the host was not seen awake"
sleep 0.5
cap_stop "$tmp/late.pcap" quiet
expect_eq "a SYN older than syn_hold_ms is freed, counted, never sent to the host" \
	"$(hostval $H1 '.stats | [.syn_held, .syn_expired, .syn_replayed] | map(tostring) | join(" ")'),$(syns_from "$tmp/late.pcap" $BR 22 | wc -l)" \
	"1 1 0,0"
ip -n $hs addr flush dev eth0
echo 30000 >$params/syn_hold_ms

echo 2 >$params/syn_hold_max
register1
for p in 40011 40012 40013; do
	pkt $cl syn eth0 --eth-dst $BR --src $CL_IP --dst $H1_IP --dport 22 --sport $p
done
pkt $cl syn eth0 --eth-dst $BR --src $CL_IP --dst $H1_IP --dport 22 --sport 40011
expect_eq "syn_hold_max 2: two flows kept, the third dropped, a retransmit not kept twice" \
	"$(hostval $H1 '.stats | [.syn_held, .syn_dropped, .syn_wake] | map(tostring) | join(" ")')" \
	"2 1 4"
sp del-host dev br0 mac $H1
ok "del-host with two SYNs held"
echo 16 >$params/syn_hold_max

register1
for p in 40021 40022 40023; do
	pkt $cl syn eth0 --eth-dst $BR --src $CL_IP --dst $H1_IP --dport 22 --sport $p
done
pkt $cl flood eth0 --eth-dst $BR --src $CL_IP --dst $H1_IP --dport 22 \
	--seconds 3 --rate 500 &
flood=$!
bg_pids+=( "$flood" )
sleep 1
rmmod sleepproxy
ok "rmmod with SYNs held, under a SYN flood"
wait $flood || true

done_ok=1
echo "$n passed, 0 failed"
