// SPDX-License-Identifier: GPL-2.0
/*
 * What happens to registered hosts with time rather than with packets:
 * the takeover of a host that has fallen silent since it registered, the
 * wake shortly before a lease ends (so that the host registers again, as
 * Bonjour Sleep Proxy clients expect), and the end of the lease.  One
 * delayed work per namespace, run when the earliest of those is due and
 * never more than ten times a second; nothing of it is on the packet path.
 */

#include <linux/jiffies.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/workqueue.h>

#include "announce.h"
#include "device.h"
#include "host.h"
#include "netlink.h"
#include "lifecycle.h"
#include "netns.h"
#include "wake.h"

/* Runs at most this often, however many deadlines fall close together. */
#define SP_LIFECYCLE_MIN_DELAY	(HZ / 10)

static void sp_lifecycle_schedule(struct sp_net *spn, u64 when)
{
	u64 now = get_jiffies_64();
	unsigned long delay = 0;

	lockdep_assert_held(&spn->lock);
	if (spn->dying || when == U64_MAX)
		return;
	if (time_after64(when, now))
		delay = min_t(u64, when - now, MAX_JIFFY_OFFSET);
	spn->next_event = when;
	mod_delayed_work(system_wq, &spn->lifecycle, delay);
}

/*
 * A host that was registered again, or anew, may need the work sooner
 * than it is scheduled.  Context: &sp_net.lock held.
 */
void sp_lifecycle_kick(struct sp_net *spn, const struct sp_host *host)
{
	u64 when = sp_host_next_event(spn, host);

	if (when < spn->next_event || !delayed_work_pending(&spn->lifecycle))
		sp_lifecycle_schedule(spn, when);
}

/* Returns false if it removed @host. */
static bool sp_lifecycle_host(struct sp_net *spn, struct sp_host *host,
			      struct net_device *dev, u64 now)
{
	const struct sp_host_cfg *cfg;
	u64 expires = atomic64_read(&host->expires);
	int ifindex = host->key.ifindex;

	cfg = rcu_dereference_protected(host->cfg, lockdep_is_held(&spn->lock));
	if (expires && !time_before64(now, expires)) {
		/* Counted before the interface's counters may go. */
		sp_stat_inc(spn, dev, SP_STAT_LEASES_EXPIRED);
		sp_host_del(spn, dev, ifindex, host->key.mac,
			    SLEEPPROXY_REMOVED_LEASE);
		if (dev)
			sp_dev_detach(spn, ifindex);
		return false;
	}
	if (expires && !host->lease_woken &&
	    READ_ONCE(host->state) != SLEEPPROXY_STATE_REGISTERED &&
	    !time_before64(now, sp_host_next_event(spn, host))) {
		host->lease_woken = true;
		if (!(cfg->flags & SLEEPPROXY_HOST_F_NO_LEASE_WAKE) &&
		    sp_host_set_woken(host) && dev) {
			struct sp_wake_cause why = {
				.reason = SLEEPPROXY_WAKE_LEASE,
			};

			sp_host_stat_inc(host, SP_HSTAT_LEASE_WAKES);
			local_bh_disable();
			sp_wake(spn, host, cfg, dev, &why);
			local_bh_enable();
		}
	}
	if (READ_ONCE(host->state) == SLEEPPROXY_STATE_REGISTERED &&
	    !time_before64(now, sp_host_next_event(spn, host)) &&
	    sp_host_set_proxying(host) && dev) {
		sp_nl_notify(spn, host, SLEEPPROXY_EVENT_PROXYING, NULL, 0,
			     GFP_KERNEL);
		/* Point peers' caches at the gateway. */
		local_bh_disable();
		sp_announce(spn, host, dev, dev->dev_addr);
		local_bh_enable();
	}
	return true;
}

/**
 * sp_lifecycle_run - take over, wake and expire what is due now
 * @spn: the namespace
 *
 * Schedules itself again for the next thing due.
 * Context: process; takes the RTNL and &sp_net.lock.
 */
void sp_lifecycle_run(struct sp_net *spn)
{
	struct net_device *dev = NULL;
	u64 now, next = U64_MAX;
	struct sp_host *host;
	unsigned long id;

	rtnl_lock();
	mutex_lock(&spn->lock);
	if (spn->dying)
		goto out;
	now = get_jiffies_64();
	spn->next_event = U64_MAX;
	xa_for_each(&spn->ids, id, host) {
		if (spn->net)
			dev = __dev_get_by_index(spn->net, host->key.ifindex);
		if (sp_lifecycle_host(spn, host, dev, now))
			next = min(next, sp_host_next_event(spn, host));
	}
	if (next != U64_MAX)
		sp_lifecycle_schedule(spn, max(next, now + SP_LIFECYCLE_MIN_DELAY));
out:
	mutex_unlock(&spn->lock);
	rtnl_unlock();
}

static void sp_lifecycle_work(struct work_struct *work)
{
	sp_lifecycle_run(container_of(to_delayed_work(work), struct sp_net,
				      lifecycle));
}

/* Context: process, before the namespace's hosts can be registered. */
void sp_lifecycle_init(struct sp_net *spn)
{
	spn->next_event = U64_MAX;
	INIT_DELAYED_WORK(&spn->lifecycle, sp_lifecycle_work);
}

/*
 * No more runs: the namespace or the module is going.  Context: process,
 * neither the RTNL nor &sp_net.lock held (the work takes both).
 */
void sp_lifecycle_stop(struct sp_net *spn)
{
	mutex_lock(&spn->lock);
	spn->dying = true;
	mutex_unlock(&spn->lock);
	cancel_delayed_work_sync(&spn->lifecycle);
}
