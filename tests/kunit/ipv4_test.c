// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the IPv4 checks (R36-R38) and TCP SYN classification
 * (kernel/ipv4.c, which includes this file).
 */

#include <kunit/test.h>

#include "util.h"

/* An IPv4 packet with room for options, a TCP header and padding. */
struct sp_test_pkt {
	u8 buf[128];
	unsigned int ihl;	/* bytes */
	unsigned int len;	/* bytes on the wire */
};

static struct iphdr *sp_test_iph(struct sp_test_pkt *p)
{
	return (struct iphdr *)p->buf;
}

static struct tcphdr *sp_test_th(struct sp_test_pkt *p)
{
	return (struct tcphdr *)(p->buf + p->ihl);
}

/* Fix up lengths and checksums after editing. */
static void sp_test_pkt_seal(struct sp_test_pkt *p, bool tcp_csum)
{
	struct iphdr *iph = sp_test_iph(p);
	unsigned int tlen = p->len - p->ihl;
	struct tcphdr *th = sp_test_th(p);

	iph->ihl = p->ihl / 4;
	iph->tot_len = htons(p->len);
	iph->check = 0;
	iph->check = ip_fast_csum(iph, iph->ihl);
	if (tcp_csum) {
		th->check = 0;
		th->check = csum_tcpudp_magic(iph->saddr, iph->daddr, tlen,
					      IPPROTO_TCP,
					      csum_partial(th, tlen, 0));
	}
}

/* 192.168.1.2:40000 -> 192.168.1.4:22, SYN, with an MSS option. */
static void sp_test_syn(struct sp_test_pkt *p, unsigned int optlen)
{
	struct iphdr *iph;
	struct tcphdr *th;
	u8 *opt;

	memset(p, 0, sizeof(*p));
	p->ihl = sizeof(*iph) + optlen;
	p->len = p->ihl + sizeof(*th) + 4;
	iph = sp_test_iph(p);
	iph->version = 4;
	iph->ttl = 64;
	iph->protocol = IPPROTO_TCP;
	iph->frag_off = htons(IP_DF);
	iph->saddr = htonl(0xc0a80102);
	iph->daddr = htonl(0xc0a80104);
	/* Options default to no-ops. */
	memset(p->buf + sizeof(*iph), IPOPT_NOOP, optlen);
	th = sp_test_th(p);
	th->source = htons(40000);
	th->dest = htons(22);
	th->seq = htonl(1);
	th->doff = (sizeof(*th) + 4) / 4;
	th->syn = 1;
	th->window = htons(64240);
	opt = (u8 *)(th + 1);
	opt[0] = 2;	/* MSS */
	opt[1] = 4;
	put_unaligned_be16(1460, opt + 2);
	sp_test_pkt_seal(p, true);
}

static enum sp_ipv4_kind sp_test_ipv4(struct kunit *test,
				      struct sp_test_pkt *p, unsigned int len)
{
	struct sk_buff *skb = sp_test_skb(test, p->buf, len);
	struct sp_ipv4_hdr hdr;
	enum sp_ipv4_kind kind = sp_ipv4_parse(skb, &hdr);

	if (kind == SP_IPV4_OK)
		KUNIT_EXPECT_EQ(test, memcmp(&hdr, p->buf, p->ihl), 0);
	kfree_skb(skb);
	return kind;
}

static void sp_ipv4_test_valid(struct kunit *test)
{
	struct sp_test_pkt p;

	sp_test_syn(&p, 0);
	KUNIT_EXPECT_EQ(test, sp_test_ipv4(test, &p, p.len), SP_IPV4_OK);
	/* Ethernet pads short frames: bytes after tot_len do not count. */
	KUNIT_EXPECT_EQ(test, sp_test_ipv4(test, &p, p.len + 6), SP_IPV4_OK);
	/* Harmless options: no-ops, record route, end of list. */
	sp_test_syn(&p, 12);
	p.buf[20] = IPOPT_NOOP;
	p.buf[21] = IPOPT_RR;
	p.buf[22] = 7;
	p.buf[23] = 4;
	p.buf[28] = IPOPT_END;
	sp_test_pkt_seal(&p, true);
	KUNIT_EXPECT_EQ(test, sp_test_ipv4(test, &p, p.len), SP_IPV4_OK);
	/* The largest header there is. */
	sp_test_syn(&p, 40);
	KUNIT_EXPECT_EQ(test, sp_test_ipv4(test, &p, p.len), SP_IPV4_OK);
}

