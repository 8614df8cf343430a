// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the magic packets (kernel/wake.c, which includes this
 * file): both forms, byte for byte, with valid checksums, for the host's
 * own MAC and for another MAC to wake with 4 and 6-byte passwords; and
 * the wake log: who caused a wake, the frame behind it, the ring.
 */

#include <kunit/test.h>
#include <linux/tcp.h>

#include "util.h"

static const u8 sp_test_host_mac[ETH_ALEN] __aligned(2) = {
	0x52, 0x54, 0x00, 0xaa, 0xbb, 0xcc
};

/* What a host that registered nothing else carries: its MAC, no password. */
static void sp_test_magic_plain(struct sp_magic *m)
{
	memset(m, 0, sizeof(*m));
	ether_addr_copy(m->mac, sp_test_host_mac);
}

static void sp_test_expect_magic(struct kunit *test, const u8 *p)
{
	unsigned int i;

	for (i = 0; i < 6; i++)
		KUNIT_EXPECT_EQ(test, p[i], 0xff);
	for (i = 0; i < 16; i++)
		KUNIT_EXPECT_EQ(test, memcmp(p + 6 + i * ETH_ALEN,
					     sp_test_host_mac, ETH_ALEN), 0);
}

static void sp_wake_test_fill(struct kunit *test)
{
	u8 buf[SP_MAGIC_LEN + 1];
	struct sp_magic m;

	KUNIT_EXPECT_EQ(test, SP_MAGIC_LEN, 102);
	sp_test_magic_plain(&m);
	KUNIT_EXPECT_EQ(test, sp_magic_len(&m), SP_MAGIC_LEN);
	buf[SP_MAGIC_LEN] = 0x5a;
	sp_magic_fill(buf, &m);
	sp_test_expect_magic(test, buf);
	KUNIT_EXPECT_EQ(test, buf[SP_MAGIC_LEN], 0x5a);
}

static void sp_wake_test_ether(struct kunit *test)
{
	struct net_device *dev = sp_test_dev(test);
	struct sk_buff *skb;
	struct ethhdr *eth;
	struct sp_magic m;

	sp_test_magic_plain(&m);
	skb = sp_wake_build_ether(dev, &m);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_ASSERT_EQ(test, skb->len, ETH_HLEN + SP_MAGIC_LEN);
	eth = (struct ethhdr *)skb->data;
	KUNIT_EXPECT_TRUE(test, is_broadcast_ether_addr(eth->h_dest));
	KUNIT_EXPECT_TRUE(test, ether_addr_equal(eth->h_source, sp_test_dev_mac));
	KUNIT_EXPECT_EQ(test, eth->h_proto, htons(0x0842));
	sp_test_expect_magic(test, skb->data + ETH_HLEN);
	kfree_skb(skb);
	free_netdev(dev);
}

