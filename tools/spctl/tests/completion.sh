#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# spctl.bash-completion as bash runs it when TAB is pressed: for a command
# line, the words bash would hand it (a MAC is split at its colons, as
# COMP_WORDBREAKS has ':'), and the completions it offers.  MACs come from
# "spctl show" against the stand-in for the module.
#
#   tests/completion.sh [COMPLETION] [SPCTL] [FAKE_KERNEL_SO]

set -u

comp=$(realpath "${1:-spctl.bash-completion}")
spctl=$(realpath "${2:-./spctl}")
fake=$(realpath "${3:-tests/fake-kernel.so}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

bc=/usr/share/bash-completion/bash_completion
if [[ ! -r $bc ]]; then
	echo "completion.sh: FAIL: $bc missing (Debian: bash-completion)" >&2
	exit 1
fi
# shellcheck source=/dev/null
. "$bc"
# shellcheck source=spctl.bash-completion
. "$comp"

failed=0
passed=0

# complete_line LINE: COMPREPLY for the cursor at the end of LINE.
complete_line() {
	local line=$1 w
	# The completion asks the spctl typed for the MACs: this one.
	line=$spctl${line#spctl}
	COMP_LINE=$line
	COMP_POINT=${#line}
	COMP_WORDS=()
	# Split at blanks, then at each colon as bash does; a trailing blank
	# starts an empty word.
	for w in $line; do
		while [[ $w == *:* ]]; do
			[[ -n ${w%%:*} ]] && COMP_WORDS+=("${w%%:*}")
			COMP_WORDS+=(":")
			w=${w#*:}
		done
		[[ -n $w ]] && COMP_WORDS+=("$w")
	done
	[[ $line == *' ' ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_spctl spctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
}

# expect LINE WANT...: the completions for LINE, in any order, are WANT.
expect() {
	local line=$1 got want
	shift
	complete_line "$line"
	got=$(printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort | tr '\n' ' ')
	want=$(printf '%s\n' "$@" | sed '/^$/d' | sort | tr '\n' ' ')
	if [[ $got == "$want" ]]; then
		passed=$((passed + 1))
	else
		echo "FAIL: \"$line\": got [${got% }], want [${want% }]" >&2
		failed=$((failed + 1))
	fi
}

# The stand-in for the module, with two hosts on lo and one elsewhere.
export FAKE_SP_STATE=$tmp/state FAKE_SP_LOG=$tmp/log
export LD_PRELOAD=$fake
ifaces=$(ls /sys/class/net)
other=$(printf '%s\n' $ifaces | grep -vx lo | head -n 1)
"$spctl" add-host dev lo mac 52:54:00:aa:bb:cc ip 192.168.1.4 &&
	"$spctl" add-host dev lo mac 52:54:00:aa:bb:dd ip 192.168.1.5 ||
	{ echo "completion.sh: FAIL: cannot register hosts" >&2; exit 1; }
if [[ -n $other ]]; then
	"$spctl" add-host dev "$other" mac 52:54:00:12:34:56 ip 192.168.1.6 ||
		{ echo "completion.sh: FAIL: cannot register on $other" >&2; exit 1; }
fi
all_macs=(52:54:00:aa:bb:cc 52:54:00:aa:bb:dd)
[[ -n $other ]] && all_macs+=(52:54:00:12:34:56)

cmds=(add-host del-host show stats save wake monitor config help)

# The commands and each one's keywords are those of spctl's own help: a
# keyword spctl learns must be learnt here too.
help_cmds=$("$spctl" help | sed -n 's/^  spctl \([a-z-]*\).*/\1/p')
# shellcheck disable=SC2086
expect 'spctl ' $help_cmds
for c in $help_cmds; do
	[[ $c == help || $c == save || $c == config ]] && continue
	# Words of the synopsis that are keywords: not placeholders (upper
	# case), not the values of on|off, any or the output formats.
	kws=$("$spctl" help "$c" | sed '$d' | tr -s ' []|.,' '\n' |
		grep -E '^-?[a-z][a-z-]*$' | grep -vx -e spctl -e "$c" -e on -e off -e any \
		-e text -e json -e prometheus | sort -u)
	# shellcheck disable=SC2086
	expect "spctl $c " $kws
done
expect 'spctl ' "${cmds[@]}"
# config: its settings are those "spctl help config" names.
config_keys=$("$spctl" help config | sed 1d | tr -s ' ,;.' '\n' |
	grep -E '^[a-z]+(-[a-z]+)+$' | sort -u)
[[ $(wc -w <<<"$config_keys") -eq 8 ]] && passed=$((passed + 1)) || {
	echo "FAIL: spctl help config names 8 settings: [$config_keys]" >&2
	failed=$((failed + 1))
}
expect 'spctl config ' -j set
expect 'spctl config -j '
# shellcheck disable=SC2086
expect 'spctl config set ' $config_keys
expect 'spctl config set max-hosts ' default
expect 'spctl config set max-hosts 5 wake-' wake-rate wake-timeout
expect 'spctl config set wake-rate 5 wake-timeout default syn-hold' \
	syn-hold syn-hold-max syn-hold-total
expect 'spctl config set syn-hold-max 1 syn-hold ' default
expect 'spctl s' show stats save
expect 'spctl -j ' "${cmds[@]}"
expect 'spctl -' -j -json --json -b -batch --batch -V --version -h --help
expect 'spctl --v' --version
expect 'spctl -V '
expect 'spctl help ' "${cmds[@]}"
expect 'spctl help show '

# Keywords, each once but ip and tcp, and their fixed values.
expect 'spctl add-host ' dev mac ip tcp wake-count wake-mac password \
	wake-timeout lease ping lease-wake
expect 'spctl add-host dev lo mac 52:54:00:aa:bb:cc ip 10.0.0.1 ' ip tcp \
	wake-count wake-mac password wake-timeout lease ping lease-wake
expect 'spctl add-host dev lo p' password ping
expect 'spctl add-host dev lo ping ' on off
expect 'spctl add-host dev lo lease-wake o' on off
expect 'spctl add-host dev lo tcp ' any
expect 'spctl add-host dev lo ip '
expect 'spctl add-host dev lo password '
expect 'spctl del-host ' dev mac
expect 'spctl del-host mac 52:54:00:aa:bb:cc ' dev
expect 'spctl wake ' dev mac password
expect 'spctl show ' dev -d -j
expect 'spctl show -d ' dev -j
expect 'spctl stats ' dev -j -o
expect 'spctl stats -o ' text json prometheus
expect 'spctl stats -o p' prometheus
expect 'spctl monitor ' -j
expect 'spctl monitor -j '
expect 'spctl bogus '

# Interface names, and registered MACs (those of the dev given first).
# shellcheck disable=SC2086
expect 'spctl show dev ' $ifaces
expect 'spctl add-host dev l' $(printf '%s\n' $ifaces | grep '^l')
expect 'spctl del-host dev lo mac ' 52:54:00:aa:bb:cc 52:54:00:aa:bb:dd
expect 'spctl wake mac ' "${all_macs[@]}"
# After "52:54:00:aa:" bash replaces only the part after the last colon.
expect 'spctl del-host dev lo mac 52:54:00:aa:bb:c' cc
expect 'spctl del-host dev lo mac 52:54:00:aa:' bb:cc bb:dd
if [[ -n $other ]]; then
	expect "spctl del-host dev $other mac " 52:54:00:12:34:56
fi
expect 'spctl del-host dev nosuchif0 mac '

# Files after -batch and save.
mkdir "$tmp/dir" && : >"$tmp/dir/hosts.saved"
expect "spctl -batch $tmp/dir/h" "$tmp/dir/hosts.saved"
expect "spctl save $tmp/dir/h" "$tmp/dir/hosts.saved"
expect "spctl -batch $tmp/dir/hosts.saved "

echo "completion.sh: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
