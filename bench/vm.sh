#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The sleep proxy measured side by side with what it replaces, in network
# namespaces inside a QEMU guest:
#
#   SLEEPPROXY_KO=$PWD/kernel/sleepproxy.ko \
#   SLEEPPROXY_SPCTL=$PWD/tools/spctl/spctl SLEEPPROXY_VM_SLUB_DEBUG=off \
#   tests/vm/run.sh bench/vm.sh [full|tiny]
#
# The size is the argument, else SLEEPPROXY_BENCH_SIZE, else BENCH_SIZE
# (run.sh passes only SLEEPPROXY_* variables into the guest), else full.
# "tiny" (100 hosts, one round, a second per measurement) only checks that
# everything still runs.  SLEEPPROXY_BENCH_SECTIONS picks sections among
# "control rate latency replay" (control includes the throughput rounds).
# The tools of bench/ (spbench, responder) are used if built (make -C
# bench), else compiled into the guest's /tmp.
#
# Each measurement is made next to its baseline in the same boot, in
# alternating rounds; only the ratios mean anything (an emulated CPU on a
# shared machine: absolute numbers are 10-50x off and noisy).  Method:
#
# control     first, once (it takes minutes under emulation): `ip -batch`
#  + through- adds N `neigh add proxy` entries to the gateway's LAN
#  put       interface and deletes them, 2 000 one by one (module not
#             loaded).  Then R_TP rounds: the module is loaded, `spctl
#             -batch` adds N hosts (one IPv4 address, tcp 22 each), `spctl
#             show -j` and `spctl save` dump them, `spctl -batch` deletes
#             2 000 of them, rmmod frees the rest.  Slab (and vmalloc)
#             growth of /proc/meminfo across the adds, 2 s after them (what
#             was left to RCU is freed then), gives the bytes per entry.
#             Throughput alternates with the rounds: a phase with the
#             module not loaded before each round's adds, one while its N
#             hosts are registered and asleep, and one more after the last
#             rmmod, so each phase with the module sits between two
#             without it.  A phase: P_TP pairs of T_PAIR-second floods of
#             18-byte UDP datagrams (sendmmsg) from the client to a server
#             (rate: frames forwarded, the WAN interface's tx_packets),
#             then P_TP pairs of TCP streams (rate: what the server read).
#             A pair goes once through the gateway and once through its
#             twin, a second namespace that forwards the same way and
#             never has hosts, in turn first.  Goal rows: the median of
#             the pairs' gateway/twin with the N hosts asleep, divided by
#             the same with the module not loaded.  The two halves of a
#             pair share the emulated machine's state; whole phases do
#             not: this machine runs the same flood at about 40 000, 60
#             000 or 70 000 frames/s for tens of seconds at a time, with or
#             without the module.  Rows *_through_gateway: the medians of
#             the gateway's own rates, for information.
# rate        the client sends ARP requests (and IPv6 NSes) as fast as one
#             packet socket goes, for a sleeping host (answered by the
#             module) and for the gateway's own address (answered by the
#             kernel), alternating; answers per second are those the
#             client's socket received (a BPF filter, PACKET_STATISTICS).
#             Per-source reply limits are off (max_replies_per_sec=0).
#             After a warm-up of both, each round measures both, in turn
#             first; the ratio is the median of the rounds' ratios (the
#             machine's load drifts between rounds, not within one), the
#             rates the medians of all rounds.
# latency     one packet socket on the gateway's LAN interface timestamps
#             (SO_TIMESTAMPNS) each trigger coming in and the first answer
#             going out: a TCP SYN to a sleeping host and its first magic
#             packet (module; a fresh host each time, so each SYN is a
#             wake); an ARP request for the gateway's address and its reply
#             (kernel); a SYN and the magic packet of bench/responder (the
#             same job in user space: AF_PACKET, with the module not
#             answering for those hosts).  One trigger at a time, rounds
#             rotate the order; median and p99 of all samples.
# replay      a host that resumes 1.5 s after its magic packet (takes its
#             address, listens, sends a gratuitous ARP: "up"); a client's
#             connect() that woke it; the time from "up" to connect()
#             returning, with SYN replay (default) and without
#             (syn_hold_max=0), alternating rounds, medians.
#
# CPUs: every sender (the floods, the streams, the ARP and NS senders, the
# latency probe) runs on the guest's CPU 0, and the flood's and streams'
# readers on CPU 1: the frames' whole path through the gateway runs in the
# sender's softirqs, on its CPU.  bench/run.sh has tests/vm/run.sh give the
# guest's CPU 0 a host CPU of its own (SLEEPPROXY_VM_PIN): with QEMU's
# threads free to move, and the reader too, the same flood ran at 35 000 to
# 70 000 frames/s from one second to the next, and the module's wake and
# the kernel's ARP reply took 50-110 us instead of 25.  The user-space
# responder goes where the scheduler puts it, as a daemon would.
#
# Output: progress on stderr; on stdout one line per result:
#
#   BENCH|SECTION|METRIC|VALUE|UNIT|BASELINE|BASELINE_VALUE|RATIO|GOAL|VERDICT
#
# RATIO is VALUE/BASELINE_VALUE, or its inverse where the goal says so
# (METRIC names it: "..._x_faster" rows are BASELINE/VALUE); GOAL is a
# condition on "ratio" or "value" such as "ratio>=0.97" or "value<512", or
# "-" for a row shown for information; VERDICT is "met", "not met" or "-".
# The script fails only when something breaks (a tool fails, nothing is
# answered, hosts are not registered), never because a goal is not met.

