// SPDX-License-Identifier: GPL-2.0
/*
 * Talking to the "sleepproxy" generic netlink family with libmnl.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "netlink.h"

/*
 * The kernel builds dump messages of up to 32 KiB when the reader's buffer
 * allows it; anything smaller than a message would truncate it.
 */
#define SP_NL_BUFSIZE		(64 * 1024)
/* How often a dump that raced with a change is tried before giving up. */
#define SP_DUMP_TRIES		5

struct sp_nl {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;
	uint16_t family;
	uint32_t events_group;	/* 0: the module has none (older) */
	/* What sp_nl_talk() saw. */
	bool dump_intr;
	bool quiet;		/* sp_nl_fail() leaves the reporting to us */
	int error;		/* errno the kernel answered with, 0: none */
	char errmsg[512];	/* its extended ACK message, "" if none */
	char buf[SP_NL_BUFSIZE];
};

typedef int (*sp_nl_cb)(const struct nlmsghdr *nlh, void *data);

/* Expected type and length of each attribute; MNL_TYPE_UNSPEC: ignored. */
struct sp_policy {
	enum mnl_attr_data_type type;
	size_t len;
};

struct sp_parse_ctx {
	const struct sp_policy *policy;
	unsigned int max;
	const struct nlattr **tb;
};

static void sp_malformed(unsigned int type)
{
	fprintf(stderr,
		"spctl: malformed attribute %u in a message from the kernel\n",
		type);
}

static int sp_attr_cb(const struct nlattr *attr, void *data)
{
	const struct sp_parse_ctx *ctx = data;
	unsigned int type = mnl_attr_get_type(attr);
	const struct sp_policy *pol;
	int ret;

	/* Attributes from a newer kernel are none of our business. */
	if (type > ctx->max)
		return MNL_CB_OK;
	pol = &ctx->policy[type];
	if (pol->type == MNL_TYPE_UNSPEC)
		return MNL_CB_OK;
	if (pol->len)
		ret = mnl_attr_validate2(attr, pol->type, pol->len);
	else
		ret = mnl_attr_validate(attr, pol->type);
	if (ret < 0) {
		sp_malformed(type);
		return MNL_CB_ERROR;
	}
	ctx->tb[type] = attr;
	return MNL_CB_OK;
}

/* Fills tb[0..max] from the attributes of a generic netlink message. */
static int sp_parse_msg(const struct nlmsghdr *nlh,
			const struct sp_policy *policy, unsigned int max,
			const struct nlattr **tb)
{
	struct sp_parse_ctx ctx = { policy, max, tb };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (mnl_attr_parse(nlh, sizeof(struct genlmsghdr), sp_attr_cb,
			   &ctx) < 0)
		return -1;
	return 0;
}

static int sp_parse_nested(const struct nlattr *nest,
			   const struct sp_policy *policy, unsigned int max,
			   const struct nlattr **tb)
{
	struct sp_parse_ctx ctx = { policy, max, tb };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (mnl_attr_parse_nested(nest, sp_attr_cb, &ctx) < 0)
		return -1;
	return 0;
}

static struct nlmsghdr *sp_nl_msg(struct sp_nl *nl, uint16_t type,
				  uint16_t flags, uint8_t cmd, uint8_t version)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++nl->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

static struct nlmsghdr *sp_msg(struct sp_nl *nl, uint16_t flags, uint8_t cmd)
{
	return sp_nl_msg(nl, nl->family, flags, cmd, SLEEPPROXY_GENL_VERSION);
}

/* Copies the extended ACK message found at offset off of the payload. */
static void sp_nl_extack(struct sp_nl *nl, const struct nlmsghdr *nlh,
			 size_t off)
{
	const struct nlattr *attr;

	nl->errmsg[0] = '\0';
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) ||
	    off > mnl_nlmsg_get_payload_len(nlh))
		return;
	mnl_attr_for_each(attr, nlh, off) {
		if (mnl_attr_get_type(attr) != NLMSGERR_ATTR_MSG ||
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
			continue;
		snprintf(nl->errmsg, sizeof(nl->errmsg), "%s",
			 mnl_attr_get_str(attr));
		return;
	}
}

/* NLMSG_ERROR: an acknowledgment (error 0) or a refusal. */
static int sp_nl_ack(struct sp_nl *nl, const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	size_t off = sizeof(*err);

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*err)) {
		fprintf(stderr, "spctl: truncated netlink acknowledgment\n");
		return -1;
	}
	/* Unless capped, the request itself sits between error and TLVs. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
	    err->msg.nlmsg_len > sizeof(struct nlmsghdr))
		off += err->msg.nlmsg_len - sizeof(struct nlmsghdr);
	sp_nl_extack(nl, nlh, off);
	if (!err->error) {
		if (nl->errmsg[0])
			fprintf(stderr, "Warning: %s\n", nl->errmsg);
		nl->errmsg[0] = '\0';
		return 0;
	}
	nl->error = err->error < 0 ? -err->error : err->error;
	return -1;
}

/* NLMSG_DONE: the end of a dump, which carries the dump's own error. */
static int sp_nl_done(struct sp_nl *nl, const struct nlmsghdr *nlh)
{
	int error;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(error))
		return 0;
	memcpy(&error, mnl_nlmsg_get_payload(nlh), sizeof(error));
	sp_nl_extack(nl, nlh, sizeof(error));
	if (!error) {
		if (nl->errmsg[0])
			fprintf(stderr, "Warning: %s\n", nl->errmsg);
		nl->errmsg[0] = '\0';
		return 0;
	}
	nl->error = error < 0 ? -error : error;
	return -1;
}

/*
 * Sends req and reads until its acknowledgment, its error or the end of
 * its dump, handing every reply to cb.  Returns 0 or -1; on a local
 * failure the message is already printed and nl->error is 0, on a refusal
 * nl->error and nl->errmsg say why (see sp_nl_fail()).
 */
static int sp_nl_talk(struct sp_nl *nl, struct nlmsghdr *req, sp_nl_cb cb,
		      void *data)
{
	uint32_t seq = req->nlmsg_seq;
	uint16_t type = req->nlmsg_type;

	nl->dump_intr = false;
	nl->error = 0;
	nl->errmsg[0] = '\0';
	if (mnl_socket_sendto(nl->sock, req, req->nlmsg_len) < 0) {
		fprintf(stderr, "spctl: cannot send a netlink request: %s\n",
			strerror(errno));
		return -1;
	}

	for (;;) {
		const struct nlmsghdr *nlh;
		ssize_t ret;
		int len;

		ret = mnl_socket_recvfrom(nl->sock, nl->buf, sizeof(nl->buf));
		if (ret < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr,
				"spctl: cannot receive a netlink reply: %s\n",
				strerror(errno));
			return -1;
		}
		len = ret;
		for (nlh = (const struct nlmsghdr *)nl->buf;
		     mnl_nlmsg_ok(nlh, len);
		     nlh = mnl_nlmsg_next(nlh, &len)) {
			/* Leftovers of an earlier request are skipped. */
			if (nlh->nlmsg_seq != seq ||
			    (nlh->nlmsg_pid && nlh->nlmsg_pid != nl->portid))
				continue;
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				nl->dump_intr = true;
			switch (nlh->nlmsg_type) {
			case NLMSG_NOOP:
				continue;
			case NLMSG_ERROR:
				return sp_nl_ack(nl, nlh);
			case NLMSG_DONE:
				return sp_nl_done(nl, nlh);
			case NLMSG_OVERRUN:
				fprintf(stderr, "spctl: netlink overrun\n");
				return -1;
			}
			if (nlh->nlmsg_type != type || !cb)
				continue;
			if (cb(nlh, data) < 0)
				return -1;
		}
	}
}

