// SPDX-License-Identifier: GPL-2.0
/*
 * TCP to a sleeping host, over IPv4 or IPv6: a connection attempt (SYN) to
 * a port it serves wakes it (R30); every segment is dropped, so that the
 * gateway neither forwards it to the sleeping host nor answers it.
 */

#include <linux/netfilter.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>

#include "announce.h"
#include "csum.h"
#include "hold.h"
#include "host.h"
#include "netns.h"
#include "tcp.h"
#include "wake.h"

/**
 * sp_tcp_parse - is a TCP segment a connection attempt?
 * @skb: the packet
 * @off: offset of the TCP header from @skb->data
 * @len: length of the segment, as the IP header gives it
 * @dport: set to the destination port of a SYN
 *
 * A SYN with ACK, RST or FIN set is not one: a listening socket would not
 * take it either.
 */
enum sp_tcp_kind sp_tcp_parse(const struct sk_buff *skb, unsigned int off,
			      unsigned int len, u16 *dport)
{
	const struct tcphdr *th;
	struct tcphdr buf;

	if (len < sizeof(*th))
		return SP_TCP_MALFORMED;
	th = skb_header_pointer(skb, off, sizeof(*th), &buf);
	if (!th)
		return SP_TCP_MALFORMED;
	if (th->doff < sizeof(*th) / 4 || th->doff * 4 > len)
		return SP_TCP_MALFORMED;
	if (!th->syn || th->ack || th->rst || th->fin)
		return SP_TCP_OTHER;
	*dport = ntohs(th->dest);
	return SP_TCP_SYN;
}

/**
 * sp_tcp_rcv - a TCP segment for a sleeping host
 * @spn: the namespace
 * @host: the host, proxying or woken
 * @skb: the packet
 * @dev: the host's interface
 * @via: enum sleepproxy_wake_via, where @skb came from
 * @off: offset of the TCP header from @skb->data
 * @len: length of the segment
 * @pseudo: the unfolded sum of the pseudo-header, for the checksum
 *
 * A well-formed SYN to a registered port wakes the host (or, while it is
 * woken, asks it whether it is up).  Neither it nor anything else is
 * answered with a reset: the client retransmits and reaches the host once
 * it is up.
 *
 * Return: NF_DROP.  Context: softirq, RCU read-side critical section.
 */
unsigned int sp_tcp_rcv(struct sp_net *spn, struct sp_host *host,
			struct sk_buff *skb, struct net_device *dev, u8 via,
			unsigned int off, unsigned int len, __wsum pseudo)
{
	const struct sp_host_cfg *cfg;
	u16 dport;

	switch (sp_tcp_parse(skb, off, len, &dport)) {
	case SP_TCP_OTHER:
		goto drop;
	case SP_TCP_MALFORMED:
		goto malformed;
	case SP_TCP_SYN:
		break;
	}

	cfg = rcu_dereference(host->cfg);
	if (!sp_host_port_match(cfg, dport)) {
		sp_host_stat_inc(host, SP_HSTAT_SYN_OTHER);
		goto drop;
	}
	if (!sp_csum_ok(skb, off, len, pseudo))
		goto malformed;

	sp_host_stat_inc(host, SP_HSTAT_SYN_WAKE);
	if (sp_host_set_woken(host)) {
		struct sp_wake_cause why = {
			.reason = SLEEPPROXY_WAKE_SYN,
			.via = via,
			.skb = skb,
			.thoff = off,
		};

		sp_wake(spn, host, cfg, dev, &why);
	} else if (sp_host_solicit_due(host)) {
		sp_solicit(spn, host, cfg, dev);
	}
	/* Replayed to the host once it is up. */
	if (sp_hold_syn(spn, host, skb, via, off))
		return NF_STOLEN;
	return NF_DROP;

malformed:
	sp_stat_inc(spn, dev, SP_STAT_DROP_TCP_MALFORMED);
drop:
	sp_host_stat_inc(host, SP_HSTAT_DROPPED);
	return NF_DROP;
}
