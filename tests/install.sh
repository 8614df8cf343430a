#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Debian packages (make deb) installed as an admin installs them, in
# the guest that tests/vm/run.sh boots: dpkg installs sleepproxy-dkms and
# sleepproxy, DKMS builds the module for the running kernel, modprobe
# loads that module with the parameters /etc/modprobe.d gives it, the
# sleepproxy service's own commands save a registration and restore it
# after the module was gone, the bash completion offers the MAC
# registered, and purging both packages leaves nothing behind.
#
# The guest's root is the host's, read-only: everything happens in a
# writable view of it (an overlay with a tmpfs on top), chrooted into,
# so that what the packages leave is exactly what the overlay holds.
#
# Only the running kernel's headers stay in that view: DKMS would build
# for every kernel that has them, and one build under emulation takes
# minutes already.
#
#   tests/vm/run.sh tests/install.sh     (after make deb)
#
# SLEEPPROXY_DEB_DIR: where the packages are (default dist/).
# SLEEPPROXY_DKMS_TIMEOUT: seconds the installation, DKMS's build
# included, may take (default 1500).

set -e
set -o pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
repo=$(cd "$here/.." && pwd -P)
debs=${SLEEPPROXY_DEB_DIR:-$repo/dist}
build_limit=${SLEEPPROXY_DKMS_TIMEOUT:-1500}
K=$(uname -r)
MAC=52:54:00:5e:e9:01
dev=spinst$$
n=0
tmp=$(mktemp -d /tmp/sleepproxy-install.XXXXXX)
root=$tmp/root

ok() { n=$((n + 1)); echo "ok $n - $*"; }
fail() {
	echo "not ok $((n + 1)) - $*"
	[[ -s $tmp/out ]] && sed 's/^/#   /' "$tmp/out" | tail -n 40
	echo "$n passed, 1 failed"
	exit 1
}
trap 'fail "unexpected failure at line $LINENO: $BASH_COMMAND"' ERR

# in_root CMD...: CMD in the writable view, as a root shell there runs it.
in_root() {
	chroot "$root" /usr/bin/env -i \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}
# timed WHAT CMD...: CMD's output in $tmp/out, how long it took on stdout.
timed() {
	local what=$1 start=$SECONDS
	shift
	"$@" >"$tmp/out" 2>&1 || fail "$what"
	ok "$what ($((SECONDS - start)) s)"
}

