/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "sleepproxy" generic netlink family, seen through plain structs.
 * Nothing outside netlink.c deals with netlink attributes.
 *
 * Every function returning int returns 0 on success and -1 on failure,
 * after it has printed what went wrong on stderr.
 */

#ifndef SPCTL_NETLINK_H
#define SPCTL_NETLINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>
#include <netinet/in.h>
#include <linux/if_ether.h>
#include <linux/sleepproxy.h>

#define SP_MAX_ADDRS	(SLEEPPROXY_MAX_IPV4 + SLEEPPROXY_MAX_IPV6)
/* A Wake-on-LAN "SecureOn" password is 4 or this many bytes. */
#define SP_PASSWORD_MAX	6

struct sp_addr {
	int family;			/* AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	};
};

struct sp_host_stats {
	uint64_t arp_requests;
	uint64_t arp_replies;
	uint64_t garp_sent;
	uint64_t syn_wake;
	uint64_t syn_other;
	uint64_t wakes;
	uint64_t magic_sent;
	uint64_t awake;
	uint64_t awake_probes;
	uint64_t ns_requests;
	uint64_t na_replies;
	uint64_t na_unsolicited;
	uint64_t dropped;
	uint64_t echo_replies;
	uint64_t lease_wakes;
	uint64_t conflicts;
	uint64_t wakes_suppressed;
	uint64_t offload_frames;
	uint64_t magic_relayed;
	uint64_t syn_held;
	uint64_t syn_replayed;
	uint64_t syn_expired;
	uint64_t syn_dropped;
	uint64_t wake_rounds;
	uint64_t wakes_failed;
};

/* One of a host's latest wakes. */
struct sp_wake {
	uint8_t reason;			/* enum sleepproxy_wake_reason */
	bool sent;
	uint64_t age_ms;
	bool has_via;			/* caused by a packet: */
	uint8_t via;			/* enum sleepproxy_wake_via */
	uint32_t iifindex;		/* routed: where it came in, or 0 */
	bool has_src_lladdr;
	uint8_t src_lladdr[ETH_ALEN];
	bool has_src;			/* an IP packet: */
	struct sp_addr src;
	uint16_t sport, dport;
};

struct sp_host {
	uint32_t id;
	uint32_t ifindex;
	char ifname[IF_NAMESIZE];	/* "" when unknown */
	uint8_t lladdr[ETH_ALEN];
	struct sp_addr addrs[SP_MAX_ADDRS];
	unsigned int n_addrs;
	uint16_t ports[SLEEPPROXY_MAX_PORTS];	/* ascending, distinct */
	unsigned int n_ports;
	uint32_t flags;			/* SLEEPPROXY_HOST_F_* */
	uint8_t wake_count;		/* 0: not given, kernel default */
	bool has_lease;
	uint32_t lease;			/* seconds, 0: none */
	uint32_t lease_left;		/* seconds, if leased */
	bool has_wake_timeout;		/* else the module's parameter */
	uint32_t wake_timeout;		/* ms, 0: one burst of magic packets */
	/* What the magic packets carry. */
	uint8_t wake_lladdr[ETH_ALEN];	/* all zeros: lladdr */
	uint8_t password[SP_PASSWORD_MAX];
	uint8_t password_len;		/* 0: none, or not shown to us */
	uint8_t origin;			/* enum sleepproxy_origin */
	struct sp_wake wakes[SLEEPPROXY_WAKES_KEPT];	/* newest first */
	unsigned int n_wakes;
	uint8_t wake_frame[SLEEPPROXY_WAKE_FRAME_MAX];
	unsigned int wake_frame_len;
	bool has_state;
	uint8_t state;			/* enum sleepproxy_host_state */
	uint32_t state_age_ms;
	uint32_t last_wake_ms;		/* 0 until a wake has completed */
	/* Addresses another MAC claimed, no longer proxied. */
	struct sp_addr conflicts[SP_MAX_ADDRS];
	unsigned int n_conflicts;
	struct sp_host_stats stats;
};

struct sp_host_list {
	struct sp_host *hosts;
	size_t len;
	size_t cap;
	bool truncated;		/* a host had more entries than fit */
	bool inconsistent;	/* the dump kept racing with changes */
};

/* The namespace's counters, or one interface's. */
struct sp_stats {
	uint32_t ifindex;		/* 0 for the namespace */
	char ifname[IF_NAMESIZE];	/* "" when unknown */
	uint32_t hosts;
	uint32_t hosts_proxying;
	uint64_t rx_frames;
	uint64_t drop_arp_malformed;
	uint64_t drop_ipv4_malformed;
	uint64_t drop_ipv4_fragment;
	uint64_t drop_ipv4_srcroute;
	uint64_t drop_tcp_malformed;
	uint64_t tx_errors;
	uint64_t drop_ipv6_malformed;
	uint64_t drop_ipv6_fragment;
	uint64_t drop_ipv6_srcroute;
	uint64_t drop_nd_malformed;
	uint64_t drop_icmp_malformed;
	uint64_t wakes_suppressed;
	uint64_t replies_suppressed;
	uint64_t leases_expired;
	uint64_t manual_wakes;
	bool has_host_totals;		/* an interface's: */
	struct sp_host_stats host_totals;
};

struct sp_stats_list {
	struct sp_stats *stats;
	size_t len;
	size_t cap;
};

/*
 * The namespace's settings: index i is SLEEPPROXY_A_CONFIG_MAX_HOSTS + i
 * and bit i of the SLEEPPROXY_CONFIG_F_* masks.
 */
#define SP_CONFIG_COUNT	(__SLEEPPROXY_A_CONFIG_LAST - \
			 SLEEPPROXY_A_CONFIG_MAX_HOSTS)