/* Reports what sp_nl_talk() failed on, if it has not already done so. */
static int sp_nl_fail(const struct sp_nl *nl)
{
	if (!nl->error || nl->quiet)
		return -1;
	if (nl->errmsg[0])
		fprintf(stderr, "Error: %s\n", nl->errmsg);
	else
		fprintf(stderr, "Error: %s\n", strerror(nl->error));
	return -1;
}

static const struct sp_policy sp_ctrl_policy[CTRL_ATTR_MAX + 1] = {
	[CTRL_ATTR_FAMILY_ID]	= { MNL_TYPE_U16, 0 },
	[CTRL_ATTR_FAMILY_NAME]	= { MNL_TYPE_NUL_STRING, 0 },
	[CTRL_ATTR_MCAST_GROUPS] = { MNL_TYPE_NESTED, 0 },
};

static const struct sp_policy sp_mcgrp_policy[CTRL_ATTR_MCAST_GRP_MAX + 1] = {
	[CTRL_ATTR_MCAST_GRP_NAME]	= { MNL_TYPE_NUL_STRING, 0 },
	[CTRL_ATTR_MCAST_GRP_ID]	= { MNL_TYPE_U32, 0 },
};

struct sp_family_info {
	uint16_t id;
	uint32_t events_group;
};

static int sp_family_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct sp_family_info *info = data;
	const struct nlattr *grp;

	if (sp_parse_msg(nlh, sp_ctrl_policy, CTRL_ATTR_MAX, tb))
		return -1;
	if (tb[CTRL_ATTR_FAMILY_ID])
		info->id = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (!tb[CTRL_ATTR_MCAST_GROUPS])
		return 0;
	mnl_attr_for_each_nested(grp, tb[CTRL_ATTR_MCAST_GROUPS]) {
		const struct nlattr *g[CTRL_ATTR_MCAST_GRP_MAX + 1];

		if (sp_parse_nested(grp, sp_mcgrp_policy,
				    CTRL_ATTR_MCAST_GRP_MAX, g))
			return -1;
		if (g[CTRL_ATTR_MCAST_GRP_NAME] && g[CTRL_ATTR_MCAST_GRP_ID] &&
		    !strcmp(mnl_attr_get_str(g[CTRL_ATTR_MCAST_GRP_NAME]),
			    SLEEPPROXY_MCGRP_EVENTS))
			info->events_group =
				mnl_attr_get_u32(g[CTRL_ATTR_MCAST_GRP_ID]);
	}
	return 0;
}

static int sp_nl_resolve(struct sp_nl *nl)
{
	struct sp_family_info info = { 0 };
	struct nlmsghdr *nlh;

	nlh = sp_nl_msg(nl, GENL_ID_CTRL, NLM_F_ACK, CTRL_CMD_GETFAMILY, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, SLEEPPROXY_GENL_NAME);
	if (sp_nl_talk(nl, nlh, sp_family_cb, &info)) {
		if (nl->error != ENOENT)
			return sp_nl_fail(nl);
		info.id = 0;
	}
	if (!info.id) {
		fprintf(stderr,
			"spctl: the sleepproxy module is not loaded (no \"%s\" generic netlink family)\n",
			SLEEPPROXY_GENL_NAME);
		return -1;
	}
	nl->family = info.id;
	nl->events_group = info.events_group;
	return 0;
}