/* R36: ill-formed per RFC 791. */
static void sp_ipv4_test_malformed(struct kunit *test)
{
	struct sp_test_pkt p;
	unsigned int len;

	sp_test_syn(&p, 0);
	for (len = 0; len < sizeof(struct iphdr); len++)
		KUNIT_EXPECT_EQ(test, sp_test_ipv4(test, &p, len),
				SP_IPV4_MALFORMED);

	sp_test_iph(&p)->check ^= htons(1);
	KUNIT_EXPECT_EQ(test, sp_test_ipv4(test, &p, p.len), SP_IPV4_MALFORMED);

	sp_test_syn(&p, 0);
	sp_test_iph(&p)->version = 6;
	sp_test_pkt_seal(&p, false);
	KUNIT_EXPECT_EQ(test, sp_test_ipv4(test, &p, p.len), SP_IPV4_MALFORMED);

	sp_test_syn(&p, 0);
	p.ihl = 16;
	sp_test_pkt_seal(&p, false);
	KUNIT_EXPECT_EQ(test, sp_test_ipv4(test, &p, p.len), SP_IPV4_MALFORMED);

	/* Longer than what arrived; shorter than its own header. */
	sp_test_syn(&p, 0);
	sp_test_iph(&p)->tot_len = htons(p.len + 1);
	sp_test_iph(&p)->check = 0;
	sp_test_iph(&p)->check = ip_fast_csum(p.buf, 5);
	KUNIT_EXPECT_EQ(test, sp_test_ipv4(test, &p, p.len), SP_IPV4_MALFORMED);
	sp_test_iph(&p)->tot_len = htons(19);
	sp_test_iph(&p)->check = 0;
	sp_test_iph(&p)->check = ip_fast_csum(p.buf, 5);
	KUNIT_EXPECT_EQ(test, sp_test_ipv4(test, &p, p.len), SP_IPV4_MALFORMED);

	/* A header with options, cut short. */
	sp_test_syn(&p, 8);
	KUNIT_EXPECT_EQ(test, sp_test_ipv4(test, &p, 24), SP_IPV4_MALFORMED);

	/* Options running past the header, or of length 0 or 1. */
	sp_test_syn(&p, 4);
	p.buf[20] = IPOPT_RR;
	p.buf[21] = 8;
	sp_test_pkt_seal(&p, false);
	KUNIT_EXPECT_EQ(test, sp_test_ipv4(test, &p, p.len), SP_IPV4_MALFORMED);
	p.buf[21] = 0;
	sp_test_pkt_seal(&p, false);
	KUNIT_EXPECT_EQ(test, sp_test_ipv4(test, &p, p.len), SP_IPV4_MALFORMED);
	p.buf[21] = 1;
	sp_test_pkt_seal(&p, false);
	KUNIT_EXPECT_EQ(test, sp_test_ipv4(test, &p, p.len), SP_IPV4_MALFORMED);
	p.buf[20] = IPOPT_NOOP;
	p.buf[21] = IPOPT_NOOP;
	p.buf[22] = IPOPT_NOOP;
	p.buf[23] = IPOPT_RR;
	sp_test_pkt_seal(&p, false);
	KUNIT_EXPECT_EQ(test, sp_test_ipv4(test, &p, p.len), SP_IPV4_MALFORMED);
}

/* R37 */
static void sp_ipv4_test_fragment(struct kunit *test)
{
	struct sp_test_pkt p;

	sp_test_syn(&p, 0);
	sp_test_iph(&p)->frag_off = htons(IP_MF);
	sp_test_pkt_seal(&p, true);
	KUNIT_EXPECT_EQ(test, sp_test_ipv4(test, &p, p.len), SP_IPV4_FRAGMENT);
	sp_test_iph(&p)->frag_off = htons(185);
	sp_test_pkt_seal(&p, true);
	KUNIT_EXPECT_EQ(test, sp_test_ipv4(test, &p, p.len), SP_IPV4_FRAGMENT);
	sp_test_iph(&p)->frag_off = htons(IP_MF | 1);
	sp_test_pkt_seal(&p, true);
	KUNIT_EXPECT_EQ(test, sp_test_ipv4(test, &p, p.len), SP_IPV4_FRAGMENT);
}

