// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the magic packets (kernel/wake.c, which includes this
 * file): both forms, byte for byte, with valid checksums.
 */

#include <kunit/test.h>

#include "util.h"

static const u8 sp_test_host_mac[ETH_ALEN] __aligned(2) = {
	0x52, 0x54, 0x00, 0xaa, 0xbb, 0xcc
};

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

	KUNIT_EXPECT_EQ(test, SP_MAGIC_LEN, 102);
	buf[SP_MAGIC_LEN] = 0x5a;
	sp_magic_fill(buf, sp_test_host_mac);
	sp_test_expect_magic(test, buf);
	KUNIT_EXPECT_EQ(test, buf[SP_MAGIC_LEN], 0x5a);
}

static void sp_wake_test_ether(struct kunit *test)
{
	struct net_device *dev = sp_test_dev(test);
	struct sk_buff *skb;
	struct ethhdr *eth;

	skb = sp_wake_build_ether(dev, sp_test_host_mac);
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
	struct iphdr *iph;
	struct udphdr *uh;

	skb = sp_wake_build_udp(dev, sp_test_host_mac, saddr);
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
	skb = sp_wake_build_udp(dev, sp_test_host_mac, 0);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	iph = (struct iphdr *)(skb->data + ETH_HLEN);
	KUNIT_EXPECT_EQ(test, iph->saddr, 0);
	KUNIT_EXPECT_EQ(test, ip_fast_csum(iph, iph->ihl), 0);
	kfree_skb(skb);
	free_netdev(dev);
}

static struct kunit_case sp_wake_test_cases[] = {
	KUNIT_CASE(sp_wake_test_fill),
	KUNIT_CASE(sp_wake_test_ether),
	KUNIT_CASE(sp_wake_test_udp),
	{}
};

static struct kunit_suite sp_wake_test_suite = {
	.name = "sleepproxy_wake",
	.test_cases = sp_wake_test_cases,
};

kunit_test_suite(sp_wake_test_suite);
