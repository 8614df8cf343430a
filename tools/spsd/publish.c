// SPDX-License-Identifier: GPL-2.0
/*
 * Everything mDNS goes through avahi-daemon: the _sleep-proxy._udp
 * service that clients browse for, and the records of each sleeping
 * host, published on its behalf while it sleeps (ISO/IEC 16317 8.6) so
 * that browsers on the LAN still list its services.
 *
 * The client is made with AVAHI_CLIENT_NO_FAIL: when avahi-daemon goes
 * away spsd keeps proxying, and publishes everything again once the
 * daemon is back.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <avahi-client/client.h>
#include <avahi-client/publish.h>
#include <avahi-common/alternative.h>
#include <avahi-common/error.h>
#include <avahi-common/malloc.h>
#include <ldns/ldns.h>

#include "spsd.h"

#define SPSD_SERVICE_TYPE	"_sleep-proxy._udp"

struct spsd_publisher {
	struct spsd_avahi *avahi;
	struct spsd_host *host;
	AvahiEntryGroup *group;
	bool collided;		/* given up until the host registers again */
};

struct spsd_avahi {
	AvahiClient *client;
	AvahiEntryGroup *service;
	char *instance;		/* avahi_malloc()ed: alternatives replace it */
	unsigned int ifindexes[SPSD_MAX_IFACES];
	unsigned int n_ifaces;
	uint16_t port;
	/* Every host's publisher, published or not. */
	struct spsd_publisher **pubs;
	size_t n_pubs, cap_pubs;
};

static void spsd_service_publish(struct spsd_avahi *a);

static void spsd_service_cb(AvahiEntryGroup *g, AvahiEntryGroupState state,
			    void *data)
{
	struct spsd_avahi *a = data;
	char *alt;

	switch (state) {
	case AVAHI_ENTRY_GROUP_ESTABLISHED:
		spsd_log(LOG_INFO, "advertising \"%s\" (%s) on UDP port %u",
			 a->instance, SPSD_SERVICE_TYPE, a->port);
		break;
	case AVAHI_ENTRY_GROUP_COLLISION:
		/* Another proxy took the name: a new one, as Avahi does. */
		alt = avahi_alternative_service_name(a->instance);
		spsd_log(LOG_NOTICE, "service name \"%s\" taken, now \"%s\"",
			 a->instance, alt);
		avahi_free(a->instance);
		a->instance = alt;
		avahi_entry_group_reset(g);
		spsd_service_publish(a);
		break;
	case AVAHI_ENTRY_GROUP_FAILURE:
		spsd_log(LOG_ERR, "advertising the service failed: %s",
			 avahi_strerror(avahi_client_errno(a->client)));
		break;
	default:
		break;
	}
}

static void spsd_service_publish(struct spsd_avahi *a)
{
	unsigned int i;
	int err = 0;

	if (!a->service)
		a->service = avahi_entry_group_new(a->client, spsd_service_cb, a);
	if (!a->service) {
		spsd_log(LOG_ERR, "avahi: %s",
			 avahi_strerror(avahi_client_errno(a->client)));
		return;
	}
	for (i = 0; i < a->n_ifaces && !err; i++)
		err = avahi_entry_group_add_service(a->service, a->ifindexes[i],
						    AVAHI_PROTO_UNSPEC, 0,
						    a->instance,
						    SPSD_SERVICE_TYPE, NULL,
						    NULL, a->port, NULL);
	if (!err)
		err = avahi_entry_group_commit(a->service);
	if (err)
		spsd_log(LOG_ERR, "cannot advertise \"%s\": %s", a->instance,
			 avahi_strerror(err));
}

/* Records whose owner is alone in answering for their name. */
static bool spsd_rr_unique(const struct spsd_rr *rr)
{
	if (rr->unique)
		return true;
	switch (rr->type) {
	case LDNS_RR_TYPE_A:
	case LDNS_RR_TYPE_AAAA:
	case LDNS_RR_TYPE_SRV:
	case LDNS_RR_TYPE_TXT:
		return true;
	default:
		/* Service PTRs are shared; a reverse mapping is not. */
		return strstr(rr->name, ".arpa") != NULL;
	}
}

