// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the Wake-on-LAN relay (kernel/relay.c, which includes
 * this file): which magic packets are for a host (its MAC or its wake MAC,
 * sixteen times, and its SecureOn password when it has one), and which
 * UDP datagrams carry one (port 7 or 9, the length and checksum right).
 */

#include <kunit/test.h>
#include <linux/udp.h>
#include <net/ip6_checksum.h>

#include "util.h"

static const u8 sp_relay_test_mac[ETH_ALEN] __aligned(2) = {
	0x52, 0x54, 0x00, 0xaa, 0xbb, 0xcc
};

static const u8 sp_relay_test_wake[ETH_ALEN] __aligned(2) = {
	0x52, 0x54, 0x00, 0xaa, 0xbb, 0xcd
};

static const u8 sp_relay_test_pw[] = { 0xde, 0xad, 0xbe, 0xef };

/* A magic packet for @mac with @pwlen bytes of password, at @buf. */
static unsigned int sp_relay_test_magic(u8 *buf, const u8 *mac,
					unsigned int pwlen)
{
	unsigned int i;

	memset(buf, 0xff, 6);
	for (i = 0; i < 16; i++)
		memcpy(buf + 6 + i * ETH_ALEN, mac, ETH_ALEN);
	memcpy(buf + SP_MAGIC_LEN, sp_relay_test_pw, pwlen);
	return SP_MAGIC_LEN + pwlen;
}

static bool sp_relay_test_for(struct kunit *test, const u8 *buf,
			      unsigned int len, const struct sp_host *host,
			      const struct sp_host_cfg *cfg)
{
	struct sk_buff *skb = sp_test_skb(test, buf, len);
	bool ret = sp_magic_for(skb, 0, len, host, cfg);

	kfree_skb(skb);
	return ret;
}

static void sp_relay_test_match(struct kunit *test)
{
	struct sp_host_cfg cfg = {};
	struct sp_host host = {};
	u8 buf[SP_MAGIC_LEN + 8];
	unsigned int len;

	ether_addr_copy(host.key.mac, sp_relay_test_mac);
	ether_addr_copy(cfg.magic.mac, sp_relay_test_wake);

	len = sp_relay_test_magic(buf, sp_relay_test_mac, 0);
	KUNIT_EXPECT_TRUE(test, sp_relay_test_for(test, buf, len, &host, &cfg));
	/* Trailing bytes do not matter without a password. */
	KUNIT_EXPECT_TRUE(test, sp_relay_test_for(test, buf, len + 4, &host,
						  &cfg));
	len = sp_relay_test_magic(buf, sp_relay_test_wake, 0);
	KUNIT_EXPECT_TRUE(test, sp_relay_test_for(test, buf, len, &host, &cfg));
	/* Too short, a bad sync stream, one copy of sixteen wrong. */
	KUNIT_EXPECT_FALSE(test, sp_relay_test_for(test, buf, len - 1, &host,
						   &cfg));
	buf[3] = 0xfe;
	KUNIT_EXPECT_FALSE(test, sp_relay_test_for(test, buf, len, &host,
						   &cfg));
	sp_relay_test_magic(buf, sp_relay_test_mac, 0);
	buf[6 + 15 * ETH_ALEN + 5] ^= 1;
	KUNIT_EXPECT_FALSE(test, sp_relay_test_for(test, buf, len, &host,
						   &cfg));
	/* Another MAC entirely. */
	sp_relay_test_magic(buf, sp_test_dev_mac, 0);
	KUNIT_EXPECT_FALSE(test, sp_relay_test_for(test, buf, len, &host,
						   &cfg));
}

