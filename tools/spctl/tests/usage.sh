#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What spctl does without the kernel module: refuse every malformed
# command line with exit status 2 and a message on stderr, print help with
# status 0, and fail with status 1 when the device or the module is absent.
#
#   tests/usage.sh [SPCTL]
#
# With valgrind installed every run goes through it, and a memory error or
# leak fails the test; VALGRIND=no skips that.

set -u

spctl=${1:-./spctl}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

vg=()
if [[ ${VALGRIND:-} != no ]] && command -v valgrind >/dev/null; then
	vg=(valgrind -q --leak-check=full --errors-for-leak-kinds=all
	    --error-exitcode=3 --log-file="$tmp/vg")
fi

failed=0
passed=0

fail() {
	echo "FAIL: spctl $1" >&2
	shift
	printf '  %s\n' "$@" >&2
	sed 's/^/  stderr: /' "$tmp/err" >&2
	[[ -s $tmp/vg ]] && sed 's/^/  valgrind: /' "$tmp/vg" >&2
	failed=$((failed + 1))
}

# run ARGS...: runs spctl, leaving its status in $rc.
run() {
	: >"$tmp/vg"
	"${vg[@]}" "$spctl" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

# expect STATUS ARGS...: the status, a message on stderr unless 0, and no
# output on stdout unless 0.
expect() {
	local want=$1
	shift
	run "$@"
	if [[ $rc -eq 3 && -s $tmp/vg ]]; then
		fail "$*" "valgrind found errors"
	elif [[ $rc -ne $want ]]; then
		fail "$*" "exit status $rc, expected $want"
	elif [[ $want -ne 0 && ! -s $tmp/err ]]; then
		fail "$*" "no message on stderr"
	elif [[ $want -ne 0 && -s $tmp/out ]]; then
		fail "$*" "unexpected output on stdout"
	elif [[ $want -eq 0 && ! -s $tmp/out ]]; then
		fail "$*" "no output on stdout"
	else
		passed=$((passed + 1))
		return 0
	fi
	return 1
}

# expect_msg STATUS MESSAGE ARGS...: expect, and MESSAGE within stderr.
expect_msg() {
	local want=$1 msg=$2
	shift 2
	expect "$want" "$@" || return
	if ! grep -qF -- "$msg" "$tmp/err"; then
		passed=$((passed - 1))
		fail "$*" "stderr lacks: $msg"
	fi
}

# usage ARGS...: status 2, and for a command's own arguments its usage, so
# that a case cannot pass for the wrong reason.
usage() {
	expect 2 "$@" || return
	case ${1:-} in
	add-host|del-host|show|stats|save|wake|monitor|config)
		if ! grep -qF "Usage: spctl $1" "$tmp/err"; then
			passed=$((passed - 1))
			fail "$*" "stderr lacks the usage of $1"
		fi
		;;
	esac
}

mac=52:54:00:12:34:56
host=(add-host dev lo mac $mac ip 192.0.2.1)

ipv4=()
for i in $(seq 1 9); do ipv4+=(ip 192.0.2.$i); done
ipv6=()
for i in $(seq 1 17); do ipv6+=(ip 2001:db8::$i); done
ports=$(seq -s, 1 65)

# The command and the global options.
usage
usage frobnicate
usage -x show
usage --frobnicate
usage -j
usage help add-host show
usage help frobnicate
expect_msg 2 'unknown command "frobnicate"' frobnicate

# add-host: the MAC address.
usage add-host dev lo mac 52:54:00:12:34 ip 192.0.2.1
usage add-host dev lo mac 52:54:00:12:34:56:78 ip 192.0.2.1
usage add-host dev lo mac 52:54:00:12:34:zz ip 192.0.2.1
usage add-host dev lo mac 52:54:00-12:34:56 ip 192.0.2.1
usage add-host dev lo mac 525400123456 ip 192.0.2.1
usage add-host dev lo mac 01:00:5e:00:00:01 ip 192.0.2.1
usage add-host dev lo mac 33:33:00:00:00:01 ip 192.0.2.1
usage add-host dev lo mac ff:ff:ff:ff:ff:ff ip 192.0.2.1
usage add-host dev lo mac 00:00:00:00:00:00 ip 192.0.2.1
usage add-host dev lo mac "" ip 192.0.2.1

# add-host: addresses.
usage add-host dev lo mac $mac
usage add-host dev lo mac $mac ip 192.0.2.256
usage add-host dev lo mac $mac ip 192.0.2
usage add-host dev lo mac $mac ip 192.0.2.1/32
usage add-host dev lo mac $mac ip fe80::1%lo
usage add-host dev lo mac $mac ip host.example
expect_msg 2 "too many IPv4" add-host dev lo mac $mac "${ipv4[@]}"
expect_msg 2 "too many IPv6" add-host dev lo mac $mac "${ipv6[@]}"

