/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SP_IPV4_H
#define _SP_IPV4_H

#include <linux/types.h>

struct net_device;
struct sk_buff;
struct sp_net;

unsigned int sp_ipv4_rcv(struct sp_net *spn, struct sk_buff *skb,
			 struct net_device *dev, u8 via);

#endif /* _SP_IPV4_H */
