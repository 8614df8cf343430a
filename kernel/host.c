// SPDX-License-Identifier: GPL-2.0
/*
 * The host table: registered hosts by (interface, MAC) and their proxied
 * addresses by (interface, address), both hashed with siphash under a
 * random key because packets choose the keys.  Readers use RCU; writers
 * hold &sp_net.lock.
 */

#include <linux/etherdevice.h>
#include <linux/module.h>
#include <linux/netlink.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <net/net_namespace.h>

#include "compat.h"
#include "config.h"
#include "device.h"
#include "filter.h"
#include "host.h"
#include "netlink.h"
#include "lifecycle.h"
#include "ndisc.h"
#include "netns.h"

/*
 * Hosts come by the hundred thousand: a cache of their own spares them
 * kmalloc's rounding up to the next power of two.
 */
static struct kmem_cache *sp_host_cache __read_mostly;

/* Context: module init. */
int __init sp_host_cache_create(void)
{
	sp_host_cache = KMEM_CACHE(sp_host, SLAB_ACCOUNT);
	return sp_host_cache ? 0 : -ENOMEM;
}

/* Context: module exit, after every host's RCU callback has run. */
void sp_host_cache_destroy(void)
{
	kmem_cache_destroy(sp_host_cache);
}

/* While woken, another SYN re-sends the wake at most this often... */
#define SP_REWAKE_INTERVAL	(5 * HZ)
/* ...and asks the host whether it is up at most this often. */
#define SP_SOLICIT_INTERVAL	HZ

/*
 * Keys come from packets, so the hash is keyed with a random secret.
 * hsiphash is the kernel's keyed hash for hash tables (SipHash-1-3 on
 * 64-bit); over a few whole words it costs a fraction of siphash() over
 * the key's bytes.
 */
static hsiphash_key_t sp_hash_key __read_mostly;

/* rhashtable changes the seed to escape a bad table: follow it. */
static hsiphash_key_t sp_hash_seeded(u32 seed)
{
	hsiphash_key_t key = sp_hash_key;

	key.key[0] ^= seed;
	return key;
}

/* Interface and MAC: three words (the last two bytes are zero). */
static u32 sp_host_hash(const void *data, u32 len, u32 seed)
{
	const struct sp_host_key *k = data;
	hsiphash_key_t key = sp_hash_seeded(seed);

	return hsiphash_3u32(k->ifindex, get_unaligned((const u32 *)k->mac),
			     get_unaligned((const u16 *)(k->mac + 4)), &key);
}

/* An IPv4 key is zero past its first word: three words do. */
static u32 sp_addr_hash(const void *data, u32 len, u32 seed)
{
	const struct sp_addr_key *k = data;
	hsiphash_key_t key = sp_hash_seeded(seed);

	if (k->family == AF_INET)
		return hsiphash_3u32((__force u32)k->addr[0], k->ifindex,
				     AF_INET, &key);
	return hsiphash(k, sizeof(*k), &key);
}

static const struct rhashtable_params sp_host_rht = {
	.key_len = sizeof(struct sp_host_key),
	.key_offset = offsetof(struct sp_host, key),
	.head_offset = offsetof(struct sp_host, node),
	.hashfn = sp_host_hash,
	.automatic_shrinking = true,
};

static const struct rhashtable_params sp_addr_rht = {
	.key_len = sizeof(struct sp_addr_key),
	.key_offset = offsetof(struct sp_addr, key),
	.head_offset = offsetof(struct sp_addr, node),
	.hashfn = sp_addr_hash,
	.automatic_shrinking = true,
};

static void sp_host_key_init(struct sp_host_key *key, int ifindex,
			     const u8 *mac)
{
	memset(key, 0, sizeof(*key));
	key->ifindex = ifindex;
	ether_addr_copy(key->mac, mac);
}

static void sp_addr_key_init4(struct sp_addr_key *key, int ifindex,
			      __be32 addr)
{
	memset(key, 0, sizeof(*key));
	key->addr[0] = addr;
	key->ifindex = ifindex;
	key->family = AF_INET;
}

