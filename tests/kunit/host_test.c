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
	t->spn.stats = sp_stats_alloc(SP_STAT_COUNT, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t->spn.stats);
	KUNIT_ASSERT_EQ(test, sp_hosts_init(&t->spn), 0);
	test->priv = t;
	return 0;
}

static void sp_host_test_exit(struct kunit *test)
{
	struct sp_host_test *t = test->priv;

	sp_hosts_destroy(&t->spn);
	free_percpu(t->spn.stats);
	/* Let KASAN see every freed host before the next case. */
	rcu_barrier();
}

static u64 sp_test_hstat(struct sp_host *host, enum sp_host_stat idx)
{
	u64 vals[SP_HSTAT_COUNT];

	sp_host_stats_read(host, vals);
	return vals[idx];
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

/* What the hook finds: a host that is not awake (or one that woke lately). */
static struct sp_host *sp_test_asleep_by_mac(struct sp_host_test *t,
					     int ifindex, const u8 *mac)
{
	struct sp_host *host;

	rcu_read_lock();
	host = sp_host_lookup_asleep(&t->spn, ifindex, mac);
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
	/* Not taken over before it has been silent for a while. */
	KUNIT_EXPECT_EQ(test, host->state, (unsigned int)SLEEPPROXY_STATE_REGISTERED);
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
	KUNIT_ASSERT_TRUE(test, sp_host_set_proxying(host));
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
	/* Still woken (registering again does not interrupt proxying), counters kept. */
	KUNIT_EXPECT_EQ(test, host->state, (unsigned int)SLEEPPROXY_STATE_WOKEN);
	KUNIT_EXPECT_EQ(test, sp_test_hstat(host, SP_HSTAT_WAKES), 1ULL);
}

/*
 * What the magic packets carry and who registered the host: defaults, set,
 * and back to the defaults when a replacement leaves them out.
 */
static void sp_host_test_magic(struct kunit *test)
{
	static const u8 wake_mac[ETH_ALEN] __aligned(2) = {
		0x52, 0x54, 0x00, 0x00, 0x00, 0x99
	};
	static const u8 password[] = { 0xde, 0xad, 0xbe, 0xef, 0x00, 0x42 };
	struct sp_host_test *t = test->priv;
	const struct sp_host_cfg *cfg;
	struct sp_host *host, *again;

	sp_test_params(&t->p, 1, 1);
	KUNIT_ASSERT_EQ(test, sp_test_set(t, &host, NULL), 0);
	cfg = rcu_dereference_protected(host->cfg, true);
	KUNIT_EXPECT_TRUE(test, ether_addr_equal(cfg->magic.mac, t->p.mac));
	KUNIT_EXPECT_EQ(test, cfg->magic.password_len, 0);
	KUNIT_EXPECT_EQ(test, cfg->origin, SLEEPPROXY_ORIGIN_ADMIN);

	ether_addr_copy(t->p.magic.mac, wake_mac);
	memcpy(t->p.magic.password, password, sizeof(password));
	t->p.magic.password_len = sizeof(password);
	t->p.origin = SLEEPPROXY_ORIGIN_SPSD;
	KUNIT_ASSERT_EQ(test, sp_test_set(t, &again, NULL), 0);
	KUNIT_EXPECT_PTR_EQ(test, again, host);
	cfg = rcu_dereference_protected(host->cfg, true);
	KUNIT_EXPECT_TRUE(test, ether_addr_equal(cfg->magic.mac, wake_mac));
	KUNIT_EXPECT_EQ(test, cfg->magic.password_len, sizeof(password));
	KUNIT_EXPECT_EQ(test, memcmp(cfg->magic.password, password,
				     sizeof(password)), 0);
	KUNIT_EXPECT_EQ(test, cfg->origin, SLEEPPROXY_ORIGIN_SPSD);
	/* The host is still known by its own MAC, not the one to wake. */
	KUNIT_EXPECT_PTR_EQ(test, sp_test_by_mac(t, 1, t->p.mac), host);
	KUNIT_EXPECT_PTR_EQ(test, sp_test_by_mac(t, 1, wake_mac), NULL);

	t->p.magic.password_len = 4;
	KUNIT_ASSERT_EQ(test, sp_test_set(t, &again, NULL), 0);
	cfg = rcu_dereference_protected(host->cfg, true);
	KUNIT_EXPECT_EQ(test, cfg->magic.password_len, 4);
	KUNIT_EXPECT_EQ(test, memcmp(cfg->magic.password, password, 4), 0);

	sp_test_params(&t->p, 1, 1);
	KUNIT_ASSERT_EQ(test, sp_test_set(t, &again, NULL), 0);
	cfg = rcu_dereference_protected(host->cfg, true);
	KUNIT_EXPECT_TRUE(test, ether_addr_equal(cfg->magic.mac, t->p.mac));
	KUNIT_EXPECT_EQ(test, cfg->magic.password_len, 0);
	KUNIT_EXPECT_EQ(test, cfg->origin, SLEEPPROXY_ORIGIN_ADMIN);

	/* Longer than any SecureOn password: refused, nothing changed. */
	t->p.magic.password_len = SP_WOL_PASSWORD_MAX + 1;
	KUNIT_EXPECT_EQ(test, sp_test_set(t, &again, NULL), -EINVAL);
	KUNIT_EXPECT_PTR_EQ(test, rcu_dereference_protected(host->cfg, true),
			    cfg);
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

/*
 * @host wakes, and the filter is built again until its MAC is out: the
 * MAC's bit may share its slot with the address's, 1 in 512 for each build.
 */
static void sp_test_wake_filtered(struct kunit *test, struct sp_host *host)
{
	struct sp_host_test *t = test->priv;
	int tries;

	WRITE_ONCE(host->state, SLEEPPROXY_STATE_PROXYING);
	KUNIT_ASSERT_TRUE(test, sp_host_set_awake(host));
	sp_filter_woken(&t->spn);
	KUNIT_EXPECT_TRUE(test, delayed_work_pending(&t->spn.filter_work));
	/* Until the filter is built again, the hook still finds it. */
	KUNIT_EXPECT_PTR_EQ(test, sp_test_asleep_by_mac(t, 1, t->p.mac), host);
	for (tries = 0; tries < 4; tries++) {
		flush_delayed_work(&t->spn.filter_work);
		if (!sp_test_asleep_by_mac(t, 1, t->p.mac))
			break;
		sp_filter_woken(&t->spn);
	}
	KUNIT_EXPECT_LT(test, tries, 4);
	KUNIT_EXPECT_FALSE(test, delayed_work_pending(&t->spn.filter_work));
}

/*
 * A host that woke leaves the filter in front of the tables when it is
 * built again (the hook has nothing to do with its frames), and is back in
 * it as soon as it registers again, also when the registration's change
 * has the filter built again; lookups for netlink find it always.
 */
static void sp_host_test_woken(struct kunit *test)
{
	struct sp_host_test *t = test->priv;
	struct sp_host *host;
	u8 id;

	sp_test_params(&t->p, 1, 1);
	KUNIT_ASSERT_EQ(test, sp_test_set(t, &host, NULL), 0);
	KUNIT_EXPECT_PTR_EQ(test, sp_test_asleep_by_mac(t, 1, t->p.mac), host);
	sp_test_wake_filtered(test, host);
	KUNIT_EXPECT_PTR_EQ(test, sp_test_by_mac(t, 1, t->p.mac), host);
	KUNIT_EXPECT_PTR_EQ(test, sp_test_owner4(t, 1, 0xc0a80101), host);

	/* Registered again: going to sleep, and the hook finds it at once. */
	KUNIT_ASSERT_EQ(test, sp_test_set(t, NULL, NULL), 0);
	KUNIT_EXPECT_EQ(test, READ_ONCE(host->state),
			(unsigned int)SLEEPPROXY_STATE_REGISTERED);
	KUNIT_EXPECT_PTR_EQ(test, sp_test_asleep_by_mac(t, 1, t->p.mac), host);

	/*
	 * Again, beside 39 other hosts and with as many keys removed as are
	 * left: the old registration's address leaving builds the filter,
	 * while the host is still awake.
	 */
	for (id = 2; id <= 40; id++) {
		sp_test_params(&t->p, 1, id);
		KUNIT_ASSERT_EQ(test, sp_test_set(t, NULL, NULL), 0);
	}
	sp_test_params(&t->p, 1, 1);
	sp_test_wake_filtered(test, host);
	mutex_lock(&t->spn.lock);
	t->spn.filter_stale = t->spn.filter_keys;
	mutex_unlock(&t->spn.lock);
	KUNIT_ASSERT_EQ(test, sp_test_set(t, NULL, NULL), 0);
	KUNIT_EXPECT_EQ(test, t->spn.filter_stale, 0U);
	KUNIT_EXPECT_EQ(test, t->spn.filter_keys, 40U * 2);
	KUNIT_EXPECT_PTR_EQ(test, sp_test_asleep_by_mac(t, 1, t->p.mac), host);
}

static void sp_host_test_del(struct kunit *test)
{
	struct sp_host_test *t = test->priv;
	int err;

	sp_test_params(&t->p, 1, 1);
	KUNIT_ASSERT_EQ(test, sp_test_set(t, NULL, NULL), 0);
	mutex_lock(&t->spn.lock);
	err = sp_host_del(&t->spn, NULL, 1, t->p.mac, SLEEPPROXY_REMOVED_DELETED);
	mutex_unlock(&t->spn.lock);
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_EQ(test, t->spn.nr_hosts, 0U);
	KUNIT_EXPECT_PTR_EQ(test, sp_test_by_mac(t, 1, t->p.mac), NULL);
	KUNIT_EXPECT_PTR_EQ(test, sp_test_owner4(t, 1, 0xc0a80101), NULL);
	KUNIT_EXPECT_TRUE(test, xa_empty(&t->spn.ids));

	mutex_lock(&t->spn.lock);
	err = sp_host_del(&t->spn, NULL, 1, t->p.mac, SLEEPPROXY_REMOVED_DELETED);
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
	n = sp_host_flush_dev(&t->spn, NULL, 2, SLEEPPROXY_REMOVED_INTERFACE);
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
	u8 i;

	sp_setting_set(&t->spn, SP_MAX_HOSTS, 3);
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
		err = sp_host_del(&t->spn, NULL, 1, t->p.mac, SLEEPPROXY_REMOVED_DELETED);
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

/* Move a host's time stamp @ticks jiffies into the past. */
static void sp_test_age(atomic64_t *stamp, u64 ticks)
{
	atomic64_sub(ticks, stamp);
}

static void sp_host_test_states(struct kunit *test)
{
	struct sp_host_test *t = test->priv;
	struct sp_host *host;

	sp_test_params(&t->p, 1, 1);
	KUNIT_ASSERT_EQ(test, sp_test_set(t, &host, NULL), 0);
	/* Registered: the host is still up, nothing is answered for it. */
	KUNIT_EXPECT_EQ(test, host->state, (unsigned int)SLEEPPROXY_STATE_REGISTERED);
	KUNIT_EXPECT_FALSE(test, sp_host_proxying(host));
	KUNIT_EXPECT_FALSE(test, sp_host_set_woken(host));
	KUNIT_EXPECT_FALSE(test, sp_host_set_awake(host));
	/* The takeover, once. */
	KUNIT_EXPECT_TRUE(test, sp_host_set_proxying(host));
	KUNIT_EXPECT_FALSE(test, sp_host_set_proxying(host));
	KUNIT_EXPECT_TRUE(test, sp_host_proxying(host));
	KUNIT_EXPECT_FALSE(test, sp_host_solicit_due(host));
	/* One wake, then none until the re-wake interval has passed. */
	KUNIT_EXPECT_TRUE(test, sp_host_set_woken(host));
	KUNIT_EXPECT_EQ(test, host->state, (unsigned int)SLEEPPROXY_STATE_WOKEN);
	KUNIT_EXPECT_FALSE(test, sp_host_set_woken(host));
	sp_test_age(&host->last_wake, SP_REWAKE_INTERVAL + 1);
	KUNIT_EXPECT_TRUE(test, sp_host_set_woken(host));
	KUNIT_EXPECT_FALSE(test, sp_host_set_woken(host));
	KUNIT_EXPECT_TRUE(test, sp_host_proxying(host));
	/* While woken, ask the host at most once a second whether it is up. */
	atomic64_set(&host->last_solicit,
		     get_jiffies_64() - SP_SOLICIT_INTERVAL - 1);
	KUNIT_EXPECT_TRUE(test, sp_host_solicit_due(host));
	KUNIT_EXPECT_FALSE(test, sp_host_solicit_due(host));
	sp_test_age(&host->last_solicit, SP_SOLICIT_INTERVAL + 1);
	KUNIT_EXPECT_TRUE(test, sp_host_solicit_due(host));
	/* Awake once; then nothing wakes it. */
	KUNIT_EXPECT_TRUE(test, sp_host_set_awake(host));
	KUNIT_EXPECT_FALSE(test, sp_host_set_awake(host));
	KUNIT_EXPECT_FALSE(test, sp_host_proxying(host));
	sp_test_age(&host->last_wake, SP_REWAKE_INTERVAL + 1);
	KUNIT_EXPECT_FALSE(test, sp_host_set_woken(host));
	sp_test_age(&host->last_solicit, SP_SOLICIT_INTERVAL + 1);
	KUNIT_EXPECT_FALSE(test, sp_host_solicit_due(host));
	/* A new registration waits for silence again. */
	KUNIT_ASSERT_EQ(test, sp_test_set(t, NULL, NULL), 0);
	KUNIT_EXPECT_EQ(test, host->state, (unsigned int)SLEEPPROXY_STATE_REGISTERED);
	/* Times far apart: more than 32-bit jiffies can tell (R7 of 32-bit). */
	sp_test_age(&host->last_wake, (u64)U32_MAX * 3);
	KUNIT_EXPECT_TRUE(test, sp_host_set_proxying(host));
	KUNIT_EXPECT_TRUE(test, sp_host_set_woken(host));
	sp_test_age(&host->last_wake, (u64)U32_MAX + SP_REWAKE_INTERVAL);
	KUNIT_EXPECT_TRUE(test, sp_host_set_woken(host));
}

static u64 sp_test_next_event(struct sp_host_test *t, struct sp_host *host)
{
	u64 when;

	mutex_lock(&t->spn.lock);
	when = sp_host_next_event(&t->spn, host);
	mutex_unlock(&t->spn.lock);
	return when;
}

/* Run the namespace's lifecycle work now, as its timer would. */
static void sp_test_lifecycle(struct sp_host_test *t)
{
	cancel_delayed_work_sync(&t->spn.lifecycle);
	sp_lifecycle_run(&t->spn);
}

static void sp_host_test_takeover(struct kunit *test)
{
	struct sp_host_test *t = test->priv;
	struct sp_host *host;
	u64 grace = msecs_to_jiffies(sp_setting(&t->spn, SP_AWAKE_GRACE_MS));

	sp_test_params(&t->p, 1, 1);
	KUNIT_ASSERT_EQ(test, sp_test_set(t, &host, NULL), 0);
	/* Not silent long enough yet: still registered. */
	sp_test_lifecycle(t);
	KUNIT_EXPECT_EQ(test, host->state, (unsigned int)SLEEPPROXY_STATE_REGISTERED);
	KUNIT_EXPECT_TRUE(test, delayed_work_pending(&t->spn.lifecycle));
	/* A frame from the host puts it off; silence past the grace does not. */
	sp_test_age(&host->last_seen, grace + 1);
	sp_host_seen(host);
	sp_test_lifecycle(t);
	KUNIT_EXPECT_EQ(test, host->state, (unsigned int)SLEEPPROXY_STATE_REGISTERED);
	sp_test_age(&host->last_seen, grace);
	sp_test_lifecycle(t);
	KUNIT_EXPECT_EQ(test, host->state, (unsigned int)SLEEPPROXY_STATE_PROXYING);
	/* Nothing left to do: no lease. */
	KUNIT_EXPECT_EQ(test, sp_test_next_event(t, host), U64_MAX);
}

static void sp_host_test_lease(struct kunit *test)
{
	struct sp_host_test *t = test->priv;
	struct sp_host *host;
	u64 vals[SP_STAT_COUNT];

	sp_test_params(&t->p, 1, 1);
	t->p.lease = 100;
	KUNIT_ASSERT_EQ(test, sp_test_set(t, &host, NULL), 0);
	KUNIT_EXPECT_EQ(test, sp_host_lease_left(host), 100U);
	KUNIT_ASSERT_TRUE(test, sp_host_set_proxying(host));
	/* Woken 10 s (a tenth of the lease) before it ends. */
	KUNIT_EXPECT_EQ(test, atomic64_read(&host->expires) -
			sp_test_next_event(t, host), (u64)10 * HZ);
	sp_test_age(&host->expires, 89 * HZ);
	KUNIT_EXPECT_EQ(test, sp_host_lease_left(host), 11U);
	sp_test_lifecycle(t);
	KUNIT_EXPECT_EQ(test, host->state, (unsigned int)SLEEPPROXY_STATE_PROXYING);
	sp_test_age(&host->expires, 2 * HZ);
	sp_test_lifecycle(t);
	KUNIT_EXPECT_EQ(test, host->state, (unsigned int)SLEEPPROXY_STATE_WOKEN);
	KUNIT_EXPECT_TRUE(test, host->lease_woken);
	KUNIT_EXPECT_EQ(test, sp_test_next_event(t, host),
			(u64)atomic64_read(&host->expires));
	/* Registering again refreshes the lease and keeps proxying. */
	KUNIT_ASSERT_EQ(test, sp_test_set(t, NULL, NULL), 0);
	KUNIT_EXPECT_EQ(test, sp_host_lease_left(host), 100U);
	KUNIT_EXPECT_FALSE(test, host->lease_woken);
	KUNIT_EXPECT_EQ(test, host->state, (unsigned int)SLEEPPROXY_STATE_WOKEN);
	/* The end: gone, and counted. */
	sp_test_age(&host->expires, 100 * HZ);
	KUNIT_EXPECT_EQ(test, sp_host_lease_left(host), 0U);
	sp_test_lifecycle(t);
	KUNIT_EXPECT_EQ(test, t->spn.nr_hosts, 0U);
	KUNIT_EXPECT_PTR_EQ(test, sp_test_owner4(t, 1, 0xc0a80101), NULL);
	sp_stats_read(t->spn.stats, SP_STAT_COUNT, vals);
	KUNIT_EXPECT_EQ(test, vals[SP_STAT_LEASES_EXPIRED], 1ULL);
	KUNIT_EXPECT_FALSE(test, delayed_work_pending(&t->spn.lifecycle));

	/* lease-wake off: no wake before the end. */
	sp_test_params(&t->p, 1, 2);
	t->p.lease = 100;
	t->p.flags = SLEEPPROXY_HOST_F_NO_LEASE_WAKE;
	KUNIT_ASSERT_EQ(test, sp_test_set(t, &host, NULL), 0);
	KUNIT_ASSERT_TRUE(test, sp_host_set_proxying(host));
	KUNIT_EXPECT_EQ(test, sp_test_next_event(t, host),
			(u64)atomic64_read(&host->expires));
	sp_test_age(&host->expires, 99 * HZ + HZ / 2);
	sp_test_lifecycle(t);
	KUNIT_EXPECT_EQ(test, host->state, (unsigned int)SLEEPPROXY_STATE_PROXYING);
}

/*
 * Random registrations, replacements, deletions and wakes over a small
 * universe of MACs, addresses and interfaces, checked after every step
 * against a model that is just arrays: the tables hold what the model
 * holds, and the filter in front of them hides no host that is not awake,
 * whenever it is built again.
 */
#define SP_MODEL_MACS	12
#define SP_MODEL_ADDRS	24
#define SP_MODEL_IFS	2
#define SP_MODEL_STEPS	60000

struct sp_model {
	/* owner[if][addr]: MAC index + 1, or 0 */
	u8 owner[SP_MODEL_IFS][SP_MODEL_ADDRS];
	bool present[SP_MODEL_IFS][SP_MODEL_MACS];
	bool awake[SP_MODEL_IFS][SP_MODEL_MACS];
};

static void sp_model_params(struct sp_host_params *p, int ifidx, int m)
{
	sp_test_params(p, ifidx + 1, m + 1);
	p->n_ipv4 = 0;
}

/* The keys the filter counts: every host's MAC and every address. */
static unsigned int sp_model_keys(const struct sp_model *model)
{
	unsigned int n = 0;
	int ifidx, i;

	for (ifidx = 0; ifidx < SP_MODEL_IFS; ifidx++) {
		for (i = 0; i < SP_MODEL_MACS; i++)
			n += model->present[ifidx][i];
		for (i = 0; i < SP_MODEL_ADDRS; i++)
			n += !!model->owner[ifidx][i];
	}
	return n;
}

static void sp_host_test_model(struct kunit *test)
{
	struct sp_host_test *t = test->priv;
	struct sp_model *model;
	unsigned int step, i, keys;

	model = kunit_kzalloc(test, sizeof(*model), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, model);

	for (step = 0; step < SP_MODEL_STEPS; step++) {
		int ifidx = get_random_u32() % SP_MODEL_IFS;
		int m = get_random_u32() % SP_MODEL_MACS;
		bool conflict = false;
		int err, a;

		sp_model_params(&t->p, ifidx, m);
		if (get_random_u32() % 8 == 0) {
			/* The host wakes; the filter may be built again. */
			struct sp_host *h = sp_test_by_mac(t, ifidx + 1,
							   t->p.mac);

			KUNIT_ASSERT_EQ(test, !!h, model->present[ifidx][m]);
			if (h && !model->awake[ifidx][m]) {
				WRITE_ONCE(h->state, SLEEPPROXY_STATE_PROXYING);
				KUNIT_ASSERT_TRUE(test, sp_host_set_awake(h));
				sp_filter_woken(&t->spn);
				model->awake[ifidx][m] = true;
			}
			if (get_random_u32() % 2)
				flush_delayed_work(&t->spn.filter_work);
		} else if (get_random_u32() % 4 == 0) {
			mutex_lock(&t->spn.lock);
			err = sp_host_del(&t->spn, NULL, ifidx + 1, t->p.mac,
					  SLEEPPROXY_REMOVED_DELETED);
			mutex_unlock(&t->spn.lock);
			KUNIT_ASSERT_EQ(test, err,
					model->present[ifidx][m] ? 0 : -ENOENT);
			model->present[ifidx][m] = false;
			model->awake[ifidx][m] = false;
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
				model->awake[ifidx][m] = false;
				for (a = 0; a < SP_MODEL_ADDRS; a++) {
					if (model->owner[ifidx][a] == m + 1)
						model->owner[ifidx][a] = 0;
					if (used & BIT(a))
						model->owner[ifidx][a] = m + 1;
				}
			}
		}

		mutex_lock(&t->spn.lock);
		keys = t->spn.filter_keys;
		mutex_unlock(&t->spn.lock);
		KUNIT_ASSERT_EQ(test, keys, sp_model_keys(model));

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
				/* The filter never hides a host that may sleep. */
				if (model->present[ifidx][m] &&
				    !model->awake[ifidx][m])
					KUNIT_ASSERT_NOT_NULL(test,
							      sp_test_asleep_by_mac(t, ifidx + 1,
										    t->p.mac));
			}
		}
	}
}

