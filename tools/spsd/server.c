// SPDX-License-Identifier: GPL-2.0
/*
 * The UDP service: one socket per address family on the advertised
 * port.  Each update is checked (right interface, sent by the host it
 * describes), folded into the registry, installed into the module, and
 * answered; only a registration the module really holds gets NOERROR,
 * since a client that hears NOERROR goes to sleep trusting it.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/sleepproxy.h>

#include "spsd.h"

#define SPSD_BIND_TRIES	16

union spsd_sockaddr {
	struct sockaddr sa;
	struct sockaddr_in in;
	struct sockaddr_in6 in6;
};

static int spsd_socket(int family, uint16_t port)
{
	int one = 1, fd;
	union spsd_sockaddr addr = { 0 };
	socklen_t len;

	fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	if (family == AF_INET) {
		addr.in.sin_family = AF_INET;
		addr.in.sin_port = htons(port);
		len = sizeof(addr.in);
		if (setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one)))
			goto err;
	} else {
		addr.in6.sin6_family = AF_INET6;
		addr.in6.sin6_port = htons(port);
		len = sizeof(addr.in6);
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one,
			       sizeof(one)) ||
		    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one,
			       sizeof(one)))
			goto err;
	}
	if (bind(fd, &addr.sa, len))
		goto err;
	return fd;
err:
	close(fd);
	return -1;
}

static uint16_t spsd_socket_port(int fd)
{
	union spsd_sockaddr addr;
	socklen_t len = sizeof(addr);

	if (getsockname(fd, &addr.sa, &len))
		return 0;
	return ntohs(addr.sa.sa_family == AF_INET ? addr.in.sin_port :
						    addr.in6.sin6_port);
}

int spsd_server_open(struct spsd *s)
{
	unsigned int i;

	s->fd4 = s->fd6 = -1;
	/* An ephemeral port free in both families, as Apple's servers use. */
	for (i = 0; i < SPSD_BIND_TRIES; i++) {
		s->fd4 = spsd_socket(AF_INET, s->cfg.port);
		if (s->fd4 < 0)
			break;
		s->port = spsd_socket_port(s->fd4);
		s->fd6 = spsd_socket(AF_INET6, s->port);
		if (s->fd6 >= 0 || errno != EADDRINUSE || s->cfg.port)
			break;
		close(s->fd4);
		s->fd4 = -1;
	}
	if (s->fd4 < 0) {
		spsd_log(LOG_ERR, "cannot bind UDP port %u: %s", s->cfg.port,
			 strerror(errno));
		return -1;
	}
	if (s->fd6 < 0)
		spsd_log(LOG_WARNING, "no IPv6 socket (%s): IPv4 only",
			 strerror(errno));
	return 0;
}

void spsd_server_close(struct spsd *s)
{
	if (s->fd4 >= 0)
		close(s->fd4);
	if (s->fd6 >= 0)
		close(s->fd6);
	s->fd4 = s->fd6 = -1;
}

static const char *spsd_addr_str(const union spsd_sockaddr *a, char *buf,
				 size_t size)
{
	if (a->sa.sa_family == AF_INET)
		return inet_ntop(AF_INET, &a->in.sin_addr, buf, size);
	return inet_ntop(AF_INET6, &a->in6.sin6_addr, buf, size);
}

static const char *spsd_rcode_str(enum spsd_rcode rcode)
{
	switch (rcode) {
	case SPSD_NOERROR:
		return "NOERROR";
	case SPSD_FORMERR:
		return "FORMERR";
	case SPSD_SERVFAIL:
		return "SERVFAIL";
	case SPSD_NOTIMP:
		return "NOTIMP";
	case SPSD_REFUSED:
		return "REFUSED";
	}
	return "?";
}

/* Where a datagram came in: the interface and the address it was sent to. */
struct spsd_dst {
	unsigned int ifindex;
	union {
		struct in_addr v4;
		struct in6_addr v6;
	};
};

static void spsd_parse_cmsgs(struct msghdr *mh, struct spsd_dst *dst)
{
	struct cmsghdr *c;

	for (c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			dst->ifindex = pi.ipi_ifindex;
			dst->v4 = pi.ipi_addr;
		} else if (c->cmsg_level == IPPROTO_IPV6 &&
			   c->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			dst->ifindex = pi.ipi6_ifindex;
			dst->v6 = pi.ipi6_addr;
		}
	}
}

