// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the IPv6 checks and the extension header walk
 * (kernel/ipv6.c, which includes this file), and TCP SYNs over IPv6.
 */

#include <kunit/test.h>

#include "util.h"

/* An IPv6 packet: header, room for extension headers, TCP, padding. */
struct sp_test_pkt6 {
	u8 buf[256];
	unsigned int off;	/* of the TCP header */
	unsigned int len;	/* bytes on the wire */
};

static struct ipv6hdr *sp_test_ip6h(struct sp_test_pkt6 *p)
{
	return (struct ipv6hdr *)p->buf;
}

static struct tcphdr *sp_test_th6(struct sp_test_pkt6 *p)
{
	return (struct tcphdr *)(p->buf + p->off);
}

static void sp_test_pkt6_seal(struct sp_test_pkt6 *p)
{
	struct ipv6hdr *ip6h = sp_test_ip6h(p);
	unsigned int len = p->len - p->off;
	struct tcphdr *th = sp_test_th6(p);

	ip6h->payload_len = htons(p->len - sizeof(*ip6h));
	th->check = 0;
	th->check = csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr, len,
				    IPPROTO_TCP, csum_partial(th, len, 0));
}

/*
 * [2001:db8::2]:40000 -> [2001:db8::4]:22, SYN, behind the extension
 * headers @types (each 8 bytes, PadN inside; a routing header gets type
 * @rt_type and @segleft segments left).
 */
static void sp_test_syn6(struct sp_test_pkt6 *p, const u8 *types,
			 unsigned int n, u8 rt_type, u8 segleft)
{
	struct ipv6hdr *ip6h = sp_test_ip6h(p);
	u8 *next = &ip6h->nexthdr;
	struct tcphdr *th;
	unsigned int i;
	u8 *eh;

	memset(p, 0, sizeof(*p));
	ip6h->version = 6;
	ip6h->hop_limit = 64;
	ip6h->saddr.s6_addr[0] = 0x20;
	ip6h->saddr.s6_addr[1] = 0x01;
	ip6h->saddr.s6_addr[2] = 0x0d;
	ip6h->saddr.s6_addr[3] = 0xb8;
	ip6h->daddr = ip6h->saddr;
	ip6h->saddr.s6_addr[15] = 2;
	ip6h->daddr.s6_addr[15] = 4;
	p->off = sizeof(*ip6h);
	for (i = 0; i < n; i++) {
		eh = p->buf + p->off;
		*next = types[i];
		next = &eh[0];
		if (types[i] == NEXTHDR_ROUTING) {
			eh[2] = rt_type;
			eh[3] = segleft;
		} else {
			eh[2] = 1;
			eh[3] = 4;
		}
		p->off += 8;
	}
	*next = IPPROTO_TCP;
	th = sp_test_th6(p);
	th->source = htons(40000);
	th->dest = htons(22);
	th->seq = htonl(1);
	th->doff = sizeof(*th) / 4;
	th->syn = 1;
	th->window = htons(64800);
	p->len = p->off + sizeof(*th);
	sp_test_pkt6_seal(p);
}

static enum sp_ipv6_kind sp_test_ipv6(struct kunit *test,
				      struct sp_test_pkt6 *p, unsigned int len,
				      struct sp_ipv6_pkt *pkt)
{
	struct sk_buff *skb = sp_test_skb(test, p->buf, len);
	enum sp_ipv6_kind kind = sp_ipv6_parse(skb, pkt);

	kfree_skb(skb);
	return kind;
}

static void sp_ipv6_test_valid(struct kunit *test)
{
	static const u8 hbh[] = { NEXTHDR_HOP };
	static const u8 all[] = { NEXTHDR_HOP, NEXTHDR_DEST, NEXTHDR_ROUTING,
				  NEXTHDR_DEST };
	struct sp_ipv6_pkt pkt;
	struct sp_test_pkt6 p;

	sp_test_syn6(&p, NULL, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, sp_test_ipv6(test, &p, p.len, &pkt), SP_IPV6_OK);
	KUNIT_EXPECT_EQ(test, pkt.proto, IPPROTO_TCP);
	KUNIT_EXPECT_EQ(test, pkt.off, 40);
	KUNIT_EXPECT_EQ(test, pkt.len, 20);
	KUNIT_EXPECT_EQ(test, memcmp(&pkt.hdr, p.buf, sizeof(pkt.hdr)), 0);
	/* Ethernet pads short frames: bytes after the payload do not count. */
	KUNIT_EXPECT_EQ(test, sp_test_ipv6(test, &p, p.len + 6, &pkt),
			SP_IPV6_OK);
	KUNIT_EXPECT_EQ(test, pkt.len, 20);

	sp_test_syn6(&p, hbh, ARRAY_SIZE(hbh), 0, 0);
	KUNIT_EXPECT_EQ(test, sp_test_ipv6(test, &p, p.len, &pkt), SP_IPV6_OK);
	KUNIT_EXPECT_EQ(test, pkt.off, 48);
	/* A type 2 routing header with no segments left is not a detour. */
	sp_test_syn6(&p, all, ARRAY_SIZE(all), IPV6_SRCRT_TYPE_2, 0);
	KUNIT_EXPECT_EQ(test, sp_test_ipv6(test, &p, p.len, &pkt), SP_IPV6_OK);
	KUNIT_EXPECT_EQ(test, pkt.proto, IPPROTO_TCP);
	KUNIT_EXPECT_EQ(test, pkt.off, 72);
	KUNIT_EXPECT_EQ(test, pkt.len, 20);
}

