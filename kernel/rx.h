/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SP_RX_H
#define _SP_RX_H

struct nf_hook_state;
struct sk_buff;

unsigned int sp_rx_hook(void *priv, struct sk_buff *skb,
			const struct nf_hook_state *state);

#endif /* _SP_RX_H */
