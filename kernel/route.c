// SPDX-License-Identifier: GPL-2.0
/*
 * Packets for a sleeping host that do not come from its link: routed by
 * the gateway from another subnet, a VLAN, a VPN or a port-forward, or
 * sent by the gateway itself.  They meet the host's address after routing,
 * in post-routing, and are treated as those from the link are (the same
 * port rules, checks and counters): a SYN to a port the host serves wakes
 * it, a magic packet for it is relayed, and nothing reaches the sleeping
 * host's MAC, nor does an ICMP error go back.  A local sender's packet is
 * taken quietly rather than dropped, so that its socket is not failed
 * (EPERM): TCP retransmits and reaches the host once it is up.
 *
 * The hooks exist while the namespace has registered hosts.  They see
 * everything the gateway forwards or sends, and let what the filter says
 * is for no proxied address pass before calling anything.
 */

#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/skbuff.h>
#include <linux/sleepproxy.h>

#include "filter.h"
#include "ipv4.h"
#include "ipv6.h"
#include "netns.h"
#include "relay.h"
#include "route.h"

/*
 * After the admin's forward filter and mangle chains; before source NAT,
 * so that a wake records the sender's own address.
 */
#define SP_ROUTE_PRIORITY	(NF_IP_PRI_NAT_SRC - 10)

/*
 * A packet that came in on an interface has its index; one the gateway
 * built has none.  (IPv6 marks forwarded multicast only, so the flag
 * IPv4 sets on forwarded packets cannot serve both.)
 */
static u8 sp_route_via(const struct sk_buff *skb)
{
	return skb->skb_iif ? SLEEPPROXY_VIA_ROUTED : SLEEPPROXY_VIA_LOCAL;
}

static unsigned int sp_route_verdict(struct sk_buff *skb,
				     unsigned int verdict, u8 via)
{
	if (verdict != NF_DROP || via != SLEEPPROXY_VIA_LOCAL)
		return verdict;
	consume_skb(skb);
	return NF_STOLEN;
}

static unsigned int sp_route_hook4(void *priv, struct sk_buff *skb,
				   const struct nf_hook_state *state)
{
	struct sp_net *spn = priv;
	u8 via;

	if (!sp_filter_maybe_ipv4(rcu_dereference(spn->filter), skb,
				  state->out->ifindex))
		return NF_ACCEPT;
	via = sp_route_via(skb);
	return sp_route_verdict(skb, sp_ipv4_rcv(spn, skb, state->out, via),
				via);
}

#if IS_ENABLED(CONFIG_IPV6)
static unsigned int sp_route_hook6(void *priv, struct sk_buff *skb,
				   const struct nf_hook_state *state)
{
	struct sp_net *spn = priv;
	u8 via;

	if (!sp_filter_maybe_ipv6(rcu_dereference(spn->filter), skb,
				  state->out->ifindex))
		return NF_ACCEPT;
	via = sp_route_via(skb);
	return sp_route_verdict(skb, sp_ipv6_rcv(spn, skb, state->out, via),
				via);
}
#endif

static const struct nf_hook_ops sp_route_ops[] = {
	{
		.hook = sp_route_hook4,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_POST_ROUTING,
		.priority = SP_ROUTE_PRIORITY,
	},
	{
		.hook = sp_relay_bcast,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_IN,
		.priority = NF_IP_PRI_FILTER + 10,
	},
#if IS_ENABLED(CONFIG_IPV6)
	{
		.hook = sp_route_hook6,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_POST_ROUTING,
		.priority = SP_ROUTE_PRIORITY,
	},
#endif
};

/* The namespace's first host.  Context: process, &sp_net.lock held. */
int sp_route_attach(struct sp_net *spn)
{
	unsigned int i;

	BUILD_BUG_ON(ARRAY_SIZE(sp_route_ops) > SP_ROUTE_NR_OPS);
	lockdep_assert_held(&spn->lock);
	for (i = 0; i < ARRAY_SIZE(sp_route_ops); i++) {
		spn->route_ops[i] = sp_route_ops[i];
		spn->route_ops[i].priv = spn;
	}
	return nf_register_net_hooks(spn->net, spn->route_ops,
				     ARRAY_SIZE(sp_route_ops));
}

/* Its last one gone.  Context: process, &sp_net.lock held. */
void sp_route_detach(struct sp_net *spn)
{
	lockdep_assert_held(&spn->lock);
	nf_unregister_net_hooks(spn->net, spn->route_ops,
				ARRAY_SIZE(sp_route_ops));
}