/* The answer leaves from the address and interface the update reached. */
static void spsd_send(int fd, const union spsd_sockaddr *to,
		      const struct spsd_dst *dst, const uint8_t *buf,
		      size_t len)
{
	char cbuf[CMSG_SPACE(sizeof(struct in6_pktinfo))] = { 0 };
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr mh = {
		.msg_name = (void *)to,
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = cbuf,
	};
	struct cmsghdr *c = (struct cmsghdr *)cbuf;

	if (to->sa.sa_family == AF_INET) {
		struct in_pktinfo pi = { .ipi_ifindex = dst->ifindex,
					 .ipi_spec_dst = dst->v4 };

		mh.msg_namelen = sizeof(to->in);
		mh.msg_controllen = CMSG_SPACE(sizeof(pi));
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	} else {
		struct in6_pktinfo pi = { .ipi6_ifindex = dst->ifindex,
					  .ipi6_addr = dst->v6 };

		mh.msg_namelen = sizeof(to->in6);
		mh.msg_controllen = CMSG_SPACE(sizeof(pi));
		c->cmsg_level = IPPROTO_IPV6;
		c->cmsg_type = IPV6_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	}
	if (sendmsg(fd, &mh, MSG_DONTWAIT) < 0)
		spsd_log_limited(LOG_WARNING, "cannot answer: %s",
				 strerror(errno));
}

static void spsd_answer(int fd, const union spsd_sockaddr *to,
			const struct spsd_dst *dst, uint16_t id,
			uint8_t opcode, enum spsd_rcode rcode, uint32_t lease)
{
	uint8_t buf[64];
	size_t len;

	len = spsd_msg_reply(buf, sizeof(buf), id, opcode, rcode, lease);
	if (len)
		spsd_send(fd, to, dst, buf, len);
}

static void spsd_forget(struct spsd *s, struct spsd_host *h, const char *why)
{
	char mac[18];

	spsd_mac_str(h->mac, mac);
	spsd_log(LOG_INFO, "%s: %s", mac, why);
	spsd_avahi_withdraw(s->avahi, h);
	spsd_registry_remove(&s->reg, h);
}

/*
 * Only the host an update describes may send it: its own MAC or its wake
 * MAC must be what the gateway knows the source address by.
 */
static const char *spsd_check_sender(const struct spsd_update *u,
				     unsigned int ifindex,
				     const union spsd_sockaddr *from)
{
	uint8_t mac[ETH_ALEN];

	if (spsd_neigh_lookup(ifindex, &from->sa, mac))
		return "no neighbour entry for the sender's address";
	if (memcmp(mac, u->mac, ETH_ALEN) && memcmp(mac, u->wake_mac, ETH_ALEN))
		return "sent from another MAC than the Owner option names";
	return NULL;
}

static void spsd_describe(const struct spsd_host *h, char *buf, size_t size)
{
	size_t used;
	unsigned int i;

	used = snprintf(buf, size, "%u IPv4, %u IPv6, %zu records, TCP ports",
			h->n_v4, h->n_v6, h->n_rrs);
	for (i = 0; i < h->n_ports && used < size; i++)
		used += snprintf(buf + used, size - used, "%s%u",
				 i ? "," : " ", h->ports[i]);
	if (!h->n_ports && used < size)
		snprintf(buf + used, size - used, " none");
}

static enum spsd_rcode spsd_register(struct spsd *s, unsigned int ifindex,
				     const union spsd_sockaddr *from,
				     const struct spsd_update *u,
				     uint32_t *granted)
{
	static const char *const how_str[] = {
		[SPSD_APPLY_NEW] = "registered",
		[SPSD_APPLY_REPLACED] = "registered again",
		[SPSD_APPLY_MERGED] = "registration extended",
		[SPSD_APPLY_STALE] = "",
	};
	struct spsd_host *h, *old;
	char mac[18], from_str[INET6_ADDRSTRLEN], why_kernel[256], desc[512];
	enum spsd_apply how;
	const char *why;

	spsd_mac_str(u->mac, mac);
	spsd_addr_str(from, from_str, sizeof(from_str));
	why = spsd_check_sender(u, ifindex, from);
	if (why) {
		spsd_log_limited(LOG_WARNING, "%s: refused from %s: %s", mac,
				 from_str, why);
		return SPSD_REFUSED;
	}

	old = spsd_registry_find(&s->reg, ifindex, u->mac);
	if (!u->lease) {
		*granted = 0;
		if (old) {
			spsd_kernel_remove(s->kernel, old);
			spsd_forget(s, old, "deregistered (lease 0)");
		}
		return SPSD_NOERROR;
	}

	*granted = u->lease < s->cfg.max_lease ? u->lease : s->cfg.max_lease;
	if (spsd_registry_prepare(&s->reg, ifindex, u, *granted, &h, &how,
				  &why)) {
		spsd_log(LOG_WARNING, "%s: refused from %s: %s", mac, from_str,
			 why);
		return SPSD_REFUSED;
	}
	if (how == SPSD_APPLY_STALE) {
		spsd_log(LOG_INFO,
			 "%s: sequence number %u older than %u: update ignored",
			 mac, u->seq, old->seq);
		*granted = old->lease;
		return SPSD_NOERROR;
	}
	/* A host that sent no address record is proxied where it spoke from. */
	if (!h->n_v4 && !h->n_v6) {
		if (from->sa.sa_family == AF_INET)
			spsd_host_add_v4(h, &from->in.sin_addr);
		else
			spsd_host_add_v6(h, &from->in6.sin6_addr);
	}
	if (spsd_kernel_install(s->kernel, h, why_kernel, sizeof(why_kernel))) {
		spsd_log(LOG_WARNING, "%s: the module refused it: %s", mac,
			 why_kernel);
		spsd_host_free(h);
		return SPSD_REFUSED;
	}
	if (old)
		spsd_avahi_withdraw(s->avahi, old);
	spsd_registry_commit(&s->reg, h);
	spsd_describe(h, desc, sizeof(desc));
	spsd_log(LOG_INFO, "%s: %s from %s (sequence %u, lease %u s): %s", mac,
		 how_str[how], from_str, u->seq, *granted, desc);
	return SPSD_NOERROR;
}

