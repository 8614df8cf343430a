// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state: the host table, the hooked interfaces and
 * the namespace's counters.
 */

#include <linux/percpu.h>
#include <linux/rtnetlink.h>

#include "device.h"
#include "host.h"
#include "lifecycle.h"
#include "netns.h"

unsigned int sp_net_id __read_mostly;

static int __net_init sp_net_init(struct net *net)
{
	struct sp_net *spn = sp_net(net);
	int err;

	spn->stats = sp_stats_alloc(SP_STAT_COUNT, GFP_KERNEL);
	if (!spn->stats)
		return -ENOMEM;
	spn->net = net;
	sp_ratelimit_init(&spn->rl);
	err = sp_hosts_init(spn);
	if (err)
		free_percpu(spn->stats);
	return err;
}

/*
 * Unhook first; the core waits for running hooks before sp_net_exit().
 * The interfaces are still there (the module may be going, not the
 * namespace): leave the hosts' multicast groups on them.
 */
static void __net_exit sp_net_pre_exit(struct net *net)
{
	struct sp_net *spn = sp_net(net);

	sp_lifecycle_stop(spn);
	rtnl_lock();
	mutex_lock(&spn->lock);
	sp_host_flush_dev(spn, net, 0, SP_REMOVED_QUIETLY);
	sp_devs_release(spn);
	mutex_unlock(&spn->lock);
	rtnl_unlock();
}

static void __net_exit sp_net_exit(struct net *net)
{
	struct sp_net *spn = sp_net(net);

	sp_hosts_destroy(spn);
	free_percpu(spn->stats);
}

static struct pernet_operations sp_net_ops = {
	.init = sp_net_init,
	.pre_exit = sp_net_pre_exit,
	.exit = sp_net_exit,
	.id = &sp_net_id,
	.size = sizeof(struct sp_net),
};

int __init sp_net_register(void)
{
	return register_pernet_subsys(&sp_net_ops);
}

void sp_net_unregister(void)
{
	unregister_pernet_subsys(&sp_net_ops);
}
