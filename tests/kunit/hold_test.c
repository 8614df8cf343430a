// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for SYN replay's queue (kernel/hold.c, which includes this
 * file): one SYN per flow, the per-host and per-namespace bounds, expiry,
 * the gateway's own SYNs never kept, nothing kept once the host goes.
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/tcp.h>

#include "util.h"

struct sp_hold_test {
	struct sp_net spn;
	struct sp_host *host;
};

static int sp_hold_test_init(struct kunit *test)
{
	struct sp_hold_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	t->host = kunit_kzalloc(test, sizeof(*t->host), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t->host);
	t->host->wake = kunit_kzalloc(test, sizeof(*t->host->wake), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t->host->wake);
	t->host->wake->host = t->host;
	sp_hold_init(&t->spn, &t->host->wake->hold);
	test->priv = t;
	return 0;
}

static void sp_hold_test_exit(struct kunit *test)
{
	struct sp_hold_test *t = test->priv;

	sp_hold_flush(t->host);
}

static u64 sp_hold_test_stat(struct sp_hold_test *t, enum sp_host_stat idx)
{
	u64 vals[SP_HSTAT_COUNT];

	sp_host_stats_read(t->host, vals);
	return vals[idx];
}

/* A SYN from 10.0.0.2:@sport to 192.168.1.4:22; kept or freed here. */
static bool sp_hold_test_syn(struct kunit *test, u16 sport, u8 via)
{
	struct sp_hold_test *t = test->priv;
	u8 pkt[sizeof(struct iphdr) + sizeof(struct tcphdr)] = {};
	struct iphdr *iph = (struct iphdr *)pkt;
	struct tcphdr *th = (struct tcphdr *)(iph + 1);
	struct sk_buff *skb;
	bool kept;

	iph->version = 4;
	iph->ihl = 5;
	iph->tot_len = htons(sizeof(pkt));
	iph->protocol = IPPROTO_TCP;
	iph->saddr = htonl(0x0a000002);
	iph->daddr = htonl(0xc0a80104);
	th->source = htons(sport);
	th->dest = htons(22);
	th->doff = 5;
	th->syn = 1;
	skb = sp_test_skb(test, pkt, sizeof(pkt));
	local_bh_disable();
	rcu_read_lock();
	kept = sp_hold_syn(&t->spn, t->host, skb, via, sizeof(*iph));
	rcu_read_unlock();
	local_bh_enable();
	if (!kept)
		kfree_skb(skb);
	return kept;
}

static void sp_hold_test_flows(struct kunit *test)
{
	struct sp_hold_test *t = test->priv;

	sp_setting_set(&t->spn, SP_SYN_HOLD_MAX, 2);
	KUNIT_EXPECT_TRUE(test, sp_hold_test_syn(test, 1000, SLEEPPROXY_VIA_LAN));
	/* The client's retransmit: the same flow, not kept twice. */
	KUNIT_EXPECT_FALSE(test, sp_hold_test_syn(test, 1000, SLEEPPROXY_VIA_LAN));
	KUNIT_EXPECT_TRUE(test, sp_hold_test_syn(test, 1001, SLEEPPROXY_VIA_LAN));
	/* Over the host's bound. */
	KUNIT_EXPECT_FALSE(test, sp_hold_test_syn(test, 1002, SLEEPPROXY_VIA_LAN));
	/* The gateway's own SYNs are its TCP stack's to retransmit. */
	KUNIT_EXPECT_FALSE(test, sp_hold_test_syn(test, 1003,
						  SLEEPPROXY_VIA_LOCAL));
	KUNIT_EXPECT_EQ(test, t->host->wake->hold.n, 2U);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->spn.n_held), 2);
	KUNIT_EXPECT_EQ(test, sp_hold_test_stat(t, SP_HSTAT_SYN_HELD), 2ULL);
	KUNIT_EXPECT_EQ(test, sp_hold_test_stat(t, SP_HSTAT_SYN_DROPPED), 1ULL);

	/* The host goes: all freed, nothing more kept. */
	sp_hold_flush(t->host);
	KUNIT_EXPECT_EQ(test, t->host->wake->hold.n, 0U);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->spn.n_held), 0);
	KUNIT_EXPECT_FALSE(test, sp_hold_test_syn(test, 1004, SLEEPPROXY_VIA_LAN));
}

static void sp_hold_test_total(struct kunit *test)
{
	struct sp_hold_test *t = test->priv;

	sp_setting_set(&t->spn, SP_SYN_HOLD_TOTAL, 1);
	KUNIT_EXPECT_TRUE(test, sp_hold_test_syn(test, 2000, SLEEPPROXY_VIA_LAN));
	KUNIT_EXPECT_FALSE(test, sp_hold_test_syn(test, 2001, SLEEPPROXY_VIA_LAN));
	KUNIT_EXPECT_EQ(test, atomic_read(&t->spn.n_held), 1);
	KUNIT_EXPECT_EQ(test, sp_hold_test_stat(t, SP_HSTAT_SYN_DROPPED), 1ULL);
	/* Nothing kept at all with syn_hold_max 0. */
	sp_setting_set(&t->spn, SP_SYN_HOLD_TOTAL, 1024);
	sp_setting_set(&t->spn, SP_SYN_HOLD_MAX, 0);
	KUNIT_EXPECT_FALSE(test, sp_hold_test_syn(test, 2002, SLEEPPROXY_VIA_LAN));
}

static void sp_hold_test_expiry(struct kunit *test)
{
	struct sp_hold_test *t = test->priv;

	sp_setting_set(&t->spn, SP_SYN_HOLD_MS, 1);
	KUNIT_EXPECT_TRUE(test, sp_hold_test_syn(test, 3000, SLEEPPROXY_VIA_LAN));
	sp_setting_set(&t->spn, SP_SYN_HOLD_MS, 60000);
	KUNIT_EXPECT_TRUE(test, sp_hold_test_syn(test, 3001, SLEEPPROXY_VIA_LAN));
	msleep(30);
	/* Whether or not the timer ran already, the first one is gone. */
	local_bh_disable();
	sp_hold_timer(&t->host->wake->hold.timer);
	local_bh_enable();
	KUNIT_EXPECT_EQ(test, t->host->wake->hold.n, 1U);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->spn.n_held), 1);
	KUNIT_EXPECT_EQ(test, sp_hold_test_stat(t, SP_HSTAT_SYN_EXPIRED), 1ULL);
	KUNIT_EXPECT_TRUE(test, timer_pending(&t->host->wake->hold.timer));
}

static struct kunit_case sp_hold_test_cases[] = {
	KUNIT_CASE(sp_hold_test_flows),
	KUNIT_CASE(sp_hold_test_total),
	KUNIT_CASE(sp_hold_test_expiry),
	{}
};

static struct kunit_suite sp_hold_test_suite = {
	.name = "sleepproxy_hold",
	.init = sp_hold_test_init,
	.exit = sp_hold_test_exit,
	.test_cases = sp_hold_test_cases,
};

kunit_test_suite(sp_hold_test_suite);
