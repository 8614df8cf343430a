// SPDX-License-Identifier: GPL-2.0
/*
 * What the ingress hook (kernel/rx.c, which includes this file) costs a
 * frame, next to a baseline measured in the same run: the same loop
 * calling an empty hook through the same kind of pointer.  Run by
 * `make bench` at full size in a kernel without sanitizers, and by
 * `make check` at a tiny size (so that it cannot rot), where the figures
 * mean nothing.  Nothing here asserts a time.
 *
 * Each case prints one line,
 *
 *   sleepproxy-bench: case=NAME hosts=N frames=F ns=X.Y base=B.C
 *
 * with the median over the rounds of nanoseconds per frame for the hook
 * (ns) and for the empty hook (base), measured alternately.
 */

#include <kunit/test.h>
#include <linux/etherdevice.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/ktime.h>
#include <linux/sort.h>
#include <linux/tcp.h>
#include <net/arp.h>

#include "util.h"

static char *sp_bench_size = "tiny";
module_param_named(bench_size, sp_bench_size, charp, 0444);
MODULE_PARM_DESC(bench_size, "KUnit hook benchmark: tiny or full");

#define SP_BENCH_ROUNDS	5
#define SP_BENCH_IFINDEX	7

typedef unsigned int (*sp_bench_fn)(void *priv, struct sk_buff *skb,
				    const struct nf_hook_state *state);

struct sp_bench {
	struct sp_net spn;
	struct sp_dev spd;
	struct net_device *dev;
	struct sp_host_params p;
	unsigned int n_hosts;
	u8 awake_mac[ETH_ALEN];
};

static bool sp_bench_full(void)
{
	return !strcmp(sp_bench_size, "full");
}

/* The baseline: what any hook costs, called the way the hook is. */
static noinline unsigned int sp_bench_empty(void *priv, struct sk_buff *skb,
					    const struct nf_hook_state *state)
{
	return skb->dev ? NF_ACCEPT : NF_DROP;
}

static int sp_bench_init(struct kunit *test)
{
	struct sp_bench *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, b);
	b->spn.stats = sp_stats_alloc(SP_STAT_COUNT, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b->spn.stats);
	b->spd.stats = sp_stats_alloc(SP_DSTAT_COUNT, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b->spd.stats);
	b->spd.spn = &b->spn;
	b->spd.ifindex = SP_BENCH_IFINDEX;
	KUNIT_ASSERT_EQ(test, sp_hosts_init(&b->spn), 0);
	b->dev = sp_test_dev(test);
	b->dev->ifindex = SP_BENCH_IFINDEX;
	test->priv = b;
	return 0;
}

static void sp_bench_exit(struct kunit *test)
{
	struct sp_bench *b = test->priv;

	sp_hosts_destroy(&b->spn);
	free_percpu(b->spd.stats);
	free_percpu(b->spn.stats);
	free_netdev(b->dev);
	rcu_barrier();
}

