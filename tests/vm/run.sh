#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run a test script as root inside a QEMU guest that boots the newest
# installed Debian kernel, with this machine's root file system shared
# read-only over 9p as the guest's root.
#
#   tests/vm/run.sh SCRIPT [ARGS...]
#
#   ┌──────────────────────────── QEMU (TCG) ─────────────────────────────┐
#   │ vmlinuz-$K + initramfs (busybox, virtio/9p modules, /init, the job) │
#   │   /init: insmod, mount 9p "hostroot" (ro) on /newroot, tmpfs on     │
#   │          /tmp /run /var/tmp /dev/shm, 9p "repo" (ro) on the         │
#   │          checkout's own path, chroot, run SCRIPT, dmesg, print the  │
#   │          exit status, power off                                     │
#   └─────────────────────────────────────────────────────────────────────┘
#
# SCRIPT (and everything it reads, such as kernel/sleepproxy.ko) must be
# built beforehand and live where the guest sees it: in this checkout,
# wherever the checkout is (a second share mounts it at the same path in
# the guest, over its tmpfs), or elsewhere outside /tmp, /run, /var/tmp
# and /dev.  The guest can write only to its tmpfs.
#
# The guest's kernel log, and what follows it, goes to the log file; to
# the terminal only when the run fails.
#
# The run passes when SCRIPT exits 0, the guest did not panic (a WARN
# panics: panic_on_warn=1), and the kernel log written while SCRIPT ran
# holds no splat (WARNING, BUG, Oops, RCU stall, refcount, UBSAN, ...).
#
# Environment:
#   SLEEPPROXY_CACHE       cache root (default ~/.cache/sleepproxy);
#                          the initramfs and the logs go to its vm/
#   SLEEPPROXY_VM_TIMEOUT  seconds for the whole VM (default 3000: DKMS
#                          builds the module in tests/install.sh)
#   SLEEPPROXY_VM_KVER     kernel release to boot, or its start (6.12)
#                          (default: the one kernel/sleepproxy.ko was
#                          built for, else what scripts/kernel.sh picks,
#                          as the Makefile does)
#   SLEEPPROXY_VM_MEM      guest memory (default 1G)
#   SLEEPPROXY_VM_SMP      guest CPUs (default 2)
#   SLEEPPROXY_VM_APPEND   extra kernel command line
#   SLEEPPROXY_VM_SLUB_DEBUG  slub_debug= value (default FZP; "off" for none)
#   SLEEPPROXY_VM_PIN      non-empty: the guest's CPU 0 gets host CPU 0 to
#                          itself, QEMU's other threads the other host CPUs
#                          (benchmarks: see bench/vm.sh)
# Every SLEEPPROXY_* variable is also exported to SCRIPT in the guest.

set -e
set -o pipefail

die() { echo "vm: $*" >&2; exit 1; }

