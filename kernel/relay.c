// SPDX-License-Identifier: GPL-2.0
/*
 * Wake-on-LAN relay (R31): a magic packet for a sleeping host that reaches
 * the gateway from somewhere the host's NIC cannot hear it is sent again,
 * as the proxy's own magic packets, on the host's link.  That is
 *
 * - UDP to port 7 or 9 at a proxied address of the host: from the LAN
 *   (peers reach the gateway's MAC for it), routed in, or from the gateway;
 * - UDP to port 7 or 9 at the broadcast address of the host's subnet,
 *   routed in from another interface (Linux delivers directed broadcasts
 *   locally instead of forwarding them);
 * - an Ethernet frame of ethertype 0x0842 on another interface.
 *
 * Only magic packets for a registered host, in the proxy's hands, are
 * relayed: the sixteen MACs must be its MAC or the MAC it is woken with,
 * and when it registered a SecureOn password the packet must carry it, as
 * its NIC would require.  One packet in gives one wake, which the wake
 * budget bounds like any other; the relayed packets carry the host's
 * registration (wake MAC, password, wake count), not what came in.
 */

#include <linux/etherdevice.h>
#include <linux/inetdevice.h>
#include <linux/ip.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/route.h>

#include "csum.h"
#include "device.h"
#include "host.h"
#include "netns.h"
#include "relay.h"
#include "wake.h"

/* Is the magic packet at @off, @len bytes, for @host (and its password)? */
static bool sp_magic_for(const struct sk_buff *skb, unsigned int off,
			 unsigned int len, const struct sp_host *host,
			 const struct sp_host_cfg *cfg)
{
	unsigned int need = SP_MAGIC_LEN + cfg->magic.password_len;
	u8 buf[SP_MAGIC_LEN + SP_WOL_PASSWORD_MAX];
	const u8 *p, *mac;
	unsigned int i;

	if (len < need)
		return false;
	p = skb_header_pointer(skb, off, need, buf);
	if (!p || memchr_inv(p, 0xff, 6))
		return false;
	mac = p + 6;
	if (!ether_addr_equal_unaligned(mac, host->key.mac) &&
	    !ether_addr_equal_unaligned(mac, cfg->magic.mac))
		return false;
	for (i = 1; i < 16; i++)
		if (!ether_addr_equal_unaligned(mac + i * ETH_ALEN, mac))
			return false;
	return !memcmp(p + SP_MAGIC_LEN, cfg->magic.password,
		       cfg->magic.password_len);
}

/* Context: softirq, RCU read-side critical section. */
static void sp_relay(struct sp_net *spn, struct sp_host *host,
		     const struct sp_host_cfg *cfg, struct net_device *dev,
		     const struct sp_wake_cause *why)
{
	sp_host_set_woken(host);
	if (sp_wake(spn, host, cfg, dev, why))
		sp_host_stat_inc(host, SP_HSTAT_MAGIC_RELAYED);
}

/*
 * The payload of a UDP datagram to port 7 or 9 with a right checksum (or
 * none, over IPv4): its offset, or 0.
 */
static unsigned int sp_wol_udp(const struct sk_buff *skb, unsigned int off,
			       unsigned int len, __wsum pseudo, bool v6)
{
	const struct udphdr *uh;
	struct udphdr buf;

	uh = skb_header_pointer(skb, off, sizeof(*uh), &buf);
	if (!uh || ntohs(uh->len) != len || len < sizeof(*uh))
		return 0;
	if (uh->dest != htons(SP_WOL_PORT_ECHO) &&
	    uh->dest != htons(SP_WOL_PORT_DISCARD))
		return 0;
	if (!uh->check ? v6 : !sp_csum_ok(skb, off, len, pseudo))
		return 0;
	return off + sizeof(*uh);
}

/**
 * sp_relay_udp - UDP for a sleeping host: relay a magic packet for it
 * @spn: the namespace
 * @host: the host, proxying or woken
 * @skb: the packet, its IP header at skb_network_offset()
 * @dev: the host's interface
 * @via: enum sleepproxy_wake_via, where @skb came from
 * @off: offset of the UDP header from @skb->data
 * @len: the length of the datagram, as the IP header gives it
 * @pseudo: the unfolded sum of the pseudo-header, for the checksum
 *
 * Return: whether @skb was a magic packet for @host (relayed, or held back
 * by the wake budget).  Either way the caller drops it.
 * Context: softirq, RCU read-side critical section.
 */
bool sp_relay_udp(struct sp_net *spn, struct sp_host *host,
		  const struct sk_buff *skb, struct net_device *dev, u8 via,
		  unsigned int off, unsigned int len, __wsum pseudo)
{
	const struct sp_host_cfg *cfg = rcu_dereference(host->cfg);
	bool v6 = ip_hdr(skb)->version == 6;
	struct sp_wake_cause why = {
		.reason = SLEEPPROXY_WAKE_MAGIC,
		.via = via,
		.skb = skb,
		.thoff = off,
	};
	unsigned int payload;

	payload = sp_wol_udp(skb, off, len, pseudo, v6);
	if (!payload ||
	    !sp_magic_for(skb, payload, off + len - payload, host, cfg))
		return false;
	sp_relay(spn, host, cfg, dev, &why);
	return true;
}