/* Host i: MAC 52:54:xx:xx:xx:xx and 10.x.x.x from i, all proxied. */
static void sp_bench_hosts(struct kunit *test, struct sp_bench *b,
			   unsigned int n)
{
	unsigned int i;
	struct sp_host *host;
	bool created;

	sp_setting_set(&b->spn, SP_MAX_HOSTS, max(n, 1U));
	mutex_lock(&b->spn.lock);
	for (i = 0; i < n; i++) {
		memset(&b->p, 0, sizeof(b->p));
		b->p.ifindex = SP_BENCH_IFINDEX;
		b->p.mac[0] = 0x52;
		b->p.mac[1] = 0x54;
		b->p.mac[2] = (i + 1) >> 24;
		b->p.mac[3] = (i + 1) >> 16;
		b->p.mac[4] = (i + 1) >> 8;
		b->p.mac[5] = i + 1;
		b->p.n_ipv4 = 1;
		b->p.ipv4[0] = htonl(0x0a000000 | (i + 1));
		b->p.n_ipv6 = 1;
		b->p.ipv6[0].s6_addr32[0] = htonl(0x20010db8);
		b->p.ipv6[0].s6_addr32[3] = htonl(i + 1);
		b->p.n_ports = 1;
		b->p.ports[0] = 22;
		b->p.wake_count = SLEEPPROXY_WAKE_COUNT_DEFAULT;
		b->p.wake_timeout = SP_WAKE_TIMEOUT_PARAM;
		KUNIT_ASSERT_EQ(test, sp_host_set(&b->spn, NULL, &b->p, &host,
						  &created, NULL), 0);
		WRITE_ONCE(host->state, SLEEPPROXY_STATE_PROXYING);
		/* The first one is up again. */
		if (!i) {
			WRITE_ONCE(host->state, SLEEPPROXY_STATE_AWAKE);
			ether_addr_copy(b->awake_mac, b->p.mac);
		}
	}
	mutex_unlock(&b->spn.lock);
	/* The filter is built again once it woke, as after a real wake. */
	if (n) {
		sp_filter_woken(&b->spn);
		flush_delayed_work(&b->spn.filter_work);
	}
	b->n_hosts = n;
	/* With one host or none, as if a host of the interface slept. */
	atomic_set(&b->spd.asleep, n > 1 ? n - 1 : 1);
}

static struct sk_buff *sp_bench_frame(struct kunit *test, struct sp_bench *b,
				      const u8 *src, const u8 *dst,
				      __be16 proto, const void *l3,
				      unsigned int len)
{
	struct sk_buff *skb = alloc_skb(NET_SKB_PAD + ETH_HLEN + len,
					GFP_KERNEL);
	struct ethhdr *eth;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, NET_SKB_PAD);
	eth = skb_put(skb, ETH_HLEN);
	ether_addr_copy(eth->h_dest, dst);
	ether_addr_copy(eth->h_source, src);
	eth->h_proto = proto;
	skb_put_data(skb, l3, len);
	skb->dev = b->dev;
	skb->protocol = eth_type_trans(skb, b->dev);
	skb_reset_network_header(skb);
	return skb;
}

/* Outside the hosts' 52:54:... range: no host has it, at any size. */
static const u8 sp_bench_peer[ETH_ALEN] __aligned(2) = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02
};

/* TCP from a peer to the gateway's MAC for an address nobody proxies. */
static struct sk_buff *sp_bench_tcp4(struct kunit *test, struct sp_bench *b,
				     const u8 *src)
{
	struct {
		struct iphdr ip;
		struct tcphdr tcp;
	} __packed pkt = {
		.ip = {
			.version = 4, .ihl = 5, .ttl = 64,
			.protocol = IPPROTO_TCP,
			.tot_len = htons(sizeof(pkt)),
			.saddr = htonl(0xc0a80102),
			.daddr = htonl(0xc6336401),
		},
		.tcp = {
			.source = htons(40000), .dest = htons(443),
			.doff = 5, .ack = 1, .window = htons(512),
		},
	};

	pkt.ip.check = ip_fast_csum(&pkt.ip, pkt.ip.ihl);
	return sp_bench_frame(test, b, src, b->dev->dev_addr, htons(ETH_P_IP),
			      &pkt, sizeof(pkt));
}

static struct sk_buff *sp_bench_tcp6(struct kunit *test, struct sp_bench *b)
{
	struct {
		struct ipv6hdr ip;
		struct tcphdr tcp;
	} __packed pkt = {
		.ip = {
			.version = 6, .hop_limit = 64,
			.nexthdr = IPPROTO_TCP,
			.payload_len = htons(sizeof(struct tcphdr)),
		},
		.tcp = {
			.source = htons(40000), .dest = htons(443),
			.doff = 5, .ack = 1, .window = htons(512),
		},
	};

