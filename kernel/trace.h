/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints, for perf, trace-cmd and bpftrace: every wake, and every
 * frame the proxy sends in a host's name.
 */

#undef TRACE_SYSTEM
#define TRACE_SYSTEM sleepproxy

#if !defined(_SP_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _SP_TRACE_H

#include <linux/if_ether.h>
#include <linux/netdevice.h>
#include <linux/sleepproxy.h>
#include <linux/tracepoint.h>

/* What the proxy sent in a host's name. */
#define SP_REPLY_ARP		0	/* an ARP reply */
#define SP_REPLY_GARP		1	/* a gratuitous ARP */
#define SP_REPLY_NA		2	/* a solicited Neighbor Advertisement */
#define SP_REPLY_NA_UNSOLICITED	3	/* an unsolicited one, to all nodes */
#define SP_REPLY_ECHO		4	/* an ICMP or ICMPv6 echo reply */

TRACE_EVENT(sleepproxy_wake,
	    TP_PROTO(const struct net_device *dev, const u8 *mac, u8 reason,
		     bool sent),
	    TP_ARGS(dev, mac, reason, sent),
	    TP_STRUCT__entry(__field(int, ifindex)
			     __array(u8, mac, ETH_ALEN)
			     __field(u8, reason)
			     __field(bool, sent)),
	    TP_fast_assign(__entry->ifindex = dev->ifindex;
			   memcpy(__entry->mac, mac, ETH_ALEN);
			   __entry->reason = reason;
			   __entry->sent = sent;),
	    TP_printk("ifindex=%d mac=%pM reason=%s sent=%d", __entry->ifindex,
		      __entry->mac,
		      __print_symbolic(__entry->reason,
				       { SLEEPPROXY_WAKE_SYN, "syn" },
				       { SLEEPPROXY_WAKE_LEASE, "lease" },
				       { SLEEPPROXY_WAKE_MANUAL, "manual" }),
		      __entry->sent)
);

TRACE_EVENT(sleepproxy_reply,
	    TP_PROTO(const struct net_device *dev, const u8 *mac, u8 kind,
		     const u8 *peer),
	    TP_ARGS(dev, mac, kind, peer),
	    TP_STRUCT__entry(__field(int, ifindex)
			     __array(u8, mac, ETH_ALEN)
			     __array(u8, peer, ETH_ALEN)
			     __field(u8, kind)),
	    TP_fast_assign(__entry->ifindex = dev->ifindex;
			   memcpy(__entry->mac, mac, ETH_ALEN);
			   memcpy(__entry->peer, peer, ETH_ALEN);
			   __entry->kind = kind;),
	    TP_printk("ifindex=%d mac=%pM kind=%s to=%pM", __entry->ifindex,
		      __entry->mac,
		      __print_symbolic(__entry->kind,
				       { SP_REPLY_ARP, "arp" },
				       { SP_REPLY_GARP, "garp" },
				       { SP_REPLY_NA, "na" },
				       { SP_REPLY_NA_UNSOLICITED, "na-unsolicited" },
				       { SP_REPLY_ECHO, "echo" }),
		      __entry->peer)
);

#endif /* _SP_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