int sp_nl_open(struct sp_nl **nlp)
{
	struct sp_nl *nl;
	int one = 1;

	*nlp = NULL;
	nl = calloc(1, sizeof(*nl));
	if (!nl) {
		fprintf(stderr, "spctl: out of memory\n");
		return -1;
	}
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock) {
		fprintf(stderr, "spctl: cannot open a netlink socket: %s\n",
			strerror(errno));
		goto err;
	}
	/* Both are refinements: a kernel without them still works. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		fprintf(stderr, "spctl: cannot bind a netlink socket: %s\n",
			strerror(errno));
		goto err;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = time(NULL);
	if (sp_nl_resolve(nl))
		goto err;
	*nlp = nl;
	return 0;
err:
	sp_nl_close(nl);
	return -1;
}

void sp_nl_set_quiet(struct sp_nl *nl, bool quiet)
{
	nl->quiet = quiet;
}

int sp_nl_errno(const struct sp_nl *nl)
{
	return nl->error;
}

const char *sp_nl_strerror(const struct sp_nl *nl)
{
	if (nl->errmsg[0])
		return nl->errmsg;
	return nl->error ? strerror(nl->error) : "no answer from the kernel";
}

void sp_nl_close(struct sp_nl *nl)
{
	if (!nl)
		return;
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl);
}

static const uint8_t sp_zero_mac[ETH_ALEN];

int sp_nl_host_add(struct sp_nl *nl, const struct sp_host *host)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	unsigned int i;

	nlh = sp_msg(nl, NLM_F_ACK, SLEEPPROXY_CMD_HOST_NEW);
	mnl_attr_put_u32(nlh, SLEEPPROXY_A_HOST_IFINDEX, host->ifindex);
	mnl_attr_put(nlh, SLEEPPROXY_A_HOST_LLADDR, ETH_ALEN, host->lladdr);

	nest = mnl_attr_nest_start(nlh, SLEEPPROXY_A_HOST_ADDRS);
	for (i = 0; i < host->n_addrs; i++) {
		const struct sp_addr *a = &host->addrs[i];

		if (a->family == AF_INET)
			mnl_attr_put(nlh, SLEEPPROXY_A_ADDR_IPV4,
				     sizeof(a->v4), &a->v4);
		else
			mnl_attr_put(nlh, SLEEPPROXY_A_ADDR_IPV6,
				     sizeof(a->v6), &a->v6);
	}
	mnl_attr_nest_end(nlh, nest);

	if (host->n_ports) {
		nest = mnl_attr_nest_start(nlh, SLEEPPROXY_A_HOST_TCP_PORTS);
		for (i = 0; i < host->n_ports; i++)
			mnl_attr_put_u16(nlh, SLEEPPROXY_A_PORT,
					 host->ports[i]);
		mnl_attr_nest_end(nlh, nest);
	}
	if (host->flags)
		mnl_attr_put_u32(nlh, SLEEPPROXY_A_HOST_FLAGS, host->flags);
	if (host->wake_count)
		mnl_attr_put_u8(nlh, SLEEPPROXY_A_HOST_WAKE_COUNT,
				host->wake_count);
	if (host->has_lease)
		mnl_attr_put_u32(nlh, SLEEPPROXY_A_HOST_LEASE, host->lease);
	if (host->has_wake_timeout)
		mnl_attr_put_u32(nlh, SLEEPPROXY_A_HOST_WAKE_TIMEOUT,
				 host->wake_timeout);
	if (memcmp(host->wake_lladdr, sp_zero_mac, ETH_ALEN))
		mnl_attr_put(nlh, SLEEPPROXY_A_HOST_WAKE_LLADDR, ETH_ALEN,
			     host->wake_lladdr);
	if (host->password_len)
		mnl_attr_put(nlh, SLEEPPROXY_A_HOST_WAKE_PASSWORD,
			     host->password_len, host->password);
	if (host->origin != SLEEPPROXY_ORIGIN_ADMIN)
		mnl_attr_put_u8(nlh, SLEEPPROXY_A_HOST_ORIGIN, host->origin);

	if (sp_nl_talk(nl, nlh, NULL, NULL))
		return sp_nl_fail(nl);
	return 0;
}

int sp_nl_host_del(struct sp_nl *nl, uint32_t ifindex,
		   const uint8_t lladdr[ETH_ALEN])
{
	struct nlmsghdr *nlh;

	nlh = sp_msg(nl, NLM_F_ACK, SLEEPPROXY_CMD_HOST_DEL);
	mnl_attr_put_u32(nlh, SLEEPPROXY_A_HOST_IFINDEX, ifindex);
	mnl_attr_put(nlh, SLEEPPROXY_A_HOST_LLADDR, ETH_ALEN, lladdr);
	if (sp_nl_talk(nl, nlh, NULL, NULL))
		return sp_nl_fail(nl);
	return 0;
}

int sp_nl_wake(struct sp_nl *nl, uint32_t ifindex,
	       const uint8_t lladdr[ETH_ALEN], const uint8_t *password,
	       unsigned int password_len)
{
	struct nlmsghdr *nlh;

	nlh = sp_msg(nl, NLM_F_ACK, SLEEPPROXY_CMD_WAKE);
	mnl_attr_put_u32(nlh, SLEEPPROXY_A_HOST_IFINDEX, ifindex);
	mnl_attr_put(nlh, SLEEPPROXY_A_HOST_LLADDR, ETH_ALEN, lladdr);
	if (password_len)
		mnl_attr_put(nlh, SLEEPPROXY_A_HOST_WAKE_PASSWORD, password_len,
			     password);
	if (sp_nl_talk(nl, nlh, NULL, NULL))
		return sp_nl_fail(nl);
	return 0;
}

static const struct sp_policy sp_host_policy[SLEEPPROXY_A_HOST_MAX + 1] = {
	[SLEEPPROXY_A_HOST_ID]		= { MNL_TYPE_U32, 0 },
	[SLEEPPROXY_A_HOST_IFINDEX]	= { MNL_TYPE_U32, 0 },
	[SLEEPPROXY_A_HOST_IFNAME]	= { MNL_TYPE_NUL_STRING, 0 },
	[SLEEPPROXY_A_HOST_LLADDR]	= { MNL_TYPE_BINARY, ETH_ALEN },
	[SLEEPPROXY_A_HOST_ADDRS]	= { MNL_TYPE_NESTED, 0 },
	[SLEEPPROXY_A_HOST_TCP_PORTS]	= { MNL_TYPE_NESTED, 0 },
	[SLEEPPROXY_A_HOST_FLAGS]	= { MNL_TYPE_U32, 0 },
	[SLEEPPROXY_A_HOST_WAKE_COUNT]	= { MNL_TYPE_U8, 0 },
	[SLEEPPROXY_A_HOST_LEASE]	= { MNL_TYPE_U32, 0 },
	[SLEEPPROXY_A_HOST_STATE]	= { MNL_TYPE_U8, 0 },
	[SLEEPPROXY_A_HOST_STATE_AGE]	= { MNL_TYPE_U32, 0 },
	[SLEEPPROXY_A_HOST_STATS]	= { MNL_TYPE_NESTED, 0 },
	[SLEEPPROXY_A_HOST_LEASE_LEFT]	= { MNL_TYPE_U32, 0 },
	[SLEEPPROXY_A_HOST_CONFLICTS]	= { MNL_TYPE_NESTED, 0 },
	[SLEEPPROXY_A_HOST_WAKE_LLADDR]	= { MNL_TYPE_BINARY, ETH_ALEN },
	/* 4 or 6 bytes: sp_parse_host() checks. */
	[SLEEPPROXY_A_HOST_WAKE_PASSWORD] = { MNL_TYPE_BINARY, 0 },
	[SLEEPPROXY_A_HOST_ORIGIN]	= { MNL_TYPE_U8, 0 },
	[SLEEPPROXY_A_HOST_LAST_WAKE_MS] = { MNL_TYPE_U32, 0 },
	[SLEEPPROXY_A_HOST_WAKE_TIMEOUT] = { MNL_TYPE_U32, 0 },
	[SLEEPPROXY_A_HOST_WAKES]	= { MNL_TYPE_NESTED, 0 },
	/* Up to SLEEPPROXY_WAKE_FRAME_MAX bytes: sp_parse_host() checks. */
	[SLEEPPROXY_A_HOST_WAKE_FRAME]	= { MNL_TYPE_BINARY, 0 },
};

static const struct sp_policy sp_wake_policy[SLEEPPROXY_A_WAKE_MAX + 1] = {
	[SLEEPPROXY_A_WAKE_REASON]	= { MNL_TYPE_U8, 0 },
	[SLEEPPROXY_A_WAKE_AGE_MS]	= { MNL_TYPE_U64, 0 },
	[SLEEPPROXY_A_WAKE_SENT]	= { MNL_TYPE_U8, 0 },
	[SLEEPPROXY_A_WAKE_SRC_LLADDR]	= { MNL_TYPE_BINARY, ETH_ALEN },
	[SLEEPPROXY_A_WAKE_SRC_IPV4]	= { MNL_TYPE_BINARY, 4 },
	[SLEEPPROXY_A_WAKE_SRC_IPV6]	= { MNL_TYPE_BINARY, 16 },
	[SLEEPPROXY_A_WAKE_SRC_PORT]	= { MNL_TYPE_U16, 0 },
	[SLEEPPROXY_A_WAKE_DST_PORT]	= { MNL_TYPE_U16, 0 },
	[SLEEPPROXY_A_WAKE_VIA]		= { MNL_TYPE_U8, 0 },
	[SLEEPPROXY_A_WAKE_IIFINDEX]	= { MNL_TYPE_U32, 0 },
};

