/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SP_ARP_H
#define _SP_ARP_H

#include <linux/types.h>

struct net_device;
struct sk_buff;
struct sp_host;
struct sp_host_cfg;
struct sp_net;

unsigned int sp_arp_rcv(struct sp_net *spn, struct sk_buff *skb);
void sp_arp_announce(struct sp_net *spn, struct sp_host *host,
		     struct net_device *dev, const u8 *sender_mac);
bool sp_arp_is_reply(const struct sk_buff *skb);
void sp_arp_solicit(struct sp_net *spn, struct sp_host *host,
		    const struct sp_host_cfg *cfg, struct net_device *dev);

#endif /* _SP_ARP_H */