/*
 * A host's counters, and its interface's copy of them at SP_DSTAT_HOST():
 * each event counted once in both, by its amount, and kept when the host
 * registers again.
 */
static void sp_host_test_counters(struct kunit *test)
{
	struct sp_host_test *t = test->priv;
	struct sp_dev *spd = kunit_kzalloc(test, sizeof(*spd), GFP_KERNEL);
	struct sp_stats __percpu *dstats;
	u64 dvals[SP_DSTAT_COUNT];
	struct sp_host *host;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, spd);
	dstats = sp_stats_alloc(SP_DSTAT_COUNT, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, dstats);
	spd->stats = dstats;
	sp_test_params(&t->p, 1, 1);
	KUNIT_ASSERT_EQ(test, sp_test_set(t, &host, NULL), 0);
	host->spd = spd;

	sp_host_stat_inc(host, SP_HSTAT_ARP_REPLIES);
	sp_host_stat_add(host, SP_HSTAT_MAGIC_SENT, 6);
	/* From softirq as from process context. */
	local_bh_disable();
	sp_host_stat_add(host, SP_HSTAT_ARP_REPLIES, 10);
	local_bh_enable();
	KUNIT_EXPECT_EQ(test, sp_test_hstat(host, SP_HSTAT_ARP_REPLIES), 11ULL);
	KUNIT_EXPECT_EQ(test, sp_test_hstat(host, SP_HSTAT_MAGIC_SENT), 6ULL);
	KUNIT_EXPECT_EQ(test, sp_test_hstat(host, SP_HSTAT_WAKES), 0ULL);

	sp_stats_read(dstats, SP_DSTAT_COUNT, dvals);
	for (i = 0; i < SP_DSTAT_COUNT; i++) {
		u64 want = 0;

		if (i == SP_DSTAT_HOST(SP_HSTAT_ARP_REPLIES))
			want = 11;
		else if (i == SP_DSTAT_HOST(SP_HSTAT_MAGIC_SENT))
			want = 6;
		KUNIT_EXPECT_EQ_MSG(test, dvals[i], want, "counter %u", i);
	}

	KUNIT_ASSERT_EQ(test, sp_test_set(t, NULL, NULL), 0);
	KUNIT_EXPECT_EQ(test, sp_test_hstat(host, SP_HSTAT_MAGIC_SENT), 6ULL);

	/* The host goes before its interface's counters do. */
	mutex_lock(&t->spn.lock);
	sp_host_flush_dev(&t->spn, NULL, 0, SP_REMOVED_QUIETLY);
	mutex_unlock(&t->spn.lock);
	rcu_barrier();
	free_percpu(dstats);
}

