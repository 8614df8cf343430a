// SPDX-License-Identifier: GPL-2.0
/*
 * The counters the module keeps, by name, with what each one counts.
 */

#include <stdbool.h>
#include <string.h>

#include "counters.h"
#include "spctl.h"

#define HOST(name, help)  { #name, offsetof(struct sp_host_stats, name), help }
#define STATS(name, help) { #name, offsetof(struct sp_stats, name), help }

const struct counter host_counters[] = {
	HOST(arp_requests, "ARP requests for a proxied address."),
	HOST(arp_replies, "ARP replies sent on a sleeping host's behalf."),
	HOST(garp_sent, "Gratuitous ARPs sent at takeover and on waking."),
	HOST(syn_wake, "TCP SYNs to a registered port (each one dropped)."),
	HOST(syn_other, "TCP SYNs to a port that does not wake the host."),
	HOST(wakes, "Wakes sent."),
	HOST(magic_sent, "Magic packets sent, both forms."),
	HOST(awake, "Hosts seen awake after the proxy took over."),
	HOST(awake_probes, "ARP and NS probes asking a woken host if it is up."),
	HOST(ns_requests, "Neighbor Solicitations for a proxied address."),
	HOST(na_replies, "Neighbor Advertisements sent in answer."),
	HOST(na_unsolicited, "Unsolicited Neighbor Advertisements sent."),
	HOST(dropped, "Packets for a sleeping host dropped, not forwarded."),
	HOST(echo_replies, "Echo replies sent on a sleeping host's behalf."),
	HOST(lease_wakes, "Wakes sent because a lease was about to end."),
	HOST(conflicts, "Addresses given up because another MAC claimed them."),
	HOST(wakes_suppressed, "Wakes held back by the wake budget."),
	HOST(offload_frames, "ARP replies and NAs from a sleeping host's NIC."),
	HOST(magic_relayed, "Magic packets from elsewhere relayed to the host."),
	HOST(syn_held, "SYNs kept while the host wakes, to replay to it."),
	HOST(syn_replayed, "Kept SYNs sent to the host once it was up."),
	HOST(syn_expired, "Kept SYNs freed: the host did not wake in time."),
	HOST(syn_dropped, "SYNs not kept: over the bounds, or no memory."),
	HOST(wake_rounds, "Magic packets sent again until the host showed up."),
	HOST(wakes_failed, "Wakes given up: the host did not show up in time."),
};

const size_t n_host_counters = ARRAY_SIZE(host_counters);

const struct counter stats_counters[] = {
	STATS(rx_frames, "Frames inspected on proxied interfaces."),
	STATS(drop_arp_malformed, "Malformed ARP frames dropped."),
	STATS(drop_ipv4_malformed, "Malformed IPv4 packets for a proxied address dropped."),
	STATS(drop_ipv4_fragment, "IPv4 fragments for a proxied address dropped."),
	STATS(drop_ipv4_srcroute, "Source-routed IPv4 packets for a proxied address dropped."),
	STATS(drop_tcp_malformed, "Malformed TCP segments for a proxied address dropped."),
	STATS(tx_errors, "Replies or wakes that could not be sent."),
	STATS(drop_ipv6_malformed, "Malformed IPv6 packets for a proxied address dropped."),
	STATS(drop_ipv6_fragment, "IPv6 fragments for a proxied address dropped."),
	STATS(drop_ipv6_srcroute, "Source-routed IPv6 packets for a proxied address dropped."),
	STATS(drop_nd_malformed, "Malformed Neighbor Solicitations dropped."),
	STATS(drop_icmp_malformed, "Malformed echo requests dropped."),
	STATS(wakes_suppressed, "Wakes held back by the wake budget."),
	STATS(replies_suppressed, "Replies held back by the per-source budget."),
	STATS(leases_expired, "Hosts removed because their lease ran out."),
	STATS(manual_wakes, "Wakes requested with spctl wake."),
};

const size_t n_stats_counters = ARRAY_SIZE(stats_counters);

uint64_t host_counter(const struct sp_host_stats *st, size_t i)
{
	uint64_t v;

	memcpy(&v, (const char *)st + host_counters[i].offset, sizeof(v));
	return v;
}

uint64_t stats_counter(const struct sp_stats *st, size_t i)
{
	uint64_t v;

	memcpy(&v, (const char *)st + stats_counters[i].offset, sizeof(v));
	return v;
}

bool host_counter_in_stats(size_t i)
{
	size_t j;

	for (j = 0; j < n_stats_counters; j++)
		if (!strcmp(host_counters[i].name, stats_counters[j].name))
			return true;
	return false;
}