static void spsd_host_group_cb(AvahiEntryGroup *g, AvahiEntryGroupState state,
			       void *data)
{
	struct spsd_publisher *p = data;
	char mac[18];

	spsd_mac_str(p->host->mac, mac);
	switch (state) {
	case AVAHI_ENTRY_GROUP_ESTABLISHED:
		spsd_log(LOG_INFO, "%s: publishing %zu records while it sleeps",
			 mac, p->host->n_rrs);
		break;
	case AVAHI_ENTRY_GROUP_COLLISION:
		/*
		 * Someone answers for the host's names: most likely the host
		 * itself, up again.  Never fight it for them.
		 */
		spsd_log(LOG_NOTICE,
			 "%s: another responder has the host's records; withdrawn",
			 mac);
		p->collided = true;
		/* Not freed in its own callback: spsd_avahi_withdraw() does. */
		avahi_entry_group_reset(g);
		break;
	case AVAHI_ENTRY_GROUP_FAILURE:
		spsd_log(LOG_ERR, "%s: publishing failed: %s", mac,
			 avahi_strerror(avahi_client_errno(p->avahi->client)));
		break;
	default:
		break;
	}
}

static void spsd_host_group_create(struct spsd_publisher *p)
{
	struct spsd_avahi *a = p->avahi;
	struct spsd_host *h = p->host;
	size_t i, added = 0;
	char mac[18];
	int err;

	if (p->group || p->collided || !a->client ||
	    avahi_client_get_state(a->client) != AVAHI_CLIENT_S_RUNNING)
		return;
	spsd_mac_str(h->mac, mac);
	p->group = avahi_entry_group_new(a->client, spsd_host_group_cb, p);
	if (!p->group) {
		spsd_log(LOG_ERR, "%s: avahi: %s", mac,
			 avahi_strerror(avahi_client_errno(a->client)));
		return;
	}
	for (i = 0; i < h->n_rrs; i++) {
		const struct spsd_rr *rr = &h->rrs[i];
		/*
		 * A unique RRset may hold several records (a host's AAAA
		 * records); Avahi wants ALLOW_MULTIPLE to take the second.
		 */
		AvahiPublishFlags flags = AVAHI_PUBLISH_ALLOW_MULTIPLE |
			(spsd_rr_unique(rr) ? AVAHI_PUBLISH_UNIQUE : 0);

		err = avahi_entry_group_add_record(p->group, h->ifindex,
						   AVAHI_PROTO_UNSPEC, flags,
						   rr->name, rr->rclass,
						   rr->type, rr->ttl,
						   rr->rdata, rr->rdlen);
		if (err)
			spsd_log(LOG_DEBUG, "%s: record %s type %u not published: %s",
				 mac, rr->name, rr->type, avahi_strerror(err));
		else
			added++;
	}
	err = added ? avahi_entry_group_commit(p->group) : 0;
	if (err)
		spsd_log(LOG_ERR, "%s: publishing failed: %s", mac,
			 avahi_strerror(err));
	if (err || !added) {
		avahi_entry_group_free(p->group);
		p->group = NULL;
	}
}

static struct spsd_publisher *spsd_publisher_get(struct spsd_avahi *a,
						 struct spsd_host *h)
{
	struct spsd_publisher *p;

