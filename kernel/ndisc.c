// SPDX-License-Identifier: GPL-2.0
/*
 * IPv6 Neighbor Discovery on behalf of sleeping hosts (RFC 4861, ISO/IEC
 * 16317 R25-R29): answer Neighbor Solicitations for their addresses with
 * the interface's MAC, defend the addresses against other hosts' Duplicate
 * Address Detection, announce with unsolicited advertisements when
 * proxying starts or ends, and keep the interface in the solicited-node
 * groups of the addresses so that the solicitations reach it at all.
 */

#include <linux/etherdevice.h>
#include <linux/icmpv6.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv6.h>
#include <net/addrconf.h>
#include <net/if_inet6.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>
#include <net/ndisc.h>

#include "csum.h"
#include "host.h"
#include "ipv6.h"
#include "ndisc.h"
#include "netns.h"
#include "ratelimit.h"
#include "trace.h"
#include "xmit.h"

/* The Ethernet address of ff02::1, where unsolicited advertisements go. */
static const u8 sp_allnodes_mac[ETH_ALEN] = {
	0x33, 0x33, 0x00, 0x00, 0x00, 0x01
};

/* An advertisement: the message and one target link-layer address option. */
#define SP_NA_OPT_LEN	8
#define SP_NA_LEN	(sizeof(struct nd_msg) + SP_NA_OPT_LEN)

enum sp_ns_kind {
	SP_NS_NONE,		/* not a Neighbor Solicitation */
	SP_NS_MALFORMED,	/* fails the checks of RFC 4861 7.1.1 */
	SP_NS_SOLICIT,		/* resolution or reachability: unicast source */
	SP_NS_DAD,		/* Duplicate Address Detection: source :: */
};

/* What the proxy needs of a solicitation. */
struct sp_ns {
	struct in6_addr target;
	bool has_target;	/* the message was long enough to hold it */
};

static const struct in6_addr sp_all_nodes = IN6ADDR_LINKLOCAL_ALLNODES_INIT;

/*
 * A frame the proxy built waits for the IPv6 output hook without its
 * link-layer header; where it goes rides along in the control buffer.
 */
struct sp_nd_cb {
	struct inet6_skb_parm h;	/* the IPv6 layer's, netfilter's */
	u8 eth_dst[ETH_ALEN];
};

#define SP_ND_CB(skb)	((struct sp_nd_cb *)(skb)->cb)

/* @skb, an IPv6 packet for its device, is to go to @eth_dst. */
static struct sk_buff *sp_nd_ready(struct sk_buff *skb, const u8 *eth_dst)
{
	BUILD_BUG_ON(sizeof(struct sp_nd_cb) > sizeof_field(struct sk_buff, cb));
	skb->protocol = htons(ETH_P_IPV6);
	ether_addr_copy(SP_ND_CB(skb)->eth_dst, eth_dst);
	return skb;
}

/* Its link-layer header, once the output hook has let it out. */
static struct sk_buff *sp_nd_push_ll(struct sk_buff *skb)
{
	return sp_push_ll(skb, ETH_P_IPV6, SP_ND_CB(skb)->eth_dst);
}

static int sp_nd_finish(struct net *net, struct sock *sk, struct sk_buff *skb)
{
	skb = sp_nd_push_ll(skb);
	return skb ? dev_queue_xmit(skb) : NET_XMIT_DROP;
}

/*
 * Send a Neighbor Discovery frame the proxy built (nothing if building it
 * failed) through the IPv6 output hook, the way the kernel sends its own:
 * an admin's ip6tables or nftables output rules apply to it.  True if it
 * went out.
 */
static bool sp_nd_send(struct sk_buff *skb)
{
	int rc;

	if (!skb)
		return false;
	rc = NF_HOOK(NFPROTO_IPV6, NF_INET_LOCAL_OUT, dev_net(skb->dev), NULL,
		     skb, NULL, skb->dev, sp_nd_finish);
	return !net_xmit_eval(rc);
}

static const struct in6_addr *sp_addr_in6(const struct sp_addr *addr)
{
	return (const struct in6_addr *)addr->key.addr;
}