set -e
set -o pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
repo=$(cd "$here/.." && pwd -P)
SPCTL=${SLEEPPROXY_SPCTL:-$repo/tools/spctl/spctl}
KO=${SLEEPPROXY_KO:-$repo/kernel/sleepproxy.ko}
size=${1:-${SLEEPPROXY_BENCH_SIZE:-${BENCH_SIZE:-full}}}
sections=${SLEEPPROXY_BENCH_SECTIONS:-control rate latency replay}

case $size in
full)
	N=100000	# hosts and proxy entries
	D=2000		# of them deleted one by one (the rest by rmmod)
	R_TP=4		# control rounds (each adds N hosts, about a minute)
	P_TP=5		# pairs of floods and of streams per phase
	T_PAIR=1	# seconds per flood or stream of a pair
	R_RATE=6	# answer rate rounds
	T_RATE=2	# seconds per rate measurement
	R_LAT=4		# latency rounds
	K_LAT=100	# triggers per method and round (p99: the 5th slowest)
	R_REPLAY=3	# replay rounds (each: with and without)
	;;
tiny)
	N=100 D=100 R_TP=1 P_TP=1 T_PAIR=0.5 R_RATE=1 T_RATE=0.5 R_LAT=1 K_LAT=10 R_REPLAY=1 ;;
*)
	echo "bench: unknown size '$size' (full or tiny)" >&2; exit 2 ;;
esac

log() { echo "bench: [${SECONDS}s] $*" >&2; }
die() { echo "bench: FAILED: $*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || die "must run as root (tests/vm/run.sh bench/vm.sh)"
for t in ip jq gcc python3 awk taskset; do
	command -v $t >/dev/null || die "missing $t (tests/deps.sh)"
done
[[ -x $SPCTL ]] || die "missing $SPCTL (make tools)"
[[ -e $KO ]] || die "missing $KO (make module)"
[[ -d /sys/module/sleepproxy ]] && die "the module is already loaded"

tmp=$(mktemp -d /tmp/sleepproxy-bench.XXXXXX)
gw=bgw$$ cl=bcl$$ sv=bsv$$ tw=btw$$
rgw=rgw$$ rcl=rcl$$ rhs=rhs$$
bg_pids=()

cleanup() {
	set +e
	local p
	for p in "${bg_pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	for p in $gw $cl $sv $tw $rgw $rcl $rhs; do
		[[ -e /run/netns/$p ]] && ip netns del $p
	done
	[[ -d /sys/module/sleepproxy ]] && rmmod sleepproxy
	rm -rf "$tmp"
}
trap cleanup EXIT

# ---------------------------------------------------------------- tools

SPBENCH=$here/spbench RESPONDER=$here/responder
if [[ ! -x $SPBENCH || $SPBENCH -ot $here/spbench.c ||
      ! -x $RESPONDER || $RESPONDER -ot $here/responder.c ]]; then
	log "building spbench and responder in $tmp"
	SPBENCH=$tmp/spbench RESPONDER=$tmp/responder
	for t in spbench responder; do
		gcc -O2 -Wall -Wextra -Werror -std=gnu11 -o "$tmp/$t" "$here/$t.c" ||
			die "cannot build bench/$t.c"
	done
fi

# ---------------------------------------------------------------- helpers

TX="taskset -c 0"
RX="taskset -c $(( $(nproc) > 1 ? 1 : 0 ))"

now_ns() { date +%s%N; }
params=/sys/module/sleepproxy/parameters
pgw() { ip netns exec $gw "$@"; }
ptw() { ip netns exec $tw "$@"; }
pcl() { ip netns exec $cl "$@"; }
psv() { ip netns exec $sv "$@"; }
sp() { ip netns exec $gw "$SPCTL" "$@"; }

load_module() {
	local d
	for d in $(modinfo -F depends "$KO" 2>/dev/null | tr , ' '); do
		modprobe "$d"
	done
	insmod "$KO" || die "insmod $KO"
	echo $(( N + 10000 )) >$params/max_hosts
	echo 200 >$params/awake_grace_ms
	echo 0 >$params/max_replies_per_sec
	echo 0 >$params/max_wakes_per_sec
	echo 0 >$params/wake_timeout_ms
}
unload_module() { rmmod sleepproxy || die "rmmod sleepproxy"; }

meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }

