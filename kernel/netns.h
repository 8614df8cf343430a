/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SP_NETNS_H
#define _SP_NETNS_H

#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/rhashtable-types.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "config.h"
#include "filter.h"
#include "ratelimit.h"
#include "route.h"
#include "stats.h"

/**
 * struct sp_net - the sleep proxy of one network namespace
 * @lock: serialises every writer; taken after the RTNL
 * @hosts: &struct sp_host by (ifindex, MAC); RCU readers
 * @addrs: &struct sp_addr by (ifindex, family, address); RCU readers
 * @ids: &struct sp_host by id, the order of dumps; RCU readers
 * @devs: &struct sp_dev of every hooked interface by ifindex; RCU readers
 * @nr_hosts: hosts in @hosts, under @lock
 * @gen: bumped by every change, so that dumps can tell they raced
 * @stats: counters for packets that belong to no host
 * @net: the namespace itself (NULL for the tables KUnit builds alone)
 * @lifecycle: takeovers, lease wakes and lease ends (lifecycle.c)
 * @next_event: jiffies64 @lifecycle is scheduled for, under @lock
 * @dying: no more @lifecycle runs, under @lock
 * @rl: the budgets of wakes and of answers per source (ratelimit.c)
 * @n_held: SYNs held for replay, every host together (hold.c)
 * @filter: which keys may be in @hosts and @addrs (filter.c); RCU readers
 * @filter_keys: keys in the tables, under @lock
 * @filter_stale: keys removed since @filter was built, under @lock
 * @filter_work: builds @filter again after hosts woke
 * @settings: the namespace's own settings (config.c)
 * @route_ops: the hooks after routing (route.c), this namespace's copy:
 *	       their priv is the &struct sp_net
 */
struct sp_net {
	struct mutex lock;	/* writers; taken after the RTNL */
	struct rhashtable hosts;
	struct rhashtable addrs;
	struct xarray ids;
	struct list_head devs;
	unsigned int nr_hosts;
	u32 gen;
	struct sp_stats __percpu *stats;
	struct net *net;
	struct delayed_work lifecycle;
	u64 next_event;
	bool dying;
	struct sp_ratelimit rl;
	atomic_t n_held;
	struct sp_filter __rcu *filter;
	unsigned int filter_keys;
	unsigned int filter_stale;
	struct delayed_work filter_work;
	struct sp_settings settings;
	struct nf_hook_ops route_ops[SP_ROUTE_NR_OPS];
};

extern unsigned int sp_net_id;

static inline struct sp_net *sp_net(const struct net *net)
{
	return net_generic(net, sp_net_id);
}

int sp_net_register(void);
void sp_net_unregister(void);

#endif /* _SP_NETNS_H */
