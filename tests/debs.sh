#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Debian packages that "make deb" put in dist/, checked on the host
# ("make debcheck", part of "make check"): lintian finds nothing, not even
# an informational or pedantic tag; each package holds what it promises
# and sleepproxy-dkms every source the module's Kbuild names; the module
# parameters are all in Documentation/parameters.md and the modprobe.d
# example with their defaults; "make install" honours DESTDIR and PREFIX;
# DKMS builds the packaged sources for every kernel installed here.
# Installing the packages is tests/install.sh's part, in the VM.
#
#   tests/debs.sh

set -u
set -o pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
repo=$(cd "$here/.." && pwd -P)
cd "$repo"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

failed=0
passed=0
fail() {
	echo "FAIL: $1" >&2
	shift
	printf '  %s\n' "$@" >&2
	failed=$((failed + 1))
}
ok() { passed=$((passed + 1)); }

version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' dkms.conf)
arch=$(dpkg --print-architecture)
dkms_deb=dist/sleepproxy-dkms_${version}_all.deb
tools_deb=dist/sleepproxy_${version}_$arch.deb
changes=dist/sleepproxy_${version}_$arch.changes
for f in "$dkms_deb" "$tools_deb" "$changes"; do
	[[ -e $f ]] || { echo "debs.sh: $f missing: make deb" >&2; exit 1; }
done

# ---------------------------------------------------------------- lintian
if out=$(lintian --allow-root --pedantic --display-info --display-experimental \
		"$changes" 2>&1) && [[ -z $out ]]; then
	ok
else
	fail "lintian $changes" "$out"
fi

# ---------------------------------------------------------------- contents
contents() { dpkg-deb -c "$1" | awk '{ print $6 }' | sed 's|^\./|/|; s|/$||'; }
# has LIST PATH...: every PATH is in the package's file LIST.
has() {
	local list=$1 p
	shift
	for p in "$@"; do
		if grep -qxF -- "$p" "$list"; then ok; else fail "$(basename "$list" .list) lacks $p"; fi
	done
}
contents "$dkms_deb" >"$tmp/sleepproxy-dkms.list"
contents "$tools_deb" >"$tmp/sleepproxy.list"

src=/usr/src/sleepproxy-$version
# Every object the module is made of, from kernel/Kbuild, and its header.
objs=$(sed -n '/^sleepproxy-y/,/[^\\]$/p' kernel/Kbuild | tr -d '\\' |
	sed 's/^sleepproxy-y *:= *//' | tr -s ' \t' '\n' | grep '\.o$')
[[ $(wc -w <<<"$objs") -gt 10 ]] || fail "cannot read the objects from kernel/Kbuild" "$objs"
for o in $objs; do
	has "$tmp/sleepproxy-dkms.list" "$src/kernel/${o%.o}.c"
done
has "$tmp/sleepproxy-dkms.list" "$src/dkms.conf" "$src/Kbuild" \
	"$src/kernel/Kbuild" "$src/uapi/linux/sleepproxy.h"
for h in kernel/*.h; do
	has "$tmp/sleepproxy-dkms.list" "$src/$h"
done
if grep -E '\.(o|ko|mod|cmd)$|\.mod\.c$|/\.' "$tmp/sleepproxy-dkms.list" >"$tmp/junk"; then
	fail "sleepproxy-dkms holds build products" "$(cat "$tmp/junk")"
fi
dpkg-deb --fsys-tarfile "$dkms_deb" | tar -xO ".$src/dkms.conf" >"$tmp/dkms.conf"
cmp -s "$tmp/dkms.conf" dkms.conf || fail "sleepproxy-dkms's dkms.conf is not dkms.conf"
dpkg-deb -f "$dkms_deb" Depends | grep -qw dkms || fail "sleepproxy-dkms does not depend on dkms"

has "$tmp/sleepproxy.list" /usr/sbin/spctl /usr/sbin/spsd \
	/usr/share/man/man8/spctl.8.gz /usr/share/man/man8/spsd.8.gz \
	/lib/systemd/system/sleepproxy.service /lib/systemd/system/spsd.service \
	/etc/sleepproxy/spsd.conf \
	/usr/share/bash-completion/completions/spctl \
	/usr/share/doc/sleepproxy/examples/modprobe.d-sleepproxy.conf \
	/usr/share/doc/sleepproxy/examples/modules-load.d-sleepproxy.conf
dpkg-deb --fsys-tarfile "$tools_deb" | tar -xO ./lib/systemd/system/sleepproxy.service \
	>"$tmp/unit"
grep -q '^ExecStop=/usr/sbin/spctl save ' "$tmp/unit" &&
	! grep -q @SBINDIR@ "$tmp/unit" || fail "the packaged unit does not run /usr/sbin/spctl" "$(cat "$tmp/unit")"
dpkg-deb --ctrl-tarfile "$tools_deb" | tar -xO ./conffiles >"$tmp/conffiles" 2>/dev/null
grep -qx /etc/sleepproxy/spsd.conf "$tmp/conffiles" || fail "spsd.conf is no conffile"

# ---------------------------------------------------------------- parameters
# Every module_param_named(NAME, VAR, ...) with VAR's initial value.
for c in kernel/*.c; do
	sed -n 's/^module_param_named(\([a-z_]*\), *\([a-z_]*\),.*/\1 \2/p' "$c" |
		while read -r name var; do
			def=$(sed -n "s/^.*unsigned int $var __read_mostly = \([0-9]*\);/\1/p" "$c")
			echo "$name ${def:-?}"
		done