	pkt.ip.saddr.s6_addr32[0] = htonl(0x20010db8);
	pkt.ip.saddr.s6_addr32[3] = htonl(0xffff0002);
	pkt.ip.daddr.s6_addr32[0] = htonl(0x20010db9);
	pkt.ip.daddr.s6_addr32[3] = htonl(1);
	return sp_bench_frame(test, b, sp_bench_peer, b->dev->dev_addr,
			      htons(ETH_P_IPV6), &pkt, sizeof(pkt));
}

/* A broadcast ARP request for an address nobody proxies. */
static struct sk_buff *sp_bench_arp(struct kunit *test, struct sp_bench *b)
{
	struct {
		struct arphdr h;
		u8 sender_mac[ETH_ALEN];
		__be32 sender_ip;
		u8 target_mac[ETH_ALEN];
		__be32 target_ip;
	} __packed pkt = {
		.h = {
			.ar_hrd = htons(ARPHRD_ETHER),
			.ar_pro = htons(ETH_P_IP),
			.ar_hln = ETH_ALEN, .ar_pln = 4,
			.ar_op = htons(ARPOP_REQUEST),
		},
		.sender_ip = htonl(0xc0a80102),
		.target_ip = htonl(0xc0a801fe),
	};

	ether_addr_copy(pkt.sender_mac, sp_bench_peer);
	return sp_bench_frame(test, b, sp_bench_peer, b->dev->broadcast,
			      htons(ETH_P_ARP), &pkt, sizeof(pkt));
}

/*
 * Nanoseconds per frame, in tenths, for @n frames through @fn, taken in
 * turn from the @n_skbs (a power of two) of @skbs.
 */
static u64 sp_bench_loop(sp_bench_fn fn, void *priv, struct sk_buff **skbs,
			 unsigned int n_skbs, unsigned int n)
{
	unsigned int i, verdict = 0;
	u64 t;

	local_bh_disable();
	rcu_read_lock();
	t = ktime_get_ns();
	for (i = 0; i < n; i++)
		verdict |= READ_ONCE(fn)(priv, skbs[i & (n_skbs - 1)], NULL);
	t = ktime_get_ns() - t;
	rcu_read_unlock();
	local_bh_enable();
	/* Every frame here is one the hook lets through. */
	WARN_ON_ONCE(verdict != NF_ACCEPT);
	return div_u64(t * 10, n);
}

static int sp_bench_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static void sp_bench_run_many(struct kunit *test, const char *name,
			      sp_bench_fn fn, void *priv,
			      struct sk_buff **skbs, unsigned int n_skbs)
{
	struct sp_bench *b = test->priv;
	unsigned int frames = sp_bench_full() ? 2000000 : 1000, r;
	u64 ns[SP_BENCH_ROUNDS], base[SP_BENCH_ROUNDS];

	/* Warm the caches and the branch predictors first. */
	sp_bench_loop(fn, priv, skbs, n_skbs, frames / 10 + 1);
	for (r = 0; r < SP_BENCH_ROUNDS; r++) {
		base[r] = sp_bench_loop(sp_bench_empty, priv, skbs, n_skbs,
					frames);
		ns[r] = sp_bench_loop(fn, priv, skbs, n_skbs, frames);
		cond_resched();
	}
	sort(ns, SP_BENCH_ROUNDS, sizeof(u64), sp_bench_cmp, NULL);
	sort(base, SP_BENCH_ROUNDS, sizeof(u64), sp_bench_cmp, NULL);
	pr_info("sleepproxy-bench: case=%s hosts=%u frames=%u ns=%llu.%llu base=%llu.%llu\n",
		name, b->n_hosts, frames,
		ns[SP_BENCH_ROUNDS / 2] / 10, ns[SP_BENCH_ROUNDS / 2] % 10,
		base[SP_BENCH_ROUNDS / 2] / 10, base[SP_BENCH_ROUNDS / 2] % 10);
	for (r = 0; r < n_skbs; r++)
		kfree_skb(skbs[r]);
}

