// SPDX-License-Identifier: GPL-2.0
/*
 * IPv6 on a hooked interface: Neighbor Solicitations go to ndisc.c, and
 * packets for a sleeping host's address are handled as for IPv4: a TCP
 * SYN to a port it serves wakes it, an echo request may be answered, and
 * nothing else reaches the stack.  Ill-formed packets, fragments (R37)
 * and source-routed packets (R38) never cause a wake.
 */

#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/skbuff.h>
#include <net/addrconf.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>

#include "csum.h"
#include "echo.h"
#include "host.h"
#include "ipv6.h"
#include "ndisc.h"
#include "netns.h"
#include "relay.h"
#include "tcp.h"

/* Extension headers walked at most: a host drops longer chains too. */
#define SP_IPV6_MAX_EXTHDRS	8

/*
 * Check the IPv6 header at the network header of @skb the way ipv6_rcv()
 * would, walk its extension headers (RFC 8200 4) and fill in @pkt.
 */
enum sp_ipv6_kind sp_ipv6_parse(const struct sk_buff *skb,
				struct sp_ipv6_pkt *pkt)
{
	unsigned int off = skb_network_offset(skb), end, n;
	const struct ipv6hdr *ip6h;
	u8 nexthdr, eh[4];

	ip6h = skb_header_pointer(skb, off, sizeof(*ip6h), &pkt->hdr);
	if (!ip6h || ip6h->version != 6)
		return SP_IPV6_MALFORMED;
	if (ip6h != &pkt->hdr)
		pkt->hdr = *ip6h;
	off += sizeof(*ip6h);
	/* A payload length of 0 announces a jumbogram: not on a LAN. */
	end = ntohs(pkt->hdr.payload_len);
	if (!end || end > skb->len - off)
		return SP_IPV6_MALFORMED;
	end += off;

	nexthdr = pkt->hdr.nexthdr;
	for (n = 0; ; n++) {
		switch (nexthdr) {
		case NEXTHDR_HOP:
			/* Only right after the IPv6 header. */
			if (n)
				return SP_IPV6_MALFORMED;
			fallthrough;
		case NEXTHDR_DEST:
		case NEXTHDR_ROUTING:
			break;
		case NEXTHDR_FRAGMENT:
			return SP_IPV6_FRAGMENT;
		default:
			pkt->proto = nexthdr;
			pkt->off = off;
			pkt->len = end - off;
			return SP_IPV6_OK;
		}
		if (n == SP_IPV6_MAX_EXTHDRS || end - off < 8 ||
		    skb_copy_bits(skb, off, eh, sizeof(eh)))
			return SP_IPV6_MALFORMED;
		/* Type 0 is deprecated (RFC 5095); with segments left, the
		 * packet is not for this address in the end.
		 */
		if (nexthdr == NEXTHDR_ROUTING && (eh[2] == 0 || eh[3]))
			return SP_IPV6_SRCROUTE;
		if ((eh[1] + 1) * 8 > end - off)
			return SP_IPV6_MALFORMED;
		nexthdr = eh[0];
		off += (eh[1] + 1) * 8;
	}
}

static const enum sp_stat sp_ipv6_drop_stat[] = {
	[SP_IPV6_MALFORMED] = SP_STAT_DROP_IPV6_MALFORMED,
	[SP_IPV6_FRAGMENT] = SP_STAT_DROP_IPV6_FRAGMENT,
	[SP_IPV6_SRCROUTE] = SP_STAT_DROP_IPV6_SRCROUTE,
};

/* The unfolded sum of the pseudo-header of @pkt's upper layer @proto. */
static __wsum sp_ipv6_pseudo(const struct sp_ipv6_pkt *pkt, u8 proto)
{
	return ~csum_unfold(csum_ipv6_magic(&pkt->hdr.saddr, &pkt->hdr.daddr,
					    pkt->len, proto, 0));
}

/**
 * sp_ipv6_rcv - IPv6 for a sleeping host
 * @spn: the namespace
 * @skb: an IPv6 packet, its header at skb_network_offset()
 * @dev: the interface it is on (from the LAN), or is routed to
 * @via: enum sleepproxy_wake_via: from the LAN (an ingress frame for us,
 *	 multicast or broadcast), routed or sent by the gateway (after
 *	 routing; Neighbour Discovery is then left alone)
 *
 * Return: NF_DROP for a solicitation answered on a host's behalf and for
 * every packet to a sleeping host's address, else NF_ACCEPT.
 * Context: softirq, RCU read-side critical section.
 */
unsigned int sp_ipv6_rcv(struct sp_net *spn, struct sk_buff *skb,
			 struct net_device *dev, u8 via)
{
	struct sp_host *host = NULL;
	struct sp_ipv6_pkt pkt;
	enum sp_ipv6_kind kind;
	const struct in6_addr *daddr;
	struct sp_addr *addr;
	struct in6_addr buf;

	/*
	 * Most traffic is not for a sleeping host: a solicitation goes to a
	 * solicited-node group or to the address it asks about, an
	 * advertisement that claims an address to all nodes, anything else
	 * to the host's address.
	 */
	daddr = skb_header_pointer(skb, skb_network_offset(skb) +
				   offsetof(struct ipv6hdr, daddr), sizeof(buf),
				   &buf);
	if (!daddr)
		return NF_ACCEPT;
	if (ipv6_addr_is_multicast(daddr)) {
		/* Neighbour Discovery is only answered on the link. */
		if (via != SLEEPPROXY_VIA_LAN ||
		    (!ipv6_addr_is_solict_mult(daddr) &&
		     !ipv6_addr_is_ll_all_nodes(daddr)))
			return NF_ACCEPT;
	} else {
		addr = sp_addr_lookup_ipv6(spn, dev->ifindex, daddr);
		if (likely(!addr))
			return NF_ACCEPT;
		if (sp_addr_proxied(addr))
			host = addr->host;
	}

	kind = sp_ipv6_parse(skb, &pkt);
	if (via == SLEEPPROXY_VIA_LAN && kind == SP_IPV6_OK &&
	    pkt.proto == IPPROTO_ICMPV6 &&
	    sp_ndisc_rcv(spn, skb, &pkt.hdr, pkt.off, pkt.len) == NF_DROP)
		return NF_DROP;
	if (!host)
		return NF_ACCEPT;

	if (kind != SP_IPV6_OK) {
		sp_stat_inc(spn, dev, sp_ipv6_drop_stat[kind]);
		goto drop;
	}
	switch (pkt.proto) {
	case IPPROTO_TCP:
		return sp_tcp_rcv(spn, host, skb, dev, via, pkt.off, pkt.len,
				  sp_ipv6_pseudo(&pkt, IPPROTO_TCP));
	case IPPROTO_UDP:
		if (sp_relay_udp(spn, host, skb, dev, via, pkt.off, pkt.len,
				 sp_ipv6_pseudo(&pkt, IPPROTO_UDP)))
			return NF_DROP;
		break;
	case IPPROTO_ICMPV6:
		if (via == SLEEPPROXY_VIA_LAN &&
		    sp_echo_rcv6(spn, host, skb, &pkt.hdr, pkt.off, pkt.len))
			return NF_DROP;
		break;
	}
drop:
	sp_host_stat_inc(host, SP_HSTAT_DROPPED);
	return NF_DROP;
}

#if IS_ENABLED(CONFIG_SLEEPPROXY_KUNIT_TEST)
#include "../tests/kunit/ipv6_test.c"
#endif