static void sp_wake_test_udp(struct kunit *test)
{
	struct net_device *dev = sp_test_dev(test);
	__be32 saddr = htonl(0xc0a80101);
	unsigned int ulen = sizeof(struct udphdr) + SP_MAGIC_LEN;
	struct sk_buff *skb;
	struct ethhdr *eth;
	struct sp_magic m;
	struct iphdr *iph;
	struct udphdr *uh;

	sp_test_magic_plain(&m);
	skb = sp_wake_build_udp(dev, &m, saddr);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_ASSERT_EQ(test, skb->len, ETH_HLEN + sizeof(*iph) + ulen);
	eth = (struct ethhdr *)skb->data;
	KUNIT_EXPECT_TRUE(test, is_broadcast_ether_addr(eth->h_dest));
	KUNIT_EXPECT_TRUE(test, ether_addr_equal(eth->h_source, sp_test_dev_mac));
	KUNIT_EXPECT_EQ(test, eth->h_proto, htons(ETH_P_IP));

	iph = (struct iphdr *)(eth + 1);
	KUNIT_EXPECT_EQ(test, (unsigned int)iph->version, 4U);
	KUNIT_EXPECT_EQ(test, (unsigned int)iph->ihl, 5U);
	KUNIT_EXPECT_EQ(test, ntohs(iph->tot_len), sizeof(*iph) + ulen);
	KUNIT_EXPECT_EQ(test, iph->protocol, IPPROTO_UDP);
	KUNIT_EXPECT_EQ(test, iph->frag_off, htons(IP_DF));
	KUNIT_EXPECT_EQ(test, iph->ttl, 64);
	KUNIT_EXPECT_EQ(test, iph->saddr, saddr);
	KUNIT_EXPECT_EQ(test, iph->daddr, htonl(INADDR_BROADCAST));
	KUNIT_EXPECT_EQ(test, ip_fast_csum(iph, iph->ihl), 0);

	uh = (struct udphdr *)(iph + 1);
	KUNIT_EXPECT_EQ(test, uh->dest, htons(9));
	KUNIT_EXPECT_EQ(test, ntohs(uh->len), ulen);
	KUNIT_EXPECT_NE(test, uh->check, 0);
	KUNIT_EXPECT_EQ(test, csum_tcpudp_magic(iph->saddr, iph->daddr, ulen,
						IPPROTO_UDP,
						csum_partial(uh, ulen, 0)), 0);
	sp_test_expect_magic(test, (u8 *)(uh + 1));
	kfree_skb(skb);

	/* An interface without an address sends from 0.0.0.0. */
	skb = sp_wake_build_udp(dev, &m, 0);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	iph = (struct iphdr *)(skb->data + ETH_HLEN);
	KUNIT_EXPECT_EQ(test, iph->saddr, 0);
	KUNIT_EXPECT_EQ(test, ip_fast_csum(iph, iph->ihl), 0);
	kfree_skb(skb);
	free_netdev(dev);
}

/*
 * The magic packet for another MAC to wake, 52:54:00:aa:bb:dd, with the
 * password de:ad:be:ef:00:42: 108 bytes.  Its first 106 are the same
 * packet with the 4-byte password de:ad:be:ef, its first 102 the packet
 * without a password.
 */
static const u8 sp_test_magic_bytes[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0x52, 0x54, 0x00, 0xaa, 0xbb, 0xdd,
	0x52, 0x54, 0x00, 0xaa, 0xbb, 0xdd,
	0x52, 0x54, 0x00, 0xaa, 0xbb, 0xdd,
	0x52, 0x54, 0x00, 0xaa, 0xbb, 0xdd,
	0x52, 0x54, 0x00, 0xaa, 0xbb, 0xdd,
	0x52, 0x54, 0x00, 0xaa, 0xbb, 0xdd,
	0x52, 0x54, 0x00, 0xaa, 0xbb, 0xdd,
	0x52, 0x54, 0x00, 0xaa, 0xbb, 0xdd,
	0x52, 0x54, 0x00, 0xaa, 0xbb, 0xdd,
	0x52, 0x54, 0x00, 0xaa, 0xbb, 0xdd,
	0x52, 0x54, 0x00, 0xaa, 0xbb, 0xdd,
	0x52, 0x54, 0x00, 0xaa, 0xbb, 0xdd,
	0x52, 0x54, 0x00, 0xaa, 0xbb, 0xdd,
	0x52, 0x54, 0x00, 0xaa, 0xbb, 0xdd,
	0x52, 0x54, 0x00, 0xaa, 0xbb, 0xdd,
	0x52, 0x54, 0x00, 0xaa, 0xbb, 0xdd,
	0xde, 0xad, 0xbe, 0xef, 0x00, 0x42,
};

/* The password lengths the literals are for. */
static const u8 sp_test_pw_lens[] = { 0, 4, SP_WOL_PASSWORD_MAX };

/* The Ethernet header of the 0x0842 form: broadcast, from the gateway. */
static const u8 sp_test_wol_eth_head[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x08, 0x42,
};

/*
 * The headers of the UDP form from 192.168.1.1, for each length of the
 * packet above: Ethernet, IPv4 (DF, TTL 64, no options), UDP 9 to 9.
 * The lengths and checksums differ.
 */
