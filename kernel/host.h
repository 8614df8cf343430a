/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SP_HOST_H
#define _SP_HOST_H

#include <linux/atomic.h>
#include <linux/if_ether.h>
#include <linux/in6.h>
#include <linux/rhashtable.h>
#include <linux/sleepproxy.h>

#include "device.h"
#include "filter.h"
#include "hold.h"
#include "netns.h"
#include "rounds.h"
#include "stats.h"

struct net;
struct net_device;
struct netlink_ext_ack;
struct sp_net;

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

/* The longest Wake-on-LAN "SecureOn" password; the other length is 4. */
#define SP_WOL_PASSWORD_MAX	6

/*
 * What a host's magic packets carry: the MAC to wake, sixteen times, then
 * the SecureOn password if the host has one.
 */
struct sp_magic {
	u8 mac[ETH_ALEN] __aligned(2);
	u8 password_len;		/* 0, 4 or SP_WOL_PASSWORD_MAX */
	u8 password[SP_WOL_PASSWORD_MAX];
};

/**
 * struct sp_wake_rec - one wake, as SLEEPPROXY_A_WAKE reports it
 * @when: jiffies64
 * @reason: enum sleepproxy_wake_reason
 * @sent: the magic packets went out (the wake budget allowed it)
 * @packet: a packet caused it
 * @via: enum sleepproxy_wake_via, where that packet came from
 * @family: AF_INET or AF_INET6 of an IP packet, else 0
 * @src_mac: its Ethernet source, zero when it did not come from a link
 *	     of the gateway's as Ethernet
 * @in_ifindex: the interface a routed packet came in on, else 0
 * @sport: its TCP or UDP source port
 * @dport: its TCP or UDP destination port
 * @saddr: its IP source, IPv4 in the first word
 */
struct sp_wake_rec {
	u64 when;
	u8 reason;
	u8 sent;
	u8 packet;
	u8 via;
	u8 family;
	u8 src_mac[ETH_ALEN];
	int in_ifindex;
	__be16 sport;
	__be16 dport;
	__be32 saddr[4];
};

/**
 * struct sp_wake_log - a host's latest wakes and what caused the last one
 * @lock: taken with BHs off; wakes are logged from softirq and the worker
 * @next: the slot the next wake goes to
 * @count: slots in use
 * @frame_len: bytes in @frame, 0 if the latest wake had no packet
 * @rec: the wakes, oldest overwritten first
 * @frame: the first bytes of the frame behind the latest wake (ISO C14)
 */
struct sp_wake_log {
	spinlock_t lock;	/* with BHs off */
	u8 next;
	u8 count;
	u8 frame_len;
	struct sp_wake_rec rec[SLEEPPROXY_WAKES_KEPT];
	u8 frame[SLEEPPROXY_WAKE_FRAME_MAX];
};

/*
 * The counters of held SYNs and of wake rounds, the last of enum
 * sp_host_stat, live with the wake state they count.  A host that could
 * not get one (no memory at its first wake) counts those events on its
 * interface only.
 */
#define SP_HSTAT_WAKE_FIRST	SP_HSTAT_SYN_HELD
#define SP_HSTAT_WAKE_COUNT	(SP_HSTAT_COUNT - SP_HSTAT_WAKE_FIRST)

/**
 * struct sp_host_wake - what only a host that has been woken needs
 * @host: the host
 * @wakes: the latest wakes and why
 * @hold: the SYNs kept for replay while it wakes
 * @rounds: the magic packets sent again until it shows up
 * @stats: the host's counters from SP_HSTAT_WAKE_FIRST on: what @hold and
 *	   @rounds do
 *
 * Allocated at the first wake (sp_host_wake_get()), freed with the host:
 * most hosts of a large table are never woken, and this is most of a
 * host's size.
 */
struct sp_host_wake {
	struct sp_host *host;
	struct sp_wake_log wakes;
	struct sp_hold hold;
	struct sp_rounds rounds;
	atomic64_t stats[SP_HSTAT_WAKE_COUNT];
};