static void sp_ipv6_test_malformed(struct kunit *test)
{
	static const u8 late_hbh[] = { NEXTHDR_DEST, NEXTHDR_HOP };
	static const u8 many[] = { NEXTHDR_HOP, NEXTHDR_DEST, NEXTHDR_DEST,
				   NEXTHDR_DEST, NEXTHDR_DEST, NEXTHDR_DEST,
				   NEXTHDR_DEST, NEXTHDR_DEST, NEXTHDR_DEST };
	static const u8 dst[] = { NEXTHDR_DEST };
	struct sp_ipv6_pkt pkt;
	struct sp_test_pkt6 p;
	unsigned int len;

	sp_test_syn6(&p, dst, ARRAY_SIZE(dst), 0, 0);
	for (len = 0; len < p.len; len++)
		KUNIT_EXPECT_EQ(test, sp_test_ipv6(test, &p, len, &pkt),
				SP_IPV6_MALFORMED);

	sp_test_syn6(&p, NULL, 0, 0, 0);
	sp_test_ip6h(&p)->version = 4;
	KUNIT_EXPECT_EQ(test, sp_test_ipv6(test, &p, p.len, &pkt),
			SP_IPV6_MALFORMED);
	sp_test_syn6(&p, NULL, 0, 0, 0);
	sp_test_ip6h(&p)->payload_len = 0;
	KUNIT_EXPECT_EQ(test, sp_test_ipv6(test, &p, p.len, &pkt),
			SP_IPV6_MALFORMED);

	/* Hop-by-Hop Options only right after the IPv6 header. */
	sp_test_syn6(&p, late_hbh, ARRAY_SIZE(late_hbh), 0, 0);
	KUNIT_EXPECT_EQ(test, sp_test_ipv6(test, &p, p.len, &pkt),
			SP_IPV6_MALFORMED);
	/* No end of chains. */
	sp_test_syn6(&p, many, 8, 0, 0);
	KUNIT_EXPECT_EQ(test, sp_test_ipv6(test, &p, p.len, &pkt), SP_IPV6_OK);
	sp_test_syn6(&p, many, ARRAY_SIZE(many), 0, 0);
	KUNIT_EXPECT_EQ(test, sp_test_ipv6(test, &p, p.len, &pkt),
			SP_IPV6_MALFORMED);
	/* An extension header longer than the payload. */
	sp_test_syn6(&p, dst, ARRAY_SIZE(dst), 0, 0);
	p.buf[41] = 3;
	KUNIT_EXPECT_EQ(test, sp_test_ipv6(test, &p, p.len, &pkt),
			SP_IPV6_MALFORMED);
}

/* R37 */
static void sp_ipv6_test_fragment(struct kunit *test)
{
	static const u8 frag[] = { NEXTHDR_FRAGMENT };
	static const u8 dst_frag[] = { NEXTHDR_DEST, NEXTHDR_FRAGMENT };
	struct sp_ipv6_pkt pkt;
	struct sp_test_pkt6 p;

	/* Even an atomic fragment (offset 0, no more to come). */
	sp_test_syn6(&p, frag, ARRAY_SIZE(frag), 0, 0);
	p.buf[42] = 0;
	p.buf[43] = 0;
	KUNIT_EXPECT_EQ(test, sp_test_ipv6(test, &p, p.len, &pkt),
			SP_IPV6_FRAGMENT);
	sp_test_syn6(&p, dst_frag, ARRAY_SIZE(dst_frag), 0, 0);
	KUNIT_EXPECT_EQ(test, sp_test_ipv6(test, &p, p.len, &pkt),
			SP_IPV6_FRAGMENT);
}

/* R38: the IPv6 side of source routing. */
static void sp_ipv6_test_srcroute(struct kunit *test)
{
	static const u8 rt[] = { NEXTHDR_ROUTING };
	static const u8 hbh_rt[] = { NEXTHDR_HOP, NEXTHDR_ROUTING };
	struct sp_ipv6_pkt pkt;
	struct sp_test_pkt6 p;

	sp_test_syn6(&p, rt, ARRAY_SIZE(rt), IPV6_SRCRT_TYPE_0, 1);
	KUNIT_EXPECT_EQ(test, sp_test_ipv6(test, &p, p.len, &pkt),
			SP_IPV6_SRCROUTE);
	sp_test_syn6(&p, hbh_rt, ARRAY_SIZE(hbh_rt), IPV6_SRCRT_TYPE_0, 0);
	KUNIT_EXPECT_EQ(test, sp_test_ipv6(test, &p, p.len, &pkt),
			SP_IPV6_SRCROUTE);
	/* Segment routing (type 4) with a segment left. */
	sp_test_syn6(&p, rt, ARRAY_SIZE(rt), IPV6_SRCRT_TYPE_4, 1);
	KUNIT_EXPECT_EQ(test, sp_test_ipv6(test, &p, p.len, &pkt),
			SP_IPV6_SRCROUTE);
}

