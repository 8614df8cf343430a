/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * sleepproxy: answer ARP and wake sleeping hosts on their behalf.
 *
 * Generic netlink family "sleepproxy", version 1.  Every change needs
 * CAP_NET_ADMIN in the user namespace owning the network namespace; reads
 * do not, but only it shows SecureOn passwords.  All state is per network
 * namespace.
 *
 * SLEEPPROXY_CMD_HOST_NEW (create, or replace the host with the same
 * interface and MAC; counters carry over; a new or awake host starts at
 * SLEEPPROXY_STATE_REGISTERED, a proxied one goes on being proxied):
 *
 *    SLEEPPROXY_A_HOST_IFINDEX: NLA_U32, required
 *    SLEEPPROXY_A_HOST_LLADDR: NLA_BINARY, ETH_ALEN bytes, required,
 *                              unicast
 *    SLEEPPROXY_A_HOST_ADDRS: NLA_NESTED, required, 1 to
 *                             SLEEPPROXY_MAX_IPV4 + SLEEPPROXY_MAX_IPV6
 *                             entries, each one of
 *        SLEEPPROXY_A_ADDR_IPV4: 4 bytes, network order
 *        SLEEPPROXY_A_ADDR_IPV6: 16 bytes, network order
 *    SLEEPPROXY_A_HOST_TCP_PORTS: NLA_NESTED, optional, up to
 *                                 SLEEPPROXY_MAX_PORTS entries of
 *        SLEEPPROXY_A_PORT: NLA_U16, host order, 1-65535
 *    SLEEPPROXY_A_HOST_FLAGS: NLA_U32, optional, SLEEPPROXY_HOST_F_*
 *    SLEEPPROXY_A_HOST_WAKE_COUNT: NLA_U8, optional, 1 to
 *                                  SLEEPPROXY_WAKE_COUNT_MAX, default
 *                                  SLEEPPROXY_WAKE_COUNT_DEFAULT
 *    SLEEPPROXY_A_HOST_LEASE: NLA_U32, optional, seconds, 0 (the
 *                             default) means no lease, at most
 *                             SLEEPPROXY_LEASE_MAX; the host is removed
 *                             that long after its last registration
 *    SLEEPPROXY_A_HOST_WAKE_LLADDR: NLA_BINARY, ETH_ALEN bytes, optional,
 *                                   unicast: the MAC the magic packets
 *                                   carry, by default
 *                                   SLEEPPROXY_A_HOST_LLADDR (the host is
 *                                   still named, and seen awake, by
 *                                   SLEEPPROXY_A_HOST_LLADDR)
 *    SLEEPPROXY_A_HOST_WAKE_PASSWORD: NLA_BINARY, 4 or 6 bytes, optional:
 *                                     a Wake-on-LAN "SecureOn" password,
 *                                     sent after the 16 MACs of every
 *                                     magic packet
 *    SLEEPPROXY_A_HOST_ORIGIN: NLA_U8, optional, enum sleepproxy_origin,
 *                              default SLEEPPROXY_ORIGIN_ADMIN
 *    SLEEPPROXY_A_HOST_WAKE_TIMEOUT: NLA_U32, optional, milliseconds, at
 *                                    most SLEEPPROXY_WAKE_TIMEOUT_MAX: how
 *                                    long a woken host is sent magic
 *                                    packets again before the wake counts
 *                                    as failed; 0 sends one burst only.
 *                                    Left out, the namespace's
 *                                    wake_timeout_ms setting at the time
 *                                    applies
 *
 *    A replacement takes all of its values from the new request: an
 *    optional attribute left out goes back to its default.
 *
 *    A SYN to any port of SLEEPPROXY_A_HOST_TCP_PORTS wakes the host;
 *    with SLEEPPROXY_HOST_F_TCP_ANY (and no port list) a SYN to any port
 *    does; with neither, TCP never wakes it.  Whatever else is sent to
 *    a sleeping host's addresses is dropped, except echo requests with
 *    SLEEPPROXY_HOST_F_PING, which are answered on the host's behalf.
 *
 * SLEEPPROXY_CMD_HOST_DEL:
 *
 *    SLEEPPROXY_A_HOST_IFINDEX: NLA_U32, required
 *    SLEEPPROXY_A_HOST_LLADDR: NLA_BINARY, ETH_ALEN bytes, required
 *
 * SLEEPPROXY_CMD_HOST_GET takes the same two attributes as HOST_DEL and
 * returns one host; as a dump (NLM_F_DUMP) it takes an optional
 * SLEEPPROXY_A_HOST_IFINDEX to filter on and returns every host, one
 * message each.  A dump that raced with a change carries NLM_F_DUMP_INTR
 * in its messages; userspace should then dump again.  Each host is:
 *
 *    SLEEPPROXY_A_HOST_ID: NLA_U32, stable for the life of the host
 *    SLEEPPROXY_A_HOST_IFINDEX: NLA_U32
 *    SLEEPPROXY_A_HOST_IFNAME: NLA_NUL_STRING
 *    SLEEPPROXY_A_HOST_LLADDR: ETH_ALEN bytes
 *    SLEEPPROXY_A_HOST_ADDRS: NLA_NESTED, as above
 *    SLEEPPROXY_A_HOST_TCP_PORTS: NLA_NESTED, as above, ascending
 *    SLEEPPROXY_A_HOST_FLAGS: NLA_U32
 *    SLEEPPROXY_A_HOST_WAKE_COUNT: NLA_U8
 *    SLEEPPROXY_A_HOST_LEASE: NLA_U32
 *    SLEEPPROXY_A_HOST_STATE: NLA_U8, enum sleepproxy_host_state
 *    SLEEPPROXY_A_HOST_STATE_AGE: NLA_U32, milliseconds in this state
 *    SLEEPPROXY_A_HOST_STATS: NLA_NESTED
 *        SLEEPPROXY_A_HOST_STAT_*: NLA_U64 each
 *    SLEEPPROXY_A_HOST_LEASE_LEFT: NLA_U32, seconds until the lease
 *                                  ends (leased hosts with time left)
 *    SLEEPPROXY_A_HOST_CONFLICTS: NLA_NESTED, as SLEEPPROXY_A_HOST_ADDRS:
 *                                 the addresses another MAC claimed,
 *                                 no longer proxied (present if any)
 *    SLEEPPROXY_A_HOST_WAKE_LLADDR: ETH_ALEN bytes, the MAC the magic
 *                                   packets carry
 *    SLEEPPROXY_A_HOST_WAKE_PASSWORD: 4 or 6 bytes, only if the host has
 *                                     a password and the requester has
 *                                     CAP_NET_ADMIN over the namespace
 *    SLEEPPROXY_A_HOST_ORIGIN: NLA_U8, enum sleepproxy_origin
 *    SLEEPPROXY_A_HOST_WAKE_TIMEOUT: NLA_U32, only if the host registered
 *                                    one
 *    SLEEPPROXY_A_HOST_WAKES: NLA_NESTED, the host's latest wakes, newest
 *                             first, at most SLEEPPROXY_WAKES_KEPT, each
 *        SLEEPPROXY_A_WAKE: NLA_NESTED
 *            SLEEPPROXY_A_WAKE_REASON: NLA_U8, enum sleepproxy_wake_reason
 *            SLEEPPROXY_A_WAKE_AGE_MS: NLA_U64, milliseconds ago
 *            SLEEPPROXY_A_WAKE_SENT: NLA_U8, 1 if the magic packets went
 *                                    out, 0 if the wake budget was spent
 *            for a wake caused by a packet:
 *            SLEEPPROXY_A_WAKE_VIA: NLA_U8, enum sleepproxy_wake_via
 *            SLEEPPROXY_A_WAKE_IIFINDEX: NLA_U32, the interface a routed
 *                                        packet came in on
 *            SLEEPPROXY_A_WAKE_SRC_LLADDR: ETH_ALEN bytes, its Ethernet
 *                                          source (from the host's link,
 *                                          or a relayed 0x0842 frame's)
 *            for an IP packet (a TCP SYN, a magic packet over UDP):
 *            SLEEPPROXY_A_WAKE_SRC_IPV4 or _SRC_IPV6: 4 or 16 bytes
 *            SLEEPPROXY_A_WAKE_SRC_PORT, _DST_PORT: NLA_U16, host order
 *    SLEEPPROXY_A_HOST_LAST_WAKE_MS: NLA_U32, how long the latest wake
 *                                    took, from its first magic packet to
 *                                    the host seen awake (once one has)
 *    SLEEPPROXY_A_HOST_WAKE_FRAME: NLA_BINARY, the first bytes (at most
 *                                  SLEEPPROXY_WAKE_FRAME_MAX) of the frame
 *                                  that caused the latest wake, if a frame
 *                                  did: from its Ethernet header when it
 *                                  came from the host's link or as 0x0842,
 *                                  from its IP header when it was routed
 *                                  or sent by the gateway
 *
 * SLEEPPROXY_CMD_WAKE sends magic packets now (reason
 * SLEEPPROXY_WAKE_MANUAL), for a registered host or any other MAC:
 *
 *    SLEEPPROXY_A_HOST_IFINDEX: NLA_U32, required
 *    SLEEPPROXY_A_HOST_LLADDR: ETH_ALEN bytes, required, unicast
 *    SLEEPPROXY_A_HOST_WAKE_PASSWORD: optional, 4 or 6 bytes, only for a
 *                                     MAC that is not registered (a host
 *                                     is woken as it registered)
 *
 *    A registered host is woken with its wake MAC, password and wake
 *    count, counted and logged like any wake, and is woken (state) if it
 *    was proxied; another MAC gets SLEEPPROXY_WAKE_COUNT_DEFAULT packets
 *    of each form.  Manual wakes are not held back by the namespace's
 *    wake budget.
 *
 * SLEEPPROXY_CMD_EVENT messages go to the multicast group
 * SLEEPPROXY_MCGRP_EVENTS of the host's namespace as things happen:
 *
 *    SLEEPPROXY_A_HOST_EVENT: NLA_U8, enum sleepproxy_event
 *    SLEEPPROXY_A_HOST_ID, _IFINDEX, _IFNAME (if the interface is
 *    there), _LLADDR: which host
 *    SLEEPPROXY_A_HOST_WAKES: for SLEEPPROXY_EVENT_WAKE, the one wake,
 *                             as in HOST_GET
 *    SLEEPPROXY_A_HOST_REMOVED: for SLEEPPROXY_EVENT_REMOVED, NLA_U8,
 *                               enum sleepproxy_removed
 *
 *    Events are not sent while a namespace or the module goes away.
 *
 * SLEEPPROXY_CMD_STATS_GET without attributes returns the namespace's
 * counters, which live as long as the namespace:
 *
 *    SLEEPPROXY_A_STATS_HOSTS: NLA_U32, hosts registered
 *    SLEEPPROXY_A_STATS_HOSTS_PROXYING: NLA_U32
 *    SLEEPPROXY_A_STATS_RX_FRAMES to _MANUAL_WAKES: NLA_U64 each
 *
 * With SLEEPPROXY_A_STATS_IFINDEX (NLA_U32) it returns that interface's
 * counters, and as a dump (NLM_F_DUMP) those of every interface with
 * hosts, one message each in ifindex order.  An interface has counters
 * from its first registered host to its last (the same ones as
 * /sys/class/net/IFNAME/sleepproxy/); asked for one without hosts, the
 * request fails with ENOENT.  Each message is:
 *
 *    SLEEPPROXY_A_STATS_IFINDEX, SLEEPPROXY_A_STATS_IFNAME
 *    SLEEPPROXY_A_STATS_HOSTS, SLEEPPROXY_A_STATS_HOSTS_PROXYING: NLA_U32,
 *                                                the interface's
 *    SLEEPPROXY_A_STATS_RX_FRAMES to _MANUAL_WAKES: NLA_U64 each, the
 *                                                   part of the
 *                                                   namespace's counts
 *                                                   that happened on it
 *    SLEEPPROXY_A_STATS_HOST_TOTALS: NLA_NESTED, SLEEPPROXY_A_HOST_STAT_*
 *
 * SLEEPPROXY_CMD_CONFIG_GET without attributes returns the namespace's
 * settings.  Each one is the namespace's own value, set with
 * SLEEPPROXY_CMD_CONFIG_SET, or else the module parameter of the same name
 * as it is at the time of use (/sys/module/sleepproxy/parameters/):
 *
 *    SLEEPPROXY_A_CONFIG_OWN: NLA_U32, SLEEPPROXY_CONFIG_F_*: the settings
 *                             that are the namespace's own
 *    SLEEPPROXY_A_CONFIG_MAX_HOSTS to _WAKE_TIMEOUT_MS: NLA_U32 each, the
 *                                                       value in effect
 *
 * SLEEPPROXY_CMD_CONFIG_SET gives the namespace values of its own, or
 * returns some to the module parameter; all of the request or nothing:
 *
 *    SLEEPPROXY_A_CONFIG_MAX_HOSTS: NLA_U32, 1 to SLEEPPROXY_MAX_HOSTS_MAX:
 *                                   hosts the namespace may register
 *                                   (lowered below the hosts registered,
 *                                   it only refuses new ones)
 *    SLEEPPROXY_A_CONFIG_AWAKE_GRACE_MS: NLA_U32, at most
 *                                        SLEEPPROXY_CONFIG_MS_MAX: a
 *                                        registered host is taken over
 *                                        once it has sent nothing for this
 *                                        long (from its next registration
 *                                        on)
 *    SLEEPPROXY_A_CONFIG_MAX_WAKES_PER_SEC: NLA_U32, at most
 *                                           SLEEPPROXY_RATE_MAX, 0 for no
 *                                           limit: wakes per second
 *    SLEEPPROXY_A_CONFIG_MAX_REPLIES_PER_SEC: NLA_U32, at most
 *                                             SLEEPPROXY_RATE_MAX, 0 for no
 *                                             limit: answers per second to
 *                                             one source MAC
 *    SLEEPPROXY_A_CONFIG_SYN_HOLD_MS: NLA_U32, 1 to SLEEPPROXY_CONFIG_MS_MAX:
 *                                     how long a SYN is kept for replay
 *                                     (SYNs kept already keep their time)
 *    SLEEPPROXY_A_CONFIG_SYN_HOLD_MAX: NLA_U32, at most
 *                                      SLEEPPROXY_SYN_HOLD_MAX_MAX, 0 for
 *                                      no replay: SYNs kept per host
 *    SLEEPPROXY_A_CONFIG_SYN_HOLD_TOTAL: NLA_U32, at most
 *                                        SLEEPPROXY_SYN_HOLD_TOTAL_MAX:
 *                                        SYNs kept in the namespace
 *    SLEEPPROXY_A_CONFIG_WAKE_TIMEOUT_MS: NLA_U32, at most
 *                                         SLEEPPROXY_WAKE_TIMEOUT_MAX: how
 *                                         long a woken host gets wake
 *                                         rounds, unless it registered a
 *                                         wake timeout of its own; 0 sends
 *                                         one burst only
 *    SLEEPPROXY_A_CONFIG_RESET: NLA_U32, SLEEPPROXY_CONFIG_F_*: these go
 *                               back to the module parameter (none of
 *                               them may be set in the same request)
 *
 *    Lowered bounds refuse what comes next; nothing kept or registered
 *    already is thrown away.
 *
 * Every rejected request carries an extended ACK message saying why.
 */

#ifndef _UAPI_LINUX_SLEEPPROXY_H
#define _UAPI_LINUX_SLEEPPROXY_H

#define SLEEPPROXY_GENL_NAME		"sleepproxy"
#define SLEEPPROXY_GENL_VERSION		1
#define SLEEPPROXY_MCGRP_EVENTS		"events"

#define SLEEPPROXY_MAX_IPV4		8
#define SLEEPPROXY_MAX_IPV6		16
#define SLEEPPROXY_MAX_PORTS		64
#define SLEEPPROXY_WAKE_COUNT_DEFAULT	3
#define SLEEPPROXY_WAKE_COUNT_MAX	16
#define SLEEPPROXY_LEASE_MAX		(30 * 24 * 3600)
#define SLEEPPROXY_WAKES_KEPT		4
#define SLEEPPROXY_WAKE_FRAME_MAX	96
#define SLEEPPROXY_WAKE_TIMEOUT_MAX	(3600 * 1000)
#define SLEEPPROXY_MAX_HOSTS_MAX	(1024 * 1024)
#define SLEEPPROXY_CONFIG_MS_MAX	(3600 * 1000)
#define SLEEPPROXY_RATE_MAX		1000000
#define SLEEPPROXY_SYN_HOLD_MAX_MAX	256
#define SLEEPPROXY_SYN_HOLD_TOTAL_MAX	65536

enum sleepproxy_cmd {
	SLEEPPROXY_CMD_UNSPEC,
	SLEEPPROXY_CMD_HOST_NEW,
	SLEEPPROXY_CMD_HOST_DEL,
	SLEEPPROXY_CMD_HOST_GET,
	SLEEPPROXY_CMD_STATS_GET,
	SLEEPPROXY_CMD_WAKE,
	SLEEPPROXY_CMD_EVENT,
	SLEEPPROXY_CMD_CONFIG_GET,
	SLEEPPROXY_CMD_CONFIG_SET,
	__SLEEPPROXY_CMD_LAST
};

#define SLEEPPROXY_CMD_MAX (__SLEEPPROXY_CMD_LAST - 1)

enum sleepproxy_host_flag {
	/* a SYN to any TCP port wakes the host */
	SLEEPPROXY_HOST_F_TCP_ANY = 1U << 0,
	/* answer ICMP and ICMPv6 echo requests while the host sleeps */
	SLEEPPROXY_HOST_F_PING = 1U << 1,
	/* do not wake a leased host shortly before its lease ends */
	SLEEPPROXY_HOST_F_NO_LEASE_WAKE = 1U << 2,
	__SLEEPPROXY_HOST_F_ALL = SLEEPPROXY_HOST_F_TCP_ANY |
				  SLEEPPROXY_HOST_F_PING |
				  SLEEPPROXY_HOST_F_NO_LEASE_WAKE
};

enum sleepproxy_host_state {
	/* Answering ARP and waiting for a reason to wake the host. */
	SLEEPPROXY_STATE_PROXYING,
	/* A wake was sent; still answering until the host shows up. */
	SLEEPPROXY_STATE_WOKEN,
	/* The host sent a frame of its own: the proxy has stepped aside. */
	SLEEPPROXY_STATE_AWAKE,
	/* Registered, waiting for the host to fall silent before taking
	 * over its addresses (a host still up would defend them).
	 */
	SLEEPPROXY_STATE_REGISTERED,
	__SLEEPPROXY_STATE_LAST
};

#define SLEEPPROXY_STATE_MAX (__SLEEPPROXY_STATE_LAST - 1)

/* Who registered a host; the module only keeps it and shows it. */
enum sleepproxy_origin {
	/* an administrator (spctl) */
	SLEEPPROXY_ORIGIN_ADMIN,
	/* spsd, the Bonjour Sleep Proxy daemon, for a host that registered
	 * with it
	 */
	SLEEPPROXY_ORIGIN_SPSD,
	__SLEEPPROXY_ORIGIN_LAST
};

#define SLEEPPROXY_ORIGIN_MAX (__SLEEPPROXY_ORIGIN_LAST - 1)

enum sleepproxy_host_attr {
	SLEEPPROXY_A_HOST_UNSPEC,
	SLEEPPROXY_A_HOST_PAD,
	SLEEPPROXY_A_HOST_ID,
	SLEEPPROXY_A_HOST_IFINDEX,
	SLEEPPROXY_A_HOST_IFNAME,
	SLEEPPROXY_A_HOST_LLADDR,
	SLEEPPROXY_A_HOST_ADDRS,
	SLEEPPROXY_A_HOST_TCP_PORTS,
	SLEEPPROXY_A_HOST_FLAGS,
	SLEEPPROXY_A_HOST_WAKE_COUNT,
	SLEEPPROXY_A_HOST_LEASE,
	SLEEPPROXY_A_HOST_STATE,
	SLEEPPROXY_A_HOST_STATE_AGE,
	SLEEPPROXY_A_HOST_STATS,
	SLEEPPROXY_A_HOST_LEASE_LEFT,
	SLEEPPROXY_A_HOST_CONFLICTS,
	SLEEPPROXY_A_HOST_WAKE_LLADDR,
	SLEEPPROXY_A_HOST_WAKE_PASSWORD,
	SLEEPPROXY_A_HOST_ORIGIN,
	SLEEPPROXY_A_HOST_WAKES,
	SLEEPPROXY_A_HOST_WAKE_FRAME,
	SLEEPPROXY_A_HOST_EVENT,
	SLEEPPROXY_A_HOST_REMOVED,
	SLEEPPROXY_A_HOST_LAST_WAKE_MS,
	SLEEPPROXY_A_HOST_WAKE_TIMEOUT,
	__SLEEPPROXY_A_HOST_LAST
};

#define SLEEPPROXY_A_HOST_MAX (__SLEEPPROXY_A_HOST_LAST - 1)

/* Why a host was woken. */
enum sleepproxy_wake_reason {
	/* a TCP SYN to one of its ports */
	SLEEPPROXY_WAKE_SYN,
	/* its lease was about to end */
	SLEEPPROXY_WAKE_LEASE,
	/* SLEEPPROXY_CMD_WAKE */
	SLEEPPROXY_WAKE_MANUAL,
	/* a Wake-on-LAN magic packet for it, relayed (R31) */
	SLEEPPROXY_WAKE_MAGIC,
	__SLEEPPROXY_WAKE_LAST
};

#define SLEEPPROXY_WAKE_MAX (__SLEEPPROXY_WAKE_LAST - 1)

/* Where the packet behind a wake came from. */
enum sleepproxy_wake_via {
	/* the host's own link */
	SLEEPPROXY_VIA_LAN,
	/* routed by the gateway from another interface (another subnet,
	 * a VPN, a port-forward); ethertype 0x0842 from another interface
	 */
	SLEEPPROXY_VIA_ROUTED,
	/* sent by the gateway itself */
	SLEEPPROXY_VIA_LOCAL,
	__SLEEPPROXY_VIA_LAST
};

#define SLEEPPROXY_VIA_MAX (__SLEEPPROXY_VIA_LAST - 1)

/* What SLEEPPROXY_CMD_EVENT announces. */
enum sleepproxy_event {
	/* registered (not sent for a replacement) */
	SLEEPPROXY_EVENT_ADDED,
	/* taken over: the proxy answers for it */
	SLEEPPROXY_EVENT_PROXYING,
	/* woken, or a wake held back by the budget (see the wake's sent) */
	SLEEPPROXY_EVENT_WAKE,
	/* seen awake: the proxy has stepped aside */
	SLEEPPROXY_EVENT_AWAKE,
	/* gone, SLEEPPROXY_A_HOST_REMOVED says why */
	SLEEPPROXY_EVENT_REMOVED,
	__SLEEPPROXY_EVENT_LAST
};

#define SLEEPPROXY_EVENT_MAX (__SLEEPPROXY_EVENT_LAST - 1)

/* Why a host went away. */
enum sleepproxy_removed {
	/* SLEEPPROXY_CMD_HOST_DEL */
	SLEEPPROXY_REMOVED_DELETED,
	/* its lease ran out */
	SLEEPPROXY_REMOVED_LEASE,
	/* its interface went away (or left the namespace) */
	SLEEPPROXY_REMOVED_INTERFACE,
	__SLEEPPROXY_REMOVED_LAST
};

#define SLEEPPROXY_REMOVED_MAX (__SLEEPPROXY_REMOVED_LAST - 1)

enum sleepproxy_wakes_attr {
	SLEEPPROXY_A_WAKES_UNSPEC,
	SLEEPPROXY_A_WAKE,
	__SLEEPPROXY_A_WAKES_LAST
};

#define SLEEPPROXY_A_WAKES_MAX (__SLEEPPROXY_A_WAKES_LAST - 1)

enum sleepproxy_wake_attr {
	SLEEPPROXY_A_WAKE_UNSPEC,
	SLEEPPROXY_A_WAKE_PAD,
	SLEEPPROXY_A_WAKE_REASON,
	SLEEPPROXY_A_WAKE_AGE_MS,
	SLEEPPROXY_A_WAKE_SENT,
	SLEEPPROXY_A_WAKE_SRC_LLADDR,
	SLEEPPROXY_A_WAKE_SRC_IPV4,
	SLEEPPROXY_A_WAKE_SRC_IPV6,
	SLEEPPROXY_A_WAKE_SRC_PORT,
	SLEEPPROXY_A_WAKE_DST_PORT,
	SLEEPPROXY_A_WAKE_VIA,
	SLEEPPROXY_A_WAKE_IIFINDEX,
	__SLEEPPROXY_A_WAKE_LAST
};

#define SLEEPPROXY_A_WAKE_MAX (__SLEEPPROXY_A_WAKE_LAST - 1)

enum sleepproxy_addr_attr {
	SLEEPPROXY_A_ADDR_UNSPEC,
	SLEEPPROXY_A_ADDR_IPV4,
	SLEEPPROXY_A_ADDR_IPV6,
	__SLEEPPROXY_A_ADDR_LAST
};

#define SLEEPPROXY_A_ADDR_MAX (__SLEEPPROXY_A_ADDR_LAST - 1)

enum sleepproxy_port_attr {
	SLEEPPROXY_A_PORT_UNSPEC,
	SLEEPPROXY_A_PORT,
	__SLEEPPROXY_A_PORT_LAST
};

#define SLEEPPROXY_A_PORT_MAX (__SLEEPPROXY_A_PORT_LAST - 1)

/* Per-host counters. */
enum sleepproxy_host_stat_attr {
	SLEEPPROXY_A_HOST_STAT_UNSPEC,
	SLEEPPROXY_A_HOST_STAT_PAD,
	/* ARP requests for one of the host's addresses */
	SLEEPPROXY_A_HOST_STAT_ARP_REQUESTS,
	/* ARP replies sent on its behalf (requests and probes) */
	SLEEPPROXY_A_HOST_STAT_ARP_REPLIES,
	/* gratuitous ARPs sent: takeover and, once awake, repair */
	SLEEPPROXY_A_HOST_STAT_GARP_SENT,
	/* TCP SYNs to a registered port: each one is dropped */
	SLEEPPROXY_A_HOST_STAT_SYN_WAKE,
	/* TCP SYNs to a port the host did not register: passed on */
	SLEEPPROXY_A_HOST_STAT_SYN_OTHER,
	/* wake events (each sends wake-count magic packets of each form) */
	SLEEPPROXY_A_HOST_STAT_WAKES,
	/* magic packets sent, both forms together */
	SLEEPPROXY_A_HOST_STAT_MAGIC_SENT,
	/* transitions to SLEEPPROXY_STATE_AWAKE */
	SLEEPPROXY_A_HOST_STAT_AWAKE,
	/* ARP requests asking a woken host whether it is up (once a second
	 * at most, while SYNs for it keep arriving)
	 */
	SLEEPPROXY_A_HOST_STAT_AWAKE_PROBES,
	/* Neighbor Solicitations for one of the host's addresses */
	SLEEPPROXY_A_HOST_STAT_NS_REQUESTS,
	/* Neighbor Advertisements sent in answer (solicited, DAD defence) */
	SLEEPPROXY_A_HOST_STAT_NA_REPLIES,
	/* unsolicited Neighbor Advertisements: takeover and, once awake,
	 * repair
	 */
	SLEEPPROXY_A_HOST_STAT_NA_UNSOLICITED,
	/* packets for the sleeping host that did not wake it, dropped so
	 * that the gateway neither forwards nor answers them
	 */
	SLEEPPROXY_A_HOST_STAT_DROPPED,
	/* ICMP and ICMPv6 echo replies sent on its behalf (ping on) */
	SLEEPPROXY_A_HOST_STAT_ECHO_REPLIES,
	/* wakes sent shortly before the lease ends, so that it registers
	 * again
	 */
	SLEEPPROXY_A_HOST_STAT_LEASE_WAKES,
	/* addresses given up because another MAC claimed them */
	SLEEPPROXY_A_HOST_STAT_CONFLICTS,
	/* wakes not sent: the namespace's wake budget was spent */
	SLEEPPROXY_A_HOST_STAT_WAKES_SUPPRESSED,
	/* frames from the host's MAC that a sleeping host's NIC sends too
	 * (ARP replies, solicited Neighbor Advertisements): not taken as
	 * the host being awake
	 */
	SLEEPPROXY_A_HOST_STAT_OFFLOAD_FRAMES,
	/* magic packets for the host that arrived from elsewhere and were
	 * sent on its link (R31), each one a wake
	 */
	SLEEPPROXY_A_HOST_STAT_MAGIC_RELAYED,
	/* SYNs kept while the host wakes, to be replayed to it */
	SLEEPPROXY_A_HOST_STAT_SYN_HELD,
	/* kept SYNs sent to the host once it was seen awake */
	SLEEPPROXY_A_HOST_STAT_SYN_REPLAYED,
	/* kept SYNs freed because the host did not wake in time (setting
	 * syn_hold_ms)
	 */
	SLEEPPROXY_A_HOST_STAT_SYN_EXPIRED,
	/* SYNs not kept: over the bounds (settings syn_hold_max,
	 * syn_hold_total) or no memory
	 */
	SLEEPPROXY_A_HOST_STAT_SYN_DROPPED,
	/* magic packets sent again, in rounds, to a woken host not yet
	 * seen awake
	 */
	SLEEPPROXY_A_HOST_STAT_WAKE_ROUNDS,
	/* wakes given up after setting wake_timeout_ms: the host
	 * went back to being proxied
	 */
	SLEEPPROXY_A_HOST_STAT_WAKES_FAILED,
	__SLEEPPROXY_A_HOST_STAT_LAST
};

#define SLEEPPROXY_A_HOST_STAT_MAX (__SLEEPPROXY_A_HOST_STAT_LAST - 1)

/* Per-namespace counters (SLEEPPROXY_CMD_STATS_GET). */
enum sleepproxy_stats_attr {
	SLEEPPROXY_A_STATS_UNSPEC,
	SLEEPPROXY_A_STATS_PAD,
	SLEEPPROXY_A_STATS_HOSTS,
	/* frames inspected on proxied interfaces */
	SLEEPPROXY_A_STATS_RX_FRAMES,
	/* ARP the proxy cannot use: truncated or not Ethernet/IPv4 */
	SLEEPPROXY_A_STATS_DROP_ARP_MALFORMED,
	/* IPv4 ill-formed per RFC 791: version, length, checksum (R36) */
	SLEEPPROXY_A_STATS_DROP_IPV4_MALFORMED,
	/* IPv4 fragments (R37) */
	SLEEPPROXY_A_STATS_DROP_IPV4_FRAGMENT,
	/* IPv4 with LSRR or SSRR options (R38) */
	SLEEPPROXY_A_STATS_DROP_IPV4_SRCROUTE,
	/* TCP to a proxied address with a bad header or checksum */
	SLEEPPROXY_A_STATS_DROP_TCP_MALFORMED,
	/* replies or wakes that could not be sent (no memory, device) */
	SLEEPPROXY_A_STATS_TX_ERRORS,
	/* IPv6 to a proxied address with a bad header, payload length or
	 * extension header chain
	 */
	SLEEPPROXY_A_STATS_DROP_IPV6_MALFORMED,
	/* IPv6 fragments to a proxied address (R37) */
	SLEEPPROXY_A_STATS_DROP_IPV6_FRAGMENT,
	/* IPv6 to a proxied address with a type 0 routing header or any
	 * routing header with segments left (R38)
	 */
	SLEEPPROXY_A_STATS_DROP_IPV6_SRCROUTE,
	/* Neighbor Solicitations for a proxied address that fail the checks
	 * of RFC 4861 7.1.1 (hop limit, checksum, code, length, options)
	 */
	SLEEPPROXY_A_STATS_DROP_ND_MALFORMED,
	/* ICMP or ICMPv6 echo requests to a proxied address with a bad
	 * length or checksum
	 */
	SLEEPPROXY_A_STATS_DROP_ICMP_MALFORMED,
	/* wakes not sent: the namespace's budget of wakes per second
	 * (setting max_wakes_per_sec) was spent
	 */
	SLEEPPROXY_A_STATS_WAKES_SUPPRESSED,
	/* ARP replies, Neighbor Advertisements and echo replies not sent:
	 * their asker had used its share (setting
	 * max_replies_per_sec, per source MAC)
	 */
	SLEEPPROXY_A_STATS_REPLIES_SUPPRESSED,
	/* hosts removed because their lease ran out */
	SLEEPPROXY_A_STATS_LEASES_EXPIRED,
	/* SLEEPPROXY_CMD_WAKE requests carried out, registered or not */
	SLEEPPROXY_A_STATS_MANUAL_WAKES,
	/* the interface of a per-interface message: NLA_U32, and its name
	 * (NLA_NUL_STRING)
	 */
	SLEEPPROXY_A_STATS_IFINDEX,
	SLEEPPROXY_A_STATS_IFNAME,
	/* NLA_U32: hosts in state proxying or woken */
	SLEEPPROXY_A_STATS_HOSTS_PROXYING,
	/* NLA_NESTED, SLEEPPROXY_A_HOST_STAT_* (NLA_U64 each): what the
	 * interface's hosts counted, those removed since included
	 */
	SLEEPPROXY_A_STATS_HOST_TOTALS,
	__SLEEPPROXY_A_STATS_LAST
};

#define SLEEPPROXY_A_STATS_MAX (__SLEEPPROXY_A_STATS_LAST - 1)

/*
 * The namespace's settings (SLEEPPROXY_CMD_CONFIG_GET, _SET); each is
 * named after the module parameter it stands in for.  New settings come
 * last: SLEEPPROXY_CONFIG_F_* bit n names SLEEPPROXY_A_CONFIG_MAX_HOSTS + n.
 */
enum sleepproxy_config_attr {
	SLEEPPROXY_A_CONFIG_UNSPEC,
	SLEEPPROXY_A_CONFIG_RESET,
	SLEEPPROXY_A_CONFIG_OWN,
	SLEEPPROXY_A_CONFIG_MAX_HOSTS,
	SLEEPPROXY_A_CONFIG_AWAKE_GRACE_MS,
	SLEEPPROXY_A_CONFIG_MAX_WAKES_PER_SEC,
	SLEEPPROXY_A_CONFIG_MAX_REPLIES_PER_SEC,
	SLEEPPROXY_A_CONFIG_SYN_HOLD_MS,
	SLEEPPROXY_A_CONFIG_SYN_HOLD_MAX,
	SLEEPPROXY_A_CONFIG_SYN_HOLD_TOTAL,
	SLEEPPROXY_A_CONFIG_WAKE_TIMEOUT_MS,
	__SLEEPPROXY_A_CONFIG_LAST
};

#define SLEEPPROXY_A_CONFIG_MAX (__SLEEPPROXY_A_CONFIG_LAST - 1)

enum sleepproxy_config_flag {
	SLEEPPROXY_CONFIG_F_MAX_HOSTS = 1U << 0,
	SLEEPPROXY_CONFIG_F_AWAKE_GRACE_MS = 1U << 1,
	SLEEPPROXY_CONFIG_F_MAX_WAKES_PER_SEC = 1U << 2,
	SLEEPPROXY_CONFIG_F_MAX_REPLIES_PER_SEC = 1U << 3,
	SLEEPPROXY_CONFIG_F_SYN_HOLD_MS = 1U << 4,
	SLEEPPROXY_CONFIG_F_SYN_HOLD_MAX = 1U << 5,
	SLEEPPROXY_CONFIG_F_SYN_HOLD_TOTAL = 1U << 6,
	SLEEPPROXY_CONFIG_F_WAKE_TIMEOUT_MS = 1U << 7,
	__SLEEPPROXY_CONFIG_F_ALL = (1U << 8) - 1
};

#endif /* _UAPI_LINUX_SLEEPPROXY_H */