# add-host: TCP ports.
usage "${host[@]}" tcp 0
usage "${host[@]}" tcp 70000
usage "${host[@]}" tcp 65536
usage "${host[@]}" tcp -22
usage "${host[@]}" tcp 22,0
usage "${host[@]}" tcp any,22
usage "${host[@]}" tcp 22,any
usage "${host[@]}" tcp any tcp 22
usage "${host[@]}" tcp 22 tcp any
usage "${host[@]}" tcp 22,,445
usage "${host[@]}" tcp 22,
usage "${host[@]}" tcp ,22
usage "${host[@]}" tcp ""
usage "${host[@]}" tcp ssh
usage "${host[@]}" tcp none
expect_msg 2 "too many TCP ports" "${host[@]}" tcp "$ports"

# add-host: wake-count and lease.
usage "${host[@]}" wake-count 0
usage "${host[@]}" wake-count 17
usage "${host[@]}" wake-count three
usage "${host[@]}" wake-count 3 wake-count 3
usage "${host[@]}" lease -1
usage "${host[@]}" lease 2592001
usage "${host[@]}" lease 1.5
usage "${host[@]}" lease 10s
usage "${host[@]}" lease 99999999999999999999
usage "${host[@]}" wake-timeout -1
usage "${host[@]}" wake-timeout 3600.001
usage "${host[@]}" wake-timeout 3601
usage "${host[@]}" wake-timeout 1.
usage "${host[@]}" wake-timeout .5
usage "${host[@]}" wake-timeout 1.2345
usage "${host[@]}" wake-timeout 10s
usage "${host[@]}" wake-timeout 1,5
usage "${host[@]}" wake-timeout 2 wake-timeout 2

# add-host: ping.
usage "${host[@]}" ping
usage "${host[@]}" ping maybe
usage "${host[@]}" ping ON
usage "${host[@]}" ping 1
usage "${host[@]}" ping ""
usage "${host[@]}" ping on ping off
usage "${host[@]}" ping off ping off
usage add-host dev lo mac $mac ping on
expect_msg 2 '"ping" needs a value' "${host[@]}" ping
expect_msg 2 'invalid ping "maybe" (expected on or off)' \
	"${host[@]}" ping maybe
expect_msg 2 '"ping" given twice' "${host[@]}" ping on ping off

# add-host: lease-wake.
usage "${host[@]}" lease-wake
usage "${host[@]}" lease-wake maybe
usage "${host[@]}" lease-wake OFF
usage "${host[@]}" lease-wake 0
usage "${host[@]}" lease-wake ""
usage "${host[@]}" lease-wake on lease-wake off
usage "${host[@]}" lease-wake off lease-wake off
usage "${host[@]}" lease_wake off
usage add-host dev lo mac $mac lease-wake off
expect_msg 2 '"lease-wake" needs a value' "${host[@]}" lease-wake
expect_msg 2 'invalid lease-wake "maybe" (expected on or off)' \
	"${host[@]}" lease-wake maybe
expect_msg 2 '"lease-wake" given twice' "${host[@]}" lease-wake on \
	lease-wake off

# add-host: wake-mac and password.
usage "${host[@]}" wake-mac
usage "${host[@]}" wake-mac 52:54:00:12:34
usage "${host[@]}" wake-mac 01:00:5e:00:00:01
usage "${host[@]}" wake-mac 00:00:00:00:00:00
usage "${host[@]}" wake-mac ""
usage "${host[@]}" wake-mac $mac wake-mac $mac
usage "${host[@]}" wake_mac $mac
usage "${host[@]}" password
usage "${host[@]}" password de:ad:be
usage "${host[@]}" password de:ad:be:ef:00
usage "${host[@]}" password 00:11:22:33:44:55:66
usage "${host[@]}" password deadbeef
usage "${host[@]}" password de-ad-be-ef
usage "${host[@]}" password de:ad:be:xx
usage "${host[@]}" password ""
usage "${host[@]}" password de:ad:be:ef password de:ad:be:ef
usage add-host dev lo mac $mac password de:ad:be:ef
expect_msg 2 'invalid password "de:ad:be:ef:00" (expected 4 or 6 bytes in hex separated by colons, as de:ad:be:ef or 00:11:22:33:44:55)' \
	"${host[@]}" password de:ad:be:ef:00
expect_msg 2 '"password" given twice' "${host[@]}" password de:ad:be:ef \
	password de:ad:be:ef
