// SPDX-License-Identifier: GPL-2.0
/*
 * The hosts spsd registered, each the sum of the updates of its current
 * registration.  A host with many services sends several updates with
 * the same Owner sequence number: each adds its records to the others
 * (an identical record replaces its twin), never replaces them.  A newer
 * sequence number starts the registration over; an older one is a late
 * retransmission and changes nothing.
 */

#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <ldns/ldns.h>

#include "spsd.h"

struct spsd_host *spsd_registry_find(struct spsd_registry *reg,
				     unsigned int ifindex,
				     const uint8_t mac[ETH_ALEN])
{
	struct spsd_host *h;

	for (h = reg->hosts; h; h = h->next)
		if (h->ifindex == ifindex && !memcmp(h->mac, mac, ETH_ALEN))
			return h;
	return NULL;
}

void spsd_host_free(struct spsd_host *host)
{
	size_t i;

	if (!host)
		return;
	for (i = 0; i < host->n_rrs; i++)
		spsd_rr_free(&host->rrs[i]);
	free(host->rrs);
	free(host);
}

static int spsd_rr_copy(struct spsd_rr *dst, const struct spsd_rr *src)
{
	*dst = *src;
	dst->name = strdup(src->name);
	dst->rdata = malloc(src->rdlen ? src->rdlen : 1);
	if (!dst->name || !dst->rdata) {
		spsd_rr_free(dst);
		return -1;
	}
	memcpy(dst->rdata, src->rdata, src->rdlen);
	return 0;
}

/* Adds @rr to @host, in place of an identical record if there is one. */
static int spsd_host_add_rr(struct spsd_host *host, const struct spsd_rr *rr)
{
	size_t i;

	for (i = 0; i < host->n_rrs; i++) {
		if (spsd_rr_equal(&host->rrs[i], rr)) {
			spsd_rr_free(&host->rrs[i]);
			return spsd_rr_copy(&host->rrs[i], rr);
		}
	}
	return spsd_rr_copy(&host->rrs[host->n_rrs++], rr);
}

static bool spsd_v4_usable(const struct in_addr *a)
{
	uint32_t h = ntohl(a->s_addr);

	return h && !IN_MULTICAST(h) && h != INADDR_BROADCAST &&
	       (h >> 24) != IN_LOOPBACKNET;
}

static bool spsd_v6_usable(const struct in6_addr *a)
{
	return !IN6_IS_ADDR_UNSPECIFIED(a) && !IN6_IS_ADDR_LOOPBACK(a) &&
	       !IN6_IS_ADDR_MULTICAST(a) && !IN6_IS_ADDR_V4MAPPED(a);
}

int spsd_host_add_v4(struct spsd_host *host, const struct in_addr *a)
{
	unsigned int i;

	if (!spsd_v4_usable(a))
		return 0;
	for (i = 0; i < host->n_v4; i++)
		if (host->v4[i].s_addr == a->s_addr)
			return 0;
	if (host->n_v4 == SPSD_MAX_IPV4)
		return -1;
	host->v4[host->n_v4++] = *a;
	return 0;
}

int spsd_host_add_v6(struct spsd_host *host, const struct in6_addr *a)
{
	unsigned int i;

	if (!spsd_v6_usable(a))
		return 0;
	for (i = 0; i < host->n_v6; i++)
		if (!memcmp(&host->v6[i], a, sizeof(*a)))
			return 0;
	if (host->n_v6 == SPSD_MAX_IPV6)
		return -1;
	host->v6[host->n_v6++] = *a;
	return 0;
}

static int spsd_host_add_port(struct spsd_host *host, uint16_t port)
{
	unsigned int i;

	if (!port)
		return 0;
	for (i = 0; i < host->n_ports; i++)
		if (host->ports[i] == port)
			return 0;
	if (host->n_ports == SPSD_MAX_PORTS)
		return -1;
	host->ports[host->n_ports++] = port;
	return 0;
}

/*
 * The addresses of the A and AAAA records, and the ports of the SRV
 * records of TCP services (the ports whose SYN wakes the host).
 */