static const u8 sp_test_wol_udp_head[][ETH_HLEN + 28] = {
	{	/* no password: UDP length 110 */
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
		0x08, 0x00,
		0x45, 0x00, 0x00, 0x82, 0x00, 0x00, 0x40, 0x00,
		0x40, 0x11, 0x78, 0xc2,
		0xc0, 0xa8, 0x01, 0x01, 0xff, 0xff, 0xff, 0xff,
		0x00, 0x09, 0x00, 0x09, 0x00, 0x6e, 0x4f, 0x96,
	},
	{	/* 4 bytes: UDP length 114 */
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
		0x08, 0x00,
		0x45, 0x00, 0x00, 0x86, 0x00, 0x00, 0x40, 0x00,
		0x40, 0x11, 0x78, 0xbe,
		0xc0, 0xa8, 0x01, 0x01, 0xff, 0xff, 0xff, 0xff,
		0x00, 0x09, 0x00, 0x09, 0x00, 0x72, 0xb1, 0xf0,
	},
	{	/* 6 bytes: UDP length 116 */
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
		0x08, 0x00,
		0x45, 0x00, 0x00, 0x88, 0x00, 0x00, 0x40, 0x00,
		0x40, 0x11, 0x78, 0xbc,
		0xc0, 0xa8, 0x01, 0x01, 0xff, 0xff, 0xff, 0xff,
		0x00, 0x09, 0x00, 0x09, 0x00, 0x74, 0xb1, 0xaa,
	},
};

/*
 * @skb is @head_len bytes of @head, then the first @magic_len bytes of
 * sp_test_magic_bytes, of protocol @proto on @dev.  Frees @skb.
 */
static void sp_test_expect_wol(struct kunit *test, struct sk_buff *skb,
			       struct net_device *dev, u16 proto,
			       const u8 *head, unsigned int head_len,
			       unsigned int magic_len)
{
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_EXPECT_EQ(test, skb->len, head_len + magic_len);
	KUNIT_EXPECT_EQ(test, skb->protocol, htons(proto));
	KUNIT_EXPECT_PTR_EQ(test, skb->dev, dev);
	if (skb->len == head_len + magic_len) {
		KUNIT_EXPECT_EQ(test, memcmp(skb->data, head, head_len), 0);
		KUNIT_EXPECT_EQ(test, memcmp(skb->data + head_len,
					     sp_test_magic_bytes, magic_len), 0);
	}
	kfree_skb(skb);
}

/* Another MAC to wake, without a password and with each length of one. */
static void sp_wake_test_wake_mac(struct kunit *test)
{
	static const u8 wake_mac[ETH_ALEN] __aligned(2) = {
		0x52, 0x54, 0x00, 0xaa, 0xbb, 0xdd
	};
	static const u8 password[] = { 0xde, 0xad, 0xbe, 0xef, 0x00, 0x42 };
	struct net_device *dev = sp_test_dev(test);
	__be32 saddr = htonl(0xc0a80101);
	unsigned int i, len;
	struct sp_magic m;

	for (i = 0; i < ARRAY_SIZE(sp_test_pw_lens); i++) {
		len = sp_test_pw_lens[i];
		memset(&m, 0, sizeof(m));
		ether_addr_copy(m.mac, wake_mac);
		m.password_len = len;
		memcpy(m.password, password, len);
		KUNIT_EXPECT_EQ(test, sp_magic_len(&m), SP_MAGIC_LEN + len);

		sp_test_expect_wol(test, sp_wake_build_ether(dev, &m), dev,
				   SP_ETH_P_WOL, sp_test_wol_eth_head,
				   sizeof(sp_test_wol_eth_head),
				   SP_MAGIC_LEN + len);
		sp_test_expect_wol(test, sp_wake_build_udp(dev, &m, saddr), dev,
				   ETH_P_IP, sp_test_wol_udp_head[i],
				   sizeof(sp_test_wol_udp_head[i]),
				   SP_MAGIC_LEN + len);
	}
	free_netdev(dev);
}

/*
 * The literals above are packets of their own: lengths that add up and
 * valid checksums, so that the frames matching them are valid too.
 */
