// SPDX-License-Identifier: GPL-2.0
/*
 * IPv4 to a sleeping host: a TCP SYN to a port it serves wakes it (R30).
 * Ill-formed packets (R36), fragments (R37) and source-routed packets
 * (R38) never cause a wake.  Nothing for a sleeping host reaches the
 * stack: what does not wake it is dropped and counted.
 */

#include <linux/ip.h>
#include <linux/netfilter.h>
#include <linux/skbuff.h>
#include <net/checksum.h>
#include <net/ip.h>

#include "csum.h"
#include "echo.h"
#include "host.h"
#include "ipv4.h"
#include "netns.h"
#include "relay.h"
#include "tcp.h"

enum sp_ipv4_kind {
	SP_IPV4_OK,
	SP_IPV4_MALFORMED,
	SP_IPV4_FRAGMENT,
	SP_IPV4_SRCROUTE,
};

/* The header with the largest options, as a bounce buffer. */
struct sp_ipv4_hdr {
	struct iphdr iph;
	u8 options[40];
};

static enum sp_ipv4_kind sp_ipv4_options(const u8 *opt, unsigned int len)
{
	while (len) {
		unsigned int olen;

		if (opt[0] == IPOPT_END)
			break;
		if (opt[0] == IPOPT_NOOP) {
			opt++;
			len--;
			continue;
		}
		if (len < 2)
			return SP_IPV4_MALFORMED;
		olen = opt[1];
		if (olen < 2 || olen > len)
			return SP_IPV4_MALFORMED;
		if (opt[0] == IPOPT_LSRR || opt[0] == IPOPT_SSRR)
			return SP_IPV4_SRCROUTE;
		opt += olen;
		len -= olen;
	}
	return SP_IPV4_OK;
}

/*
 * Check the IPv4 header at the network header of @skb the way ip_rcv()
 * would (RFC 791), and copy it to @buf.
 */
static enum sp_ipv4_kind sp_ipv4_parse(const struct sk_buff *skb,
				       struct sp_ipv4_hdr *buf)
{
	unsigned int nhoff = skb_network_offset(skb), ihl, len;
	const struct iphdr *iph;

	iph = skb_header_pointer(skb, nhoff, sizeof(*iph), buf);
	if (!iph || iph->version != 4 || iph->ihl < 5)
		return SP_IPV4_MALFORMED;
	ihl = iph->ihl * 4;
	iph = skb_header_pointer(skb, nhoff, ihl, buf);
	if (!iph)
		return SP_IPV4_MALFORMED;
	if (iph != &buf->iph)
		memcpy(buf, iph, ihl);
	if (ip_fast_csum(buf, buf->iph.ihl))
		return SP_IPV4_MALFORMED;
	len = ntohs(buf->iph.tot_len);
	if (len < ihl || len > skb->len - nhoff)
		return SP_IPV4_MALFORMED;
	if (ip_is_fragment(&buf->iph))
		return SP_IPV4_FRAGMENT;
	return sp_ipv4_options(buf->options, ihl - sizeof(struct iphdr));
}

static const enum sp_stat sp_ipv4_drop_stat[] = {
	[SP_IPV4_MALFORMED] = SP_STAT_DROP_IPV4_MALFORMED,
	[SP_IPV4_FRAGMENT] = SP_STAT_DROP_IPV4_FRAGMENT,
	[SP_IPV4_SRCROUTE] = SP_STAT_DROP_IPV4_SRCROUTE,
};

/**
 * sp_ipv4_rcv - IPv4 for a sleeping host
 * @spn: the namespace
 * @skb: an IPv4 packet, its header at skb_network_offset()
 * @dev: the interface it is on (from the LAN), or is routed to
 * @via: enum sleepproxy_wake_via: from the LAN (an ingress frame for us
 *	 or broadcast), routed or sent by the gateway (after routing)
 *
 * A packet for a proxied address of a sleeping host never goes on: the
 * stack would forward it to the host's MAC, or answer it with a redirect
 * or an unreachable in the host's name.  A TCP SYN to a port it serves
 * wakes it, a magic packet for it over UDP is relayed, an echo request
 * from the LAN is answered if the host asked for that, and everything
 * else is dropped and counted.
 *
 * Return: NF_DROP for a sleeping host's packets, else NF_ACCEPT.
 * Context: softirq, RCU read-side critical section.
 */
unsigned int sp_ipv4_rcv(struct sp_net *spn, struct sk_buff *skb,
			 struct net_device *dev, u8 via)
{
	unsigned int off = skb_network_offset(skb), ihl, len;
	const __be32 *daddr;
	struct sp_ipv4_hdr hdr;
	enum sp_ipv4_kind kind;
	struct sp_host *host;
	struct sp_addr *addr;
	__be32 buf;

	/* Most traffic is not for a sleeping host: find out first. */
	daddr = skb_header_pointer(skb, off + offsetof(struct iphdr, daddr),
				   sizeof(buf), &buf);
	if (!daddr)
		return NF_ACCEPT;
	addr = sp_addr_lookup_ipv4(spn, dev->ifindex, *daddr);
	if (likely(!addr))
		return NF_ACCEPT;
	if (!sp_addr_proxied(addr))
		return NF_ACCEPT;
	host = addr->host;

	kind = sp_ipv4_parse(skb, &hdr);
	if (kind != SP_IPV4_OK) {
		sp_stat_inc(spn, dev, sp_ipv4_drop_stat[kind]);
		goto drop;
	}
	ihl = hdr.iph.ihl * 4;
	len = ntohs(hdr.iph.tot_len) - ihl;
	switch (hdr.iph.protocol) {
	case IPPROTO_TCP:
		return sp_tcp_rcv(spn, host, skb, dev, via, off + ihl, len,
				  csum_tcpudp_nofold(hdr.iph.saddr,
						     hdr.iph.daddr, len,
						     IPPROTO_TCP, 0));
	case IPPROTO_UDP:
		if (sp_relay_udp(spn, host, skb, dev, via, off + ihl, len,
				 csum_tcpudp_nofold(hdr.iph.saddr,
						    hdr.iph.daddr, len,
						    IPPROTO_UDP, 0)))
			return NF_DROP;
		break;
	case IPPROTO_ICMP:
		if (via == SLEEPPROXY_VIA_LAN &&
		    sp_echo_rcv4(spn, host, skb, &hdr.iph, off + ihl, len))
			return NF_DROP;
		break;
	}
drop:
	sp_host_stat_inc(host, SP_HSTAT_DROPPED);
	return NF_DROP;
}

#if IS_ENABLED(CONFIG_SLEEPPROXY_KUNIT_TEST)
#include "../tests/kunit/ipv4_test.c"
#endif