static const char *spsd_host_derive(struct spsd_host *host)
{
	size_t i;

	host->n_v4 = host->n_v6 = host->n_ports = 0;
	for (i = 0; i < host->n_rrs; i++) {
		const struct spsd_rr *rr = &host->rrs[i];
		struct in6_addr a6;
		struct in_addr a4;

		if (rr->type == LDNS_RR_TYPE_A && rr->rdlen == sizeof(a4)) {
			memcpy(&a4, rr->rdata, sizeof(a4));
			if (spsd_host_add_v4(host, &a4))
				return "more IPv4 addresses than the proxy takes";
		} else if (rr->type == LDNS_RR_TYPE_AAAA &&
			   rr->rdlen == sizeof(a6)) {
			memcpy(&a6, rr->rdata, sizeof(a6));
			if (spsd_host_add_v6(host, &a6))
				return "more IPv6 addresses than the proxy takes";
		} else if (rr->type == LDNS_RR_TYPE_SRV && rr->tcp_service &&
			   rr->rdlen >= 6) {
			if (spsd_host_add_port(host, rr->rdata[4] << 8 |
						     rr->rdata[5]))
				return "more TCP services than the proxy takes";
		}
	}
	return NULL;
}

int spsd_registry_prepare(struct spsd_registry *reg, unsigned int ifindex,
			  const struct spsd_update *u, uint32_t lease,
			  struct spsd_host **candidate, enum spsd_apply *how,
			  const char **why)
{
	struct spsd_host *old = spsd_registry_find(reg, ifindex, u->mac);
	size_t i, n_max, others;
	struct spsd_host *h;

	*candidate = NULL;
	*why = NULL;
	if (!old) {
		*how = SPSD_APPLY_NEW;
		if (reg->n_hosts >= reg->max_hosts) {
			*why = "the proxy is full (max_hosts)";
			return -1;
		}
	} else {
		/* RFC 1982 arithmetic: sequence numbers wrap at 256. */
		int8_t d = (int8_t)(u->seq - old->seq);

		if (d < 0) {
			*how = SPSD_APPLY_STALE;
			return 0;
		}
		*how = d ? SPSD_APPLY_REPLACED : SPSD_APPLY_MERGED;
	}

	n_max = u->n_rrs + (*how == SPSD_APPLY_MERGED ? old->n_rrs : 0);
	others = reg->n_records - (old ? old->n_rrs : 0);
	h = calloc(1, sizeof(*h));
	if (!h || !(h->rrs = calloc(n_max ? n_max : 1, sizeof(*h->rrs)))) {
		free(h);
		*why = "out of memory";
		return -1;
	}
	h->ifindex = ifindex;
	memcpy(h->mac, u->mac, ETH_ALEN);
	memcpy(h->wake_mac, u->wake_mac, ETH_ALEN);
	memcpy(h->password, u->password, sizeof(h->password));
	h->password_len = u->password_len;
	h->seq = u->seq;
	h->lease = lease;
	clock_gettime(CLOCK_MONOTONIC, &h->registered);

	for (i = 0; *how == SPSD_APPLY_MERGED && i < old->n_rrs; i++)
		if (spsd_rr_copy(&h->rrs[h->n_rrs++], &old->rrs[i]))
			goto nomem;
	for (i = 0; i < u->n_rrs; i++)
		if (spsd_host_add_rr(h, &u->rrs[i]))
			goto nomem;
	if (others + h->n_rrs > reg->max_records) {
		*why = "the proxy is full (max_records)";
		goto err;
	}
	*why = spsd_host_derive(h);
	if (*why)
		goto err;
	*candidate = h;
	return 0;
nomem:
	*why = "out of memory";
err:
	spsd_host_free(h);
	return -1;
}

void spsd_registry_remove(struct spsd_registry *reg, struct spsd_host *host)
{
	struct spsd_host **p;

	for (p = &reg->hosts; *p; p = &(*p)->next) {
		if (*p == host) {
			*p = host->next;
			reg->n_hosts--;
			reg->n_records -= host->n_rrs;
			spsd_host_free(host);
			return;
		}
	}
}

void spsd_registry_commit(struct spsd_registry *reg, struct spsd_host *host)
{
	struct spsd_host *old = spsd_registry_find(reg, host->ifindex,
						   host->mac);

	if (old)
		spsd_registry_remove(reg, old);
	host->next = reg->hosts;
	reg->hosts = host;
	reg->n_hosts++;
	reg->n_records += host->n_rrs;
}
