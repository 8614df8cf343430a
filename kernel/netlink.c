// SPDX-License-Identifier: GPL-2.0
/*
 * The "sleepproxy" generic netlink family: register, replace, remove and
 * list hosts, read the namespace's counters, read and change its settings.  The contract is
 * uapi/linux/sleepproxy.h.
 */

#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/inetdevice.h>
#include <linux/ipv6.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/addrconf.h>
#include <net/genetlink.h>
#include <net/route.h>
#include <net/ipv6.h>
#include <net/netlink.h>

#include "compat.h"
#include "config.h"
#include "device.h"
#include "host.h"
#include "netlink.h"
#include "netns.h"
#include "wake.h"

static const struct nla_policy sp_addr_policy[SLEEPPROXY_A_ADDR_MAX + 1] = {
	[SLEEPPROXY_A_ADDR_IPV4] = NLA_POLICY_EXACT_LEN(sizeof(struct in_addr)),
	[SLEEPPROXY_A_ADDR_IPV6] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
};

static const struct nla_policy sp_port_policy[SLEEPPROXY_A_PORT_MAX + 1] = {
	[SLEEPPROXY_A_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
};

static struct netlink_range_validation sp_lease_range = {
	.max = SLEEPPROXY_LEASE_MAX,
};

/* A SecureOn password has one of two lengths: say so for any other. */
static int sp_nl_validate_password(const struct nlattr *attr,
				   struct netlink_ext_ack *extack)
{
	int len = nla_len(attr);

	if (len != 4 && len != SP_WOL_PASSWORD_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "a SecureOn password is 4 or 6 bytes");
		return -EINVAL;
	}
	return 0;
}

static const struct nla_policy sp_host_policy[SLEEPPROXY_A_HOST_MAX + 1] = {
	[SLEEPPROXY_A_HOST_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[SLEEPPROXY_A_HOST_LLADDR] = NLA_POLICY_EXACT_LEN(ETH_ALEN),
	[SLEEPPROXY_A_HOST_ADDRS] = NLA_POLICY_NESTED(sp_addr_policy),
	[SLEEPPROXY_A_HOST_TCP_PORTS] = NLA_POLICY_NESTED(sp_port_policy),
	[SLEEPPROXY_A_HOST_FLAGS] = NLA_POLICY_MASK(NLA_U32,
						    __SLEEPPROXY_HOST_F_ALL),
	[SLEEPPROXY_A_HOST_WAKE_COUNT] =
		NLA_POLICY_RANGE(NLA_U8, 1, SLEEPPROXY_WAKE_COUNT_MAX),
	[SLEEPPROXY_A_HOST_LEASE] = NLA_POLICY_FULL_RANGE(NLA_U32,
							  &sp_lease_range),
	[SLEEPPROXY_A_HOST_WAKE_LLADDR] = NLA_POLICY_EXACT_LEN(ETH_ALEN),
	[SLEEPPROXY_A_HOST_WAKE_PASSWORD] =
		NLA_POLICY_VALIDATE_FN(NLA_BINARY, sp_nl_validate_password),
	[SLEEPPROXY_A_HOST_ORIGIN] = NLA_POLICY_MAX(NLA_U8,
						    SLEEPPROXY_ORIGIN_MAX),
	[SLEEPPROXY_A_HOST_WAKE_TIMEOUT] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &sp_wake_timeout_range),
};

/* Requests that name a host (del, get) or filter a dump carry only this. */
static const struct nla_policy sp_host_key_policy[SLEEPPROXY_A_HOST_MAX + 1] = {
	[SLEEPPROXY_A_HOST_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[SLEEPPROXY_A_HOST_LLADDR] = NLA_POLICY_EXACT_LEN(ETH_ALEN),
};

static struct genl_family sp_genl_family;

static int sp_nl_parse_key(struct genl_info *info, int *ifindex, u8 *mac)
{
	/* Mark the missing attribute, and say in words which it is. */
	if (GENL_REQ_ATTR_CHECK(info, SLEEPPROXY_A_HOST_IFINDEX)) {
		NL_SET_ERR_MSG_MOD(info->extack, "missing interface index");
		return -EINVAL;
	}
	if (GENL_REQ_ATTR_CHECK(info, SLEEPPROXY_A_HOST_LLADDR)) {
		NL_SET_ERR_MSG_MOD(info->extack, "missing MAC address");
		return -EINVAL;
	}
	*ifindex = nla_get_u32(info->attrs[SLEEPPROXY_A_HOST_IFINDEX]);
	memcpy(mac, nla_data(info->attrs[SLEEPPROXY_A_HOST_LLADDR]), ETH_ALEN);
	return 0;
}

static int sp_nl_parse_addr(const struct nlattr *attr,
			    struct sp_host_params *p,
			    struct netlink_ext_ack *extack)
{
	struct in6_addr a6;
	__be32 a4;

	switch (nla_type(attr)) {
	case SLEEPPROXY_A_ADDR_IPV4:
		a4 = nla_get_in_addr(attr);
		if (ipv4_is_multicast(a4) || ipv4_is_lbcast(a4) ||
		    ipv4_is_zeronet(a4) || ipv4_is_loopback(a4)) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "not a unicast IPv4 address");
			return -EINVAL;
		}
		if (p->n_ipv4 == SLEEPPROXY_MAX_IPV4) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "too many IPv4 addresses (at most 8)");
			return -E2BIG;
		}
		p->ipv4[p->n_ipv4++] = a4;
		return 0;
	case SLEEPPROXY_A_ADDR_IPV6:
		a6 = nla_get_in6_addr(attr);
		if (ipv6_addr_any(&a6) || ipv6_addr_is_multicast(&a6) ||
		    ipv6_addr_loopback(&a6) || ipv6_addr_v4mapped(&a6)) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "not a unicast IPv6 address");
			return -EINVAL;
		}
		if (p->n_ipv6 == SLEEPPROXY_MAX_IPV6) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "too many IPv6 addresses (at most 16)");
			return -E2BIG;
		}
		p->ipv6[p->n_ipv6++] = a6;
		return 0;
	default:
		/* The policy lets only known types through. */
		return -EINVAL;
	}
}

