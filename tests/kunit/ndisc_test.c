// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for Neighbor Discovery (kernel/ndisc.c, which includes this
 * file): solicitations classified per RFC 4861 7.1.1 at every truncation
 * length, with and without extension headers and options, their checksum,
 * and the advertisements and solicitations the proxy sends, byte for byte.
 */

#include <kunit/test.h>

#include "util.h"

/* A packet from its IPv6 header on; the ICMPv6 message at @off. */
struct sp_test_nd {
	u8 buf[160];
	unsigned int off;
	unsigned int len;	/* of the whole packet */
};

static const struct in6_addr sp_test_target = {
	.s6_addr = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x04 }
};

/* fe80::5054:ff:fe11:2233, the peer's link-local address */
static const struct in6_addr sp_test_peer6 = {
	.s6_addr = { 0xfe, 0x80, [8] = 0x50, 0x54, 0x00, 0xff, 0xfe, 0x11,
		     0x22, 0x33 }
};

static const u8 sp_test_peer_mac6[ETH_ALEN] __aligned(2) = {
	0x52, 0x54, 0x00, 0x11, 0x22, 0x33
};

static struct ipv6hdr *sp_test_nd_ip6h(struct sp_test_nd *p)
{
	return (struct ipv6hdr *)p->buf;
}

static struct nd_msg *sp_test_nd_msg(struct sp_test_nd *p)
{
	return (struct nd_msg *)(p->buf + p->off);
}

/* Fix up the payload length and the ICMPv6 checksum after editing. */
static void sp_test_nd_seal(struct sp_test_nd *p)
{
	struct ipv6hdr *ip6h = sp_test_nd_ip6h(p);
	unsigned int len = p->len - p->off;
	struct nd_msg *msg = sp_test_nd_msg(p);

	ip6h->payload_len = htons(p->len - sizeof(*ip6h));
	msg->icmph.icmp6_cksum = 0;
	msg->icmph.icmp6_cksum = csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr,
						 len, IPPROTO_ICMPV6,
						 csum_partial(msg, len, 0));
}

/*
 * Who has 2001:db8::4?  From the peer's link-local address to the
 * solicited-node group, with @exthdrs bytes of Hop-by-Hop (8) and then
 * Destination Options (8) headers in front, and a source link-layer
 * address option.
 */
static void sp_test_ns(struct sp_test_nd *p, unsigned int exthdrs)
{
	struct ipv6hdr *ip6h = sp_test_nd_ip6h(p);
	u8 *eh = p->buf + sizeof(*ip6h);
	struct nd_msg *msg;
	u8 *opt;

	memset(p, 0, sizeof(*p));
	ip6h->version = 6;
	ip6h->hop_limit = 255;
	ip6h->saddr = sp_test_peer6;
	addrconf_addr_solict_mult(&sp_test_target, &ip6h->daddr);
	ip6h->nexthdr = exthdrs ? NEXTHDR_HOP : IPPROTO_ICMPV6;
	/* PadN filling each header, then the next one. */
	if (exthdrs) {
		eh[0] = exthdrs > 8 ? NEXTHDR_DEST : IPPROTO_ICMPV6;
		eh[2] = 1;
		eh[3] = 4;
	}
	if (exthdrs > 8) {
		eh[8] = IPPROTO_ICMPV6;
		eh[10] = 1;
		eh[11] = 4;
	}
	p->off = sizeof(*ip6h) + exthdrs;
	msg = sp_test_nd_msg(p);
	msg->icmph.icmp6_type = NDISC_NEIGHBOUR_SOLICITATION;
	msg->target = sp_test_target;
	opt = msg->opt;
	opt[0] = ND_OPT_SOURCE_LL_ADDR;
	opt[1] = 1;
	ether_addr_copy(opt + 2, sp_test_peer_mac6);
	p->len = p->off + sizeof(*msg) + 8;
	sp_test_nd_seal(p);
}

/* The same as a DAD probe: from ::, no source link-layer address. */
static void sp_test_dad(struct sp_test_nd *p)
{
	sp_test_ns(p, 0);
	sp_test_nd_ip6h(p)->saddr = in6addr_any;
	p->len -= 8;
	sp_test_nd_seal(p);
}