# Statistics of the numbers on stdin.
# What a table left to free after a grace period (the bucket arrays it
# outgrew while it grew, a filter built again) is freed by now.
settle() { sleep 2; }

median() {
	sort -g | awk '{ a[NR] = $1 }
		END { if (!NR) { print "nan"; exit }
		      if (NR % 2) print a[(NR + 1) / 2]
		      else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
p99() {
	sort -g | awk '{ a[NR] = $1 }
		END { if (!NR) { print "nan"; exit }
		      i = int(NR * 0.99); if (i < NR * 0.99) i++; print a[i] }'
}
calc() { awk "BEGIN { printf \"%.6g\\n\", ($*) }"; }

# row SECTION METRIC VALUE UNIT BASELINE BVALUE RATIO GOAL
row() {
	local verdict=-
	if [[ $8 != - ]]; then
		verdict=$(awk -v r="$7" -v v="$3" -v g="$8" 'BEGIN {
			s = g ~ /^ratio/ ? r : v
			sub(/^(ratio|value)/, "", g)
			op = g; sub(/[0-9.]+$/, "", op); t = substr(g, length(op) + 1) + 0
			ok = (op == ">=" && s >= t) || (op == ">" && s > t) ||
			     (op == "<=" && s <= t) || (op == "<" && s < t)
			print ok ? "met" : "not met" }')
	fi
	echo "BENCH|$1|$2|$3|$4|$5|$6|$7|$8|$verdict"
	log "  $2: $3 $4 vs $5 $6 (ratio $7; goal $8: $verdict)"
}

# ---------------------------------------------------------------- topology
#
#   bcl: eth0 ──── lan0 :bgw: wan0 ──── eth0 :bsv
#   10.0.0.2/8     10.0.0.1/8   172.16.0.1   172.16.0.2
#   fd00::2/64     fd00::1/64                    |
#        eth1 ──── lan1 :btw: wan1 ──── eth1 ----'
#   192.168.50.2   192.168.50.1 172.16.1.1   172.16.1.2
#
# btw, the gateway's twin, forwards as bgw does and never has hosts, so
# the module never hooks anything there: the client reaches 172.16.0.2
# through bgw and 172.16.1.2 through btw.
#
# Hosts registered on lan0: 10.1.0.0/16 and up (the N), 10.200.0.0/16
# (latency), 10.202.0.1 and fd00::202:1 (answer rate); 10.201.0.0/16 are
# the user-space responder's, never registered.

topology() {
	local ns
	for ns in $gw $cl $sv $tw; do
		ip netns add $ns
		ip -n $ns link set lo up
	done
	ip -n $gw link add lan0 type veth peer name eth0 netns $cl
	ip -n $gw link add wan0 type veth peer name eth0 netns $sv
	ip -n $tw link add lan1 type veth peer name eth1 netns $cl
	ip -n $tw link add wan1 type veth peer name eth1 netns $sv
	ip -n $gw addr add 10.0.0.1/8 dev lan0
	ip -n $tw addr add 192.168.50.1/24 dev lan1
	ip -n $tw addr add 172.16.1.1/24 dev wan1
	ip -n $cl addr add 192.168.50.2/24 dev eth1
	ip -n $sv addr add 172.16.1.2/24 dev eth1
	ip -n $gw addr add fd00::1/64 dev lan0 nodad
	ip -n $gw addr add 172.16.0.1/24 dev wan0
	ip -n $cl addr add 10.0.0.2/8 dev eth0
	ip -n $cl addr add fd00::2/64 dev eth0 nodad
	ip -n $sv addr add 172.16.0.2/24 dev eth0
	ip -n $gw link set lan0 up
	ip -n $gw link set wan0 up
	ip -n $tw link set lan1 up
	ip -n $tw link set wan1 up
	ip -n $cl link set eth0 up
	ip -n $cl link set eth1 up
	ip -n $sv link set eth0 up
	ip -n $sv link set eth1 up
	ip -n $cl route add 172.16.0.0/24 via 10.0.0.1
	ip -n $sv route add 10.0.0.0/8 via 172.16.0.1
	ip -n $cl route add 172.16.1.0/24 via 192.168.50.1
	ip -n $sv route add 192.168.50.0/24 via 172.16.1.1
	pgw sysctl -qw net.ipv4.ip_forward=1
	ptw sysctl -qw net.ipv4.ip_forward=1
	# Resolved once, so no round pays for it.
	pcl ping -c 1 -W 5 172.16.0.2 >/dev/null || die "no route through the gateway"
	pcl ping -c 1 -W 5 172.16.1.2 >/dev/null || die "no route through its twin"
	pcl ping -c 1 -W 5 fd00::1 >/dev/null || die "no IPv6 on the LAN"
	LAN_MAC=$(pgw cat /sys/class/net/lan0/address)
}

# batch files for N hosts: spctl add and del, ip neigh add and del.
write_batches() {
	awk -v n="$N" -v del="$D" -v d="$tmp" 'BEGIN {
		for (i = 0; i < n; i++) {
			ip = sprintf("10.%d.%d.%d", 1 + int(i / 65536), int(i / 256) % 256, i % 256)
			mac = sprintf("02:00:00:%02x:%02x:%02x", int(i / 65536), int(i / 256) % 256, i % 256)
			print "add-host dev lan0 mac " mac " ip " ip " tcp 22" > (d "/sp.add")
			if (i < del)
				print "del-host dev lan0 mac " mac > (d "/sp.del")
			print "neigh add proxy " ip " dev lan0" > (d "/ip.add")
			print "neigh del proxy " ip " dev lan0" > (d (i < del ? "/ip.del" : "/ip.del.rest"))
		} }'
}

# Hosts of the latency section: round R's K hosts, "IP MAC" lines.
lat_hosts() { # NET(200|201) ROUND
	awk -v net="$1" -v r="$2" -v k="$K_LAT" 'BEGIN {
		for (i = 1; i <= k; i++)
			printf "10.%d.%d.%d 02:%02x:00:00:%02x:%02x\n", net, r, i, net, r, i }'
}