struct sp_config {
	uint32_t value[SP_CONFIG_COUNT];
	uint32_t has;		/* bit i: value[i] is there (set: to set) */
	uint32_t own;		/* get: the namespace's own values */
	uint32_t reset;		/* set: back to the module parameter */
};

/* One SLEEPPROXY_CMD_EVENT message. */
struct sp_event {
	uint8_t event;			/* enum sleepproxy_event */
	uint32_t id;
	uint32_t ifindex;
	char ifname[IF_NAMESIZE];	/* "" when unknown */
	uint8_t lladdr[ETH_ALEN];
	bool has_wake;
	struct sp_wake wake;
	bool has_removed;
	uint8_t removed;		/* enum sleepproxy_removed */
};

/* Returns true to stop the monitor. */
typedef bool (*sp_event_cb)(const struct sp_event *ev, void *data);

struct sp_nl;

/* Opens a socket and resolves the family; fails if the module is absent. */
int sp_nl_open(struct sp_nl **nlp);
void sp_nl_close(struct sp_nl *nl);
/*
 * With quiet set, a refusal from the kernel is not printed: the caller
 * reports sp_nl_strerror(), the extended ACK message or the errno's text
 * of the last refusal.
 */
void sp_nl_set_quiet(struct sp_nl *nl, bool quiet);
const char *sp_nl_strerror(const struct sp_nl *nl);
/* The errno of the last refusal, 0 if the last request failed otherwise. */
int sp_nl_errno(const struct sp_nl *nl);

/*
 * Uses ifindex, lladdr, addrs, ports, flags, wake_count, lease,
 * wake_lladdr, password and origin (sent unless it is admin's).
 */
int sp_nl_host_add(struct sp_nl *nl, const struct sp_host *host);
int sp_nl_host_del(struct sp_nl *nl, uint32_t ifindex,
		   const uint8_t lladdr[ETH_ALEN]);
/* Magic packets now; a password (password_len 4 or 6) for other MACs. */
int sp_nl_wake(struct sp_nl *nl, uint32_t ifindex,
	       const uint8_t lladdr[ETH_ALEN], const uint8_t *password,
	       unsigned int password_len);
/* Every host, or those of one interface when ifindex is not 0. */
int sp_nl_host_dump(struct sp_nl *nl, uint32_t ifindex,
		    struct sp_host_list *list);
void sp_host_list_free(struct sp_host_list *list);
/* The namespace's counters, or with ifindex not 0 that interface's. */
int sp_nl_stats_get(struct sp_nl *nl, uint32_t ifindex,
		    struct sp_stats *stats);
/* Those of every interface with hosts, in ifindex order. */
int sp_nl_stats_dump(struct sp_nl *nl, struct sp_stats_list *list);
void sp_stats_list_free(struct sp_stats_list *list);
/* The settings in effect, and which are the namespace's own. */
int sp_nl_config_get(struct sp_nl *nl, struct sp_config *config);
/* Sets those in has, resets those in reset. */
int sp_nl_config_set(struct sp_nl *nl, const struct sp_config *config);
/* Joins the events group and hands every event to cb until it says stop. */
int sp_nl_monitor(struct sp_nl *nl, sp_event_cb cb, void *data);

#endif /* SPCTL_NETLINK_H */
