// SPDX-License-Identifier: GPL-2.0
/*
 * SYN replay: the SYNs that wake a host, and those that arrive while it
 * wakes, are kept, and sent to the host the moment it is seen awake, so
 * that the clients' connections complete then rather than at their next
 * retransmission (seconds later, or never for impatient applications).
 *
 * A SYN from the host's link is sent again as it came, to the host's MAC
 * from the interface's; a routed one goes out through the route it was
 * given (its post-routing hooks run again: source NAT and conntrack
 * confirm it then).  The gateway's own SYNs are not kept: its TCP stack
 * would wait for the clone.  One SYN per flow (the client's retransmits
 * are duplicates), bounded per host (syn_hold_max) and per namespace
 * (syn_hold_total), for syn_hold_ms at most (the namespace's settings):
 * what does not fit or expires is freed and counted, and nothing is sent
 * to a host not seen awake.
 */

#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <net/dst.h>

#include "compat.h"
#include "config.h"
#include "hold.h"
#include "host.h"
#include "netns.h"

/* One held SYN, and its flow. */
struct sp_held {
	struct list_head list;
	struct sk_buff *skb;
	unsigned long expires;		/* jiffies */
	u8 via;
	u8 family;
	__be16 sport;
	__be16 dport;
	__be32 saddr[4];
	__be32 daddr[4];
};

/* The flow of the SYN in @skb, its TCP header at @thoff.  0 or -EINVAL. */
static int sp_held_flow(const struct sk_buff *skb, unsigned int thoff,
			struct sp_held *held)
{
	int nhoff = skb_network_offset(skb);
	__be16 ports[2];
	union {
		struct iphdr v4;
		struct ipv6hdr v6;
	} buf;
	const struct iphdr *ip4;
	const struct ipv6hdr *ip6;

	memset(held, 0, sizeof(*held));
	ip4 = skb_header_pointer(skb, nhoff, sizeof(*ip4), &buf.v4);
	if (!ip4 || skb_copy_bits(skb, thoff, ports, sizeof(ports)))
		return -EINVAL;
	if (ip4->version == 4) {
		held->family = AF_INET;
		held->saddr[0] = ip4->saddr;
		held->daddr[0] = ip4->daddr;
	} else {
		ip6 = skb_header_pointer(skb, nhoff, sizeof(*ip6), &buf.v6);
		if (!ip6)
			return -EINVAL;
		held->family = AF_INET6;
		memcpy(held->saddr, &ip6->saddr, sizeof(held->saddr));
		memcpy(held->daddr, &ip6->daddr, sizeof(held->daddr));
	}
	held->sport = ports[0];
	held->dport = ports[1];
	return 0;
}

static bool sp_held_same_flow(const struct sp_held *a, const struct sp_held *b)
{
	return a->family == b->family && a->sport == b->sport &&
	       a->dport == b->dport &&
	       !memcmp(a->saddr, b->saddr, sizeof(a->saddr)) &&
	       !memcmp(a->daddr, b->daddr, sizeof(a->daddr));
}

static void sp_held_free(struct sp_held *held)
{
	kfree_skb(held->skb);
	kfree(held);
}

/*
 * Take everything held into @list, and @dead if the host is going.
 * Returns how many.  Context: BHs off.
 */
static unsigned int sp_hold_take(struct sp_hold *hold, struct list_head *list,
				 bool dead)
{
	unsigned int n;

	spin_lock(&hold->lock);
	if (dead)
		hold->dead = true;
	list_splice_init(&hold->list, list);
	n = hold->n;
	hold->n = 0;
	spin_unlock(&hold->lock);
	atomic_sub(n, &hold->spn->n_held);
	return n;
}

static void sp_held_free_list(struct list_head *list)
{
	struct sp_held *held, *tmp;

	list_for_each_entry_safe(held, tmp, list, list)
		sp_held_free(held);
}