/*
 * One proxied address; lives in a host's configuration.  @conflict is set
 * once, when another MAC claims the address: it is not proxied any more
 * until the host registers again.
 */
struct sp_addr {
	struct rhash_head node;
	struct sp_addr_key key;
	struct sp_host *host;
	unsigned long conflict;		/* bit 0 */
};

/*
 * What the host registered.  Never changed once published: a new
 * registration publishes a new one and frees the old after a grace period.
 */
struct sp_host_cfg {
	struct rcu_head rcu;
	struct sp_magic magic;
	u32 flags;
	u32 lease;
	u32 wake_timeout;		/* ms, SP_WAKE_TIMEOUT_PARAM: the module's */
	u8 wake_count;
	u8 origin;			/* enum sleepproxy_origin */
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
 * @state_since: jiffies64 of the last change of @state
 * @last_seen: jiffies64 of the last frame from the host's MAC that an
 *	       awake host sends (or of its registration): the host is taken
 *	       over once it has been silent for the grace period
 * @last_wake: jiffies64 of the last wake sent
 * @last_solicit: jiffies64 of the last question to a woken host whether
 *		  it is up
 * @expires: jiffies64 when the lease ends, 0 without a lease; written
 *	     under &sp_net.lock, read by dumps
 * @lease_woken: the wake before the lease ends has been sent; under
 *		 &sp_net.lock
 * @stats: enum sp_host_stat counters before SP_HSTAT_WAKE_FIRST, shared
 *	   by every CPU: a host's events are rare next to its interface's and
 *	   its namespace's (which are per CPU), and 100 000 hosts must not
 *	   cost 100 000 per-CPU blocks
 * @spd: its interface, whose counters count its events too and whose
 *	 &sp_dev.asleep counts it while it is not awake; NULL in KUnit tests
 * @wake: its wake log, held SYNs and wake rounds, NULL until its first
 *	  wake; set once, with cmpxchg(), and freed with the host
 * @last_wake_ms: how long the latest wake took, from the first magic
 *		  packet to the host seen awake; 0 before one completes
 * @rcu: for the RCU callback that frees it
 *
 * Times are 64-bit jiffies: a host may sleep for longer than 32-bit
 * jiffies can tell apart.
 */
struct sp_host {
	struct rhash_head node;
	struct sp_host_key key;
	u32 id;
	struct sp_host_cfg __rcu *cfg;
	unsigned int state;
	u32 last_wake_ms;
	atomic64_t state_since;
	atomic64_t last_seen;
	atomic64_t last_wake;
	atomic64_t last_solicit;
	atomic64_t expires;
	struct sp_dev *spd;
	struct sp_host_wake *wake;
	struct rcu_head rcu;
	atomic64_t stats[SP_HSTAT_WAKE_FIRST];
	bool lease_woken;
};

/*
 * &sp_host.state of a host removed from the table, seen only by readers
 * that found it before: no transition leads out of it.
 */
#define SP_STATE_GONE	(SLEEPPROXY_STATE_MAX + 1)

/* No wake timeout of its own: the namespace's wake_timeout_ms applies. */
#define SP_WAKE_TIMEOUT_PARAM	U32_MAX

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
	u32 wake_timeout;		/* ms, or SP_WAKE_TIMEOUT_PARAM */
	u8 wake_count;
	u8 origin;
	struct sp_magic magic;		/* an all-zero MAC: @mac */
};

int sp_host_cache_create(void);
void sp_host_cache_destroy(void);
int sp_hosts_init(struct sp_net *spn);
void sp_hosts_destroy(struct sp_net *spn);

int sp_host_set(struct sp_net *spn, struct net_device *dev,
		const struct sp_host_params *p, struct sp_host **hostp,
		bool *created, struct netlink_ext_ack *extack);
