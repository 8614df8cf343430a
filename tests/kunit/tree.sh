# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Shared by tests/kunit/run.sh and tests/style.sh (source it, do not run it):
# find Debian's kernel source tarball and unpack it once into a cache.
#
#   sp_tree_prepare [extra Debian packages...]
#
# sets SP_CACHE (SLEEPPROXY_CACHE, default ~/.cache/sleepproxy) and SP_TREE
# (the unpacked tree).  With SP_SERIES set (6.12, as `scripts/kernel.sh
# series` names it), the tree is that release's linux-source-6.12;
# otherwise the newest one installed.  A tree is only trusted once its stamp file exists,
# so an unpack that was interrupted is started again from scratch.

sp_as_root() {
	if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo -E "$@"; fi
}

# Install Debian packages (by name) unless dpkg already has them all.
sp_apt_install() {
	local p missing=()

	for p in "$@"; do
		dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null |
			grep -qx installed || missing+=("$p")
	done
	[[ ${#missing[@]} -eq 0 ]] && return 0
	echo "tree: installing ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	sp_as_root apt-get update -q
	sp_as_root apt-get install -y -q --no-install-recommends "${missing[@]}"
}

sp_tree_prepare() {
	local tarball name stamp want

	SP_CACHE=${SLEEPPROXY_CACHE:-${HOME:-/root}/.cache/sleepproxy}
	mkdir -p "$SP_CACHE"

	if [[ -n ${SP_SERIES:-} ]]; then
		tarball=/usr/src/linux-source-$SP_SERIES.tar.xz
		[[ -f $tarball ]] || sp_apt_install "linux-source-$SP_SERIES" xz-utils "$@"
	elif ! compgen -G '/usr/src/linux-source-*.tar.xz' >/dev/null; then
		sp_apt_install linux-source xz-utils "$@"
	fi
	sp_apt_install xz-utils "$@"
	# The newest one when several releases are installed side by side.
	[[ -n ${SP_SERIES:-} ]] ||
		tarball=$(printf '%s\n' /usr/src/linux-source-*.tar.xz | sort -V | tail -n 1)
	[[ -f $tarball ]] || { echo "tree: no /usr/src/linux-source-*.tar.xz" >&2; return 1; }

	name=$(basename "$tarball" .tar.xz)
	SP_TREE=$SP_CACHE/$name
	stamp=$SP_TREE/.sleepproxy-unpacked
	# Records which tarball the tree came from: a Debian update of
	# linux-source replaces the tarball and must replace the tree too.
	want="$tarball $(stat -c '%s %Y' "$tarball")"
	# Two scripts starting at once must not unpack over each other.
	exec 8>"$SP_CACHE/.unpack.lock"
	flock 8
	if [[ ! -f $stamp || $(<"$stamp") != "$want" ]]; then
		echo "tree: unpacking $tarball into $SP_CACHE" >&2
		rm -rf "$SP_TREE"
		tar -C "$SP_CACHE" -xf "$tarball"
		[[ -f $SP_TREE/Makefile ]] ||
			{ echo "tree: $tarball did not unpack to $SP_TREE" >&2; return 1; }
		printf '%s\n' "$want" >"$stamp"
	fi
	exec 8>&-
}
