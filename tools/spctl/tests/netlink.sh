#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# spctl against a stand-in for the module (fake-kernel.so, preloaded in
# place of libmnl's socket calls): the requests it sends, the text and
# JSON it prints, how it reports the kernel's refusals, how it retries an
# interrupted dump.
#
#   tests/netlink.sh [SPCTL] [FAKE_KERNEL_SO]
#
# With valgrind installed every run goes through it; VALGRIND=no skips it.

set -u

spctl=${1:-./spctl}
fake=$(realpath "${2:-tests/fake-kernel.so}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! ldd "$spctl" 2>/dev/null | grep -q libmnl; then
	echo "netlink.sh: $spctl does not load libmnl dynamically: skipped"
	exit 0
fi

vg=()
if [[ ${VALGRIND:-} != no ]] && command -v valgrind >/dev/null; then
	vg=(valgrind -q --leak-check=full --errors-for-leak-kinds=all
	    --error-exitcode=3 --log-file="$tmp/vg")
fi

export FAKE_SP_STATE=$tmp/state FAKE_SP_LOG=$tmp/log
# Debian's own interpreter, which has Debian's python3-prometheus-client.
py=$(command -v /usr/bin/python3 || command -v python3)
failed=0
passed=0

fail() {
	echo "FAIL: $1" >&2
	shift
	printf '  %s\n' "$@" >&2
	sed 's/^/  stdout: /' "$tmp/out" >&2
	sed 's/^/  stderr: /' "$tmp/err" >&2
	[[ -s $tmp/vg ]] && sed 's/^/  valgrind: /' "$tmp/vg" >&2
	failed=$((failed + 1))
}

ok() {
	passed=$((passed + 1))
}

# sp STATUS ARGS...: runs spctl, which must exit with STATUS.
sp() {
	local want=$1
	shift
	: >"$tmp/vg"
	: >"$tmp/log"
	LD_PRELOAD=$fake "${vg[@]}" "$spctl" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [[ $rc -eq 3 && -s $tmp/vg ]]; then
		fail "spctl $*" "valgrind found errors"
	elif [[ $rc -ne $want ]]; then
		fail "spctl $*" "exit status $rc, expected $want"
	else
		ok
		return 0
	fi
	return 1
}

# same FILE TEXT DESCRIPTION: FILE holds exactly TEXT.
same() {
	if [[ $(cat "$1") == "$2" ]]; then
		ok
	else
		fail "$3" "expected: $2"
	fi
}

# json DESCRIPTION PYTHON: runs PYTHON with the JSON output in j.
json() {
	if ! command -v python3 >/dev/null; then
		return
	fi
	if python3 -c "import json, sys
j = json.load(open(sys.argv[1]))
$2" "$tmp/out" 2>"$tmp/py"; then
		ok
	else
		fail "$1" "$(cat "$tmp/py")"
	fi
}

# Nothing registered yet.
sp 0 show && same "$tmp/out" "" "show without hosts"
sp 0 show -j && same "$tmp/out" "[]" "show -j without hosts"
sp 0 stats && same "$tmp/out" "hosts 0
hosts_proxying 0
rx_frames 1003
drop_arp_malformed 1004
drop_ipv4_malformed 1005
drop_ipv4_fragment 1006
drop_ipv4_srcroute 1007
drop_tcp_malformed 1008
tx_errors 1009
drop_ipv6_malformed 1010
drop_ipv6_fragment 1011
drop_ipv6_srcroute 1012
drop_nd_malformed 1013
drop_icmp_malformed 1014
wakes_suppressed 1015
replies_suppressed 1016
leases_expired 1017
manual_wakes 1018" "stats"
sp 0 -j stats && json "stats -j" '
assert list(j) == ["hosts", "hosts_proxying", "rx_frames", "drop_arp_malformed",
    "drop_ipv4_malformed", "drop_ipv4_fragment", "drop_ipv4_srcroute",
    "drop_tcp_malformed", "tx_errors", "drop_ipv6_malformed",
    "drop_ipv6_fragment", "drop_ipv6_srcroute", "drop_nd_malformed",
    "drop_icmp_malformed", "wakes_suppressed", "replies_suppressed",
    "leases_expired", "manual_wakes"], list(j)
assert j["hosts"] == 0 and j["tx_errors"] == 1009, j
assert j["drop_ipv6_malformed"] == 1010, j
assert j["drop_icmp_malformed"] == 1014, j
assert j["wakes_suppressed"] == 1015, j
assert j["replies_suppressed"] == 1016, j
assert j["leases_expired"] == 1017, j
assert j["manual_wakes"] == 1018, j'
same "$tmp/log" "16 3 ack
42 4 ack" "stats requests"
sp 1 stats dev lo && same "$tmp/err" \
	"Error: no host is registered on that interface" \
	"stats dev without hosts"
sp 0 stats -o prometheus && "$py" - "$tmp/out" <<'EOF' || fail "prometheus without hosts"
import sys
text = open(sys.argv[1]).read()
assert "sleepproxy_netns_hosts 0\n" in text, text
assert "sleepproxy_netns_manual_wakes_total 1018\n" in text, text
assert 'interface=' not in text, text
EOF

# Five hosts, then the first one replaced.
sp 0 add-host dev lo mac 52:54:00:aa:bb:cc ip 192.168.1.4 tcp 445,22 \
	wake-count 5 ip 10.0.0.4
same "$tmp/log" "16 3 ack
42 1 ack" "add-host requests"
same "$tmp/out" "" "add-host prints nothing"
same "$tmp/err" "" "add-host complains about nothing"
sp 0 add-host lease 28800 tcp any ip 192.168.1.7 mac 52-54-00-12-34-56 \
	lease-wake off dev lo
same "$tmp/log" "16 3 ack
42 1 ack" "add-host lease-wake off requests"
sp 0 add-host dev lo mac 52:54:00:00:00:03 ip 10.0.0.3 lease-wake on
sp 0 add-host dev lo mac 52:54:00:00:00:04 ip 10.0.0.4 ip fe80::4
sp 0 add-host dev lo mac 52:54:00:00:00:05 ip 10.0.0.5 lease 5
sp 0 add-host dev lo mac 52:54:00:aa:bb:cc ip 192.168.1.4 ip 2001:db8::4 \
	tcp 22 tcp 445 wake-count 5

# The module says how much of a lease is left (here 7 seconds less than
# given, and nothing of a lease of 5), and which addresses another MAC
# took: both hosts 1 and 4 lose some.
export FAKE_SP_LEASE_USED=7 FAKE_SP_CONFLICTS="10.0.0.4 fe80::4 2001:db8::4"
sp 0 show && same "$tmp/out" "lo 52:54:00:aa:bb:cc proxying 12.3s
    ip 192.168.1.4 2001:db8::4
    conflicts 2001:db8::4
    tcp 22,445 wake-count 5 lease 0 ping off
    arp_requests 102 arp_replies 103 garp_sent 104
    syn_wake 105 syn_other 106 wakes 107 magic_sent 108 awake 109 awake_probes 110
    ns_requests 111 na_replies 112 na_unsolicited 113 dropped 114 echo_replies 115
    lease_wakes 116 conflicts 117 wakes_suppressed 118 offload_frames 119 magic_relayed 120
    syn_held 121 syn_replayed 122 syn_expired 123 syn_dropped 124 wake_rounds 125 wakes_failed 126

lo 52:54:00:12:34:56 woken 5m07s
    ip 192.168.1.7
    tcp any wake-count 3 lease 28800 left 7h59m53s ping off lease-wake off
    arp_requests 202 arp_replies 203 garp_sent 204
    syn_wake 205 syn_other 206 wakes 207 magic_sent 208 awake 209 awake_probes 210
    ns_requests 211 na_replies 212 na_unsolicited 213 dropped 214 echo_replies 215
    lease_wakes 216 conflicts 217 wakes_suppressed 218 offload_frames 219 magic_relayed 220
    syn_held 221 syn_replayed 222 syn_expired 223 syn_dropped 224 wake_rounds 225 wakes_failed 226

lo 52:54:00:00:00:03 awake 2h05m07s
    ip 10.0.0.3
    tcp none wake-count 3 lease 0 ping off
    arp_requests 302 arp_replies 303 garp_sent 304
    syn_wake 305 syn_other 306 wakes 307 magic_sent 308 awake 309 awake_probes 310
    ns_requests 311 na_replies 312 na_unsolicited 313 dropped 314 echo_replies 315
    lease_wakes 316 conflicts 317 wakes_suppressed 318 offload_frames 319 magic_relayed 320
    syn_held 321 syn_replayed 322 syn_expired 323 syn_dropped 324 wake_rounds 325 wakes_failed 326

lo 52:54:00:00:00:04 registered 59.0s
    ip 10.0.0.4 fe80::4
    conflicts 10.0.0.4 fe80::4
    tcp none wake-count 3 lease 0 ping off
    arp_requests 402 arp_replies 403 garp_sent 404
    syn_wake 405 syn_other 406 wakes 407 magic_sent 408 awake 409 awake_probes 410
    ns_requests 411 na_replies 412 na_unsolicited 413 dropped 414 echo_replies 415
    lease_wakes 416 conflicts 417 wakes_suppressed 418 offload_frames 419 magic_relayed 420
    syn_held 421 syn_replayed 422 syn_expired 423 syn_dropped 424 wake_rounds 425 wakes_failed 426

lo 52:54:00:00:00:05 unknown 3d04h05m
    ip 10.0.0.5
    tcp none wake-count 3 lease 5 left 0s ping off
    arp_requests 502 arp_replies 503 garp_sent 504
    syn_wake 505 syn_other 506 wakes 507 magic_sent 508 awake 509 awake_probes 510
    ns_requests 511 na_replies 512 na_unsolicited 513 dropped 514 echo_replies 515
    lease_wakes 516 conflicts 517 wakes_suppressed 518 offload_frames 519 magic_relayed 520
    syn_held 521 syn_replayed 522 syn_expired 523 syn_dropped 524 wake_rounds 525 wakes_failed 526" "show"
same "$tmp/log" "16 3 ack
42 3 dump" "show requests"

sp 0 show -j && json "show -j" '
keys = ["id", "dev", "ifindex", "mac", "addrs", "conflicts", "tcp_ports",
        "tcp_any", "ping", "lease_wake", "wake_count", "wake_mac", "lease",
        "origin", "state", "state_age_ms", "wakes", "wake_frame", "stats"]
leased = keys[:13] + ["lease_left"] + keys[13:]
stats = ["arp_requests", "arp_replies", "garp_sent", "syn_wake",
         "syn_other", "wakes", "magic_sent", "awake", "awake_probes",
         "ns_requests", "na_replies", "na_unsolicited", "dropped",
         "echo_replies", "lease_wakes", "conflicts", "wakes_suppressed",
         "offload_frames", "magic_relayed", "syn_held", "syn_replayed",
         "syn_expired", "syn_dropped", "wake_rounds", "wakes_failed"]
assert len(j) == 5, len(j)
for h in j:
    assert list(h) == (leased if h["lease"] else keys), list(h)
    assert list(h["stats"]) == stats, list(h["stats"])
    assert h["dev"] == "lo" and h["ifindex"] == 1, h
assert j[0] == {"id": 1, "dev": "lo", "ifindex": 1,
    "mac": "52:54:00:aa:bb:cc", "addrs": ["192.168.1.4", "2001:db8::4"],
    "conflicts": ["2001:db8::4"], "tcp_ports": [22, 445], "tcp_any": False,
    "ping": False, "lease_wake": True, "wake_count": 5,
    "wake_mac": "52:54:00:aa:bb:cc", "lease": 0, "origin": "admin",
    "state": "proxying", "state_age_ms": 12345, "wakes": [],
    "wake_frame": "",
    "stats": {"arp_requests": 102, "arp_replies": 103, "garp_sent": 104,
        "syn_wake": 105, "syn_other": 106, "wakes": 107, "magic_sent": 108,
        "awake": 109, "awake_probes": 110, "ns_requests": 111,
        "na_replies": 112, "na_unsolicited": 113, "dropped": 114,
        "echo_replies": 115, "lease_wakes": 116, "conflicts": 117,
        "wakes_suppressed": 118, "offload_frames": 119,
        "magic_relayed": 120, "syn_held": 121, "syn_replayed": 122,
        "syn_expired": 123, "syn_dropped": 124, "wake_rounds": 125,
        "wakes_failed": 126}}, j[0]
assert j[1]["tcp_ports"] == [] and j[1]["tcp_any"] is True, j[1]
assert not any(h["ping"] for h in j), j
assert j[1]["lease"] == 28800 and j[1]["lease_left"] == 28793, j[1]
assert j[1]["lease_wake"] is False and j[1]["state"] == "woken", j[1]
assert j[1]["conflicts"] == [] and j[2]["conflicts"] == [], j
assert [h["lease_wake"] for h in j] == [True, False, True, True, True], j
assert j[2]["state"] == "awake" and j[3]["state"] == "registered", j
assert j[3]["addrs"] == ["10.0.0.4", "fe80::4"], j[3]
assert j[3]["conflicts"] == ["10.0.0.4", "fe80::4"], j[3]
assert j[4]["state"] == "unknown", j[4]
assert j[4]["lease"] == 5 and j[4]["lease_left"] == 0, j[4]
assert all(h["wake_mac"] == h["mac"] and h["origin"] == "admin" for h in j), j
assert not any("password" in h for h in j), j
assert j[1]["wakes"] == [{"reason": "syn", "age_ms": 1500, "sent": True,
    "src": "192.168.1.2", "sport": 40312, "src_mac": "52:54:00:00:00:02",
    "dport": 22}, {"reason": "lease", "age_ms": 90000, "sent": False}], j[1]
assert j[1]["wake_frame"] == "deadbeef", j[1]'
sp 0 show -d && grep -A2 -F "lo 52:54:00:12:34:56 woken" "$tmp/out" >/dev/null &&
	same <(grep -E "^    wake" "$tmp/out") "    wake syn 1.5s ago from 192.168.1.2 port 40312 (52:54:00:00:00:02) to port 22
    wake lease 1m30s ago, not sent (wake budget spent)
    wake frame deadbeef" "show -d: the wake log, newest first, and the frame"
unset FAKE_SP_LEASE_USED FAKE_SP_CONFLICTS
sp 0 show dev lo && grep -q "lease 28800 left 8h00m00s ping off" "$tmp/out" &&
	! grep -q '^    conflicts ' "$tmp/out" && ok ||
	fail "show without conflicts, with the whole lease left"
sp 0 -json show dev lo && json "-json show dev lo" '
assert len(j) == 5
assert j[1]["lease_left"] == 28800 and j[4]["lease_left"] == 5, j
assert not any(h["conflicts"] for h in j), j'

sp 0 stats -j && json "stats -j with hosts" 'assert j["hosts"] == 5, j'

# One interface: its own counters, then its hosts' totals (2000 + the
# attribute in the stand-in) but wakes_suppressed only once.
sp 0 stats dev lo && same "$tmp/out" "dev lo
hosts 5
hosts_proxying 2
rx_frames 1003
drop_arp_malformed 1004
drop_ipv4_malformed 1005
drop_ipv4_fragment 1006
drop_ipv4_srcroute 1007
drop_tcp_malformed 1008
tx_errors 1009
drop_ipv6_malformed 1010
drop_ipv6_fragment 1011
drop_ipv6_srcroute 1012
drop_nd_malformed 1013
drop_icmp_malformed 1014
wakes_suppressed 1015
replies_suppressed 1016
leases_expired 1017
manual_wakes 1018
arp_requests 2002
arp_replies 2003
garp_sent 2004
syn_wake 2005
syn_other 2006
wakes 2007
magic_sent 2008
awake 2009
awake_probes 2010
ns_requests 2011
na_replies 2012
na_unsolicited 2013
dropped 2014
echo_replies 2015
lease_wakes 2016
conflicts 2017
offload_frames 2019
magic_relayed 2020
syn_held 2021
syn_replayed 2022
syn_expired 2023
syn_dropped 2024
wake_rounds 2025
wakes_failed 2026" "stats dev lo"
same "$tmp/log" "16 3 ack
42 4 ack" "stats dev requests"
sp 0 stats dev lo -j && json "stats dev lo -j" '
assert list(j)[:4] == ["dev", "ifindex", "hosts", "hosts_proxying"], j
assert j["dev"] == "lo" and j["ifindex"] == 1 and j["hosts"] == 5, j
assert j["rx_frames"] == 1003 and j["wakes_suppressed"] == 1015, j
assert j["magic_sent"] == 2008 and j["offload_frames"] == 2019, j
assert len(j) == 4 + 16 + 24, len(j)'

# Prometheus: a real parser, every family once, the labels and values.
if "$py" -c 'import prometheus_client' 2>/dev/null; then
	sp 0 stats -o prometheus &&
	"$py" - "$tmp/out" <<'EOF' || fail "stats -o prometheus"
import sys
from prometheus_client.parser import text_string_to_metric_families
text = open(sys.argv[1]).read()
fams = {f.name: f for f in text_string_to_metric_families(text)}
names = [l.split()[2] for l in text.splitlines() if l.startswith("# TYPE")]
assert len(names) == len(set(names)), "a family printed twice"
def val(name, **labels):
    for s in fams[name].samples:
        if s.labels == labels:
            return s.value
    raise AssertionError((name, labels, fams[name].samples))
assert fams["sleepproxy_netns_hosts"].type == "gauge"
assert val("sleepproxy_netns_hosts") == 5
# The parser names a counter's family without "_total".
assert val("sleepproxy_netns_rx_frames") == 1003
assert fams["sleepproxy_rx_frames"].type == "counter"
assert val("sleepproxy_hosts", interface="lo") == 5
assert val("sleepproxy_hosts_proxying", interface="lo") == 2
assert val("sleepproxy_drop_tcp_malformed", interface="lo") == 1008
assert val("sleepproxy_magic_sent", interface="lo") == 2008
assert "sleepproxy_wakes_suppressed_total" in text
hosts = fams["sleepproxy_host_echo_replies"].samples
assert len(hosts) == 5, hosts
assert "52:54:00:aa:bb:cc" in {s.labels["host"] for s in hosts}, hosts
assert all(s.labels["interface"] == "lo" for s in hosts), hosts
# One sample per state and host; the stand-in's fifth host is in a state
# spctl does not know, so it is in none of them.
assert len(fams["sleepproxy_host_state"].samples) == 4 * 5
st = [s.labels["state"] for s in fams["sleepproxy_host_state"].samples
      if s.value == 1]
assert st == ["proxying", "woken", "awake", "registered"], st
EOF
	same "$tmp/log" "16 3 ack
42 4 ack
42 4 dump
42 3 dump" "stats -o prometheus requests"
	sp 0 stats -o prometheus dev lo &&
	"$py" - "$tmp/out" <<'EOF' || fail "stats -o prometheus dev lo"
import sys
from prometheus_client.parser import text_string_to_metric_families
fams = {f.name: f for f in text_string_to_metric_families(open(sys.argv[1]).read())}
assert "sleepproxy_netns_hosts" not in fams, fams
assert [s.value for s in fams["sleepproxy_hosts"].samples] == [5]
assert len(fams["sleepproxy_host_wakes"].samples) == 5
EOF
else
	echo "netlink.sh: python3-prometheus-client missing: Prometheus output not parsed"
fi

# Deleting.
sp 0 del-host dev lo mac 52:54:00:00:00:03
same "$tmp/log" "16 3 ack
42 2 ack" "del-host requests"
sp 0 -j show && json "show -j after del-host" '
assert [h["id"] for h in j] == [1, 2, 4, 5], j'

# The kernel's refusals: its message verbatim, else strerror.
sp 0 wake dev lo mac 52:54:00:00:00:09
same "$tmp/log" "16 3 ack
42 5 ack" "wake: one request"
sp 0 wake dev lo mac 52:54:00:00:00:09 password de:ad:be:ef
sp 2 wake dev lo && same "$tmp/err" 'spctl: wake needs "mac LLADDR"
Usage: spctl wake dev IFNAME mac LLADDR [password HEX]' "wake without a MAC"
sp 1 del-host dev lo mac 52:54:00:00:00:03 &&
	same "$tmp/err" "Error: no such host" "del-host of an unknown host"
FAKE_SP_REFUSE="interface lo is not an Ethernet device" \
	sp 1 add-host dev lo mac 52:54:00:00:00:09 ip 10.0.0.9 &&
	same "$tmp/err" "Error: interface lo is not an Ethernet device" \
		"add-host refused with a message"
FAKE_SP_NOCAP=1 FAKE_SP_REFUSE="not today" \
	sp 1 add-host dev lo mac 52:54:00:00:00:09 ip 10.0.0.9 tcp 1,2,3 &&
	same "$tmp/err" "Error: not today" "a refusal that quotes the request"
FAKE_SP_DUMP_ERR="the dump went wrong" sp 1 show &&
	same "$tmp/err" "Error: the dump went wrong" "a dump that ends in error"
FAKE_SP_BADATTR=1 sp 1 show &&
	same "$tmp/err" \
		"spctl: malformed attribute 3 in a message from the kernel" \
		"a malformed reply"
FAKE_SP_EPERM=1 sp 1 del-host dev lo mac 52:54:00:00:00:04 &&
	same "$tmp/err" "Error: Operation not permitted" \
		"del-host refused without a message"
FAKE_SP_ABSENT=1 sp 1 show &&
	same "$tmp/err" 'spctl: the sleepproxy module is not loaded (no "sleepproxy" generic netlink family)' \
		"show without the family"
same "$tmp/out" "" "show without the family prints nothing"

# Interrupted dumps: retried quietly, then with a warning.
FAKE_SP_INTR=2 sp 0 -j show && json "show -j after 2 interrupted dumps" '
assert len(j) == 4, j'
same "$tmp/err" "" "2 interrupted dumps are no news"
[[ $(grep -c dump "$tmp/log") -eq 3 ]] && ok ||
	fail "3 dumps" "$(cat "$tmp/log")"
FAKE_SP_INTR=100 sp 0 show
grep -q "warning: the hosts kept changing" "$tmp/err" && ok ||
	fail "a warning after too many interrupted dumps"
[[ $(grep -c dump "$tmp/log") -eq 5 ]] && ok ||
	fail "5 dumps at most" "$(cat "$tmp/log")"
[[ $(grep -c '^lo ' "$tmp/out") -eq 4 ]] && ok ||
	fail "the last interrupted dump is still shown"

# A big dump, over many datagrams, with hosts at every limit; the filter.
FAKE_SP_EXTRA=600 sp 0 -j show && json "a dump of 604 hosts" '
assert len(j) == 604, len(j)
big = j[-1]
assert len(big["addrs"]) == 24 and len(big["tcp_ports"]) == 64, big
assert big["dev"] == "if1000" or big["id"] % 2, big
assert big["addrs"][23] == "a00:17::", big["addrs"]'
same "$tmp/err" "" "a big dump warns about nothing"
FAKE_SP_EXTRA=600 sp 0 -j show dev lo && json "the ifindex filter" '
assert len(j) == 4, len(j)'

# Escaping in JSON: the fake calls odd hosts of ifindex 1000 eth"9.
FAKE_SP_EXTRA=2 sp 0 -j show && json "an interface name to escape" '
assert [h["dev"] for h in j[4:]] == ["if1000", "eth\"9"], j'

# ping on reaches the kernel (which keeps the flags it was sent) and comes
# back; a host with IPv6 addresses only, shown as such.
FAKE_SP_STATE=$tmp/state6 sp 0 add-host dev lo mac 52:54:00:66:66:66 \
	ip 2001:db8::6 ping on ip fe80::5054:ff:fe66:6666 tcp any
same "$tmp/log" "16 3 ack
42 1 ack" "add-host ping on requests"
FAKE_SP_STATE=$tmp/state6 sp 0 show && same "$tmp/out" \
"lo 52:54:00:66:66:66 proxying 12.3s
    ip 2001:db8::6 fe80::5054:ff:fe66:6666
    tcp any wake-count 3 lease 0 ping on
    arp_requests 102 arp_replies 103 garp_sent 104
    syn_wake 105 syn_other 106 wakes 107 magic_sent 108 awake 109 awake_probes 110
    ns_requests 111 na_replies 112 na_unsolicited 113 dropped 114 echo_replies 115
    lease_wakes 116 conflicts 117 wakes_suppressed 118 offload_frames 119 magic_relayed 120
    syn_held 121 syn_replayed 122 syn_expired 123 syn_dropped 124 wake_rounds 125 wakes_failed 126" \
	"show of an IPv6 host with ping on"
FAKE_SP_STATE=$tmp/state6 sp 0 show -j && json "show -j with ping on" '
assert len(j) == 1, j
assert j[0]["addrs"] == ["2001:db8::6", "fe80::5054:ff:fe66:6666"], j
assert j[0]["tcp_any"] is True and j[0]["ping"] is True, j
assert j[0]["stats"]["echo_replies"] == 115, j'
FAKE_SP_STATE=$tmp/state6 sp 0 add-host dev lo mac 52:54:00:66:66:66 \
	ip 2001:db8::6 ping off
FAKE_SP_STATE=$tmp/state6 sp 0 -j show && json "show -j after ping off" '
assert j[0]["ping"] is False and j[0]["tcp_any"] is False, j
assert j[0]["addrs"] == ["2001:db8::6"], j'

# wake-mac and password reach the kernel and come back; without
# CAP_NET_ADMIN the module leaves the password out, and so does show.
export FAKE_SP_STATE=$tmp/wol
sp 0 add-host dev lo mac 52:54:00:77:77:01 ip 192.0.2.71 tcp 22 \
	wake-mac 52:54:00:77:77:02 password 00:11:22:33:44:55
same "$tmp/log" "16 3 ack
42 1 ack" "add-host wake-mac password requests"
sp 0 add-host dev lo mac 52:54:00:77:77:03 ip 192.0.2.73 password DE:AD:BE:EF
sp 0 add-host dev lo mac 52:54:00:77:77:04 ip 192.0.2.74 \
	wake-mac 52-54-00-77-77-04
sp 0 show && same "$tmp/out" "lo 52:54:00:77:77:01 proxying 12.3s
    ip 192.0.2.71
    tcp 22 wake-count 3 wake-mac 52:54:00:77:77:02 password 00:11:22:33:44:55 lease 0 ping off
    arp_requests 102 arp_replies 103 garp_sent 104
    syn_wake 105 syn_other 106 wakes 107 magic_sent 108 awake 109 awake_probes 110
    ns_requests 111 na_replies 112 na_unsolicited 113 dropped 114 echo_replies 115
    lease_wakes 116 conflicts 117 wakes_suppressed 118 offload_frames 119 magic_relayed 120
    syn_held 121 syn_replayed 122 syn_expired 123 syn_dropped 124 wake_rounds 125 wakes_failed 126

lo 52:54:00:77:77:03 woken 5m07s
    ip 192.0.2.73
    tcp none wake-count 3 password de:ad:be:ef lease 0 ping off
    arp_requests 202 arp_replies 203 garp_sent 204
    syn_wake 205 syn_other 206 wakes 207 magic_sent 208 awake 209 awake_probes 210
    ns_requests 211 na_replies 212 na_unsolicited 213 dropped 214 echo_replies 215
    lease_wakes 216 conflicts 217 wakes_suppressed 218 offload_frames 219 magic_relayed 220
    syn_held 221 syn_replayed 222 syn_expired 223 syn_dropped 224 wake_rounds 225 wakes_failed 226

lo 52:54:00:77:77:04 awake 2h05m07s
    ip 192.0.2.74
    tcp none wake-count 3 lease 0 ping off
    arp_requests 302 arp_replies 303 garp_sent 304
    syn_wake 305 syn_other 306 wakes 307 magic_sent 308 awake 309 awake_probes 310
    ns_requests 311 na_replies 312 na_unsolicited 313 dropped 314 echo_replies 315
    lease_wakes 316 conflicts 317 wakes_suppressed 318 offload_frames 319 magic_relayed 320
    syn_held 321 syn_replayed 322 syn_expired 323 syn_dropped 324 wake_rounds 325 wakes_failed 326" \
	"show with a wake MAC and passwords"
sp 0 show -j && json "show -j with a wake MAC and passwords" '
assert [h["wake_mac"] for h in j] == ["52:54:00:77:77:02",
    "52:54:00:77:77:03", "52:54:00:77:77:04"], j
assert [h.get("password") for h in j] == ["00:11:22:33:44:55",
    "de:ad:be:ef", None], j
assert list(j[0])[11:14] == ["wake_mac", "password", "lease"], list(j[0])
assert all(h["origin"] == "admin" for h in j), j'
FAKE_SP_NOPASSWORD=1 sp 0 show &&
	! grep -q password "$tmp/out" && grep -q "wake-mac 52:54:00:77:77:02 lease" "$tmp/out" &&
	ok || fail "show without the passwords"
FAKE_SP_NOPASSWORD=1 sp 0 -j show && json "show -j without the passwords" '
assert not any("password" in h for h in j), j
assert j[0]["wake_mac"] == "52:54:00:77:77:02", j'

# Hosts spsd registered are marked; spctl itself never registers one.
FAKE_SP_ORIGIN=1 sp 0 show &&
	[[ $(grep -c '^lo 52:54:00:77:77:0[1-4] [a-z]* [0-9.hms]* origin spsd$' "$tmp/out") -eq 3 ]] &&
	ok || fail "show marks spsd's hosts"
FAKE_SP_ORIGIN=1 sp 0 show -j && json "show -j: origin spsd" '
assert [h["origin"] for h in j] == ["spsd"] * 3, j'
FAKE_SP_ORIGIN=7 sp 0 show -j && json "show -j: an origin from a newer module" '
assert [h["origin"] for h in j] == ["unknown"] * 3, j'
FAKE_SP_ORIGIN=7 sp 0 show && grep -q "^lo 52:54:00:77:77:01 proxying 12.3s origin unknown$" "$tmp/out" &&
	ok || fail "show: an origin from a newer module"

# Replacing a host without them puts the defaults back.
sp 0 add-host dev lo mac 52:54:00:77:77:01 ip 192.0.2.71 tcp 22
sp 0 -j show && json "a replacement without wake-mac and password" '
assert j[0]["wake_mac"] == "52:54:00:77:77:01" and "password" not in j[0], j'

# -batch takes them as well.
printf 'add-host dev lo mac 52:54:00:77:77:05 ip 192.0.2.75 password 01:02:03:04:05:06\n' |
	sp 0 -batch -
sp 0 save && grep -qx 'add-host dev lo mac 52:54:00:77:77:05 ip 192.0.2.75 password 01:02:03:04:05:06' "$tmp/out" &&
	ok || fail "-batch takes a password, save writes it"

# save: every host as the add-host line that registers it again, to
# standard output or, through FILE.tmp, to FILE.
header='# sleepproxy hosts (spctl save); restore them with: spctl -batch FILE'
export FAKE_SP_STATE=$tmp/saved
sp 0 save && same "$tmp/out" "$header" "save without hosts"
sp 0 add-host dev lo mac 52:54:00:00:01:01 ip 192.0.2.1 ip 2001:db8::1 \
	tcp 445,22 wake-count 5 ping on
sp 0 add-host dev lo mac 52:54:00:00:01:02 ip 192.0.2.2 tcp any \
	lease-wake off lease 600
sp 0 add-host dev lo mac 52:54:00:00:01:03 ip fe80::3 ip 2001:db8::3 \
	lease 5 wake-count 3 lease-wake on ping off password de:ad:be:ef
sp 0 add-host dev lo mac 52:54:00:00:01:04 ip 192.0.2.4 ip 192.0.2.44 \
	lease-wake off ping on wake-count 16 lease 2592000
sp 0 add-host dev lo mac 52:54:00:00:01:05 ip 192.0.2.5 wake-count 1 \
	wake-mac 52:54:00:00:01:55
sp 0 add-host dev lo mac 52:54:00:00:01:06 ip 2001:db8::6 tcp 1,65535 \
	password 00:11:22:33:44:55 wake-mac 52:54:00:00:01:66
sp 0 add-host dev lo mac 52:54:00:00:01:07 ip 192.0.2.7 wake-timeout 1.25
sp 0 add-host dev lo mac 52:54:00:00:01:08 ip 192.0.2.8 wake-timeout 0
sp 0 add-host dev lo mac 52:54:00:00:01:09 ip 192.0.2.9 wake-timeout 3600

sp 0 save && same "$tmp/out" "$header
add-host dev lo mac 52:54:00:00:01:01 ip 192.0.2.1 ip 2001:db8::1 tcp 22,445 wake-count 5 ping on
add-host dev lo mac 52:54:00:00:01:02 ip 192.0.2.2 tcp any lease-wake off lease 600
add-host dev lo mac 52:54:00:00:01:03 ip fe80::3 ip 2001:db8::3 password de:ad:be:ef lease 5
add-host dev lo mac 52:54:00:00:01:04 ip 192.0.2.4 ip 192.0.2.44 wake-count 16 ping on lease-wake off lease 2592000
add-host dev lo mac 52:54:00:00:01:05 ip 192.0.2.5 wake-count 1 wake-mac 52:54:00:00:01:55
add-host dev lo mac 52:54:00:00:01:06 ip 2001:db8::6 tcp 1,65535 wake-mac 52:54:00:00:01:66 password 00:11:22:33:44:55
add-host dev lo mac 52:54:00:00:01:07 ip 192.0.2.7 wake-timeout 1.25
add-host dev lo mac 52:54:00:00:01:08 ip 192.0.2.8 wake-timeout 0
add-host dev lo mac 52:54:00:00:01:09 ip 192.0.2.9 wake-timeout 3600" "save" &&
	same "$tmp/err" "" "save complains about nothing"
same "$tmp/log" "16 3 ack
42 7 ack
42 3 dump" "save requests"
cp "$tmp/out" "$tmp/saved-out"
# A wake timeout of the host's own is shown; without one, nothing is.
sp 0 show && [[ $(grep -c -E '^    tcp none wake-count 3 wake-timeout (1.25|0|3600) lease 0 ping off$' "$tmp/out") -eq 3 &&
	$(grep -c wake-timeout "$tmp/out") -eq 3 ]] && ok || fail "show: wake-timeout"
sp 0 show -j && json "show -j: wake_timeout_ms" '
assert [h.get("wake_timeout_ms") for h in j][5:] == [None, 1250, 0, 3600000], j'
FAKE_SP_INTR=2 sp 0 save && cmp -s "$tmp/out" "$tmp/saved-out" &&
	[[ $(grep -c dump "$tmp/log") -eq 3 && ! -s $tmp/err ]] && ok ||
	fail "save retries an interrupted dump" "$(cat "$tmp/log")"

# What is left of a lease, a second at least; what another MAC took is
# left out, and so is a host with nothing left.
FAKE_SP_LEASE_USED=7 FAKE_SP_CONFLICTS="192.0.2.44 192.0.2.5 2001:db8::3" \
	sp 0 -j save - && same "$tmp/out" "$header
add-host dev lo mac 52:54:00:00:01:01 ip 192.0.2.1 ip 2001:db8::1 tcp 22,445 wake-count 5 ping on
add-host dev lo mac 52:54:00:00:01:02 ip 192.0.2.2 tcp any lease-wake off lease 593
add-host dev lo mac 52:54:00:00:01:03 ip fe80::3 password de:ad:be:ef lease 1
add-host dev lo mac 52:54:00:00:01:04 ip 192.0.2.4 wake-count 16 ping on lease-wake off lease 2591993
add-host dev lo mac 52:54:00:00:01:06 ip 2001:db8::6 tcp 1,65535 wake-mac 52:54:00:00:01:66 password 00:11:22:33:44:55
add-host dev lo mac 52:54:00:00:01:07 ip 192.0.2.7 wake-timeout 1.25
add-host dev lo mac 52:54:00:00:01:08 ip 192.0.2.8 wake-timeout 0
add-host dev lo mac 52:54:00:00:01:09 ip 192.0.2.9 wake-timeout 3600" \
	"save with leases running out and conflicts" &&
	same "$tmp/err" "spctl: warning: lo 52:54:00:00:01:05 not saved: another MAC claimed each of its addresses" \
		"save warns about a host it leaves out"

# To a file: mode 0600 whatever the umask and the old file, no FILE.tmp.
echo old >"$tmp/hosts"
chmod 0644 "$tmp/hosts"
umask 0
sp 0 save "$tmp/hosts"
umask 0077
same "$tmp/out" "" "save FILE prints nothing"
[[ $(stat -c %a "$tmp/hosts") == 600 && ! -e $tmp/hosts.tmp ]] && ok ||
	fail "save FILE: mode 0600, no FILE.tmp" "$(ls -l "$tmp")"
sp 0 save && cmp -s "$tmp/out" "$tmp/hosts" && ok ||
	fail "save FILE writes what save prints"

# A FILE.tmp left behind is replaced, not followed.
ln -s "$tmp/victim" "$tmp/hosts.tmp"
sp 0 save "$tmp/hosts"
[[ ! -e $tmp/victim && ! -e $tmp/hosts.tmp && ! -L $tmp/hosts.tmp ]] &&
	ok || fail "save follows a stale FILE.tmp" "$(ls -l "$tmp")"

# Restored by -batch into a fresh module: the same hosts, in one session.
FAKE_SP_STATE=$tmp/restored sp 0 -batch "$tmp/hosts" &&
	same "$tmp/out" "" "-batch prints nothing" &&
	same "$tmp/err" "" "-batch complains about nothing"
same "$tmp/log" "16 3 ack
42 1 ack
42 1 ack
42 1 ack
42 1 ack
42 1 ack
42 1 ack
42 1 ack
42 1 ack
42 1 ack" "-batch: one socket, a request a line"
sp 0 show && cp "$tmp/out" "$tmp/show-saved"
FAKE_SP_STATE=$tmp/restored sp 0 show &&
	cmp -s "$tmp/out" "$tmp/show-saved" && ok ||
	fail "-batch restores what save saved" \
		"$(diff "$tmp/show-saved" "$tmp/out")"
FAKE_SP_STATE=$tmp/restored sp 0 save && cmp -s "$tmp/out" "$tmp/hosts" &&
	ok || fail "a restored module saves the same file"

# Failures leave FILE as it was, and no FILE.tmp: a directory that is not
# there, one that cannot be written, a write that fails half-way, a FILE
# that is a directory, a dump that keeps changing, no module.
cp "$tmp/hosts" "$tmp/hosts.orig"
sp 1 save "$tmp/nodir/hosts" &&
	same "$tmp/err" "spctl: cannot write \"$tmp/nodir/hosts.tmp\": No such file or directory" \
		"save into a missing directory"

mkdir "$tmp/ro"
chmod 0555 "$tmp/ro"
# root writes anywhere, unless it gives the capabilities for it up.
drop=()
caps=-dac_override,-dac_read_search,-fowner
if [[ $(id -u) -eq 0 ]]; then
	drop=(setpriv --bounding-set="$caps" --inh-caps="$caps")
	"${drop[@]}" true 2>/dev/null || drop=(skip)
fi
if [[ ${drop[0]:-} == skip ]]; then
	echo "netlink.sh: setpriv cannot drop CAP_DAC_OVERRIDE: no read-only directory test"
elif "${drop[@]}" touch "$tmp/ro/x" 2>/dev/null; then
	fail "a directory of mode 0555 is writable"
else
	: >"$tmp/vg"
	LD_PRELOAD=$fake "${drop[@]}" "${vg[@]}" "$spctl" save "$tmp/ro/hosts" \
		>"$tmp/out" 2>"$tmp/err"
	rc=$?
	[[ $rc -eq 1 ]] && ok || fail "save into a read-only directory" \
		"exit status $rc, expected 1"
	same "$tmp/err" "spctl: cannot write \"$tmp/ro/hosts.tmp\": Permission denied" \
		"save into a read-only directory says why"
	[[ -z $(ls -A "$tmp/ro") ]] && ok ||
		fail "save left something in a read-only directory" \
			"$(ls -l "$tmp/ro")"
fi

# More than 1 KiB of hosts into a file limited to 1 KiB: the write fails
# half-way, with EFBIG since SIGXFSZ is ignored.
trap '' XFSZ
ulimit -S -f 1
FAKE_SP_EXTRA=4 sp 1 save "$tmp/hosts"
ulimit -S -f unlimited
trap - XFSZ
grep -qx "spctl: cannot write \"$tmp/hosts.tmp\": File too large" "$tmp/err" &&
	ok || fail "save says why a write failed"
cmp -s "$tmp/hosts" "$tmp/hosts.orig" && [[ ! -e $tmp/hosts.tmp ]] && ok ||
	fail "a failed save keeps FILE and removes FILE.tmp" "$(ls -l "$tmp")"

mkdir "$tmp/dir"
sp 1 save "$tmp/dir" &&
	same "$tmp/err" "spctl: cannot write \"$tmp/dir\": Is a directory" \
		"save over a directory"
[[ ! -e $tmp/dir.tmp ]] && ok || fail "save over a directory left dir.tmp"
FAKE_SP_INTR=100 sp 1 save "$tmp/hosts" &&
	same "$tmp/err" "spctl: warning: the hosts kept changing during 5 dumps, the list may be inconsistent
spctl: nothing saved" "save of a dump that kept changing"
FAKE_SP_ABSENT=1 sp 1 save "$tmp/hosts"
cmp -s "$tmp/hosts" "$tmp/hosts.orig" && ok ||
	fail "failed saves keep FILE as it was"
[[ $(ls "$tmp" | grep -c '\.tmp$') -eq 0 ]] && ok ||
	fail "failed saves left a .tmp behind" "$(ls -l "$tmp")"

# Interfaces are quoted when they need it, and warned about when they have
# no name (the fake names its odd hosts eth"9, leaves the even ones out).
FAKE_SP_EXTRA=2 sp 0 save &&
	grep -q '^add-host dev if1000 mac 02:00:00:00:00:00 ip 10.0.0.0 ' "$tmp/out" &&
	grep -q '^add-host dev "eth\\"9" mac 02:00:00:00:00:01 ip 10.0.0.0 ' "$tmp/out" &&
	grep -q ' ip a00:17:: tcp 1000,1001,' "$tmp/out" && ok ||
	fail "save of odd interfaces"
same "$tmp/err" "spctl: warning: 02:00:00:00:00:00: interface 1000 has no name, saved as dev if1000" \
	"save warns about an interface without a name"
tail -n 1 "$tmp/out" >"$tmp/odd"
sp 1 -batch "$tmp/odd" &&
	same "$tmp/err" "spctl: $tmp/odd:1: Cannot find device \"eth\"9\"" \
		"-batch reads a quoted interface back"

# -batch: every line runs; each failing one is reported with its number
# (usage errors, refusals, unknown commands, a bad quote, a missing
# device), and the status says that some failed.
export FAKE_SP_STATE=$tmp/batch-state
cat >"$tmp/batch" <<'EOF'
# Hosts of the test LAN
add-host dev lo mac 52:54:00:00:02:01 ip 192.0.2.1

add-host dev lo mac 52:54:00:00:02:02 ip 192.0.2.300
del-host dev lo mac 52:54:00:00:09:09
frobnicate now
	add-host dev "lo" mac 52:54:00:00:02:03 ip 192.0.2.3 # ping on
show dev "lo
add-host dev nosuchdev0 mac 52:54:00:00:02:04 ip 192.0.2.4
add-host help
stats
EOF
sp 1 -batch "$tmp/batch"
same "$tmp/err" "spctl: $tmp/batch:4: invalid IP address \"192.0.2.300\"
spctl: $tmp/batch:5: Error: no such host
spctl: $tmp/batch:6: unknown command \"frobnicate\"; try \"spctl help\"
spctl: $tmp/batch:8: unterminated double quote
spctl: $tmp/batch:9: Cannot find device \"nosuchdev0\"" \
	"-batch reports each failing line"
grep -q "^Usage: spctl add-host" "$tmp/out" && grep -qx "hosts 2" "$tmp/out" &&
	ok || fail "-batch runs every line"
sp 0 -j show && json "-batch registered the good lines" '
assert [h["mac"] for h in j] == ["52:54:00:00:02:01", "52:54:00:00:02:03"], j
assert not j[1]["ping"], j'

# From standard input; -j before -batch applies to every line; the warning
# of a line that succeeds is prefixed too.
FAKE_SP_INTR=100 sp 0 -j -batch - <<'EOF'
show
stats
EOF
python3 -c '
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 2, lines
assert len(json.loads(lines[0])) == 2, lines
assert json.loads(lines[1])["hosts"] == 2, lines
' "$tmp/out" && ok || fail "-j -batch -: JSON from every line"
same "$tmp/err" "spctl: <stdin>:1: warning: the hosts kept changing during 5 dumps, the list may be inconsistent" \
	"-batch prefixes the warning of a line"
sp 1 -batch - <<'EOF'
del-host dev lo mac 52:54:00:00:02:01
del-host dev lo mac 52:54:00:00:02:01
del-host dev lo mac 52:54:00:00:02:03 ping on
del-host dev lo mac 52:54:00:00:02:03
EOF
same "$tmp/err" "spctl: <stdin>:2: Error: no such host
spctl: <stdin>:3: unknown keyword \"ping\"" "-batch - reports lines of stdin"
sp 0 -j show && same "$tmp/out" "[]" "-batch - ran every line"
sp 0 -batch - </dev/null && same "$tmp/out" "" "-batch of nothing"
FAKE_SP_ABSENT=1 sp 1 -batch - <<'EOF'
# help needs no module
help del-host
show
stats -j
EOF
same "$tmp/err" "spctl: <stdin>:3: the sleepproxy module is not loaded (no \"sleepproxy\" generic netlink family)
spctl: <stdin>:4: the sleepproxy module is not loaded (no \"sleepproxy\" generic netlink family)" \
	"-batch without the module"
grep -q "spctl del-host dev IFNAME mac LLADDR" "$tmp/out" && ok ||
	fail "help in a batch"

# config: every setting, the module's default until the namespace has
# its own; set, default, JSON, the kernel's refusals verbatim.
rm -f "$tmp/state"
sp 0 config && same "$tmp/out" "max-hosts 65536 default
awake-grace 2 default
wake-rate 20 default
reply-rate 100 default
syn-hold 30 default
syn-hold-max 16 default
syn-hold-total 1024 default
wake-timeout 60 default" "config: the module's defaults"
same "$tmp/log" "16 3 ack
42 7 ack" "config requests"
sp 0 config set max-hosts 1 awake-grace 1.5 wake-rate 0 syn-hold 0.25 &&
	same "$tmp/out" "" "config set prints nothing"
sp 0 config && same "$tmp/out" "max-hosts 1 own
awake-grace 1.5 own
wake-rate 0 own
reply-rate 100 default
syn-hold 0.25 own
syn-hold-max 16 default
syn-hold-total 1024 default
wake-timeout 60 default" "config: the namespace's own values"
sp 0 -j config && json "-j config" '
assert list(j) == ["max_hosts", "awake_grace_ms", "max_wakes_per_sec",
	"max_replies_per_sec", "syn_hold_ms", "syn_hold_max", "syn_hold_total",
	"wake_timeout_ms"], j
assert j["max_hosts"] == {"value": 1, "own": True}, j
assert j["awake_grace_ms"] == {"value": 1500, "own": True}, j
assert j["max_wakes_per_sec"] == {"value": 0, "own": True}, j
assert j["syn_hold_ms"] == {"value": 250, "own": True}, j
assert j["wake_timeout_ms"] == {"value": 60000, "own": False}, j'
sp 0 config -j && json "config -j" 'assert j["max_hosts"]["value"] == 1, j'
# max-hosts 1: the kernel's refusal of a second host, as it says it.
sp 0 add-host dev lo mac 52:54:00:00:03:01 ip 192.0.2.31
sp 1 add-host dev lo mac 52:54:00:00:03:02 ip 192.0.2.32 &&
	same "$tmp/err" "Error: host table full (setting max_hosts)" \
		"max-hosts 1 refuses a second host"
# save writes the settings before the hosts, -batch restores them.
sp 0 save && same "$tmp/out" "$header
config set max-hosts 1 awake-grace 1.5 wake-rate 0 syn-hold 0.25
add-host dev lo mac 52:54:00:00:03:01 ip 192.0.2.31" "save: config set first"
cp "$tmp/out" "$tmp/config-saved"
sp 0 config set wake-rate default syn-hold default max-hosts 2
sp 0 config && same "$tmp/out" "max-hosts 2 own
awake-grace 1.5 own
wake-rate 20 default
reply-rate 100 default
syn-hold 30 default
syn-hold-max 16 default
syn-hold-total 1024 default
wake-timeout 60 default" "config set default returns to the module's"
sp 0 config set max-hosts default awake-grace default
sp 0 save && same "$tmp/out" "$header
add-host dev lo mac 52:54:00:00:03:01 ip 192.0.2.31" \
	"save: no config line without settings of the namespace's own"
rm -f "$tmp/state"
sp 0 -batch "$tmp/config-saved"
sp 0 save && same "$tmp/out" "$(cat "$tmp/config-saved")" \
	"-batch restores what save wrote, settings included"
# Refusals of the kernel, verbatim; none of the request is applied.
sp 2 config set max-hosts 1048577
same "$tmp/err" "spctl: invalid max-hosts \"1048577\" (expected 1 to 1048576, or default)
Usage: spctl config [-j | set KEY VALUE|default [KEY VALUE|default]...]" \
	"config set: spctl's own bounds"
FAKE_SP_EPERM=1 sp 1 config set max-hosts 5 &&
	same "$tmp/err" "Error: Operation not permitted" "config set: EPERM"
FAKE_SP_NOCONFIG=1 sp 1 config &&
	same "$tmp/err" "Error: Operation not supported" \
		"config: a module without settings"
# A module older than spctl (still loaded after an upgrade): save keeps
# its hosts, with no config line, as the service's ExecStop needs.
sp 0 save && grep -v '^config set' "$tmp/out" >"$tmp/hosts-only"
FAKE_SP_NOCONFIG=1 sp 0 save &&
	same "$tmp/out" "$(cat "$tmp/hosts-only")" \
		"save: a module without settings still gets its hosts saved"
sp 0 config && grep -qx "max-hosts 1 own" "$tmp/out" && ok ||
	fail "refused requests changed nothing"

echo "netlink.sh: $passed passed, $failed failed${vg:+ (under valgrind)}"
[[ $failed -eq 0 ]]