	if (h->pub)
		return h->pub;
	if (a->n_pubs == a->cap_pubs) {
		size_t cap = a->cap_pubs ? 2 * a->cap_pubs : 16;
		struct spsd_publisher **n = realloc(a->pubs, cap * sizeof(*n));

		if (!n)
			return NULL;
		a->pubs = n;
		a->cap_pubs = cap;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->avahi = a;
	p->host = h;
	a->pubs[a->n_pubs++] = p;
	h->pub = p;
	return p;
}

void spsd_avahi_publish(struct spsd_avahi *a, struct spsd_host *h)
{
	struct spsd_publisher *p;

	if (!a || h->published)
		return;
	p = spsd_publisher_get(a, h);
	if (!p)
		return;
	h->published = true;
	spsd_host_group_create(p);
}

/* Frees the host's group (Avahi sends the goodbyes) and its publisher. */
void spsd_avahi_withdraw(struct spsd_avahi *a, struct spsd_host *h)
{
	struct spsd_publisher *p = h->pub;
	size_t i;

	h->published = false;
	if (!a || !p)
		return;
	if (p->group) {
		char mac[18];

		spsd_mac_str(h->mac, mac);
		spsd_log(LOG_INFO, "%s: records withdrawn", mac);
		avahi_entry_group_free(p->group);
	}
	for (i = 0; i < a->n_pubs; i++) {
		if (a->pubs[i] == p) {
			a->pubs[i] = a->pubs[--a->n_pubs];
			break;
		}
	}
	free(p);
	h->pub = NULL;
}

static void spsd_client_cb(AvahiClient *c, AvahiClientState state, void *data)
{
	struct spsd_avahi *a = data;
	size_t i;

	a->client = c;
	switch (state) {
	case AVAHI_CLIENT_S_RUNNING:
		spsd_service_publish(a);
		for (i = 0; i < a->n_pubs; i++)
			spsd_host_group_create(a->pubs[i]);
		break;
	case AVAHI_CLIENT_S_COLLISION:
	case AVAHI_CLIENT_S_REGISTERING:
		/* The daemon's own host name changes: start over after. */
		if (a->service)
			avahi_entry_group_reset(a->service);
		break;
	case AVAHI_CLIENT_CONNECTING:
		spsd_log(LOG_WARNING,
			 "avahi-daemon is not running: waiting for it");
		/* Groups die with the connection: made again once it is back. */
		if (a->service)
			avahi_entry_group_free(a->service);
		a->service = NULL;
		for (i = 0; i < a->n_pubs; i++) {
			if (a->pubs[i]->group)
				avahi_entry_group_free(a->pubs[i]->group);
			a->pubs[i]->group = NULL;
			a->pubs[i]->collided = false;
		}
		break;
	case AVAHI_CLIENT_FAILURE:
		spsd_log(LOG_ERR, "avahi: %s",
			 avahi_strerror(avahi_client_errno(c)));
		break;
	default:
		break;
	}
}

int spsd_avahi_start(struct spsd_avahi **ap, const AvahiPoll *poll,
		     const struct spsd_config *cfg,
		     const unsigned int *ifindexes, uint16_t port)
{
	struct spsd_avahi *a = calloc(1, sizeof(*a));
	char instance[64];
	int err;

	*ap = NULL;
	if (!a || spsd_config_instance(cfg, instance, sizeof(instance)) ||
	    !(a->instance = avahi_strdup(instance))) {
		free(a);
		return -1;
	}
	memcpy(a->ifindexes, ifindexes, cfg->n_ifaces * sizeof(*ifindexes));
	a->n_ifaces = cfg->n_ifaces;
	a->port = port;
	a->client = avahi_client_new(poll, AVAHI_CLIENT_NO_FAIL, spsd_client_cb,
				     a, &err);
	if (!a->client) {
		spsd_log(LOG_ERR, "avahi: %s", avahi_strerror(err));
		avahi_free(a->instance);
		free(a);
		return -1;
	}
	*ap = a;
	return 0;
}

void spsd_avahi_stop(struct spsd_avahi *a)
{
	size_t i;

	if (!a)
		return;
	for (i = 0; i < a->n_pubs; i++) {
		a->pubs[i]->host->pub = NULL;
		a->pubs[i]->host->published = false;
		free(a->pubs[i]);
	}
	free(a->pubs);
	/* Frees every group with it: the daemon withdraws their records. */
	avahi_client_free(a->client);
	avahi_free(a->instance);
	free(a);
}
