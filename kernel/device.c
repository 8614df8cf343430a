// SPDX-License-Identifier: GPL-2.0
/*
 * The interfaces the proxy listens on: a netfilter ingress hook on every
 * interface with at least one registered host, and nothing on the others.
 * Hooks rather than an rx_handler, so that bridges, bonds and VLANs on the
 * same interface keep working.
 */

#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "announce.h"
#include "device.h"
#include "host.h"
#include "netns.h"
#include "route.h"
#include "rx.h"
#include "sysfs.h"

/* After default-priority nftables netdev chains: the admin filters first. */
#define SP_HOOK_PRIORITY	100

/**
 * sp_dev_find - the hooked interface @ifindex
 * @spn: the namespace
 * @ifindex: the interface
 *
 * Context: RCU read-side section or &sp_net.lock held.
 */
struct sp_dev *sp_dev_find(struct sp_net *spn, int ifindex)
{
	struct sp_dev *spd;

	list_for_each_entry_rcu(spd, &spn->devs, list,
				lockdep_is_held(&spn->lock))
		if (spd->ifindex == ifindex)
			return spd;
	return NULL;
}

/* Context: RCU read-side section or &sp_net.lock held. */
struct sp_stats __percpu *sp_dev_stats(struct sp_net *spn, int ifindex)
{
	struct sp_dev *spd = sp_dev_find(spn, ifindex);

	return spd ? spd->stats : NULL;
}

static void sp_dev_free_rcu(struct rcu_head *rcu)
{
	struct sp_dev *spd = container_of(rcu, struct sp_dev, rcu);

	free_percpu(spd->stats);
	kfree(spd);
}

/* Keep the list in ifindex order: dumps resume from an ifindex. */
static void sp_dev_insert(struct sp_net *spn, struct sp_dev *new)
{
	struct list_head *pos = &spn->devs;
	struct sp_dev *spd;

	list_for_each_entry(spd, &spn->devs, list) {
		if (spd->ifindex > new->ifindex)
			break;
		pos = &spd->list;
	}
	list_add_rcu(&new->list, pos);
}

/**
 * sp_dev_attach - one more host on @dev; hook it if it is the first
 * @spn: the namespace of @dev
 * @dev: a registered Ethernet device
 *
 * Context: process, RTNL and &sp_net.lock held.
 */
int sp_dev_attach(struct sp_net *spn, struct net_device *dev)
{
	struct sp_dev *spd;
	int err;

	ASSERT_RTNL();
	lockdep_assert_held(&spn->lock);

	spd = sp_dev_find(spn, dev->ifindex);
	if (spd) {
		spd->nr_hosts++;
		return 0;
	}

	spd = kzalloc(sizeof(*spd), GFP_KERNEL_ACCOUNT);
	if (!spd)
		return -ENOMEM;
	spd->stats = sp_stats_alloc(SP_DSTAT_COUNT, GFP_KERNEL_ACCOUNT);
	if (!spd->stats) {
		err = -ENOMEM;
		goto err_free;
	}
	spd->spn = spn;
	spd->ifindex = dev->ifindex;
	spd->nr_hosts = 1;
	spd->ops.hook = sp_rx_hook;
	spd->ops.priv = spd;
	spd->ops.pf = NFPROTO_NETDEV;
	spd->ops.hooknum = NF_NETDEV_INGRESS;
	spd->ops.priority = SP_HOOK_PRIORITY;
	spd->ops.dev = dev;
	if (list_empty(&spn->devs)) {
		err = sp_route_attach(spn);
		if (err)
			goto err_stats;
	}
	/* Readers find it before the hook can count on it. */
	sp_dev_insert(spn, spd);
	err = nf_register_net_hook(dev_net(dev), &spd->ops);
	if (err)
		goto err_list;
	err = sp_sysfs_add(dev);
	if (err)
		goto err_hook;
	return 0;

err_hook:
	nf_unregister_net_hook(dev_net(dev), &spd->ops);
err_list:
	list_del_rcu(&spd->list);
	if (list_empty(&spn->devs))
		sp_route_detach(spn);
	call_rcu(&spd->rcu, sp_dev_free_rcu);
	return err;
err_stats:
	free_percpu(spd->stats);
err_free:
	kfree(spd);
	return err;
}

static void sp_dev_free(struct sp_net *spn, struct sp_dev *spd)
{
	/* No reader of the files is left once they are gone. */
	sp_sysfs_del(spd->ops.dev);
	nf_unregister_net_hook(dev_net(spd->ops.dev), &spd->ops);
	list_del_rcu(&spd->list);
	if (list_empty(&spn->devs))
		sp_route_detach(spn);
	/* A hook or a host's counter that started before may still run. */
	call_rcu(&spd->rcu, sp_dev_free_rcu);
}

/* One host fewer on @ifindex.  Context: &sp_net.lock held. */
void sp_dev_detach(struct sp_net *spn, int ifindex)
{
	struct sp_dev *spd;

	lockdep_assert_held(&spn->lock);
	spd = sp_dev_find(spn, ifindex);
	if (!WARN_ON_ONCE(!spd) && !--spd->nr_hosts)
		sp_dev_free(spn, spd);
}

/* Unhook every interface.  Context: &sp_net.lock held, no hosts left. */
void sp_devs_release(struct sp_net *spn)
{
	struct sp_dev *spd, *tmp;

	lockdep_assert_held(&spn->lock);
	list_for_each_entry_safe(spd, tmp, &spn->devs, list)
		sp_dev_free(spn, spd);
}

/*
 * Peers learnt the interface's old MAC for every address proxied on it:
 * announce the new one.  Context: &sp_net.lock held.
 */
static void sp_dev_announce(struct sp_net *spn, struct net_device *dev)
{
	struct sp_host *host;
	unsigned long id;

	local_bh_disable();
	xa_for_each(&spn->ids, id, host)
		if (host->key.ifindex == dev->ifindex && sp_host_proxying(host))
			sp_announce(spn, host, dev, dev->dev_addr);
	local_bh_enable();
}

static int sp_dev_event(struct notifier_block *nb, unsigned long event,
			void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct sp_net *spn;
	struct sp_dev *spd;

	/* NETDEV_UNREGISTER also comes when a device leaves the namespace. */
	if (event != NETDEV_UNREGISTER && event != NETDEV_CHANGEADDR)
		return NOTIFY_DONE;

	spn = sp_net(dev_net(dev));
	mutex_lock(&spn->lock);
	spd = sp_dev_find(spn, dev->ifindex);
	if (spd && event == NETDEV_CHANGEADDR) {
		sp_dev_announce(spn, dev);
	} else if (spd) {
		/*
		 * Also sent for every interface when the module unloads
		 * (unregister_netdevice_notifier() replays it): then the
		 * interface stays and its groups must be left.
		 */
		sp_host_flush_dev(spn, dev_net(dev), dev->ifindex,
				  SLEEPPROXY_REMOVED_INTERFACE);
		sp_dev_free(spn, spd);
	}
	mutex_unlock(&spn->lock);
	return NOTIFY_DONE;
}

static struct notifier_block sp_dev_notifier = {
	.notifier_call = sp_dev_event,
};

int sp_dev_notifier_register(void)
{
	return register_netdevice_notifier(&sp_dev_notifier);
}

void sp_dev_notifier_unregister(void)
{
	unregister_netdevice_notifier(&sp_dev_notifier);
}
