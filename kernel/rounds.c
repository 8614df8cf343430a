// SPDX-License-Identifier: GPL-2.0
/*
 * Wake rounds: one burst of magic packets is lost with a switch port in
 * power save or a busy link, so after the first one the host gets its
 * magic packets again 0.5, 1, 2 and then every 4 seconds, within the wake
 * budget, until it is seen awake.  After the host's wake timeout (its
 * own, else the namespace's wake_timeout_ms setting) the wake has failed:
 * it is counted, the SYNs held for replay are freed, and the host goes on
 * being proxied (the next reason to wake it starts again).
 */

#include <linux/jiffies.h>
#include <linux/netdevice.h>

#include "compat.h"
#include "config.h"
#include "host.h"
#include "netlink.h"
#include "netns.h"
#include "ratelimit.h"
#include "rounds.h"
#include "wake.h"

#define SP_ROUND_FIRST	(HZ / 2)
#define SP_ROUND_MAX	(4 * HZ)

static unsigned long sp_round_gap(unsigned int n)
{
	return n >= 3 ? SP_ROUND_MAX : SP_ROUND_FIRST << n;
}

/* Context: RCU read side. */
static unsigned int sp_wake_timeout(const struct sp_net *spn,
				    const struct sp_host *host)
{
	u32 ms = rcu_dereference(host->cfg)->wake_timeout;

	return ms == SP_WAKE_TIMEOUT_PARAM ?
	       sp_setting(spn, SP_WAKE_TIMEOUT_MS) : ms;
}

static void sp_rounds_timer(struct timer_list *t)
{
	struct sp_rounds *r = sp_from_timer(r, t, timer);
	struct sp_host *host = container_of(r, struct sp_host_wake,
					    rounds)->host;
	const struct sp_host_cfg *cfg;
	struct sp_net *spn = r->spn;
	struct net_device *dev;
	unsigned long timeout;

	if (READ_ONCE(r->dead) ||
	    READ_ONCE(host->state) != SLEEPPROXY_STATE_WOKEN)
		return;
	rcu_read_lock();
	timeout = msecs_to_jiffies(sp_wake_timeout(spn, host));
	if (!time_before(jiffies, r->started + timeout)) {
		rcu_read_unlock();
		if (sp_host_wake_failed(host)) {
			sp_host_stat_inc(host, SP_HSTAT_WAKES_FAILED);
			sp_hold_drop(host);
			sp_nl_notify(spn, host, SLEEPPROXY_EVENT_PROXYING, NULL,
				     0, GFP_ATOMIC);
		}
		return;
	}

	dev = dev_get_by_index_rcu(spn->net, host->key.ifindex);
	cfg = rcu_dereference(host->cfg);
	if (dev && sp_wake_allowed(spn, dev)) {
		sp_host_stat_inc(host, SP_HSTAT_WAKE_ROUNDS);
		sp_host_stat_add(host, SP_HSTAT_MAGIC_SENT,
				 sp_wake_send(spn, dev, &cfg->magic,
					      cfg->wake_count));
	}
	rcu_read_unlock();
	if (!READ_ONCE(r->dead))
		mod_timer(&r->timer, jiffies + sp_round_gap(++r->n));
}

/* Context: process, before the host is published. */
void sp_rounds_init(struct sp_net *spn, struct sp_rounds *r)
{
	r->spn = spn;
	timer_setup(&r->timer, sp_rounds_timer, 0);
}

/*
 * A wake was sent to a woken host: the rounds follow it, unless they are
 * under way.  Context: softirq or BHs off.
 */
void sp_rounds_start(struct sp_host *host)
{
	struct sp_host_wake *w = READ_ONCE(host->wake);
	struct sp_rounds *r;
	unsigned int timeout;

	/* No wake state: it could not be allocated for this wake. */
	if (!w)
		return;
	r = &w->rounds;
	/* KUnit's hosts belong to no namespace and get no rounds. */
	if (!r->spn || !r->spn->net || READ_ONCE(r->dead) ||
	    timer_pending(&r->timer))
		return;
	rcu_read_lock();
	timeout = sp_wake_timeout(r->spn, host);
	rcu_read_unlock();
	if (!timeout)
		return;
	r->started = jiffies;
	r->n = 0;
	mod_timer(&r->timer, r->started + sp_round_gap(0));
}

/* The host goes.  Context: process, or the RCU callback freeing it. */
void sp_rounds_stop(struct sp_host *host)
{
	struct sp_host_wake *w = READ_ONCE(host->wake);

	if (!w)
		return;
	WRITE_ONCE(w->rounds.dead, true);
	sp_timer_delete_sync(&w->rounds.timer);
}