/* R38 */
static void sp_ipv4_test_srcroute(struct kunit *test)
{
	static const u8 types[] = { IPOPT_LSRR, IPOPT_SSRR };
	struct sp_test_pkt p;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		/* Alone, and after another option. */
		sp_test_syn(&p, 8);
		p.buf[20] = types[i];
		p.buf[21] = 7;
		p.buf[22] = 4;
		sp_test_pkt_seal(&p, true);
		KUNIT_EXPECT_EQ(test, sp_test_ipv4(test, &p, p.len),
				SP_IPV4_SRCROUTE);
		sp_test_syn(&p, 12);
		p.buf[20] = IPOPT_RR;
		p.buf[21] = 3;
		p.buf[22] = 4;
		p.buf[23] = types[i];
		p.buf[24] = 7;
		p.buf[25] = 4;
		sp_test_pkt_seal(&p, true);
		KUNIT_EXPECT_EQ(test, sp_test_ipv4(test, &p, p.len),
				SP_IPV4_SRCROUTE);
	}
}

static enum sp_tcp_kind sp_test_tcp(struct kunit *test, struct sp_test_pkt *p,
				    u16 *dport)
{
	struct sk_buff *skb = sp_test_skb(test, p->buf, p->len);
	enum sp_tcp_kind kind;

	kind = sp_tcp_parse(skb, p->ihl, p->len - p->ihl, dport);
	kfree_skb(skb);
	return kind;
}

static void sp_tcp_test_syn(struct kunit *test)
{
	struct sp_test_pkt p;
	u16 dport = 0;

	sp_test_syn(&p, 0);
	KUNIT_EXPECT_EQ(test, sp_test_tcp(test, &p, &dport), SP_TCP_SYN);
	KUNIT_EXPECT_EQ(test, dport, 22);
	sp_test_syn(&p, 40);
	KUNIT_EXPECT_EQ(test, sp_test_tcp(test, &p, &dport), SP_TCP_SYN);

	/* Not connection attempts. */
	sp_test_th(&p)->ack = 1;
	KUNIT_EXPECT_EQ(test, sp_test_tcp(test, &p, &dport), SP_TCP_OTHER);
	sp_test_th(&p)->ack = 0;
	sp_test_th(&p)->rst = 1;
	KUNIT_EXPECT_EQ(test, sp_test_tcp(test, &p, &dport), SP_TCP_OTHER);
	sp_test_th(&p)->rst = 0;
	sp_test_th(&p)->fin = 1;
	KUNIT_EXPECT_EQ(test, sp_test_tcp(test, &p, &dport), SP_TCP_OTHER);
	sp_test_th(&p)->fin = 0;
	sp_test_th(&p)->syn = 0;
	sp_test_th(&p)->ack = 1;
	KUNIT_EXPECT_EQ(test, sp_test_tcp(test, &p, &dport), SP_TCP_OTHER);
}

static void sp_tcp_test_malformed(struct kunit *test)
{
	struct sp_test_pkt p;
	u16 dport;

	sp_test_syn(&p, 0);
	sp_test_th(&p)->doff = 4;
	KUNIT_EXPECT_EQ(test, sp_test_tcp(test, &p, &dport), SP_TCP_MALFORMED);
	sp_test_th(&p)->doff = 7;
	KUNIT_EXPECT_EQ(test, sp_test_tcp(test, &p, &dport), SP_TCP_MALFORMED);
	/* Too short for a TCP header at all. */
	sp_test_syn(&p, 0);
	p.len = p.ihl + 19;
	sp_test_pkt_seal(&p, false);
	KUNIT_EXPECT_EQ(test, sp_test_tcp(test, &p, &dport), SP_TCP_MALFORMED);
}

static bool sp_test_csum(struct kunit *test, struct sp_test_pkt *p,
			 unsigned int pad, u8 ip_summed)
{
	struct sk_buff *skb = sp_test_skb(test, p->buf, p->len + pad);
	struct iphdr *iph = sp_test_iph(p);
	unsigned int len = p->len - p->ihl;
	bool ok;

	skb->ip_summed = ip_summed;
	ok = sp_csum_ok(skb, p->ihl, len,
			csum_tcpudp_nofold(iph->saddr, iph->daddr, len,
					   IPPROTO_TCP, 0));
	kfree_skb(skb);
	return ok;
}