/*
 * Classify the ICMPv6 message of @len bytes at @off of @skb, whose IPv6
 * header is @ip6h, and find the target of a solicitation.  Everything of
 * RFC 4861 7.1.1 but the checksum, which only matters for a target the
 * proxy answers for (sp_ndisc_csum_ok()).
 */
static enum sp_ns_kind sp_ns_parse(const struct sk_buff *skb,
				   const struct ipv6hdr *ip6h,
				   unsigned int off, unsigned int len,
				   struct sp_ns *ns)
{
	const struct nd_msg *msg;
	struct nd_msg buf;
	bool slla = false;
	u8 type, opt[2];
	unsigned int o;

	ns->has_target = false;
	if (!len || skb_copy_bits(skb, off, &type, 1) ||
	    type != NDISC_NEIGHBOUR_SOLICITATION)
		return SP_NS_NONE;
	if (len < sizeof(*msg))
		return SP_NS_MALFORMED;
	msg = skb_header_pointer(skb, off, sizeof(*msg), &buf);
	if (!msg)
		return SP_NS_MALFORMED;
	ns->target = msg->target;
	ns->has_target = true;

	if (ip6h->hop_limit != 255 || msg->icmph.icmp6_code ||
	    ipv6_addr_is_multicast(&msg->target) ||
	    ipv6_addr_is_multicast(&ip6h->saddr))
		return SP_NS_MALFORMED;

	/* Options: each a multiple of 8 bytes, none empty, none cut short. */
	for (o = sizeof(*msg); o < len; o += opt[1] * 8) {
		if (len - o < 8 || skb_copy_bits(skb, off + o, opt, 2) ||
		    !opt[1] || opt[1] * 8 > len - o)
			return SP_NS_MALFORMED;
		if (opt[0] == ND_OPT_SOURCE_LL_ADDR)
			slla = true;
	}

	if (!ipv6_addr_any(&ip6h->saddr))
		return SP_NS_SOLICIT;
	/* A DAD probe goes to the solicited-node group and names no sender. */
	if (!ipv6_addr_is_solict_mult(&ip6h->daddr) || slla)
		return SP_NS_MALFORMED;
	return SP_NS_DAD;
}

static bool sp_ndisc_csum_ok(const struct sk_buff *skb,
			     const struct ipv6hdr *ip6h, unsigned int off,
			     unsigned int len)
{
	return sp_csum_ok(skb, off, len,
			  ~csum_unfold(csum_ipv6_magic(&ip6h->saddr,
						       &ip6h->daddr, len,
						       IPPROTO_ICMPV6, 0)));
}

/*
 * A Neighbor Advertisement from @dev: @target is at @tlla.  It comes from
 * @target itself, as the host's own would.
 */
static struct sk_buff *sp_na_build(struct net_device *dev, const u8 *eth_dst,
				   const struct in6_addr *daddr,
				   const struct in6_addr *target,
				   const u8 *tlla, bool solicited)
{
	struct ipv6hdr *ip6h;
	struct sk_buff *skb;
	struct nd_msg *msg;
	u8 *opt;

	skb = sp_alloc_skb(dev, sizeof(*ip6h) + SP_NA_LEN);
	if (!skb)
		return NULL;
	ip6h = skb_put(skb, sizeof(*ip6h));
	msg = skb_put_zero(skb, sizeof(*msg));
	opt = skb_put(skb, SP_NA_OPT_LEN);

	ip6_flow_hdr(ip6h, 0, 0);
	ip6h->payload_len = htons(SP_NA_LEN);
	ip6h->nexthdr = IPPROTO_ICMPV6;
	ip6h->hop_limit = 255;
	ip6h->saddr = *target;
	ip6h->daddr = *daddr;

	msg->icmph.icmp6_type = NDISC_NEIGHBOUR_ADVERTISEMENT;
	/* Never a router: the host is not one, whatever the gateway is. */
	msg->icmph.icmp6_solicited = solicited;
	msg->icmph.icmp6_override = 1;
	msg->target = *target;
	opt[0] = ND_OPT_TARGET_LL_ADDR;
	opt[1] = SP_NA_OPT_LEN / 8;
	ether_addr_copy(opt + 2, tlla);
	msg->icmph.icmp6_cksum = csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr,
						 SP_NA_LEN, IPPROTO_ICMPV6,
						 csum_partial(msg, SP_NA_LEN,
							      0));
	return sp_nd_ready(skb, eth_dst);
}

