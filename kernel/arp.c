// SPDX-License-Identifier: GPL-2.0
/*
 * ARP on behalf of sleeping hosts: answer requests and probes for their
 * addresses with the interface's own MAC (ISO/IEC 16317 R18-R21), and
 * announce with gratuitous ARP when proxying starts or ends.
 */

#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/skbuff.h>
#include <net/arp.h>

#include "arp.h"
#include "host.h"
#include "netns.h"

/* The Ethernet/IPv4 ARP packet: fixed header, then the four addresses. */
struct sp_arp_eth {
	struct arphdr hdr;
	u8 sha[ETH_ALEN];
	__be32 sip;
	u8 tha[ETH_ALEN];
	__be32 tip;
} __packed;

static const u8 sp_zero_mac[ETH_ALEN] __aligned(2);

enum sp_arp_kind {
	SP_ARP_IGNORE,		/* not a question the proxy answers */
	SP_ARP_MALFORMED,	/* truncated, or not Ethernet/IPv4 */
	SP_ARP_REQUEST,		/* who has tip? tell sip */
	SP_ARP_PROBE,		/* RFC 5227 probe: sip is 0.0.0.0 */
};

/* Classify the ARP packet at the network header of @skb into @arp. */
static enum sp_arp_kind sp_arp_parse(const struct sk_buff *skb,
				     struct sp_arp_eth *arp)
{
	const struct sp_arp_eth *p;

	p = skb_header_pointer(skb, skb_network_offset(skb), sizeof(*p), arp);
	if (!p)
		return SP_ARP_MALFORMED;
	if (p != arp)
		memcpy(arp, p, sizeof(*arp));

	if ((arp->hdr.ar_hrd != htons(ARPHRD_ETHER) &&
	     arp->hdr.ar_hrd != htons(ARPHRD_IEEE802)) ||
	    arp->hdr.ar_pro != htons(ETH_P_IP) ||
	    arp->hdr.ar_hln != ETH_ALEN || arp->hdr.ar_pln != 4)
		return SP_ARP_MALFORMED;
	if (!is_valid_ether_addr(arp->sha))
		return SP_ARP_MALFORMED;
	if (arp->hdr.ar_op != htons(ARPOP_REQUEST))
		return SP_ARP_IGNORE;
	/* Announcements and requests for addresses nobody can hold. */
	if (arp->sip == arp->tip || ipv4_is_multicast(arp->tip) ||
	    ipv4_is_lbcast(arp->tip) || ipv4_is_zeronet(arp->tip))
		return SP_ARP_IGNORE;
	if (!arp->sip)
		return SP_ARP_PROBE;
	if (ipv4_is_multicast(arp->sip) || ipv4_is_lbcast(arp->sip))
		return SP_ARP_IGNORE;
	return SP_ARP_REQUEST;
}

/* An Ethernet/IPv4 ARP frame from @dev, or NULL.  Context: any. */
static struct sk_buff *sp_arp_build(struct net_device *dev, u16 op,
				    const u8 *eth_dst, const u8 *sha,
				    __be32 sip, const u8 *tha, __be32 tip)
{
	struct sp_arp_eth *arp;
	struct sk_buff *skb;

	skb = alloc_skb(LL_RESERVED_SPACE(dev) + sizeof(*arp) +
			dev->needed_tailroom, GFP_ATOMIC);
	if (!skb)
		return NULL;
	skb_reserve(skb, LL_RESERVED_SPACE(dev));
	skb_reset_network_header(skb);
	arp = skb_put(skb, sizeof(*arp));
	skb->dev = dev;
	skb->protocol = htons(ETH_P_ARP);

	arp->hdr.ar_hrd = htons(ARPHRD_ETHER);
	arp->hdr.ar_pro = htons(ETH_P_IP);
	arp->hdr.ar_hln = ETH_ALEN;
	arp->hdr.ar_pln = 4;
	arp->hdr.ar_op = htons(op);
	ether_addr_copy(arp->sha, sha);
	arp->sip = sip;
	ether_addr_copy(arp->tha, tha);
	arp->tip = tip;

	if (dev_hard_header(skb, dev, ETH_P_ARP, eth_dst, dev->dev_addr,
			    skb->len) < 0) {
		kfree_skb(skb);
		return NULL;
	}
	return skb;
}

