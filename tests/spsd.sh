#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# spsd, the Bonjour Sleep Proxy server, with real avahi-daemons and D-Bus,
# a client built on dnspython that sends what a Mac sends before it
# sleeps, and the module doing the packet work.
#
#   ┌──────────────────── $gw ────────────────────┐
#   │ spsd ── netlink ── sleepproxy.ko             │
#   │   └─ D-Bus ── avahi-daemon (gw.local)        │
#   │ br0 52:54:00:00:00:01 192.168.1.1 2001:db8:1::1
#   └──────┬──────────────────────────┬────────────┘
#        vcl                         vhs
#   ┌──────┴──────────── $cl ─┐   ┌───┴──────────── $hs ─┐
#   │ eth0 192.168.1.2        │   │ eth0 52:54:00:aa:bb:cc│
#   │ avahi-daemon, -browse   │   │ 192.168.1.4 while up: │
#   │ (a LAN peer)            │   │ registers, then sleeps│
#   └─────────────────────────┘   └───────────────────────┘
#
# Run as root where kernel/sleepproxy.ko can be loaded (`make vmtest`).
# One "ok N - ..." line per check; the first failure prints "not ok N -
# ...", the proxy's state, spsd's log and the captures, and exits 1.

set -e
set -E

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
repo=$(cd "$here/.." && pwd -P)
SPCTL=${SLEEPPROXY_SPCTL:-$repo/tools/spctl/spctl}
SPSD=${SLEEPPROXY_SPSD:-$repo/tools/spsd/spsd}
KO=${SLEEPPROXY_KO:-$repo/kernel/sleepproxy.ko}
PKT="$repo/tests/lib/pkt.py"
SPS="$repo/tests/lib/spsclient.py"

gw=gws$$ cl=cls$$ hs=hss$$
BR=52:54:00:00:00:01
CL=52:54:00:00:00:02
H1=52:54:00:aa:bb:cc
WAKE=52:54:00:aa:bb:ce
H2=52:54:00:aa:bb:dd
BCAST=ff:ff:ff:ff:ff:ff
GW_IP=192.168.1.1 CL_IP=192.168.1.2 H1_IP=192.168.1.4
GW6=2001:db8:1::1 CL6=2001:db8:1::2 H1_6=2001:db8:1::4
PASSWORD=5e:c0:4e:00:11:22

# shellcheck source=tests/lib/common.sh
. "$repo/tests/lib/common.sh"
# shellcheck source=tests/lib/avahi.sh
. "$repo/tests/lib/avahi.sh"

[[ -x $SPSD ]] || { echo "missing $SPSD (make)" >&2; exit 1; }
python3 -c 'import dns.update' 2>/dev/null ||
	{ echo "missing dnspython (python3-dnspython)" >&2; exit 1; }

# sps NS ARGS...: the test client in NS; JSON answers on stdout.
sps() { local ns=$1; shift; ip netns exec "$ns" python3 "$SPS" "$@"; }
# answers FILE: "rcode,lease" of each answer, space-separated.
answers() {
	jq -r '[(.rcode // "timeout"), (.lease // "-")] | join(",")' "$1" | xargs
}
# shape FILE: every answer has the request's ID, QR, opcode UPDATE, and
# options exactly as the rcode calls for (only the lease with NOERROR).
shape() {
	jq -e -s 'all(.[]; .qr == true and .opcode == 5 and
		(if .rcode == "NOERROR" then .options == [2] else .options == [] end))' \
		"$1" >/dev/null
}
spsd_log() { grep -c -F -- "$1" "$tmp/spsd.out" || true; }
gone() { [[ -z $(hostval "$1" .mac) ]]; }

make_topology
pgw sysctl -qw net.ipv6.conf.br0.accept_dad=0 net.ipv6.conf.br0.disable_ipv6=0
pcl sysctl -qw net.ipv6.conf.eth0.accept_dad=0 net.ipv6.conf.eth0.disable_ipv6=0
ip -n $gw addr add $GW6/64 dev br0 nodad
ip -n $cl addr add $CL6/64 dev eth0 nodad
echo 300 >/sys/module/sleepproxy/parameters/awake_grace_ms
ok "topology"

# ---------------------------------------------------------------- a. the service

