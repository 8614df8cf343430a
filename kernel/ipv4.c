// SPDX-License-Identifier: GPL-2.0
/*
 * IPv4 to a sleeping host: a TCP SYN to a port it serves wakes it (R30).
 * Ill-formed packets (R36), fragments (R37) and source-routed packets
 * (R38) never cause a wake; they are counted and left to the stack.
 */

#include <linux/ip.h>
#include <linux/netfilter.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/checksum.h>
#include <net/ip.h>

#include "arp.h"
#include "host.h"
#include "ipv4.h"
#include "netns.h"
#include "wake.h"

enum sp_ipv4_kind {
	SP_IPV4_OK,
	SP_IPV4_MALFORMED,
	SP_IPV4_FRAGMENT,
	SP_IPV4_SRCROUTE,
};

enum sp_tcp_kind {
	SP_TCP_OTHER,		/* not a connection attempt */
	SP_TCP_MALFORMED,
	SP_TCP_SYN,
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

/*
 * Is the segment after the (valid) IPv4 header @iph a connection
 * attempt?  A SYN with ACK, RST or FIN set is not: a listening socket
 * would not take it either.
 */
static enum sp_tcp_kind sp_tcp_parse(const struct sk_buff *skb,
				     const struct iphdr *iph, u16 *dport)
{
	unsigned int thoff = skb_network_offset(skb) + iph->ihl * 4;
	unsigned int len = ntohs(iph->tot_len) - iph->ihl * 4;
	struct tcphdr buf;
	const struct tcphdr *th;

	if (len < sizeof(*th))
		return SP_TCP_MALFORMED;
	th = skb_header_pointer(skb, thoff, sizeof(*th), &buf);
	if (!th)
		return SP_TCP_MALFORMED;
	if (th->doff < sizeof(*th) / 4 || th->doff * 4 > len)
		return SP_TCP_MALFORMED;
	if (!th->syn || th->ack || th->rst || th->fin)
		return SP_TCP_OTHER;
	*dport = ntohs(th->dest);
	return SP_TCP_SYN;
}

/*
 * Trust what the driver or a local sender vouched for (CHECKSUM_UNNECESSARY,
 * CHECKSUM_PARTIAL), as tcp_v4_rcv() does; check everything else.
 */
static bool sp_tcp_csum_ok(const struct sk_buff *skb, const struct iphdr *iph)
{
	unsigned int thoff = skb_network_offset(skb) + iph->ihl * 4;
	unsigned int len = ntohs(iph->tot_len) - iph->ihl * 4;

	if (skb_csum_unnecessary(skb))
		return true;
	return !csum_tcpudp_magic(iph->saddr, iph->daddr, len, IPPROTO_TCP,
				  skb_checksum(skb, thoff, len, 0));
}

static const enum sp_stat sp_ipv4_drop_stat[] = {
	[SP_IPV4_MALFORMED] = SP_STAT_DROP_IPV4_MALFORMED,
	[SP_IPV4_FRAGMENT] = SP_STAT_DROP_IPV4_FRAGMENT,
	[SP_IPV4_SRCROUTE] = SP_STAT_DROP_IPV4_SRCROUTE,
};

/**
 * sp_ipv4_rcv - wake a sleeping host on a connection attempt
 * @spn: the namespace
 * @skb: an IPv4 frame on a hooked interface, for us or broadcast
 *
 * Return: NF_DROP for a SYN that wakes its host (neither forwarded nor
 * answered with a reset: the client retransmits and reaches the host once
 * it is up), NF_ACCEPT for everything else.
 *
 * Context: softirq, RCU read-side critical section.
 */
unsigned int sp_ipv4_rcv(struct sp_net *spn, struct sk_buff *skb)
{
	struct net_device *dev = skb->dev;
	const struct sp_host_cfg *cfg;
	struct sp_ipv4_hdr hdr;
	enum sp_ipv4_kind kind;
	struct sp_host *host;
	struct sp_addr *addr;
	__be32 daddr;
	u16 dport;

	/* Most traffic is not for a sleeping host: find out first. */
	if (skb_copy_bits(skb, skb_network_offset(skb) +
			  offsetof(struct iphdr, daddr), &daddr, sizeof(daddr)))
		return NF_ACCEPT;
	addr = sp_addr_lookup_ipv4(spn, dev->ifindex, daddr);
	if (likely(!addr))
		return NF_ACCEPT;
	host = addr->host;
	if (!sp_host_proxying(host))
		return NF_ACCEPT;

	kind = sp_ipv4_parse(skb, &hdr);
	if (kind != SP_IPV4_OK) {
		sp_stat_inc(spn, sp_ipv4_drop_stat[kind]);
		return NF_ACCEPT;
	}
	if (hdr.iph.protocol != IPPROTO_TCP)
		return NF_ACCEPT;
	switch (sp_tcp_parse(skb, &hdr.iph, &dport)) {
	case SP_TCP_OTHER:
		return NF_ACCEPT;
	case SP_TCP_MALFORMED:
		sp_stat_inc(spn, SP_STAT_DROP_TCP_MALFORMED);
		return NF_ACCEPT;
	case SP_TCP_SYN:
		break;
	}

	cfg = rcu_dereference(host->cfg);
	if (!sp_host_port_match(cfg, dport)) {
		sp_host_stat_inc(host, SP_HSTAT_SYN_OTHER);
		return NF_ACCEPT;
	}
	if (!sp_tcp_csum_ok(skb, &hdr.iph)) {
		sp_stat_inc(spn, SP_STAT_DROP_TCP_MALFORMED);
		return NF_ACCEPT;
	}

	sp_host_stat_inc(host, SP_HSTAT_SYN_WAKE);
	if (sp_host_set_woken(host))
		sp_wake(spn, host, cfg, dev);
	else if (sp_host_solicit_due(host))
		sp_arp_solicit(spn, host, cfg, dev);
	return NF_DROP;
}

#if IS_ENABLED(CONFIG_SLEEPPROXY_KUNIT_TEST)
#include "../tests/kunit/ipv4_test.c"
#endif
