#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the Debian packages sleepproxy-dkms and sleepproxy ("make deb")
# from a clean copy of the checkout in a temporary directory (whose path,
# unlike the checkout's perhaps, has no blank: make cannot take one), with
# debhelper, and put them (with the .changes, the .buildinfo and the
# build's log) in dist/.  The copy holds
# the files git knows of (committed or not) and untracked ones that are
# not ignored, never build products; without git, everything but dist/.
# When dist/ holds packages built from the same files, they are kept.
#
#   tools/deb.sh

set -e
set -o pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
repo=$(cd "$here/.." && pwd -P)
cd "$repo"

die() { echo "deb: $*" >&2; exit 1; }

for tool in dpkg-buildpackage dh dh_dkms; do
	command -v "$tool" >/dev/null ||
		die "$tool missing (tests/deps.sh installs dpkg-dev debhelper dh-dkms)"
done

# dkms.conf, debian/changelog and the tools must agree on the version.
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' dkms.conf)
[[ -n $version ]] || die "no PACKAGE_VERSION in dkms.conf"
deb_version=$(dpkg-parsechangelog -S Version)
[[ $deb_version == "$version" ]] ||
	die "debian/changelog is at $deb_version, dkms.conf at $version"
for mk in tools/spctl/Makefile tools/spsd/Makefile; do
	v=$(sed -n 's/^VERSION := //p' "$mk")
	[[ $v == "$version" ]] || die "$mk has VERSION $v, dkms.conf $version"
done

mkdir -p dist
build=$(mktemp -d "${TMPDIR:-/tmp}/sleepproxy-deb.XXXXXX")
trap 'rm -rf "$build"' EXIT
src=$build/sleepproxy-$version
mkdir -p "$src"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git ls-files -z --cached --others --exclude-standard |
		while IFS= read -r -d '' f; do
			[[ -e $f ]] && printf '%s\0' "$f"
		done |
		tar -c --null -T - -f - | tar -x -C "$src"
else
	tar -c --exclude=./dist -f - . | tar -x -C "$src"
fi

arch=$(dpkg --print-architecture)
products=("sleepproxy-dkms_${version}_all.deb" "sleepproxy_${version}_$arch.deb"
	  "sleepproxy_${version}_$arch.changes" "sleepproxy_${version}_$arch.buildinfo")
sum=$( (cd "$src" && find . -type f -print0 | LC_ALL=C sort -z |
	xargs -0 sha256sum) | sha256sum | cut -d' ' -f1)
fresh=1
for f in "${products[@]}"; do [[ -e dist/$f ]] || fresh=; done
if [[ -n $fresh && $(cat dist/.sources 2>/dev/null) == "$sum" ]]; then
	echo "deb: dist/ is up to date"
	exit 0
fi

echo "deb: building sleepproxy $version in $src"
(cd "$src" && DEB_BUILD_OPTIONS="noautodbgsym ${DEB_BUILD_OPTIONS:-}" \
	dpkg-buildpackage -b -us -uc -j"$(nproc)") >dist/build.log 2>&1 ||
	{ tail -n 40 dist/build.log >&2; die "dpkg-buildpackage failed (log: dist/build.log)"; }

rm -f dist/*.deb dist/*.changes dist/*.buildinfo dist/.sources
for f in "${products[@]}"; do
	[[ -e $build/$f ]] || die "dpkg-buildpackage made no $f"
	mv "$build/$f" dist/
done
echo "$sum" >dist/.sources
ls -l dist/*.deb
