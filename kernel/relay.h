/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SP_RELAY_H
#define _SP_RELAY_H

#include <linux/types.h>

struct nf_hook_state;
struct net_device;
struct sk_buff;
struct sp_host;
struct sp_net;

bool sp_relay_udp(struct sp_net *spn, struct sp_host *host,
		  const struct sk_buff *skb, struct net_device *dev, u8 via,
		  unsigned int off, unsigned int len, __wsum pseudo);
unsigned int sp_relay_bcast(void *priv, struct sk_buff *skb,
			    const struct nf_hook_state *state);
void sp_relay_register(void);
void sp_relay_unregister(void);

#endif /* _SP_RELAY_H */
