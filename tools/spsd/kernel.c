// SPDX-License-Identifier: GPL-2.0
/*
 * The module's side of a registration, through the same netlink code as
 * spctl: a host spsd registered becomes a leased host of origin "spsd",
 * and the module's view of its state tells spsd when the host has gone
 * quiet (publish its records) and when it is back (withdraw them).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netlink.h"
#include "spsd.h"

struct spsd_kernel {
	struct sp_nl *nl;
};

struct spsd_kernel_view {
	struct sp_host_list list;
};

int spsd_kernel_open(struct spsd_kernel **kp)
{
	struct spsd_kernel *k = calloc(1, sizeof(*k));

	*kp = NULL;
	if (!k)
		return -1;
	if (sp_nl_open(&k->nl)) {
		free(k);
		return -1;
	}
	sp_nl_set_quiet(k->nl, true);
	*kp = k;
	return 0;
}

void spsd_kernel_close(struct spsd_kernel *k)
{
	if (!k)
		return;
	sp_nl_close(k->nl);
	free(k);
}

static void spsd_kernel_host(struct sp_host *kh, const struct spsd_host *h)
{
	unsigned int i;

	memset(kh, 0, sizeof(*kh));
	kh->ifindex = h->ifindex;
	memcpy(kh->lladdr, h->mac, ETH_ALEN);
	for (i = 0; i < h->n_v4; i++) {
		kh->addrs[kh->n_addrs].family = AF_INET;
		kh->addrs[kh->n_addrs++].v4 = h->v4[i];
	}
	for (i = 0; i < h->n_v6; i++) {
		kh->addrs[kh->n_addrs].family = AF_INET6;
		kh->addrs[kh->n_addrs++].v6 = h->v6[i];
	}
	memcpy(kh->ports, h->ports, h->n_ports * sizeof(h->ports[0]));
	kh->n_ports = h->n_ports;
	kh->has_lease = true;
	kh->lease = h->lease;
	if (memcmp(h->wake_mac, h->mac, ETH_ALEN))
		memcpy(kh->wake_lladdr, h->wake_mac, ETH_ALEN);
	kh->password_len = h->password_len;
	memcpy(kh->password, h->password, h->password_len);
	kh->origin = SLEEPPROXY_ORIGIN_SPSD;
}

int spsd_kernel_install(struct spsd_kernel *k, const struct spsd_host *h,
			char *why, size_t size)
{
	struct sp_host kh;

	spsd_kernel_host(&kh, h);
	if (!sp_nl_host_add(k->nl, &kh))
		return 0;
	snprintf(why, size, "%s", sp_nl_strerror(k->nl));
	return -1;
}

int spsd_kernel_remove(struct spsd_kernel *k, const struct spsd_host *h)
{
	return sp_nl_host_del(k->nl, h->ifindex, h->mac);
}

struct spsd_kernel_view *spsd_kernel_snapshot(struct spsd_kernel *k)
{
	struct spsd_kernel_view *view = calloc(1, sizeof(*view));

	if (!view)
		return NULL;
	if (sp_nl_host_dump(k->nl, 0, &view->list)) {
		free(view);
		return NULL;
	}
	return view;
}

int spsd_kernel_view_state(const struct spsd_kernel_view *view,
			   const struct spsd_host *h)
{
	size_t i;

	for (i = 0; i < view->list.len; i++) {
		const struct sp_host *kh = &view->list.hosts[i];

		/* An admin who registered the host anew has taken it over. */
		if (kh->ifindex == h->ifindex &&
		    !memcmp(kh->lladdr, h->mac, ETH_ALEN))
			return kh->has_state &&
			       kh->origin == SLEEPPROXY_ORIGIN_SPSD ?
			       kh->state : -1;
	}
	return -1;
}

void spsd_kernel_view_free(struct spsd_kernel_view *view)
{
	if (!view)
		return;
	sp_host_list_free(&view->list);
	free(view);
}
