// SPDX-License-Identifier: GPL-2.0
/*
 * ARP on behalf of sleeping hosts: answer requests and probes for their
 * addresses with the interface's own MAC (ISO/IEC 16317 R18-R21), and
 * announce with gratuitous ARP when proxying starts or ends.
 */

#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/inetdevice.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/skbuff.h>
#include <net/arp.h>

#include "arp.h"
#include "host.h"
#include "netns.h"
#include "ratelimit.h"
#include "trace.h"
#include "xmit.h"

/* The Ethernet/IPv4 ARP packet: fixed header, then the four addresses. */
struct sp_arp_eth {
	struct arphdr hdr;
	u8 sender_mac[ETH_ALEN];
	__be32 sender_ip;
	u8 target_mac[ETH_ALEN];
	__be32 target_ip;
} __packed;

static const u8 sp_zero_mac[ETH_ALEN] __aligned(2);

enum sp_arp_kind {
	SP_ARP_IGNORE,		/* not a question the proxy answers */
	SP_ARP_MALFORMED,	/* truncated, or not Ethernet/IPv4 */
	SP_ARP_REQUEST,		/* who has target_ip? tell sender_ip */
	SP_ARP_PROBE,		/* RFC 5227 probe: sender_ip is 0.0.0.0 */
};

/*
 * Classify the ARP packet at the network header of @skb.  *@arpp points at
 * it in place, or at @buf holding a copy when the header is not linear.
 */
static enum sp_arp_kind sp_arp_parse(const struct sk_buff *skb,
				     struct sp_arp_eth *buf,
				     const struct sp_arp_eth **arpp)
{
	const struct sp_arp_eth *arp;

	arp = skb_header_pointer(skb, skb_network_offset(skb), sizeof(*arp),
				 buf);
	if (!arp)
		return SP_ARP_MALFORMED;
	*arpp = arp;

	if ((arp->hdr.ar_hrd != htons(ARPHRD_ETHER) &&
	     arp->hdr.ar_hrd != htons(ARPHRD_IEEE802)) ||
	    arp->hdr.ar_pro != htons(ETH_P_IP) ||
	    arp->hdr.ar_hln != ETH_ALEN || arp->hdr.ar_pln != 4)
		return SP_ARP_MALFORMED;
	if (!is_valid_ether_addr(arp->sender_mac))
		return SP_ARP_MALFORMED;
	if (arp->hdr.ar_op != htons(ARPOP_REQUEST))
		return SP_ARP_IGNORE;
	/* Announcements and requests for addresses nobody can hold. */
	if (arp->sender_ip == arp->target_ip || ipv4_is_multicast(arp->target_ip) ||
	    ipv4_is_lbcast(arp->target_ip) || ipv4_is_zeronet(arp->target_ip))
		return SP_ARP_IGNORE;
	if (!arp->sender_ip)
		return SP_ARP_PROBE;
	if (ipv4_is_multicast(arp->sender_ip) || ipv4_is_lbcast(arp->sender_ip))
		return SP_ARP_IGNORE;
	return SP_ARP_REQUEST;
}

/* An Ethernet/IPv4 ARP frame from @dev, or NULL.  Context: any. */
static struct sk_buff *sp_arp_build(struct net_device *dev, u16 op,
				    const u8 *eth_dst, const u8 *sender_mac,
				    __be32 sender_ip, const u8 *target_mac,
				    __be32 target_ip)
{
	struct sp_arp_eth *arp;
	struct sk_buff *skb;

	skb = sp_alloc_skb(dev, sizeof(*arp));
	if (!skb)
		return NULL;
	arp = skb_put(skb, sizeof(*arp));
	arp->hdr.ar_hrd = htons(ARPHRD_ETHER);
	arp->hdr.ar_pro = htons(ETH_P_IP);
	arp->hdr.ar_hln = ETH_ALEN;
	arp->hdr.ar_pln = 4;
	arp->hdr.ar_op = htons(op);
	ether_addr_copy(arp->sender_mac, sender_mac);
	arp->sender_ip = sender_ip;
	ether_addr_copy(arp->target_mac, target_mac);
	arp->target_ip = target_ip;
	return sp_push_ll(skb, ETH_P_ARP, eth_dst);
}

/*
 * Send an ARP frame the proxy built (or nothing, if building it failed)
 * through the kernel's ARP output path, so that arptables and nftables
 * "arp" rules for output apply to it as to the kernel's own ARP.
 */
static bool sp_arp_send(struct sk_buff *skb)
{
	if (!skb)
		return false;
	arp_xmit(skb);
	return true;
}

/*
 * The answer to @req: @req's target address is at the interface's MAC.  A
 * probe's sender address is 0.0.0.0, and so is its answer's target.
 */
static struct sk_buff *sp_arp_reply(struct net_device *dev,
				    const struct sp_arp_eth *req)
{
	return sp_arp_build(dev, ARPOP_REPLY, req->sender_mac, dev->dev_addr,
			    req->target_ip, req->sender_mac, req->sender_ip);
}

/* Who has @ip? Tell @ip: the announcement Linux peers accept at once. */
static struct sk_buff *sp_arp_garp(struct net_device *dev,
				   const u8 *sender_mac, __be32 ip)
{
	return sp_arp_build(dev, ARPOP_REQUEST, dev->broadcast, sender_mac, ip,
			    sp_zero_mac, ip);
}

