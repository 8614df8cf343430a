/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SP_TCP_H
#define _SP_TCP_H

#include <linux/types.h>

struct net_device;
struct sk_buff;
struct sp_host;
struct sp_net;

enum sp_tcp_kind {
	SP_TCP_OTHER,		/* not a connection attempt */
	SP_TCP_MALFORMED,
	SP_TCP_SYN,
};

enum sp_tcp_kind sp_tcp_parse(const struct sk_buff *skb, unsigned int off,
			      unsigned int len, u16 *dport);
unsigned int sp_tcp_rcv(struct sp_net *spn, struct sp_host *host,
			struct sk_buff *skb, struct net_device *dev, u8 via,
			unsigned int off, unsigned int len, __wsum pseudo);

#endif /* _SP_TCP_H */