static enum sp_ns_kind sp_test_ns_parse(struct kunit *test,
					struct sp_test_nd *p, unsigned int len,
					struct sp_ns *ns)
{
	struct sk_buff *skb = sp_test_skb(test, p->buf, p->off + len);
	enum sp_ns_kind kind;

	kind = sp_ns_parse(skb, sp_test_nd_ip6h(p), p->off, len, ns);
	kfree_skb(skb);
	return kind;
}

static enum sp_ns_kind sp_test_ns_kind(struct kunit *test,
				       struct sp_test_nd *p)
{
	struct sp_ns ns;

	return sp_test_ns_parse(test, p, p->len - p->off, &ns);
}

static void sp_ndisc_test_solicit(struct kunit *test)
{
	static const unsigned int exthdrs[] = { 0, 8, 16 };
	struct sp_test_nd p;
	struct sp_ns ns;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(exthdrs); i++) {
		sp_test_ns(&p, exthdrs[i]);
		KUNIT_EXPECT_EQ(test, sp_test_ns_parse(test, &p, p.len - p.off,
						       &ns), SP_NS_SOLICIT);
		KUNIT_EXPECT_TRUE(test, ns.has_target);
		KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&ns.target,
							&sp_test_target));
	}

	/* Unicast, to the address itself (reachability); no option. */
	sp_test_ns(&p, 0);
	sp_test_nd_ip6h(&p)->daddr = sp_test_target;
	p.len -= 8;
	sp_test_nd_seal(&p);
	KUNIT_EXPECT_EQ(test, sp_test_ns_kind(test, &p), SP_NS_SOLICIT);

	/* An option of a type nobody knows is skipped. */
	sp_test_ns(&p, 0);
	p.buf[p.len] = 200;
	p.buf[p.len + 1] = 1;
	p.len += 8;
	sp_test_nd_seal(&p);
	KUNIT_EXPECT_EQ(test, sp_test_ns_kind(test, &p), SP_NS_SOLICIT);

	/* Other ICMPv6 messages are none of this code's business. */
	sp_test_ns(&p, 0);
	sp_test_nd_msg(&p)->icmph.icmp6_type = NDISC_NEIGHBOUR_ADVERTISEMENT;
	sp_test_nd_seal(&p);
	KUNIT_EXPECT_EQ(test, sp_test_ns_kind(test, &p), SP_NS_NONE);
	sp_test_nd_msg(&p)->icmph.icmp6_type = ICMPV6_ECHO_REQUEST;
	sp_test_nd_seal(&p);
	KUNIT_EXPECT_EQ(test, sp_test_ns_kind(test, &p), SP_NS_NONE);
}

static void sp_ndisc_test_dad(struct kunit *test)
{
	struct sp_test_nd p;

	sp_test_dad(&p);
	KUNIT_EXPECT_EQ(test, sp_test_ns_kind(test, &p), SP_NS_DAD);

	/* A probe names no sender... */
	sp_test_ns(&p, 0);
	sp_test_nd_ip6h(&p)->saddr = in6addr_any;
	sp_test_nd_seal(&p);
	KUNIT_EXPECT_EQ(test, sp_test_ns_kind(test, &p), SP_NS_MALFORMED);
	/* ...and goes to the solicited-node group. */
	sp_test_dad(&p);
	sp_test_nd_ip6h(&p)->daddr = sp_test_target;
	sp_test_nd_seal(&p);
	KUNIT_EXPECT_EQ(test, sp_test_ns_kind(test, &p), SP_NS_MALFORMED);
}

