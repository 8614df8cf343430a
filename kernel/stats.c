// SPDX-License-Identifier: GPL-2.0
/*
 * Counters: per-CPU blocks of u64, summed when they are read.
 */

#include <linux/netdevice.h>
#include <linux/overflow.h>

#include "device.h"
#include "netns.h"
#include "stats.h"

/* Context: process. */
struct sp_stats __percpu *sp_stats_alloc(unsigned int n, gfp_t gfp)
{
	struct sp_stats __percpu *stats;
	struct sp_stats *s;
	int cpu;

	stats = __alloc_percpu_gfp(struct_size(s, c, n), __alignof__(*s), gfp);
	if (!stats)
		return NULL;
	for_each_possible_cpu(cpu) {
		s = per_cpu_ptr(stats, cpu);
		u64_stats_init(&s->syncp);
	}
	return stats;
}

/* Sum @n counters of every CPU into @vals.  Context: any. */
void sp_stats_read(struct sp_stats __percpu *stats, unsigned int n, u64 *vals)
{
	unsigned int start, i;
	int cpu;

	memset(vals, 0, sizeof(*vals) * n);
	for_each_possible_cpu(cpu) {
		const struct sp_stats *s = per_cpu_ptr(stats, cpu);
		u64 v;

		for (i = 0; i < n; i++) {
			do {
				start = u64_stats_fetch_begin(&s->syncp);
				v = u64_stats_read(&s->c[i]);
			} while (u64_stats_fetch_retry(&s->syncp, start));
			vals[i] += v;
		}
	}
}

/**
 * sp_stat_inc - count a namespace event, and on the interface it happened on
 * @spn: the namespace
 * @dev: the interface, NULL if none
 * @idx: what happened
 *
 * For events off the hot path (drops, errors, budgets): finding @dev's
 * counters walks the short list of hooked interfaces.  Context: any.
 */
void sp_stat_inc(struct sp_net *spn, const struct net_device *dev,
		 enum sp_stat idx)
{
	struct sp_stats __percpu *dstats;

	sp_stats_add(spn->stats, idx, 1);
	if (!dev)
		return;
	rcu_read_lock();
	dstats = sp_dev_stats(spn, dev->ifindex);
	if (dstats)
		sp_stats_add(dstats, idx, 1);
	rcu_read_unlock();
}
