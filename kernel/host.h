/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SP_HOST_H
#define _SP_HOST_H

#include <linux/atomic.h>
#include <linux/if_ether.h>
#include <linux/in6.h>
#include <linux/rhashtable.h>
#include <linux/sleepproxy.h>

struct net;
struct net_device;
struct netlink_ext_ack;
struct sp_net;

/* Per-host counters, in the order of enum sleepproxy_host_stat_attr. */
enum sp_host_stat {
	SP_HSTAT_ARP_REQUESTS,
	SP_HSTAT_ARP_REPLIES,
	SP_HSTAT_GARP_SENT,
	SP_HSTAT_SYN_WAKE,
	SP_HSTAT_SYN_OTHER,
	SP_HSTAT_WAKES,
	SP_HSTAT_MAGIC_SENT,
	SP_HSTAT_AWAKE,
	SP_HSTAT_AWAKE_PROBES,
	SP_HSTAT_NS_REQUESTS,
	SP_HSTAT_NA_REPLIES,
	SP_HSTAT_NA_UNSOLICITED,
	SP_HSTAT_DROPPED,
	SP_HSTAT_ECHO_REPLIES,
	SP_HSTAT_COUNT
};

/* No implicit padding: keys are hashed and compared as bytes. */
struct sp_addr_key {
	__be32 addr[4];
	int ifindex;
	u16 family;
	u16 zero;
};

struct sp_host_key {
	int ifindex;
	u8 mac[ETH_ALEN];
	u16 zero;
};

struct sp_host;

/* One proxied address; lives in a host's configuration. */
struct sp_addr {
	struct rhash_head node;
	struct sp_addr_key key;
	struct sp_host *host;
};

/*
 * What the host registered.  Never changed once published: a new
 * registration publishes a new one and frees the old after a grace period.
 */
struct sp_host_cfg {
	struct rcu_head rcu;
	u32 flags;
	u32 lease;
	u8 wake_count;
	u8 n_addrs;
	u8 n_ports;
	u16 *ports;			/* ascending, after addrs[] */
	struct sp_addr addrs[];		/* IPv4 first, then IPv6 */
};

/**
 * struct sp_host - a registered host
 * @node: in &sp_net.hosts
 * @key: interface and MAC, fixed for the life of the host
 * @id: index in &sp_net.ids, fixed for the life of the host
 * @cfg: the current registration
 * @state: enum sleepproxy_host_state, changed with cmpxchg()
 * @armed: jiffies of the last registration; frames from the host's MAC
 *	   count as the host being awake only after the grace period
 * @state_since: jiffies of the last change of @state
 * @last_wake: jiffies of the last wake sent
 * @last_solicit: jiffies of the last ARP request asking a woken host
 *		  whether it is up
 * @stats: enum sp_host_stat counters
 * @rcu: for kfree_rcu()
 */
struct sp_host {
	struct rhash_head node;
	struct sp_host_key key;
	u32 id;
	struct sp_host_cfg __rcu *cfg;
	unsigned int state;
	unsigned long armed;
	unsigned long state_since;
	unsigned long last_wake;
	unsigned long last_solicit;
	atomic64_t stats[SP_HSTAT_COUNT];
	struct rcu_head rcu;
};

/* A registration, as parsed from netlink. */
struct sp_host_params {
	int ifindex;
	u8 mac[ETH_ALEN];
	unsigned int n_ipv4;
	unsigned int n_ipv6;
	unsigned int n_ports;
	__be32 ipv4[SLEEPPROXY_MAX_IPV4];
	struct in6_addr ipv6[SLEEPPROXY_MAX_IPV6];
	u16 ports[SLEEPPROXY_MAX_PORTS];
	u32 flags;
	u32 lease;
	u8 wake_count;
};

extern unsigned int sp_max_hosts;
extern unsigned int sp_awake_grace_ms;

int sp_hosts_init(struct sp_net *spn);
void sp_hosts_destroy(struct sp_net *spn);

int sp_host_set(struct sp_net *spn, struct net_device *dev,
		const struct sp_host_params *p, struct sp_host **hostp,
		bool *created, struct netlink_ext_ack *extack);
int sp_host_del(struct sp_net *spn, struct net_device *dev, int ifindex,
		const u8 *mac);
unsigned int sp_host_flush_dev(struct sp_net *spn, struct net *net,
			       int ifindex);
struct sp_host *sp_host_find(struct sp_net *spn, int ifindex, const u8 *mac);

struct sp_host *sp_host_lookup(struct sp_net *spn, int ifindex,
			       const u8 *mac);
struct sp_addr *sp_addr_lookup_ipv4(struct sp_net *spn, int ifindex,
				    __be32 addr);
struct sp_addr *sp_addr_lookup_ipv6(struct sp_net *spn, int ifindex,
				    const struct in6_addr *addr);
bool sp_host_port_match(const struct sp_host_cfg *cfg, u16 port);

bool sp_host_proxying(const struct sp_host *host);
bool sp_host_set_woken(struct sp_host *host);
bool sp_host_set_awake(struct sp_host *host);
bool sp_host_solicit_due(struct sp_host *host);
bool sp_host_in_grace(const struct sp_host *host);

static inline void sp_host_stat_add(struct sp_host *host,
				    enum sp_host_stat idx, long n)
{
	atomic64_add(n, &host->stats[idx]);
}

static inline void sp_host_stat_inc(struct sp_host *host,
				    enum sp_host_stat idx)
{
	atomic64_inc(&host->stats[idx]);
}

#endif /* _SP_HOST_H */
