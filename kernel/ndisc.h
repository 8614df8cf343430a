/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SP_NDISC_H
#define _SP_NDISC_H

#include <linux/types.h>

struct ipv6hdr;
struct net_device;
struct sk_buff;
struct sp_host;
struct sp_host_cfg;
struct sp_net;

unsigned int sp_ndisc_rcv(struct sp_net *spn, struct sk_buff *skb,
			  const struct ipv6hdr *ip6h, unsigned int off,
			  unsigned int len);
bool sp_ndisc_is_solicited_na(const struct sk_buff *skb);
void sp_ndisc_announce(struct sp_net *spn, struct sp_host *host,
		       struct net_device *dev, const u8 *tlla);
void sp_ndisc_solicit(struct sp_net *spn, struct sp_host *host,
		      const struct sp_host_cfg *cfg, struct net_device *dev);
int sp_ndisc_join(struct net_device *dev, const struct sp_host_cfg *cfg);
void sp_ndisc_leave(struct net_device *dev, const struct sp_host_cfg *cfg);

#endif /* _SP_NDISC_H */
