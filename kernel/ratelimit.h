/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SP_RATELIMIT_H
#define _SP_RATELIMIT_H

#include <linux/if_ether.h>
#include <linux/spinlock.h>
#include <linux/types.h>

/* A token bucket: @tokens nanoseconds of credit, refilled with time. */
struct sp_bucket {
	spinlock_t lock;	/* the fields below */
	u64 tokens;
	u64 last;
	u8 mac[ETH_ALEN];	/* whose, for the per-source buckets */
};

/* Per-source buckets, by a hash of the source MAC; a newcomer evicts. */
#define SP_RL_SOURCES	256

struct sp_ratelimit {
	struct sp_bucket wakes;
	struct sp_bucket sources[SP_RL_SOURCES];
};

struct net_device;
struct sk_buff;
struct sp_net;

void sp_ratelimit_init(struct sp_ratelimit *rl);
bool sp_reply_allowed(struct sp_net *spn, const struct sk_buff *skb);
bool sp_wake_allowed(struct sp_net *spn, const struct net_device *dev);

#endif /* _SP_RATELIMIT_H */
