// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/class/net/IFNAME/sleepproxy/: an interface's counters, one value per
 * file, for as long as hosts are registered on it.  The directory belongs
 * to the interface's own device, so it follows the interface into its
 * namespace and goes with it.  Documentation/ABI/testing/sysfs-class-net-sleepproxy
 * describes every file.
 */

#include <linux/bitops.h>
#include <linux/device.h>
#include <linux/netdevice.h>
#include <linux/sysfs.h>

#include "device.h"
#include "host.h"
#include "netns.h"
#include "sysfs.h"

/* A file's value: the sum of the interface's counters in @mask. */
struct sp_dev_attr {
	struct device_attribute attr;
	u64 mask;
};

#define SP_S(idx)	BIT_ULL(SP_STAT_##idx)
#define SP_H(idx)	BIT_ULL(SP_DSTAT_HOST(SP_HSTAT_##idx))

static ssize_t sp_sysfs_show(struct device *d, struct device_attribute *attr,
			     char *buf)
{
	const struct sp_dev_attr *a = container_of(attr, struct sp_dev_attr,
						   attr);
	struct net_device *dev = to_net_dev(d);
	u64 vals[SP_DSTAT_COUNT], sum = 0;
	struct sp_dev *spd;
	unsigned int i;

	rcu_read_lock();
	spd = sp_dev_find(sp_net(dev_net(dev)), dev->ifindex);
	if (spd)
		sp_stats_read(spd->stats, SP_DSTAT_COUNT, vals);
	rcu_read_unlock();
	/* Read while the last host went: the file is about to go too. */
	if (!spd)
		return -ENODEV;
	for (i = 0; i < SP_DSTAT_COUNT; i++)
		if (a->mask & BIT_ULL(i))
			sum += vals[i];
	return sysfs_emit(buf, "%llu\n", sum);
}

#define SP_ATTR(_name, _mask)						\
static struct sp_dev_attr sp_attr_##_name = {				\
	.attr = __ATTR(_name, 0444, sp_sysfs_show, NULL),		\
	.mask = (_mask),						\
}

SP_ATTR(rx_frames, SP_S(RX_FRAMES));
SP_ATTR(arp_requests, SP_H(ARP_REQUESTS));
SP_ATTR(arp_replies, SP_H(ARP_REPLIES));
SP_ATTR(garp_sent, SP_H(GARP_SENT));
SP_ATTR(ns_requests, SP_H(NS_REQUESTS));
SP_ATTR(na_replies, SP_H(NA_REPLIES));
SP_ATTR(na_unsolicited, SP_H(NA_UNSOLICITED));
SP_ATTR(echo_replies, SP_H(ECHO_REPLIES));
SP_ATTR(syn_wake, SP_H(SYN_WAKE));
SP_ATTR(syn_other, SP_H(SYN_OTHER));
SP_ATTR(wakes, SP_H(WAKES));
SP_ATTR(lease_wakes, SP_H(LEASE_WAKES));
SP_ATTR(manual_wakes, SP_S(MANUAL_WAKES));
SP_ATTR(magic_sent, SP_H(MAGIC_SENT));
SP_ATTR(magic_relayed, SP_H(MAGIC_RELAYED));
SP_ATTR(syn_held, SP_H(SYN_HELD));
SP_ATTR(syn_replayed, SP_H(SYN_REPLAYED));
SP_ATTR(syn_expired, SP_H(SYN_EXPIRED));
SP_ATTR(syn_dropped, SP_H(SYN_DROPPED));
SP_ATTR(wake_rounds, SP_H(WAKE_ROUNDS));
SP_ATTR(wakes_failed, SP_H(WAKES_FAILED));
SP_ATTR(wakes_suppressed, SP_S(WAKES_SUPPRESSED));
SP_ATTR(replies_suppressed, SP_S(REPLIES_SUPPRESSED));
SP_ATTR(awake, SP_H(AWAKE));
SP_ATTR(awake_probes, SP_H(AWAKE_PROBES));
SP_ATTR(offload_frames, SP_H(OFFLOAD_FRAMES));
SP_ATTR(conflicts, SP_H(CONFLICTS));
SP_ATTR(leases_expired, SP_S(LEASES_EXPIRED));
SP_ATTR(tx_errors, SP_S(TX_ERRORS));
SP_ATTR(drop_sleeping, SP_H(DROPPED));
SP_ATTR(drop_malformed, SP_S(DROP_ARP_MALFORMED) | SP_S(DROP_IPV4_MALFORMED) |
	SP_S(DROP_IPV6_MALFORMED) | SP_S(DROP_TCP_MALFORMED) |
	SP_S(DROP_ND_MALFORMED) | SP_S(DROP_ICMP_MALFORMED));
