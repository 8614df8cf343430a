// SPDX-License-Identifier: GPL-2.0
/*
 * Waking a host: the Wake-on-LAN magic packet (six 0xff bytes, then the
 * MAC to wake sixteen times, then the host's "SecureOn" password if it
 * has one), sent in both forms NICs and their firmware look for: an
 * Ethernet frame of ethertype 0x0842 and a UDP datagram to port 9 at the
 * IPv4 limited broadcast address.  The MAC is the host's own unless it
 * registered another one to wake.
 */

#include <linux/etherdevice.h>
#include <linux/inetdevice.h>
#include <linux/ip.h>
#include <linux/netdevice.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/ip.h>

#include "host.h"
#include "netns.h"
#include "ratelimit.h"
#include "xmit.h"
#include "wake.h"

#define SP_ETH_P_WOL	0x0842
#define SP_WOL_PORT	9
/* Six 0xff bytes and sixteen MACs: a magic packet without a password. */
#define SP_MAGIC_LEN	(6 + 16 * ETH_ALEN)

static unsigned int sp_magic_len(const struct sp_magic *m)
{
	return SP_MAGIC_LEN + m->password_len;
}

/* Writes sp_magic_len(@m) bytes at @buf. */
static void sp_magic_fill(u8 *buf, const struct sp_magic *m)
{
	unsigned int i;

	memset(buf, 0xff, 6);
	for (i = 0; i < 16; i++)
		memcpy(buf + 6 + i * ETH_ALEN, m->mac, ETH_ALEN);
	memcpy(buf + SP_MAGIC_LEN, m->password, m->password_len);
}

static struct sk_buff *sp_wake_build_ether(struct net_device *dev,
					   const struct sp_magic *m)
{
	unsigned int len = sp_magic_len(m);
	struct sk_buff *skb = sp_alloc_skb(dev, len);

	if (!skb)
		return NULL;
	sp_magic_fill(skb_put(skb, len), m);
	return sp_push_ll(skb, SP_ETH_P_WOL, dev->broadcast);
}

/* No IP options, ever (ISO/IEC 16317 Annex A.2). */
static struct sk_buff *sp_wake_build_udp(struct net_device *dev,
					 const struct sp_magic *m,
					 __be32 saddr)
{
	unsigned int ulen = sizeof(struct udphdr) + sp_magic_len(m);
	unsigned int len = sizeof(struct iphdr) + ulen;
	__be32 daddr = htonl(INADDR_BROADCAST);
	struct sk_buff *skb;
	struct udphdr *uh;
	struct iphdr *iph;

	skb = sp_alloc_skb(dev, len);
	if (!skb)
		return NULL;
	iph = skb_put(skb, sizeof(*iph));
	skb_set_transport_header(skb, sizeof(*iph));
	uh = skb_put(skb, sizeof(*uh));
	sp_magic_fill(skb_put(skb, sp_magic_len(m)), m);

	uh->source = htons(SP_WOL_PORT);
	uh->dest = htons(SP_WOL_PORT);
	uh->len = htons(ulen);
	uh->check = 0;
	uh->check = csum_tcpudp_magic(saddr, daddr, ulen, IPPROTO_UDP,
				      csum_partial(uh, ulen, 0));
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;

	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	iph->tos = 0;
	iph->tot_len = htons(len);
	iph->id = 0;
	iph->frag_off = htons(IP_DF);
	iph->ttl = 64;
	iph->protocol = IPPROTO_UDP;
	iph->saddr = saddr;
	iph->daddr = daddr;
	ip_send_check(iph);
	return sp_push_ll(skb, ETH_P_IP, dev->broadcast);
}

/**
 * sp_wake - send a host its magic packets
 * @spn: the namespace
 * @host: the host to wake
 * @cfg: its registration: what the packets carry, how many to send
 * @dev: its interface
 *
 * Nothing is sent when the namespace's wake budget is spent: the host
 * stays woken, and the next reason to wake it retries after the re-wake
 * interval.
 *
 * Context: softirq or process with BHs off; RCU read-side critical section
 * or &sp_net.lock held.
 */
void sp_wake(struct sp_net *spn, struct sp_host *host,
	     const struct sp_host_cfg *cfg, struct net_device *dev)
{
	/* The interface's address, or 0.0.0.0 if it has none. */
	__be32 saddr = inet_select_addr(dev, 0, RT_SCOPE_LINK);
	const struct sp_magic *m = &cfg->magic;
	unsigned int i, sent = 0;

	if (!sp_wake_allowed(spn)) {
		sp_host_stat_inc(host, SP_HSTAT_WAKES_SUPPRESSED);
		return;
	}
	sp_host_stat_inc(host, SP_HSTAT_WAKES);
	for (i = 0; i < cfg->wake_count; i++) {
		if (sp_xmit(sp_wake_build_ether(dev, m)))
			sent++;
		else
			sp_stat_inc(spn, SP_STAT_TX_ERRORS);
		if (sp_xmit(sp_wake_build_udp(dev, m, saddr)))
			sent++;
		else
			sp_stat_inc(spn, SP_STAT_TX_ERRORS);
	}
	sp_host_stat_add(host, SP_HSTAT_MAGIC_SENT, sent);
}

#if IS_ENABLED(CONFIG_SLEEPPROXY_KUNIT_TEST)
#include "../tests/kunit/wake_test.c"
#endif