# ---------------------------------------------------------------- throughput

# Through the gateway (gw: to 172.16.0.2, counted on its wan0) or its
# twin (tw: to 172.16.1.2, on wan1).
dst_of() { [[ $1 == gw ]] && echo 172.16.0.2 || echo 172.16.1.2; }
wan_tx() { # gw|tw
	if [[ $1 == gw ]]; then
		pgw cat /sys/class/net/wan0/statistics/tx_packets
	else
		ptw cat /sys/class/net/wan1/statistics/tx_packets
	fi
}

# flood gw|tw SECONDS: frames per second forwarded of a flood
flood() {
	local tx0 tx1
	tx0=$(wan_tx "$1")
	pcl $TX "$SPBENCH" udpflood "$(dst_of "$1")" 9000 "$2" >/dev/null ||
		die "udp flood failed"
	sleep 0.2
	tx1=$(wan_tx "$1")
	[[ $((tx1 - tx0)) -gt 0 ]] || die "the flood through $1 did not get through"
	calc "($tx1 - $tx0) / $2"
}

# stream gw|tw SECONDS: Mbit/s of one TCP stream, what the server read
stream() {
	local sink out
	psv $RX "$SPBENCH" tcpsink 5001 >"$tmp/sink.out" &
	sink=$!
	bg_pids+=( "$sink" )
	for _ in $(seq 50); do grep -q ready "$tmp/sink.out" && break; sleep 0.1; done
	pcl $TX "$SPBENCH" tcpsend "$(dst_of "$1")" 5001 "$2" || die "tcp stream failed"
	wait $sink || die "tcp sink failed"
	out=$(tail -n 1 "$tmp/sink.out")
	calc "${out% *} * 8 / ${out#* } * 1000"
}

# tp_one udp|tcp gw|tw: one flood's frames/s or one stream's Mbit/s
tp_one() {
	if [[ $1 == udp ]]; then
		flood "$2" "$T_PAIR"
	else
		stream "$2" "$T_PAIR"
	fi
}

# tp_phase KIND ROUND: P_TP pairs of floods, then P_TP pairs of streams,
# each pair through the gateway and its twin, in turn first.  Appends the
# gateway's rate to $tmp/tp.KIND.{udp,tcp}.ROUND and each pair's
# gateway/twin to $tmp/pair.KIND.{udp,tcp}.
tp_phase() {
	local kind=$1 r=$2 p i a b
	for p in udp tcp; do
		for i in $(seq "$P_TP"); do
			# die() in $() ends only the command substitution: exit too.
			if (( i % 2 )); then
				a=$(tp_one $p gw) || exit 1
				b=$(tp_one $p tw) || exit 1
			else
				b=$(tp_one $p tw) || exit 1
				a=$(tp_one $p gw) || exit 1
			fi
			echo "$a" >>"$tmp/tp.$kind.$p.$r"
			calc "$a / $b" >>"$tmp/pair.$kind.$p"
		done
		log "  $p, $kind: gateway $(tail -n "$P_TP" "$tmp/tp.$kind.$p.$r" | xargs); per twin $(tail -n "$P_TP" "$tmp/pair.$kind.$p" | xargs)"
	done
}

timed() { # FILE CMD...: run CMD, append its seconds to FILE
	local f=$1 t0 t1; shift
	t0=$(now_ns)
	"$@" || return 1
	t1=$(now_ns)
	calc "($t1 - $t0) / 1e9" >>"$f"
}