/* RFC 4861 7.1.1, one check at a time. */
static void sp_ndisc_test_malformed(struct kunit *test)
{
	struct sp_test_nd p;
	struct sp_ns ns;
	unsigned int len;

	/*
	 * Every truncation, the payload length following it: only the one
	 * that drops the option as a whole leaves a solicitation.
	 */
	sp_test_ns(&p, 8);
	for (len = 0; len < p.len - p.off; len++) {
		enum sp_ns_kind kind = sp_test_ns_parse(test, &p, len, &ns);

		if (!len)
			KUNIT_EXPECT_EQ(test, kind, SP_NS_NONE);
		else if (len == sizeof(struct nd_msg))
			KUNIT_EXPECT_EQ(test, kind, SP_NS_SOLICIT);
		else
			KUNIT_EXPECT_EQ(test, kind, SP_NS_MALFORMED);
		KUNIT_EXPECT_EQ(test, ns.has_target,
				len >= sizeof(struct nd_msg));
	}

	sp_test_ns(&p, 0);
	sp_test_nd_ip6h(&p)->hop_limit = 254;
	KUNIT_EXPECT_EQ(test, sp_test_ns_kind(test, &p), SP_NS_MALFORMED);
	sp_test_nd_ip6h(&p)->hop_limit = 64;
	KUNIT_EXPECT_EQ(test, sp_test_ns_kind(test, &p), SP_NS_MALFORMED);

	sp_test_ns(&p, 0);
	sp_test_nd_msg(&p)->icmph.icmp6_code = 1;
	sp_test_nd_seal(&p);
	KUNIT_EXPECT_EQ(test, sp_test_ns_kind(test, &p), SP_NS_MALFORMED);

	sp_test_ns(&p, 0);
	sp_test_nd_msg(&p)->target.s6_addr[0] = 0xff;
	sp_test_nd_seal(&p);
	KUNIT_EXPECT_EQ(test, sp_test_ns_kind(test, &p), SP_NS_MALFORMED);

	sp_test_ns(&p, 0);
	sp_test_nd_ip6h(&p)->saddr.s6_addr[0] = 0xff;
	sp_test_nd_seal(&p);
	KUNIT_EXPECT_EQ(test, sp_test_ns_kind(test, &p), SP_NS_MALFORMED);

	/* An option of length 0, one running past the end, a stray byte. */
	sp_test_ns(&p, 0);
	sp_test_nd_msg(&p)->opt[1] = 0;
	sp_test_nd_seal(&p);
	KUNIT_EXPECT_EQ(test, sp_test_ns_kind(test, &p), SP_NS_MALFORMED);
	sp_test_nd_msg(&p)->opt[1] = 2;
	sp_test_nd_seal(&p);
	KUNIT_EXPECT_EQ(test, sp_test_ns_kind(test, &p), SP_NS_MALFORMED);
	sp_test_ns(&p, 0);
	p.len += 1;
	sp_test_nd_seal(&p);
	KUNIT_EXPECT_EQ(test, sp_test_ns_kind(test, &p), SP_NS_MALFORMED);
}

static bool sp_test_nd_csum(struct kunit *test, struct sp_test_nd *p,
			    u8 ip_summed)
{
	struct sk_buff *skb = sp_test_skb(test, p->buf, p->len + 6);
	bool ok;

	skb->ip_summed = ip_summed;
	ok = sp_ndisc_csum_ok(skb, sp_test_nd_ip6h(p), p->off,
			      p->len - p->off);
	kfree_skb(skb);
	return ok;
}

static void sp_ndisc_test_csum(struct kunit *test)
{
	struct sp_test_nd p;

	sp_test_ns(&p, 16);
	KUNIT_EXPECT_TRUE(test, sp_test_nd_csum(test, &p, CHECKSUM_NONE));
	/* Covers the pseudo-header, not only the message. */
	sp_test_nd_ip6h(&p)->saddr.s6_addr[15] ^= 1;
	KUNIT_EXPECT_FALSE(test, sp_test_nd_csum(test, &p, CHECKSUM_NONE));
	sp_test_ns(&p, 0);
	sp_test_nd_msg(&p)->target.s6_addr[15] ^= 1;
	KUNIT_EXPECT_FALSE(test, sp_test_nd_csum(test, &p, CHECKSUM_NONE));
	/* What the driver vouched for is not checked again. */
	KUNIT_EXPECT_TRUE(test, sp_test_nd_csum(test, &p,
						CHECKSUM_UNNECESSARY));
}

