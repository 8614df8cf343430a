/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SP_HOLD_H
#define _SP_HOLD_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/types.h>

struct net_device;
struct sk_buff;
struct sp_host;
struct sp_net;

/**
 * struct sp_hold - the SYNs held for a host being woken
 * @lock: taken with BHs off
 * @list: &struct sp_held, oldest first
 * @n: entries in @list
 * @dead: the host is going: hold nothing more
 * @spn: the host's namespace
 * @timer: frees what expires
 */
struct sp_hold {
	spinlock_t lock;	/* the fields below, with BHs off */
	struct list_head list;
	unsigned int n;
	bool dead;
	struct sp_net *spn;
	struct timer_list timer;
};

void sp_hold_init(struct sp_net *spn, struct sp_hold *hold);
void sp_hold_flush(struct sp_host *host);
void sp_hold_drop(struct sp_host *host);
bool sp_hold_syn(struct sp_net *spn, struct sp_host *host,
		 struct sk_buff *skb, u8 via, unsigned int thoff);
void sp_hold_replay(struct sp_net *spn, struct sp_host *host,
		    struct net_device *dev);

#endif /* _SP_HOLD_H */