/* For sp_host_del() and sp_host_flush_dev(): no event (teardown). */
#define SP_REMOVED_QUIETLY	(-1)

int sp_host_del(struct sp_net *spn, struct net_device *dev, int ifindex,
		const u8 *mac, int why);
unsigned int sp_host_flush_dev(struct sp_net *spn, struct net *net,
			       int ifindex, int why);
struct sp_host *sp_host_find(struct sp_net *spn, int ifindex, const u8 *mac);

struct sp_host *sp_host_lookup(struct sp_net *spn, int ifindex,
			       const u8 *mac);
struct sp_host *sp_host_lookup_asleep(struct sp_net *spn, int ifindex,
				      const u8 *mac);
struct sp_addr *__sp_addr_lookup_ipv4(struct sp_net *spn, int ifindex,
				      __be32 addr);
struct sp_addr *__sp_addr_lookup_ipv6(struct sp_net *spn, int ifindex,
				      const struct in6_addr *addr);

/*
 * The address @addr of a host on @ifindex, or NULL.  The filter is asked
 * here, inline: most addresses (every unrelated ARP request's sender and
 * target) find a clear bit and cost no call.
 * Context: RCU read-side critical section.
 */
static inline struct sp_addr *sp_addr_lookup_ipv4(struct sp_net *spn,
						  int ifindex, __be32 addr)
{
	if (!sp_filter_maybe(rcu_dereference(spn->filter),
			     sp_filter_ipv4_word(ifindex, addr)))
		return NULL;
	return __sp_addr_lookup_ipv4(spn, ifindex, addr);
}

static inline struct sp_addr *
sp_addr_lookup_ipv6(struct sp_net *spn, int ifindex,
		    const struct in6_addr *addr)
{
	if (!sp_filter_maybe(rcu_dereference(spn->filter),
			     sp_filter_ipv6_word(ifindex, addr)))
		return NULL;
	return __sp_addr_lookup_ipv6(spn, ifindex, addr);
}

bool sp_host_port_match(const struct sp_host_cfg *cfg, u16 port);

bool sp_host_proxying(const struct sp_host *host);
unsigned int sp_hosts_proxying(struct sp_net *spn, int ifindex);
bool sp_host_set_woken(struct sp_host *host);
bool sp_host_set_awake(struct sp_host *host);
bool sp_host_set_proxying(struct sp_host *host);
bool sp_host_wake_failed(struct sp_host *host);
bool sp_host_solicit_due(struct sp_host *host);
void sp_host_seen(struct sp_host *host);
u64 sp_host_next_event(struct sp_net *spn, const struct sp_host *host);
u32 sp_host_lease_left(const struct sp_host *host);
void sp_host_stats_read(const struct sp_host *host, u64 *vals);
struct sp_host_wake *sp_host_wake_get(struct sp_net *spn,
				      struct sp_host *host);

/* Is @addr answered for and guarded?  Context: RCU read-side section. */
static inline bool sp_addr_proxied(const struct sp_addr *addr)
{
	return sp_host_proxying(addr->host) && !test_bit(0, &addr->conflict);
}

void sp_addr_claimed(struct sp_addr *addr, const u8 *by);

static inline void sp_host_stat_add(struct sp_host *host,
				    enum sp_host_stat idx, unsigned long n)
{
	struct sp_host_wake *w;

	if (idx < SP_HSTAT_WAKE_FIRST) {
		atomic64_add(n, &host->stats[idx]);
	} else {
		w = READ_ONCE(host->wake);
		if (w)
			atomic64_add(n, &w->stats[idx - SP_HSTAT_WAKE_FIRST]);
	}
	if (host->spd)
		sp_stats_add(host->spd->stats, SP_DSTAT_HOST(idx), n);
}

static inline void sp_host_stat_inc(struct sp_host *host,
				    enum sp_host_stat idx)
{
	sp_host_stat_add(host, idx, 1);
}

#endif /* _SP_HOST_H */