/* The wake log, newest first; more entries than fit are dropped. */
static int sp_parse_wakes(const struct nlattr *nest, struct sp_host *host,
			  bool *truncated)
{
	const struct nlattr *attr;

	mnl_attr_for_each_nested(attr, nest) {
		const struct nlattr *tb[SLEEPPROXY_A_WAKE_MAX + 1];
		struct sp_wake *w;

		if (mnl_attr_get_type(attr) != SLEEPPROXY_A_WAKE)
			continue;
		if (host->n_wakes == SLEEPPROXY_WAKES_KEPT) {
			*truncated = true;
			break;
		}
		if (sp_parse_nested(attr, sp_wake_policy,
				    SLEEPPROXY_A_WAKE_MAX, tb))
			return -1;
		w = &host->wakes[host->n_wakes++];
		memset(w, 0, sizeof(*w));
		if (tb[SLEEPPROXY_A_WAKE_REASON])
			w->reason = mnl_attr_get_u8(tb[SLEEPPROXY_A_WAKE_REASON]);
		if (tb[SLEEPPROXY_A_WAKE_AGE_MS])
			w->age_ms = mnl_attr_get_u64(tb[SLEEPPROXY_A_WAKE_AGE_MS]);
		if (tb[SLEEPPROXY_A_WAKE_SENT])
			w->sent = mnl_attr_get_u8(tb[SLEEPPROXY_A_WAKE_SENT]);
		if (tb[SLEEPPROXY_A_WAKE_SRC_IPV4]) {
			w->has_src = true;
			w->src.family = AF_INET;
			memcpy(&w->src.v4,
			       mnl_attr_get_payload(tb[SLEEPPROXY_A_WAKE_SRC_IPV4]),
			       sizeof(w->src.v4));
		} else if (tb[SLEEPPROXY_A_WAKE_SRC_IPV6]) {
			w->has_src = true;
			w->src.family = AF_INET6;
			memcpy(&w->src.v6,
			       mnl_attr_get_payload(tb[SLEEPPROXY_A_WAKE_SRC_IPV6]),
			       sizeof(w->src.v6));
		}
		if (tb[SLEEPPROXY_A_WAKE_SRC_LLADDR]) {
			w->has_src_lladdr = true;
			memcpy(w->src_lladdr,
			       mnl_attr_get_payload(tb[SLEEPPROXY_A_WAKE_SRC_LLADDR]),
			       ETH_ALEN);
		}
		if (tb[SLEEPPROXY_A_WAKE_VIA]) {
			w->has_via = true;
			w->via = mnl_attr_get_u8(tb[SLEEPPROXY_A_WAKE_VIA]);
		}
		if (tb[SLEEPPROXY_A_WAKE_IIFINDEX])
			w->iifindex =
				mnl_attr_get_u32(tb[SLEEPPROXY_A_WAKE_IIFINDEX]);
		if (tb[SLEEPPROXY_A_WAKE_SRC_PORT])
			w->sport = mnl_attr_get_u16(tb[SLEEPPROXY_A_WAKE_SRC_PORT]);
		if (tb[SLEEPPROXY_A_WAKE_DST_PORT])
			w->dport = mnl_attr_get_u16(tb[SLEEPPROXY_A_WAKE_DST_PORT]);
	}
	return 0;
}

static const struct sp_policy
sp_host_stat_policy[SLEEPPROXY_A_HOST_STAT_MAX + 1] = {
	[SLEEPPROXY_A_HOST_STAT_ARP_REQUESTS]	= { MNL_TYPE_U64, 0 },
	[SLEEPPROXY_A_HOST_STAT_ARP_REPLIES]	= { MNL_TYPE_U64, 0 },
	[SLEEPPROXY_A_HOST_STAT_GARP_SENT]	= { MNL_TYPE_U64, 0 },
	[SLEEPPROXY_A_HOST_STAT_SYN_WAKE]	= { MNL_TYPE_U64, 0 },
	[SLEEPPROXY_A_HOST_STAT_SYN_OTHER]	= { MNL_TYPE_U64, 0 },
	[SLEEPPROXY_A_HOST_STAT_WAKES]		= { MNL_TYPE_U64, 0 },
	[SLEEPPROXY_A_HOST_STAT_MAGIC_SENT]	= { MNL_TYPE_U64, 0 },
	[SLEEPPROXY_A_HOST_STAT_AWAKE]		= { MNL_TYPE_U64, 0 },
	[SLEEPPROXY_A_HOST_STAT_AWAKE_PROBES]	= { MNL_TYPE_U64, 0 },
	[SLEEPPROXY_A_HOST_STAT_NS_REQUESTS]	= { MNL_TYPE_U64, 0 },
	[SLEEPPROXY_A_HOST_STAT_NA_REPLIES]	= { MNL_TYPE_U64, 0 },
	[SLEEPPROXY_A_HOST_STAT_NA_UNSOLICITED]	= { MNL_TYPE_U64, 0 },
	[SLEEPPROXY_A_HOST_STAT_DROPPED]	= { MNL_TYPE_U64, 0 },
	[SLEEPPROXY_A_HOST_STAT_ECHO_REPLIES]	= { MNL_TYPE_U64, 0 },
	[SLEEPPROXY_A_HOST_STAT_LEASE_WAKES]	= { MNL_TYPE_U64, 0 },
	[SLEEPPROXY_A_HOST_STAT_CONFLICTS]	= { MNL_TYPE_U64, 0 },
	[SLEEPPROXY_A_HOST_STAT_WAKES_SUPPRESSED] = { MNL_TYPE_U64, 0 },
	[SLEEPPROXY_A_HOST_STAT_OFFLOAD_FRAMES]	= { MNL_TYPE_U64, 0 },
	[SLEEPPROXY_A_HOST_STAT_MAGIC_RELAYED]	= { MNL_TYPE_U64, 0 },
	[SLEEPPROXY_A_HOST_STAT_SYN_HELD]	= { MNL_TYPE_U64, 0 },
	[SLEEPPROXY_A_HOST_STAT_SYN_REPLAYED]	= { MNL_TYPE_U64, 0 },
	[SLEEPPROXY_A_HOST_STAT_SYN_EXPIRED]	= { MNL_TYPE_U64, 0 },
	[SLEEPPROXY_A_HOST_STAT_SYN_DROPPED]	= { MNL_TYPE_U64, 0 },
	[SLEEPPROXY_A_HOST_STAT_WAKE_ROUNDS]	= { MNL_TYPE_U64, 0 },
	[SLEEPPROXY_A_HOST_STAT_WAKES_FAILED]	= { MNL_TYPE_U64, 0 },
};

struct sp_dump_ctx {
	struct sp_host_list *list;
	bool truncated;
};

static uint64_t sp_get_u64(const struct nlattr *attr)
{
	return attr ? mnl_attr_get_u64(attr) : 0;
}

/* An address list (SLEEPPROXY_A_HOST_ADDRS or _CONFLICTS) into addrs[]. */
static int sp_parse_addrs(const struct nlattr *nest,
			  struct sp_addr addrs[SP_MAX_ADDRS], unsigned int *n,
			  bool *truncated)
{
	const struct nlattr *attr;

	mnl_attr_for_each_nested(attr, nest) {
		unsigned int type = mnl_attr_get_type(attr);
		struct sp_addr *a;
		size_t len;
		int family;

		if (type == SLEEPPROXY_A_ADDR_IPV4) {
			family = AF_INET;
			len = sizeof(a->v4);
		} else if (type == SLEEPPROXY_A_ADDR_IPV6) {
			family = AF_INET6;
			len = sizeof(a->v6);
		} else {
			continue;
		}
		if (mnl_attr_validate2(attr, MNL_TYPE_BINARY, len) < 0) {
			sp_malformed(type);
			return -1;
		}
		if (*n == SP_MAX_ADDRS) {
			*truncated = true;
			continue;
		}
		a = &addrs[(*n)++];
		a->family = family;
		memcpy(family == AF_INET ? (void *)&a->v4 : (void *)&a->v6,
		       mnl_attr_get_payload(attr), len);
	}
	return 0;
}

