// SPDX-License-Identifier: GPL-2.0
/*
 * Denial-of-sleep limits (ISO/IEC 16317 Annex A.2): a flood of requests
 * must neither keep hosts awake nor spend the gateway's CPU on answers.
 * Each namespace has a budget of wakes per second, and each source MAC a
 * budget of answers (ARP replies, Neighbor Advertisements, echo replies)
 * per second.  The per-source buckets are a fixed table indexed by a
 * keyed hash of the MAC: no allocation on the packet path, and a MAC that
 * takes over a slot starts with one answer's worth of credit, so cycling
 * through source addresses buys nothing.
 */

#include <linux/etherdevice.h>
#include <linux/siphash.h>
#include <linux/timekeeping.h>

#include "config.h"
#include "host.h"
#include "netns.h"
#include "ratelimit.h"

static siphash_key_t sp_rl_key __read_mostly;

void sp_ratelimit_init(struct sp_ratelimit *rl)
{
	unsigned int i;

	net_get_random_once(&sp_rl_key, sizeof(sp_rl_key));
	spin_lock_init(&rl->wakes.lock);
	for (i = 0; i < SP_RL_SOURCES; i++)
		spin_lock_init(&rl->sources[i].lock);
}

/*
 * Take one event out of @b, refilled at @rate a second up to a second's
 * worth.  Context: @b->lock held.
 */
static bool sp_bucket_take(struct sp_bucket *b, unsigned int rate, u64 now)
{
	u64 cost = NSEC_PER_SEC / rate, burst = cost * rate;

	b->tokens = min(b->tokens + (now - b->last), burst);
	b->last = now;
	if (b->tokens < cost)
		return false;
	b->tokens -= cost;
	return true;
}

/**
 * sp_reply_allowed - may the proxy answer a request from @src?
 * @spn: the namespace
 * @skb: the request
 *
 * Counts the answers it may not.  Context: softirq.
 */
bool sp_reply_allowed(struct sp_net *spn, const struct sk_buff *skb)
{
	const u8 *src = eth_hdr(skb)->h_source;
	unsigned int rate = sp_setting(spn, SP_MAX_REPLIES_PER_SEC);
	u64 now = ktime_get_mono_fast_ns();
	struct sp_bucket *b;
	bool ok;

	if (!rate)
		return true;
	b = &spn->rl.sources[siphash(src, ETH_ALEN, &sp_rl_key) %
			     SP_RL_SOURCES];
	spin_lock(&b->lock);
	if (!ether_addr_equal(b->mac, src)) {
		ether_addr_copy(b->mac, src);
		b->tokens = NSEC_PER_SEC / rate;
		b->last = now;
	}
	ok = sp_bucket_take(b, rate, now);
	spin_unlock(&b->lock);
	if (!ok)
		sp_stat_inc(spn, skb->dev, SP_STAT_REPLIES_SUPPRESSED);
	return ok;
}

/**
 * sp_wake_allowed - may the namespace send one more wake?
 * @spn: the namespace
 * @dev: the interface the wake would go out on
 *
 * Counts the wakes it may not.  Context: any; BHs off or in softirq.
 */
bool sp_wake_allowed(struct sp_net *spn, const struct net_device *dev)
{
	unsigned int rate = sp_setting(spn, SP_MAX_WAKES_PER_SEC);
	struct sp_bucket *b = &spn->rl.wakes;
	bool ok;

	if (!rate)
		return true;
	spin_lock(&b->lock);
	ok = sp_bucket_take(b, rate, ktime_get_mono_fast_ns());
	spin_unlock(&b->lock);
	if (!ok)
		sp_stat_inc(spn, dev, SP_STAT_WAKES_SUPPRESSED);
	return ok;
}