avahi_start $gw br0 gw
avahi_start $cl eth0 client
cat >"$tmp/spsd.conf" <<EOF
# What an admin writes: the LAN, a name, a gateway's metrics.
interfaces = br0
name = Test Gateway
intent = 30
portability = 40
marginal_power = 35
total_power = 65
max_lease = 7200
EOF
# Not through avahi_env, a function: $! must be spsd itself for SIGTERM.
DBUS_SYSTEM_BUS_ADDRESS=unix:path=$tmp/avahi-$gw/bus \
	ip netns exec $gw "$SPSD" -c "$tmp/spsd.conf" -v >"$tmp/spsd.out" 2>&1 &
spsd_pid=$!
bg_pids+=( "$spsd_pid" )
wait_until 20 grep -q 'listening on UDP port' "$tmp/spsd.out" ||
	fail "spsd did not start: $(cat "$tmp/spsd.out")"
port=$(sed -n 's/.*listening on UDP port \([0-9]*\).*/\1/p' "$tmp/spsd.out")

wait_until 30 sh -c "[ -n \"\$(DBUS_SYSTEM_BUS_ADDRESS=unix:path=$tmp/avahi-$cl/bus \
	ip netns exec $cl timeout 10 avahi-browse -p -r -t _sleep-proxy._udp 2>/dev/null | grep '^=')\" ]" ||
	fail "the client never saw _sleep-proxy._udp"
browse $cl _sleep-proxy._udp | cut -d';' -f3,4,5,8,9 | sort -u >"$tmp/browse.out"
expect_eq "avahi-browse from the client: _sleep-proxy._udp, metrics in the name, spsd's port" \
	"$(tr '\n' ' ' <"$tmp/browse.out")" \
	"IPv4;30-40-35-65\\.0\\032Test\\032Gateway;_sleep-proxy._udp;$GW_IP;$port IPv6;30-40-35-65\\.0\\032Test\\032Gateway;_sleep-proxy._udp;$GW6;$port "

# ---------------------------------------------------------------- b. a Mac registers, in two updates

ip -n $hs addr add $H1_IP/24 dev eth0
sps $hs register $GW_IP $port --mac $H1 --wake-mac $WAKE --password $PASSWORD \
	--seq 1 --lease 90000 --name sleeper --instance Sleeper \
	--a $H1_IP --aaaa $H1_6 --aaaa fe80::5054:ff:feaa:bbcc \
	--service _ssh._tcp:22 --service _http._tcp:80 --split 2 \
	--edns-flags 0x8000 --keepalive >"$tmp/reg1.out"
expect_eq "two updates of one registration: NOERROR each, lease capped at max_lease" \
	"$(answers "$tmp/reg1.out")" "NOERROR,7200 NOERROR,7200"
shape "$tmp/reg1.out" || fail "answers not shaped as Apple's: $(cat "$tmp/reg1.out")"
ok "answers: same ID, QR, opcode UPDATE, one OPT with only the lease"
expect_eq "the module holds the host: both updates' ports, every address, spsd's" \
	"$(hostval $H1 '[.origin, (.tcp_ports|map(tostring)|join(",")), (.addrs|sort|join(",")), .lease, .wake_mac, .password] | join(" ")')" \
	"spsd 22,80 $H1_IP,$H1_6,fe80::5054:ff:feaa:bbcc 7200 $WAKE $PASSWORD"
expect_eq "spctl show marks it as spsd's" "$(sp show | grep -c "$H1.* origin spsd" || true)" 1

# The host goes to sleep: silent from now on.
ip -n $hs addr flush dev eth0
wait_proxying $H1

# ---------------------------------------------------------------- c. while it sleeps

pcl ping -c 1 -W 1 $H1_IP >/dev/null 2>&1 || true
expect_eq "ARP for the sleeper answered with br0's MAC" "$(client_lladdr $H1_IP)" $BR
pcl ping -6 -c 1 -W 1 $H1_6 >/dev/null 2>&1 || true
expect_eq "NS for the sleeper's IPv6 address answered with br0's MAC" \
	"$(client_lladdr $H1_6)" $BR

wait_until 30 sh -c "[ -n \"\$(DBUS_SYSTEM_BUS_ADDRESS=unix:path=$tmp/avahi-$cl/bus \
	ip netns exec $cl timeout 10 avahi-browse -p -r -t -k _http._tcp 2>/dev/null | grep '^=.*IPv4')\" ]" ||
	fail "the sleeper's services never appeared"