static bool sp_arp_send(struct net_device *dev, u16 op, const u8 *eth_dst,
			const u8 *sha, __be32 sip, const u8 *tha, __be32 tip)
{
	struct sk_buff *skb;

	skb = sp_arp_build(dev, op, eth_dst, sha, sip, tha, tip);
	return skb && !net_xmit_eval(dev_queue_xmit(skb));
}

/**
 * sp_arp_rcv - answer an ARP request or probe for a sleeping host
 * @spn: the namespace
 * @skb: an ARP frame on a hooked interface, for us or broadcast
 *
 * The reply names the interface's MAC, so the host's traffic comes to the
 * gateway.  A probe (sender 0.0.0.0) is answered the way Linux defends its
 * own addresses: to the prober, with target address 0.0.0.0.  The request
 * itself goes on to the stack untouched.
 *
 * Context: softirq, RCU read-side critical section.
 */
unsigned int sp_arp_rcv(struct sp_net *spn, struct sk_buff *skb)
{
	struct net_device *dev = skb->dev;
	struct sp_arp_eth arp;
	struct sp_host *host;
	struct sp_addr *addr;

	switch (sp_arp_parse(skb, &arp)) {
	case SP_ARP_MALFORMED:
		sp_stat_inc(spn, SP_STAT_DROP_ARP_MALFORMED);
		return NF_ACCEPT;
	case SP_ARP_IGNORE:
		return NF_ACCEPT;
	case SP_ARP_REQUEST:
	case SP_ARP_PROBE:
		break;
	}

	addr = sp_addr_lookup_ipv4(spn, dev->ifindex, arp.tip);
	if (!addr)
		return NF_ACCEPT;
	host = addr->host;
	sp_host_stat_inc(host, SP_HSTAT_ARP_REQUESTS);
	if (!sp_host_proxying(host) || ether_addr_equal(arp.sha, host->key.mac))
		return NF_ACCEPT;

	if (sp_arp_send(dev, ARPOP_REPLY, arp.sha, dev->dev_addr, arp.tip,
			arp.sha, arp.sip))
		sp_host_stat_inc(host, SP_HSTAT_ARP_REPLIES);
	else
		sp_stat_inc(spn, SP_STAT_TX_ERRORS);
	return NF_ACCEPT;
}

/**
 * sp_arp_announce - gratuitous ARP for every IPv4 address of a host
 * @spn: the namespace
 * @host: the host
 * @dev: its interface
 * @sha: the MAC peers should use: the interface's while proxying, the
 *	 host's own when it is awake again
 *
 * A broadcast request with sender and target both the address: what Linux
 * peers accept to update an existing neighbour entry at once.
 *
 * Context: RCU read-side critical section or &sp_net.lock held.
 */
void sp_arp_announce(struct sp_net *spn, struct sp_host *host,
		     struct net_device *dev, const u8 *sha)
{
	const struct sp_host_cfg *cfg;
	unsigned int i;
	__be32 ip;

	if (!netif_running(dev))
		return;
	cfg = rcu_dereference_check(host->cfg, lockdep_is_held(&spn->lock));
	for (i = 0; i < cfg->n_addrs; i++) {
		if (cfg->addrs[i].key.family != AF_INET)
			continue;
		ip = cfg->addrs[i].key.addr[0];
		if (sp_arp_send(dev, ARPOP_REQUEST, dev->broadcast, sha, ip,
				sp_zero_mac, ip))
			sp_host_stat_inc(host, SP_HSTAT_GARP_SENT);
		else
			sp_stat_inc(spn, SP_STAT_TX_ERRORS);
	}
}

#if IS_ENABLED(CONFIG_SLEEPPROXY_KUNIT_TEST)
#include "../tests/kunit/arp_test.c"
#endif