static int sp_nl_parse_host(struct genl_info *info, struct sp_host_params *p)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr **attrs = info->attrs;
	struct nlattr *attr;
	int err, rem;

	err = sp_nl_parse_key(info, &p->ifindex, p->mac);
	if (err)
		return err;
	if (!is_valid_ether_addr(p->mac)) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[SLEEPPROXY_A_HOST_LLADDR],
				    "not a unicast MAC address");
		return -EINVAL;
	}

	if (GENL_REQ_ATTR_CHECK(info, SLEEPPROXY_A_HOST_ADDRS)) {
		NL_SET_ERR_MSG_MOD(extack, "missing addresses");
		return -EINVAL;
	}
	nla_for_each_nested(attr, attrs[SLEEPPROXY_A_HOST_ADDRS], rem) {
		err = sp_nl_parse_addr(attr, p, extack);
		if (err)
			return err;
	}
	if (!p->n_ipv4 && !p->n_ipv6) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[SLEEPPROXY_A_HOST_ADDRS],
				    "a host needs at least one address");
		return -EINVAL;
	}

	if (attrs[SLEEPPROXY_A_HOST_FLAGS])
		p->flags = nla_get_u32(attrs[SLEEPPROXY_A_HOST_FLAGS]);
	if (attrs[SLEEPPROXY_A_HOST_TCP_PORTS]) {
		if (p->flags & SLEEPPROXY_HOST_F_TCP_ANY) {
			NL_SET_ERR_MSG_ATTR(extack,
					    attrs[SLEEPPROXY_A_HOST_TCP_PORTS],
					    "a port list and any port exclude each other");
			return -EINVAL;
		}
		nla_for_each_nested(attr, attrs[SLEEPPROXY_A_HOST_TCP_PORTS],
				    rem) {
			if (p->n_ports == SLEEPPROXY_MAX_PORTS) {
				NL_SET_ERR_MSG_ATTR(extack, attr,
						    "too many ports (at most 64)");
				return -E2BIG;
			}
			p->ports[p->n_ports++] = nla_get_u16(attr);
		}
	}

	p->wake_count = SLEEPPROXY_WAKE_COUNT_DEFAULT;
	if (attrs[SLEEPPROXY_A_HOST_WAKE_COUNT])
		p->wake_count = nla_get_u8(attrs[SLEEPPROXY_A_HOST_WAKE_COUNT]);
	if (attrs[SLEEPPROXY_A_HOST_LEASE])
		p->lease = nla_get_u32(attrs[SLEEPPROXY_A_HOST_LEASE]);
	p->wake_timeout = SP_WAKE_TIMEOUT_PARAM;
	if (attrs[SLEEPPROXY_A_HOST_WAKE_TIMEOUT])
		p->wake_timeout =
			nla_get_u32(attrs[SLEEPPROXY_A_HOST_WAKE_TIMEOUT]);

	/* Left all zeros, the host's own MAC is the one to wake. */
	attr = attrs[SLEEPPROXY_A_HOST_WAKE_LLADDR];
	if (attr) {
		memcpy(p->magic.mac, nla_data(attr), ETH_ALEN);
		if (!is_valid_ether_addr(p->magic.mac)) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "not a unicast wake MAC address");
			return -EINVAL;
		}
	}
	attr = attrs[SLEEPPROXY_A_HOST_WAKE_PASSWORD];
	if (attr) {
		/* The policy let only 4 or 6 bytes through. */
		p->magic.password_len = nla_len(attr);
		memcpy(p->magic.password, nla_data(attr),
		       p->magic.password_len);
	}
	if (attrs[SLEEPPROXY_A_HOST_ORIGIN])
		p->origin = nla_get_u8(attrs[SLEEPPROXY_A_HOST_ORIGIN]);
	return 0;
}