static void sp_addr_key_init6(struct sp_addr_key *key, int ifindex,
			      const struct in6_addr *addr)
{
	memset(key, 0, sizeof(*key));
	memcpy(key->addr, addr, sizeof(*addr));
	key->ifindex = ifindex;
	key->family = AF_INET6;
}

int sp_hosts_init(struct sp_net *spn)
{
	int err;

	net_get_random_once(&sp_hash_key, sizeof(sp_hash_key));
	mutex_init(&spn->lock);
	sp_lifecycle_init(spn);
	INIT_LIST_HEAD(&spn->devs);
	xa_init_flags(&spn->ids, XA_FLAGS_ALLOC1);
	err = rhashtable_init(&spn->hosts, &sp_host_rht);
	if (err)
		return err;
	err = rhashtable_init(&spn->addrs, &sp_addr_rht);
	if (err) {
		rhashtable_destroy(&spn->hosts);
		return err;
	}
	mutex_lock(&spn->lock);
	sp_filter_init(spn);
	mutex_unlock(&spn->lock);
	return 0;
}

static int sp_port_cmp(const void *a, const void *b)
{
	return *(const u16 *)a - *(const u16 *)b;
}

static struct sp_host_cfg *sp_cfg_alloc(const struct sp_host_params *p,
					struct netlink_ext_ack *extack)
{
	unsigned int n_addrs = p->n_ipv4 + p->n_ipv6;
	struct sp_host_cfg *cfg;
	unsigned int i, j;

	if (!n_addrs || p->n_ipv4 > SLEEPPROXY_MAX_IPV4 ||
	    p->n_ipv6 > SLEEPPROXY_MAX_IPV6 ||
	    p->n_ports > SLEEPPROXY_MAX_PORTS) {
		NL_SET_ERR_MSG_MOD(extack, "wrong number of addresses or ports");
		return ERR_PTR(-EINVAL);
	}
	if (p->magic.password_len > SP_WOL_PASSWORD_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "SecureOn password too long");
		return ERR_PTR(-EINVAL);
	}

	cfg = kzalloc(struct_size(cfg, addrs, n_addrs) +
		      p->n_ports * sizeof(u16), GFP_KERNEL_ACCOUNT);
	if (!cfg)
		return ERR_PTR(-ENOMEM);

	cfg->magic = p->magic;
	if (is_zero_ether_addr(cfg->magic.mac))
		ether_addr_copy(cfg->magic.mac, p->mac);
	cfg->flags = p->flags;
	cfg->lease = p->lease;
	cfg->wake_timeout = p->wake_timeout;
	cfg->wake_count = p->wake_count;
	cfg->origin = p->origin;
	cfg->n_addrs = n_addrs;
	for (i = 0; i < p->n_ipv4; i++)
		sp_addr_key_init4(&cfg->addrs[i].key, p->ifindex, p->ipv4[i]);
	for (i = 0; i < p->n_ipv6; i++)
		sp_addr_key_init6(&cfg->addrs[p->n_ipv4 + i].key, p->ifindex,
				  &p->ipv6[i]);
	for (i = 0; i < n_addrs; i++) {
		for (j = 0; j < i; j++) {
			if (!memcmp(&cfg->addrs[i].key, &cfg->addrs[j].key,
				    sizeof(cfg->addrs[i].key))) {
				NL_SET_ERR_MSG_MOD(extack,
						   "an address is listed twice");
				kfree(cfg);
				return ERR_PTR(-EINVAL);
			}
		}
	}

	cfg->ports = (u16 *)&cfg->addrs[n_addrs];
	memcpy(cfg->ports, p->ports, p->n_ports * sizeof(u16));
	sort(cfg->ports, p->n_ports, sizeof(u16), sp_port_cmp, NULL);
	for (i = 0, j = 0; i < p->n_ports; i++)
		if (!j || cfg->ports[j - 1] != cfg->ports[i])
			cfg->ports[j++] = cfg->ports[i];
	cfg->n_ports = j;
	return cfg;
}