static void sp_bench_run(struct kunit *test, const char *name,
			 sp_bench_fn fn, void *priv, struct sk_buff *skb)
{
	sp_bench_run_many(test, name, fn, priv, &skb, 1);
}

/* Flows: from SP_BENCH_FLOWS peers' MACs to as many addresses. */
#define SP_BENCH_FLOWS	1024

/*
 * Unrelated IPv4 as a gateway sees it: from many MACs to many addresses,
 * none of them a host's.  Each frame's keys find both their filter bits
 * set or not, and the average over the flows counts the table lookups of
 * those that do, which a single frame's figure shows all or nothing of.
 */
static void sp_bench_run_flows(struct kunit *test, struct sp_bench *b)
{
	struct sk_buff **skbs;
	unsigned int i;
	u8 mac[ETH_ALEN] __aligned(2) = { 0x02, 0x00 };

	skbs = kunit_kcalloc(test, SP_BENCH_FLOWS, sizeof(*skbs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skbs);
	for (i = 0; i < SP_BENCH_FLOWS; i++) {
		u32 x = i * 2654435761U;
		struct iphdr *iph;

		mac[2] = 0x10;
		mac[3] = x >> 24;
		mac[4] = x >> 16;
		mac[5] = x >> 8;
		skbs[i] = sp_bench_tcp4(test, b, mac);
		iph = ip_hdr(skbs[i]);
		iph->daddr = htonl(0xc6330000 + i * 40503);
		iph->check = 0;
		iph->check = ip_fast_csum(iph, iph->ihl);
	}
	sp_bench_run_many(test, "ipv4-flows", sp_rx_hook, &b->spd, skbs,
			  SP_BENCH_FLOWS);
}

/* Every case at one table size. */
static void sp_bench_size_case(struct kunit *test, unsigned int n)
{
	struct sp_bench *b = test->priv;

	sp_bench_hosts(test, b, n);
	sp_bench_run(test, "ipv4-unrelated", sp_rx_hook, &b->spd,
		     sp_bench_tcp4(test, b, sp_bench_peer));
	sp_bench_run_flows(test, b);
	sp_bench_run(test, "ipv6-unrelated", sp_rx_hook, &b->spd,
		     sp_bench_tcp6(test, b));
	sp_bench_run(test, "arp-unrelated", sp_rx_hook, &b->spd,
		     sp_bench_arp(test, b));
	if (n)
		sp_bench_run(test, "from-awake-host", sp_rx_hook, &b->spd,
			     sp_bench_tcp4(test, b, b->awake_mac));
	/* The same hosts, every one of them awake. */
	atomic_set(&b->spd.asleep, 0);
	sp_bench_run(test, "none-asleep", sp_rx_hook, &b->spd,
		     sp_bench_tcp4(test, b, sp_bench_peer));
}

static void sp_bench_hosts_0(struct kunit *test)
{
	sp_bench_size_case(test, 0);
}

static void sp_bench_hosts_1(struct kunit *test)
{
	sp_bench_size_case(test, 1);
}

static void sp_bench_hosts_1k(struct kunit *test)
{
	sp_bench_size_case(test, sp_bench_full() ? 1000 : 10);
}

static void sp_bench_hosts_100k(struct kunit *test)
{
	sp_bench_size_case(test, sp_bench_full() ? 100000 : 100);
}

static struct kunit_case sp_bench_cases[] = {
	KUNIT_CASE(sp_bench_hosts_0),
	KUNIT_CASE(sp_bench_hosts_1),
	KUNIT_CASE(sp_bench_hosts_1k),
	KUNIT_CASE(sp_bench_hosts_100k),
	{}
};

static struct kunit_suite sp_bench_suite = {
	.name = "sleepproxy_bench",
	.init = sp_bench_init,
	.exit = sp_bench_exit,
	.test_cases = sp_bench_cases,
};

kunit_test_suite(sp_bench_suite);