/*
 * Is @daddr the broadcast address of a subnet of @dev?  The one given
 * with the address, or the one the kernel routes as broadcast anyway.
 * Context: RCU read-side critical section.
 */
static bool sp_dev_bcast(struct net_device *dev, __be32 daddr)
{
	const struct in_device *in_dev = __in_dev_get_rcu(dev);
	const struct in_ifaddr *ifa;

	if (!in_dev)
		return false;
	in_dev_for_each_ifa_rcu(ifa, in_dev)
		if (ifa->ifa_broadcast == daddr ||
		    (ifa->ifa_prefixlen < 31 &&
		     (ifa->ifa_local | ~ifa->ifa_mask) == daddr))
			return true;
	return false;
}

/*
 * A magic packet (@len bytes at @off) that arrived on @in_ifindex: relay
 * it to the sleeping host it names on every other hooked interface, or
 * with @bcast only on those with a subnet of that broadcast address.
 * Context: softirq, RCU read-side critical section.
 */
static void sp_relay_elsewhere(struct sp_net *spn,
			       const struct sp_wake_cause *why,
			       unsigned int off, unsigned int len,
			       int in_ifindex, __be32 bcast)
{
	const struct sp_host_cfg *cfg;
	struct sp_host *host;
	struct sp_dev *spd;
	u8 mac[ETH_ALEN];

	if (len < SP_MAGIC_LEN || skb_copy_bits(why->skb, off + 6, mac,
						ETH_ALEN))
		return;
	list_for_each_entry_rcu(spd, &spn->devs, list) {
		/* On the host's own link its NIC heard it. */
		if (spd->ifindex == in_ifindex ||
		    (bcast && !sp_dev_bcast(spd->ops.dev, bcast)))
			continue;
		host = sp_host_lookup_asleep(spn, spd->ifindex, mac);
		if (!host || !sp_host_proxying(host))
			continue;
		cfg = rcu_dereference(host->cfg);
		if (sp_magic_for(why->skb, off, len, host, cfg))
			sp_relay(spn, host, cfg, spd->ops.dev, why);
	}
}

/**
 * sp_relay_bcast - the IPv4 local-in hook: magic packets to a subnet's
 *		    broadcast address, from another interface
 * @priv: the namespace's &struct sp_net
 * @skb: a packet for the gateway
 * @state: the hook's
 *
 * Return: NF_ACCEPT: the gateway's own sockets see the packet as before.
 * Context: softirq, RCU read-side critical section.
 */
unsigned int sp_relay_bcast(void *priv, struct sk_buff *skb,
			    const struct nf_hook_state *state)
{
	const struct rtable *rt = skb_rtable(skb);
	const struct iphdr *iph = ip_hdr(skb);
	struct sp_wake_cause why = {
		.reason = SLEEPPROXY_WAKE_MAGIC,
		.via = SLEEPPROXY_VIA_ROUTED,
		.skb = skb,
	};
	unsigned int len, payload;

	if (!rt || rt->rt_type != RTN_BROADCAST ||
	    iph->protocol != IPPROTO_UDP || ip_is_fragment(iph))
		return NF_ACCEPT;
	why.thoff = skb_network_offset(skb) + iph->ihl * 4;
	len = ntohs(iph->tot_len) - iph->ihl * 4;
	payload = sp_wol_udp(skb, why.thoff, len,
			     csum_tcpudp_nofold(iph->saddr, iph->daddr, len,
						IPPROTO_UDP, 0), false);
	if (payload)
		sp_relay_elsewhere(priv, &why, payload,
				   why.thoff + len - payload,
				   state->in->ifindex, iph->daddr);
	return NF_ACCEPT;
}

/*
 * A 0x0842 frame on any interface of any namespace.  On another interface
 * than a sleeping host's, a magic packet for the host is relayed on its.
 * Context: softirq, RCU read-side critical section.
 */
static int sp_relay_wol_rcv(struct sk_buff *skb, struct net_device *dev,
			    struct packet_type *pt,
			    struct net_device *orig_dev)
{
	struct sp_wake_cause why = {
		.reason = SLEEPPROXY_WAKE_MAGIC,
		.via = SLEEPPROXY_VIA_ROUTED,
		.skb = skb,
	};

	if (skb->pkt_type != PACKET_OTHERHOST &&
	    skb->pkt_type != PACKET_LOOPBACK)
		sp_relay_elsewhere(sp_net(dev_net(dev)), &why, 0, skb->len,
				   dev->ifindex, 0);
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

static struct packet_type sp_relay_wol __read_mostly = {
	.type = cpu_to_be16(SP_ETH_P_WOL),
	.func = sp_relay_wol_rcv,
};

void __init sp_relay_register(void)
{
	dev_add_pack(&sp_relay_wol);
}

/* Waits for running handlers. */
void sp_relay_unregister(void)
{
	dev_remove_pack(&sp_relay_wol);
}

#if IS_ENABLED(CONFIG_SLEEPPROXY_KUNIT_TEST)
#include "../tests/kunit/relay_test.c"
#endif