/* The interface a host is registered on.  Context: RTNL held. */
static struct net_device *sp_nl_dev(struct net *net,
				    const struct sp_host_params *p,
				    struct genl_info *info)
{
	struct nlattr *attr = info->attrs[SLEEPPROXY_A_HOST_IFINDEX];
	struct net_device *dev;

	dev = __dev_get_by_index(net, p->ifindex);
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "no such interface");
		return ERR_PTR(-ENODEV);
	}
	if (dev->type != ARPHRD_ETHER || dev->addr_len != ETH_ALEN ||
	    (dev->flags & IFF_LOOPBACK)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "not an Ethernet interface");
		return ERR_PTR(-EOPNOTSUPP);
	}
	if (ether_addr_equal(dev->dev_addr, p->mac)) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[SLEEPPROXY_A_HOST_LLADDR],
				    "that is the interface's own MAC address");
		return ERR_PTR(-EINVAL);
	}
	return dev;
}

/*
 * Addresses a host cannot have: the gateway's own (answering for them
 * would take them from the gateway) and the broadcast addresses of the
 * interface's subnets.  (inet_addr_type() also says "broadcast" for any
 * address while the namespace has no local table: only when the interface
 * has an IPv4 address, and with it the table, is that an answer.)
 * Context: RTNL held.
 */
static int sp_nl_check_addrs(struct net *net, struct net_device *dev,
			     const struct sp_host_params *p,
			     struct netlink_ext_ack *extack)
{
	struct in_device *in_dev = __in_dev_get_rtnl(dev);
	unsigned int i, type;

	for (i = 0; i < p->n_ipv4; i++) {
		type = inet_addr_type_dev_table(net, dev, p->ipv4[i]);
		if (type == RTN_LOCAL) {
			NL_SET_ERR_MSG_MOD(extack,
					   "an IPv4 address is one of the gateway's own");
			return -EADDRINUSE;
		}
		if (type == RTN_BROADCAST && in_dev &&
		    rtnl_dereference(in_dev->ifa_list)) {
			NL_SET_ERR_MSG_MOD(extack,
					   "an IPv4 address is the interface's broadcast address");
			return -EINVAL;
		}
	}
	for (i = 0; i < p->n_ipv6; i++) {
		if (ipv6_chk_addr(net, &p->ipv6[i], NULL, 0)) {
			NL_SET_ERR_MSG_MOD(extack,
					   "an IPv6 address is one of the gateway's own");
			return -EADDRINUSE;
		}
	}
	return 0;
}

static int sp_nl_host_new(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct sp_net *spn = sp_net(net);
	struct sp_host_params *p;
	struct net_device *dev;
	struct sp_host *host;
	bool attached = false;
	bool created;
	int err;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	err = sp_nl_parse_host(info, p);
	if (err)
		goto out_free;

	rtnl_lock();
	mutex_lock(&spn->lock);
	dev = sp_nl_dev(net, p, info);
	if (IS_ERR(dev)) {
		err = PTR_ERR(dev);
		goto out_unlock;
	}
	err = sp_nl_check_addrs(net, dev, p, info->extack);
	if (err)
		goto out_unlock;
	/* The hook goes in before the host can be found by it. */
	if (!sp_host_find(spn, p->ifindex, p->mac)) {
		err = sp_dev_attach(spn, dev);
		if (err) {
			NL_SET_ERR_MSG_MOD(info->extack,
					   "cannot hook the interface");
			goto out_unlock;
		}
		attached = true;
	}
	err = sp_host_set(spn, dev, p, &host, &created, info->extack);
	if (err) {
		if (attached)
			sp_dev_detach(spn, p->ifindex);
		goto out_unlock;
	}
	if (created)
		sp_nl_notify(spn, host, SLEEPPROXY_EVENT_ADDED, NULL, 0,
			     GFP_KERNEL);
out_unlock:
	mutex_unlock(&spn->lock);
	rtnl_unlock();
out_free:
	kfree(p);
	return err;
}

static int sp_nl_host_del(struct sk_buff *skb, struct genl_info *info)
{
	struct sp_net *spn = sp_net(genl_info_net(info));
	u8 mac[ETH_ALEN];
	int ifindex, err;

	err = sp_nl_parse_key(info, &ifindex, mac);
	if (err)
		return err;

	rtnl_lock();
	mutex_lock(&spn->lock);
	err = sp_host_del(spn, __dev_get_by_index(genl_info_net(info), ifindex),
			  ifindex, mac, SLEEPPROXY_REMOVED_DELETED);
	if (err)
		NL_SET_ERR_MSG_MOD(info->extack,
				   "no host with that MAC on that interface");
	else
		sp_dev_detach(spn, ifindex);
	mutex_unlock(&spn->lock);
	rtnl_unlock();
	return err;
}

/*
 * The addresses of @cfg as the nest @type: all of them, or with
 * @conflicts only those another MAC claimed (nothing if none).
 */
