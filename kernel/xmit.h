/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SP_XMIT_H
#define _SP_XMIT_H

#include <linux/netdevice.h>
#include <linux/skbuff.h>

/*
 * A frame of @len bytes above the link layer for @dev, its network header
 * at the start, with room for the link-layer header; NULL without memory.
 * Context: any.
 */
static inline struct sk_buff *sp_alloc_skb(struct net_device *dev,
					   unsigned int len)
{
	struct sk_buff *skb;

	skb = alloc_skb(LL_RESERVED_SPACE(dev) + len + dev->needed_tailroom,
			GFP_ATOMIC);
	if (!skb)
		return NULL;
	skb_reserve(skb, LL_RESERVED_SPACE(dev));
	skb_reset_network_header(skb);
	skb->dev = dev;
	return skb;
}

/*
 * Put the link-layer header from @dev's MAC to @dst in front of @skb;
 * consumes @skb and returns NULL if that fails.
 */
static inline struct sk_buff *sp_push_ll(struct sk_buff *skb, u16 proto,
					 const u8 *dst)
{
	skb->protocol = htons(proto);
	if (dev_hard_header(skb, skb->dev, proto, dst, skb->dev->dev_addr,
			    skb->len) < 0) {
		kfree_skb(skb);
		return NULL;
	}
	return skb;
}

/*
 * Send a frame the proxy built, or nothing if building it failed (@skb
 * NULL); true if the device took it.
 */
static inline bool sp_xmit(struct sk_buff *skb)
{
	int rc;

	if (!skb)
		return false;
	/* Not net_xmit_eval(dev_queue_xmit(skb)): it evaluates twice. */
	rc = dev_queue_xmit(skb);

	return !net_xmit_eval(rc);
}

#endif /* _SP_XMIT_H */