static void sp_relay_test_password(struct kunit *test)
{
	struct sp_host_cfg cfg = {};
	struct sp_host host = {};
	u8 buf[SP_MAGIC_LEN + 8];
	unsigned int len;

	ether_addr_copy(host.key.mac, sp_relay_test_mac);
	ether_addr_copy(cfg.magic.mac, sp_relay_test_mac);
	cfg.magic.password_len = sizeof(sp_relay_test_pw);
	memcpy(cfg.magic.password, sp_relay_test_pw, sizeof(sp_relay_test_pw));

	len = sp_relay_test_magic(buf, sp_relay_test_mac, 4);
	KUNIT_EXPECT_TRUE(test, sp_relay_test_for(test, buf, len, &host, &cfg));
	/* Without it, with a wrong one, with it cut short. */
	KUNIT_EXPECT_FALSE(test, sp_relay_test_for(test, buf, SP_MAGIC_LEN,
						   &host, &cfg));
	KUNIT_EXPECT_FALSE(test, sp_relay_test_for(test, buf, len - 1, &host,
						   &cfg));
	buf[SP_MAGIC_LEN + 2] ^= 0x80;
	KUNIT_EXPECT_FALSE(test, sp_relay_test_for(test, buf, len, &host,
						   &cfg));
}

/* An IPv4 UDP datagram to @dport around a magic packet; returns its length. */
static unsigned int sp_relay_test_udp(u8 *buf, u16 dport, bool csum,
				      __be32 saddr, __be32 daddr)
{
	struct udphdr *uh = (struct udphdr *)buf;
	unsigned int len = sizeof(*uh) +
		sp_relay_test_magic(buf + sizeof(*uh), sp_relay_test_mac, 0);

	uh->source = htons(40000);
	uh->dest = htons(dport);
	uh->len = htons(len);
	uh->check = 0;
	if (csum)
		uh->check = csum_tcpudp_magic(saddr, daddr, len, IPPROTO_UDP,
					      csum_partial(buf, len, 0));
	return len;
}

static unsigned int sp_relay_test_wol(struct kunit *test, const u8 *buf,
				      unsigned int len, __be32 saddr,
				      __be32 daddr, bool v6)
{
	struct sk_buff *skb = sp_test_skb(test, buf, len);
	unsigned int ret;

	ret = sp_wol_udp(skb, 0, len,
			 csum_tcpudp_nofold(saddr, daddr, len, IPPROTO_UDP, 0),
			 v6);
	kfree_skb(skb);
	return ret;
}

static void sp_relay_test_udp_ports(struct kunit *test)
{
	__be32 s = htonl(0x0a000202), d = htonl(0xc0a80104);
	u8 buf[sizeof(struct udphdr) + SP_MAGIC_LEN];
	unsigned int len;

	len = sp_relay_test_udp(buf, 9, true, s, d);
	KUNIT_EXPECT_EQ(test, sp_relay_test_wol(test, buf, len, s, d, false),
			8U);
	len = sp_relay_test_udp(buf, 7, true, s, d);
	KUNIT_EXPECT_EQ(test, sp_relay_test_wol(test, buf, len, s, d, false),
			8U);
	/* No checksum: fine over IPv4, not over IPv6. */
	len = sp_relay_test_udp(buf, 9, false, s, d);
	KUNIT_EXPECT_EQ(test, sp_relay_test_wol(test, buf, len, s, d, false),
			8U);
	KUNIT_EXPECT_EQ(test, sp_relay_test_wol(test, buf, len, s, d, true),
			0U);
	/* Another port, a bad checksum, a length that disagrees. */
	len = sp_relay_test_udp(buf, 10, true, s, d);
	KUNIT_EXPECT_EQ(test, sp_relay_test_wol(test, buf, len, s, d, false),
			0U);
	len = sp_relay_test_udp(buf, 9, true, s, d);
	buf[20] ^= 1;
	KUNIT_EXPECT_EQ(test, sp_relay_test_wol(test, buf, len, s, d, false),
			0U);
	len = sp_relay_test_udp(buf, 9, false, s, d);
	KUNIT_EXPECT_EQ(test, sp_relay_test_wol(test, buf, len - 1, s, d,
						false), 0U);
	KUNIT_EXPECT_EQ(test, sp_relay_test_wol(test, buf, 4, s, d, false),
			0U);
}

static struct kunit_case sp_relay_test_cases[] = {
	KUNIT_CASE(sp_relay_test_match),
	KUNIT_CASE(sp_relay_test_password),
	KUNIT_CASE(sp_relay_test_udp_ports),
	{}
};

static struct kunit_suite sp_relay_test_suite = {
	.name = "sleepproxy_relay",
	.test_cases = sp_relay_test_cases,
};

kunit_test_suite(sp_relay_test_suite);