/*
 * The interface's count of hosts not awake follows every transition,
 * once each: registration, takeover, wake, awake, registration again,
 * removal, and a late "awake" from a reader that found a removed host.
 */
static void sp_host_test_asleep(struct kunit *test)
{
	struct sp_host_test *t = test->priv;
	struct sp_dev *spd = kunit_kzalloc(test, sizeof(*spd), GFP_KERNEL);
	struct sp_host *host, *other;
	atomic_t *asleep;

	KUNIT_ASSERT_NOT_NULL(test, spd);
	asleep = &spd->asleep;
	sp_test_params(&t->p, 1, 40);
	KUNIT_ASSERT_EQ(test, sp_test_set(t, &host, NULL), 0);
	/* As sp_host_set() does with an interface. */
	host->spd = spd;
	atomic_inc(asleep);
	sp_test_params(&t->p, 1, 41);
	KUNIT_ASSERT_EQ(test, sp_test_set(t, &other, NULL), 0);
	other->spd = spd;
	atomic_inc(asleep);

	KUNIT_EXPECT_TRUE(test, sp_host_set_proxying(host));
	KUNIT_EXPECT_TRUE(test, sp_host_set_woken(host));
	KUNIT_EXPECT_EQ(test, atomic_read(asleep), 2);
	KUNIT_EXPECT_TRUE(test, sp_host_set_awake(host));
	KUNIT_EXPECT_FALSE(test, sp_host_set_awake(host));
	KUNIT_EXPECT_EQ(test, atomic_read(asleep), 1);

	/* Registered again while awake: it counts until it is awake again. */
	sp_test_params(&t->p, 1, 40);
	KUNIT_ASSERT_EQ(test, sp_test_set(t, NULL, NULL), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(asleep), 2);
	/* Registered again while asleep: no change. */
	KUNIT_ASSERT_EQ(test, sp_test_set(t, NULL, NULL), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(asleep), 2);

	/*
	 * Removed while asleep (the step of sp_host_remove() that counts),
	 * then "seen awake" by a reader that found it before; the removal
	 * itself then changes nothing more.
	 */
	sp_host_gone(host);
	KUNIT_EXPECT_EQ(test, atomic_read(asleep), 1);
	KUNIT_EXPECT_FALSE(test, sp_host_set_awake(host));
	KUNIT_EXPECT_FALSE(test, sp_host_set_woken(host));
	KUNIT_EXPECT_FALSE(test, sp_host_set_proxying(host));
	mutex_lock(&t->spn.lock);
	KUNIT_EXPECT_EQ(test, sp_host_del(&t->spn, NULL, 1, t->p.mac,
					  SLEEPPROXY_REMOVED_DELETED), 0);
	mutex_unlock(&t->spn.lock);
	KUNIT_EXPECT_EQ(test, atomic_read(asleep), 1);

	/* Removed while awake: already off the count. */
	KUNIT_EXPECT_TRUE(test, sp_host_set_proxying(other));
	KUNIT_EXPECT_TRUE(test, sp_host_set_awake(other));
	KUNIT_EXPECT_EQ(test, atomic_read(asleep), 0);
	sp_test_params(&t->p, 1, 41);
	mutex_lock(&t->spn.lock);
	KUNIT_EXPECT_EQ(test, sp_host_del(&t->spn, NULL, 1, t->p.mac,
					  SLEEPPROXY_REMOVED_DELETED), 0);
	mutex_unlock(&t->spn.lock);
	KUNIT_EXPECT_EQ(test, atomic_read(asleep), 0);
}

