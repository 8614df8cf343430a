/* SPDX-License-Identifier: GPL-2.0 */
/*
 * spsd: a Bonjour Sleep Proxy server.  Hosts about to sleep send it a DNS
 * Update describing themselves; it installs them into the sleepproxy
 * kernel module and keeps their mDNS records published while they sleep.
 */

#ifndef SPSD_H
#define SPSD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <syslog.h>
#include <time.h>
#include <net/if.h>
#include <netinet/in.h>
#include <linux/if_ether.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- config.c ---------------------------------------------------------- */

#define SPSD_CONF_PATH		"/etc/sleepproxy/spsd.conf"
#define SPSD_MAX_IFACES		16
#define SPSD_NAME_MAX		40	/* leaves room for "AA-BB-CC-DD.F " */
#define SPSD_LEASE_DEFAULT	(2 * 3600)
#define SPSD_LEASE_LIMIT	(24 * 3600)

struct spsd_config {
	char ifnames[SPSD_MAX_IFACES][IF_NAMESIZE];
	unsigned int n_ifaces;
	char name[SPSD_NAME_MAX + 1];	/* "" until defaulted */
	unsigned int intent, portability, marginal_power, total_power;
	unsigned int features;
	uint32_t max_lease;		/* seconds, 1 to SPSD_LEASE_LIMIT */
	unsigned int max_hosts;
	unsigned int max_records;	/* in all hosts together */
	uint16_t port;			/* 0: an ephemeral port */
};

/*
 * Reads @path into @cfg, which starts at the defaults.  On an error prints
 * "path:line: why" on stderr and returns -1.
 */
int spsd_config_load(struct spsd_config *cfg, const char *path);
void spsd_config_defaults(struct spsd_config *cfg);
/* "30-40-35-65.0 gateway": the advertised instance name. */
int spsd_config_instance(const struct spsd_config *cfg, char *buf,
			 size_t size);

/* ---- log.c ------------------------------------------------------------- */

extern int spsd_verbose;