cleanup() {
	set +e
	trap - ERR
	[[ -d /sys/module/sleepproxy ]] && rmmod sleepproxy
	ip link del "$dev" 2>/dev/null
	local m
	for m in "$root" "$tmp/lower" "$tmp/upper"; do
		mountpoint -q "$m" && umount -R "$m"
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

[[ $(id -u) -eq 0 ]] || { echo "install.sh must run as root" >&2; exit 1; }
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$repo/dkms.conf")
arch=$(dpkg --print-architecture)
dkms_deb=$debs/sleepproxy-dkms_${version}_all.deb
tools_deb=$debs/sleepproxy_${version}_$arch.deb
for f in "$dkms_deb" "$tools_deb"; do
	[[ -e $f ]] || fail "$f is missing: make deb"
done
[[ -e /lib/modules/$K/build ]] || fail "no headers for $K (linux-headers-amd64)"
# The module of another suite must not stand in for DKMS's.
[[ -d /sys/module/sleepproxy ]] && rmmod sleepproxy

# ---------------------------------------------------------------- the view
mkdir -p "$tmp"/{upper,lower,root}
mount -t tmpfs -o mode=0755 tmpfs "$tmp/upper"
# The root alone, without what is mounted on it: the view's lower layer.
mount --bind -o ro / "$tmp/lower"
mkdir -p "$tmp/upper/data" "$tmp/upper/work"
upper=$tmp/upper/data
mount -t overlay overlay \
	-o "lowerdir=/,upperdir=$upper,workdir=$tmp/upper/work" "$root"
mount -t proc proc "$root/proc"
mount -t sysfs sys "$root/sys"
mount --rbind /dev "$root/dev"
mount -t tmpfs -o mode=0755 tmpfs "$root/run"
mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
cp "$dkms_deb" "$tools_deb" "$root/tmp/"
for k in "$root"/lib/modules/*; do
	k=$(basename "$k")
	[[ $k == "$K" ]] || rm -f "$root/lib/modules/$k/build"
done
# man-db would index every manual page under emulation.
rm -f "$root/var/lib/man-db/auto-update"
in_root dpkg-query -W -f='${db:Status-Status}' sleepproxy sleepproxy-dkms \
	>"$tmp/out" 2>&1 && fail "the packages are installed already"
# What the view holds before: what is there after a purge must be no more.
# Files, links and whiteouts (deleted files) on the upper layer, and its
# directories that the root does not have.
list_upper() {
	(cd "$upper" && {
		find . -mindepth 1 \( -type f -o -type l -o -type c \)
		find . -mindepth 1 -type d | while IFS= read -r d; do
			[[ -d $tmp/lower/$d ]] || echo "$d/"
		done
	} | LC_ALL=C sort)
}
list_upper >"$tmp/before"
ok "a writable view of the root for $K"

# ---------------------------------------------------------------- install
timed "dpkg -i sleepproxy-dkms sleepproxy (DKMS builds the module)" \
	timeout "$build_limit" chroot "$root" /usr/bin/env -i \
	PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive dpkg -i "/tmp/$(basename "$dkms_deb")" "/tmp/$(basename "$tools_deb")"
status=$(in_root dkms status -m sleepproxy -v "$version" -k "$K")
[[ $status == *": installed"* ]] || fail "dkms status: $status"
ok "dkms: $status"
ko=$(in_root modinfo -k "$K" -F filename sleepproxy)
[[ $ko == /lib/modules/$K/updates/dkms/sleepproxy.ko* ]] ||
	fail "modprobe would load $ko, not DKMS's module"
vermagic=$(in_root modinfo -k "$K" -F vermagic sleepproxy)
[[ $vermagic == "$K "* ]] || fail "DKMS's module is for $vermagic"
ok "modinfo: $ko, for $K"
grep -qx 'AUTOINSTALL="yes"' "$root/usr/src/sleepproxy-$version/dkms.conf" ||
	fail "dkms.conf does not rebuild for new kernels"
[[ -x $root/etc/kernel/postinst.d/dkms ]] || fail "no DKMS kernel hook"
ok "kernels installed later get the module (AUTOINSTALL, DKMS's hook)"

# ---------------------------------------------------------------- modprobe
# The example, with two parameters set as an admin would.
sed -e 's/^#\(options sleepproxy max_hosts\)=.*/\1=1234/' \
    -e 's/^#\(options sleepproxy awake_grace_ms\)=.*/\1=1500/' \
	"$root/usr/share/doc/sleepproxy/examples/modprobe.d-sleepproxy.conf" \
	>"$root/etc/modprobe.d/sleepproxy.conf"
in_root modprobe sleepproxy >"$tmp/out" 2>&1 || fail "modprobe sleepproxy"
# The module loaded is DKMS's: the same build ID.
case $ko in
*.xz) xz -dc "$root$ko" >"$tmp/ko" ;;
*.zst) zstd -qdc "$root$ko" >"$tmp/ko" ;;
*.gz) gzip -dc "$root$ko" >"$tmp/ko" ;;
*) cp "$root$ko" "$tmp/ko" ;;
esac
objcopy -O binary --only-section=.note.gnu.build-id "$tmp/ko" "$tmp/build-id"
[[ -s $tmp/build-id ]] || fail "$ko has no build ID"
cmp -s "$tmp/build-id" /sys/module/sleepproxy/notes/.note.gnu.build-id ||
	fail "the module loaded is not DKMS's"
ok "modprobe sleepproxy loads DKMS's module"
p=/sys/module/sleepproxy/parameters
expect_param() {
	[[ $(cat "$p/$1") == "$2" ]] || fail "$1 is $(cat "$p/$1"), want $2"
}
expect_param max_hosts 1234
expect_param awake_grace_ms 1500
expect_param max_wakes_per_sec 20
ok "/etc/modprobe.d/sleepproxy.conf sets max_hosts and awake_grace_ms"

# ---------------------------------------------------------------- the unit
unit=$root/lib/systemd/system/sleepproxy.service
[[ -L $root/etc/systemd/system/multi-user.target.wants/sleepproxy.service ]] ||
	fail "the sleepproxy service is not enabled"
[[ ! -e $root/etc/systemd/system/multi-user.target.wants/spsd.service ]] ||
	fail "spsd is enabled before it is configured"