/* Free what has expired, and wake up again for the next.  Softirq. */
static void sp_hold_timer(struct timer_list *t)
{
	struct sp_hold *hold = sp_from_timer(hold, t, timer);
	struct sp_host *host = container_of(hold, struct sp_host_wake,
					    hold)->host;
	struct sp_held *held, *tmp;
	unsigned int n = 0;
	LIST_HEAD(gone);

	spin_lock(&hold->lock);
	list_for_each_entry_safe(held, tmp, &hold->list, list) {
		if (time_before(jiffies, held->expires)) {
			if (!hold->dead)
				mod_timer(&hold->timer, held->expires);
			break;
		}
		list_move_tail(&held->list, &gone);
		n++;
	}
	hold->n -= n;
	spin_unlock(&hold->lock);

	atomic_sub(n, &hold->spn->n_held);
	sp_host_stat_add(host, SP_HSTAT_SYN_EXPIRED, n);
	sp_held_free_list(&gone);
}

/* Context: process, before the host is published. */
void sp_hold_init(struct sp_net *spn, struct sp_hold *hold)
{
	spin_lock_init(&hold->lock);
	INIT_LIST_HEAD(&hold->list);
	hold->spn = spn;
	timer_setup(&hold->timer, sp_hold_timer, 0);
}

/*
 * The host goes: free what it holds, and hold nothing more.
 * Context: process, or the RCU callback that frees the host.
 */
void sp_hold_flush(struct sp_host *host)
{
	struct sp_host_wake *w = READ_ONCE(host->wake);
	LIST_HEAD(gone);

	if (!w)
		return;
	local_bh_disable();
	sp_hold_take(&w->hold, &gone, true);
	local_bh_enable();
	sp_timer_delete_sync(&w->hold.timer);
	sp_held_free_list(&gone);
}

/**
 * sp_hold_drop - the wake failed: free what is held, as expired
 * @host: the host
 *
 * Context: softirq.
 */
void sp_hold_drop(struct sp_host *host)
{
	struct sp_host_wake *w = READ_ONCE(host->wake);
	LIST_HEAD(gone);

	if (!w)
		return;
	sp_host_stat_add(host, SP_HSTAT_SYN_EXPIRED,
			 sp_hold_take(&w->hold, &gone, false));
	sp_held_free_list(&gone);
}

/**
 * sp_hold_syn - keep a SYN for a host being woken, to replay it
 * @spn: the namespace
 * @host: the host, proxying or woken
 * @skb: the SYN, checked, its IP header at skb_network_offset()
 * @via: enum sleepproxy_wake_via
 * @thoff: the offset of its TCP header from @skb->data
 *
 * Return: true if @skb is kept (the caller returns NF_STOLEN), false if
 * the caller is to drop it: a duplicate of a SYN kept already, one from
 * the gateway itself, or one that does not fit (counted, as is one for a
 * host whose wake state could not be allocated).
 * Context: softirq, RCU read-side critical section.
 */
bool sp_hold_syn(struct sp_net *spn, struct sp_host *host,
		 struct sk_buff *skb, u8 via, unsigned int thoff)
{
	unsigned int max = sp_setting(spn, SP_SYN_HOLD_MAX);
	struct sp_held flow, *held;
	struct sp_host_wake *w;
	struct sp_hold *hold;

	if (!max || via == SLEEPPROXY_VIA_LOCAL ||
	    sp_held_flow(skb, thoff, &flow))
		return false;
	w = sp_host_wake_get(spn, host);
	if (!w) {
		/* Counted on the interface: the host's count lives in @w. */
		sp_host_stat_inc(host, SP_HSTAT_SYN_DROPPED);
		return false;
	}
	hold = &w->hold;

