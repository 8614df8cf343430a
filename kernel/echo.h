/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SP_ECHO_H
#define _SP_ECHO_H

#include <linux/types.h>

struct iphdr;
struct ipv6hdr;
struct sk_buff;
struct sp_host;
struct sp_net;

bool sp_echo_rcv4(struct sp_net *spn, struct sp_host *host,
		  const struct sk_buff *skb, const struct iphdr *iph,
		  unsigned int off, unsigned int len);
bool sp_echo_rcv6(struct sp_net *spn, struct sp_host *host,
		  const struct sk_buff *skb, const struct ipv6hdr *ip6h,
		  unsigned int off, unsigned int len);

#endif /* _SP_ECHO_H */
