#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The settings of a namespace (spctl config): each namespace has its own,
# the module parameters are the defaults.
#
#   +------ gwa$$ ------+    +------ cla$$ ------+
#   | vcl 192.168.1.1   |----| eth0 192.168.1.2  |
#   +-------------------+    +-------------------+
#   +------ gwb$$ ------+    +------ clb$$ ------+
#   | vcl 192.168.1.1   |----| eth0 192.168.1.2  |
#   +-------------------+    +-------------------+
#   gka$$: a dummy interface for raw netlink abuse (tests/lib/nlpolicy.py)
#
# max-hosts 1 in one namespace refuses a second host there, with the
# kernel's words, while the other takes it; reply-rate 1 in one namespace
# holds back answers there only; "default" returns a setting to the
# module parameter, and a write to /sys/module/sleepproxy/parameters/
# then applies there; spctl save | spctl -batch restores the settings;
# bad CONFIG_SET requests, and an unprivileged one, are refused.
#
# Run as root where kernel/sleepproxy.ko can be loaded (`make vmtest`).

set -e
set -E

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
repo=$(cd "$here/.." && pwd -P)
SPCTL=${SLEEPPROXY_SPCTL:-$repo/tools/spctl/spctl}
KO=${SLEEPPROXY_KO:-$repo/kernel/sleepproxy.ko}
PKT="$repo/tests/lib/pkt.py"

# common.sh's gateway and client are the first pair; hs is not used.
gw=gwa$$ cl=cla$$ hs=
gwb=gwb$$ clb=clb$$ gk=gka$$
netns_extra=("$gwb" "$clb" "$gk")
CL_IP=192.168.1.2 GW_IP=192.168.1.1
H1=52:54:00:aa:bb:01 H2=52:54:00:aa:bb:02
H1_IP=192.168.1.4 H2_IP=192.168.1.5

# shellcheck source=tests/lib/common.sh
. "$repo/tests/lib/common.sh"

params=/sys/module/sleepproxy/parameters
spb() { ip netns exec $gwb "$SPCTL" "$@"; }
# cfg SPCTL-FUNCTION PARAM: "VALUE own|default" from spctl config -j.
cfg() { "$1" config -j | jq -r ".$2 | \"\\(.value) \\(if .own then \"own\" else \"default\" end)\""; }
# arp_burst NS-OF-CLIENT IP: 20 ARP requests for IP from the client, in
# a second (and as many SYNs to port 9, which wake nothing).
arp_burst() {
	ip netns exec "$1" python3 "$PKT" flood eth0 --eth-dst ff:ff:ff:ff:ff:ff \
		--src $CL_IP --dst "$2" --dport 9 --seconds 1 --rate 20 2>/dev/null
}

for pair in "$gw $cl" "$gwb $clb"; do
	# shellcheck disable=SC2086
	set -- $pair
	ip netns add "$1"
	ip netns add "$2"
	ip -n "$1" link add vcl type veth peer name eth0 netns "$2"
	ip -n "$1" addr add $GW_IP/24 dev vcl
	ip -n "$2" addr add $CL_IP/24 dev eth0
	ip -n "$1" link set vcl up
	ip -n "$2" link set eth0 up
done
ip netns add $gk
ip -n $gk link add sp0 type dummy
ip -n $gk link set sp0 up

# ---------------------------------------------------------------- defaults
for p in max_hosts awake_grace_ms max_wakes_per_sec max_replies_per_sec \
	 syn_hold_ms syn_hold_max syn_hold_total wake_timeout_ms; do
	[[ $(cfg sp $p) == "$(cat $params/$p) default" ]] ||
		fail "config: $p is not the module parameter's ($(cfg sp $p))"
done
ok "config: every setting is the module parameter's at first"

# ---------------------------------------------------------------- max-hosts
# awake-grace 0: a host is taken over at once, which the reply-rate
# checks below need.
sp config set max-hosts 1 awake-grace 0
spb config set awake-grace 0
expect_eq "config set: own values" "$(cfg sp max_hosts), $(cfg sp awake_grace_ms)" \
	"1 own, 0 own"
expect_eq "...in that namespace only" "$(cfg spb max_hosts)" \
	"$(cat $params/max_hosts) default"