static bool spsd_iface_ours(const struct spsd *s, unsigned int ifindex)
{
	unsigned int i;

	for (i = 0; i < s->cfg.n_ifaces; i++)
		if (s->ifindexes[i] == ifindex)
			return true;
	return false;
}

void spsd_server_receive(struct spsd *s, int fd)
{
	/* Room for the largest datagram, to tell "too large" from garbage. */
	static uint8_t buf[65536];
	char cbuf[CMSG_SPACE(sizeof(struct in6_pktinfo)) +
		  CMSG_SPACE(sizeof(struct in_pktinfo))];
	char from_str[INET6_ADDRSTRLEN];
	union spsd_sockaddr from;
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr mh = {
		.msg_name = &from,
		.msg_namelen = sizeof(from),
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = cbuf,
		.msg_controllen = sizeof(cbuf),
	};
	struct spsd_dst dst = { 0 };
	enum spsd_verdict verdict;
	struct spsd_update u;
	enum spsd_rcode rcode;
	uint32_t lease = 0;
	const char *why;
	ssize_t n;

	n = recvmsg(fd, &mh, MSG_DONTWAIT);
	if (n < 0)
		return;
	spsd_parse_cmsgs(&mh, &dst);
	spsd_addr_str(&from, from_str, sizeof(from_str));
	if (!spsd_iface_ours(s, dst.ifindex)) {
		spsd_log_limited(LOG_NOTICE,
				 "update from %s on interface %u ignored: not one of spsd's",
				 from_str, dst.ifindex);
		return;
	}

	verdict = spsd_msg_parse(buf, n, &u, &rcode, &why);
	if (verdict == SPSD_MSG_DROP) {
		spsd_log_limited(LOG_DEBUG, "datagram from %s dropped: %s",
				 from_str, why);
		return;
	}
	if (verdict == SPSD_MSG_ERROR) {
		spsd_log_limited(LOG_NOTICE, "update from %s: %s: %s", from_str,
				 why, spsd_rcode_str(rcode));
		spsd_answer(fd, &from, &dst, u.id, buf[2] >> 3 & 0xf, rcode, 0);
		return;
	}
	if (u.n_ignored)
		spsd_log(LOG_DEBUG, "update from %s: %zu records not used",
			 from_str, u.n_ignored);
	rcode = spsd_register(s, dst.ifindex, &from, &u, &lease);
	spsd_answer(fd, &from, &dst, u.id, SPSD_DNS_OPCODE_UPDATE, rcode,
		    lease);
	spsd_update_free(&u);
}

void spsd_server_tick(struct spsd *s)
{
	struct spsd_kernel_view *view;
	struct spsd_host *h, *next;

	if (!s->reg.hosts)
		return;
	view = spsd_kernel_snapshot(s->kernel);
	if (!view) {
		spsd_log_limited(LOG_WARNING,
				 "cannot read the module's hosts: keeping the last view");
		return;
	}
	for (h = s->reg.hosts; h; h = next) {
		next = h->next;
		switch (spsd_kernel_view_state(view, h)) {
		case SLEEPPROXY_STATE_PROXYING:
		case SLEEPPROXY_STATE_WOKEN:
			/* Quiet: its own responder no longer answers. */
			spsd_avahi_publish(s->avahi, h);
			break;
		case SLEEPPROXY_STATE_REGISTERED:
		case SLEEPPROXY_STATE_AWAKE:
			spsd_avahi_withdraw(s->avahi, h);
			break;
		default:
			/* Its lease ran out, or an admin took it over. */
			spsd_forget(s, h, "no longer in the module: forgotten");
			break;
		}
	}
	spsd_kernel_view_free(view);
}

void spsd_server_flush(struct spsd *s)
{
	while (s->reg.hosts) {
		struct spsd_host *h = s->reg.hosts;

		spsd_avahi_withdraw(s->avahi, h);
		spsd_registry_remove(&s->reg, h);
	}
}
