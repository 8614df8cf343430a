// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the host table (kernel/host.c, which includes this file):
 * add, replace, delete, lookup, the cap, many hosts, and a randomized
 * comparison against a deliberately simple model of the table.
 */

#include <kunit/test.h>
#include <linux/random.h>

#include "util.h"

struct sp_host_test {
	struct sp_net spn;
	struct sp_host_params p;
};

static int sp_host_test_init(struct kunit *test)
{
	struct sp_host_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_ASSERT_EQ(test, sp_hosts_init(&t->spn), 0);
	test->priv = t;
	return 0;
}

static void sp_host_test_exit(struct kunit *test)
{
	struct sp_host_test *t = test->priv;

	sp_hosts_destroy(&t->spn);
	/* Let KASAN see every freed host before the next case. */
	rcu_barrier();
}

static void sp_test_params(struct sp_host_params *p, int ifindex, u8 id)
{
	memset(p, 0, sizeof(*p));
	p->ifindex = ifindex;
	p->mac[0] = 0x52;
	p->mac[1] = 0x54;
	p->mac[5] = id;
	p->n_ipv4 = 1;
	p->ipv4[0] = htonl(0xc0a80100 | id);
	p->wake_count = SLEEPPROXY_WAKE_COUNT_DEFAULT;
}

static int sp_test_set(struct sp_host_test *t, struct sp_host **hostp,
		       bool *created)
{
	struct sp_host *host;
	bool c;
	int err;

	mutex_lock(&t->spn.lock);
	err = sp_host_set(&t->spn, NULL, &t->p, hostp ?: &host, created ?: &c, NULL);
	mutex_unlock(&t->spn.lock);
	return err;
}

static struct sp_host *sp_test_owner4(struct sp_host_test *t, int ifindex,
				      u32 addr)
{
	struct sp_addr *a;

	rcu_read_lock();
	a = sp_addr_lookup_ipv4(&t->spn, ifindex, htonl(addr));
	rcu_read_unlock();
	return a ? a->host : NULL;
}

static struct sp_host *sp_test_by_mac(struct sp_host_test *t, int ifindex,
				      const u8 *mac)
{
	struct sp_host *host;

	rcu_read_lock();
	host = sp_host_lookup(&t->spn, ifindex, mac);
	rcu_read_unlock();
	return host;
}

static void sp_host_test_add(struct kunit *test)
{
	struct sp_host_test *t = test->priv;
	const struct sp_host_cfg *cfg;
	struct sp_host *host;
	u32 gen = t->spn.gen;
	bool created;

	sp_test_params(&t->p, 3, 4);
	t->p.n_ipv4 = 2;
	t->p.ipv4[1] = htonl(0x0a000004);
	t->p.n_ipv6 = 1;
	t->p.ipv6[0].s6_addr[0] = 0x20;
	t->p.ipv6[0].s6_addr[15] = 4;
	t->p.ports[0] = 445;
	t->p.ports[1] = 22;
	t->p.ports[2] = 445;
	t->p.n_ports = 3;
	t->p.lease = 7200;

	KUNIT_ASSERT_EQ(test, sp_test_set(t, &host, &created), 0);
	KUNIT_EXPECT_TRUE(test, created);
	KUNIT_EXPECT_EQ(test, t->spn.nr_hosts, 1U);
	KUNIT_EXPECT_NE(test, t->spn.gen, gen);
	KUNIT_EXPECT_NE(test, host->id, 0U);
	KUNIT_EXPECT_EQ(test, host->state, (unsigned int)SLEEPPROXY_STATE_PROXYING);
	KUNIT_EXPECT_PTR_EQ(test, sp_test_by_mac(t, 3, t->p.mac), host);
	KUNIT_EXPECT_PTR_EQ(test, sp_test_by_mac(t, 2, t->p.mac), NULL);
	KUNIT_EXPECT_PTR_EQ(test, sp_test_owner4(t, 3, 0xc0a80104), host);
	KUNIT_EXPECT_PTR_EQ(test, sp_test_owner4(t, 3, 0x0a000004), host);
	KUNIT_EXPECT_PTR_EQ(test, sp_test_owner4(t, 2, 0x0a000004), NULL);
	KUNIT_EXPECT_PTR_EQ(test, sp_test_owner4(t, 3, 0x0a000005), NULL);
	KUNIT_EXPECT_PTR_EQ(test, xa_load(&t->spn.ids, host->id), host);

	cfg = rcu_dereference_protected(host->cfg, true);
	KUNIT_EXPECT_EQ(test, cfg->n_addrs, 3);
	KUNIT_EXPECT_EQ(test, cfg->n_ports, 2);
	KUNIT_EXPECT_EQ(test, cfg->ports[0], 22);
	KUNIT_EXPECT_EQ(test, cfg->ports[1], 445);
	KUNIT_EXPECT_EQ(test, cfg->lease, 7200U);
	KUNIT_EXPECT_EQ(test, cfg->wake_count, SLEEPPROXY_WAKE_COUNT_DEFAULT);
	KUNIT_EXPECT_TRUE(test, sp_host_port_match(cfg, 22));
	KUNIT_EXPECT_TRUE(test, sp_host_port_match(cfg, 445));
	KUNIT_EXPECT_FALSE(test, sp_host_port_match(cfg, 80));
	KUNIT_EXPECT_FALSE(test, sp_host_port_match(cfg, 0));
}

