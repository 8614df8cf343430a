/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SP_NETNS_H
#define _SP_NETNS_H

#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/rhashtable-types.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "ratelimit.h"

/* Namespace-wide counters, in the order of enum sleepproxy_stats_attr. */
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

struct sp_pcpu_stats {
	u64_stats_t c[SP_STAT_COUNT];
	struct u64_stats_sync syncp;
};

/**
 * struct sp_net - the sleep proxy of one network namespace
 * @lock: serialises every writer; taken after the RTNL
 * @hosts: &struct sp_host by (ifindex, MAC); RCU readers
 * @addrs: &struct sp_addr by (ifindex, family, address); RCU readers
 * @ids: &struct sp_host by id, the order of dumps; RCU readers
 * @devs: &struct sp_dev of every hooked interface, under @lock
 * @nr_hosts: hosts in @hosts, under @lock
 * @gen: bumped by every change, so that dumps can tell they raced
 * @stats: counters for packets that belong to no host
 * @net: the namespace itself (NULL for the tables KUnit builds alone)
 * @lifecycle: takeovers, lease wakes and lease ends (lifecycle.c)
 * @next_event: jiffies64 @lifecycle is scheduled for, under @lock
 * @dying: no more @lifecycle runs, under @lock
 * @rl: the budgets of wakes and of answers per source (ratelimit.c)
 */
struct sp_net {
	struct mutex lock;	/* writers; taken after the RTNL */
	struct rhashtable hosts;
	struct rhashtable addrs;
	struct xarray ids;
	struct list_head devs;
	unsigned int nr_hosts;
	u32 gen;
	struct sp_pcpu_stats __percpu *stats;
	struct net *net;
	struct delayed_work lifecycle;
	u64 next_event;
	bool dying;
	struct sp_ratelimit rl;
};

extern unsigned int sp_net_id;

static inline struct sp_net *sp_net(const struct net *net)
{
	return net_generic(net, sp_net_id);
}

static inline void sp_stat_inc(struct sp_net *spn, enum sp_stat idx)
{
	struct sp_pcpu_stats *s = get_cpu_ptr(spn->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->c[idx]);
	u64_stats_update_end(&s->syncp);
	put_cpu_ptr(spn->stats);
}

void sp_net_stats_read(struct sp_net *spn, u64 *vals);
int sp_net_register(void);
void sp_net_unregister(void);

#endif /* _SP_NETNS_H */
