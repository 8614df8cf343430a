#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what `make check` and `make demo` need on a Debian 12 machine.
# Idempotent: when everything is already there it only asks dpkg and exits.
# Run as root (or with sudo available).

set -e

# Build: the module, the tool, a kernel for KUnit.
pkgs=(
	build-essential pkg-config libmnl-dev
	# spsd: DNS messages, and mDNS through avahi-daemon
	libldns-dev libavahi-client-dev
	linux-image-amd64 linux-headers-amd64 linux-source
	bc flex bison libelf-dev libssl-dev
	sparse valgrind groff man-db codespell python3-yaml
	# libFuzzer for spctl's parsers; the i386 module check needs nothing
	# more: Debian's gcc targets -m32 and a kernel needs no 32-bit libc.
	clang libclang-rt-dev
	# systemd-analyze verify for tools/systemd/sleepproxy.service
	systemd
	# spctl's bash completion is tested with bash-completion's helpers
	bash-completion
	# make deb: the Debian packages, and lintian to check them; the VM
	# installs them, and DKMS builds the module there
	dpkg-dev debhelper dh-dkms dkms lintian
)
# The QEMU guest and its initramfs.
pkgs+=( qemu-system-x86 busybox-static kmod cpio xz-utils zstd )
# Tools the tests run inside the guest.
pkgs+=(
	iproute2 iputils-ping iputils-arping tcpdump python3 python3-scapy jq nftables
	ethtool procps libcap2-bin util-linux
	# spsd's tests: real avahi-daemons on private D-Bus buses, a client
	avahi-daemon avahi-utils dbus-daemon python3-dnspython \
	python3-prometheus-client
	# tests/routed.sh: a WireGuard tunnel into the gateway
	wireguard-tools
)

export DEBIAN_FRONTEND=noninteractive
as_root() {
	if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo -E "$@"; fi
}

# The second kernel the checks build for and boot: 6.12, what Debian 13
# runs.  Debian 12 carries it beside its own 6.1 (which stays the default
# linux-image-amd64) as linux-image-6.12-amd64, in bookworm-security; where
# the archive has no such package, bookworm-backports has it as
# linux-image-amd64, and the suite is added in a file of its own (once).
installed() {
	dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null | grep -qx installed
}
candidate() {
	apt-cache policy "$1" 2>/dev/null | grep -q '^ *Candidate: [0-9]'
}
bpo=()
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
# bookworm-backports, in a file of its own, added once.
backports() {
	local list=/etc/apt/sources.list.d/sleepproxy-bookworm-backports.sources

	grep -rqsw bookworm-backports /etc/apt/sources.list /etc/apt/sources.list.d/ &&
		return 0
	echo "deps: adding bookworm-backports to the archive ($list)"
	printf '%s\n' 'Types: deb' 'URIs: http://deb.debian.org/debian' \
		'Suites: bookworm-backports' 'Components: main' \
		'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' |
		as_root tee "$list" >/dev/null
	as_root apt-get update -q
}
second_kernel() {
	local abi

	if [[ $codename != bookworm ]]; then
		echo "deps: not Debian 12 ($codename): no second kernel to install" >&2
		return 0
	fi
	# The kernel's source, for KUnit on 6.12, and pahole, which 6.12's
	# kbuild runs to give the module BTF.
	pkgs+=( linux-source-6.12 dwarves )
	if installed linux-image-6.12-amd64 ||
	   { candidate linux-image-6.12-amd64 || as_root apt-get update -q; candidate linux-image-6.12-amd64; }; then
		pkgs+=( linux-image-6.12-amd64 linux-headers-6.12-amd64 )
		return 0
	fi
	backports
	# Its linux-image-amd64 depends on linux-image-6.12.N+deb12-amd64:
	# install that one by name, never the meta-package over 6.1's.
	abi=$(apt-cache show linux-image-amd64/bookworm-backports 2>/dev/null |
	      sed -n 's/^Depends: linux-image-\(6\.12[^ ,]*\).*/\1/p' | head -n 1)
	[[ -n $abi ]] || { echo "deps: no 6.12 kernel in the archive" >&2; exit 1; }
	for p in "linux-image-$abi" "linux-headers-$abi"; do
		installed "$p" || bpo+=( "$p" )
	done
}
second_kernel

# QEMU before 8.1 can translate a page of guest code while another vCPU
# is rewriting it (fixed by "accel/tcg: Always lock pages before
# translation"): when the guest flips a static key, as the stack does each
# time a socket first asks for timestamps, a vCPU may then run the int3
# that the kernel has already taken out again, and the guest panics in
# __netif_receive_skb_core.  Debian 12 ships 7.2; bookworm-backports
# carries a fixed one.  tests/vm/run.sh runs an older QEMU on one thread.
new_qemu() {
	local v

	[[ $codename == bookworm ]] || return 0
	v=$(dpkg-query -W -f='${Version}' qemu-system-x86 2>/dev/null) || v=
	[[ -n $v ]] && dpkg --compare-versions "$v" ge 1:8.1 && return 0
	backports
	bpo+=( qemu-system-x86 )
}
new_qemu

# One dpkg query for them all: make check asks once per sub-make.
declare -A have=()
while read -r p st; do
	[[ $st == installed ]] && have[$p]=1
done < <(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${pkgs[@]}" 2>/dev/null || true)
for p in "${bpo[@]}"; do
	have[$p]=1	# comes from backports, below
done
missing=()
for p in "${pkgs[@]}"; do
	[[ -n ${have[$p]:-} ]] || missing+=( "$p" )
done

if [[ ${#missing[@]} -eq 0 && ${#bpo[@]} -eq 0 ]]; then
	echo "deps: all ${#pkgs[@]} packages present"
	exit 0
fi

echo "deps: installing ${missing[*]} ${bpo[*]}"
as_root apt-get update -q
# Packages that do not exist in this release (codespell on an odd mirror,
# say) must not stop the rest: try them all at once, then one by one.
if [[ ${#missing[@]} -ne 0 ]] &&
   ! as_root apt-get install -y -q --no-install-recommends "${missing[@]}"; then
	for p in "${missing[@]}"; do
		as_root apt-get install -y -q --no-install-recommends "$p" ||
			echo "deps: warning: could not install $p" >&2
	done
fi
# The backports kernel, with what it needs from backports (linux-kbuild),
# and QEMU.
if [[ ${#bpo[@]} -ne 0 ]]; then
	as_root apt-get install -y -q --no-install-recommends -t bookworm-backports "${bpo[@]}"
fi

# Everything the VM tests cannot do without must be there now.
for p in linux-image-amd64 linux-headers-amd64 qemu-system-x86 busybox-static \
	 iproute2 tcpdump python3-scapy; do
	dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed ||
		{ echo "deps: $p is missing" >&2; exit 1; }
done