void spsd_log_init(void);
/* Levels as syslog's; LOG_DEBUG only with -v. */
void spsd_log(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* spsd_log(), but at most a few lines a second: for what senders cause. */
void spsd_log_limited(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void spsd_mac_str(const uint8_t mac[ETH_ALEN], char buf[18]);

/* ---- msg.c: DNS Update messages --------------------------------------- */

#define SPSD_MSG_MAX		9000	/* larger datagrams are refused */
#define SPSD_RR_MAX		512	/* records kept from one message */
#define SPSD_DNS_OPCODE_UPDATE	5
#define SPSD_DNS_CLASS_IN	1
#define SPSD_DNS_CLASS_FLUSH	0x8000	/* mDNS cache-flush: unique RRset */

enum spsd_rcode {
	SPSD_NOERROR = 0,
	SPSD_FORMERR = 1,
	SPSD_SERVFAIL = 2,
	SPSD_NOTIMP = 4,
	SPSD_REFUSED = 5,
};

/* A record to publish for a sleeping host, ready for Avahi. */
struct spsd_rr {
	char *name;		/* Avahi's escaping, no trailing dot */
	uint16_t type;
	uint16_t rclass;	/* without the cache-flush bit */
	bool unique;		/* the cache-flush bit was set */
	bool tcp_service;	/* an SRV record of a _tcp service */
	uint32_t ttl;
	uint16_t rdlen;
	uint8_t *rdata;		/* wire form, names uncompressed */
};

struct spsd_update {
	uint16_t id;
	uint32_t lease;			/* requested, seconds */
	uint8_t seq;			/* Owner option sequence number */
	uint8_t mac[ETH_ALEN];		/* the host's primary MAC */
	uint8_t wake_mac[ETH_ALEN];	/* the MAC to wake: mac if not given */
	uint8_t password[6];		/* SecureOn */
	uint8_t password_len;		/* 0, 4 or 6 */
	struct spsd_rr *rrs;
	size_t n_rrs;
	size_t n_ignored;		/* records not kept */
};

enum spsd_verdict {
	SPSD_MSG_OK,		/* an update to act on */
	SPSD_MSG_DROP,		/* no answer at all (a response, a runt) */
	SPSD_MSG_ERROR,		/* answer with update->id and *rcode */
};

/*
 * Parses one datagram.  On SPSD_MSG_OK @update holds what it asks for and
 * must be released with spsd_update_free(); otherwise @update holds only
 * the ID and *@why says what was wrong (a static string).
 */
enum spsd_verdict spsd_msg_parse(const uint8_t *buf, size_t len,
				 struct spsd_update *update,
				 enum spsd_rcode *rcode, const char **why);
void spsd_update_free(struct spsd_update *update);
void spsd_rr_free(struct spsd_rr *rr);
bool spsd_rr_equal(const struct spsd_rr *a, const struct spsd_rr *b);

/*
 * The answer: same @id, QR, opcode UPDATE, @rcode; with NOERROR also one
 * OPT record holding only the granted @lease.  Returns its length, or 0
 * when @size is too small.
 */
size_t spsd_msg_reply(uint8_t *buf, size_t size, uint16_t id, uint8_t opcode,
		      enum spsd_rcode rcode, uint32_t lease);

/* ---- registry.c: the hosts spsd registered ----------------------------- */

#define SPSD_MAX_IPV4		8	/* as the module takes */
#define SPSD_MAX_IPV6		16
#define SPSD_MAX_PORTS		64

struct spsd_publisher;

struct spsd_host {
	struct spsd_host *next;
	unsigned int ifindex;
	uint8_t mac[ETH_ALEN];
	uint8_t wake_mac[ETH_ALEN];
	uint8_t password[6];
	uint8_t password_len;
	uint8_t seq;
	uint32_t lease;			/* granted, seconds */
	struct timespec registered;	/* CLOCK_MONOTONIC, last update */
	struct spsd_rr *rrs;
	size_t n_rrs;
	/* Derived from rrs. */
	struct in_addr v4[SPSD_MAX_IPV4];
	unsigned int n_v4;
	struct in6_addr v6[SPSD_MAX_IPV6];
	unsigned int n_v6;
	uint16_t ports[SPSD_MAX_PORTS];	/* TCP, from _tcp SRV records */
	unsigned int n_ports;
	/* Avahi's view: the group holding the records, when published. */
	struct spsd_publisher *pub;
	bool published;
};

struct spsd_registry {
	struct spsd_host *hosts;
	unsigned int n_hosts;
	size_t n_records;
	unsigned int max_hosts;
	size_t max_records;
};

enum spsd_apply {
	SPSD_APPLY_NEW,		/* a host spsd did not have */
	SPSD_APPLY_REPLACED,	/* a newer sequence number: records replaced */
	SPSD_APPLY_MERGED,	/* the same sequence number: records added */
	SPSD_APPLY_STALE,	/* an older sequence number: ignored */
};

struct spsd_host *spsd_registry_find(struct spsd_registry *reg,
				     unsigned int ifindex,
				     const uint8_t mac[ETH_ALEN]);
/*
 * Folds @update (lease not 0) into the registry as a whole new host
 * @candidate: the caller installs it into the kernel and then calls
 * spsd_registry_commit(), or drops it with spsd_host_free().  The
 * registry is not changed until the commit.  Returns -1 with *@why set
 * when the result would be too large.
 */
int spsd_registry_prepare(struct spsd_registry *reg, unsigned int ifindex,
			  const struct spsd_update *update, uint32_t lease,
			  struct spsd_host **candidate, enum spsd_apply *how,
			  const char **why);
/* Puts @host in place of the registered host with its key, if any. */
void spsd_registry_commit(struct spsd_registry *reg, struct spsd_host *host);
void spsd_registry_remove(struct spsd_registry *reg, struct spsd_host *host);
void spsd_host_free(struct spsd_host *host);
/* Usable unicast addresses only; -1 when the host has its fill. */
int spsd_host_add_v4(struct spsd_host *host, const struct in_addr *a);
int spsd_host_add_v6(struct spsd_host *host, const struct in6_addr *a);

/* ---- kernel.c: the module, over the "sleepproxy" family --------------- */

struct spsd_kernel;

int spsd_kernel_open(struct spsd_kernel **kp);
void spsd_kernel_close(struct spsd_kernel *k);
/* Installs @host; on failure *@why holds the kernel's own message. */
int spsd_kernel_install(struct spsd_kernel *k, const struct spsd_host *host,
			char *why, size_t size);
int spsd_kernel_remove(struct spsd_kernel *k, const struct spsd_host *host);

/* What the module says of a host, SLEEPPROXY_STATE_* or -1 if it has none. */
struct spsd_kernel_view;
struct spsd_kernel_view *spsd_kernel_snapshot(struct spsd_kernel *k);
int spsd_kernel_view_state(const struct spsd_kernel_view *view,
			   const struct spsd_host *host);
void spsd_kernel_view_free(struct spsd_kernel_view *view);

/* ---- neigh.c: who sent it ---------------------------------------------- */

/*
 * The link-layer address of the gateway's neighbour entry for @addr
 * (struct sockaddr_in or _in6) on @ifindex.  Returns 0 and fills @mac, or
 * -1 when there is no usable entry.
 */
int spsd_neigh_lookup(unsigned int ifindex, const struct sockaddr *addr,
		      uint8_t mac[ETH_ALEN]);

/* ---- publish.c: Avahi --------------------------------------------------- */

struct spsd_avahi;
struct AvahiPoll;

int spsd_avahi_start(struct spsd_avahi **ap, const struct AvahiPoll *poll,
		     const struct spsd_config *cfg, const unsigned int *ifindexes,
		     uint16_t port);
void spsd_avahi_stop(struct spsd_avahi *a);
/* Publish or withdraw a sleeping host's records; safe to repeat. */
void spsd_avahi_publish(struct spsd_avahi *a, struct spsd_host *host);
void spsd_avahi_withdraw(struct spsd_avahi *a, struct spsd_host *host);

/* ---- server.c: the UDP service --------------------------------------- */

struct spsd {
	struct spsd_config cfg;
	unsigned int ifindexes[SPSD_MAX_IFACES];
	int fd4, fd6;			/* -1 when not open */
	uint16_t port;
	struct spsd_registry reg;
	struct spsd_kernel *kernel;
	struct spsd_avahi *avahi;
};

/* Binds the IPv4 and IPv6 sockets to cfg.port or to a free port. */
int spsd_server_open(struct spsd *s);
void spsd_server_close(struct spsd *s);
/* Reads and answers one datagram waiting on @fd. */
void spsd_server_receive(struct spsd *s, int fd);
/* Follows the module's view: publish, withdraw, forget. */
void spsd_server_tick(struct spsd *s);
/* Forgets every host, withdrawing what it published. */
void spsd_server_flush(struct spsd *s);

#endif /* SPSD_H */