static struct sp_addr *sp_cfg_find(struct sp_host_cfg *cfg,
				   const struct sp_addr_key *key)
{
	unsigned int i;

	for (i = 0; cfg && i < cfg->n_addrs; i++)
		if (!memcmp(&cfg->addrs[i].key, key, sizeof(*key)))
			return &cfg->addrs[i];
	return NULL;
}

/*
 * Make @new's addresses the ones in the table for their host, in place of
 * @old's (if any).  Addresses both have are swapped in place, so readers
 * never miss them.  Only insertion can fail; then nothing has changed.
 */
static int sp_addrs_publish(struct sp_net *spn, struct sp_host_cfg *old,
			    struct sp_host_cfg *new)
{
	struct sp_addr *a;
	unsigned int i;
	int err;

	for (i = 0; i < new->n_addrs; i++) {
		if (sp_cfg_find(old, &new->addrs[i].key))
			continue;
		err = rhashtable_lookup_insert_fast(&spn->addrs,
						    &new->addrs[i].node,
						    sp_addr_rht);
		if (err)
			goto unwind;
	}
	for (i = 0; i < new->n_addrs; i++) {
		a = sp_cfg_find(old, &new->addrs[i].key);
		if (a)
			WARN_ON(rhashtable_replace_fast(&spn->addrs, &a->node,
							&new->addrs[i].node,
							sp_addr_rht));
	}
	for (i = 0; old && i < old->n_addrs; i++)
		if (!sp_cfg_find(new, &old->addrs[i].key))
			rhashtable_remove_fast(&spn->addrs, &old->addrs[i].node,
					       sp_addr_rht);
	return 0;

unwind:
	while (i--)
		if (!sp_cfg_find(old, &new->addrs[i].key))
			rhashtable_remove_fast(&spn->addrs, &new->addrs[i].node,
					       sp_addr_rht);
	return err;
}

static void sp_addrs_unpublish(struct sp_net *spn, struct sp_host_cfg *cfg)
{
	unsigned int i;

	for (i = 0; i < cfg->n_addrs; i++)
		rhashtable_remove_fast(&spn->addrs, &cfg->addrs[i].node,
				       sp_addr_rht);
}

/*
 * A registration starts or refreshes the lease.  A new host, and one that
 * was awake, waits for silence before the proxy takes over; one that is
 * asleep goes on being proxied without a break.  Context: &sp_net.lock.
 */
static void sp_host_arm(struct sp_host *host, const struct sp_host_cfg *cfg,
			bool created)
{
	unsigned int state = READ_ONCE(host->state);
	u64 now = get_jiffies_64();

	atomic64_set(&host->last_seen, now);
	atomic64_set(&host->expires, cfg->lease ? now + (u64)cfg->lease * HZ : 0);
	host->lease_woken = false;
	if (created || state == SLEEPPROXY_STATE_AWAKE) {
		atomic64_set(&host->state_since, now);
		/* Nothing else leaves AWAKE: no transition races this one. */
		WRITE_ONCE(host->state, SLEEPPROXY_STATE_REGISTERED);
		if (host->spd)
			atomic_inc(&host->spd->asleep);
	}
}

/*
 * Out of the table: it no longer counts as asleep on its interface.  The
 * exchange and sp_host_set_awake()'s cmpxchg() decide which of the two
 * takes it off the count.
 */
static void sp_host_gone(struct sp_host *host)
{
	unsigned int old = xchg(&host->state, SP_STATE_GONE);

	if (host->spd && old != SLEEPPROXY_STATE_AWAKE &&
	    old != SP_STATE_GONE)
		atomic_dec(&host->spd->asleep);
}

static void sp_host_free_rcu(struct rcu_head *rcu)
{
	struct sp_host *host = container_of(rcu, struct sp_host, rcu);

	/*
	 * A reader that found the host before it went may have given it its
	 * wake state, started rounds or held a SYN after sp_rounds_stop()
	 * and sp_hold_flush(); no reader is left now.
	 */
	if (host->wake) {
		sp_rounds_stop(host);
		sp_hold_flush(host);
		kfree(host->wake);
	}
	kmem_cache_free(sp_host_cache, host);
}

