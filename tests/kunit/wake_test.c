// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the magic packets (kernel/wake.c, which includes this
 * file): both forms, byte for byte, with valid checksums, for the host's
 * own MAC and for another MAC to wake with 4 and 6-byte passwords.
 */

#include <kunit/test.h>

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

static struct kunit_case sp_wake_test_cases[] = {
	KUNIT_CASE(sp_wake_test_fill),
	KUNIT_CASE(sp_wake_test_ether),
	KUNIT_CASE(sp_wake_test_udp),
	KUNIT_CASE(sp_wake_test_wake_mac),
	KUNIT_CASE(sp_wake_test_literals),
	{}
};

static struct kunit_suite sp_wake_test_suite = {
	.name = "sleepproxy_wake",
	.test_cases = sp_wake_test_cases,
};

kunit_test_suite(sp_wake_test_suite);
