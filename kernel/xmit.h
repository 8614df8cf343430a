/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SP_XMIT_H
#define _SP_XMIT_H

#include <linux/netdevice.h>

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