[[ $# -ge 1 ]] || { echo "usage: $0 SCRIPT [ARGS...]" >&2; exit 2; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
repo=$(cd "$here/../.." && pwd -P)

script=$1; shift
[[ -e $script ]] || die "no such script: $script"
script=$(realpath -e "$script")
case $script in
"$repo"/*) ;;
/tmp/*|/run/*|/var/tmp/*|/dev/*|/proc/*|/sys/*)
	die "$script is not visible in the guest (tmpfs there); put it elsewhere" ;;
esac

cache=${SLEEPPROXY_CACHE:-${HOME:-/root}/.cache/sleepproxy}/vm
timeout_s=${SLEEPPROXY_VM_TIMEOUT:-3000}
mem=${SLEEPPROXY_VM_MEM:-1G}
smp=${SLEEPPROXY_VM_SMP:-2}
slub=${SLEEPPROXY_VM_SLUB_DEBUG:-FZP}

bootable() { [[ -e /boot/vmlinuz-$1 && -d /lib/modules/$1/kernel ]]; }
if [[ -n $SLEEPPROXY_VM_KVER ]]; then
	K=$("$repo/scripts/kernel.sh" pick "$SLEEPPROXY_VM_KVER") || exit 1
else
	# The kernel the module was built for, else the one the Makefile
	# builds for.
	K=
	ko=${SLEEPPROXY_KO:-$repo/kernel/sleepproxy.ko}
	if [[ -e $ko ]]; then
		k=$(modinfo -F vermagic "$ko" 2>/dev/null | awk '{ print $1 }')
		[[ -n $k ]] && bootable "$k" && K=$k
	fi
	[[ -n $K ]] || K=$("$repo/scripts/kernel.sh" pick 2>/dev/null) || K=
fi
[[ -n $K ]] || die "no kernel with modules in /lib/modules and /boot (tests/deps.sh installs linux-image-amd64)"
vmlinuz=/boot/vmlinuz-$K
[[ -r $vmlinuz ]] || die "cannot read $vmlinuz"
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 missing (tests/deps.sh)"
# QEMU before 8.1 may run an int3 the guest has already patched out again
# when two vCPUs translate and rewrite the same code at once (a static
# key flipping: the guest panics).  tests/deps.sh installs a newer one on
# Debian 12; an older one gets its vCPUs on one thread, where that race
# cannot happen.
accel=tcg
qv=$(qemu-system-x86_64 --version | sed -n '1s/^QEMU emulator version \([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
read -r qmaj qmin <<<"$qv"
if [[ -n $qmaj ]] && (( qmaj < 8 || (qmaj == 8 && qmin < 1) )); then
	accel=tcg,thread=single
	echo "vm: QEMU $qmaj.$qmin: one thread for all vCPUs (tests/deps.sh installs a newer QEMU)" >&2
fi
# busybox-static's binary: the initramfs has no shared libraries.
busybox=/bin/busybox
[[ -x $busybox ]] || die "busybox missing (tests/deps.sh installs busybox-static)"

mkdir -p "$cache"

# One VM at a time on this machine: wait for any other run to finish.
exec 9>"$cache/lock"
if ! flock -n 9; then
	echo "vm: another VM is running, waiting for it" >&2
	flock 9
fi

# ---------------------------------------------------------------- initramfs
# Modules the guest needs before it can reach its root, in load order
# (modprobe resolves dependencies from modules.dep without loading).
modules=( virtio_pci 9pnet_virtio 9p virtio_rng )

# What the initramfs is made of; any change rebuilds it.
initramfs_inputs() {
	echo "kernel $K"
	sha256sum "$busybox" "${BASH_SOURCE[0]}" | cut -d' ' -f1
	stat -c '%n %s %Y' /lib/modules/"$K"/modules.dep
}
key=$(initramfs_inputs | sha256sum | cut -c1-16)
initramfs=$cache/initramfs-$K-$key.cpio.gz

write_init() {
	cat <<'EOF'
#!/bin/sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
exec </dev/console >/dev/console 2>&1
for m in $(cat /modules.list); do
	insmod "/modules/$m" 2>&1 | grep -v 'File exists' || true
done
mkdir -p /newroot
if ! mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=262144 \
		hostroot /newroot; then
	echo "vm-init: cannot mount the host root over 9p"
	echo "SLEEPPROXY-TEST-RESULT: 125"
	poweroff -f
fi
r=/newroot
mount -t proc proc $r/proc
mount -t sysfs sys $r/sys
mount -t devtmpfs dev $r/dev
# What udev would add: bash's <(...) needs /dev/fd.
ln -sf /proc/self/fd $r/dev/fd
ln -sf /proc/self/fd/0 $r/dev/stdin
ln -sf /proc/self/fd/1 $r/dev/stdout
ln -sf /proc/self/fd/2 $r/dev/stderr
mkdir -p $r/dev/pts $r/dev/shm
mount -t devpts -o newinstance,ptmxmode=0666 devpts $r/dev/pts
mount -t tmpfs -o mode=1777 tmpfs $r/dev/shm
mount -t tmpfs -o mode=1777 tmpfs $r/tmp
mount -t tmpfs -o mode=0755 tmpfs $r/run
[ -d $r/var/tmp ] && mount -t tmpfs -o mode=1777 tmpfs $r/var/tmp
mkdir -p $r/run/lock $r/run/netns
[ -d $r/sys/kernel/debug ] && mount -t debugfs debugfs $r/sys/kernel/debug 2>/dev/null
# The checkout at its own path, even where the guest has a tmpfs.
repo=$(cat /job.repo)
mkdir -p "$r$repo" 2>/dev/null
if ! mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=262144 \
		repo "$r$repo"; then
	echo "vm-init: cannot mount the checkout over 9p at $repo"
	echo "SLEEPPROXY-TEST-RESULT: 125"
	poweroff -f
fi
mkdir -p $r/tmp/home
cp /job.sh $r/tmp/job.sh
guest_timeout=$(cat /job.timeout)

echo "sleepproxy-vm: test begins" >/dev/kmsg
echo "vm-init: running the job ($guest_timeout s at most)"
timeout -s KILL "$guest_timeout" chroot $r /usr/bin/env -i \
	PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	HOME=/tmp/home TERM=dumb LANG=C.UTF-8 SLEEPPROXY_VM=1 \
	/bin/bash /tmp/job.sh </dev/null
rc=$?
echo "sleepproxy-vm: test ends with $rc" >/dev/kmsg
sync
echo "SLEEPPROXY-DMESG-BEGIN"
dmesg
echo "SLEEPPROXY-DMESG-END"
echo "SLEEPPROXY-TEST-RESULT: $rc"
poweroff -f
echo o >/proc/sysrq-trigger
sleep 10
EOF
}

build_initramfs() {
	local tmp src name
	tmp=$(mktemp -d "$cache/build.XXXXXX")
	mkdir -p "$tmp"/{bin,dev,proc,sys,modules,newroot}
	cp "$busybox" "$tmp/bin/busybox"
	ln -s busybox "$tmp/bin/sh"
	: >"$tmp/modules.list"
	for src in $(modprobe -S "$K" -a --show-depends "${modules[@]}" |
		     awk '$1 == "insmod" { print $2 }' | awk '!seen[$0]++'); do
		name=$(basename "$src")
		case $name in
		*.ko.xz)  name=${name%.xz};  xz -dc "$src" >"$tmp/modules/$name" ;;
		*.ko.zst) name=${name%.zst}; zstd -qdc "$src" >"$tmp/modules/$name" ;;
		*.ko.gz)  name=${name%.gz};  gzip -dc "$src" >"$tmp/modules/$name" ;;
		*.ko)     cp "$src" "$tmp/modules/$name" ;;
		*) die "unexpected module file $src" ;;
		esac
		echo "$name" >>"$tmp/modules.list"
	done
	grep -q '^9p.ko$' "$tmp/modules.list" ||
		grep -qw 9p /lib/modules/"$K"/modules.builtin ||
		die "kernel $K has no 9p module"
	write_init >"$tmp/init"
	# The kernel runs modprobe (request_module) in the initramfs root,
	# where /newroot holds the real tools and modules.
	mkdir -p "$tmp/sbin"
	printf '#!/bin/sh\nexec /bin/chroot /newroot /sbin/modprobe "$@"\n' >"$tmp/sbin/modprobe"
	chmod 755 "$tmp/init" "$tmp/sbin/modprobe"
	(cd "$tmp" && find . -print0 | LC_ALL=C sort -z |
		cpio --null -o -H newc --quiet --owner 0:0) | gzip -1 >"$initramfs.new"
	mv "$initramfs.new" "$initramfs"
	rm -rf "$tmp"
	# Keep only the current one for this kernel.
	find "$cache" -maxdepth 1 -name "initramfs-$K-*.cpio.gz" ! -path "$initramfs" -delete
}

if [[ ! -s $initramfs ]]; then
	echo "vm: building the initramfs for $K"
	build_initramfs
fi

# ---------------------------------------------------------------- the job
# A small second cpio archive appended to the cached one: the kernel
# unpacks both, so the job changes without a rebuild.
jobdir=$(mktemp -d "$cache/job.XXXXXX")
trap 'rm -rf "$jobdir"' EXIT
cwd=$(pwd -P)
case $cwd in
"$repo"|"$repo"/*) ;;
/tmp/*|/tmp|/run/*|/var/tmp/*|/dev/*) cwd=$repo ;;
esac
{
	# SLEEPPROXY_* variables reach the script (the guest starts from an
	# empty environment otherwise).
	while IFS= read -r var; do
		printf 'export %s=%q\n' "$var" "${!var}"
	done < <(compgen -e | grep '^SLEEPPROXY_' || true)
	echo "cd $(printf %q "$cwd") || exit 126"
	if [[ -x $script ]]; then
		printf 'exec %q' "$script"
	else
		printf 'exec /bin/bash %q' "$script"
	fi
	for a in "$@"; do printf ' %q' "$a"; done
	echo
} >"$jobdir/job.sh"
# Leave the guest time to print its kernel log before the outer limit.
guest_timeout=$(( timeout_s > 120 ? timeout_s - 60 : timeout_s / 2 ))
echo "$guest_timeout" >"$jobdir/job.timeout"
printf '%s' "$repo" >"$jobdir/job.repo"
(cd "$jobdir" && printf '%s\n' job.sh job.timeout job.repo |
	cpio -o -H newc --quiet --owner 0:0) >"$jobdir/job.cpio"
# An uncompressed archive must start on a 4-byte boundary: pad with zeros,
# which the kernel skips between archives.
pad=$(( (4 - $(stat -c %s "$initramfs") % 4) % 4 + 4 ))
{ cat "$initramfs"; head -c "$pad" /dev/zero; cat "$jobdir/job.cpio"; } >"$jobdir/initrd"

# ---------------------------------------------------------------- boot
log=$cache/last.log
append="console=ttyS0 quiet panic_on_warn=1 oops=panic panic=-1"
# An emulated CPU shares the host's with everything else: a soft lockup
# is reported after 2 x watchdog_thresh seconds of guest time without a
# reschedule, and 20 s is not a lockup under TCG on a busy host.
append+=" softlockup_panic=1 watchdog_thresh=60 hung_task_panic=1 page_poison=1"
# The same for RCU's stall warning (21 s by default), and when anything
# stalls, every CPU's stack in the log, not only the one that noticed.
append+=" rcupdate.rcu_cpu_stall_timeout=60 softlockup_all_cpu_backtrace=1"
append+=" hung_task_all_cpu_backtrace=1"
append+=" net.ifnames=0 random.trust_cpu=on"
[[ $slub == off ]] || append+=" slub_debug=$slub"
[[ -z $SLEEPPROXY_VM_APPEND ]] || append+=" $SLEEPPROXY_VM_APPEND"

# With SLEEPPROXY_VM_PIN, QEMU starts on host CPUs 1.. (threads it makes
# later inherit that) and the thread of the guest's CPU 0 moves to host
# CPU 0 as soon as it exists.
qname=sp-vm-$$ pin=()
if [[ -n $SLEEPPROXY_VM_PIN ]] && (( $(nproc) > 1 )); then
	pin=( taskset -c "1-$(( $(nproc) - 1 ))" )
	(
		for _ in $(seq 600); do
			for t in /proc/$(pgrep -x "$qname" | head -n1)/task/*; do
				[[ $(cat "$t/comm" 2>/dev/null) == "CPU 0/TCG" ]] || continue
				if taskset -pc 0 "${t##*/}" >/dev/null; then
					echo "vm: the guest's CPU 0 runs on host CPU 0" >&2
					exit 0
				fi
			done
			sleep 0.1
		done
		echo "vm: could not pin the guest's CPU 0" >&2
	) &