section_control() {
	local r s0 s1 v0 v1 n
	log "control plane and throughput: $R_TP rounds, $N hosts"
	# After another section: its module and hosts go first.
	[[ -d /sys/module/sleepproxy ]] && unload_module
	write_batches
	ip netns exec $sv $RX "$SPBENCH" udpsink 9000 >/dev/null &
	bg_pids+=( $! )
	pcl $TX "$SPBENCH" udpflood 172.16.0.2 9000 0.5 >/dev/null	# warm-up
	pcl $TX "$SPBENCH" udpflood 172.16.1.2 9000 0.5 >/dev/null

	# The kernel's own proxy neighbour table: the baseline, once.
	s0=$(meminfo Slab)
	timed "$tmp/ip.add.s" pgw ip -batch "$tmp/ip.add" || die "ip -batch add"
	settle
	s1=$(meminfo Slab)
	n=$(pgw ip neigh show proxy dev lan0 | wc -l)
	[[ $n -eq $N ]] || die "ip -batch added $n proxy entries, not $N"
	calc "($s1 - $s0) * 1024 / $N" >>"$tmp/ip.slab"
	timed "$tmp/ip.del.s" pgw ip -batch "$tmp/ip.del" || die "ip -batch del"
	if [[ -s $tmp/ip.del.rest ]]; then
		pgw ip -batch "$tmp/ip.del.rest" || die "ip -batch del"
	fi
	log "  ip -batch: add $(tail -n1 "$tmp/ip.add.s") s, del $(tail -n1 "$tmp/ip.del.s") s"

	for r in $(seq "$R_TP"); do
		log "round $r"
		tp_phase off "$r"

		load_module
		s0=$(meminfo Slab) v0=$(meminfo VmallocUsed)
		timed "$tmp/sp.add.s" sp -batch "$tmp/sp.add" || die "spctl -batch add"
		s1=$(meminfo Slab)
		settle		# and awake_grace_ms: every host asleep
		log "  slab right after the adds: $(calc "($s1 - $s0) * 1024 / $N") B/host"
		s1=$(meminfo Slab) v1=$(meminfo VmallocUsed)
		calc "($s1 - $s0) * 1024 / $N" >>"$tmp/sp.slab"
		calc "($v1 - $v0) * 1024 / $N" >>"$tmp/sp.vmalloc"
		timed "$tmp/sp.show.s" sp show -j >"$tmp/show.json" || die "spctl show -j"
		timed "$tmp/sp.save.s" sp save "$tmp/save.txt" || die "spctl save"
		n=$(grep -c '^add-host' "$tmp/save.txt" || true)
		[[ $n -eq $N ]] || die "spctl save wrote $n hosts, not $N"
		n=$(grep -o '"state":"proxying"' "$tmp/show.json" | wc -l)
		[[ $n -eq $N ]] || die "$n of $N hosts asleep"
		log "  spctl: add $(tail -n1 "$tmp/sp.add.s") s, show -j $(tail -n1 "$tmp/sp.show.s") s, save $(tail -n1 "$tmp/sp.save.s") s"
		tp_phase on "$r"
		timed "$tmp/sp.del.s" sp -batch "$tmp/sp.del" || die "spctl -batch del"
		n=$(sp save | grep -c '^add-host' || true)
		[[ $n -eq $((N - D)) ]] || die "$n hosts left after deleting $D of $N"
		log "  spctl: del of $D $(tail -n1 "$tmp/sp.del.s") s"
		timed "$tmp/rmmod.s" unload_module
		log "  rmmod with $((N - D)) hosts: $(tail -n1 "$tmp/rmmod.s") s"
	done
	tp_phase off $((R_TP + 1))

	local a b p unit name
	for p in udp tcp; do
		if [[ $p == udp ]]; then
			unit=frames/s name=udp_flood
		else
			unit=Mbit/s name=tcp_stream
		fi
		a=$(median <"$tmp/pair.on.$p") b=$(median <"$tmp/pair.off.$p")
		row throughput "${name}_per_twin" "$a" ratio \
			"the same, module not loaded" "$b" "$(calc "$a / $b")" "ratio>=0.97"
		a=$(cat "$tmp"/tp.on.$p.* | median) b=$(cat "$tmp"/tp.off.$p.* | median)
		row throughput "${name}_through_gateway" "$a" "$unit" \
			"module not loaded" "$b" "$(calc "$a / $b")" -
	done

	local add ipadd
	add=$(median <"$tmp/sp.add.s") ipadd=$(median <"$tmp/ip.add.s")
	row control add_us_per_host "$(calc "$add * 1e6 / $N")" us \
		"ip -batch neigh add proxy" "$(calc "$ipadd * 1e6 / $N")" \
		"$(calc "$add / $ipadd")" "ratio<=2"
	a=$(median <"$tmp/sp.show.s")
	row control dump_show_j_s "$a" s "spctl -batch add of the same hosts" "$add" \
		"$(calc "$a / $add")" "ratio<2"
	a=$(median <"$tmp/sp.save.s")
	row control dump_save_s "$a" s "spctl -batch add of the same hosts" "$add" \
		"$(calc "$a / $add")" "ratio<2"
	a=$(median <"$tmp/sp.del.s") b=$(median <"$tmp/ip.del.s")
	row control del_us_per_host "$(calc "$a * 1e6 / $D")" us \
		"ip -batch neigh del proxy" "$(calc "$b * 1e6 / $D")" \
		"$(calc "$a / $b")" -
	a=$(median <"$tmp/rmmod.s")
	row control rmmod_with_hosts_s "$a" s - - - -
	a=$(median <"$tmp/sp.slab") b=$(median <"$tmp/ip.slab")
	row control slab_bytes_per_host "$a" bytes "ip neigh proxy entry" "$b" \
		"$(calc "$b > 0 ? $a / $b : 0")" "value<512"
	a=$(median <"$tmp/sp.vmalloc")
	row control vmalloc_bytes_per_host "$a" bytes - - - -
}

