// SPDX-License-Identifier: GPL-2.0
/*
 * Echo requests for a sleeping host that asked for them to be answered
 * (SLEEPPROXY_HOST_F_PING), so that monitoring which pings it does not
 * mark it down.  The reply comes from the host's address and carries the
 * request's identifier, sequence number and data, as the host's own
 * would; only requests from a unicast source that pass the checks of the
 * host's stack are answered.
 */

#include <linux/etherdevice.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>

#include "csum.h"
#include "echo.h"
#include "host.h"
#include "netns.h"
#include "ratelimit.h"
#include "trace.h"
#include "xmit.h"

#define SP_ECHO_TTL	64

/* The ICMP or ICMPv6 header: type and code, checksum, id and sequence. */
#define SP_ECHO_HLEN	8

/*
 * Is the ICMP(v6) message at @off an echo request (@type) the host would
 * answer?  Counts the ones it would not, for being ill-formed.
 */
static bool sp_echo_check(struct sp_net *spn, const struct sk_buff *skb,
			  unsigned int off, unsigned int len, u8 type,
			  unsigned int max_len, __wsum pseudo)
{
	u8 hdr[2];

	if (len < 2 || skb_copy_bits(skb, off, hdr, sizeof(hdr)) ||
	    hdr[0] != type)
		return false;
	if (hdr[1] || len < SP_ECHO_HLEN || len > max_len ||
	    !sp_csum_ok(skb, off, len, pseudo)) {
		sp_stat_inc(spn, skb->dev, SP_STAT_DROP_ICMP_MALFORMED);
		return false;
	}
	return true;
}

/* A copy of the request at @off with @type, checksum to be filled in. */
static u8 *sp_echo_copy(struct sk_buff *nskb, const struct sk_buff *skb,
			unsigned int off, unsigned int len, u8 type)
{
	u8 *msg = skb_put(nskb, len);

	if (skb_copy_bits(skb, off, msg, len))
		return NULL;
	msg[0] = type;
	msg[2] = 0;
	msg[3] = 0;
	return msg;
}

/*
 * The reply to the request @skb: room for @hlen bytes of IP header at the
 * start, left to the caller, then a copy of the request's @len-byte
 * message at @off retyped @type, its address in @msg.  NULL, and counted,
 * without memory.
 */
static struct sk_buff *sp_echo_alloc(struct sp_net *spn,
				     const struct sk_buff *skb,
				     unsigned int hlen, unsigned int off,
				     unsigned int len, u8 type, u8 **msg)
{
	struct sk_buff *nskb = sp_alloc_skb(skb->dev, hlen + len);

	if (nskb) {
		skb_put(nskb, hlen);
		*msg = sp_echo_copy(nskb, skb, off, len, type);
		if (*msg)
			return nskb;
		kfree_skb(nskb);
	}
	sp_stat_inc(spn, skb->dev, SP_STAT_TX_ERRORS);
	return NULL;
}

static void sp_echo_xmit(struct sp_net *spn, struct sp_host *host,
			 struct net_device *dev, struct sk_buff *nskb)
{
	u8 peer[ETH_ALEN];

	if (nskb)
		ether_addr_copy(peer, eth_hdr(nskb)->h_dest);
	if (sp_xmit(nskb)) {
		sp_host_stat_inc(host, SP_HSTAT_ECHO_REPLIES);
		trace_sleepproxy_reply(dev, host->key.mac, SP_REPLY_ECHO,
				       peer);
	} else {
		sp_stat_inc(spn, dev, SP_STAT_TX_ERRORS);
	}
}

/**
 * sp_echo_rcv4 - answer an ICMP echo request for a sleeping host
 * @spn: the namespace
 * @host: the host, proxying or woken
 * @skb: the request, on the host's interface
 * @iph: its (valid) IPv4 header
 * @off: offset of the ICMP message from @skb->data
 * @len: its length
 *
 * Return: true if @skb was an echo request to answer; whether the answer
 * could be sent, or was over its asker's share, is counted.
 * Context: softirq, RCU read-side section.
 */
