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

missing=()
for p in "${pkgs[@]}"; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[[ $status == installed ]] || missing+=( "$p" )
done

if [[ ${#missing[@]} -eq 0 ]]; then
	echo "deps: all ${#pkgs[@]} packages present"
	exit 0
fi

echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
as_root() {
	if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo -E "$@"; fi
}
as_root apt-get update -q
# Packages that do not exist in this release (codespell on an odd mirror,
# say) must not stop the rest: try them all at once, then one by one.
if ! as_root apt-get install -y -q --no-install-recommends "${missing[@]}"; then
	for p in "${missing[@]}"; do
		as_root apt-get install -y -q --no-install-recommends "$p" ||
			echo "deps: warning: could not install $p" >&2
	done
fi

# Everything the VM tests cannot do without must be there now.
for p in linux-image-amd64 linux-headers-amd64 qemu-system-x86 busybox-static \
	 iproute2 tcpdump python3-scapy; do
	dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed ||
		{ echo "deps: $p is missing" >&2; exit 1; }
done