static int sp_nl_put_addrs(struct sk_buff *skb, const struct sp_host_cfg *cfg,
			   int type, bool conflicts)
{
	const struct sp_addr_key *key;
	struct nlattr *nest = NULL;
	unsigned int i;
	int err;

	for (i = 0; i < cfg->n_addrs; i++) {
		if (conflicts && !test_bit(0, &cfg->addrs[i].conflict))
			continue;
		if (!nest)
			nest = nla_nest_start(skb, type);
		if (!nest)
			return -EMSGSIZE;
		key = &cfg->addrs[i].key;
		if (key->family == AF_INET)
			err = nla_put_in_addr(skb, SLEEPPROXY_A_ADDR_IPV4,
					      key->addr[0]);
		else
			err = nla_put(skb, SLEEPPROXY_A_ADDR_IPV6,
				      sizeof(struct in6_addr), key->addr);
		if (err)
			return err;
	}
	if (nest)
		nla_nest_end(skb, nest);
	return 0;
}

static int sp_nl_put_ports(struct sk_buff *skb, const struct sp_host_cfg *cfg)
{
	struct nlattr *nest;
	unsigned int i;

	nest = nla_nest_start(skb, SLEEPPROXY_A_HOST_TCP_PORTS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < cfg->n_ports; i++)
		if (nla_put_u16(skb, SLEEPPROXY_A_PORT, cfg->ports[i]))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int sp_nl_put_host_stats(struct sk_buff *skb,
				const struct sp_host *host)
{
	u64 vals[SP_HSTAT_COUNT];
	struct nlattr *nest;
	unsigned int i;

	/* The counters map one to one onto the attributes. */
	BUILD_BUG_ON(SLEEPPROXY_A_HOST_STAT_ARP_REQUESTS + SP_HSTAT_COUNT !=
		     __SLEEPPROXY_A_HOST_STAT_LAST);

	nest = nla_nest_start(skb, SLEEPPROXY_A_HOST_STATS);
	if (!nest)
		return -EMSGSIZE;
	sp_host_stats_read(host, vals);
	for (i = 0; i < SP_HSTAT_COUNT; i++)
		if (nla_put_u64_64bit(skb,
				      SLEEPPROXY_A_HOST_STAT_ARP_REQUESTS + i,
				      vals[i], SLEEPPROXY_A_HOST_STAT_PAD))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * The SecureOn password goes only to those who could have set it
 * (@secrets): anyone may read the table.
 * Context: RCU read-side critical section.
 */
static int sp_nl_put_wake(struct sk_buff *skb, const struct sp_wake_rec *r,
			  u64 now)
{
	struct nlattr *nest = nla_nest_start(skb, SLEEPPROXY_A_WAKE);

	if (!nest ||
	    nla_put_u8(skb, SLEEPPROXY_A_WAKE_REASON, r->reason) ||
	    nla_put_u64_64bit(skb, SLEEPPROXY_A_WAKE_AGE_MS,
			      jiffies64_to_msecs(now - r->when),
			      SLEEPPROXY_A_WAKE_PAD) ||
	    nla_put_u8(skb, SLEEPPROXY_A_WAKE_SENT, r->sent))
		return -EMSGSIZE;
	if (r->packet &&
	    (nla_put_u8(skb, SLEEPPROXY_A_WAKE_VIA, r->via) ||
	     (r->in_ifindex &&
	      nla_put_u32(skb, SLEEPPROXY_A_WAKE_IIFINDEX, r->in_ifindex)) ||
	     (!is_zero_ether_addr(r->src_mac) &&
	      nla_put(skb, SLEEPPROXY_A_WAKE_SRC_LLADDR, ETH_ALEN,
		      r->src_mac))))
		return -EMSGSIZE;
	if (r->family &&
	    ((r->family == AF_INET ?
	      nla_put_in_addr(skb, SLEEPPROXY_A_WAKE_SRC_IPV4, r->saddr[0]) :
	      nla_put(skb, SLEEPPROXY_A_WAKE_SRC_IPV6, sizeof(r->saddr),
		      r->saddr)) ||
	     nla_put_u16(skb, SLEEPPROXY_A_WAKE_SRC_PORT, ntohs(r->sport)) ||
	     nla_put_u16(skb, SLEEPPROXY_A_WAKE_DST_PORT, ntohs(r->dport))))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * The wake log, newest first, copied out under its lock so that the
 * message is built from one consistent view.
 */
static int sp_nl_put_wakes(struct sk_buff *skb, struct sp_host *host)
{
	struct sp_wake_rec rec[SLEEPPROXY_WAKES_KEPT];
	u8 frame[SLEEPPROXY_WAKE_FRAME_MAX];
	struct sp_host_wake *w = READ_ONCE(host->wake);
	unsigned int i, n, next, frame_len;
	u64 now = get_jiffies_64();
	struct sp_wake_log *log;
	struct nlattr *nest;

	/* Never woken. */
	if (!w)
		return 0;
	log = &w->wakes;
	spin_lock_bh(&log->lock);
	n = log->count;
	next = log->next;
	memcpy(rec, log->rec, sizeof(rec));
	frame_len = log->frame_len;
	memcpy(frame, log->frame, frame_len);
	spin_unlock_bh(&log->lock);

	if (!n)
		return 0;
	nest = nla_nest_start(skb, SLEEPPROXY_A_HOST_WAKES);
	if (!nest)
		return -EMSGSIZE;
	for (i = 1; i <= n; i++)
		if (sp_nl_put_wake(skb, &rec[(next + ARRAY_SIZE(rec) - i) %
					     ARRAY_SIZE(rec)], now))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	if (frame_len &&
	    nla_put(skb, SLEEPPROXY_A_HOST_WAKE_FRAME, frame_len, frame))
		return -EMSGSIZE;
	return 0;
}

static int sp_nl_put_host(struct sk_buff *skb, struct net *net,
			  struct sp_host *host, u32 portid, u32 seq,
			  int flags, struct netlink_callback *cb, bool secrets)
{
	const struct sp_host_cfg *cfg = rcu_dereference(host->cfg);
	const struct sp_magic *m = &cfg->magic;
	u64 age = get_jiffies_64() - atomic64_read(&host->state_since);
	u32 lease_left = sp_host_lease_left(host);
	struct net_device *dev;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &sp_genl_family, flags,
			  SLEEPPROXY_CMD_HOST_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);

	dev = dev_get_by_index_rcu(net, host->key.ifindex);
	if (nla_put_u32(skb, SLEEPPROXY_A_HOST_ID, host->id) ||
	    nla_put_u32(skb, SLEEPPROXY_A_HOST_IFINDEX, host->key.ifindex) ||
	    (dev && nla_put_string(skb, SLEEPPROXY_A_HOST_IFNAME, dev->name)) ||
	    nla_put(skb, SLEEPPROXY_A_HOST_LLADDR, ETH_ALEN, host->key.mac) ||
	    sp_nl_put_addrs(skb, cfg, SLEEPPROXY_A_HOST_ADDRS, false) ||
	    sp_nl_put_addrs(skb, cfg, SLEEPPROXY_A_HOST_CONFLICTS, true) ||
	    (lease_left &&
	     nla_put_u32(skb, SLEEPPROXY_A_HOST_LEASE_LEFT, lease_left)) ||
	    sp_nl_put_ports(skb, cfg) ||
	    nla_put_u32(skb, SLEEPPROXY_A_HOST_FLAGS, cfg->flags) ||
	    nla_put_u8(skb, SLEEPPROXY_A_HOST_WAKE_COUNT, cfg->wake_count) ||
	    nla_put_u32(skb, SLEEPPROXY_A_HOST_LEASE, cfg->lease) ||
	    nla_put_u8(skb, SLEEPPROXY_A_HOST_STATE, READ_ONCE(host->state)) ||
	    nla_put_u32(skb, SLEEPPROXY_A_HOST_STATE_AGE,
			min_t(u64, jiffies64_to_msecs(age), U32_MAX)) ||
	    sp_nl_put_host_stats(skb, host) ||
	    nla_put(skb, SLEEPPROXY_A_HOST_WAKE_LLADDR, ETH_ALEN, m->mac) ||
	    (secrets && m->password_len &&
	     nla_put(skb, SLEEPPROXY_A_HOST_WAKE_PASSWORD, m->password_len,
		     m->password)) ||
	    nla_put_u8(skb, SLEEPPROXY_A_HOST_ORIGIN, cfg->origin) ||
	    (cfg->wake_timeout != SP_WAKE_TIMEOUT_PARAM &&
	     nla_put_u32(skb, SLEEPPROXY_A_HOST_WAKE_TIMEOUT,
			 cfg->wake_timeout)) ||
	    (READ_ONCE(host->last_wake_ms) &&
	     nla_put_u32(skb, SLEEPPROXY_A_HOST_LAST_WAKE_MS,
			 READ_ONCE(host->last_wake_ms))) ||
	    sp_nl_put_wakes(skb, host)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int sp_nl_host_get(struct sk_buff *skb, struct genl_info *info)
{
	bool secrets = netlink_net_capable(skb, CAP_NET_ADMIN);
	struct net *net = genl_info_net(info);
	struct sp_host *host;
	struct sk_buff *msg;
	u8 mac[ETH_ALEN];
	int ifindex, err;

	err = sp_nl_parse_key(info, &ifindex, mac);
	if (err)
		return err;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	rcu_read_lock();
	host = sp_host_lookup(sp_net(net), ifindex, mac);
	if (host)
		err = sp_nl_put_host(msg, net, host, info->snd_portid,
				     info->snd_seq, 0, NULL, secrets);
	rcu_read_unlock();
	if (!host) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "no host with that MAC on that interface");
		err = -ENOENT;
	}
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/*
 * Whether the dump shows passwords is decided once, for the requester, in
 * the context of its request (cb->args[2]).
 */
static int sp_nl_host_dump_start(struct netlink_callback *cb)
{
	cb->args[2] = netlink_net_capable(cb->skb, CAP_NET_ADMIN);
	return 0;
}

/*
 * One message per host in id order; cb->args[0] is the id to resume at,
 * cb->args[1] set once the walk is complete (an id past the last one
 * would not fit an unsigned long on 32-bit).  cb->seq follows the table's
 * generation, so a dump that raced with a change is flagged
 * NLM_F_DUMP_INTR rather than silently wrong.
 */
static int sp_nl_host_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr **attrs = sp_genl_dump_attrs(cb);
	struct net *net = sock_net(skb->sk);
	struct sp_net *spn = sp_net(net);
	unsigned long id = cb->args[0];
	struct sp_host *host;
	int ifindex = 0;

	if (cb->args[1])
		return 0;
	if (attrs[SLEEPPROXY_A_HOST_IFINDEX])
		ifindex = nla_get_u32(attrs[SLEEPPROXY_A_HOST_IFINDEX]);

	rcu_read_lock();
	cb->seq = READ_ONCE(spn->gen);
	xa_for_each_start(&spn->ids, id, host, cb->args[0]) {
		if (ifindex && host->key.ifindex != ifindex)
			continue;
		if (sp_nl_put_host(skb, net, host,
				   NETLINK_CB(cb->skb).portid,
				   cb->nlh->nlmsg_seq, NLM_F_MULTI, cb,
				   cb->args[2]))
			break;
	}
	rcu_read_unlock();
	cb->args[0] = id;
	cb->args[1] = !host;
	return skb->len;
}

static const struct nla_policy sp_wake_policy[SLEEPPROXY_A_HOST_MAX + 1] = {
	[SLEEPPROXY_A_HOST_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[SLEEPPROXY_A_HOST_LLADDR] = NLA_POLICY_EXACT_LEN(ETH_ALEN),
	[SLEEPPROXY_A_HOST_WAKE_PASSWORD] =
		NLA_POLICY_VALIDATE_FN(NLA_BINARY, sp_nl_validate_password),
};

/*
 * A wake on the admin's word: a registered host as it registered (and
 * woken, if it was proxied), any other MAC with the default count.
 */
static int sp_nl_wake(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *pw = info->attrs[SLEEPPROXY_A_HOST_WAKE_PASSWORD];
	struct net *net = genl_info_net(info);
	struct sp_wake_cause why = { .reason = SLEEPPROXY_WAKE_MANUAL };
	struct sp_net *spn = sp_net(net);
	struct net_device *dev;
	struct sp_host *host;
	struct sp_magic m = {};
	int ifindex, err;

	err = sp_nl_parse_key(info, &ifindex, m.mac);
	if (err)
		return err;
	if (!is_valid_ether_addr(m.mac)) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[SLEEPPROXY_A_HOST_LLADDR],
				    "not a unicast MAC address");
		return -EINVAL;
	}
	if (pw) {
		m.password_len = nla_len(pw);
		memcpy(m.password, nla_data(pw), m.password_len);
	}

	rcu_read_lock();
	dev = dev_get_by_index_rcu(net, ifindex);
	if (!dev || dev->type != ARPHRD_ETHER || !(dev->flags & IFF_UP)) {
		rcu_read_unlock();
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[SLEEPPROXY_A_HOST_IFINDEX],
				    "no such Ethernet interface, or it is down");
		return -ENODEV;
	}
	host = sp_host_lookup(spn, ifindex, m.mac);
	if (host && pw) {
		rcu_read_unlock();
		NL_SET_ERR_MSG_ATTR(info->extack, pw,
				    "a registered host is woken with its own password");
		return -EINVAL;
	}
	local_bh_disable();
	if (host) {
		sp_host_set_woken(host);
		sp_wake(spn, host, rcu_dereference(host->cfg), dev, &why);
	} else {
		sp_wake_send(spn, dev, &m, SLEEPPROXY_WAKE_COUNT_DEFAULT);
	}
	sp_stat_inc(spn, dev, SP_STAT_MANUAL_WAKES);
	local_bh_enable();
	rcu_read_unlock();
	return 0;
}

