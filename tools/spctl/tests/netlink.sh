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
drop_icmp_malformed 1014" "stats"
sp 0 -j stats && json "stats -j" '
assert list(j) == ["hosts", "rx_frames", "drop_arp_malformed",
    "drop_ipv4_malformed", "drop_ipv4_fragment", "drop_ipv4_srcroute",
    "drop_tcp_malformed", "tx_errors", "drop_ipv6_malformed",
    "drop_ipv6_fragment", "drop_ipv6_srcroute", "drop_nd_malformed",
    "drop_icmp_malformed"], list(j)
assert j["hosts"] == 0 and j["tx_errors"] == 1009, j
assert j["drop_ipv6_malformed"] == 1010, j
assert j["drop_icmp_malformed"] == 1014, j'
same "$tmp/log" "16 3 ack
42 4 ack" "stats requests"

# Four hosts, then the first one replaced.
sp 0 add-host dev lo mac 52:54:00:aa:bb:cc ip 192.168.1.4 tcp 445,22 \
	wake-count 5 ip 10.0.0.4
same "$tmp/log" "16 3 ack
42 1 ack" "add-host requests"
same "$tmp/out" "" "add-host prints nothing"
same "$tmp/err" "" "add-host complains about nothing"
sp 0 add-host lease 28800 tcp any ip 192.168.1.7 mac 52-54-00-12-34-56 dev lo
sp 0 add-host dev lo mac 52:54:00:00:00:03 ip 10.0.0.3
sp 0 add-host dev lo mac 52:54:00:00:00:04 ip 10.0.0.4 ip fe80::4
sp 0 add-host dev lo mac 52:54:00:aa:bb:cc ip 192.168.1.4 ip 2001:db8::4 \
	tcp 22 tcp 445 wake-count 5

sp 0 show && same "$tmp/out" "lo 52:54:00:aa:bb:cc proxying 12.3s
    ip 192.168.1.4 2001:db8::4
    tcp 22,445 wake-count 5 lease 0 ping off
    arp_requests 102 arp_replies 103 garp_sent 104
    syn_wake 105 syn_other 106 wakes 107 magic_sent 108 awake 109 awake_probes 110
    ns_requests 111 na_replies 112 na_unsolicited 113 dropped 114 echo_replies 115

lo 52:54:00:12:34:56 woken 5m07s
    ip 192.168.1.7
    tcp any wake-count 3 lease 28800 ping off
    arp_requests 202 arp_replies 203 garp_sent 204
    syn_wake 205 syn_other 206 wakes 207 magic_sent 208 awake 209 awake_probes 210
    ns_requests 211 na_replies 212 na_unsolicited 213 dropped 214 echo_replies 215

lo 52:54:00:00:00:03 awake 2h05m07s
    ip 10.0.0.3
    tcp none wake-count 3 lease 0 ping off
    arp_requests 302 arp_replies 303 garp_sent 304
    syn_wake 305 syn_other 306 wakes 307 magic_sent 308 awake 309 awake_probes 310
    ns_requests 311 na_replies 312 na_unsolicited 313 dropped 314 echo_replies 315

lo 52:54:00:00:00:04 unknown 3d04h05m
    ip 10.0.0.4 fe80::4
    tcp none wake-count 3 lease 0 ping off
    arp_requests 402 arp_replies 403 garp_sent 404
    syn_wake 405 syn_other 406 wakes 407 magic_sent 408 awake 409 awake_probes 410
    ns_requests 411 na_replies 412 na_unsolicited 413 dropped 414 echo_replies 415" "show"
same "$tmp/log" "16 3 ack
42 3 dump" "show requests"

sp 0 show -j && json "show -j" '
keys = ["id", "dev", "ifindex", "mac", "addrs", "tcp_ports", "tcp_any",
        "ping", "wake_count", "lease", "state", "state_age_ms", "stats"]