/**
 * sp_host_set - register a host, or replace the registration of one
 * @spn: the namespace
 * @dev: the interface @p names, to join the solicited-node groups of its
 *	 IPv6 addresses on; NULL to join none
 * @p: the registration
 * @hostp: set to the host on success
 * @created: set to whether the host is new
 * @extack: for the reason of a refusal
 *
 * A replaced host keeps its id and counters; its lease starts again, and
 * the rest of its registration (addresses, ports, what its magic packets
 * carry, its origin) is @p's alone.  On failure nothing has changed.
 *
 * Context: process, RTNL (with @dev) and &sp_net.lock held.
 */
int sp_host_set(struct sp_net *spn, struct net_device *dev,
		const struct sp_host_params *p, struct sp_host **hostp,
		bool *created, struct netlink_ext_ack *extack)
{
	struct sp_host_cfg *cfg, *old_cfg = NULL;
	struct sp_host_key key;
	struct sp_host *host;
	struct sp_addr *other;
	unsigned int i;
	int err;

	lockdep_assert_held(&spn->lock);

	cfg = sp_cfg_alloc(p, extack);
	if (IS_ERR(cfg))
		return PTR_ERR(cfg);

	sp_host_key_init(&key, p->ifindex, p->mac);
	host = rhashtable_lookup_fast(&spn->hosts, &key, sp_host_rht);
	for (i = 0; i < cfg->n_addrs; i++) {
		other = rhashtable_lookup_fast(&spn->addrs, &cfg->addrs[i].key,
					       sp_addr_rht);
		if (other && other->host != host) {
			NL_SET_ERR_MSG_MOD(extack,
					   "an address is already proxied for another host on this interface");
			err = -EEXIST;
			goto err_cfg;
		}
	}
	if (dev) {
		err = sp_ndisc_join(dev, cfg);
		if (err) {
			NL_SET_ERR_MSG_MOD(extack,
					   "cannot join the solicited-node multicast groups of the IPv6 addresses");
			goto err_cfg;
		}
	}

	if (host) {
		for (i = 0; i < cfg->n_addrs; i++)
			cfg->addrs[i].host = host;
		old_cfg = rcu_dereference_protected(host->cfg,
						    lockdep_is_held(&spn->lock));
		err = sp_addrs_publish(spn, old_cfg, cfg);
		if (err)
			goto err_groups;
		rcu_assign_pointer(host->cfg, cfg);
		sp_filter_add(spn, host, cfg, old_cfg);
		sp_host_arm(host, cfg, false);
		if (dev)
			sp_ndisc_leave(dev, old_cfg);
		kfree_rcu(old_cfg, rcu);
		*created = false;
		goto out;
	}

	if (spn->nr_hosts >= sp_setting(spn, SP_MAX_HOSTS)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "host table full (setting max_hosts)");
		err = -ENOSPC;
		goto err_groups;
	}
	host = kmem_cache_zalloc(sp_host_cache, GFP_KERNEL_ACCOUNT);
	if (!host) {
		err = -ENOMEM;
		goto err_groups;
	}
	/* Its interface was hooked first; the counters live as long. */
	host->spd = dev ? sp_dev_find(spn, dev->ifindex) : NULL;
	host->key = key;
	for (i = 0; i < cfg->n_addrs; i++)
		cfg->addrs[i].host = host;
	RCU_INIT_POINTER(host->cfg, cfg);
	sp_host_arm(host, cfg, true);

	err = xa_alloc(&spn->ids, &host->id, host, xa_limit_31b,
		       GFP_KERNEL_ACCOUNT);
	if (err)
		goto err_host;
	err = rhashtable_lookup_insert_fast(&spn->hosts, &host->node,
					    sp_host_rht);
	if (err)
		goto err_id;
	err = sp_addrs_publish(spn, NULL, cfg);
	if (err)
		goto err_table;
	spn->nr_hosts++;
	sp_filter_add(spn, host, cfg, NULL);
	*created = true;