static void sp_tcp_test_csum(struct kunit *test)
{
	struct sp_test_pkt p;

	sp_test_syn(&p, 0);
	KUNIT_EXPECT_TRUE(test, sp_test_csum(test, &p, 0, CHECKSUM_NONE));
	KUNIT_EXPECT_TRUE(test, sp_test_csum(test, &p, 6, CHECKSUM_NONE));
	sp_test_syn(&p, 8);
	KUNIT_EXPECT_TRUE(test, sp_test_csum(test, &p, 0, CHECKSUM_NONE));

	sp_test_th(&p)->check ^= htons(0x100);
	KUNIT_EXPECT_FALSE(test, sp_test_csum(test, &p, 0, CHECKSUM_NONE));
	/* What the driver vouched for is not checked again. */
	KUNIT_EXPECT_TRUE(test, sp_test_csum(test, &p, 0,
					     CHECKSUM_UNNECESSARY));
	/* A changed byte the checksum covers. */
	sp_test_syn(&p, 0);
	sp_test_th(&p)->dest = htons(23);
	KUNIT_EXPECT_FALSE(test, sp_test_csum(test, &p, 0, CHECKSUM_NONE));
}

/* Random and mutated packets through the IPv4 and TCP classifiers. */
static void sp_ipv4_test_fuzz(struct kunit *test)
{
	struct sp_test_pkt valid;
	struct sp_ipv4_hdr hdr;
	struct rnd_state st;
	unsigned int i, len, seen[4] = {}, syns = 0;
	u8 buf[sizeof(valid.buf) + 8];
	enum sp_ipv4_kind kind;
	struct sk_buff *skb;
	u16 dport;

	prandom_seed_state(&st, 0x5eed0002);
	for (i = 0; i < SP_TEST_FUZZ_FRAMES; i++) {
		/* Mutated SYNs: plain, source-routed, fragments. */
		sp_test_syn(&valid, 8);
		if (i % 3 == 1) {
			valid.buf[20] = IPOPT_LSRR;
			valid.buf[21] = 7;
			valid.buf[22] = 4;
		} else if (i % 3 == 2) {
			sp_test_iph(&valid)->frag_off = htons(IP_MF);
		}
		sp_test_pkt_seal(&valid, true);
		len = sp_test_mutate(&st, buf, valid.buf, valid.len);
		skb = sp_test_skb(test, buf, len);
		kind = sp_ipv4_parse(skb, &hdr);
		KUNIT_ASSERT_LE(test, (unsigned int)kind, SP_IPV4_SRCROUTE);
		seen[kind]++;
		if (kind == SP_IPV4_OK) {
			unsigned int ihl = hdr.iph.ihl * 4;

			KUNIT_ASSERT_LE(test, ntohs(hdr.iph.tot_len), len);
			KUNIT_ASSERT_GE(test, ntohs(hdr.iph.tot_len), ihl);
			if (sp_tcp_parse(skb, ihl, ntohs(hdr.iph.tot_len) - ihl,
					 &dport) == SP_TCP_SYN)
				syns++;
		}
		kfree_skb(skb);
	}
	for (i = 0; i < ARRAY_SIZE(seen); i++)
		KUNIT_EXPECT_GT(test, seen[i], 0U);
	KUNIT_EXPECT_GT(test, syns, 0U);
}

/* A filter of 256 slots with only @word's two bits set. */
static struct sp_filter *sp_test_filter(struct kunit *test, u64 word)
{
	struct sp_filter *f;

	f = kunit_kzalloc(test, struct_size(f, slot, BITS_TO_LONGS(256)),
			  GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f);
	f->seed = 0x5eed;
	f->bits = 8;
	sp_filter_set(f, word);
	return f;
}

/*
 * The hooks' question before any call: may this packet be for a proxied
 * address?  Never "no" for one whose bit is set, nor for one it cannot
 * read in place; "no" for a clear bit.
 */