# ---------------------------------------------------------------- answer rate

section_rate() {
	local r kind first second out sent got
	log "ARP and ND answer rate: $R_RATE rounds of ${T_RATE} s"
	# Warm-up: the first measurement of a run was always the slowest.
	pcl $TX "$SPBENCH" arp eth0 10.202.0.1 10.0.0.2 0.5 >/dev/null || die "arp sender"
	pcl $TX "$SPBENCH" arp eth0 10.0.0.1 10.0.0.2 0.5 >/dev/null || die "arp sender"
	pcl $TX "$SPBENCH" ns eth0 fd00::202:1 fd00::2 0.5 >/dev/null || die "ns sender"
	pcl $TX "$SPBENCH" ns eth0 fd00::1 fd00::2 0.5 >/dev/null || die "ns sender"
	for r in $(seq "$R_RATE"); do
		if (( r % 2 )); then first=module second=kernel; else first=kernel second=module; fi
		for kind in $first $second; do
			if [[ $kind == module ]]; then
				out=$(pcl $TX "$SPBENCH" arp eth0 10.202.0.1 10.0.0.2 "$T_RATE") || die "arp sender"
			else
				out=$(pcl $TX "$SPBENCH" arp eth0 10.0.0.1 10.0.0.2 "$T_RATE") || die "arp sender"
			fi
			read -r sent got <<<"$out"
			[[ $got -gt 0 ]] || die "no ARP request answered ($kind)"
			calc "$got / $T_RATE" >>"$tmp/arp.$kind"
			echo "$got" >"$tmp/arp.round.$kind"
			log "  ARP, $kind: $got of $sent answered"
		done
		calc "$(cat "$tmp/arp.round.module") / $(cat "$tmp/arp.round.kernel")" >>"$tmp/arp.ratio"
		for kind in $first $second; do
			if [[ $kind == module ]]; then
				out=$(pcl $TX "$SPBENCH" ns eth0 fd00::202:1 fd00::2 "$T_RATE") || die "ns sender"
			else
				out=$(pcl $TX "$SPBENCH" ns eth0 fd00::1 fd00::2 "$T_RATE") || die "ns sender"
			fi
			read -r sent got <<<"$out"
			[[ $got -gt 0 ]] || die "no NS answered ($kind)"
			calc "$got / $T_RATE" >>"$tmp/nd.$kind"
			echo "$got" >"$tmp/nd.round.$kind"
			log "  ND, $kind: $got of $sent answered"
		done
		calc "$(cat "$tmp/nd.round.module") / $(cat "$tmp/nd.round.kernel")" >>"$tmp/nd.ratio"
	done
	local a b
	a=$(median <"$tmp/arp.module") b=$(median <"$tmp/arp.kernel")
	row answer_rate arp_answers_per_s "$a" 1/s "kernel ARP for the gateway's address" "$b" \
		"$(median <"$tmp/arp.ratio")" "ratio>=1.0"
	log "  ARP ratios by round: $(xargs <"$tmp/arp.ratio"); of the medians: $(calc "$a / $b")"
	a=$(median <"$tmp/nd.module") b=$(median <"$tmp/nd.kernel")
	row answer_rate nd_answers_per_s "$a" 1/s "kernel ND for the gateway's address" "$b" \
		"$(median <"$tmp/nd.ratio")" "ratio>=1.0"
	log "  ND ratios by round: $(xargs <"$tmp/nd.ratio"); of the medians: $(calc "$a / $b")"
}

# ---------------------------------------------------------------- latency

wait_asleep() { # COUNT
	local n
	for _ in $(seq 50); do
		n=$(sp show -j | jq '[.[] | select(.state == "proxying")] | length')
		[[ $n -ge $1 ]] && return 0
		sleep 0.2
	done
	die "only $n of $1 hosts asleep"
}