/**
 * sp_arp_rcv - answer an ARP request or probe for a sleeping host
 * @spn: the namespace
 * @skb: an ARP frame on a hooked interface, for us or broadcast
 *
 * The reply names the interface's MAC, so the host's traffic comes to the
 * gateway.  A probe (sender 0.0.0.0) is answered the way Linux defends its
 * own addresses: to the prober, with target address 0.0.0.0.  A request
 * answered here is consumed: the gateway's own ARP would only look up a
 * route for an address that is not its own and leave it at that.  One left
 * unanswered (the reply budget was spent) goes on to the stack untouched.
 *
 * Context: softirq, RCU read-side critical section.
 */
unsigned int sp_arp_rcv(struct sp_net *spn, struct sk_buff *skb)
{
	struct net_device *dev = skb->dev;
	const struct sp_arp_eth *arp;
	struct sp_arp_eth buf;
	struct sp_host *host;
	struct sp_addr *addr;

	enum sp_arp_kind kind;

	kind = sp_arp_parse(skb, &buf, &arp);
	if (kind == SP_ARP_MALFORMED) {
		sp_stat_inc(spn, dev, SP_STAT_DROP_ARP_MALFORMED);
		return NF_ACCEPT;
	}
	/*
	 * Another machine using a proxied address (a reply, an announcement,
	 * a request of its own) has it now; a probe only asks.
	 */
	if (arp->sender_ip) {
		addr = sp_addr_lookup_ipv4(spn, dev->ifindex, arp->sender_ip);
		if (addr && sp_addr_proxied(addr) &&
		    !ether_addr_equal(arp->sender_mac, addr->host->key.mac))
			sp_addr_claimed(addr, arp->sender_mac);
	}
	if (kind == SP_ARP_IGNORE)
		return NF_ACCEPT;

	addr = sp_addr_lookup_ipv4(spn, dev->ifindex, arp->target_ip);
	if (!addr)
		return NF_ACCEPT;
	host = addr->host;
	sp_host_stat_inc(host, SP_HSTAT_ARP_REQUESTS);
	if (!sp_addr_proxied(addr) ||
	    ether_addr_equal(arp->sender_mac, host->key.mac) ||
	    !sp_reply_allowed(spn, skb))
		return NF_ACCEPT;

	if (!sp_arp_send(sp_arp_reply(dev, arp))) {
		sp_stat_inc(spn, dev, SP_STAT_TX_ERRORS);
		return NF_ACCEPT;
	}
	sp_host_stat_inc(host, SP_HSTAT_ARP_REPLIES);
	trace_sleepproxy_reply(dev, host->key.mac, SP_REPLY_ARP,
			       arp->sender_mac);
	consume_skb(skb);
	return NF_STOLEN;
}

/**
 * sp_arp_announce - gratuitous ARP for every IPv4 address of a host
 * @spn: the namespace
 * @host: the host
 * @dev: its interface
 * @sender_mac: the MAC peers should use: the interface's while proxying, the
 *	 host's own when it is awake again
 *
 * A broadcast request with sender and target both the address: what Linux
 * peers accept to update an existing neighbour entry at once.
 *
 * Context: RCU read-side critical section or &sp_net.lock held.
 */
void sp_arp_announce(struct sp_net *spn, struct sp_host *host,
		     struct net_device *dev, const u8 *sender_mac)
{
	const struct sp_host_cfg *cfg;
	unsigned int i;

	if (!netif_running(dev))
		return;
	cfg = rcu_dereference_check(host->cfg, lockdep_is_held(&spn->lock));
	for (i = 0; i < cfg->n_addrs; i++) {
		if (cfg->addrs[i].key.family != AF_INET ||
		    test_bit(0, &cfg->addrs[i].conflict))
			continue;
		if (sp_arp_send(sp_arp_garp(dev, sender_mac,
					    cfg->addrs[i].key.addr[0]))) {
			sp_host_stat_inc(host, SP_HSTAT_GARP_SENT);
			trace_sleepproxy_reply(dev, host->key.mac,
					       SP_REPLY_GARP, dev->broadcast);
		} else {
			sp_stat_inc(spn, dev, SP_STAT_TX_ERRORS);
		}
	}
}

/**
 * sp_arp_solicit - ask a woken host, unicast, for its own address
 * @spn: the namespace
 * @host: the host, in state WOKEN
 * @cfg: its registration, with an IPv4 address first
 * @dev: its interface
 *
 * A host that is up again answers to the interface's MAC, and that answer
 * is the frame from its own MAC that ends proxying, even when the host
 * sends nothing else the gateway would see.
 *
 * Context: softirq, RCU read-side critical section.
 */
void sp_arp_solicit(struct sp_net *spn, struct sp_host *host,
		    const struct sp_host_cfg *cfg, struct net_device *dev)
{
	__be32 saddr;

	/* The interface's address, or 0.0.0.0: then it is a probe. */
	saddr = inet_select_addr(dev, 0, RT_SCOPE_LINK);
	if (sp_arp_send(sp_arp_build(dev, ARPOP_REQUEST, host->key.mac,
				     dev->dev_addr, saddr, sp_zero_mac,
				     cfg->addrs[0].key.addr[0])))
		sp_host_stat_inc(host, SP_HSTAT_AWAKE_PROBES);
	else
		sp_stat_inc(spn, dev, SP_STAT_TX_ERRORS);
}

/* Is the ARP frame @skb a reply?  A sleeping host's NIC sends those too. */
bool sp_arp_is_reply(const struct sk_buff *skb)
{
	__be16 op, *p;

	p = skb_header_pointer(skb, skb_network_offset(skb) +
			       offsetof(struct arphdr, ar_op), sizeof(op), &op);
	return p && *p == htons(ARPOP_REPLY);
}

#if IS_ENABLED(CONFIG_SLEEPPROXY_KUNIT_TEST)
#include "../tests/kunit/arp_test.c"
#endif