static int sp_parse_ports(const struct nlattr *nest, struct sp_host *host,
			  bool *truncated)
{
	const struct nlattr *attr;

	mnl_attr_for_each_nested(attr, nest) {
		if (mnl_attr_get_type(attr) != SLEEPPROXY_A_PORT)
			continue;
		if (mnl_attr_validate(attr, MNL_TYPE_U16) < 0) {
			sp_malformed(SLEEPPROXY_A_PORT);
			return -1;
		}
		if (host->n_ports == SLEEPPROXY_MAX_PORTS) {
			*truncated = true;
			continue;
		}
		host->ports[host->n_ports++] = mnl_attr_get_u16(attr);
	}
	return 0;
}

static int sp_parse_host_stats(const struct nlattr *nest,
			       struct sp_host_stats *st)
{
	const struct nlattr *tb[SLEEPPROXY_A_HOST_STAT_MAX + 1];

	if (sp_parse_nested(nest, sp_host_stat_policy,
			    SLEEPPROXY_A_HOST_STAT_MAX, tb))
		return -1;
	st->arp_requests = sp_get_u64(tb[SLEEPPROXY_A_HOST_STAT_ARP_REQUESTS]);
	st->arp_replies = sp_get_u64(tb[SLEEPPROXY_A_HOST_STAT_ARP_REPLIES]);
	st->garp_sent = sp_get_u64(tb[SLEEPPROXY_A_HOST_STAT_GARP_SENT]);
	st->syn_wake = sp_get_u64(tb[SLEEPPROXY_A_HOST_STAT_SYN_WAKE]);
	st->syn_other = sp_get_u64(tb[SLEEPPROXY_A_HOST_STAT_SYN_OTHER]);
	st->wakes = sp_get_u64(tb[SLEEPPROXY_A_HOST_STAT_WAKES]);
	st->magic_sent = sp_get_u64(tb[SLEEPPROXY_A_HOST_STAT_MAGIC_SENT]);
	st->awake = sp_get_u64(tb[SLEEPPROXY_A_HOST_STAT_AWAKE]);
	st->awake_probes = sp_get_u64(tb[SLEEPPROXY_A_HOST_STAT_AWAKE_PROBES]);
	st->ns_requests = sp_get_u64(tb[SLEEPPROXY_A_HOST_STAT_NS_REQUESTS]);
	st->na_replies = sp_get_u64(tb[SLEEPPROXY_A_HOST_STAT_NA_REPLIES]);
	st->na_unsolicited =
		sp_get_u64(tb[SLEEPPROXY_A_HOST_STAT_NA_UNSOLICITED]);
	st->dropped = sp_get_u64(tb[SLEEPPROXY_A_HOST_STAT_DROPPED]);
	st->echo_replies = sp_get_u64(tb[SLEEPPROXY_A_HOST_STAT_ECHO_REPLIES]);
	st->lease_wakes = sp_get_u64(tb[SLEEPPROXY_A_HOST_STAT_LEASE_WAKES]);
	st->conflicts = sp_get_u64(tb[SLEEPPROXY_A_HOST_STAT_CONFLICTS]);
	st->wakes_suppressed =
		sp_get_u64(tb[SLEEPPROXY_A_HOST_STAT_WAKES_SUPPRESSED]);
	st->offload_frames =
		sp_get_u64(tb[SLEEPPROXY_A_HOST_STAT_OFFLOAD_FRAMES]);
	st->magic_relayed =
		sp_get_u64(tb[SLEEPPROXY_A_HOST_STAT_MAGIC_RELAYED]);
	st->syn_held = sp_get_u64(tb[SLEEPPROXY_A_HOST_STAT_SYN_HELD]);
	st->syn_replayed = sp_get_u64(tb[SLEEPPROXY_A_HOST_STAT_SYN_REPLAYED]);
	st->syn_expired = sp_get_u64(tb[SLEEPPROXY_A_HOST_STAT_SYN_EXPIRED]);
	st->syn_dropped = sp_get_u64(tb[SLEEPPROXY_A_HOST_STAT_SYN_DROPPED]);
	st->wake_rounds = sp_get_u64(tb[SLEEPPROXY_A_HOST_STAT_WAKE_ROUNDS]);
	st->wakes_failed =
		sp_get_u64(tb[SLEEPPROXY_A_HOST_STAT_WAKES_FAILED]);
	return 0;
}

/* Left out for a requester without CAP_NET_ADMIN: then we see none. */
static int sp_parse_password(const struct nlattr *attr, struct sp_host *host)
{
	size_t len = mnl_attr_get_payload_len(attr);

	if (len != 4 && len != SP_PASSWORD_MAX) {
		sp_malformed(SLEEPPROXY_A_HOST_WAKE_PASSWORD);
		return -1;
	}
	memcpy(host->password, mnl_attr_get_payload(attr), len);
	host->password_len = len;
	return 0;
}