bool sp_echo_rcv4(struct sp_net *spn, struct sp_host *host,
		  const struct sk_buff *skb, const struct iphdr *iph,
		  unsigned int off, unsigned int len)
{
	const struct sp_host_cfg *cfg = rcu_dereference(host->cfg);
	struct net_device *dev = skb->dev;
	struct sk_buff *nskb;
	struct iphdr *rip;
	u8 *msg;

	if (!(cfg->flags & SLEEPPROXY_HOST_F_PING) ||
	    ipv4_is_multicast(iph->saddr) || ipv4_is_lbcast(iph->saddr) ||
	    ipv4_is_zeronet(iph->saddr) ||
	    !sp_echo_check(spn, skb, off, len, ICMP_ECHO,
			   dev->mtu - sizeof(*rip), 0))
		return false;
	if (!sp_reply_allowed(spn, skb))
		return true;

	nskb = sp_echo_alloc(spn, skb, sizeof(*rip), off, len, ICMP_ECHOREPLY,
			     &msg);
	if (!nskb)
		return true;
	rip = (struct iphdr *)nskb->data;
	((struct icmphdr *)msg)->checksum = csum_fold(csum_partial(msg, len,
								   0));

	rip->version = 4;
	rip->ihl = sizeof(*rip) / 4;
	rip->tos = iph->tos;
	rip->tot_len = htons(sizeof(*rip) + len);
	rip->id = 0;
	rip->frag_off = htons(IP_DF);
	rip->ttl = SP_ECHO_TTL;
	rip->protocol = IPPROTO_ICMP;
	rip->saddr = iph->daddr;
	rip->daddr = iph->saddr;
	ip_send_check(rip);
	sp_echo_xmit(spn, host, skb->dev,
		     sp_push_ll(nskb, ETH_P_IP, eth_hdr(skb)->h_source));
	return true;
}

/**
 * sp_echo_rcv6 - answer an ICMPv6 echo request for a sleeping host
 * @spn: the namespace
 * @host: the host, proxying or woken
 * @skb: the request, on the host's interface
 * @ip6h: its IPv6 header
 * @off: offset of the ICMPv6 message from @skb->data
 * @len: its length
 *
 * Return: as sp_echo_rcv4().  Context: softirq, RCU read-side section.
 */
bool sp_echo_rcv6(struct sp_net *spn, struct sp_host *host,
		  const struct sk_buff *skb, const struct ipv6hdr *ip6h,
		  unsigned int off, unsigned int len)
{
	const struct sp_host_cfg *cfg = rcu_dereference(host->cfg);
	struct net_device *dev = skb->dev;
	struct ipv6hdr *rip6;
	struct sk_buff *nskb;
	__wsum pseudo;
	u8 *msg;

	if (!(cfg->flags & SLEEPPROXY_HOST_F_PING) ||
	    ipv6_addr_any(&ip6h->saddr) ||
	    ipv6_addr_is_multicast(&ip6h->saddr))
		return false;
	pseudo = ~csum_unfold(csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr, len,
					      IPPROTO_ICMPV6, 0));
	if (!sp_echo_check(spn, skb, off, len, ICMPV6_ECHO_REQUEST,
			   dev->mtu - sizeof(*rip6), pseudo))
		return false;
	if (!sp_reply_allowed(spn, skb))
		return true;

	nskb = sp_echo_alloc(spn, skb, sizeof(*rip6), off, len,
			     ICMPV6_ECHO_REPLY, &msg);
	if (!nskb)
		return true;
	rip6 = (struct ipv6hdr *)nskb->data;

	ip6_flow_hdr(rip6, 0, 0);
	rip6->payload_len = htons(len);
	rip6->nexthdr = IPPROTO_ICMPV6;
	rip6->hop_limit = SP_ECHO_TTL;
	rip6->saddr = ip6h->daddr;
	rip6->daddr = ip6h->saddr;
	((struct icmp6hdr *)msg)->icmp6_cksum =
		csum_ipv6_magic(&rip6->saddr, &rip6->daddr, len,
				IPPROTO_ICMPV6, csum_partial(msg, len, 0));
	sp_echo_xmit(spn, host, skb->dev,
		     sp_push_ll(nskb, ETH_P_IPV6, eth_hdr(skb)->h_source));
	return true;
}