static void sp_wake_test_literals(struct kunit *test)
{
	const struct iphdr *iph;
	unsigned int i, ulen;

	KUNIT_ASSERT_EQ(test, sizeof(sp_test_magic_bytes),
			SP_MAGIC_LEN + SP_WOL_PASSWORD_MAX);
	KUNIT_ASSERT_EQ(test, ARRAY_SIZE(sp_test_wol_udp_head),
			ARRAY_SIZE(sp_test_pw_lens));
	for (i = 0; i < ARRAY_SIZE(sp_test_wol_udp_head); i++) {
		u8 udp[8 + sizeof(sp_test_magic_bytes)];

		iph = (const struct iphdr *)(sp_test_wol_udp_head[i] + ETH_HLEN);
		KUNIT_EXPECT_EQ(test, ip_fast_csum(iph, iph->ihl), 0);
		ulen = 8 + SP_MAGIC_LEN + sp_test_pw_lens[i];
		KUNIT_EXPECT_EQ(test, ntohs(iph->tot_len), sizeof(*iph) + ulen);
		memcpy(udp, iph + 1, 8);
		memcpy(udp + 8, sp_test_magic_bytes, ulen - 8);
		KUNIT_EXPECT_EQ(test, csum_tcpudp_magic(iph->saddr, iph->daddr,
							ulen, IPPROTO_UDP,
							csum_partial(udp, ulen,
								     0)), 0);
	}
}

/* A SYN as it reaches the hook: Ethernet header before skb->data. */
static struct sk_buff *sp_test_syn_skb(struct kunit *test, bool v6)
{
	static const u8 eth[ETH_HLEN] = {
		0x02, 0, 0, 0, 0, 0x01, 0x52, 0x54, 0, 0, 0, 0x02, 0x08, 0x00,
	};
	unsigned int iplen = v6 ? sizeof(struct ipv6hdr) : sizeof(struct iphdr);
	unsigned int len = iplen + sizeof(struct tcphdr);
	struct sk_buff *skb;
	struct tcphdr *th;

	skb = alloc_skb(NET_SKB_PAD + ETH_HLEN + len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, NET_SKB_PAD + ETH_HLEN);
	skb_reset_network_header(skb);
	skb_set_mac_header(skb, -ETH_HLEN);
	memcpy(skb_mac_header(skb), eth, ETH_HLEN);
	if (v6) {
		struct ipv6hdr *ip6 = skb_put_zero(skb, sizeof(*ip6));

		ip6->version = 6;
		ip6->nexthdr = IPPROTO_TCP;
		ip6->saddr.s6_addr[0] = 0x20;
		ip6->saddr.s6_addr[1] = 0x01;
		ip6->saddr.s6_addr[15] = 0x07;
	} else {
		struct iphdr *ip4 = skb_put_zero(skb, sizeof(*ip4));

		ip4->version = 4;
		ip4->ihl = 5;
		ip4->protocol = IPPROTO_TCP;
		ip4->saddr = htonl(0xc0000207);	/* 192.0.2.7 */
	}
	th = skb_put_zero(skb, sizeof(*th));
	th->source = htons(40000);
	th->dest = htons(22);
	th->syn = 1;
	return skb;
}

static struct sp_wake_log *sp_test_log(struct kunit *test)
{
	struct sp_wake_log *log = kunit_kzalloc(test, sizeof(*log), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, log);
	spin_lock_init(&log->lock);
	return log;
}