out:
	WRITE_ONCE(spn->gen, spn->gen + 1);
	sp_lifecycle_kick(spn, host);
	*hostp = host;
	return 0;

err_table:
	rhashtable_remove_fast(&spn->hosts, &host->node, sp_host_rht);
err_id:
	xa_erase(&spn->ids, host->id);
err_host:
	sp_host_gone(host);
	/* Readers may have seen the host, its addresses or both. */
	sp_rounds_stop(host);
	sp_hold_flush(host);
	call_rcu(&host->rcu, sp_host_free_rcu);
err_groups:
	if (dev)
		sp_ndisc_leave(dev, cfg);
err_cfg:
	if (err == -ENOMEM)
		NL_SET_ERR_MSG_MOD(extack, "out of memory");
	kfree_rcu(cfg, rcu);
	return err;
}

/* @why: enum sleepproxy_removed, or SP_REMOVED_QUIETLY for no event. */
static void sp_host_remove(struct sp_net *spn, struct sp_host *host,
			   struct net_device *dev, int why)
{
	struct sp_host_cfg *cfg;

	if (why != SP_REMOVED_QUIETLY)
		sp_nl_notify(spn, host, SLEEPPROXY_EVENT_REMOVED, NULL, why,
			     GFP_KERNEL);

	cfg = rcu_dereference_protected(host->cfg, lockdep_is_held(&spn->lock));
	sp_addrs_unpublish(spn, cfg);
	if (dev)
		sp_ndisc_leave(dev, cfg);
	rhashtable_remove_fast(&spn->hosts, &host->node, sp_host_rht);
	xa_erase(&spn->ids, host->id);
	spn->nr_hosts--;
	sp_filter_forget(spn, 1 + cfg->n_addrs);
	WRITE_ONCE(spn->gen, spn->gen + 1);
	sp_host_gone(host);
	/* After the table: a reader that still finds it holds nothing. */
	sp_rounds_stop(host);
	sp_hold_flush(host);
	kfree_rcu(cfg, rcu);
	call_rcu(&host->rcu, sp_host_free_rcu);
}

/* Context: process, &sp_net.lock held. */
struct sp_host *sp_host_find(struct sp_net *spn, int ifindex, const u8 *mac)
{
	struct sp_host_key key;

	lockdep_assert_held(&spn->lock);
	sp_host_key_init(&key, ifindex, mac);
	return rhashtable_lookup_fast(&spn->hosts, &key, sp_host_rht);
}

/*
 * Remove a host; leave its groups on @dev, its interface, unless NULL.
 * Context: process, RTNL (with @dev) and &sp_net.lock held.
 */
int sp_host_del(struct sp_net *spn, struct net_device *dev, int ifindex,
		const u8 *mac, int why)
{
	struct sp_host *host = sp_host_find(spn, ifindex, mac);

	if (!host)
		return -ENOENT;
	sp_host_remove(spn, host, dev, why);
	return 0;
}

/**
 * sp_host_flush_dev - remove every host of an interface
 * @spn: the namespace
 * @net: the namespace again, to leave the hosts' multicast groups on
 *	 their interfaces (those still listed in it: one being unregistered
 *	 loses its groups with its IPv6 state); NULL to leave none
 * @ifindex: the interface, or 0 for every interface
 * @why: enum sleepproxy_removed for the events, or SP_REMOVED_QUIETLY
 *
 * Return: how many hosts were removed.
 * Context: process, &sp_net.lock held, and the RTNL with @net.
 */
unsigned int sp_host_flush_dev(struct sp_net *spn, struct net *net,
			       int ifindex, int why)
{
	struct net_device *dev = NULL;
	struct sp_host *host;
	unsigned int n = 0;
	unsigned long id;

	lockdep_assert_held(&spn->lock);
	xa_for_each(&spn->ids, id, host) {
		if (ifindex && host->key.ifindex != ifindex)
			continue;
		if (net)
			dev = __dev_get_by_index(net, host->key.ifindex);
		sp_host_remove(spn, host, dev, why);
		n++;
	}
	return n;
}