stats = ["arp_requests", "arp_replies", "garp_sent", "syn_wake",
         "syn_other", "wakes", "magic_sent", "awake", "awake_probes",
         "ns_requests", "na_replies", "na_unsolicited", "dropped",
         "echo_replies"]
assert len(j) == 4, len(j)
for h in j:
    assert list(h) == keys, list(h)
    assert list(h["stats"]) == stats, list(h["stats"])
    assert h["dev"] == "lo" and h["ifindex"] == 1, h
assert j[0] == {"id": 1, "dev": "lo", "ifindex": 1,
    "mac": "52:54:00:aa:bb:cc", "addrs": ["192.168.1.4", "2001:db8::4"],
    "tcp_ports": [22, 445], "tcp_any": False, "ping": False, "wake_count": 5,
    "lease": 0, "state": "proxying", "state_age_ms": 12345,
    "stats": {"arp_requests": 102, "arp_replies": 103, "garp_sent": 104,
        "syn_wake": 105, "syn_other": 106, "wakes": 107, "magic_sent": 108,
        "awake": 109, "awake_probes": 110, "ns_requests": 111,
        "na_replies": 112, "na_unsolicited": 113, "dropped": 114,
        "echo_replies": 115}}, j[0]
assert j[1]["tcp_ports"] == [] and j[1]["tcp_any"] is True, j[1]
assert not any(h["ping"] for h in j), j
assert j[1]["lease"] == 28800 and j[1]["state"] == "woken", j[1]
assert j[2]["state"] == "awake" and j[3]["state"] == "unknown", j
assert j[3]["addrs"] == ["10.0.0.4", "fe80::4"], j[3]'
sp 0 -json show dev lo && json "-json show dev lo" 'assert len(j) == 4'

sp 0 stats -j && json "stats -j with hosts" 'assert j["hosts"] == 4, j'

# Deleting.
sp 0 del-host dev lo mac 52:54:00:00:00:03
same "$tmp/log" "16 3 ack
42 2 ack" "del-host requests"
sp 0 -j show && json "show -j after del-host" '
assert [h["id"] for h in j] == [1, 2, 4], j'

# The kernel's refusals: its message verbatim, else strerror.
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
assert len(j) == 3, j'
same "$tmp/err" "" "2 interrupted dumps are no news"
[[ $(grep -c dump "$tmp/log") -eq 3 ]] && ok ||
	fail "3 dumps" "$(cat "$tmp/log")"
FAKE_SP_INTR=100 sp 0 show
grep -q "warning: the hosts kept changing" "$tmp/err" && ok ||
	fail "a warning after too many interrupted dumps"
[[ $(grep -c dump "$tmp/log") -eq 5 ]] && ok ||
	fail "5 dumps at most" "$(cat "$tmp/log")"
[[ $(grep -c '^lo ' "$tmp/out") -eq 3 ]] && ok ||
	fail "the last interrupted dump is still shown"

# A big dump, over many datagrams, with hosts at every limit; the filter.
FAKE_SP_EXTRA=600 sp 0 -j show && json "a dump of 603 hosts" '
assert len(j) == 603, len(j)
big = j[-1]
assert len(big["addrs"]) == 24 and len(big["tcp_ports"]) == 64, big
assert big["dev"] == "if1000" or big["id"] % 2, big
assert big["addrs"][23] == "a00:17::", big["addrs"]'
same "$tmp/err" "" "a big dump warns about nothing"
FAKE_SP_EXTRA=600 sp 0 -j show dev lo && json "the ifindex filter" '
assert len(j) == 3, len(j)'

# Escaping in JSON: the fake calls odd hosts of ifindex 1000 eth"9.
FAKE_SP_EXTRA=2 sp 0 -j show && json "an interface name to escape" '
assert [h["dev"] for h in j[3:]] == ["if1000", "eth\"9"], j'

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
    ns_requests 111 na_replies 112 na_unsolicited 113 dropped 114 echo_replies 115" \
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

echo "netlink.sh: $passed passed, $failed failed${vg:+ (under valgrind)}"
[[ $failed -eq 0 ]]