sp add-host dev vcl mac $H1 ip $H1_IP
rc=0
sp add-host dev vcl mac $H2 ip $H2_IP 2>"$tmp/full.err" || rc=$?
expect_eq "max-hosts 1 refuses a second host, with the kernel's words" \
	"$rc $(sed 's/^Error: sleepproxy: /Error: /' "$tmp/full.err")" \
	"1 Error: host table full (setting max_hosts)"
sp add-host dev vcl mac $H1 ip $H1_IP ping on
ok "...but replacing the host is not adding one"
spb add-host dev vcl mac $H1 ip $H1_IP
spb add-host dev vcl mac $H2 ip $H2_IP
expect_eq "the other namespace takes two" "$(spb stats -j | jq .hosts)" 2

# ---------------------------------------------------------------- reply-rate
wait_until 10 state_is $H1 proxying || fail "host 1 not taken over in $gw"
wait_until 10 sh -c "ip netns exec $gwb $SPCTL show -j |
	jq -e 'all(.[]; .state == \"proxying\")' >/dev/null" ||
	fail "hosts not taken over in $gwb"
sp config set reply-rate 1
arp_burst $cl $H1_IP
arp_burst $clb $H1_IP
a=$(statval replies_suppressed)
b=$(spb stats -j | jq .replies_suppressed)
(( a >= 15 )) || fail "reply-rate 1: only $a of 20 answers held back"
expect_eq "reply-rate 1 holds back answers in its namespace ($a of 20), not in the other" \
	"$b" 0

# "default": the module parameter again, and a write to it applies.
old=$(cat $params/max_replies_per_sec)
sp config set reply-rate default
expect_eq "config set reply-rate default" "$(cfg sp max_replies_per_sec)" \
	"$old default"
echo 1 >$params/max_replies_per_sec
expect_eq "a write to the parameter shows in both namespaces" \
	"$(cfg sp max_replies_per_sec), $(cfg spb max_replies_per_sec)" \
	"1 default, 1 default"
sleep 1
arp_burst $cl $H1_IP
echo "$old" >$params/max_replies_per_sec
a2=$(statval replies_suppressed)
(( a2 - a >= 15 )) ||
	fail "max_replies_per_sec 1: only $((a2 - a)) of 20 answers held back"
ok "...and applies: $((a2 - a)) of 20 answers held back"

# ---------------------------------------------------------------- save
sp config set syn-hold 0.5 wake-timeout 7.25
sp save >"$tmp/saved"
grep -qx 'config set max-hosts 1 awake-grace 0 syn-hold 0.5 wake-timeout 7.25' \
	"$tmp/saved" || fail "save: no config set line ($(cat "$tmp/saved"))"
[[ $(sed -n 2p "$tmp/saved") == "config set "* ]] ||
	fail "save: config set is not ahead of the hosts"
sp del-host dev vcl mac $H1
sp config set max-hosts default awake-grace default syn-hold default \
	wake-timeout default
expect_eq "every setting reset" "$(sp config -j | jq '[.[] | .own] | any')" false
sp -batch - <"$tmp/saved"
expect_eq "spctl -batch restores what spctl save wrote" \
	"$(sp config | grep -c ' own$') $(cfg sp syn_hold_ms) $(cfg sp wake_timeout_ms) $(sp stats -j | jq .hosts)" \
	"4 500 own 7250 own 1"
expect_eq "...in that namespace only" "$(spb config | grep -c ' own$')" 1

# ---------------------------------------------------------------- bad requests
rc=0
ip netns exec $gk python3 "$repo/tests/lib/nlpolicy.py" sp0 --fuzz 0 --many 10 \
	>"$tmp/nlpolicy.out" 2>&1 || rc=$?
if [[ $rc -ne 0 ]]; then
	grep -v '^ok ' "$tmp/nlpolicy.out" >&2 || true
	fail "bad netlink requests (tests/lib/nlpolicy.py)"
fi
ok "bad netlink: $(grep -c 'config-set' "$tmp/nlpolicy.out") config-set checks, nobody refused: $(grep -c '^ok .*as nobody' "$tmp/nlpolicy.out")"

rmmod sleepproxy
ok "rmmod"
done_ok=1
echo "$n passed"