# The address a resolved service line shows is whichever record came
# first; the addresses are checked on their own below.
browse $cl _ssh._tcp >"$tmp/browse-ssh.out"
expect_eq "avahi-browse from the client: the sleeper's _ssh._tcp, published by spsd" \
	"$(grep -c ';IPv4;Sleeper;_ssh._tcp;local;sleeper.local;[^;]*;22;"txtvers=1"$' "$tmp/browse-ssh.out" || true)" 1
browse $cl _http._tcp >"$tmp/browse-http.out"
expect_eq "and _http._tcp from the other update: nothing lost" \
	"$(grep -c ';IPv4;Sleeper;_http._tcp;local;sleeper.local;[^;]*;80;' "$tmp/browse-http.out" || true)" 1
expect_eq "sleeper.local resolves to its IPv4 address" \
	"$(avahi_env $cl timeout 10 avahi-resolve -4 -n sleeper.local | cut -f2)" $H1_IP
expect_eq "and to its IPv6 addresses" \
	"$(avahi_env $cl timeout 10 avahi-resolve -6 -n sleeper.local | cut -f2 | grep -c -x -e $H1_6 -e fe80::5054:ff:feaa:bbcc)" 1

cap_start $cl eth0 "$tmp/wake.pcap"
rc=0
pcl timeout 3 bash -c "exec 3<>/dev/tcp/$H1_IP/22" 2>/dev/null || rc=$?
cap_stop "$tmp/wake.pcap"
[[ $rc -ne 0 ]] || fail "connect() to a sleeping host succeeded"
expect_eq "a SYN to the SRV port wakes the host: both magic packets for the wake MAC, with the password" \
	"$(count_re "$(wol_eth_re $WAKE $PASSWORD)" "$tmp/wake.pcap.txt" | awk '{print ($1 > 0)}'),$(count_re "$(wol_udp_re $WAKE $PASSWORD)" "$tmp/wake.pcap.txt" | awk '{print ($1 > 0)}')" 1,1

# ---------------------------------------------------------------- d. the host is back

ip -n $hs addr add $H1_IP/24 dev eth0
phs arping -c 2 -U -I eth0 $H1_IP >/dev/null 2>&1 || true
wait_until 10 state_is $H1 awake || fail "host not seen awake (state $(state $H1))"
wait_until 20 sh -c "[ -z \"\$(DBUS_SYSTEM_BUS_ADDRESS=unix:path=$tmp/avahi-$cl/bus \
	ip netns exec $cl timeout 10 avahi-browse -p -r -t -k _ssh._tcp 2>/dev/null | grep '^=')\" ]" ||
	fail "the sleeper's services are still published though it is awake"
ok "once the host is awake spsd withdraws its records"
expect_eq "spsd logged the withdrawal" "$(spsd_log "$H1: records withdrawn")" 1

# ---------------------------------------------------------------- e. sequence numbers

reg() { # SEQ SERVICE [ARGS...]: one update from the host, answers in $tmp/reg.out
	local seq=$1 svc=$2; shift 2
	sps $hs register $GW_IP $port --mac $H1 --seq "$seq" --lease 600 \
		--a $H1_IP --service "$svc" "$@" >"$tmp/reg.out" || true
}
ports() { hostval $H1 '.tcp_ports|map(tostring)|join(",")'; }
reg 2 _smb._tcp:445
expect_eq "a newer sequence number starts over: NOERROR, only its ports" \
	"$(answers "$tmp/reg.out") $(ports)" "NOERROR,600 445"
reg 2 _ssh._tcp:22
expect_eq "the same sequence number adds to it" \
	"$(answers "$tmp/reg.out") $(ports)" "NOERROR,600 22,445"
reg 1 _afpovertcp._tcp:548
expect_eq "an older sequence number is ignored" \
	"$(answers "$tmp/reg.out") $(ports)" "NOERROR,600 22,445"
expect_eq "without a password the module has none" "$(hostval $H1 '.password // "none"')" none
reg 3 _ssh._tcp:22 --lease 0
expect_eq "lease 0 deregisters: NOERROR, lease 0, the host is gone" \
	"$(answers "$tmp/reg.out") $(hostval $H1 .mac)" "NOERROR,0 "

# ---------------------------------------------------------------- f. only the host itself

sps $cl register $GW_IP $port --mac $H2 --a 192.168.1.9 --service _ssh._tcp:22 \
	>"$tmp/spoof.out" || true