SP_ATTR(drop_arp_malformed, SP_S(DROP_ARP_MALFORMED));
SP_ATTR(drop_ipv4_malformed, SP_S(DROP_IPV4_MALFORMED));
SP_ATTR(drop_ipv6_malformed, SP_S(DROP_IPV6_MALFORMED));
SP_ATTR(drop_tcp_malformed, SP_S(DROP_TCP_MALFORMED));
SP_ATTR(drop_nd_malformed, SP_S(DROP_ND_MALFORMED));
SP_ATTR(drop_icmp_malformed, SP_S(DROP_ICMP_MALFORMED));
SP_ATTR(drop_fragment, SP_S(DROP_IPV4_FRAGMENT) | SP_S(DROP_IPV6_FRAGMENT));
SP_ATTR(drop_srcroute, SP_S(DROP_IPV4_SRCROUTE) | SP_S(DROP_IPV6_SRCROUTE));

static ssize_t hosts_show(struct device *d, struct device_attribute *attr,
			  char *buf)
{
	struct net_device *dev = to_net_dev(d);
	struct sp_dev *spd;
	unsigned int n = 0;

	rcu_read_lock();
	spd = sp_dev_find(sp_net(dev_net(dev)), dev->ifindex);
	if (spd)
		n = READ_ONCE(spd->nr_hosts);
	rcu_read_unlock();
	return spd ? sysfs_emit(buf, "%u\n", n) : -ENODEV;
}
static DEVICE_ATTR_RO(hosts);

static ssize_t hosts_proxying_show(struct device *d,
				   struct device_attribute *attr, char *buf)
{
	struct net_device *dev = to_net_dev(d);

	return sysfs_emit(buf, "%u\n",
			  sp_hosts_proxying(sp_net(dev_net(dev)),
					    dev->ifindex));
}
static DEVICE_ATTR_RO(hosts_proxying);

static struct attribute *sp_attrs[] = {
	&dev_attr_hosts.attr,
	&dev_attr_hosts_proxying.attr,
	&sp_attr_rx_frames.attr.attr,
	&sp_attr_arp_requests.attr.attr,
	&sp_attr_arp_replies.attr.attr,
	&sp_attr_garp_sent.attr.attr,
	&sp_attr_ns_requests.attr.attr,
	&sp_attr_na_replies.attr.attr,
	&sp_attr_na_unsolicited.attr.attr,
	&sp_attr_echo_replies.attr.attr,
	&sp_attr_syn_wake.attr.attr,
	&sp_attr_syn_other.attr.attr,
	&sp_attr_wakes.attr.attr,
	&sp_attr_lease_wakes.attr.attr,
	&sp_attr_manual_wakes.attr.attr,
	&sp_attr_magic_sent.attr.attr,
	&sp_attr_magic_relayed.attr.attr,
	&sp_attr_syn_held.attr.attr,
	&sp_attr_syn_replayed.attr.attr,
	&sp_attr_syn_expired.attr.attr,
	&sp_attr_syn_dropped.attr.attr,
	&sp_attr_wake_rounds.attr.attr,
	&sp_attr_wakes_failed.attr.attr,
	&sp_attr_wakes_suppressed.attr.attr,
	&sp_attr_replies_suppressed.attr.attr,
	&sp_attr_awake.attr.attr,
	&sp_attr_awake_probes.attr.attr,
	&sp_attr_offload_frames.attr.attr,
	&sp_attr_conflicts.attr.attr,
	&sp_attr_leases_expired.attr.attr,
	&sp_attr_tx_errors.attr.attr,
	&sp_attr_drop_sleeping.attr.attr,
	&sp_attr_drop_malformed.attr.attr,
	&sp_attr_drop_arp_malformed.attr.attr,
	&sp_attr_drop_ipv4_malformed.attr.attr,
	&sp_attr_drop_ipv6_malformed.attr.attr,
	&sp_attr_drop_tcp_malformed.attr.attr,
	&sp_attr_drop_nd_malformed.attr.attr,
	&sp_attr_drop_icmp_malformed.attr.attr,
	&sp_attr_drop_fragment.attr.attr,
	&sp_attr_drop_srcroute.attr.attr,
	NULL
};

static const struct attribute_group sp_attr_group = {
	.name = "sleepproxy",
	.attrs = sp_attrs,
};

/*
 * The files of @dev.  Their readers only take the RCU read lock, so they
 * may be removed with the RTNL and &sp_net.lock held.  Context: process.
 */
int sp_sysfs_add(struct net_device *dev)
{
	BUILD_BUG_ON(SP_DSTAT_COUNT > 64);
	return sysfs_create_group(&dev->dev.kobj, &sp_attr_group);
}

void sp_sysfs_del(struct net_device *dev)
{
	sysfs_remove_group(&dev->dev.kobj, &sp_attr_group);
}
