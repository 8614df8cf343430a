#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the sleepproxy KUnit suites in a User-Mode Linux kernel.
#
#   tests/kunit/run.sh [kunit.py run arguments...]
#
# for example `tests/kunit/run.sh 'sleepproxy_host*'` runs only the suites
# matching that glob.  The kernel is the release of the kernel the module
# is built for (SLEEPPROXY_KVER, default what scripts/kernel.sh picks):
# Debian's linux-source-X.Y tarball of that release is unpacked once into
# $SLEEPPROXY_CACHE (default ~/.cache/sleepproxy), this clone is grafted
# into it as drivers/net/sleepproxy, and the UML kernel is built in
# $SLEEPPROXY_CACHE/uml-X.Y so that later runs only rebuild what changed.
#
# Fails when a test fails, when the kernel does not build or boot, and when
# the kernel log shows a KASAN, UBSAN, lockdep or RCU splat or any other
# BUG or WARNING, even if every test passed.
#
# Environment: SLEEPPROXY_KUNITCONFIG (default tests/kunit/sleepproxy.kunitconfig)
# and SLEEPPROXY_KUNIT_BUILD (default $SLEEPPROXY_CACHE/uml-X.Y) pick another
# configuration and its build directory (bench/run.sh: no sanitizers).

set -eu
set -o pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
repo=$(cd "$here/../.." && pwd -P)
# shellcheck source=tests/kunit/tree.sh
. "$here/tree.sh"

SP_SERIES=$("$repo/scripts/kernel.sh" series "${SLEEPPROXY_KVER:-}")
echo "kunit: User-Mode Linux $SP_SERIES (linux-source-$SP_SERIES)"

# Several clones may share one cache: one run per tree at a time.
mkdir -p "${SLEEPPROXY_CACHE:-${HOME:-/root}/.cache/sleepproxy}"
exec 9>"${SLEEPPROXY_CACHE:-${HOME:-/root}/.cache/sleepproxy}/.kunit-$SP_SERIES.lock"
if ! flock -n 9; then
	echo "kunit: waiting for another run using the same cache" >&2
	flock 9
fi

pkgs=()
command -v python3 >/dev/null || pkgs+=(python3)
command -v bc >/dev/null || pkgs+=(bc)
command -v flex >/dev/null || pkgs+=(flex)
command -v bison >/dev/null || pkgs+=(bison)
command -v gcc >/dev/null && command -v make >/dev/null || pkgs+=(build-essential)
sp_tree_prepare "${pkgs[@]}"

build=${SLEEPPROXY_KUNIT_BUILD:-$SP_CACHE/uml-$SP_SERIES}
config=${SLEEPPROXY_KUNITCONFIG:-$repo/tests/kunit/sleepproxy.kunitconfig}
mkdir -p "$build"

# Graft this clone into the tree.  The symlinked directory is read through
# its Kbuild files (Kbuild wins over the Makefile used for out-of-tree
# builds); the uapi header goes where in-tree code finds <linux/...>.
graft=$SP_TREE/drivers/net/sleepproxy
if [[ -e $graft && ! -L $graft ]]; then
	echo "kunit: $graft exists and is not a symlink; remove it" >&2
	exit 1
fi
[[ $(readlink "$graft" || true) == "$repo" ]] || ln -sfnT "$repo" "$graft"
uapi=$SP_TREE/include/uapi/linux/sleepproxy.h
[[ $(readlink "$uapi" || true) == "$repo/uapi/linux/sleepproxy.h" ]] ||
	ln -sfnT "$repo/uapi/linux/sleepproxy.h" "$uapi"
# The options only depend on NET, INET and NETFILTER_INGRESS, not on
# NETDEVICES: source them after drivers/net/Kconfig's "endif # NETDEVICES".
line='source "drivers/net/sleepproxy/kernel/Kconfig"'
grep -qxF "$line" "$SP_TREE/drivers/net/Kconfig" ||
	printf '\n%s\n' "$line" >>"$SP_TREE/drivers/net/Kconfig"
# shellcheck disable=SC2016 # a make variable, not a shell one
line='obj-$(CONFIG_SLEEPPROXY) += sleepproxy/'
grep -qxF "$line" "$SP_TREE/drivers/net/Makefile" ||
	printf '%s\n' "$line" >>"$SP_TREE/drivers/net/Makefile"

# Objects built from another clone may look newer than this clone's
# sources: drop them when the graft changes hands.
if [[ $(cat "$build/.sleepproxy-repo" 2>/dev/null || true) != "$repo" ]]; then
	rm -rf "$build/drivers/net/sleepproxy"
	printf '%s\n' "$repo" >"$build/.sleepproxy-repo"
fi

marker=$build/.sleepproxy-run
touch "$marker"
out=$SP_CACHE/kunit-$SP_SERIES.out
start=$SECONDS
rc=0
# kunit.py calls `stty sane` on exit, which complains without a terminal.
(cd "$SP_TREE" && python3 tools/testing/kunit/kunit.py run \
	--kunitconfig="$config" \
	--jobs="$(nproc)" --build_dir="$build" --timeout=600 "$@") 2>&1 |
	sed -u "/^stty: 'standard input': Inappropriate ioctl/d" |
	tee "$out" || rc=$?
elapsed=$((SECONDS - start))

# kunit.py's verdict only covers the tests' own results; the complete
# kernel log (test.log, rewritten by every boot) shows the splats.
log=$build/test.log
splats=0
if [[ -f $log && ! $marker -nt $log ]]; then
	patterns=(
		'BUG:' 'kernel BUG at' 'KASAN' 'UBSAN:' 'WARNING:'
		'sleeping function called' 'suspicious RCU usage'
		'possible circular locking' 'Kernel panic'
	)
	args=()
	for p in "${patterns[@]}"; do args+=(-e "$p"); done
	if grep -nF "${args[@]}" "$log" >"$SP_CACHE/kunit-$SP_SERIES.splats"; then
		splats=$(wc -l <"$SP_CACHE/kunit-$SP_SERIES.splats")
		echo
		echo "kunit: the kernel log $log reports problems:"
		cat "$SP_CACHE/kunit-$SP_SERIES.splats"
		first=$(head -n 1 "$SP_CACHE/kunit-$SP_SERIES.splats" | cut -d: -f1)
		echo
		echo "kunit: the first one in context:"
		sed -n "$((first > 5 ? first - 5 : 1)),$((first + 40))p" "$log"
	fi
else
	log="(none: the kernel did not run)"
fi

# The last lines are what a log's tail shows: repeat each failure there.
if grep -qE '(EXPECTATION|ASSERTION) FAILED|\[(FAILED|CRASHED)\]' "$out"; then
	echo
	echo "kunit: failures:"
	awk '/(EXPECTATION|ASSERTION) FAILED/ { n = 4 }
	     /\[(FAILED|CRASHED)\] / { n = 1 }
	     n > 0 { print; n-- }' "$out" | sed 's/^\[[0-9:]*\] //' | head -n 60
fi

echo
verdict=$(grep -h 'Testing complete' "$out" | tail -n 1 | sed 's/^\[[0-9:]*\] //' || true)
echo "kunit: ${verdict:-no test results}"
echo "kunit: kunit.py exit status $rc, ${elapsed}s, $splats splat line(s) in $log"
if [[ $rc -ne 0 ]]; then
	echo "kunit: FAILED" >&2
	exit "$rc"
fi
if [[ $splats -ne 0 ]]; then
	echo "kunit: FAILED: the kernel log has BUG/WARNING/sanitizer reports" >&2
	exit 1
fi
echo "kunit: OK"
