// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for ARP classification and the frames the proxy answers
 * with (kernel/arp.c, which includes this file).
 */

#include <kunit/test.h>

#include "util.h"

static const u8 sp_test_peer_mac[ETH_ALEN] __aligned(2) = {
	0x52, 0x54, 0x00, 0x11, 0x22, 0x33
};

/* who-has 192.168.1.4 tell 192.168.1.2, from the peer */
static void sp_test_arp_req(struct sp_arp_eth *a)
{
	memset(a, 0, sizeof(*a));
	a->hdr.ar_hrd = htons(ARPHRD_ETHER);
	a->hdr.ar_pro = htons(ETH_P_IP);
	a->hdr.ar_hln = ETH_ALEN;
	a->hdr.ar_pln = 4;
	a->hdr.ar_op = htons(ARPOP_REQUEST);
	ether_addr_copy(a->sender_mac, sp_test_peer_mac);
	a->sender_ip = htonl(0xc0a80102);
	a->target_ip = htonl(0xc0a80104);
}

/* Classify @skb, and free it; the packet as read into @out. */
static enum sp_arp_kind sp_test_arp_classify_skb(struct sk_buff *skb,
						 struct sp_arp_eth *out)
{
	const struct sp_arp_eth *arp = NULL;
	struct sp_arp_eth buf;
	enum sp_arp_kind kind = sp_arp_parse(skb, &buf, &arp);

	if (arp)
		memcpy(out, arp, sizeof(*out));
	else
		memset(out, 0, sizeof(*out));
	kfree_skb(skb);
	return kind;
}

static enum sp_arp_kind sp_test_arp_classify(struct kunit *test,
					     const void *a, unsigned int len,
					     struct sp_arp_eth *out)
{
	return sp_test_arp_classify_skb(sp_test_skb(test, a, len), out);
}

static void sp_arp_test_request(struct kunit *test)
{
	struct sp_arp_eth a, out;

	sp_test_arp_req(&a);
	KUNIT_EXPECT_EQ(test, sp_test_arp_classify(test, &a, sizeof(a), &out),
			SP_ARP_REQUEST);
	KUNIT_EXPECT_EQ(test, out.target_ip, htonl(0xc0a80104));
	KUNIT_EXPECT_EQ(test, out.sender_ip, htonl(0xc0a80102));
	KUNIT_EXPECT_TRUE(test, ether_addr_equal(out.sender_mac, sp_test_peer_mac));

	/* IEEE 802 hardware type is Ethernet too; so is padding after. */
	a.hdr.ar_hrd = htons(ARPHRD_IEEE802);
	KUNIT_EXPECT_EQ(test, sp_test_arp_classify(test, &a, sizeof(a), &out),
			SP_ARP_REQUEST);
}

/*
 * Read in place when the packet is linear, from a copy when it is not:
 * the same answer wherever the packet is split.
 */
static void sp_arp_test_split(struct kunit *test)
{
	struct sp_arp_eth a, out;
	struct sk_buff *skb;
	unsigned int head;

	sp_test_arp_req(&a);
	for (head = 1; head < sizeof(a); head++) {
		skb = sp_test_skb_split(test, &a, sizeof(a), head);
		KUNIT_EXPECT_EQ(test, sp_test_arp_classify_skb(skb, &out),
				SP_ARP_REQUEST);
		KUNIT_EXPECT_EQ(test, memcmp(&out, &a, sizeof(a)), 0);
	}
	/* Short, however split. */
	skb = sp_test_skb_split(test, &a, sizeof(a) - 1, 8);
	KUNIT_EXPECT_EQ(test, sp_test_arp_classify_skb(skb, &out),
			SP_ARP_MALFORMED);
}

static void sp_arp_test_probe(struct kunit *test)
{
	struct sp_arp_eth a, out;

	sp_test_arp_req(&a);
	a.sender_ip = 0;
	KUNIT_EXPECT_EQ(test, sp_test_arp_classify(test, &a, sizeof(a), &out),
			SP_ARP_PROBE);
}