expect_eq "an update for another MAC than the sender's: REFUSED, nothing installed" \
	"$(answers "$tmp/spoof.out") $(hostval $H2 .mac)" "REFUSED,- "
expect_eq "spsd logged why" "$(spsd_log "$H2: refused from $CL_IP: sent from another MAC")" 1

# ---------------------------------------------------------------- g. over IPv6, and lease expiry

sps $cl register $GW6 $port --mac $CL --aaaa $CL6 --service _ssh._tcp:22 \
	--lease 4 --keepalive >"$tmp/v6.out" || true
expect_eq "an update over IPv6: NOERROR, the lease as asked" "$(answers "$tmp/v6.out")" NOERROR,4
expect_eq "the module holds it" "$(hostval $CL '(.addrs|join(",")) + " " + .origin')" "$CL6 spsd"
wait_until 15 gone $CL || fail "the leased host outlived its lease"
wait_until 5 sh -c "grep -q -F '$CL: no longer in the module: forgotten' $tmp/spsd.out" ||
	fail "spsd did not forget the host whose lease ended"
ok "when the lease ends the module drops the host and spsd forgets it"

# ---------------------------------------------------------------- h. malformed updates

bad() { # ARGS...: one update from the client, its answers in $tmp/bad.out
	sps $cl register $GW_IP $port --mac $CL --a $CL_IP --timeout 2 "$@" \
		>"$tmp/bad.out" || true
}
bad --no-lease
expect_eq "no Update Lease option: FORMERR" "$(answers "$tmp/bad.out")" FORMERR,-
bad --no-owner
expect_eq "no Owner option: FORMERR" "$(answers "$tmp/bad.out")" FORMERR,-
bad --owner-hex 0000525400
expect_eq "a truncated Owner option: FORMERR" "$(answers "$tmp/bad.out")" FORMERR,-
bad --owner-hex "0100$(tr -d : <<<"$CL")"
expect_eq "an Owner option of version 1: FORMERR" "$(answers "$tmp/bad.out")" FORMERR,-
shape "$tmp/bad.out" || fail "error answer not shaped right: $(cat "$tmp/bad.out")"
ok "an error answer: same ID, QR, opcode UPDATE, no OPT"
bad --opcode 0
expect_eq "a query, not an update: NOTIMP, its own opcode echoed" \
	"$(answers "$tmp/bad.out") $(jq -r '[.qr, .opcode, .options == []] | join(",")' "$tmp/bad.out")" \
	"NOTIMP,- true,0,true"

for kind in truncated oversized mutate; do
	sps $cl garbage $GW_IP $port --kind $kind --count 40 --timeout 0.3 \
		--mac $CL --a $CL_IP --service _ssh._tcp:22 >"$tmp/garbage-$kind.out"
	# Each got an error, was dropped (a runt), or (mutate) was still a
	# valid update; nothing else, and never a crash.
	jq -e 'keys - ["FORMERR", "NOTIMP", "NOERROR", "REFUSED", "timeout"] == []' \
		"$tmp/garbage-$kind.out" >/dev/null ||
		fail "unexpected answers to $kind updates: $(cat "$tmp/garbage-$kind.out")"
	kill -0 $spsd_pid 2>/dev/null || fail "spsd died on $kind updates"
	ok "40 $kind updates: $(jq -c . "$tmp/garbage-$kind.out"), spsd alive"
done
expect_eq "oversized updates get FORMERR" \
	"$(jq -r '.FORMERR // 0' "$tmp/garbage-oversized.out")" 40
sps $cl garbage $GW_IP $port --kind mutate --count 100 --seed 7 --timeout 0.3 \
	--mac $CL --a $CL_IP --service _ssh._tcp:22 >/dev/null
sps $hs register $GW_IP $port --mac $H1 --seq 9 --a $H1_IP --service _ssh._tcp:22 \
	>"$tmp/after.out" 2>&1 || true
expect_eq "after 100 random mutations spsd still serves" "$(answers "$tmp/after.out")" NOERROR,7200

# ---------------------------------------------------------------- i. stop

kill -TERM $spsd_pid
rc=0
wait $spsd_pid 2>/dev/null || rc=$?
expect_eq "SIGTERM: spsd says so and exits with status 0" "$(spsd_log 'signal 15: stopping'),$rc" 1,0
expect_eq "its hosts stay in the module until their leases end" "$(hostval $H1 .origin)" spsd

done_ok=1
echo "$n passed"