/* An advertisement to all nodes on the link, not solicited. */
static struct sk_buff *sp_na_unsolicited(struct net_device *dev,
					 const struct in6_addr *target,
					 const u8 *tlla)
{
	u8 eth_dst[ETH_ALEN];

	ipv6_eth_mc_map(&sp_all_nodes, eth_dst);
	return sp_na_build(dev, eth_dst, &sp_all_nodes, target, tlla, false);
}

/*
 * The answer to the solicitation in @skb: @ns's target is at the
 * interface's MAC.  RFC 4861 7.2.4: to the soliciting node with the
 * Solicited flag, or to all nodes without it when that node is doing
 * Duplicate Address Detection (and so has no address yet).
 */
static struct sk_buff *sp_na_reply(struct net_device *dev,
				   const struct sk_buff *skb,
				   const struct ipv6hdr *ip6h,
				   enum sp_ns_kind kind, const struct sp_ns *ns)
{
	if (kind == SP_NS_DAD)
		return sp_na_unsolicited(dev, &ns->target, dev->dev_addr);
	return sp_na_build(dev, eth_hdr(skb)->h_source, &ip6h->saddr,
			   &ns->target, dev->dev_addr, true);
}

/*
 * An advertisement with the Override flag from another MAC for a proxied
 * address of a sleeping host: that machine has the address now.
 */
static void sp_na_rcv(struct sp_net *spn, const struct sk_buff *skb,
		      const struct ipv6hdr *ip6h, unsigned int off,
		      unsigned int len)
{
	const struct nd_msg *msg;
	struct sp_addr *addr;
	struct nd_msg buf;

	if (len < sizeof(*msg) || ip6h->hop_limit != 255)
		return;
	msg = skb_header_pointer(skb, off, sizeof(*msg), &buf);
	if (!msg || msg->icmph.icmp6_type != NDISC_NEIGHBOUR_ADVERTISEMENT ||
	    msg->icmph.icmp6_code || !msg->icmph.icmp6_override)
		return;
	addr = sp_addr_lookup_ipv6(spn, skb->dev->ifindex, &msg->target);
	if (addr && sp_addr_proxied(addr) &&
	    sp_ndisc_csum_ok(skb, ip6h, off, len))
		sp_addr_claimed(addr, eth_hdr(skb)->h_source);
}

/* Is @skb a solicited advertisement?  A sleeping host's NIC sends those. */
bool sp_ndisc_is_solicited_na(const struct sk_buff *skb)
{
	const struct nd_msg *msg;
	struct sp_ipv6_pkt pkt;
	struct nd_msg buf;

	if (sp_ipv6_parse(skb, &pkt) != SP_IPV6_OK ||
	    pkt.proto != IPPROTO_ICMPV6 || pkt.len < sizeof(*msg))
		return false;
	msg = skb_header_pointer(skb, pkt.off, sizeof(*msg), &buf);
	return msg && msg->icmph.icmp6_type == NDISC_NEIGHBOUR_ADVERTISEMENT &&
	       msg->icmph.icmp6_solicited;
}

/**
 * sp_ndisc_rcv - answer a Neighbor Solicitation for a sleeping host
 * @spn: the namespace
 * @skb: an IPv6 frame on a hooked interface, not from a host that sleeps
 *	 (its frames that say it is up have made it awake)
 * @ip6h: its IPv6 header (a copy)
 * @off: offset of the ICMPv6 message from @skb->data, past any extension
 *	 headers (R29)
 * @len: the message's length
 *
 * A solicitation for a proxied address of a sleeping host is answered and
 * dropped: sent to the host's address, the stack would forward it to the
 * sleeping host.  An ill-formed one is counted and dropped unanswered.
 *
 * An advertisement that claims a proxied address for another MAC ends the
 * proxying of that address (sp_addr_claimed()).
 *
 * Return: NF_DROP if @skb was a solicitation about a sleeping host, else
 * NF_ACCEPT, and the caller goes on with it.
 * Context: softirq, RCU read-side critical section.
 */