static void sp_arp_test_ignored(struct kunit *test)
{
	struct sp_arp_eth a, out;

	/* Replies are not questions. */
	sp_test_arp_req(&a);
	a.hdr.ar_op = htons(ARPOP_REPLY);
	KUNIT_EXPECT_EQ(test, sp_test_arp_classify(test, &a, sizeof(a), &out),
			SP_ARP_IGNORE);
	/* Announcements (gratuitous ARP) neither. */
	sp_test_arp_req(&a);
	a.sender_ip = a.target_ip;
	KUNIT_EXPECT_EQ(test, sp_test_arp_classify(test, &a, sizeof(a), &out),
			SP_ARP_IGNORE);
	/* Nobody holds multicast, broadcast or 0.x.x.x addresses. */
	sp_test_arp_req(&a);
	a.target_ip = htonl(0xe0000001);
	KUNIT_EXPECT_EQ(test, sp_test_arp_classify(test, &a, sizeof(a), &out),
			SP_ARP_IGNORE);
	a.target_ip = htonl(0xffffffff);
	KUNIT_EXPECT_EQ(test, sp_test_arp_classify(test, &a, sizeof(a), &out),
			SP_ARP_IGNORE);
	a.target_ip = 0;
	KUNIT_EXPECT_EQ(test, sp_test_arp_classify(test, &a, sizeof(a), &out),
			SP_ARP_IGNORE);
	sp_test_arp_req(&a);
	a.sender_ip = htonl(0xe0000001);
	KUNIT_EXPECT_EQ(test, sp_test_arp_classify(test, &a, sizeof(a), &out),
			SP_ARP_IGNORE);
}

static void sp_arp_test_malformed(struct kunit *test)
{
	struct sp_arp_eth a, out;
	unsigned int len;

	sp_test_arp_req(&a);
	for (len = 0; len < sizeof(a); len++)
		KUNIT_EXPECT_EQ(test, sp_test_arp_classify(test, &a, len, &out),
				SP_ARP_MALFORMED);

	a.hdr.ar_hrd = htons(ARPHRD_INFINIBAND);
	KUNIT_EXPECT_EQ(test, sp_test_arp_classify(test, &a, sizeof(a), &out),
			SP_ARP_MALFORMED);
	sp_test_arp_req(&a);
	a.hdr.ar_pro = htons(ETH_P_IPV6);
	KUNIT_EXPECT_EQ(test, sp_test_arp_classify(test, &a, sizeof(a), &out),
			SP_ARP_MALFORMED);
	sp_test_arp_req(&a);
	a.hdr.ar_hln = 8;
	KUNIT_EXPECT_EQ(test, sp_test_arp_classify(test, &a, sizeof(a), &out),
			SP_ARP_MALFORMED);
	sp_test_arp_req(&a);
	a.hdr.ar_pln = 16;
	KUNIT_EXPECT_EQ(test, sp_test_arp_classify(test, &a, sizeof(a), &out),
			SP_ARP_MALFORMED);
	/* A sender that is not a unicast station. */
	sp_test_arp_req(&a);
	a.sender_mac[0] = 0x01;
	KUNIT_EXPECT_EQ(test, sp_test_arp_classify(test, &a, sizeof(a), &out),
			SP_ARP_MALFORMED);
	eth_zero_addr(a.sender_mac);
	KUNIT_EXPECT_EQ(test, sp_test_arp_classify(test, &a, sizeof(a), &out),
			SP_ARP_MALFORMED);
}

/* @skb is the frame @want, byte for byte, from @dev; frees it. */
static void sp_test_expect_frame(struct kunit *test, struct sk_buff *skb,
				 struct net_device *dev, const u8 *want,
				 unsigned int len)
{
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_EXPECT_EQ(test, skb->len, len);
	KUNIT_EXPECT_EQ(test, memcmp(skb->data, want, min(skb->len, len)), 0);
	KUNIT_EXPECT_EQ(test, skb->protocol, htons(ETH_P_ARP));
	KUNIT_EXPECT_PTR_EQ(test, skb->dev, dev);
	kfree_skb(skb);
}

/* The reply to sp_test_arp_req(). */
static const u8 sp_test_arp_reply_bytes[] = {
	/* Ethernet: to the asker, from the gateway, ARP */
	0x52, 0x54, 0x00, 0x11, 0x22, 0x33,
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x08, 0x06,
	/* Ethernet, IPv4, 6, 4, reply */
	0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x02,
	/* 192.168.1.4 is at the gateway's MAC */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 192, 168, 1, 4,
	/* to the asker, 192.168.1.2 */
	0x52, 0x54, 0x00, 0x11, 0x22, 0x33, 192, 168, 1, 2,
};

