/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SP_IPV6_H
#define _SP_IPV6_H

#include <linux/ipv6.h>

struct net_device;
struct sk_buff;
struct sp_net;

enum sp_ipv6_kind {
	SP_IPV6_OK,
	SP_IPV6_MALFORMED,
	SP_IPV6_FRAGMENT,
	SP_IPV6_SRCROUTE,
};

/* A parsed packet: a copy of the header and where the upper layer is. */
struct sp_ipv6_pkt {
	struct ipv6hdr hdr;
	unsigned int off;	/* of the upper-layer header from skb->data */
	unsigned int len;	/* of the upper-layer message */
	u8 proto;		/* its protocol */
};

enum sp_ipv6_kind sp_ipv6_parse(const struct sk_buff *skb,
				struct sp_ipv6_pkt *pkt);
unsigned int sp_ipv6_rcv(struct sp_net *spn, struct sk_buff *skb,
			 struct net_device *dev, u8 via);

#endif /* _SP_IPV6_H */