unsigned int sp_ndisc_rcv(struct sp_net *spn, struct sk_buff *skb,
			  const struct ipv6hdr *ip6h, unsigned int off,
			  unsigned int len)
{
	struct net_device *dev = skb->dev;
	enum sp_ns_kind kind;
	struct sp_host *host;
	struct sp_addr *addr;
	struct sp_ns ns;

	kind = sp_ns_parse(skb, ip6h, off, len, &ns);
	if (kind == SP_NS_NONE) {
		sp_na_rcv(spn, skb, ip6h, off, len);
		return NF_ACCEPT;
	}
	if (!ns.has_target)
		return NF_ACCEPT;
	addr = sp_addr_lookup_ipv6(spn, dev->ifindex, &ns.target);
	if (!addr)
		return NF_ACCEPT;
	host = addr->host;
	sp_host_stat_inc(host, SP_HSTAT_NS_REQUESTS);
	if (!sp_addr_proxied(addr))
		return NF_ACCEPT;
	if (kind == SP_NS_MALFORMED ||
	    !sp_ndisc_csum_ok(skb, ip6h, off, len)) {
		sp_stat_inc(spn, dev, SP_STAT_DROP_ND_MALFORMED);
		return NF_DROP;
	}
	if (!sp_reply_allowed(spn, skb))
		return NF_DROP;

	if (sp_nd_send(sp_na_reply(dev, skb, ip6h, kind, &ns))) {
		sp_host_stat_inc(host, SP_HSTAT_NA_REPLIES);
		trace_sleepproxy_reply(dev, host->key.mac, SP_REPLY_NA,
				       eth_hdr(skb)->h_source);
	} else {
		sp_stat_inc(spn, dev, SP_STAT_TX_ERRORS);
	}
	return NF_DROP;
}

/**
 * sp_ndisc_announce - unsolicited advertisement for every IPv6 address
 * @spn: the namespace
 * @host: the host
 * @dev: its interface
 * @tlla: the MAC peers should use: the interface's while proxying, the
 *	  host's own when it is awake again
 *
 * To all nodes, with the Override flag: peers that have an entry for the
 * address take the new MAC at once (RFC 4861 7.2.5).
 *
 * Context: RCU read-side critical section or &sp_net.lock held; BHs off.
 */
void sp_ndisc_announce(struct sp_net *spn, struct sp_host *host,
		       struct net_device *dev, const u8 *tlla)
{
	const struct sp_host_cfg *cfg;
	unsigned int i;

	if (!netif_running(dev))
		return;
	cfg = rcu_dereference_check(host->cfg, lockdep_is_held(&spn->lock));
	for (i = 0; i < cfg->n_addrs; i++) {
		const struct in6_addr *target = sp_addr_in6(&cfg->addrs[i]);

		if (cfg->addrs[i].key.family != AF_INET6 ||
		    test_bit(0, &cfg->addrs[i].conflict))
			continue;
		if (sp_nd_send(sp_na_unsolicited(dev, target, tlla))) {
			sp_host_stat_inc(host, SP_HSTAT_NA_UNSOLICITED);
			trace_sleepproxy_reply(dev, host->key.mac,
					       SP_REPLY_NA_UNSOLICITED,
					       sp_allnodes_mac);
		} else {
			sp_stat_inc(spn, dev, SP_STAT_TX_ERRORS);
		}
	}
}

/* A solicitation for @target to @eth_dst, from the interface. */
static struct sk_buff *sp_ns_build(struct net_device *dev, const u8 *eth_dst,
				   const struct in6_addr *target)
{
	struct in6_addr saddr, daddr;
	struct ipv6hdr *ip6h;
	struct sk_buff *skb;
	struct nd_msg *msg;
	unsigned int len;
	u8 *opt;

	/* From the interface's best address for @target, else a DAD probe. */
	if (ipv6_dev_get_saddr(dev_net(dev), dev, target, 0, &saddr)) {
		saddr = in6addr_any;
		addrconf_addr_solict_mult(target, &daddr);
		len = sizeof(*msg);
	} else {
		daddr = *target;
		len = sizeof(*msg) + SP_NA_OPT_LEN;
	}

	skb = sp_alloc_skb(dev, sizeof(*ip6h) + len);
	if (!skb)
		return NULL;
	ip6h = skb_put(skb, sizeof(*ip6h));
	msg = skb_put_zero(skb, len);
	ip6_flow_hdr(ip6h, 0, 0);
	ip6h->payload_len = htons(len);
	ip6h->nexthdr = IPPROTO_ICMPV6;
	ip6h->hop_limit = 255;
	ip6h->saddr = saddr;
	ip6h->daddr = daddr;
	msg->icmph.icmp6_type = NDISC_NEIGHBOUR_SOLICITATION;
	msg->target = *target;
	if (len > sizeof(*msg)) {
		opt = msg->opt;
		opt[0] = ND_OPT_SOURCE_LL_ADDR;
		opt[1] = SP_NA_OPT_LEN / 8;
		ether_addr_copy(opt + 2, dev->dev_addr);
	}
	msg->icmph.icmp6_cksum = csum_ipv6_magic(&saddr, &daddr, len,
						 IPPROTO_ICMPV6,
						 csum_partial(msg, len, 0));
	return sp_nd_ready(skb, eth_dst);
}