static int sp_parse_host(const struct nlmsghdr *nlh, struct sp_host *host,
			 bool *truncated)
{
	const struct nlattr *tb[SLEEPPROXY_A_HOST_MAX + 1];

	memset(host, 0, sizeof(*host));
	if (sp_parse_msg(nlh, sp_host_policy, SLEEPPROXY_A_HOST_MAX, tb))
		return -1;
	if (tb[SLEEPPROXY_A_HOST_ID])
		host->id = mnl_attr_get_u32(tb[SLEEPPROXY_A_HOST_ID]);
	if (tb[SLEEPPROXY_A_HOST_IFINDEX])
		host->ifindex = mnl_attr_get_u32(tb[SLEEPPROXY_A_HOST_IFINDEX]);
	if (tb[SLEEPPROXY_A_HOST_IFNAME])
		snprintf(host->ifname, sizeof(host->ifname), "%s",
			 mnl_attr_get_str(tb[SLEEPPROXY_A_HOST_IFNAME]));
	if (tb[SLEEPPROXY_A_HOST_LLADDR])
		memcpy(host->lladdr,
		       mnl_attr_get_payload(tb[SLEEPPROXY_A_HOST_LLADDR]),
		       ETH_ALEN);
	if (tb[SLEEPPROXY_A_HOST_ADDRS] &&
	    sp_parse_addrs(tb[SLEEPPROXY_A_HOST_ADDRS], host->addrs,
			   &host->n_addrs, truncated))
		return -1;
	if (tb[SLEEPPROXY_A_HOST_CONFLICTS] &&
	    sp_parse_addrs(tb[SLEEPPROXY_A_HOST_CONFLICTS], host->conflicts,
			   &host->n_conflicts, truncated))
		return -1;
	if (tb[SLEEPPROXY_A_HOST_TCP_PORTS] &&
	    sp_parse_ports(tb[SLEEPPROXY_A_HOST_TCP_PORTS], host, truncated))
		return -1;
	if (tb[SLEEPPROXY_A_HOST_FLAGS])
		host->flags = mnl_attr_get_u32(tb[SLEEPPROXY_A_HOST_FLAGS]);
	if (tb[SLEEPPROXY_A_HOST_WAKE_COUNT])
		host->wake_count =
			mnl_attr_get_u8(tb[SLEEPPROXY_A_HOST_WAKE_COUNT]);
	if (tb[SLEEPPROXY_A_HOST_LEASE]) {
		host->has_lease = true;
		host->lease = mnl_attr_get_u32(tb[SLEEPPROXY_A_HOST_LEASE]);
	}
	if (tb[SLEEPPROXY_A_HOST_WAKE_TIMEOUT]) {
		host->has_wake_timeout = true;
		host->wake_timeout =
			mnl_attr_get_u32(tb[SLEEPPROXY_A_HOST_WAKE_TIMEOUT]);
	}
	/* Left out by the module once nothing is left. */
	if (tb[SLEEPPROXY_A_HOST_LEASE_LEFT])
		host->lease_left =
			mnl_attr_get_u32(tb[SLEEPPROXY_A_HOST_LEASE_LEFT]);
	if (tb[SLEEPPROXY_A_HOST_STATE]) {
		host->has_state = true;
		host->state = mnl_attr_get_u8(tb[SLEEPPROXY_A_HOST_STATE]);
	}
	if (tb[SLEEPPROXY_A_HOST_STATE_AGE])
		host->state_age_ms =
			mnl_attr_get_u32(tb[SLEEPPROXY_A_HOST_STATE_AGE]);
	if (tb[SLEEPPROXY_A_HOST_STATS] &&
	    sp_parse_host_stats(tb[SLEEPPROXY_A_HOST_STATS], &host->stats))
		return -1;
	if (tb[SLEEPPROXY_A_HOST_WAKE_LLADDR])
		memcpy(host->wake_lladdr,
		       mnl_attr_get_payload(tb[SLEEPPROXY_A_HOST_WAKE_LLADDR]),
		       ETH_ALEN);
	if (tb[SLEEPPROXY_A_HOST_WAKE_PASSWORD] &&
	    sp_parse_password(tb[SLEEPPROXY_A_HOST_WAKE_PASSWORD], host))
		return -1;
	if (tb[SLEEPPROXY_A_HOST_ORIGIN])
		host->origin = mnl_attr_get_u8(tb[SLEEPPROXY_A_HOST_ORIGIN]);
	if (tb[SLEEPPROXY_A_HOST_LAST_WAKE_MS])
		host->last_wake_ms =
			mnl_attr_get_u32(tb[SLEEPPROXY_A_HOST_LAST_WAKE_MS]);
	if (tb[SLEEPPROXY_A_HOST_WAKES] &&
	    sp_parse_wakes(tb[SLEEPPROXY_A_HOST_WAKES], host, truncated))
		return -1;
	if (tb[SLEEPPROXY_A_HOST_WAKE_FRAME]) {
		const struct nlattr *a = tb[SLEEPPROXY_A_HOST_WAKE_FRAME];
		size_t len = mnl_attr_get_payload_len(a);

		if (len > sizeof(host->wake_frame)) {
			sp_malformed(SLEEPPROXY_A_HOST_WAKE_FRAME);
			return -1;
		}
		memcpy(host->wake_frame, mnl_attr_get_payload(a), len);
		host->wake_frame_len = len;
	}
	return 0;
}

static int sp_host_cb(const struct nlmsghdr *nlh, void *data)
{
	struct sp_dump_ctx *ctx = data;
	struct sp_host_list *list = ctx->list;

	if (list->len == list->cap) {
		size_t cap = list->cap ? 2 * list->cap : 16;
		struct sp_host *hosts;

		hosts = reallocarray(list->hosts, cap, sizeof(*hosts));
		if (!hosts) {
			fprintf(stderr, "spctl: out of memory\n");
			return -1;
		}
		list->hosts = hosts;
		list->cap = cap;
	}
	if (sp_parse_host(nlh, &list->hosts[list->len], &ctx->truncated))
		return -1;
	list->len++;
	return 0;
}

int sp_nl_host_dump(struct sp_nl *nl, uint32_t ifindex,
		    struct sp_host_list *list)
{
	struct sp_dump_ctx ctx = { .list = list };
	int tries;

	list->truncated = false;
	list->inconsistent = false;
	for (tries = 1; ; tries++) {
		struct nlmsghdr *nlh;

		list->len = 0;
		ctx.truncated = false;
		nlh = sp_msg(nl, NLM_F_DUMP, SLEEPPROXY_CMD_HOST_GET);
		if (ifindex)
			mnl_attr_put_u32(nlh, SLEEPPROXY_A_HOST_IFINDEX,
					 ifindex);
		if (sp_nl_talk(nl, nlh, sp_host_cb, &ctx))
			return sp_nl_fail(nl);
		if (!nl->dump_intr)
			break;
		if (tries == SP_DUMP_TRIES) {
			list->inconsistent = true;
			fprintf(stderr,
				"spctl: warning: the hosts kept changing during %d dumps, the list may be inconsistent\n",
				SP_DUMP_TRIES);
			break;
		}
	}
	list->truncated = ctx.truncated;
	if (ctx.truncated)
		fprintf(stderr,
			"spctl: warning: some hosts have more addresses or ports than spctl can show\n");
	return 0;
}

void sp_host_list_free(struct sp_host_list *list)
{
	free(list->hosts);
	list->hosts = NULL;
	list->len = 0;
	list->cap = 0;
}

static const struct sp_policy sp_stats_policy[SLEEPPROXY_A_STATS_MAX + 1] = {
	[SLEEPPROXY_A_STATS_HOSTS]		= { MNL_TYPE_U32, 0 },
	[SLEEPPROXY_A_STATS_RX_FRAMES]		= { MNL_TYPE_U64, 0 },
	[SLEEPPROXY_A_STATS_DROP_ARP_MALFORMED]	= { MNL_TYPE_U64, 0 },
	[SLEEPPROXY_A_STATS_DROP_IPV4_MALFORMED] = { MNL_TYPE_U64, 0 },
	[SLEEPPROXY_A_STATS_DROP_IPV4_FRAGMENT]	= { MNL_TYPE_U64, 0 },
	[SLEEPPROXY_A_STATS_DROP_IPV4_SRCROUTE]	= { MNL_TYPE_U64, 0 },
	[SLEEPPROXY_A_STATS_DROP_TCP_MALFORMED]	= { MNL_TYPE_U64, 0 },
	[SLEEPPROXY_A_STATS_TX_ERRORS]		= { MNL_TYPE_U64, 0 },
	[SLEEPPROXY_A_STATS_DROP_IPV6_MALFORMED] = { MNL_TYPE_U64, 0 },
	[SLEEPPROXY_A_STATS_DROP_IPV6_FRAGMENT]	= { MNL_TYPE_U64, 0 },
	[SLEEPPROXY_A_STATS_DROP_IPV6_SRCROUTE]	= { MNL_TYPE_U64, 0 },
	[SLEEPPROXY_A_STATS_DROP_ND_MALFORMED]	= { MNL_TYPE_U64, 0 },
	[SLEEPPROXY_A_STATS_DROP_ICMP_MALFORMED] = { MNL_TYPE_U64, 0 },
	[SLEEPPROXY_A_STATS_WAKES_SUPPRESSED]	= { MNL_TYPE_U64, 0 },
	[SLEEPPROXY_A_STATS_REPLIES_SUPPRESSED]	= { MNL_TYPE_U64, 0 },
	[SLEEPPROXY_A_STATS_LEASES_EXPIRED]	= { MNL_TYPE_U64, 0 },
	[SLEEPPROXY_A_STATS_MANUAL_WAKES]	= { MNL_TYPE_U64, 0 },
	[SLEEPPROXY_A_STATS_IFINDEX]		= { MNL_TYPE_U32, 0 },
	[SLEEPPROXY_A_STATS_IFNAME]		= { MNL_TYPE_NUL_STRING, 0 },
	[SLEEPPROXY_A_STATS_HOSTS_PROXYING]	= { MNL_TYPE_U32, 0 },
	[SLEEPPROXY_A_STATS_HOST_TOTALS]	= { MNL_TYPE_NESTED, 0 },
};