/*
 * What a host with one IPv4 address (and one port) costs the kernel: its
 * own objects as the slab holds them (ksize()), and its share of the
 * namespace's tables at this many hosts: the bucket arrays of both hash
 * tables, the filter in front of them, and the xarray of ids (a node
 * per XA_CHUNK_SIZE ids, and the root).  Its wake state only comes with
 * a first wake.
 */
#define SP_TEST_MEM_HOSTS	1000
#define SP_HOST_BYTES_MAX	512

/*
 * The buckets of a table of @n entries once its deferred resizing is
 * done (it doubles past 75% full), or now if it has more.
 */
static size_t sp_test_buckets(struct rhashtable *ht, unsigned int n)
{
	const struct bucket_table *tbl = rht_dereference_rcu(ht->tbl, ht);

	return max_t(size_t, tbl->size, roundup_pow_of_two(n * 4 / 3 + 1));
}

static void sp_host_test_memory(struct kunit *test)
{
	struct sp_host_test *t = test->priv;
	size_t own = 0, tables, per_host;
	const struct sp_filter *filter;
	unsigned int i, filter_bits;
	struct sp_host *host;

	for (i = 0; i < SP_TEST_MEM_HOSTS; i++) {
		sp_test_params(&t->p, 1, 0);
		t->p.mac[4] = i >> 8;
		t->p.mac[5] = i;
		t->p.ipv4[0] = htonl(0x0a000000 | i);
		t->p.n_ports = 1;
		t->p.ports[0] = 22;
		KUNIT_ASSERT_EQ(test, sp_test_set(t, &host, NULL), 0);
		KUNIT_EXPECT_NULL(test, host->wake);
		own += ksize(host) +
		       ksize(rcu_dereference_protected(host->cfg, true));
	}
	rcu_read_lock();
	tables = sp_test_buckets(&t->spn.hosts, SP_TEST_MEM_HOSTS) +
		 sp_test_buckets(&t->spn.addrs, SP_TEST_MEM_HOSTS);
	tables *= sizeof(struct rhash_lock_head *);
	filter = rcu_dereference(t->spn.filter);
	filter_bits = filter ? filter->bits : 0;
	rcu_read_unlock();
	KUNIT_ASSERT_NE(test, filter_bits, 0U);
	tables += BIT(filter_bits) / BITS_PER_BYTE;
	tables += (DIV_ROUND_UP(SP_TEST_MEM_HOSTS, XA_CHUNK_SIZE) + 1) *
		  sizeof(struct xa_node);
	per_host = (own + tables) / SP_TEST_MEM_HOSTS;
	kunit_info(test, "%zu bytes per host: %zu its own, %zu of the tables; %zu more once woken\n",
		   per_host, own / SP_TEST_MEM_HOSTS,
		   tables / SP_TEST_MEM_HOSTS,
		   ksize(sp_host_wake_get(&t->spn, host)));
	KUNIT_EXPECT_LT(test, per_host, (size_t)SP_HOST_BYTES_MAX);
}

static struct kunit_case sp_host_test_cases[] = {
	KUNIT_CASE(sp_host_test_add),
	KUNIT_CASE(sp_host_test_ports),
	KUNIT_CASE(sp_host_test_replace),
	KUNIT_CASE(sp_host_test_counters),
	KUNIT_CASE(sp_host_test_asleep),
	KUNIT_CASE(sp_host_test_magic),
	KUNIT_CASE(sp_host_test_conflict),
	KUNIT_CASE(sp_host_test_woken),
	KUNIT_CASE(sp_host_test_del),
	KUNIT_CASE(sp_host_test_flush_dev),
	KUNIT_CASE(sp_host_test_cap),
	KUNIT_CASE(sp_host_test_many),
	KUNIT_CASE(sp_host_test_states),
	KUNIT_CASE(sp_host_test_takeover),
	KUNIT_CASE(sp_host_test_lease),
	KUNIT_CASE(sp_host_test_model),
	KUNIT_CASE(sp_host_test_memory),
	{}
};

static struct kunit_suite sp_host_test_suite = {
	.name = "sleepproxy_host",
	.init = sp_host_test_init,
	.exit = sp_host_test_exit,
	.test_cases = sp_host_test_cases,
};

kunit_test_suite(sp_host_test_suite);