/**
 * sp_ndisc_solicit - ask a woken host, unicast, for its first IPv6 address
 * @spn: the namespace
 * @host: the host, in state WOKEN
 * @cfg: its registration
 * @dev: its interface
 *
 * The IPv6 counterpart of sp_arp_solicit(): a host that is up answers
 * from its own MAC, and that ends proxying.
 *
 * Context: softirq, RCU read-side critical section.
 */
void sp_ndisc_solicit(struct sp_net *spn, struct sp_host *host,
		      const struct sp_host_cfg *cfg, struct net_device *dev)
{
	unsigned int i;

	for (i = 0; i < cfg->n_addrs; i++) {
		if (cfg->addrs[i].key.family != AF_INET6)
			continue;
		if (sp_nd_send(sp_ns_build(dev, host->key.mac,
					   sp_addr_in6(&cfg->addrs[i]))))
			sp_host_stat_inc(host, SP_HSTAT_AWAKE_PROBES);
		else
			sp_stat_inc(spn, dev, SP_STAT_TX_ERRORS);
		return;
	}
}

/* Leave the groups of the first @n addresses of @cfg. */
static void sp_ndisc_leave_n(struct net_device *dev,
			     const struct sp_host_cfg *cfg, unsigned int n)
{
	struct in6_addr maddr;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (cfg->addrs[i].key.family != AF_INET6)
			continue;
		addrconf_addr_solict_mult(sp_addr_in6(&cfg->addrs[i]), &maddr);
		ipv6_dev_mc_dec(dev, &maddr);
	}
}

/**
 * sp_ndisc_join - receive the solicitations for a registration's addresses
 * @dev: the host's interface
 * @cfg: the registration
 *
 * Joins the solicited-node group of every IPv6 address of @cfg on @dev,
 * so that the interface's multicast filter (or a bridge's multicast
 * snooping) lets their solicitations in.  The core counts joins: a group
 * two addresses share, or that the interface has joined for its own
 * addresses, stays joined until every user has left it.
 *
 * Return: 0, or the error of the first join that failed, with none of
 * the groups joined.  Context: process, RTNL held.
 */
int sp_ndisc_join(struct net_device *dev, const struct sp_host_cfg *cfg)
{
	struct in6_addr maddr;
	unsigned int i;
	int err;

	ASSERT_RTNL();
	for (i = 0; i < cfg->n_addrs; i++) {
		if (cfg->addrs[i].key.family != AF_INET6)
			continue;
		addrconf_addr_solict_mult(sp_addr_in6(&cfg->addrs[i]), &maddr);
		err = ipv6_dev_mc_inc(dev, &maddr);
		if (err) {
			sp_ndisc_leave_n(dev, cfg, i);
			return err;
		}
	}
	return 0;
}

/**
 * sp_ndisc_leave - undo sp_ndisc_join()
 * @dev: the host's interface
 * @cfg: the registration that was joined
 *
 * Context: process, RTNL held.
 */
void sp_ndisc_leave(struct net_device *dev, const struct sp_host_cfg *cfg)
{
	ASSERT_RTNL();
	sp_ndisc_leave_n(dev, cfg, cfg->n_addrs);
}

#if IS_ENABLED(CONFIG_SLEEPPROXY_KUNIT_TEST)
#include "../tests/kunit/ndisc_test.c"
#endif
