// SPDX-License-Identifier: GPL-2.0
/*
 * Who sent an update: a UDP socket does not tell the sender's link-layer
 * address, but the gateway's neighbour table does.  The sender had to
 * resolve the gateway before it could send (an ARP request or Neighbor
 * Solicitation, which leaves an entry for the sender here), so an entry
 * for the source address on the receiving interface names its MAC.
 */

#include <errno.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include "spsd.h"

/* States whose link-layer address is known to have been seen. */
#define SPSD_NUD_USABLE (NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE | \
			 NUD_PERMANENT | NUD_NOARP)

struct spsd_neigh_ctx {
	uint8_t *mac;
	bool found;
};

static int spsd_neigh_attr(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	unsigned int type = mnl_attr_get_type(attr);

	if (type == NDA_LLADDR)
		tb[type] = attr;
	return MNL_CB_OK;
}

static int spsd_neigh_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NDA_MAX + 1] = { NULL };
	struct spsd_neigh_ctx *ctx = data;
	const struct ndmsg *ndm;

	if (nlh->nlmsg_type != RTM_NEWNEIGH ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*ndm))
		return MNL_CB_OK;
	ndm = mnl_nlmsg_get_payload(nlh);
	if (!(ndm->ndm_state & SPSD_NUD_USABLE))
		return MNL_CB_OK;
	if (mnl_attr_parse(nlh, sizeof(*ndm), spsd_neigh_attr, tb) < 0)
		return MNL_CB_ERROR;
	if (!tb[NDA_LLADDR] ||
	    mnl_attr_get_payload_len(tb[NDA_LLADDR]) != ETH_ALEN)
		return MNL_CB_OK;
	memcpy(ctx->mac, mnl_attr_get_payload(tb[NDA_LLADDR]), ETH_ALEN);
	ctx->found = true;
	return MNL_CB_OK;
}

int spsd_neigh_lookup(unsigned int ifindex, const struct sockaddr *addr,
		      uint8_t mac[ETH_ALEN])
{
	char buf[8192];
	struct spsd_neigh_ctx ctx = { .mac = mac };
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	struct ndmsg *ndm;
	unsigned int seq = time(NULL), portid;
	int ret = -1, n;

	nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl)
		return -1;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		goto out;
	portid = mnl_socket_get_portid(nl);

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETNEIGH;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = seq;
	ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	ndm->ndm_family = addr->sa_family;
	ndm->ndm_ifindex = ifindex;
	if (addr->sa_family == AF_INET)
		mnl_attr_put(nlh, NDA_DST, sizeof(struct in_addr),
			     &((const struct sockaddr_in *)addr)->sin_addr);
	else
		mnl_attr_put(nlh, NDA_DST, sizeof(struct in6_addr),
			     &((const struct sockaddr_in6 *)addr)->sin6_addr);

	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		goto out;
	/* One RTM_NEWNEIGH, or an error (ENOENT: no entry). */
	n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (n > 0 && mnl_cb_run(buf, n, seq, portid, spsd_neigh_cb, &ctx) >= 0 &&
	    ctx.found)
		ret = 0;
out:
	mnl_socket_close(nl);
	return ret;
}