void sp_hosts_destroy(struct sp_net *spn)
{
	sp_lifecycle_stop(spn);
	mutex_lock(&spn->lock);
	sp_host_flush_dev(spn, NULL, 0, SP_REMOVED_QUIETLY);
	mutex_unlock(&spn->lock);
	sp_filter_free(spn);
	rhashtable_destroy(&spn->addrs);
	rhashtable_destroy(&spn->hosts);
	xa_destroy(&spn->ids);
}

/* How many hosts on @ifindex the proxy answers for.  Context: any. */
unsigned int sp_hosts_proxying(struct sp_net *spn, int ifindex)
{
	struct sp_host *host;
	unsigned int n = 0;
	unsigned long id;

	rcu_read_lock();
	xa_for_each(&spn->ids, id, host)
		if ((!ifindex || host->key.ifindex == ifindex) &&
		    sp_host_proxying(host))
			n++;
	rcu_read_unlock();
	return n;
}

/* Any registered host.  Context: RCU read-side critical section. */
struct sp_host *sp_host_lookup(struct sp_net *spn, int ifindex,
			       const u8 *mac)
{
	struct sp_host_key key;

	sp_host_key_init(&key, ifindex, mac);
	return rhashtable_lookup(&spn->hosts, &key, sp_host_rht);
}

/*
 * For the hooks: a host that is not awake, or NULL.  An awake host may be
 * found too, until the filter is built again after it woke (its MAC
 * leaves the filter then: the frames of hosts that are up cost what any
 * peer's cost).  Context: RCU read-side critical section.
 */
struct sp_host *sp_host_lookup_asleep(struct sp_net *spn, int ifindex,
				      const u8 *mac)
{
	if (!sp_filter_maybe(rcu_dereference(spn->filter),
			     sp_filter_mac_word(ifindex, mac)))
		return NULL;
	return sp_host_lookup(spn, ifindex, mac);
}

/*
 * The table behind sp_addr_lookup_ipv4(), once the filter has let @addr
 * through.  Context: RCU read-side critical section.
 */
struct sp_addr *__sp_addr_lookup_ipv4(struct sp_net *spn, int ifindex,
				      __be32 addr)
{
	struct sp_addr_key key;

	sp_addr_key_init4(&key, ifindex, addr);
	return rhashtable_lookup(&spn->addrs, &key, sp_addr_rht);
}

/* The same for sp_addr_lookup_ipv6(). */
struct sp_addr *__sp_addr_lookup_ipv6(struct sp_net *spn, int ifindex,
				      const struct in6_addr *addr)
{
	struct sp_addr_key key;

	sp_addr_key_init6(&key, ifindex, addr);
	return rhashtable_lookup(&spn->addrs, &key, sp_addr_rht);
}

