// SPDX-License-Identifier: GPL-2.0
/*
 * The filter in front of the host tables (struct sp_filter): written and
 * built again under &sp_net.lock, read by the hook under RCU.
 */

#include <linux/bitops.h>
#include <linux/log2.h>
#include <linux/overflow.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "filter.h"
#include "host.h"
#include "netns.h"

/*
 * Slots per key when built: about 1 in 60 absent keys finds both its bits
 * set (1 in 16 with one bit a key), and 1 in 20 at SP_FILTER_SLOTS_MIN.
 */
#define SP_FILTER_SLOTS_PER_KEY	16
/* Built again below 8 slots per key (live or removed)... */
#define SP_FILTER_SLOTS_MIN	8
/* ...and when removed keys outnumber the live ones, past this many. */
#define SP_FILTER_STALE_MIN	64
/* 512 slots, 64 bytes, at least. */
#define SP_FILTER_BITS_MIN	9
/* Built again this long after a host wakes, with those that woke since. */
#define SP_FILTER_WOKEN_DELAY	HZ

static void sp_filter_set_host(struct sp_filter *f, const struct sp_host *host,
			       const struct sp_host_cfg *cfg, bool with_mac)
{
	unsigned int i;

	if (with_mac)
		sp_filter_set(f, sp_filter_mac_word(host->key.ifindex,
						    host->key.mac));
	for (i = 0; i < cfg->n_addrs; i++) {
		const struct sp_addr_key *k = &cfg->addrs[i].key;
		const struct in6_addr *a6 = (const struct in6_addr *)k->addr;

		if (k->family == AF_INET)
			sp_filter_set(f, sp_filter_ipv4_word(k->ifindex,
							     k->addr[0]));
		else
			sp_filter_set(f, sp_filter_ipv6_word(k->ifindex, a6));
	}
}

/* Only the MACs of hosts that are not awake: the hook has no use for the rest. */
static bool sp_filter_wants_mac(const struct sp_host *host)
{
	return READ_ONCE(host->state) != SLEEPPROXY_STATE_AWAKE;
}

static const struct sp_host_cfg *sp_filter_cfg(struct sp_net *spn,
					       const struct sp_host *host)
{
	return rcu_dereference_protected(host->cfg,
					 lockdep_is_held(&spn->lock));
}

/*
 * Build the filter from the tables, sized for what they hold.  Without
 * memory for it there is none, and the tables are asked about every
 * frame.  Context: process, &sp_net.lock held.
 */
static void sp_filter_build(struct sp_net *spn)
{
	struct sp_filter *f, *old;
	unsigned int keys = 0, bits;
	struct sp_host *host;
	unsigned long id;

	xa_for_each(&spn->ids, id, host)
		keys += 1 + sp_filter_cfg(spn, host)->n_addrs;
	bits = max_t(unsigned int, SP_FILTER_BITS_MIN,
		     order_base_2(keys * SP_FILTER_SLOTS_PER_KEY));
	f = kvzalloc(struct_size(f, slot, BITS_TO_LONGS(1UL << bits)),
		     GFP_KERNEL_ACCOUNT);
	if (f) {
		f->seed = get_random_u64();
		f->bits = bits;
		xa_for_each(&spn->ids, id, host)
			sp_filter_set_host(f, host, sp_filter_cfg(spn, host),
					   sp_filter_wants_mac(host));
	}
	old = rcu_dereference_protected(spn->filter,
					lockdep_is_held(&spn->lock));
	rcu_assign_pointer(spn->filter, f);
	spn->filter_keys = keys;
	spn->filter_stale = 0;
	if (old)
		kvfree_rcu(old, rcu);
}