static void sp_host_test_ports(struct kunit *test)
{
	struct sp_host_test *t = test->priv;
	const struct sp_host_cfg *cfg;
	struct sp_host *host;
	unsigned int i;

	sp_test_params(&t->p, 1, 1);
	for (i = 0; i < SLEEPPROXY_MAX_PORTS; i++)
		t->p.ports[i] = 65535 - 3 * i;
	t->p.n_ports = SLEEPPROXY_MAX_PORTS;
	KUNIT_ASSERT_EQ(test, sp_test_set(t, &host, NULL), 0);
	cfg = rcu_dereference_protected(host->cfg, true);
	for (i = 0; i < SLEEPPROXY_MAX_PORTS; i++) {
		KUNIT_EXPECT_TRUE(test, sp_host_port_match(cfg, 65535 - 3 * i));
		KUNIT_EXPECT_FALSE(test, sp_host_port_match(cfg, 65534 - 3 * i));
	}

	/* No list: only "any" wakes. */
	t->p.n_ports = 0;
	KUNIT_ASSERT_EQ(test, sp_test_set(t, &host, NULL), 0);
	cfg = rcu_dereference_protected(host->cfg, true);
	KUNIT_EXPECT_FALSE(test, sp_host_port_match(cfg, 22));
	t->p.flags = SLEEPPROXY_HOST_F_TCP_ANY;
	KUNIT_ASSERT_EQ(test, sp_test_set(t, &host, NULL), 0);
	cfg = rcu_dereference_protected(host->cfg, true);
	KUNIT_EXPECT_TRUE(test, sp_host_port_match(cfg, 22));
	KUNIT_EXPECT_TRUE(test, sp_host_port_match(cfg, 1));
}

static void sp_host_test_replace(struct kunit *test)
{
	struct sp_host_test *t = test->priv;
	struct sp_host *host, *again;
	bool created;

	sp_test_params(&t->p, 1, 1);
	t->p.n_ipv4 = 2;
	t->p.ipv4[1] = htonl(0xc0a80102);
	KUNIT_ASSERT_EQ(test, sp_test_set(t, &host, &created), 0);
	KUNIT_ASSERT_TRUE(test, sp_host_set_woken(host));
	sp_host_stat_inc(host, SP_HSTAT_WAKES);

	/* .1 goes, .2 stays, .3 comes. */
	t->p.ipv4[0] = htonl(0xc0a80103);
	KUNIT_ASSERT_EQ(test, sp_test_set(t, &again, &created), 0);
	KUNIT_EXPECT_FALSE(test, created);
	KUNIT_EXPECT_PTR_EQ(test, again, host);
	KUNIT_EXPECT_EQ(test, t->spn.nr_hosts, 1U);
	KUNIT_EXPECT_PTR_EQ(test, sp_test_owner4(t, 1, 0xc0a80101), NULL);
	KUNIT_EXPECT_PTR_EQ(test, sp_test_owner4(t, 1, 0xc0a80102), host);
	KUNIT_EXPECT_PTR_EQ(test, sp_test_owner4(t, 1, 0xc0a80103), host);
	/* Re-armed, counters kept. */
	KUNIT_EXPECT_EQ(test, host->state, (unsigned int)SLEEPPROXY_STATE_PROXYING);
	KUNIT_EXPECT_EQ(test, atomic64_read(&host->stats[SP_HSTAT_WAKES]), 1);
}