static void sp_ipv4_test_prefilter(struct kunit *test)
{
	struct in6_addr a6 = { .s6_addr32 = { htonl(0xfd000000), 0, 0,
					      htonl(4) } };
	struct sp_test_pkt p;
	struct sp_filter *f;
	struct ipv6hdr ip6;
	struct sk_buff *skb;
	__be32 daddr, other;

	sp_test_syn(&p, 0);
	daddr = sp_test_iph(&p)->daddr;
	f = sp_test_filter(test, sp_filter_ipv4_word(3, daddr));
	skb = sp_test_skb(test, p.buf, p.len);
	KUNIT_EXPECT_TRUE(test, sp_filter_maybe_ipv4(f, skb, 3));
	KUNIT_EXPECT_TRUE(test, sp_filter_maybe_ipv4(NULL, skb, 3));
	/* Another interface, then another address: clear bits. */
	KUNIT_EXPECT_EQ(test, sp_filter_maybe_ipv4(f, skb, 4),
			sp_filter_maybe(f, sp_filter_ipv4_word(4, daddr)));
	for (other = htonl(0xc0a80105);; other = htonl(ntohl(other) + 1))
		if (!sp_filter_maybe(f, sp_filter_ipv4_word(3, other)))
			break;
	sp_test_iph(&p)->daddr = other;
	kfree_skb(skb);
	skb = sp_test_skb(test, p.buf, p.len);
	KUNIT_EXPECT_FALSE(test, sp_filter_maybe_ipv4(f, skb, 3));
	kfree_skb(skb);
	/* The same packet, its destination not in the linear part. */
	skb = sp_test_skb_split(test, p.buf, p.len, 12);
	KUNIT_EXPECT_TRUE(test, sp_filter_maybe_ipv4(f, skb, 3));
	kfree_skb(skb);
	skb = sp_test_skb(test, p.buf, 19);
	KUNIT_EXPECT_TRUE(test, sp_filter_maybe_ipv4(f, skb, 3));
	kfree_skb(skb);

	memset(&ip6, 0, sizeof(ip6));
	ip6.version = 6;
	ip6.daddr = a6;
	f = sp_test_filter(test, sp_filter_ipv6_word(3, &a6));
	skb = sp_test_skb(test, &ip6, sizeof(ip6));
	KUNIT_EXPECT_TRUE(test, sp_filter_maybe_ipv6(f, skb, 3));
	kfree_skb(skb);
	while (sp_filter_maybe(f, sp_filter_ipv6_word(3, &ip6.daddr)))
		ip6.daddr.s6_addr32[3] = htonl(ntohl(ip6.daddr.s6_addr32[3]) + 1);
	skb = sp_test_skb(test, &ip6, sizeof(ip6));
	KUNIT_EXPECT_FALSE(test, sp_filter_maybe_ipv6(f, skb, 3));
	kfree_skb(skb);
	skb = sp_test_skb_split(test, &ip6, sizeof(ip6), 30);
	KUNIT_EXPECT_TRUE(test, sp_filter_maybe_ipv6(f, skb, 3));
	kfree_skb(skb);
	/* Multicast may be Neighbour Discovery about a proxied address. */
	ipv6_addr_set(&ip6.daddr, htonl(0xff020000), 0, htonl(1),
		      htonl(0xff000004));
	skb = sp_test_skb(test, &ip6, sizeof(ip6));
	KUNIT_EXPECT_TRUE(test, sp_filter_maybe_ipv6(f, skb, 3));
	kfree_skb(skb);
}

static struct kunit_case sp_ipv4_test_cases[] = {
	KUNIT_CASE(sp_ipv4_test_prefilter),
	KUNIT_CASE(sp_ipv4_test_valid),
	KUNIT_CASE(sp_ipv4_test_malformed),
	KUNIT_CASE(sp_ipv4_test_fragment),
	KUNIT_CASE(sp_ipv4_test_srcroute),
	KUNIT_CASE(sp_tcp_test_syn),
	KUNIT_CASE(sp_tcp_test_malformed),
	KUNIT_CASE(sp_tcp_test_csum),
	KUNIT_CASE(sp_ipv4_test_fuzz),
	{}
};

static struct kunit_suite sp_ipv4_test_suite = {
	.name = "sleepproxy_ipv4",
	.test_cases = sp_ipv4_test_cases,
};

kunit_test_suite(sp_ipv4_test_suite);