done >"$tmp/params"
[[ $(wc -l <"$tmp/params") -ge 8 ]] || fail "cannot find the module parameters" "$(cat "$tmp/params")"
while read -r name def; do
	[[ $def != '?' ]] || fail "no initial value found for $name"
	grep -qE "^\| \`$name\` \| $def \|" Documentation/parameters.md ||
		fail "Documentation/parameters.md: no $name with default $def"
	grep -qx "#options sleepproxy $name=$def" tools/modprobe.d/sleepproxy.conf ||
		fail "tools/modprobe.d/sleepproxy.conf: no $name=$def"
done <"$tmp/params"
documented=$(grep -cE '^\| `[a-z_]+` \| [0-9]+ \|' Documentation/parameters.md)
[[ $documented -eq $(wc -l <"$tmp/params") ]] ||
	fail "Documentation/parameters.md has $documented parameters, the module $(wc -l <"$tmp/params")"

# ---------------------------------------------------------------- install
if make -s install DESTDIR="$tmp/stage" PREFIX=/opt/sleepproxy >"$tmp/make.log" 2>&1; then
	(cd "$tmp/stage" && find . ! -type d | sed 's|^\.||' | sort) >"$tmp/staged"
	has "$tmp/staged" /opt/sleepproxy/sbin/spctl /opt/sleepproxy/sbin/spsd \
		/opt/sleepproxy/share/man/man8/spctl.8 /opt/sleepproxy/share/man/man8/spsd.8 \
		/opt/sleepproxy/lib/systemd/system/sleepproxy.service \
		/opt/sleepproxy/share/bash-completion/completions/spctl \
		/opt/sleepproxy/share/doc/sleepproxy/examples/modprobe.d-sleepproxy.conf \
		/etc/sleepproxy/spsd.conf
	# Kbuild's directory for external modules: extra/ up to 6.x, updates/
	# in newer kernels.
	grep -qE '^/lib/modules/[^/]*/(extra|updates)/.*sleepproxy\.ko' "$tmp/staged" ||
		fail "make install DESTDIR= installs no module under DESTDIR" "$(cat "$tmp/staged")"
	grep -q '^ExecStop=/opt/sleepproxy/sbin/spctl ' \
		"$tmp/stage/opt/sleepproxy/lib/systemd/system/sleepproxy.service" ||
		fail "the installed unit does not run PREFIX's spctl"
	if grep -v -E '^/(opt/sleepproxy|etc/sleepproxy|lib/modules)/' "$tmp/staged" >"$tmp/outside"; then
		fail "make install wrote outside PREFIX" "$(cat "$tmp/outside")"
	fi
	make -s install-dkms-src DESTDIR="$tmp/dkms" >>"$tmp/make.log" 2>&1
	(cd "$tmp/dkms" && find . ! -type d | sed 's|^\.||' | sort) >"$tmp/dkms-staged"
	grep "^$src/" "$tmp/sleepproxy-dkms.list" | while read -r p; do
		[[ -d $tmp/dkms$p ]] || echo "$p"
	done | sort | diff -u - "$tmp/dkms-staged" >"$tmp/dkms.diff" ||
		fail "make install-dkms-src and sleepproxy-dkms differ" "$(cat "$tmp/dkms.diff")"
else
	fail "make install DESTDIR=... PREFIX=/opt/sleepproxy" "$(tail -n 20 "$tmp/make.log")"
fi

# ---------------------------------------------------------------- dkms
# DKMS builds sleepproxy-dkms's sources for every kernel here with headers
# (what its postinst does), each in a tree of this test's own: the
# system's DKMS state is left alone.
if command -v dkms >/dev/null; then
	dpkg-deb -x "$dkms_deb" "$tmp/dkmsroot"
	mkdir -p "$tmp/dkmstree"
	dk=(--sourcetree "$tmp/dkmsroot/usr/src" --dkmstree "$tmp/dkmstree")
	built=0
	if dkms add -m sleepproxy -v "$version" "${dk[@]}" >"$tmp/dkms.log" 2>&1; then
		for k in $(scripts/kernel.sh list); do
			ko=$tmp/dkmstree/sleepproxy/$version/$k/$(uname -m)/module/sleepproxy.ko
			if dkms build -m sleepproxy -v "$version" -k "$k" "${dk[@]}" \
					>>"$tmp/dkms.log" 2>&1 && [[ -e $ko || -e $ko.xz || -e $ko.zst ]]; then
				ok
				built=$((built + 1))
			else
				fail "dkms build of sleepproxy-dkms for $k" "$(tail -n 30 "$tmp/dkms.log")"
				find "$tmp/dkmstree" -name make.log -exec tail -n 30 {} +
			fi
		done
		[[ $built -gt 0 ]] || fail "dkms built for no kernel (scripts/kernel.sh list is empty)"
	else
		fail "dkms add of sleepproxy-dkms's sources" "$(cat "$tmp/dkms.log")"
	fi
else
	fail "dkms is not installed (tests/deps.sh installs it)"
fi

echo "debs.sh: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