bool sp_host_port_match(const struct sp_host_cfg *cfg, u16 port)
{
	unsigned int lo = 0, hi = cfg->n_ports;

	if (cfg->flags & SLEEPPROXY_HOST_F_TCP_ANY)
		return true;
	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (cfg->ports[mid] == port)
			return true;
		if (cfg->ports[mid] < port)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* Is the proxy answering for the host?  Not before it has fallen silent. */
bool sp_host_proxying(const struct sp_host *host)
{
	unsigned int state = READ_ONCE(host->state);

	return state == SLEEPPROXY_STATE_PROXYING ||
	       state == SLEEPPROXY_STATE_WOKEN;
}

/* A frame that an awake host sends: it is not silent yet. */
void sp_host_seen(struct sp_host *host)
{
	u64 now = get_jiffies_64();

	if (atomic64_read(&host->last_seen) != now)
		atomic64_set(&host->last_seen, now);
}

/*
 * The host has been silent for the grace period since it registered:
 * true if the caller is the one to take over and announce it.
 */
bool sp_host_set_proxying(struct sp_host *host)
{
	if (cmpxchg(&host->state, SLEEPPROXY_STATE_REGISTERED,
		    SLEEPPROXY_STATE_PROXYING) != SLEEPPROXY_STATE_REGISTERED)
		return false;
	atomic64_set(&host->state_since, get_jiffies_64());
	return true;
}

/*
 * A reason to wake the host arrived: true if the caller is the one to send
 * the wake.  The first wake moves the host to WOKEN; after that another
 * wake goes out at most every SP_REWAKE_INTERVAL, in case it was lost.
 */
bool sp_host_set_woken(struct sp_host *host)
{
	u64 now = get_jiffies_64(), last;

	if (READ_ONCE(host->state) == SLEEPPROXY_STATE_PROXYING) {
		/* Nobody reads last_wake while proxying. */
		atomic64_set(&host->last_wake, now);
		if (cmpxchg(&host->state, SLEEPPROXY_STATE_PROXYING,
			    SLEEPPROXY_STATE_WOKEN) ==
		    SLEEPPROXY_STATE_PROXYING) {
			atomic64_set(&host->state_since, now);
			return true;
		}
	}
	if (READ_ONCE(host->state) != SLEEPPROXY_STATE_WOKEN)
		return false;
	last = atomic64_read(&host->last_wake);
	if (time_before64(now, last + SP_REWAKE_INTERVAL))
		return false;
	return atomic64_cmpxchg(&host->last_wake, last, now) == last;
}

/* True if the caller is the one to ask a woken host whether it is up. */
bool sp_host_solicit_due(struct sp_host *host)
{
	u64 now = get_jiffies_64(), last = atomic64_read(&host->last_solicit);

	if (READ_ONCE(host->state) != SLEEPPROXY_STATE_WOKEN ||
	    time_before64(now, last + SP_SOLICIT_INTERVAL))
		return false;
	return atomic64_cmpxchg(&host->last_solicit, last, now) == last;
}

/* A wake timed out: true if the caller is the one to put it back. */
bool sp_host_wake_failed(struct sp_host *host)
{
	if (cmpxchg(&host->state, SLEEPPROXY_STATE_WOKEN,
		    SLEEPPROXY_STATE_PROXYING) != SLEEPPROXY_STATE_WOKEN)
		return false;
	atomic64_set(&host->state_since, get_jiffies_64());
	return true;
}

/* The sleeping host showed up: true if the caller is to announce it. */
bool sp_host_set_awake(struct sp_host *host)
{
	unsigned int state = READ_ONCE(host->state), old;

	while (state == SLEEPPROXY_STATE_PROXYING ||
	       state == SLEEPPROXY_STATE_WOKEN) {
		old = cmpxchg(&host->state, state, SLEEPPROXY_STATE_AWAKE);
		if (old == state) {
			atomic64_set(&host->state_since, get_jiffies_64());
			if (host->spd)
				atomic_dec(&host->spd->asleep);
			return true;
		}
		state = old;
	}
	return false;
}

/* How long before the end of a lease of @lease seconds the host is woken. */
static u64 sp_lease_wake_ahead(u32 lease)
{
	return (u64)clamp_t(u32, lease / 10, 1, 60) * HZ;
}

/*
 * When the host needs the lifecycle work next (jiffies64), U64_MAX if
 * never: its takeover, its lease wake, the end of its lease.
 * Context: &sp_net.lock held.
 */
u64 sp_host_next_event(struct sp_net *spn, const struct sp_host *host)
{
	const struct sp_host_cfg *cfg;
	u64 next = U64_MAX, expires = atomic64_read(&host->expires);

	bool registered = READ_ONCE(host->state) == SLEEPPROXY_STATE_REGISTERED;

	cfg = rcu_dereference_protected(host->cfg, lockdep_is_held(&spn->lock));
	if (registered)
		next = atomic64_read(&host->last_seen) +
		       msecs_to_jiffies(sp_setting(spn, SP_AWAKE_GRACE_MS));
	if (!expires)
		return next;
	/* A host still up needs no wake; it is due once taken over. */
	if (!registered && !host->lease_woken &&
	    !(cfg->flags & SLEEPPROXY_HOST_F_NO_LEASE_WAKE))
		next = min(next, expires - sp_lease_wake_ahead(cfg->lease));
	return min(next, expires);
}

/**
 * sp_addr_claimed - another machine uses a proxied address
 * @addr: the address, of a sleeping host
 * @by: the MAC that claimed it
 *
 * Whoever has the address now (DHCP gave it away, say) must get its
 * traffic: the proxy stops answering for it, and guarding it, until the
 * host registers again.  Counted and logged once.  The host's own MAC
 * claims nothing: its NIC answers for it while it sleeps.
 *
 * Context: softirq, RCU read-side critical section.
 */
void sp_addr_claimed(struct sp_addr *addr, const u8 *by)
{
	struct sp_host *host = addr->host;

	/* Its own NIC, answering while it sleeps (ARP and NS offload). */
	if (ether_addr_equal(by, host->key.mac))
		return;
	if (test_and_set_bit(0, &addr->conflict))
		return;
	sp_host_stat_inc(host, SP_HSTAT_CONFLICTS);
	if (addr->key.family == AF_INET)
		pr_info("%pI4 is claimed by %pM: no longer proxied for %pM\n",
			addr->key.addr, by, host->key.mac);
	else
		pr_info("%pI6c is claimed by %pM: no longer proxied for %pM\n",
			addr->key.addr, by, host->key.mac);
}

/* Seconds until the lease ends, rounded up; 0 without a lease. */
u32 sp_host_lease_left(const struct sp_host *host)
{
	u64 expires = atomic64_read(&host->expires), now = get_jiffies_64();

	if (!expires)
		return 0;
	if (!time_before64(now, expires))
		return 0;
	return DIV_ROUND_UP_ULL(expires - now, HZ);
}

/**
 * sp_host_wake_get - a host's wake state, allocated on its first wake
 * @spn: the host's namespace
 * @host: the host
 *
 * Return: the wake state, or NULL if there is none and none could be
 * allocated: the wake then goes out unlogged, without rounds or replay.
 * Context: any, BHs off or not; RCU read-side critical section or
 * &sp_net.lock held.
 */
struct sp_host_wake *sp_host_wake_get(struct sp_net *spn, struct sp_host *host)
{
	struct sp_host_wake *w = READ_ONCE(host->wake), *old;

	if (likely(w))
		return w;
	w = kzalloc(sizeof(*w), GFP_ATOMIC);
	if (!w)
		return NULL;
	w->host = host;
	spin_lock_init(&w->wakes.lock);
	sp_hold_init(spn, &w->hold);
	sp_rounds_init(spn, &w->rounds);
	/* Another CPU may have been first. */
	old = cmpxchg(&host->wake, NULL, w);
	if (old) {
		kfree(w);
		return old;
	}
	return w;
}

/* The host's SP_HSTAT_COUNT counters into @vals.  Context: any. */
void sp_host_stats_read(const struct sp_host *host, u64 *vals)
{
	const struct sp_host_wake *w = READ_ONCE(host->wake);
	unsigned int i;

	/*
	 * Held SYNs and wake rounds: only a host that was woken has any.  A
	 * counter added after them is not one of those.
	 */
	BUILD_BUG_ON(SP_HSTAT_WAKE_COUNT != 6);
	for (i = 0; i < SP_HSTAT_WAKE_FIRST; i++)
		vals[i] = atomic64_read(&host->stats[i]);
	for (; i < SP_HSTAT_COUNT; i++)
		vals[i] = w ? atomic64_read(&w->stats[i - SP_HSTAT_WAKE_FIRST]) : 0;
}

#if IS_ENABLED(CONFIG_SLEEPPROXY_KUNIT_TEST)
#include "../tests/kunit/host_test.c"
#endif
