/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SP_ANNOUNCE_H
#define _SP_ANNOUNCE_H

#include "arp.h"
#include "host.h"
#include "ndisc.h"

/*
 * What the proxy says about a host unasked, over ARP for its IPv4 and
 * Neighbor Discovery for its IPv6 addresses.
 */

/**
 * sp_announce - tell the link where every address of a host is
 * @spn: the namespace
 * @host: the host
 * @dev: its interface
 * @mac: the interface's MAC while proxying, the host's own once it is
 *	 awake again
 *
 * Context: RCU read-side critical section or &sp_net.lock held; BHs off.
 */
static inline void sp_announce(struct sp_net *spn, struct sp_host *host,
			       struct net_device *dev, const u8 *mac)
{
	sp_arp_announce(spn, host, dev, mac);
	sp_ndisc_announce(spn, host, dev, mac);
}

/**
 * sp_solicit - ask a woken host, unicast, whether it is up
 * @spn: the namespace
 * @host: the host, in state WOKEN
 * @cfg: its registration
 * @dev: its interface
 *
 * Over ARP if it has an IPv4 address (registrations list those first),
 * else over Neighbor Discovery.  Context: softirq, RCU read-side section.
 */
static inline void sp_solicit(struct sp_net *spn, struct sp_host *host,
			      const struct sp_host_cfg *cfg,
			      struct net_device *dev)
{
	if (cfg->addrs[0].key.family == AF_INET)
		sp_arp_solicit(spn, host, cfg, dev);
	else
		sp_ndisc_solicit(spn, host, cfg, dev);
}

#endif /* _SP_ANNOUNCE_H */