fi

echo "vm: booting $vmlinuz with $script $* (log: $log)"
start=$(date +%s)
set +e
timeout --foreground -k 10 "$timeout_s" "${pin[@]}" qemu-system-x86_64 \
	-accel "$accel" -cpu max -m "$mem" -smp "$smp" \
	-name "sleepproxy,process=$qname,debug-threads=on" -nographic -no-reboot \
	-kernel "$vmlinuz" -initrd "$jobdir/initrd" -append "$append" \
	-fsdev local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap \
	-device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot \
	-fsdev "local,id=repo,path=${repo//,/,,},security_model=none,readonly=on,multidevs=remap" \
	-device virtio-9p-pci,fsdev=repo,mount_tag=repo \
	-object rng-random,id=rng0,filename=/dev/urandom \
	-device virtio-rng-pci,rng=rng0 \
	-nic none \
	</dev/null 2>&1 | sed -u 's/\r$//' | tee "$log" |
	awk '/SLEEPPROXY-DMESG-BEGIN/ { hide = 1 } !hide { print; fflush() }'
qemu_rc=${PIPESTATUS[0]}
set -e
elapsed=$(( $(date +%s) - start ))

# ---------------------------------------------------------------- verdict
fail=0
if [[ $qemu_rc -eq 124 || $qemu_rc -eq 137 ]]; then
	echo "vm: FAIL: the VM did not finish within $timeout_s s" >&2
	fail=1