/* A SYN's wake names its sender and keeps the frame from its MAC header. */
static void sp_wake_test_log_packet(struct kunit *test)
{
	static const u8 src_mac[ETH_ALEN] = { 0x52, 0x54, 0, 0, 0, 0x02 };
	struct sp_wake_log *log = sp_test_log(test);
	struct sp_wake_rec copy;
	unsigned int v6;

	for (v6 = 0; v6 < 2; v6++) {
		struct sk_buff *skb = sp_test_syn_skb(test, v6);
		struct sp_wake_cause why = {
			.reason = SLEEPPROXY_WAKE_SYN,
			.skb = skb,
			.thoff = v6 ? sizeof(struct ipv6hdr) : sizeof(struct iphdr),
		};
		const struct sp_wake_rec *rec;

		sp_wake_note(log, &why, true, &copy);
		rec = &log->rec[v6];
		KUNIT_EXPECT_EQ(test, rec->reason, SLEEPPROXY_WAKE_SYN);
		KUNIT_EXPECT_EQ(test, rec->sent, 1);
		KUNIT_EXPECT_EQ(test, rec->family, v6 ? AF_INET6 : AF_INET);
		KUNIT_EXPECT_EQ(test, memcmp(rec->src_mac, src_mac, ETH_ALEN), 0);
		KUNIT_EXPECT_EQ(test, ntohs(rec->sport), 40000);
		KUNIT_EXPECT_EQ(test, ntohs(rec->dport), 22);
		if (v6) {
			KUNIT_EXPECT_EQ(test, ntohl(rec->saddr[0]), 0x20010000U);
			KUNIT_EXPECT_EQ(test, ntohl(rec->saddr[3]), 7U);
		} else {
			KUNIT_EXPECT_EQ(test, ntohl(rec->saddr[0]), 0xc0000207U);
		}
		/* The whole frame fits: Ethernet header, then the packet. */
		KUNIT_EXPECT_EQ(test, log->frame_len, ETH_HLEN + skb->len);
		KUNIT_EXPECT_EQ(test, memcmp(log->frame, skb_mac_header(skb),
					     ETH_HLEN + skb->len), 0);
		kfree_skb(skb);
	}
	KUNIT_EXPECT_EQ(test, log->count, 2);
}

/* The ring keeps the latest SLEEPPROXY_WAKES_KEPT; no packet, no frame. */
static void sp_wake_test_log_ring(struct kunit *test)
{
	struct sp_wake_log *log = sp_test_log(test);
	struct sk_buff *skb = sp_test_syn_skb(test, false);
	struct sp_wake_cause syn = {
		.reason = SLEEPPROXY_WAKE_SYN, .skb = skb,
		.thoff = sizeof(struct iphdr),
	};
	struct sp_wake_cause lease = { .reason = SLEEPPROXY_WAKE_LEASE };
	struct sp_wake_cause manual = { .reason = SLEEPPROXY_WAKE_MANUAL };
	struct sp_wake_rec copy;
	unsigned int i, newest;

	sp_wake_note(log, &syn, true, &copy);
	KUNIT_EXPECT_GT(test, log->frame_len, 0);
	for (i = 0; i < SLEEPPROXY_WAKES_KEPT + 1; i++)
		sp_wake_note(log, &lease, false, &copy);
	sp_wake_note(log, &manual, true, &copy);
	KUNIT_EXPECT_EQ(test, log->count, SLEEPPROXY_WAKES_KEPT);
	KUNIT_EXPECT_EQ(test, log->frame_len, 0);
	newest = (log->next + SLEEPPROXY_WAKES_KEPT - 1) % SLEEPPROXY_WAKES_KEPT;
	KUNIT_EXPECT_EQ(test, log->rec[newest].reason, SLEEPPROXY_WAKE_MANUAL);
	KUNIT_EXPECT_EQ(test, log->rec[newest].family, 0);
	/* The SYN is gone: everything else is a lease wake not sent. */
	for (i = 1; i < SLEEPPROXY_WAKES_KEPT; i++) {
		const struct sp_wake_rec *r =
			&log->rec[(newest + SLEEPPROXY_WAKES_KEPT - i) %
				  SLEEPPROXY_WAKES_KEPT];

		KUNIT_EXPECT_EQ(test, r->reason, SLEEPPROXY_WAKE_LEASE);
		KUNIT_EXPECT_EQ(test, r->sent, 0);
	}
	kfree_skb(skb);
}

static struct kunit_case sp_wake_test_cases[] = {
	KUNIT_CASE(sp_wake_test_fill),
	KUNIT_CASE(sp_wake_test_ether),
	KUNIT_CASE(sp_wake_test_udp),
	KUNIT_CASE(sp_wake_test_wake_mac),
	KUNIT_CASE(sp_wake_test_literals),
	KUNIT_CASE(sp_wake_test_log_packet),
	KUNIT_CASE(sp_wake_test_log_ring),
	{}
};

static struct kunit_suite sp_wake_test_suite = {
	.name = "sleepproxy_wake",
	.test_cases = sp_wake_test_cases,
};

kunit_test_suite(sp_wake_test_suite);