static int sp_parse_stats(const struct nlmsghdr *nlh, struct sp_stats *st)
{
	const struct nlattr *tb[SLEEPPROXY_A_STATS_MAX + 1];

	memset(st, 0, sizeof(*st));
	if (sp_parse_msg(nlh, sp_stats_policy, SLEEPPROXY_A_STATS_MAX, tb))
		return -1;
	if (tb[SLEEPPROXY_A_STATS_IFINDEX])
		st->ifindex = mnl_attr_get_u32(tb[SLEEPPROXY_A_STATS_IFINDEX]);
	if (tb[SLEEPPROXY_A_STATS_IFNAME])
		snprintf(st->ifname, sizeof(st->ifname), "%s",
			 mnl_attr_get_str(tb[SLEEPPROXY_A_STATS_IFNAME]));
	if (tb[SLEEPPROXY_A_STATS_HOSTS])
		st->hosts = mnl_attr_get_u32(tb[SLEEPPROXY_A_STATS_HOSTS]);
	if (tb[SLEEPPROXY_A_STATS_HOSTS_PROXYING])
		st->hosts_proxying =
			mnl_attr_get_u32(tb[SLEEPPROXY_A_STATS_HOSTS_PROXYING]);
	if (tb[SLEEPPROXY_A_STATS_HOST_TOTALS]) {
		if (sp_parse_host_stats(tb[SLEEPPROXY_A_STATS_HOST_TOTALS],
					&st->host_totals))
			return -1;
		st->has_host_totals = true;
	}
	st->rx_frames = sp_get_u64(tb[SLEEPPROXY_A_STATS_RX_FRAMES]);
	st->drop_arp_malformed =
		sp_get_u64(tb[SLEEPPROXY_A_STATS_DROP_ARP_MALFORMED]);
	st->drop_ipv4_malformed =
		sp_get_u64(tb[SLEEPPROXY_A_STATS_DROP_IPV4_MALFORMED]);
	st->drop_ipv4_fragment =
		sp_get_u64(tb[SLEEPPROXY_A_STATS_DROP_IPV4_FRAGMENT]);
	st->drop_ipv4_srcroute =
		sp_get_u64(tb[SLEEPPROXY_A_STATS_DROP_IPV4_SRCROUTE]);
	st->drop_tcp_malformed =
		sp_get_u64(tb[SLEEPPROXY_A_STATS_DROP_TCP_MALFORMED]);
	st->tx_errors = sp_get_u64(tb[SLEEPPROXY_A_STATS_TX_ERRORS]);
	st->drop_ipv6_malformed =
		sp_get_u64(tb[SLEEPPROXY_A_STATS_DROP_IPV6_MALFORMED]);
	st->drop_ipv6_fragment =
		sp_get_u64(tb[SLEEPPROXY_A_STATS_DROP_IPV6_FRAGMENT]);
	st->drop_ipv6_srcroute =
		sp_get_u64(tb[SLEEPPROXY_A_STATS_DROP_IPV6_SRCROUTE]);
	st->drop_nd_malformed =
		sp_get_u64(tb[SLEEPPROXY_A_STATS_DROP_ND_MALFORMED]);
	st->drop_icmp_malformed =
		sp_get_u64(tb[SLEEPPROXY_A_STATS_DROP_ICMP_MALFORMED]);
	st->wakes_suppressed =
		sp_get_u64(tb[SLEEPPROXY_A_STATS_WAKES_SUPPRESSED]);
	st->replies_suppressed =
		sp_get_u64(tb[SLEEPPROXY_A_STATS_REPLIES_SUPPRESSED]);
	st->leases_expired = sp_get_u64(tb[SLEEPPROXY_A_STATS_LEASES_EXPIRED]);
	st->manual_wakes = sp_get_u64(tb[SLEEPPROXY_A_STATS_MANUAL_WAKES]);
	return 0;
}

static int sp_stats_cb(const struct nlmsghdr *nlh, void *data)
{
	return sp_parse_stats(nlh, data);
}

int sp_nl_stats_get(struct sp_nl *nl, uint32_t ifindex,
		    struct sp_stats *stats)
{
	struct nlmsghdr *nlh;

	memset(stats, 0, sizeof(*stats));
	nlh = sp_msg(nl, NLM_F_ACK, SLEEPPROXY_CMD_STATS_GET);
	if (ifindex)
		mnl_attr_put_u32(nlh, SLEEPPROXY_A_STATS_IFINDEX, ifindex);
	if (sp_nl_talk(nl, nlh, sp_stats_cb, stats))
		return sp_nl_fail(nl);
	return 0;
}

static int sp_stats_dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct sp_stats_list *list = data;

	if (list->len == list->cap) {
		size_t cap = list->cap ? 2 * list->cap : 8;
		struct sp_stats *stats;

		stats = reallocarray(list->stats, cap, sizeof(*stats));
		if (!stats) {
			fprintf(stderr, "spctl: out of memory\n");
			return -1;
		}
		list->stats = stats;
		list->cap = cap;
	}
	if (sp_parse_stats(nlh, &list->stats[list->len]))
		return -1;
	list->len++;
	return 0;
}

int sp_nl_stats_dump(struct sp_nl *nl, struct sp_stats_list *list)
{
	struct nlmsghdr *nlh;

	list->len = 0;
	nlh = sp_msg(nl, NLM_F_DUMP, SLEEPPROXY_CMD_STATS_GET);
	if (sp_nl_talk(nl, nlh, sp_stats_dump_cb, list))
		return sp_nl_fail(nl);
	return 0;
}

void sp_stats_list_free(struct sp_stats_list *list)
{
	free(list->stats);
	list->stats = NULL;
	list->len = 0;
	list->cap = 0;
}

static const struct sp_policy sp_config_policy[SLEEPPROXY_A_CONFIG_MAX + 1] = {
	[SLEEPPROXY_A_CONFIG_OWN]			= { MNL_TYPE_U32, 0 },
	[SLEEPPROXY_A_CONFIG_MAX_HOSTS]			= { MNL_TYPE_U32, 0 },
	[SLEEPPROXY_A_CONFIG_AWAKE_GRACE_MS]		= { MNL_TYPE_U32, 0 },
	[SLEEPPROXY_A_CONFIG_MAX_WAKES_PER_SEC]		= { MNL_TYPE_U32, 0 },
	[SLEEPPROXY_A_CONFIG_MAX_REPLIES_PER_SEC]	= { MNL_TYPE_U32, 0 },
	[SLEEPPROXY_A_CONFIG_SYN_HOLD_MS]		= { MNL_TYPE_U32, 0 },
	[SLEEPPROXY_A_CONFIG_SYN_HOLD_MAX]		= { MNL_TYPE_U32, 0 },
	[SLEEPPROXY_A_CONFIG_SYN_HOLD_TOTAL]		= { MNL_TYPE_U32, 0 },
	[SLEEPPROXY_A_CONFIG_WAKE_TIMEOUT_MS]		= { MNL_TYPE_U32, 0 },
};

