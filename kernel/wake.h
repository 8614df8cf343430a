/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SP_WAKE_H
#define _SP_WAKE_H

#include <linux/sleepproxy.h>
#include <linux/types.h>

/* The ethertype of Wake-on-LAN magic packets sent as Ethernet frames. */
#define SP_ETH_P_WOL	0x0842
/* Magic packets over UDP go to one of these ports (echo, discard). */
#define SP_WOL_PORT_ECHO	7
#define SP_WOL_PORT_DISCARD	9
/* Six 0xff bytes and sixteen MACs: a magic packet without a password. */
#define SP_MAGIC_LEN	(6 + 16 * ETH_ALEN)

struct net_device;
struct sk_buff;
struct sp_host;
struct sp_host_cfg;
struct sp_magic;
struct sp_net;

/**
 * struct sp_wake_cause - why a host is woken, for its wake log
 * @reason: enum sleepproxy_wake_reason
 * @via: enum sleepproxy_wake_via, where @skb came from
 * @skb: the frame that caused it, or NULL; an IP packet's network header
 *	 is at skb_network_offset(), a 0x0842 frame's payload at @skb->data
 * @thoff: the offset of its TCP or UDP header from @skb->data, 0 for a
 *	   0x0842 frame
 */
struct sp_wake_cause {
	enum sleepproxy_wake_reason reason;
	enum sleepproxy_wake_via via;
	const struct sk_buff *skb;
	unsigned int thoff;
};

bool sp_wake(struct sp_net *spn, struct sp_host *host,
	     const struct sp_host_cfg *cfg, struct net_device *dev,
	     const struct sp_wake_cause *why);
unsigned int sp_wake_send(struct sp_net *spn, struct net_device *dev,
			  const struct sp_magic *m, unsigned int count);

#endif /* _SP_WAKE_H */