section_latency() {
	local r i kind order resp
	log "wake latency: $R_LAT rounds of $K_LAT triggers per method"
	for r in $(seq "$R_LAT"); do
		lat_hosts 200 "$r" >"$tmp/lat.hosts.$r"
		awk '{ print "add-host dev lan0 mac " $2 " ip " $1 " tcp 22" }' \
			"$tmp/lat.hosts.$r" >>"$tmp/lat.add"
	done
	lat_hosts 201 1 >"$tmp/user.hosts"
	sp -batch "$tmp/lat.add" || die "spctl -batch (latency hosts)"
	wait_asleep $(( R_LAT * K_LAT + 1 ))
	order=(module kernel user)
	for r in $(seq "$R_LAT"); do
		for i in 0 1 2; do
			kind=${order[(i + r) % 3]}
			case $kind in
			module)
				$TX "$SPBENCH" lat $gw lan0 $cl eth0 syn "$LAN_MAC" 10.0.0.2 22 \
					"$tmp/lat.hosts.$r" "$K_LAT" >>"$tmp/lat.module" ||
					die "no magic packet from the module"
				# Woken hosts are done with.
				awk '{ print "del-host dev lan0 mac " $2 }' "$tmp/lat.hosts.$r" |
					sp -batch - || die "spctl -batch del (latency hosts)"
				;;
			kernel)
				$TX "$SPBENCH" lat $gw lan0 $cl eth0 arp "$LAN_MAC" 10.0.0.2 10.0.0.1 \
					"$K_LAT" >>"$tmp/lat.kernel" ||
					die "no ARP reply from the kernel"
				;;
			user)
				# Not through pgw(): $! must be the responder itself.
				ip netns exec $gw "$RESPONDER" lan0 "$tmp/user.hosts" 22 >"$tmp/resp.out" &
				resp=$!
				bg_pids+=( "$resp" )
				for _ in $(seq 50); do grep -q ready "$tmp/resp.out" && break; sleep 0.1; done
				grep -q ready "$tmp/resp.out" || die "the responder did not start"
				$TX "$SPBENCH" lat $gw lan0 $cl eth0 syn "$LAN_MAC" 10.0.0.2 22 \
					"$tmp/user.hosts" "$K_LAT" >>"$tmp/lat.user" ||
					die "no magic packet from the responder"
				kill $resp; wait $resp 2>/dev/null || true
				;;
			esac
		done
		log "  round $r: medians so far module $(median <"$tmp/lat.module") ns, kernel ARP $(median <"$tmp/lat.kernel") ns, user space $(median <"$tmp/lat.user") ns"
	done
	local m k u
	m=$(median <"$tmp/lat.module") k=$(median <"$tmp/lat.kernel") u=$(median <"$tmp/lat.user")
	m=$(calc "$m / 1000") k=$(calc "$k / 1000") u=$(calc "$u / 1000")
	row wake_latency median_vs_kernel_arp "$m" us "kernel ARP request to reply" "$k" \
		"$(calc "$m / $k")" "ratio<=1.5"
	row wake_latency median_x_faster_than_user "$m" us "user-space responder" "$u" \
		"$(calc "$u / $m")" "ratio>=10"
	row wake_latency kernel_arp_median_x_faster_than_user "$k" us "user-space responder" "$u" \
		"$(calc "$u / $k")" -
	m=$(p99 <"$tmp/lat.module") k=$(p99 <"$tmp/lat.kernel") u=$(p99 <"$tmp/lat.user")
	m=$(calc "$m / 1000") k=$(calc "$k / 1000") u=$(calc "$u / 1000")
	row wake_latency p99_vs_kernel_arp "$m" us "kernel ARP request to reply" "$k" \
		"$(calc "$m / $k")" "ratio<=1.5"
	row wake_latency p99_x_faster_than_user "$m" us "user-space responder" "$u" \
		"$(calc "$u / $m")" "ratio>=10"
	# The floor's own: how far ahead of user space any reply the kernel
	# makes was in this run.
	row wake_latency kernel_arp_p99_x_faster_than_user "$k" us "user-space responder" "$u" \
		"$(calc "$u / $k")" -
	log "  samples: module $(wc -l <"$tmp/lat.module"), kernel $(wc -l <"$tmp/lat.kernel"), user $(wc -l <"$tmp/lat.user")"
}

# ---------------------------------------------------------------- replay
#
# The layout of tests/replay.sh: the gateway's br0 with the client and the
# host on its two ports.

R_BR=52:54:00:00:00:01 R_CL=52:54:00:00:00:02 R_H1=52:54:00:aa:bb:cc
R_GW_IP=192.168.1.1 R_CL_IP=192.168.1.2 R_H1_IP=192.168.1.4

replay_topology() {
	local ns
	for ns in $rgw $rcl $rhs; do
		ip netns add $ns
		ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1
		ip -n $ns link set lo up
	done
	ip -n $rgw link add br0 address $R_BR type bridge stp_state 0 forward_delay 0
	ip -n $rgw link add vcl type veth peer name eth0 netns $rcl
	ip -n $rgw link add vhs type veth peer name eth0 netns $rhs
	ip -n $rcl link set eth0 address $R_CL
	ip -n $rhs link set eth0 address $R_H1
	ip -n $rgw link set vcl master br0
	ip -n $rgw link set vhs master br0
	ip -n $rgw addr add $R_GW_IP/24 dev br0
	ip -n $rcl addr add $R_CL_IP/24 dev eth0
	for l in vcl vhs br0; do ip -n $rgw link set $l up; done
	ip -n $rcl link set eth0 up
	ip -n $rhs link set eth0 up
	# A SYN that reaches the gateway once the host is up (no replay, and
	# the client's neighbour entry still the proxy's) is forwarded.
	ip netns exec $rgw sysctl -qw net.ipv4.ip_forward=1
	for _ in $(seq 100); do
		[[ $(ip netns exec $rgw cat /sys/class/net/br0/brif/vcl/state) == 3 &&
		   $(ip netns exec $rgw cat /sys/class/net/br0/brif/vhs/state) == 3 ]] && return 0
		sleep 0.1
	done
	die "bridge ports did not reach forwarding"
}

