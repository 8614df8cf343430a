/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SP_STATS_H
#define _SP_STATS_H

#include <linux/percpu.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>

struct net_device;
struct sp_net;

/* Namespace counters, in the order of enum sleepproxy_stats_attr. */
enum sp_stat {
	SP_STAT_RX_FRAMES,
	SP_STAT_DROP_ARP_MALFORMED,
	SP_STAT_DROP_IPV4_MALFORMED,
	SP_STAT_DROP_IPV4_FRAGMENT,
	SP_STAT_DROP_IPV4_SRCROUTE,
	SP_STAT_DROP_TCP_MALFORMED,
	SP_STAT_TX_ERRORS,
	SP_STAT_DROP_IPV6_MALFORMED,
	SP_STAT_DROP_IPV6_FRAGMENT,
	SP_STAT_DROP_IPV6_SRCROUTE,
	SP_STAT_DROP_ND_MALFORMED,
	SP_STAT_DROP_ICMP_MALFORMED,
	SP_STAT_WAKES_SUPPRESSED,
	SP_STAT_REPLIES_SUPPRESSED,
	SP_STAT_LEASES_EXPIRED,
	SP_STAT_MANUAL_WAKES,
	SP_STAT_COUNT
};

/* Per-host counters, in the order of enum sleepproxy_host_stat_attr. */
enum sp_host_stat {
	SP_HSTAT_ARP_REQUESTS,
	SP_HSTAT_ARP_REPLIES,
	SP_HSTAT_GARP_SENT,
	SP_HSTAT_SYN_WAKE,
	SP_HSTAT_SYN_OTHER,
	SP_HSTAT_WAKES,
	SP_HSTAT_MAGIC_SENT,
	SP_HSTAT_AWAKE,
	SP_HSTAT_AWAKE_PROBES,
	SP_HSTAT_NS_REQUESTS,
	SP_HSTAT_NA_REPLIES,
	SP_HSTAT_NA_UNSOLICITED,
	SP_HSTAT_DROPPED,
	SP_HSTAT_ECHO_REPLIES,
	SP_HSTAT_LEASE_WAKES,
	SP_HSTAT_CONFLICTS,
	SP_HSTAT_WAKES_SUPPRESSED,
	SP_HSTAT_OFFLOAD_FRAMES,
	SP_HSTAT_MAGIC_RELAYED,
	SP_HSTAT_SYN_HELD,
	SP_HSTAT_SYN_REPLAYED,
	SP_HSTAT_SYN_EXPIRED,
	SP_HSTAT_SYN_DROPPED,
	SP_HSTAT_WAKE_ROUNDS,
	SP_HSTAT_WAKES_FAILED,
	SP_HSTAT_COUNT
};

/*
 * An interface counts both: what the namespace counts for packets on it,
 * then what its hosts count, since the first host was registered on it.
 */
#define SP_DSTAT_HOST(idx)	(SP_STAT_COUNT + (idx))
#define SP_DSTAT_COUNT		SP_DSTAT_HOST(SP_HSTAT_COUNT)

/*
 * A block of per-CPU counters: a namespace's or an interface's (a host's
 * are plain atomics, see &sp_host.stats).
 * They are bumped in softirq and in process context (the lifecycle
 * worker, netlink), hence the irqsave flavour, which costs nothing where
 * u64 stores are atomic.
 */
struct sp_stats {
	struct u64_stats_sync syncp;
	u64_stats_t c[];
};

struct sp_stats __percpu *sp_stats_alloc(unsigned int n, gfp_t gfp);
void sp_stats_read(struct sp_stats __percpu *stats, unsigned int n, u64 *vals);

/* Where preemption is off already: the ingress hook, with BHs off. */
static inline void __sp_stats_add(struct sp_stats __percpu *stats,
				  unsigned int idx, unsigned long n)
{
	struct sp_stats *s = this_cpu_ptr(stats);
	unsigned long flags;

	flags = u64_stats_update_begin_irqsave(&s->syncp);
	u64_stats_add(&s->c[idx], n);
	u64_stats_update_end_irqrestore(&s->syncp, flags);
}

static inline void sp_stats_add(struct sp_stats __percpu *stats,
				unsigned int idx, unsigned long n)
{
	preempt_disable();
	__sp_stats_add(stats, idx, n);
	preempt_enable();
}

void sp_stat_inc(struct sp_net *spn, const struct net_device *dev,
		 enum sp_stat idx);

#endif /* _SP_STATS_H */