fi
result=$(grep -a 'SLEEPPROXY-TEST-RESULT:' "$log" | tail -n1 |
	sed -n 's/.*SLEEPPROXY-TEST-RESULT: *\([0-9]*\).*/\1/p' || true)
if [[ -z $result ]]; then
	echo "vm: FAIL: the guest reported no result (panic, oops or timeout; see $log)" >&2
	grep -a -n -E 'Kernel panic|BUG|WARNING|Oops|Call Trace' "$log" | head -n 20 >&2 || true
	fail=1
elif [[ $result -eq 137 ]]; then
	echo "vm: FAIL: $script was killed after ${guest_timeout}s (SLEEPPROXY_VM_TIMEOUT=$timeout_s)" >&2
	fail=1
elif [[ $result -ne 0 ]]; then
	echo "vm: FAIL: $script exited with status $result" >&2
	fail=1
fi

# Kernel log written while the job ran, from the dump /init printed.
klog=$(awk '/SLEEPPROXY-DMESG-BEGIN/ { on = 1; next }
	    /SLEEPPROXY-DMESG-END/ { on = 0 }
	    on' "$log" | sed -n '/sleepproxy-vm: test begins/,$p' || true)
splat_re='WARNING:|\<BUG\>|KASAN|UBSAN|KFENCE|Oops|general protection|kernel BUG'
splat_re+='|sleeping function called|suspicious RCU usage|self-detected stall'
splat_re+='|rcu_(sched|preempt|bh).*(stall|detected)|INFO: rcu|rcu: INFO'
splat_re+='|refcount_t|unreferenced object|Call Trace|blocked for more than'
splat_re+='|soft lockup|hard LOCKUP|list_(add|del) corruption|Poison overwritten'
splat_re+='|Redzone|Object padding|double free|use-after-free|kernel NULL pointer'
splat_re+='|unable to handle|stack-protector|bad page state|Kernel panic'
splats=$(printf '%s\n' "$klog" | grep -a -E "$splat_re" |
	grep -a -v -E 'module verification failed|loading out-of-tree module taints' || true)
if [[ -n $splats ]]; then
	echo "vm: FAIL: the kernel log has splats:" >&2
	printf '%s\n' "$splats" | head -n 40 >&2
	fail=1
fi

if [[ $fail -ne 0 && -n $klog ]]; then
	echo "vm: the kernel log while $(basename "$script") ran:" >&2
	printf '%s\n' "$klog" | sed 's/^/  /' >&2
fi
if [[ $fail -eq 0 ]]; then
	echo "vm: PASS: $(basename "$script") in ${elapsed}s (log: $log)"
else
	echo "vm: FAIL: $(basename "$script") after ${elapsed}s (log: $log)" >&2
fi
exit $fail
