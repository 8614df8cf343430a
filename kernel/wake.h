/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SP_WAKE_H
#define _SP_WAKE_H

#include <linux/sleepproxy.h>
#include <linux/types.h>

struct net_device;
struct sk_buff;
struct sp_host;
struct sp_host_cfg;
struct sp_magic;
struct sp_net;

/**
 * struct sp_wake_cause - why a host is woken, for its wake log
 * @reason: enum sleepproxy_wake_reason
 * @skb: the frame that caused it, or NULL; its network header is at
 *	 skb_network_offset()
 * @thoff: the offset of its TCP header from @skb->data
 */
struct sp_wake_cause {
	enum sleepproxy_wake_reason reason;
	const struct sk_buff *skb;
	unsigned int thoff;
};

bool sp_wake(struct sp_net *spn, struct sp_host *host,
	     const struct sp_host_cfg *cfg, struct net_device *dev,
	     const struct sp_wake_cause *why);
unsigned int sp_wake_send(struct sp_net *spn, struct net_device *dev,
			  const struct sp_magic *m, unsigned int count);

#endif /* _SP_WAKE_H */