/* The reply to the same question as a probe: the prober has no address. */
static const u8 sp_test_probe_reply_bytes[] = {
	0x52, 0x54, 0x00, 0x11, 0x22, 0x33,
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x08, 0x06,
	0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x02,
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 192, 168, 1, 4,
	0x52, 0x54, 0x00, 0x11, 0x22, 0x33, 0, 0, 0, 0,
};

static void sp_arp_test_reply_bytes(struct kunit *test)
{
	struct net_device *dev = sp_test_dev(test);
	struct sp_arp_eth req;

	sp_test_arp_req(&req);
	sp_test_expect_frame(test, sp_arp_reply(dev, &req), dev,
			     sp_test_arp_reply_bytes,
			     sizeof(sp_test_arp_reply_bytes));
	req.sender_ip = 0;
	sp_test_expect_frame(test, sp_arp_reply(dev, &req), dev,
			     sp_test_probe_reply_bytes,
			     sizeof(sp_test_probe_reply_bytes));
	free_netdev(dev);
}

static const u8 sp_test_garp_bytes[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x08, 0x06,
	0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
	/* the host's own MAC, once it is awake */
	0x52, 0x54, 0x00, 0xaa, 0xbb, 0xcc, 192, 168, 1, 4,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 192, 168, 1, 4,
};

static void sp_arp_test_garp_bytes(struct kunit *test)
{
	static const u8 host_mac[ETH_ALEN] __aligned(2) = {
		0x52, 0x54, 0x00, 0xaa, 0xbb, 0xcc
	};
	struct net_device *dev = sp_test_dev(test);

	sp_test_expect_frame(test, sp_arp_garp(dev, host_mac, htonl(0xc0a80104)),
			     dev, sp_test_garp_bytes, sizeof(sp_test_garp_bytes));
	free_netdev(dev);
}

/* Random and mutated frames: no crash, no read past the data, a kind. */
static void sp_arp_test_fuzz(struct kunit *test)
{
	struct sp_arp_eth valid, out;
	struct rnd_state st;
	u8 buf[sizeof(valid) + 8];
	unsigned int i, len, seen[4] = {};
	enum sp_arp_kind kind;

	prandom_seed_state(&st, 0x5eed0001);
	for (i = 0; i < SP_TEST_FUZZ_FRAMES; i++) {
		/* Mutated requests and probes. */
		sp_test_arp_req(&valid);
		if (i % 2)
			valid.sender_ip = 0;
		len = sp_test_mutate(&st, buf, (const u8 *)&valid, sizeof(valid));
		kind = sp_test_arp_classify(test, buf, len, &out);
		KUNIT_ASSERT_LE(test, (unsigned int)kind, SP_ARP_PROBE);
		seen[kind]++;
		/* Whatever is answered is a well-formed question. */
		if (kind == SP_ARP_REQUEST || kind == SP_ARP_PROBE) {
			KUNIT_ASSERT_GE(test, len, sizeof(valid));
			KUNIT_ASSERT_TRUE(test, is_valid_ether_addr(out.sender_mac));
			KUNIT_ASSERT_EQ(test, out.hdr.ar_op, htons(ARPOP_REQUEST));
		}
	}
	/* The mutations reach every outcome. */
	for (i = 0; i < ARRAY_SIZE(seen); i++)
		KUNIT_EXPECT_GT(test, seen[i], 0U);
}

static struct kunit_case sp_arp_test_cases[] = {
	KUNIT_CASE(sp_arp_test_request),
	KUNIT_CASE(sp_arp_test_split),
	KUNIT_CASE(sp_arp_test_probe),
	KUNIT_CASE(sp_arp_test_ignored),
	KUNIT_CASE(sp_arp_test_malformed),
	KUNIT_CASE(sp_arp_test_reply_bytes),
	KUNIT_CASE(sp_arp_test_garp_bytes),
	KUNIT_CASE(sp_arp_test_fuzz),
	{}
};

static struct kunit_suite sp_arp_test_suite = {
	.name = "sleepproxy_arp",
	.test_cases = sp_arp_test_cases,
};

kunit_test_suite(sp_arp_test_suite);