	spin_lock(&hold->lock);
	if (hold->dead)
		goto unlock;
	list_for_each_entry(held, &hold->list, list)
		if (sp_held_same_flow(held, &flow))
			goto unlock;
	if (hold->n >= max)
		goto dropped;
	if (atomic_inc_return(&spn->n_held) > sp_setting(spn, SP_SYN_HOLD_TOTAL))
		goto dropped_total;
	held = kmalloc(sizeof(*held), GFP_ATOMIC);
	/* A routed SYN goes out again through its route. */
	if (!held || (via == SLEEPPROXY_VIA_ROUTED && !skb_dst_force(skb))) {
		kfree(held);
		goto dropped_total;
	}
	/*
	 * A sender's TCP stack does not retransmit while its clone is in
	 * a queue (here, when the client is on this machine): let it go.
	 */
	skb_orphan(skb);
	*held = flow;
	held->skb = skb;
	held->via = via;
	held->expires = jiffies + msecs_to_jiffies(sp_setting(spn, SP_SYN_HOLD_MS));
	list_add_tail(&held->list, &hold->list);
	if (!hold->n++)
		mod_timer(&hold->timer, held->expires);
	spin_unlock(&hold->lock);
	sp_host_stat_inc(host, SP_HSTAT_SYN_HELD);
	return true;

dropped_total:
	atomic_dec(&spn->n_held);
dropped:
	spin_unlock(&hold->lock);
	sp_host_stat_inc(host, SP_HSTAT_SYN_DROPPED);
	return false;
unlock:
	spin_unlock(&hold->lock);
	return false;
}

/* Send a held SYN to the host, which is up.  Consumes it. */
static bool sp_held_send(struct sp_net *spn, const struct sp_host *host,
			 struct net_device *dev, struct sp_held *held)
{
	struct sk_buff *skb = held->skb;
	struct ethhdr *eth;

	held->skb = NULL;
	if (held->via == SLEEPPROXY_VIA_ROUTED)
		return !dst_output(spn->net, NULL, skb);

	/* From the link: to the host's MAC now, from the interface's. */
	if (skb_cow_head(skb, ETH_HLEN)) {
		kfree_skb(skb);
		return false;
	}
	__vlan_hwaccel_clear_tag(skb);
	if (skb->ip_summed == CHECKSUM_COMPLETE)
		skb->ip_summed = CHECKSUM_NONE;
	eth = skb_push(skb, ETH_HLEN);
	skb_reset_mac_header(skb);
	ether_addr_copy(eth->h_dest, host->key.mac);
	ether_addr_copy(eth->h_source, dev->dev_addr);
	eth->h_proto = skb->protocol;
	skb->dev = dev;
	skb->pkt_type = PACKET_OUTGOING;
	return dev_queue_xmit(skb) == NET_XMIT_SUCCESS;
}

/**
 * sp_hold_replay - the host is up: send it what was held for it
 * @spn: the namespace
 * @host: the host, just seen awake
 * @dev: its interface
 *
 * Context: softirq, RCU read-side critical section.
 */
void sp_hold_replay(struct sp_net *spn, struct sp_host *host,
		    struct net_device *dev)
{
	struct sp_host_wake *w = READ_ONCE(host->wake);
	unsigned int sent = 0, lost = 0;
	struct sp_held *held, *tmp;
	LIST_HEAD(list);

	if (!w || !sp_hold_take(&w->hold, &list, false))
		return;
	list_for_each_entry_safe(held, tmp, &list, list) {
		if (time_after_eq(jiffies, held->expires))
			lost++;
		else if (sp_held_send(spn, host, dev, held))
			sent++;
		else
			sp_stat_inc(spn, dev, SP_STAT_TX_ERRORS);
		sp_held_free(held);
	}
	sp_host_stat_add(host, SP_HSTAT_SYN_REPLAYED, sent);
	sp_host_stat_add(host, SP_HSTAT_SYN_EXPIRED, lost);
}

#if IS_ENABLED(CONFIG_SLEEPPROXY_KUNIT_TEST)
#include "../tests/kunit/hold_test.c"
#endif