/* SYN classification and the checksum over the IPv6 pseudo-header. */
static void sp_ipv6_test_syn(struct kunit *test)
{
	static const u8 hbh_dst[] = { NEXTHDR_HOP, NEXTHDR_DEST };
	struct sp_ipv6_pkt pkt;
	struct sp_test_pkt6 p;
	struct sk_buff *skb;
	__wsum pseudo;
	u16 dport = 0;

	sp_test_syn6(&p, hbh_dst, ARRAY_SIZE(hbh_dst), 0, 0);
	skb = sp_test_skb(test, p.buf, p.len + 6);
	KUNIT_ASSERT_EQ(test, sp_ipv6_parse(skb, &pkt), SP_IPV6_OK);
	KUNIT_EXPECT_EQ(test, sp_tcp_parse(skb, pkt.off, pkt.len, &dport),
			SP_TCP_SYN);
	KUNIT_EXPECT_EQ(test, dport, 22);
	pseudo = ~csum_unfold(csum_ipv6_magic(&pkt.hdr.saddr, &pkt.hdr.daddr,
					      pkt.len, IPPROTO_TCP, 0));
	KUNIT_EXPECT_TRUE(test, sp_csum_ok(skb, pkt.off, pkt.len, pseudo));
	/* The pseudo-header of another destination does not add up. */
	pkt.hdr.daddr.s6_addr[15] = 5;
	KUNIT_EXPECT_FALSE(test,
			   sp_csum_ok(skb, pkt.off, pkt.len,
				      ~csum_unfold(csum_ipv6_magic(&pkt.hdr.saddr,
								   &pkt.hdr.daddr,
								   pkt.len,
								   IPPROTO_TCP,
								   0))));
	kfree_skb(skb);

	sp_test_th6(&p)->ack = 1;
	sp_test_pkt6_seal(&p);
	skb = sp_test_skb(test, p.buf, p.len);
	KUNIT_EXPECT_EQ(test, sp_tcp_parse(skb, p.off, p.len - p.off, &dport),
			SP_TCP_OTHER);
	kfree_skb(skb);
}

/* Random and mutated packets through the IPv6 walk and the TCP classifier. */
static void sp_ipv6_test_fuzz(struct kunit *test)
{
	static const u8 chain[] = { NEXTHDR_HOP, NEXTHDR_ROUTING, NEXTHDR_DEST };
	struct sp_test_pkt6 valid;
	struct sp_ipv6_pkt pkt;
	struct rnd_state st;
	unsigned int i, len, seen[4] = {};
	u8 buf[sizeof(valid.buf) + 8];
	enum sp_ipv6_kind kind;
	struct sk_buff *skb;
	u16 dport;

	prandom_seed_state(&st, 0x5eed0003);
	sp_test_syn6(&valid, chain, ARRAY_SIZE(chain), IPV6_SRCRT_TYPE_2, 0);
	for (i = 0; i < SP_TEST_FUZZ_FRAMES; i++) {
		len = sp_test_mutate(&st, buf, valid.buf, valid.len);
		skb = sp_test_skb(test, buf, len);
		kind = sp_ipv6_parse(skb, &pkt);
		KUNIT_ASSERT_LE(test, (unsigned int)kind, SP_IPV6_SRCROUTE);
		seen[kind]++;
		if (kind == SP_IPV6_OK) {
			/* The upper layer lies within what arrived. */
			KUNIT_ASSERT_LE(test, pkt.off + pkt.len, len);
			KUNIT_ASSERT_GE(test, pkt.off, 40U);
			if (pkt.proto == IPPROTO_TCP)
				sp_tcp_parse(skb, pkt.off, pkt.len, &dport);
		}
		kfree_skb(skb);
	}
	for (i = 0; i < ARRAY_SIZE(seen); i++)
		KUNIT_EXPECT_GT(test, seen[i], 0U);
}

static struct kunit_case sp_ipv6_test_cases[] = {
	KUNIT_CASE(sp_ipv6_test_valid),
	KUNIT_CASE(sp_ipv6_test_malformed),
	KUNIT_CASE(sp_ipv6_test_fragment),
	KUNIT_CASE(sp_ipv6_test_srcroute),
	KUNIT_CASE(sp_ipv6_test_syn),
	KUNIT_CASE(sp_ipv6_test_fuzz),
	{}
};

static struct kunit_suite sp_ipv6_test_suite = {
	.name = "sleepproxy_ipv6",
	.test_cases = sp_ipv6_test_cases,
};

kunit_test_suite(sp_ipv6_test_suite);
