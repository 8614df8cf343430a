/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SP_IPV6_H
#define _SP_IPV6_H

struct sk_buff;
struct sp_net;

unsigned int sp_ipv6_rcv(struct sp_net *spn, struct sk_buff *skb);

#endif /* _SP_IPV6_H */