/* Generated with an independent implementation of RFC 4443 checksums. */
static const u8 sp_test_na_solicited_bytes[] = {
	0x52, 0x54, 0x00, 0x11, 0x22, 0x33, 0x02, 0x00,
	0x00, 0x00, 0x00, 0x01, 0x86, 0xdd, 0x60, 0x00,
	0x00, 0x00, 0x00, 0x20, 0x3a, 0xff, 0x20, 0x01,
	0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0xfe, 0x80,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x50, 0x54,
	0x00, 0xff, 0xfe, 0x11, 0x22, 0x33, 0x88, 0x00,
	0x48, 0x0f, 0x60, 0x00, 0x00, 0x00, 0x20, 0x01,
	0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x02, 0x01,
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
};

/* To all nodes, Override without Solicited: the DAD defence. */
static const u8 sp_test_na_dad_bytes[] = {
	0x33, 0x33, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00,
	0x00, 0x00, 0x00, 0x01, 0x86, 0xdd, 0x60, 0x00,
	0x00, 0x00, 0x00, 0x20, 0x3a, 0xff, 0x20, 0x01,
	0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0xff, 0x02,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x88, 0x00,
	0xf9, 0x24, 0x20, 0x00, 0x00, 0x00, 0x20, 0x01,
	0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x02, 0x01,
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
};

/* The same with the host's own MAC, once it is awake. */
static const u8 sp_test_na_repair_bytes[] = {
	0x33, 0x33, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00,
	0x00, 0x00, 0x00, 0x01, 0x86, 0xdd, 0x60, 0x00,
	0x00, 0x00, 0x00, 0x20, 0x3a, 0xff, 0x20, 0x01,
	0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0xff, 0x02,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x88, 0x00,
	0xec, 0x5a, 0x20, 0x00, 0x00, 0x00, 0x20, 0x01,
	0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x02, 0x01,
	0x52, 0x54, 0x00, 0xaa, 0xbb, 0xcc,
};

/*
 * Is fe80::5054:ff:feaa:bbcc up?  To the host's MAC, from an interface
 * with no IPv6 address: a DAD-style probe, which the host defends.
 */
static const u8 sp_test_ns_probe_bytes[] = {
	0x52, 0x54, 0x00, 0xaa, 0xbb, 0xcc, 0x02, 0x00,
	0x00, 0x00, 0x00, 0x01, 0x86, 0xdd, 0x60, 0x00,
	0x00, 0x00, 0x00, 0x18, 0x3a, 0xff, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0x02,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x01, 0xff, 0xaa, 0xbb, 0xcc, 0x87, 0x00,
	0xb3, 0xe5, 0x00, 0x00, 0x00, 0x00, 0xfe, 0x80,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x50, 0x54,
	0x00, 0xff, 0xfe, 0xaa, 0xbb, 0xcc,
};

static const u8 sp_test_host_mac6[ETH_ALEN] __aligned(2) = {
	0x52, 0x54, 0x00, 0xaa, 0xbb, 0xcc
};

/* @skb is the IPv6 frame @want, byte for byte, from @dev; frees it. */
static void sp_test_expect_frame6(struct kunit *test, struct sk_buff *skb,
				  struct net_device *dev, const u8 *want,
				  unsigned int len)
{
	KUNIT_ASSERT_NOT_NULL(test, skb);
	/* What the output hook's continuation puts in front. */
	skb = sp_nd_push_ll(skb);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_EXPECT_EQ(test, skb->len, len);
	KUNIT_EXPECT_EQ(test, memcmp(skb->data, want, min(skb->len, len)), 0);
	KUNIT_EXPECT_EQ(test, skb->protocol, htons(ETH_P_IPV6));
	KUNIT_EXPECT_PTR_EQ(test, skb->dev, dev);
	kfree_skb(skb);
}