replay_once() { # with|without
	local rs st up conn
	ip -n $rhs addr flush dev eth0
	ip -n $rcl neigh flush dev eth0
	ip netns exec $rgw "$SPCTL" del-host dev br0 mac $R_H1 2>/dev/null || true
	ip netns exec $rgw "$SPCTL" add-host dev br0 mac $R_H1 ip $R_H1_IP tcp 22 ||
		die "spctl add-host (replay)"
	for _ in $(seq 50); do
		st=$(ip netns exec $rgw "$SPCTL" show -j | jq -r '.[0].state')
		[[ $st == proxying ]] && break
		sleep 0.2
	done
	[[ $st == proxying ]] || die "the replay host was not taken over ($st)"
	ip netns exec $rhs python3 - 1.5 $R_H1_IP <<'EOF' >"$tmp/resume.out" 2>&1 &
import socket, struct, subprocess, sys, time
delay, ip = float(sys.argv[1]), sys.argv[2]
raw = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0842))
raw.bind(("eth0", 0))
raw.settimeout(60)
print("ready", flush=True)
raw.recv(2048)
time.sleep(delay)
subprocess.run(["ip", "addr", "add", ip + "/24", "dev", "eth0"], check=True)
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("0.0.0.0", 22))
srv.listen(8)
mac = bytes.fromhex(open("/sys/class/net/eth0/address").read().strip().replace(":", ""))
a = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
a.bind(("eth0", 0))
spa = socket.inet_aton(ip)
a.send(b"\xff" * 6 + mac + b"\x08\x06" +
       struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + mac + spa + b"\0" * 6 + spa)
print("up", time.monotonic(), flush=True)
srv.settimeout(30)
srv.accept()[0].close()
EOF
	rs=$!
	bg_pids+=( "$rs" )
	for _ in $(seq 100); do grep -q ready "$tmp/resume.out" && break; sleep 0.1; done
	conn=$(ip netns exec $rcl python3 -c 'import socket, sys, time
socket.create_connection((sys.argv[1], 22), timeout=30).close()
print(time.monotonic())' $R_H1_IP) || die "the client did not connect ($1 replay)"
	wait $rs || die "the resuming host failed: $(cat "$tmp/resume.out")"
	up=$(awk '$1 == "up" { print $2 }' "$tmp/resume.out")
	[[ -n $up ]] || die "the host did not come up"
	calc "($conn - $up) * 1000" >>"$tmp/replay.$1"
	log "  $1 replay: connected $(tail -n1 "$tmp/replay.$1") ms after the host was up"
}

section_replay() {
	local r hold
	log "SYN replay: $R_REPLAY rounds"
	replay_topology
	hold=$(cat $params/syn_hold_max)
	for r in $(seq "$R_REPLAY"); do
		for kind in $( (( r % 2 )) && echo with without || echo without with); do
			if [[ $kind == with ]]; then
				echo "$hold" >$params/syn_hold_max
			else
				echo 0 >$params/syn_hold_max
			fi
			replay_once $kind
		done
	done
	echo "$hold" >$params/syn_hold_max
	local a b
	a=$(median <"$tmp/replay.with") b=$(median <"$tmp/replay.without")
	row replay connect_after_host_up_ms "$a" ms "no replay (syn_hold_max=0)" "$b" \
		"$(calc "$a > 0 ? $b / $a : 0")" -
}

# ---------------------------------------------------------------- main

start=$SECONDS
log "size $size: $N hosts; kernel $(uname -r); $(nproc) CPUs"
grep -q 'slub_debug' /proc/cmdline && ! grep -q 'slub_debug=off\|slub_debug=-' /proc/cmdline &&
	log "warning: slub_debug is on (SLEEPPROXY_VM_SLUB_DEBUG=off): slab sizes are inflated"
topology
for s in $sections; do
	case $s in
	control) section_control ;;
	rate|latency|replay)
		if [[ ! -d /sys/module/sleepproxy ]]; then
			load_module
			sp add-host dev lan0 mac 02:ca:00:00:00:01 ip 10.202.0.1 \
				ip fd00::202:1 tcp 22 || die "spctl add-host"
			wait_asleep 1
		fi
		section_$s ;;
	*) die "unknown section $s" ;;
	esac
done
log "done in $((SECONDS - start)) s"