static void sp_host_test_conflict(struct kunit *test)
{
	struct sp_host_test *t = test->priv;
	struct sp_host *a, *b;
	u32 gen;

	sp_test_params(&t->p, 1, 1);
	KUNIT_ASSERT_EQ(test, sp_test_set(t, &a, NULL), 0);

	/* Another MAC claiming .1 on the same interface is refused... */
	sp_test_params(&t->p, 1, 2);
	t->p.n_ipv4 = 2;
	t->p.ipv4[1] = htonl(0xc0a80101);
	gen = t->spn.gen;
	KUNIT_EXPECT_EQ(test, sp_test_set(t, NULL, NULL), -EEXIST);
	KUNIT_EXPECT_EQ(test, t->spn.nr_hosts, 1U);
	KUNIT_EXPECT_EQ(test, t->spn.gen, gen);
	KUNIT_EXPECT_PTR_EQ(test, sp_test_by_mac(t, 1, t->p.mac), NULL);
	KUNIT_EXPECT_PTR_EQ(test, sp_test_owner4(t, 1, 0xc0a80102), NULL);
	KUNIT_EXPECT_PTR_EQ(test, sp_test_owner4(t, 1, 0xc0a80101), a);

	/* ...on another interface it is a different address. */
	t->p.ifindex = 2;
	KUNIT_EXPECT_EQ(test, sp_test_set(t, &b, NULL), 0);
	KUNIT_EXPECT_PTR_EQ(test, sp_test_owner4(t, 2, 0xc0a80101), b);
	KUNIT_EXPECT_PTR_EQ(test, sp_test_owner4(t, 1, 0xc0a80101), a);

	/* The same address twice in one registration. */
	sp_test_params(&t->p, 1, 3);
	t->p.n_ipv4 = 2;
	t->p.ipv4[1] = t->p.ipv4[0];
	KUNIT_EXPECT_EQ(test, sp_test_set(t, NULL, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, t->spn.nr_hosts, 2U);

	/* No address at all. */
	sp_test_params(&t->p, 1, 3);
	t->p.n_ipv4 = 0;
	KUNIT_EXPECT_EQ(test, sp_test_set(t, NULL, NULL), -EINVAL);
}

static void sp_host_test_del(struct kunit *test)
{
	struct sp_host_test *t = test->priv;
	int err;

	sp_test_params(&t->p, 1, 1);
	KUNIT_ASSERT_EQ(test, sp_test_set(t, NULL, NULL), 0);
	mutex_lock(&t->spn.lock);
	err = sp_host_del(&t->spn, NULL, 1, t->p.mac);
	mutex_unlock(&t->spn.lock);
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_EQ(test, t->spn.nr_hosts, 0U);
	KUNIT_EXPECT_PTR_EQ(test, sp_test_by_mac(t, 1, t->p.mac), NULL);
	KUNIT_EXPECT_PTR_EQ(test, sp_test_owner4(t, 1, 0xc0a80101), NULL);
	KUNIT_EXPECT_TRUE(test, xa_empty(&t->spn.ids));

	mutex_lock(&t->spn.lock);
	err = sp_host_del(&t->spn, NULL, 1, t->p.mac);
	mutex_unlock(&t->spn.lock);
	KUNIT_EXPECT_EQ(test, err, -ENOENT);

	/* Its address is free for another host now. */
	sp_test_params(&t->p, 1, 2);
	t->p.ipv4[0] = htonl(0xc0a80101);
	KUNIT_EXPECT_EQ(test, sp_test_set(t, NULL, NULL), 0);
}

static void sp_host_test_flush_dev(struct kunit *test)
{
	struct sp_host_test *t = test->priv;
	unsigned int n;
	u8 i;

	for (i = 1; i <= 10; i++) {
		sp_test_params(&t->p, 1 + i % 2, i);
		KUNIT_ASSERT_EQ(test, sp_test_set(t, NULL, NULL), 0);
	}
	mutex_lock(&t->spn.lock);
	n = sp_host_flush_dev(&t->spn, NULL, 2);
	mutex_unlock(&t->spn.lock);
	KUNIT_EXPECT_EQ(test, n, 5U);
	KUNIT_EXPECT_EQ(test, t->spn.nr_hosts, 5U);
	for (i = 1; i <= 10; i++)
		KUNIT_EXPECT_EQ(test, !!sp_test_owner4(t, 1 + i % 2, 0xc0a80100 | i),
				i % 2 == 0);
}

static void sp_host_test_cap(struct kunit *test)
{
	struct sp_host_test *t = test->priv;
	unsigned int saved = sp_max_hosts;
	u8 i;

	sp_max_hosts = 3;
	for (i = 1; i <= 3; i++) {
		sp_test_params(&t->p, 1, i);
		KUNIT_EXPECT_EQ(test, sp_test_set(t, NULL, NULL), 0);
	}
	sp_test_params(&t->p, 1, 4);
	KUNIT_EXPECT_EQ(test, sp_test_set(t, NULL, NULL), -ENOSPC);
	KUNIT_EXPECT_EQ(test, t->spn.nr_hosts, 3U);
	KUNIT_EXPECT_PTR_EQ(test, sp_test_owner4(t, 1, 0xc0a80104), NULL);
	/* Replacing a host is not adding one. */
	sp_test_params(&t->p, 1, 3);
	t->p.wake_count = 5;
	KUNIT_EXPECT_EQ(test, sp_test_set(t, NULL, NULL), 0);
	sp_max_hosts = saved;
}

#define SP_TEST_MANY 20000

static void sp_host_test_many(struct kunit *test)
{
	struct sp_host_test *t = test->priv;
	unsigned int i;
	int err;

	for (i = 0; i < SP_TEST_MANY; i++) {
		sp_test_params(&t->p, 1, 0);
		put_unaligned_be32(i, &t->p.mac[2]);
		t->p.ipv4[0] = htonl(0x0a000000 + i);
		KUNIT_ASSERT_EQ(test, sp_test_set(t, NULL, NULL), 0);
	}
	KUNIT_EXPECT_EQ(test, t->spn.nr_hosts, SP_TEST_MANY);
	for (i = 0; i < SP_TEST_MANY; i += 2) {
		sp_test_params(&t->p, 1, 0);
		put_unaligned_be32(i, &t->p.mac[2]);
		mutex_lock(&t->spn.lock);
		err = sp_host_del(&t->spn, NULL, 1, t->p.mac);
		mutex_unlock(&t->spn.lock);
		KUNIT_ASSERT_EQ(test, err, 0);
	}
	for (i = 0; i < SP_TEST_MANY; i++) {
		struct sp_host *host = sp_test_owner4(t, 1, 0x0a000000 + i);

		KUNIT_ASSERT_EQ(test, !!host, i % 2 == 1);
		if (host)
			KUNIT_ASSERT_EQ(test, get_unaligned_be32(&host->key.mac[2]), i);
	}
	KUNIT_EXPECT_EQ(test, t->spn.nr_hosts, SP_TEST_MANY / 2);
}

static void sp_host_test_states(struct kunit *test)
{
	struct sp_host_test *t = test->priv;
	struct sp_host *host;

	sp_test_params(&t->p, 1, 1);
	KUNIT_ASSERT_EQ(test, sp_test_set(t, &host, NULL), 0);
	KUNIT_EXPECT_TRUE(test, sp_host_proxying(host));
	KUNIT_EXPECT_TRUE(test, sp_host_in_grace(host));
	KUNIT_EXPECT_FALSE(test, sp_host_solicit_due(host));
	/* One wake, then none until the re-wake interval has passed. */
	KUNIT_EXPECT_TRUE(test, sp_host_set_woken(host));
	KUNIT_EXPECT_EQ(test, host->state, (unsigned int)SLEEPPROXY_STATE_WOKEN);
	KUNIT_EXPECT_FALSE(test, sp_host_set_woken(host));
	host->last_wake -= SP_REWAKE_INTERVAL + 1;
	KUNIT_EXPECT_TRUE(test, sp_host_set_woken(host));
	KUNIT_EXPECT_FALSE(test, sp_host_set_woken(host));
	KUNIT_EXPECT_TRUE(test, sp_host_proxying(host));
	/* While woken, ask the host at most once a second whether it is up. */
	host->last_solicit = jiffies - SP_SOLICIT_INTERVAL - 1;
	KUNIT_EXPECT_TRUE(test, sp_host_solicit_due(host));
	KUNIT_EXPECT_FALSE(test, sp_host_solicit_due(host));
	host->last_solicit -= SP_SOLICIT_INTERVAL + 1;
	KUNIT_EXPECT_TRUE(test, sp_host_solicit_due(host));
	/* Awake once; then nothing wakes it. */
	KUNIT_EXPECT_TRUE(test, sp_host_set_awake(host));
	KUNIT_EXPECT_FALSE(test, sp_host_set_awake(host));
	KUNIT_EXPECT_FALSE(test, sp_host_proxying(host));
	host->last_wake -= SP_REWAKE_INTERVAL + 1;
	KUNIT_EXPECT_FALSE(test, sp_host_set_woken(host));
	host->last_solicit -= SP_SOLICIT_INTERVAL + 1;
	KUNIT_EXPECT_FALSE(test, sp_host_solicit_due(host));
	/* A new registration re-arms it. */
	KUNIT_ASSERT_EQ(test, sp_test_set(t, NULL, NULL), 0);
	KUNIT_EXPECT_TRUE(test, sp_host_proxying(host));
	KUNIT_EXPECT_EQ(test, host->state, (unsigned int)SLEEPPROXY_STATE_PROXYING);
	host->armed -= msecs_to_jiffies(sp_awake_grace_ms) + 1;
	KUNIT_EXPECT_FALSE(test, sp_host_in_grace(host));
}

/*
 * Random registrations, replacements and deletions over a small universe
 * of MACs, addresses and interfaces, checked after every step against a
 * model that is just arrays.
 */
#define SP_MODEL_MACS	12
#define SP_MODEL_ADDRS	24
#define SP_MODEL_IFS	2
#define SP_MODEL_STEPS	3000

struct sp_model {
	/* owner[if][addr]: MAC index + 1, or 0 */
	u8 owner[SP_MODEL_IFS][SP_MODEL_ADDRS];
	bool present[SP_MODEL_IFS][SP_MODEL_MACS];
};

static void sp_model_params(struct sp_host_params *p, int ifidx, int m)
{
	sp_test_params(p, ifidx + 1, m + 1);
	p->n_ipv4 = 0;
}

static void sp_host_test_model(struct kunit *test)
{
	struct sp_host_test *t = test->priv;
	struct sp_model *model;
	unsigned int step, i;

	model = kunit_kzalloc(test, sizeof(*model), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, model);

	for (step = 0; step < SP_MODEL_STEPS; step++) {
		int ifidx = get_random_u32() % SP_MODEL_IFS;
		int m = get_random_u32() % SP_MODEL_MACS;
		bool conflict = false;
		int err, a;

		sp_model_params(&t->p, ifidx, m);
		if (get_random_u32() % 4 == 0) {
			mutex_lock(&t->spn.lock);
			err = sp_host_del(&t->spn, NULL, ifidx + 1, t->p.mac);
			mutex_unlock(&t->spn.lock);
			KUNIT_ASSERT_EQ(test, err,
					model->present[ifidx][m] ? 0 : -ENOENT);
			model->present[ifidx][m] = false;
			for (a = 0; a < SP_MODEL_ADDRS; a++)
				if (model->owner[ifidx][a] == m + 1)
					model->owner[ifidx][a] = 0;
		} else {
			unsigned long used = 0;

			t->p.n_ipv4 = 1 + get_random_u32() % SLEEPPROXY_MAX_IPV4;
			for (i = 0; i < t->p.n_ipv4; i++) {
				do
					a = get_random_u32() % SP_MODEL_ADDRS;
				while (used & BIT(a));
				used |= BIT(a);
				t->p.ipv4[i] = htonl(0x0a000000 + a);
				if (model->owner[ifidx][a] &&
				    model->owner[ifidx][a] != m + 1)
					conflict = true;
			}
			err = sp_test_set(t, NULL, NULL);
			KUNIT_ASSERT_EQ(test, err, conflict ? -EEXIST : 0);
			if (!err) {
				model->present[ifidx][m] = true;
				for (a = 0; a < SP_MODEL_ADDRS; a++) {
					if (model->owner[ifidx][a] == m + 1)
						model->owner[ifidx][a] = 0;
					if (used & BIT(a))
						model->owner[ifidx][a] = m + 1;
				}
			}
		}

		for (ifidx = 0; ifidx < SP_MODEL_IFS; ifidx++) {
			for (a = 0; a < SP_MODEL_ADDRS; a++) {
				struct sp_host *h = sp_test_owner4(t, ifidx + 1,
								   0x0a000000 + a);
				u8 want = model->owner[ifidx][a];

				KUNIT_ASSERT_EQ(test, h ? h->key.mac[5] : 0, want);
			}
			for (m = 0; m < SP_MODEL_MACS; m++) {
				sp_model_params(&t->p, ifidx, m);
				KUNIT_ASSERT_EQ(test,
						!!sp_test_by_mac(t, ifidx + 1, t->p.mac),
						model->present[ifidx][m]);
			}
		}
	}
}

static struct kunit_case sp_host_test_cases[] = {
	KUNIT_CASE(sp_host_test_add),
	KUNIT_CASE(sp_host_test_ports),
	KUNIT_CASE(sp_host_test_replace),
	KUNIT_CASE(sp_host_test_conflict),
	KUNIT_CASE(sp_host_test_del),
	KUNIT_CASE(sp_host_test_flush_dev),
	KUNIT_CASE(sp_host_test_cap),
	KUNIT_CASE(sp_host_test_many),
	KUNIT_CASE(sp_host_test_states),
	KUNIT_CASE(sp_host_test_model),
	{}
};

static struct kunit_suite sp_host_test_suite = {
	.name = "sleepproxy_host",
	.init = sp_host_test_init,
	.exit = sp_host_test_exit,
	.test_cases = sp_host_test_cases,
};

kunit_test_suite(sp_host_test_suite);
