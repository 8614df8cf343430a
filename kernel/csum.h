/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SP_CSUM_H
#define _SP_CSUM_H

#include <linux/skbuff.h>
#include <net/checksum.h>

/**
 * sp_csum_ok - is the checksum of a transport segment right?
 * @skb: the packet
 * @off: offset of the segment from @skb->data
 * @len: its length, without any link-layer padding
 * @pseudo: the unfolded sum of the pseudo-header (0 for ICMP over IPv4)
 *
 * What the driver or a local sender vouched for (CHECKSUM_UNNECESSARY,
 * CHECKSUM_PARTIAL) is trusted, as tcp_v4_rcv() and icmpv6_rcv() trust it;
 * everything else is summed in software.  @skb is not changed.
 */
static inline bool sp_csum_ok(const struct sk_buff *skb, unsigned int off,
			      unsigned int len, __wsum pseudo)
{
	if (skb_csum_unnecessary(skb))
		return true;
	return !csum_fold(skb_checksum(skb, off, len, pseudo));
}

#endif /* _SP_CSUM_H */