static void sp_ndisc_test_na_bytes(struct kunit *test)
{
	struct net_device *dev = sp_test_dev(test);
	struct sp_test_nd p;
	struct sk_buff *skb;
	struct sp_ns ns;

	/* The reply goes to the frame's sender, whatever the option says. */
	sp_test_ns(&p, 8);
	KUNIT_ASSERT_EQ(test, sp_test_ns_parse(test, &p, p.len - p.off, &ns),
			SP_NS_SOLICIT);
	skb = alloc_skb(ETH_HLEN + p.len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reset_mac_header(skb);
	ether_addr_copy(skb_put(skb, ETH_ALEN), sp_test_host_mac6);
	ether_addr_copy(skb_put(skb, ETH_ALEN), sp_test_peer_mac6);
	put_unaligned_be16(ETH_P_IPV6, skb_put(skb, 2));
	skb_pull(skb, ETH_HLEN);
	memset(sp_test_nd_msg(&p)->opt + 2, 0xee, ETH_ALEN);
	skb_put_data(skb, p.buf, p.len);
	sp_test_expect_frame6(test, sp_na_reply(dev, skb, sp_test_nd_ip6h(&p),
						SP_NS_SOLICIT, &ns),
			      dev, sp_test_na_solicited_bytes,
			      sizeof(sp_test_na_solicited_bytes));
	sp_test_expect_frame6(test, sp_na_reply(dev, skb, sp_test_nd_ip6h(&p),
						SP_NS_DAD, &ns),
			      dev, sp_test_na_dad_bytes,
			      sizeof(sp_test_na_dad_bytes));
	kfree_skb(skb);

	sp_test_expect_frame6(test, sp_na_unsolicited(dev, &sp_test_target,
						      sp_test_host_mac6),
			      dev, sp_test_na_repair_bytes,
			      sizeof(sp_test_na_repair_bytes));
	free_netdev(dev);
}

static void sp_ndisc_test_ns_bytes(struct kunit *test)
{
	struct net_device *dev = sp_test_dev(test);
	struct in6_addr target = {
		.s6_addr = { 0xfe, 0x80, [8] = 0x50, 0x54, 0x00, 0xff, 0xfe,
			     0xaa, 0xbb, 0xcc }
	};

	sp_test_expect_frame6(test, sp_ns_build(dev, sp_test_host_mac6,
						&target),
			      dev, sp_test_ns_probe_bytes,
			      sizeof(sp_test_ns_probe_bytes));
	free_netdev(dev);
}

/* Random and mutated solicitations, behind random extension headers. */
static void sp_ndisc_test_fuzz(struct kunit *test)
{
	struct sp_test_nd valid;
	struct rnd_state st;
	unsigned int i, len, seen[4] = {};
	u8 buf[sizeof(valid.buf) + 8] __aligned(8);
	enum sp_ns_kind kind;
	struct sk_buff *skb;
	struct sp_ns ns;

	prandom_seed_state(&st, 0x5eed0004);
	for (i = 0; i < SP_TEST_FUZZ_FRAMES; i++) {
		sp_test_ns(&valid, (i % 3) * 8);
		if (i % 4 == 0)
			sp_test_dad(&valid);
		len = sp_test_mutate(&st, buf, valid.buf, valid.len);
		if (len < valid.off)
			continue;
		skb = sp_test_skb(test, buf, len);
		kind = sp_ns_parse(skb, (struct ipv6hdr *)buf, valid.off,
				   len - valid.off, &ns);
		KUNIT_ASSERT_LE(test, (unsigned int)kind, SP_NS_DAD);
		seen[kind]++;
		if (kind == SP_NS_SOLICIT || kind == SP_NS_DAD) {
			KUNIT_ASSERT_TRUE(test, ns.has_target);
			KUNIT_ASSERT_FALSE(test, ipv6_addr_is_multicast(&ns.target));
			sp_ndisc_csum_ok(skb, (struct ipv6hdr *)buf, valid.off,
					 len - valid.off);
		}
		kfree_skb(skb);
	}
	for (i = 0; i < ARRAY_SIZE(seen); i++)
		KUNIT_EXPECT_GT(test, seen[i], 0U);
}

static struct kunit_case sp_ndisc_test_cases[] = {
	KUNIT_CASE(sp_ndisc_test_solicit),
	KUNIT_CASE(sp_ndisc_test_dad),
	KUNIT_CASE(sp_ndisc_test_malformed),
	KUNIT_CASE(sp_ndisc_test_csum),
	KUNIT_CASE(sp_ndisc_test_na_bytes),
	KUNIT_CASE(sp_ndisc_test_ns_bytes),
	KUNIT_CASE(sp_ndisc_test_fuzz),
	{}
};

static struct kunit_suite sp_ndisc_test_suite = {
	.name = "sleepproxy_ndisc",
	.test_cases = sp_ndisc_test_cases,
};

kunit_test_suite(sp_ndisc_test_suite);