static const struct nla_policy sp_stats_policy[SLEEPPROXY_A_STATS_MAX + 1] = {
	[SLEEPPROXY_A_STATS_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
};

/*
 * The counters of @spd, or of the namespace without it, as one message.
 * Context: RCU read-side critical section.
 */
static int sp_nl_put_stats(struct sk_buff *skb, struct net *net,
			   struct sp_net *spn, const struct sp_dev *spd,
			   u32 portid, u32 seq, int flags)
{
	u64 vals[SP_DSTAT_COUNT];
	struct net_device *dev;
	struct nlattr *nest;
	unsigned int i;
	void *hdr;

	/* The counters map one to one onto the attributes. */
	BUILD_BUG_ON(SLEEPPROXY_A_STATS_RX_FRAMES + SP_STAT_COUNT !=
		     SLEEPPROXY_A_STATS_MANUAL_WAKES + 1);

	hdr = genlmsg_put(skb, portid, seq, &sp_genl_family, flags,
			  SLEEPPROXY_CMD_STATS_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (spd) {
		dev = dev_get_by_index_rcu(net, spd->ifindex);
		sp_stats_read(spd->stats, SP_DSTAT_COUNT, vals);
		if (nla_put_u32(skb, SLEEPPROXY_A_STATS_IFINDEX, spd->ifindex) ||
		    (dev && nla_put_string(skb, SLEEPPROXY_A_STATS_IFNAME,
					   dev->name)) ||
		    nla_put_u32(skb, SLEEPPROXY_A_STATS_HOSTS,
				READ_ONCE(spd->nr_hosts)))
			goto cancel;
	} else {
		sp_stats_read(spn->stats, SP_STAT_COUNT, vals);
		if (nla_put_u32(skb, SLEEPPROXY_A_STATS_HOSTS,
				READ_ONCE(spn->nr_hosts)))
			goto cancel;
	}
	if (nla_put_u32(skb, SLEEPPROXY_A_STATS_HOSTS_PROXYING,
			sp_hosts_proxying(spn, spd ? spd->ifindex : 0)))
		goto cancel;
	for (i = 0; i < SP_STAT_COUNT; i++)
		if (nla_put_u64_64bit(skb, SLEEPPROXY_A_STATS_RX_FRAMES + i,
				      vals[i], SLEEPPROXY_A_STATS_PAD))
			goto cancel;
	if (spd) {
		nest = nla_nest_start(skb, SLEEPPROXY_A_STATS_HOST_TOTALS);
		if (!nest)
			goto cancel;
		for (i = 0; i < SP_HSTAT_COUNT; i++)
			if (nla_put_u64_64bit(skb,
					      SLEEPPROXY_A_HOST_STAT_ARP_REQUESTS + i,
					      vals[SP_DSTAT_HOST(i)],
					      SLEEPPROXY_A_HOST_STAT_PAD))
				goto cancel;
		nla_nest_end(skb, nest);
	}
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static int sp_nl_stats_get(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *attr = info->attrs[SLEEPPROXY_A_STATS_IFINDEX];
	struct net *net = genl_info_net(info);
	struct sp_net *spn = sp_net(net);
	struct sp_dev *spd = NULL;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	rcu_read_lock();
	if (attr) {
		spd = sp_dev_find(spn, nla_get_u32(attr));
		if (!spd && dev_get_by_index_rcu(net, nla_get_u32(attr))) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "no host is registered on that interface");
			err = -ENOENT;
			goto err;
		}
		if (!spd) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "no such interface");
			err = -ENODEV;
			goto err;
		}
	}
	err = sp_nl_put_stats(msg, net, spn, spd, info->snd_portid,
			      info->snd_seq, 0);