expect_msg 2 'MAC address "01:00:5e:00:00:01" is not unicast' \
	"${host[@]}" wake-mac 01:00:5e:00:00:01
expect_msg 2 '"wake-mac" needs a value' "${host[@]}" wake-mac

# add-host: keywords.
usage add-host mac $mac ip 192.0.2.1
usage add-host dev lo ip 192.0.2.1
usage add-host dev lo dev lo mac $mac ip 192.0.2.1
usage add-host dev lo mac $mac mac $mac ip 192.0.2.1
usage add-host dev 0123456789abcdef mac $mac ip 192.0.2.1
usage add-host dev a/b mac $mac ip 192.0.2.1
usage add-host dev "" mac $mac ip 192.0.2.1
usage "${host[@]}" foo bar
usage "${host[@]}" -j
usage "${host[@]}" ip
usage "${host[@]}" tcp
usage "${host[@]}" wake-count
usage "${host[@]}" lease
usage add-host dev
usage add-host
expect_msg 2 '"ip" needs a value' "${host[@]}" ip
expect_msg 2 'unknown keyword "foo"' "${host[@]}" foo bar

# del-host.
usage del-host
usage del-host dev lo
usage del-host mac $mac
usage del-host dev lo mac 01:00:5e:00:00:01
usage del-host dev lo mac $mac ip 192.0.2.1
usage del-host dev lo mac
usage del-host dev lo mac $mac dev lo
usage del-host dev lo mac $mac ping on
usage del-host dev lo mac $mac lease-wake off
usage del-host dev lo mac $mac wake-mac $mac
usage del-host dev lo mac $mac password de:ad:be:ef

# wake.
usage wake
usage wake dev lo
usage wake mac $mac
usage wake dev lo mac 01:00:5e:00:00:01
usage wake dev lo mac $mac password de:ad:be
usage wake dev lo mac $mac password
usage wake dev lo mac $mac ip 192.0.2.1
usage wake dev lo mac $mac password de:ad:be:ef password de:ad:be:ef

# monitor.
usage monitor foo
usage monitor dev lo

# config.
usage config foo
usage config -j -j set
usage config set
usage config set max-hosts
usage config set max-hosts 0
usage config set max-hosts 1048577
usage config set max-hosts 1 max-hosts 2
usage config set max-hosts default max-hosts 2
usage config set wake-rate 1.5
usage config set syn-hold 0
usage config set syn-hold-max 257
usage config set wake-timeout 3601
usage config set bogus 1
expect_msg 2 'unknown setting "max_hosts"' config set max_hosts 1
expect_msg 2 'invalid max-hosts "0" (expected 1 to 1048576, or default)' \
	config set max-hosts 0
expect_msg 2 'invalid awake-grace "1.2345" (expected 0 to 3600 seconds, with up to 3 decimals, or default)' \
	config set awake-grace 1.2345
expect_msg 2 'wake-rate given twice' config set wake-rate 1 wake-rate default
expect_msg 2 'reply-rate needs a value' config set reply-rate

# show and stats.
usage show foo
usage show -d foo
usage show dev
usage show dev lo dev lo
usage show dev a/b
usage stats foo
usage stats dev
usage stats dev lo dev lo
usage stats -o
usage stats -o -j
usage stats -j -o json
expect_msg 2 'unknown output format "yaml" (text, json, prometheus)' \
	stats -o yaml
expect_msg 1 'Cannot find device "nosuchdev0"' stats dev nosuchdev0

# save.
usage save a b
usage save - hosts
usage save hosts -
usage save -j
usage save -f hosts
usage save ""
expect_msg 2 'save takes one file at most' save a b
expect_msg 2 'unknown option "-x" (a file of that name is ./-x)' save -x

# -batch, and what cannot be read.
expect_msg 2 '"-batch" needs a file ("-" for standard input)' -batch
expect_msg 2 '"-b" needs a file' -j -b
expect_msg 2 '"--batch" given twice' -batch "$tmp/a" --batch "$tmp/b"
expect_msg 2 '"show" after -batch: the commands come from the file' \
	-batch "$tmp/a" show
expect_msg 2 'unknown option "-"' -batch - -
usage -batch - stats
usage -batch
expect_msg 1 'spctl: cannot open "/nonexistent/hosts": No such file or directory' \
	-batch /nonexistent/hosts
expect_msg 1 "spctl: cannot read \"$tmp\": Is a directory" -batch "$tmp"

# -batch: lines that fail without reaching the kernel count as failures.
printf '# nothing to do\n\n \t \n  # at all\n' >"$tmp/empty"
run -batch "$tmp/empty"
[[ $rc -eq 0 && ! -s $tmp/out && ! -s $tmp/err ]] &&
	passed=$((passed + 1)) || fail "-batch $tmp/empty" "exit status $rc"