ok "the sleepproxy service is enabled, spsd is not"
# unit_run KEY: run the unit's KEY= commands as systemd would, after its
# prefixes ("-": a failure is no failure).
unit_run() {
	local cmd ign rc
	while IFS= read -r cmd; do
		ign=
		while [[ $cmd == [-+@!:]* ]]; do
			[[ $cmd == -* ]] && ign=1
			cmd=${cmd:1}
		done
		rc=0
		in_root /bin/sh -c "$cmd" >>"$tmp/out" 2>&1 || rc=$?
		[[ $rc -eq 0 || -n $ign ]] || return "$rc"
	done < <(sed -n "s/^$1=//p" "$unit")
}
ip link add "$dev" type dummy
ip link set "$dev" up
in_root spctl add-host dev "$dev" mac $MAC ip 192.0.2.44 ip 2001:db8::44 tcp 22,445 \
	password 01:02:03:04:05:06 >"$tmp/out" 2>&1 || fail "spctl add-host"
in_root spctl show -j | jq -c '.[] | [.dev, .mac, .addrs, .tcp_ports]' >"$tmp/registered"
# The unit's StateDirectory=, as systemd makes it.
mkdir -p "$root/var/lib/sleepproxy"
: >"$tmp/out"
unit_run ExecStop || fail "ExecStop"
hosts=$root/var/lib/sleepproxy/hosts
grep -q "^add-host dev $dev mac $MAC " "$hosts" || fail "the saved hosts: $(cat "$hosts")"
[[ $(stat -c %a "$hosts") == 600 ]] || fail "the saved hosts have mode $(stat -c %a "$hosts")"
ok "ExecStop saves the host to /var/lib/sleepproxy/hosts (mode 600)"
# A reboot: the module and its hosts are gone.
rmmod sleepproxy
: >"$tmp/out"
unit_run ExecStartPre || fail "ExecStartPre"
unit_run ExecStart || fail "ExecStart"
in_root spctl show -j | jq -c '.[] | [.dev, .mac, .addrs, .tcp_ports]' >"$tmp/restored"
cmp -s "$tmp/registered" "$tmp/restored" ||
	fail "restored $(cat "$tmp/restored"), had $(cat "$tmp/registered")"
[[ $(in_root spctl show -j | jq -r '.[0].password // empty') == 01:02:03:04:05:06 ]] ||
	fail "the SecureOn password was not restored"
ok "ExecStartPre and ExecStart load the module and restore the host"

# ---------------------------------------------------------------- the rest
got=$(in_root bash -c '
	. /usr/share/bash-completion/bash_completion
	. /usr/share/bash-completion/completions/spctl
	COMP_LINE="spctl del-host dev '"$dev"' mac "
	COMP_POINT=${#COMP_LINE}
	COMP_WORDS=(spctl del-host dev '"$dev"' mac "")
	COMP_CWORD=5
	_spctl spctl "" mac
	printf "%s\n" "${COMPREPLY[@]}"')
[[ $got == "$MAC" ]] || fail "completion after mac offers \"$got\""
ok "bash completion offers the MAC registered with the module"
in_root man -w spctl >/dev/null && in_root man -w spsd >/dev/null ||
	fail "no manual pages"
ok "man spctl, man spsd"

# ---------------------------------------------------------------- purge
rmmod sleepproxy
ip link del "$dev"
# The admin's own file is not the packages' to remove.
rm "$root/etc/modprobe.d/sleepproxy.conf"
timed "dpkg --purge sleepproxy sleepproxy-dkms" \
	in_root dpkg --purge sleepproxy sleepproxy-dkms
# dpkg's own records and logs, caches and the kernel's module indexes
# change, and DKMS keeps the key it made to sign modules (its own, for
# every module it builds); nothing else may stay.
list_upper | comm -13 "$tmp/before" - |
	grep -v -E '^\./var/lib/dpkg/|^\./var/log/|^\./var/cache/|^\./etc/ld\.so\.cache$' |
	grep -v -E '^\./var/lib/dkms/mok\.(key|pub)$' |
	grep -v -E "^\./(usr/)?lib/modules/$(sed 's/[.+]/\\&/g' <<<"$K")/modules\.[a-z.]+\$" \
	>"$tmp/left" || true
[[ ! -s $tmp/left ]] || { cp "$tmp/left" "$tmp/out"; fail "left behind after purge"; }
! in_root modinfo -k "$K" sleepproxy >/dev/null 2>&1 ||
	fail "modinfo still finds a module after purge"
ok "purging both leaves nothing behind"

echo "$n passed, 0 failed"