err:
	rcu_read_unlock();
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* One message per interface with hosts; cb->args[0]: the last ifindex sent. */
static int sp_nl_stats_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	struct sp_net *spn = sp_net(net);
	struct sp_dev *spd;

	rcu_read_lock();
	list_for_each_entry_rcu(spd, &spn->devs, list) {
		if (spd->ifindex <= cb->args[0])
			continue;
		if (sp_nl_put_stats(skb, net, spn, spd,
				    NETLINK_CB(cb->skb).portid,
				    cb->nlh->nlmsg_seq, NLM_F_MULTI))
			break;
		cb->args[0] = spd->ifindex;
	}
	rcu_read_unlock();
	return skb->len;
}

/* Anyone may read the settings; they hold no secret. */
static int sp_nl_config_get(struct sk_buff *skb, struct genl_info *info)
{
	struct sp_net *spn = sp_net(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &sp_genl_family, 0,
				SLEEPPROXY_CMD_CONFIG_GET);
	if (!hdr || sp_config_put(msg, spn)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int sp_nl_config_set(struct sk_buff *skb, struct genl_info *info)
{
	struct sp_net *spn = sp_net(genl_info_net(info));
	int err;

	mutex_lock(&spn->lock);
	err = sp_config_change(spn, info->attrs, info->extack);
	mutex_unlock(&spn->lock);
	return err;
}

/* Cleared, and waited for, before the family goes. */
static bool sp_events_on;

/**
 * sp_nl_notify - tell the namespace's listeners what happened to a host
 * @spn: the namespace
 * @host: the host
 * @event: enum sleepproxy_event
 * @wake: for SLEEPPROXY_EVENT_WAKE, the wake
 * @removed: for SLEEPPROXY_EVENT_REMOVED, enum sleepproxy_removed
 * @gfp: what the caller may allocate with
 *
 * Costs one test when nobody listens.  A message that cannot be allocated
 * is not sent: listeners may miss events, never the host its state.
 *
 * Context: any; with a sleeping @gfp, process.
 */
void sp_nl_notify(struct sp_net *spn, struct sp_host *host,
		  enum sleepproxy_event event, const struct sp_wake_rec *wake,
		  u8 removed, gfp_t gfp)
{
	struct net *net = spn->net;
	struct net_device *dev;
	struct nlattr *nest;
	struct sk_buff *skb;
	void *hdr;

	/* KUnit's stand-alone host tables belong to no namespace. */
	if (!net || !READ_ONCE(sp_events_on) ||
	    !genl_has_listeners(&sp_genl_family, net, 0))
		return;
	skb = genlmsg_new(NLMSG_DEFAULT_SIZE, gfp);
	if (!skb)
		return;

	rcu_read_lock();
	hdr = genlmsg_put(skb, 0, 0, &sp_genl_family, 0, SLEEPPROXY_CMD_EVENT);
	if (!hdr)
		goto err;
	dev = dev_get_by_index_rcu(net, host->key.ifindex);
	if (nla_put_u8(skb, SLEEPPROXY_A_HOST_EVENT, event) ||
	    nla_put_u32(skb, SLEEPPROXY_A_HOST_ID, host->id) ||
	    nla_put_u32(skb, SLEEPPROXY_A_HOST_IFINDEX, host->key.ifindex) ||
	    (dev && nla_put_string(skb, SLEEPPROXY_A_HOST_IFNAME, dev->name)) ||
	    nla_put(skb, SLEEPPROXY_A_HOST_LLADDR, ETH_ALEN, host->key.mac))
		goto err;
	if (event == SLEEPPROXY_EVENT_REMOVED &&
	    nla_put_u8(skb, SLEEPPROXY_A_HOST_REMOVED, removed))
		goto err;
	if (wake) {
		nest = nla_nest_start(skb, SLEEPPROXY_A_HOST_WAKES);
		if (!nest || sp_nl_put_wake(skb, wake, wake->when))
			goto err;
		nla_nest_end(skb, nest);
	}
	genlmsg_end(skb, hdr);
	if (READ_ONCE(sp_events_on)) {
		genlmsg_multicast_netns(&sp_genl_family, net, skb, 0, 0,
					GFP_ATOMIC);
		skb = NULL;
	}
err:
	rcu_read_unlock();
	nlmsg_free(skb);
}

static const struct genl_multicast_group sp_mcgrps[] = {
	{ .name = SLEEPPROXY_MCGRP_EVENTS },
};

static const struct genl_ops sp_genl_ops[] = {
	{
		.cmd = SLEEPPROXY_CMD_HOST_NEW,
		.doit = sp_nl_host_new,
		.policy = sp_host_policy,
		.maxattr = SLEEPPROXY_A_HOST_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SLEEPPROXY_CMD_HOST_DEL,
		.doit = sp_nl_host_del,
		.policy = sp_host_key_policy,
		.maxattr = SLEEPPROXY_A_HOST_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SLEEPPROXY_CMD_HOST_GET,
		.doit = sp_nl_host_get,
		.start = sp_nl_host_dump_start,
		.dumpit = sp_nl_host_dump,
		.policy = sp_host_key_policy,
		.maxattr = SLEEPPROXY_A_HOST_MAX,
	},
	{
		.cmd = SLEEPPROXY_CMD_STATS_GET,
		.doit = sp_nl_stats_get,
		.dumpit = sp_nl_stats_dump,
		.policy = sp_stats_policy,
		.maxattr = SLEEPPROXY_A_STATS_MAX,
	},
	{
		.cmd = SLEEPPROXY_CMD_WAKE,
		.doit = sp_nl_wake,
		.policy = sp_wake_policy,
		.maxattr = SLEEPPROXY_A_HOST_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SLEEPPROXY_CMD_CONFIG_GET,
		.doit = sp_nl_config_get,
		.policy = sp_config_policy,
		.maxattr = SLEEPPROXY_A_CONFIG_MAX,
	},
	{
		.cmd = SLEEPPROXY_CMD_CONFIG_SET,
		.doit = sp_nl_config_set,
		.policy = sp_config_policy,
		.maxattr = SLEEPPROXY_A_CONFIG_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static struct genl_family sp_genl_family __ro_after_init = {
	.name = SLEEPPROXY_GENL_NAME,
	.version = SLEEPPROXY_GENL_VERSION,
	.module = THIS_MODULE,
	.netnsok = true,
	.parallel_ops = true,
	.ops = sp_genl_ops,
	.n_ops = ARRAY_SIZE(sp_genl_ops),
	.mcgrps = sp_mcgrps,
	.n_mcgrps = ARRAY_SIZE(sp_mcgrps),
	/* Stray header flags are refused for every command. */
	.resv_start_op = SLEEPPROXY_CMD_HOST_NEW,
};

int __init sp_genl_register(void)
{
	int err = genl_register_family(&sp_genl_family);

	if (!err)
		WRITE_ONCE(sp_events_on, true);
	return err;
}

/*
 * No event after this: the notifiers and hooks still running until the
 * namespaces go must not touch a family that is gone.
 */
void sp_genl_unregister(void)
{
	WRITE_ONCE(sp_events_on, false);
	synchronize_net();
	genl_unregister_family(&sp_genl_family);
}