static int sp_config_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[SLEEPPROXY_A_CONFIG_MAX + 1];
	struct sp_config *config = data;
	unsigned int i;

	memset(config, 0, sizeof(*config));
	if (sp_parse_msg(nlh, sp_config_policy, SLEEPPROXY_A_CONFIG_MAX, tb))
		return -1;
	for (i = 0; i < SP_CONFIG_COUNT; i++) {
		const struct nlattr *attr =
			tb[SLEEPPROXY_A_CONFIG_MAX_HOSTS + i];

		if (!attr)
			continue;
		config->value[i] = mnl_attr_get_u32(attr);
		config->has |= 1U << i;
	}
	if (tb[SLEEPPROXY_A_CONFIG_OWN])
		config->own = mnl_attr_get_u32(tb[SLEEPPROXY_A_CONFIG_OWN]) &
			      config->has;
	return 0;
}

int sp_nl_config_get(struct sp_nl *nl, struct sp_config *config)
{
	struct nlmsghdr *nlh;

	memset(config, 0, sizeof(*config));
	nlh = sp_msg(nl, NLM_F_ACK, SLEEPPROXY_CMD_CONFIG_GET);
	if (sp_nl_talk(nl, nlh, sp_config_cb, config))
		return sp_nl_fail(nl);
	return 0;
}

int sp_nl_config_set(struct sp_nl *nl, const struct sp_config *config)
{
	struct nlmsghdr *nlh;
	unsigned int i;

	nlh = sp_msg(nl, NLM_F_ACK, SLEEPPROXY_CMD_CONFIG_SET);
	if (config->reset)
		mnl_attr_put_u32(nlh, SLEEPPROXY_A_CONFIG_RESET, config->reset);
	for (i = 0; i < SP_CONFIG_COUNT; i++)
		if (config->has & (1U << i))
			mnl_attr_put_u32(nlh, SLEEPPROXY_A_CONFIG_MAX_HOSTS + i,
					 config->value[i]);
	if (sp_nl_talk(nl, nlh, NULL, NULL))
		return sp_nl_fail(nl);
	return 0;
}

static const struct sp_policy sp_event_policy[SLEEPPROXY_A_HOST_MAX + 1] = {
	[SLEEPPROXY_A_HOST_ID]		= { MNL_TYPE_U32, 0 },
	[SLEEPPROXY_A_HOST_IFINDEX]	= { MNL_TYPE_U32, 0 },
	[SLEEPPROXY_A_HOST_IFNAME]	= { MNL_TYPE_NUL_STRING, 0 },
	[SLEEPPROXY_A_HOST_LLADDR]	= { MNL_TYPE_BINARY, ETH_ALEN },
	[SLEEPPROXY_A_HOST_WAKES]	= { MNL_TYPE_NESTED, 0 },
	[SLEEPPROXY_A_HOST_EVENT]	= { MNL_TYPE_U8, 0 },
	[SLEEPPROXY_A_HOST_REMOVED]	= { MNL_TYPE_U8, 0 },
};

struct sp_monitor_ctx {
	sp_event_cb cb;
	void *data;
};

static int sp_event_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[SLEEPPROXY_A_HOST_MAX + 1];
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	struct sp_monitor_ctx *ctx = data;
	struct sp_event ev;
	bool truncated = false;
	struct sp_host host;

	if (genl->cmd != SLEEPPROXY_CMD_EVENT)
		return MNL_CB_OK;
	if (sp_parse_msg(nlh, sp_event_policy, SLEEPPROXY_A_HOST_MAX, tb) ||
	    !tb[SLEEPPROXY_A_HOST_EVENT])
		return MNL_CB_OK;	/* said so; the next one may be fine */
	memset(&ev, 0, sizeof(ev));
	memset(&host, 0, sizeof(host));
	ev.event = mnl_attr_get_u8(tb[SLEEPPROXY_A_HOST_EVENT]);
	if (tb[SLEEPPROXY_A_HOST_ID])
		ev.id = mnl_attr_get_u32(tb[SLEEPPROXY_A_HOST_ID]);
	if (tb[SLEEPPROXY_A_HOST_IFINDEX])
		ev.ifindex = mnl_attr_get_u32(tb[SLEEPPROXY_A_HOST_IFINDEX]);
	if (tb[SLEEPPROXY_A_HOST_IFNAME])
		snprintf(ev.ifname, sizeof(ev.ifname), "%s",
			 mnl_attr_get_str(tb[SLEEPPROXY_A_HOST_IFNAME]));
	if (tb[SLEEPPROXY_A_HOST_LLADDR])
		memcpy(ev.lladdr,
		       mnl_attr_get_payload(tb[SLEEPPROXY_A_HOST_LLADDR]),
		       ETH_ALEN);
	if (tb[SLEEPPROXY_A_HOST_WAKES] &&
	    !sp_parse_wakes(tb[SLEEPPROXY_A_HOST_WAKES], &host, &truncated) &&
	    host.n_wakes) {
		ev.has_wake = true;
		ev.wake = host.wakes[0];
	}
	if (tb[SLEEPPROXY_A_HOST_REMOVED]) {
		ev.has_removed = true;
		ev.removed = mnl_attr_get_u8(tb[SLEEPPROXY_A_HOST_REMOVED]);
	}
	return ctx->cb(&ev, ctx->data) ? MNL_CB_STOP : MNL_CB_OK;
}

int sp_nl_monitor(struct sp_nl *nl, sp_event_cb cb, void *data)
{
	struct sp_monitor_ctx ctx = { cb, data };
	int group = nl->events_group, n, ret;

	if (!group) {
		fprintf(stderr,
			"spctl: this sleepproxy module sends no events (no \"%s\" group)\n",
			SLEEPPROXY_MCGRP_EVENTS);
		return -1;
	}
	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP, &group,
				  sizeof(group)) < 0) {
		fprintf(stderr, "spctl: cannot join the events group: %s\n",
			strerror(errno));
		return -1;
	}
	for (;;) {
		n = mnl_socket_recvfrom(nl->sock, nl->buf, sizeof(nl->buf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			/* Events were lost: say so and go on. */
			if (errno == ENOBUFS) {
				fprintf(stderr,
					"spctl: events lost (receive buffer full)\n");
				continue;
			}
			fprintf(stderr, "spctl: netlink: %s\n",
				strerror(errno));
			return -1;
		}
		ret = mnl_cb_run(nl->buf, n, 0, 0, sp_event_msg_cb, &ctx);
		if (ret == MNL_CB_STOP)
			return 0;
		if (ret < 0) {
			fprintf(stderr, "spctl: netlink: %s\n",
				strerror(errno));
			return -1;
		}
	}
}
