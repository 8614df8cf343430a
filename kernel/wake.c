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
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/ip.h>

#include "host.h"
#include "netlink.h"
#include "netns.h"
#include "ratelimit.h"
#include "trace.h"
#include "wake.h"
#include "xmit.h"

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

	uh->source = htons(SP_WOL_PORT_DISCARD);
	uh->dest = htons(SP_WOL_PORT_DISCARD);
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
 * sp_wake_send - put magic packets on the wire
 * @spn: the namespace, for its counters
 * @dev: the interface
 * @m: what they carry
 * @count: how many of each form
 *
 * Return: the number sent.  Context: BHs off.
 */
unsigned int sp_wake_send(struct sp_net *spn, struct net_device *dev,
			  const struct sp_magic *m, unsigned int count)
{
	/* The interface's address, or 0.0.0.0 if it has none. */
	__be32 saddr = inet_select_addr(dev, 0, RT_SCOPE_LINK);
	unsigned int i, sent = 0;

	for (i = 0; i < count; i++) {
		if (sp_xmit(sp_wake_build_ether(dev, m)))
			sent++;
		else
			sp_stat_inc(spn, dev, SP_STAT_TX_ERRORS);
		if (sp_xmit(sp_wake_build_udp(dev, m, saddr)))
			sent++;
		else
			sp_stat_inc(spn, dev, SP_STAT_TX_ERRORS);
	}
	return sent;
}

/* Who sent the packet behind a wake, and its first bytes. */
static void sp_wake_note_packet(struct sp_wake_log *log,
				struct sp_wake_rec *rec,
				const struct sk_buff *skb, unsigned int thoff)
{
	int nhoff = skb_network_offset(skb);
	const struct ipv6hdr *ip6;
	const struct iphdr *ip4;
	unsigned int len, head;
	union {
		struct iphdr v4;
		struct ipv6hdr v6;
	} ip;
	__be16 ports[2];

	log->frame_len = 0;
	rec->packet = 1;
	if (rec->via == SLEEPPROXY_VIA_ROUTED)
		rec->in_ifindex = skb->skb_iif;
	ip4 = skb_header_pointer(skb, nhoff, sizeof(*ip4), &ip.v4);
	if (!thoff || !ip4) {
		/* A 0x0842 frame. */
	} else if (ip4->version == 4) {
		rec->family = AF_INET;
		rec->saddr[0] = ip4->saddr;
	} else {
		ip6 = skb_header_pointer(skb, nhoff, sizeof(*ip6), &ip.v6);
		if (!ip6)
			return;
		rec->family = AF_INET6;
		memcpy(rec->saddr, &ip6->saddr, sizeof(rec->saddr));
	}
	if (thoff && !skb_copy_bits(skb, thoff, ports, sizeof(ports))) {
		rec->sport = ports[0];
		rec->dport = ports[1];
	}

	/*
	 * The link-layer header sits in the head, before skb->data; a
	 * routed packet's is the other link's, a local one has none.
	 */
	head = 0;
	if (skb_mac_header_was_set(skb) && skb_mac_offset(skb) < 0 &&
	    (rec->via == SLEEPPROXY_VIA_LAN || !thoff))
		head = -skb_mac_offset(skb);
	if (head >= ETH_ALEN * 2)
		memcpy(rec->src_mac, skb_mac_header(skb) + ETH_ALEN, ETH_ALEN);
	head = min_t(unsigned int, head, sizeof(log->frame));
	memcpy(log->frame, skb->data - head, head);
	len = min_t(unsigned int, skb->len, sizeof(log->frame) - head);
	if (skb_copy_bits(skb, 0, log->frame + head, len))
		len = 0;
	log->frame_len = head + len;
}

/*
 * Logs the wake in @log, and leaves a copy of its record in @copy.  With
 * no log (it could not be allocated) only the copy is made, without the
 * packet.
 */
static void sp_wake_note(struct sp_wake_log *log,
			 const struct sp_wake_cause *why, bool sent,
			 struct sp_wake_rec *copy)
{
	struct sp_wake_rec *rec;

	if (!log) {
		memset(copy, 0, sizeof(*copy));
		copy->when = get_jiffies_64();
		copy->reason = why->reason;
		copy->via = why->via;
		copy->sent = sent;
		return;
	}

	spin_lock(&log->lock);
	rec = &log->rec[log->next];
	memset(rec, 0, sizeof(*rec));
	rec->when = get_jiffies_64();
	rec->reason = why->reason;
	rec->via = why->via;
	rec->sent = sent;
	if (why->skb)
		sp_wake_note_packet(log, rec, why->skb, why->thoff);
	else
		log->frame_len = 0;
	log->next = (log->next + 1) % ARRAY_SIZE(log->rec);
	if (log->count < ARRAY_SIZE(log->rec))
		log->count++;
	*copy = *rec;
	spin_unlock(&log->lock);
}

/**
 * sp_wake - send a host its magic packets
 * @spn: the namespace
 * @host: the host to wake
 * @cfg: its registration: what the packets carry, how many to send
 * @dev: its interface
 * @why: the reason, kept in the host's wake log
 *
 * Nothing is sent when the namespace's wake budget is spent (manual wakes
 * excepted): the host stays woken, and the next reason to wake it retries
 * after the re-wake interval.  Either way the wake is logged, after the
 * packets have gone: the host's first wake allocates its log.
 *
 * Return: whether the packets went out.
 * Context: softirq or process with BHs off; RCU read-side critical section
 * or &sp_net.lock held.
 */
bool sp_wake(struct sp_net *spn, struct sp_host *host,
	     const struct sp_host_cfg *cfg, struct net_device *dev,
	     const struct sp_wake_cause *why)
{
	bool sent = why->reason == SLEEPPROXY_WAKE_MANUAL ||
		    sp_wake_allowed(spn, dev);
	struct sp_host_wake *w;
	struct sp_wake_rec rec;
	unsigned int n = 0;

	if (sent)
		n = sp_wake_send(spn, dev, &cfg->magic, cfg->wake_count);
	w = sp_host_wake_get(spn, host);
	sp_wake_note(w ? &w->wakes : NULL, why, sent, &rec);
	trace_sleepproxy_wake(dev, host->key.mac, why->reason, sent);
	sp_nl_notify(spn, host, SLEEPPROXY_EVENT_WAKE, &rec, 0, GFP_ATOMIC);
	if (!sent) {
		sp_host_stat_inc(host, SP_HSTAT_WAKES_SUPPRESSED);
		return false;
	}
	sp_host_stat_inc(host, SP_HSTAT_WAKES);
	sp_host_stat_add(host, SP_HSTAT_MAGIC_SENT, n);
	if (READ_ONCE(host->state) == SLEEPPROXY_STATE_WOKEN)
		sp_rounds_start(host);
	return true;
}

#if IS_ENABLED(CONFIG_SLEEPPROXY_KUNIT_TEST)
#include "../tests/kunit/wake_test.c"
#endif
