// SPDX-License-Identifier: GPL-2.0
/*
 * The ingress hook of every interface with registered hosts: notices hosts
 * that are awake again and hands ARP, IPv4 and IPv6 to their handlers.
 * While no host of the interface sleeps, a frame costs a counter read;
 * otherwise frames that are not for a sleeping host leave untouched after
 * the filter in front of the host tables has been asked about their
 * source MAC and, for those addressed to the gateway, their destination.
 */

#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/netfilter.h>
#include <linux/skbuff.h>

#include "announce.h"
#include "arp.h"
#include "device.h"
#include "filter.h"
#include "hold.h"
#include "host.h"
#include "netlink.h"
#include "ipv4.h"
#include "ipv6.h"
#include "ndisc.h"
#include "netns.h"
#include "rx.h"

/*
 * Does a frame from a host's MAC say the host is up?  IPv4 and IPv6 do,
 * and so do ARP requests, probes and announcements.  ARP replies and
 * solicited Neighbor Advertisements do not: the NIC of a sleeping host
 * with ARP and NS offload sends those too.  After a wake, though, an
 * answer to the gateway's own question is the host answering.
 */
static bool sp_rx_awake_frame(const struct sk_buff *skb, unsigned int state)
{
	bool answer;

	switch (skb->protocol) {
	case htons(ETH_P_IP):
		return true;
	case htons(ETH_P_ARP):
		answer = sp_arp_is_reply(skb);
		break;
	case htons(ETH_P_IPV6):
		answer = sp_ndisc_is_solicited_na(skb);
		break;
	default:
		return false;
	}
	return !answer || (state == SLEEPPROXY_STATE_WOKEN &&
			   ether_addr_equal(eth_hdr(skb)->h_dest,
					    skb->dev->dev_addr));
}

/*
 * A frame from the MAC of a registered host that is not known to be awake.
 * While the host is going to sleep it puts the takeover off; once the
 * proxy has taken over, it means the host is awake: step aside and point
 * peers back at it.  Nothing is answered on its behalf after that: a
 * waking host probing for its own address must not hear that the address
 * is taken, and its addresses are not proxied once it is awake.
 */
static noinline void sp_rx_from_host(struct sp_net *spn,
				     struct sp_host *host,
				     const struct sk_buff *skb)
{
	unsigned int state = READ_ONCE(host->state);
	u64 woken_at;

	if (state == SLEEPPROXY_STATE_AWAKE || state == SP_STATE_GONE)
		return;
	if (!sp_rx_awake_frame(skb, state)) {
		sp_host_stat_inc(host, SP_HSTAT_OFFLOAD_FRAMES);
		return;
	}
	if (state == SLEEPPROXY_STATE_REGISTERED) {
		sp_host_seen(host);
		return;
	}
	woken_at = atomic64_read(&host->state_since);
	if (sp_host_set_awake(host)) {
		/* Its frames need not be looked at again. */
		sp_filter_woken(spn);
		if (state == SLEEPPROXY_STATE_WOKEN)
			WRITE_ONCE(host->last_wake_ms,
				   jiffies64_to_msecs(get_jiffies_64() -
						      woken_at) ?: 1);
		sp_host_stat_inc(host, SP_HSTAT_AWAKE);
		sp_nl_notify(spn, host, SLEEPPROXY_EVENT_AWAKE, NULL, 0,
			     GFP_ATOMIC);
		sp_announce(spn, host, skb->dev, host->key.mac);
		/* Its peers' connections complete now. */
		sp_hold_replay(spn, host, skb->dev);
	}
}

/*
 * For the gateway, for everyone, for a multicast group (Neighbor
 * Solicitations), or for a sleeping host's own MAC (seen when a bridge
 * floods to an expired entry, or in promiscuous mode).
 */
static bool sp_rx_for_us(struct sp_net *spn, const struct sk_buff *skb)
{
	switch (skb->pkt_type) {
	case PACKET_HOST:
	case PACKET_BROADCAST:
	case PACKET_MULTICAST:
		return true;
	case PACKET_OTHERHOST:
		return sp_host_lookup_asleep(spn, skb->dev->ifindex,
					     eth_hdr(skb)->h_dest);
	default:
		return false;
	}
}

/*
 * The filter is asked here, before anything is called: about the source
 * MAC (a host that is not known to be awake?), then about the
 * destination address (a proxied one?).  Most frames find a clear bit
 * for both keys.
 * Not inlined: the hook's path for an interface whose hosts are all
 * awake stays a load and a return, without this one's stack frame.
 */
static noinline unsigned int sp_rx(struct sp_net *spn, struct sp_dev *spd,
				   struct sk_buff *skb)
{
	const struct sp_filter *f = rcu_dereference(spn->filter);
	/* skb->dev's, in the cache line the hook just read. */
	int ifindex = spd->ifindex;
	struct sp_host *host;
	const u8 *src;

	if (unlikely(!skb_mac_header_was_set(skb) ||
		     skb_mac_header_len(skb) < ETH_HLEN))
		return NF_ACCEPT;
	/* Tagged for a VLAN that has a device of its own. */
	if (skb_vlan_tag_present(skb) && skb_vlan_tag_get_id(skb))
		return NF_ACCEPT;
	src = eth_hdr(skb)->h_source;

	__sp_stats_add(spn->stats, SP_STAT_RX_FRAMES, 1);
	__sp_stats_add(spd->stats, SP_STAT_RX_FRAMES, 1);
	/*
	 * A registered host's frame then goes on like any peer's: a host that
	 * is up may want to reach one that sleeps, and its requests are
	 * answered and its SYNs wake.  The frames of a sleeping host that do
	 * not say it is up (its NIC's ARP replies and solicited
	 * advertisements) answer and claim nothing.  A clear bit of the MAC's
	 * in the filter is sp_host_lookup_asleep()'s answer; both set ask the
	 * table.
	 */
	if (unlikely(sp_filter_maybe(f, sp_filter_mac_word(ifindex, src)))) {
		host = sp_host_lookup(spn, ifindex, src);
		if (host)
			sp_rx_from_host(spn, host, skb);
	}
	if (!sp_rx_for_us(spn, skb))
		return NF_ACCEPT;

	switch (skb->protocol) {
	case htons(ETH_P_ARP):
		return sp_arp_rcv(spn, skb);
	case htons(ETH_P_IP):
		if (!sp_filter_maybe_ipv4(f, skb, ifindex))
			return NF_ACCEPT;
		return sp_ipv4_rcv(spn, skb, skb->dev, SLEEPPROXY_VIA_LAN);
	case htons(ETH_P_IPV6):
		if (!sp_filter_maybe_ipv6(f, skb, ifindex))
			return NF_ACCEPT;
		return sp_ipv6_rcv(spn, skb, skb->dev, SLEEPPROXY_VIA_LAN);
	default:
		return NF_ACCEPT;
	}
}

/*
 * While every host of the interface is awake (the usual case) a frame
 * costs one read of a counter that changes only when a host falls asleep
 * or wakes up.
 */
unsigned int sp_rx_hook(void *priv, struct sk_buff *skb,
			const struct nf_hook_state *state)
{
	struct sp_dev *spd = priv;

	if (likely(!atomic_read(&spd->asleep)))
		return NF_ACCEPT;
	return sp_rx(spd->spn, spd, skb);
}

#if IS_ENABLED(CONFIG_SLEEPPROXY_KUNIT_TEST)
#include "../tests/kunit/bench_test.c"
#endif