run -batch - <"$tmp/empty"
[[ $rc -eq 0 && ! -s $tmp/out && ! -s $tmp/err ]] &&
	passed=$((passed + 1)) || fail "-batch - <$tmp/empty" "exit status $rc"
printf '%s\n' "add-host dev lo mac $mac" "show foo" "# fine" \
	'show dev "lo' "-j show" "save a b" \
	"add-host dev nosuchdev0 mac $mac ip 192.0.2.1" >"$tmp/bad"
expect 1 -batch "$tmp/bad"
if ! diff -u - "$tmp/err" >"$tmp/diff" <<EOF
spctl: $tmp/bad:1: add-host needs at least one "ip ADDR"
spctl: $tmp/bad:2: unknown keyword "foo"
spctl: $tmp/bad:4: unterminated double quote
spctl: $tmp/bad:5: unknown command "-j"; try "spctl help"
spctl: $tmp/bad:6: save takes one file at most
spctl: $tmp/bad:7: Cannot find device "nosuchdev0"
EOF
then
	passed=$((passed - 1))
	fail "-batch $tmp/bad" "$(cat "$tmp/diff")"
fi

# Help and version.
expect 0 help
expect 0 -h
expect 0 --help
expect 0 -j help
expect 0 help add-host
expect 0 add-host help
expect 0 add-host --help
expect 0 del-host -h
expect 0 show help
expect 0 stats --help
expect 0 save help
expect 0 save -h
expect 0 -V
expect 0 --version
run help
for cmd in add-host del-host show stats save help; do
	grep -qF "spctl $cmd" "$tmp/out" || fail help "no $cmd in the help"
done

# A device that does not exist.
expect_msg 1 'Cannot find device "nosuchdev0"' \
	add-host dev nosuchdev0 mac $mac ip 192.0.2.1
expect_msg 1 'Cannot find device "nosuchdev0"' \
	del-host dev nosuchdev0 mac $mac
expect_msg 1 'Cannot find device "nosuchdev0"' show dev nosuchdev0

# Well-formed commands without the module.
notloaded='spctl: the sleepproxy module is not loaded (no "sleepproxy" generic netlink family)'
# (A module that is installed may be loaded on demand by the first request.)
if [[ -e /sys/module/sleepproxy ]] || "$spctl" stats >/dev/null 2>&1; then
	echo "usage.sh: the sleepproxy module is loaded: skipping the tests that need it absent"
else
	expect_msg 1 "$notloaded" "${host[@]}" tcp 22,445 wake-count 3 lease 60
	expect_msg 1 "$notloaded" "${host[@]}" ip 2001:db8::1 tcp any
	expect_msg 1 "$notloaded" "${host[@]}" ping on
	expect_msg 1 "$notloaded" "${host[@]}" ip 2001:db8::1 ping off tcp any
	expect_msg 1 "$notloaded" "${host[@]}" wake-mac 52:54:00:12:34:57 \
		password 00:11:22:33:44:55
	expect_msg 1 "$notloaded" -j "${host[@]}"
	expect_msg 1 "$notloaded" del-host dev lo mac $mac
	expect_msg 1 "$notloaded" show
	expect_msg 1 "$notloaded" show dev lo -j
	expect_msg 1 "$notloaded" -j show
	expect_msg 1 "$notloaded" stats
	expect_msg 1 "$notloaded" stats -j
	expect_msg 1 "$notloaded" stats dev lo
	expect_msg 1 "$notloaded" stats -o prometheus
	expect_msg 1 "$notloaded" save
	expect_msg 1 "$notloaded" save "$tmp/hosts"
	[[ ! -e $tmp/hosts && ! -e $tmp/hosts.tmp ]] && passed=$((passed + 1)) ||
		fail "save $tmp/hosts" "a file was left without the module"
	expect_msg 1 "spctl: <stdin>:2: ${notloaded#spctl: }" -batch - <<EOF
# to stdout, which expect wants to be empty
${host[*]} lease-wake off
EOF
fi
run help
grep -qF -- "-batch FILE" "$tmp/out" || fail help "no -batch in the help"
grep -qF "lease-wake on|off" "$tmp/out" || fail help "no lease-wake in the help"
grep -qF "[wake-mac LLADDR] [password HEX]" "$tmp/out" ||
	fail help "no wake-mac or password in the help"

echo "usage.sh: $passed passed, $failed failed${vg:+ (under valgrind)}"
[[ $failed -eq 0 ]]