/* Too full, or too empty, or too many removed keys.  Under the lock. */
static bool sp_filter_unfit(struct sp_net *spn)
{
	const struct sp_filter *f;
	unsigned long slots;

	f = rcu_dereference_protected(spn->filter, lockdep_is_held(&spn->lock));
	if (!f)
		return true;
	slots = 1UL << f->bits;
	if (slots / SP_FILTER_SLOTS_MIN <
	    (unsigned long)spn->filter_keys + spn->filter_stale)
		return true;
	if (spn->filter_stale > max_t(unsigned int, spn->filter_keys,
				      SP_FILTER_STALE_MIN))
		return true;
	return f->bits > SP_FILTER_BITS_MIN &&
	       slots / (SP_FILTER_SLOTS_PER_KEY * 4) > spn->filter_keys;
}

/**
 * sp_filter_add - a host's keys go into the filter
 * @spn: the namespace
 * @host: the host, in &sp_net.ids already
 * @cfg: its registration, published already
 * @old: the registration @cfg replaced, whose keys have left the tables,
 *	or NULL for a new host, whose MAC is one more key
 *
 * The MAC's bit is set either way, after the filter is built again if
 * it has to be: a registration makes an awake host one that is going to
 * sleep, and the hook must find it again.  The caller changes the host's
 * state after this.
 *
 * Context: process, &sp_net.lock held.
 */
void sp_filter_add(struct sp_net *spn, const struct sp_host *host,
		   const struct sp_host_cfg *cfg, const struct sp_host_cfg *old)
{
	struct sp_filter *f;

	if (old) {
		spn->filter_keys -= old->n_addrs;
		spn->filter_stale += old->n_addrs;
	} else {
		spn->filter_keys++;
	}
	spn->filter_keys += cfg->n_addrs;
	if (sp_filter_unfit(spn))
		sp_filter_build(spn);
	/* A build leaves the MAC out while the host is still awake. */
	f = rcu_dereference_protected(spn->filter, lockdep_is_held(&spn->lock));
	if (f)
		sp_filter_set_host(f, host, cfg, true);
}

/**
 * sp_filter_forget - a removed host's @n keys left the tables
 * @spn: the namespace
 * @n: how many: its MAC and its registration's addresses
 *
 * Their bits stay set until the filter is built again.  A replaced
 * registration's keys are counted by sp_filter_add().
 * Context: process, &sp_net.lock held, the host out of &sp_net.ids.
 */
void sp_filter_forget(struct sp_net *spn, unsigned int n)
{
	spn->filter_keys -= n;
	spn->filter_stale += n;
	if (sp_filter_unfit(spn))
		sp_filter_build(spn);
}

static void sp_filter_work(struct work_struct *work)
{
	struct sp_net *spn = container_of(to_delayed_work(work), struct sp_net,
					  filter_work);

	mutex_lock(&spn->lock);
	sp_filter_build(spn);
	mutex_unlock(&spn->lock);
}

/**
 * sp_filter_woken - a host is awake: its MAC may leave the filter
 * @spn: the namespace
 *
 * Frames from a host that is up are the most common frames from a
 * registered MAC, and the hook has nothing to do with them: the filter is
 * built again without the MACs of awake hosts, SP_FILTER_WOKEN_DELAY after
 * the first host woke since the last build was asked for (one build for
 * however many wake meanwhile; a host that wakes while it runs asks for
 * the next).
 *
 * Context: softirq, RCU read-side critical section; the hooks run.
 */
void sp_filter_woken(struct sp_net *spn)
{
	queue_delayed_work(system_wq, &spn->filter_work, SP_FILTER_WOKEN_DELAY);
}

/* Context: process, &sp_net.lock held. */
void sp_filter_init(struct sp_net *spn)
{
	INIT_DELAYED_WORK(&spn->filter_work, sp_filter_work);
	sp_filter_build(spn);
}

/*
 * No reader is left, and no hook runs to ask for another build.
 * Context: process, &sp_net.lock not held.
 */
void sp_filter_free(struct sp_net *spn)
{
	cancel_delayed_work_sync(&spn->filter_work);
	kvfree(rcu_dereference_protected(spn->filter, true));
	RCU_INIT_POINTER(spn->filter, NULL);
}

#if IS_ENABLED(CONFIG_SLEEPPROXY_KUNIT_TEST)
#include "../tests/kunit/filter_test.c"
#endif
