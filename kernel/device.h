/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SP_DEVICE_H
#define _SP_DEVICE_H

#include <linux/list.h>
#include <linux/netfilter.h>
#include <linux/types.h>

struct net_device;
struct sp_net;
struct sp_stats;

/**
 * struct sp_dev - an interface with registered hosts
 * @list: in &sp_net.devs, by @ifindex
 * @ops: the ingress hook; its priv is the &struct sp_dev
 * @spn: the namespace, which outlives it
 * @ifindex: the interface's
 * @nr_hosts: its hosts, under &sp_net.lock
 * @asleep: its hosts that are not awake (registered, proxied or woken):
 *	    while there are none the hook has nothing to do; changes with
 *	    &sp_host.state (see sp_host_set_awake())
 * @stats: SP_DSTAT_COUNT counters
 * @rcu: for freeing after the hook and every counter update are done
 */
struct sp_dev {
	struct list_head list;
	struct nf_hook_ops ops;
	struct sp_net *spn;
	int ifindex;
	unsigned int nr_hosts;
	atomic_t asleep;
	struct sp_stats __percpu *stats;
	struct rcu_head rcu;
};

struct sp_dev *sp_dev_find(struct sp_net *spn, int ifindex);
struct sp_stats __percpu *sp_dev_stats(struct sp_net *spn, int ifindex);

int sp_dev_attach(struct sp_net *spn, struct net_device *dev);
void sp_dev_detach(struct sp_net *spn, int ifindex);
void sp_devs_release(struct sp_net *spn);
int sp_dev_notifier_register(void);
void sp_dev_notifier_unregister(void);

#endif /* _SP_DEVICE_H */
