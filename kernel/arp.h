/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SP_ARP_H
#define _SP_ARP_H

#include <linux/types.h>

struct net_device;
struct sk_buff;
struct sp_host;
struct sp_net;

unsigned int sp_arp_rcv(struct sp_net *spn, struct sk_buff *skb);
void sp_arp_announce(struct sp_net *spn, struct sp_host *host,
		     struct net_device *dev, const u8 *sha);

#endif /* _SP_ARP_H */
