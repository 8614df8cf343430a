// SPDX-License-Identifier: GPL-2.0
/*
 * A stand-in for the kernel side of the "sleepproxy" family, preloaded
 * into spctl (LD_PRELOAD) in place of libmnl's socket calls.  It answers
 * as the module documents in uapi/linux/sleepproxy.h, so that spctl's
 * requests, replies, errors and output can be tested without the module.
 *
 * The hosts live in the file named by FAKE_SP_STATE, so that one spctl
 * run sees what an earlier one registered.  Other knobs, all optional:
 *
 *   FAKE_SP_ABSENT=1	the family does not exist
 *   FAKE_SP_EPERM=1	changes fail with EPERM and no message
 *   FAKE_SP_NOCONFIG=1	the module predates CONFIG_GET and CONFIG_SET
 *   FAKE_SP_REFUSE=msg	add-host fails with EINVAL and this message
 *   FAKE_SP_INTR=n	the first n dumps are flagged NLM_F_DUMP_INTR
 *   FAKE_SP_DUMP_ERR=msg	dumps end in EINVAL with this message
 *   FAKE_SP_BADATTR=1	dumps carry an IFINDEX of the wrong size
 *   FAKE_SP_NOCAP=1	errors carry the request (NETLINK_CAP_ACK ignored)
 *   FAKE_SP_EXTRA=n	dumps carry n more hosts, made up
 *   FAKE_SP_LEASE_USED=n	leases have n seconds less left than given
 *   FAKE_SP_CONFLICTS="addr ..."	these addresses are listed as claimed
 *			by another MAC (in CONFLICTS, and still in ADDRS)
 *   FAKE_SP_NOPASSWORD=1	dumps leave passwords out, as the module
 *			does for a caller without CAP_NET_ADMIN
 *   FAKE_SP_ORIGIN=n	dumps give every host origin n, whatever it was
 *			registered with
 *   FAKE_SP_LOG=file	append "cmd flags" per request, for the tests
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/sleepproxy.h>

#define FAKE_FAMILY	0x2a
#define FAKE_PORTID	4242
#define FAKE_DGRAM	16384	/* what a dump packs into one datagram */
#define FAKE_MAX_HOSTS	64
#define ETH_ALEN	6

struct fake_addr {
	uint16_t type;
	uint8_t bytes[16];
};

struct fake_host {
	uint32_t id;
	uint32_t ifindex;
	uint8_t mac[ETH_ALEN];
	unsigned int n_addrs;
	struct fake_addr addrs[SLEEPPROXY_MAX_IPV4 + SLEEPPROXY_MAX_IPV6];
	unsigned int n_ports;
	uint16_t ports[SLEEPPROXY_MAX_PORTS];
	uint32_t flags;
	uint8_t wake_count;
	uint32_t lease;
	uint8_t wake_mac[ETH_ALEN];
	uint8_t password_len;
	uint8_t password[6];
	uint8_t origin;
	uint8_t has_wake_timeout;
	uint32_t wake_timeout;
};

/* The settings: the module parameters' defaults, or the namespace's own. */
#define FAKE_SETTINGS	(__SLEEPPROXY_A_CONFIG_LAST - SLEEPPROXY_A_CONFIG_MAX_HOSTS)

static const struct {
	uint32_t param, min, max;
} fake_settings[FAKE_SETTINGS] = {
	{ 65536, 1, SLEEPPROXY_MAX_HOSTS_MAX },
	{ 2000, 0, SLEEPPROXY_CONFIG_MS_MAX },
	{ 20, 0, SLEEPPROXY_RATE_MAX },
	{ 100, 0, SLEEPPROXY_RATE_MAX },
	{ 30000, 1, SLEEPPROXY_CONFIG_MS_MAX },
	{ 16, 0, SLEEPPROXY_SYN_HOLD_MAX_MAX },
	{ 1024, 0, SLEEPPROXY_SYN_HOLD_TOTAL_MAX },
	{ 60000, 0, SLEEPPROXY_WAKE_TIMEOUT_MAX },
};

struct fake_state {
	uint32_t config_own;		/* SLEEPPROXY_CONFIG_F_* */
	uint32_t config[FAKE_SETTINGS];	/* where config_own has the bit */
	uint32_t next_id;
	unsigned int n_hosts;
	struct fake_host hosts[FAKE_MAX_HOSTS];
};

struct dgram {
	struct dgram *next;
	size_t len;
	char data[];
};

struct fake_sock {
	struct dgram *head, *tail;
	int ext_ack;
	int cap_ack;
	unsigned int dumps;
};

/* The reply being built, and where its datagram starts. */
static char out[4 * FAKE_DGRAM];
static size_t out_len;

static int env_int(const char *name)
{
	const char *s = getenv(name);

	return s ? atoi(s) : 0;
}

static void queue(struct fake_sock *fs, const void *data, size_t len)
{
	struct dgram *d = malloc(sizeof(*d) + len);

	if (!d)
		abort();
	d->next = NULL;
	d->len = len;
	memcpy(d->data, data, len);
	if (fs->tail)
		fs->tail->next = d;
	else
		fs->head = d;
	fs->tail = d;
}

static void flush(struct fake_sock *fs)
{
	if (out_len)
		queue(fs, out, out_len);
	out_len = 0;
}

static struct nlmsghdr *reply(const struct nlmsghdr *req, uint16_t type,
			      uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(out + out_len);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = req->nlmsg_seq;
	nlh->nlmsg_pid = FAKE_PORTID;
	return nlh;
}

static void done(struct nlmsghdr *nlh)
{
	out_len += NLMSG_ALIGN(nlh->nlmsg_len);
}

static struct nlmsghdr *genl_reply(const struct nlmsghdr *req, uint16_t type,
				   uint16_t flags, uint8_t cmd)
{
	struct nlmsghdr *nlh = reply(req, type, flags);
	struct genlmsghdr *genl;

	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = SLEEPPROXY_GENL_VERSION;
	return nlh;
}

/* An NLMSG_ERROR as netlink_ack() builds it. */
static int ack(struct fake_sock *fs, const struct nlmsghdr *req, int error,
	       const char *msg)
{
	struct nlmsghdr *nlh;
	struct nlmsgerr *err;
	size_t payload = req->nlmsg_len - sizeof(*req);
	uint16_t flags = 0;

	if (!error || (fs->cap_ack && !getenv("FAKE_SP_NOCAP"))) {
		payload = 0;
		flags |= NLM_F_CAPPED;
	}
	if (error && msg && fs->ext_ack)
		flags |= NLM_F_ACK_TLVS;
	else
		msg = NULL;
	nlh = reply(req, NLMSG_ERROR, flags);
	err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err) + payload);
	err->error = error;
	memcpy(&err->msg, req, sizeof(*req) + payload);
	if (msg)
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
	done(nlh);
	flush(fs);
	return 0;
}

static void load(struct fake_state *st)
{
	const char *path = getenv("FAKE_SP_STATE");
	FILE *f;

	memset(st, 0, sizeof(*st));
	st->next_id = 1;
	if (!path)
		return;
	f = fopen(path, "r");
	if (!f)
		return;
	if (fread(st, sizeof(*st), 1, f) != 1) {
		memset(st, 0, sizeof(*st));
		st->next_id = 1;
	}
	fclose(f);
}

static void save(const struct fake_state *st)
{
	const char *path = getenv("FAKE_SP_STATE");
	FILE *f;

	if (!path)
		return;
	f = fopen(path, "w");
	if (!f || fwrite(st, sizeof(*st), 1, f) != 1)
		abort();
	fclose(f);
}

/* What a strict genetlink policy lets through; NULL if all is well. */
static const char *check_attrs(const struct nlmsghdr *req,
			       const struct nlattr **tb)
{
	static const uint16_t len[SLEEPPROXY_A_HOST_MAX + 1] = {
		[SLEEPPROXY_A_HOST_IFINDEX] = 4,
		[SLEEPPROXY_A_HOST_LLADDR] = ETH_ALEN,
		[SLEEPPROXY_A_HOST_FLAGS] = 4,
		[SLEEPPROXY_A_HOST_WAKE_COUNT] = 1,
		[SLEEPPROXY_A_HOST_LEASE] = 4,
		[SLEEPPROXY_A_HOST_WAKE_LLADDR] = ETH_ALEN,
		[SLEEPPROXY_A_HOST_ORIGIN] = 1,
		[SLEEPPROXY_A_HOST_WAKE_TIMEOUT] = 4,
	};
	const struct nlattr *attr;

	memset(tb, 0, (SLEEPPROXY_A_HOST_MAX + 1) * sizeof(*tb));
	mnl_attr_for_each(attr, req, sizeof(struct genlmsghdr)) {
		uint16_t type = mnl_attr_get_type(attr);
		int nested = attr->nla_type & NLA_F_NESTED;

		switch (type) {
		case SLEEPPROXY_A_HOST_ADDRS:
		case SLEEPPROXY_A_HOST_TCP_PORTS:
			if (!nested)
				return "NLA_F_NESTED is missing";
			break;
		case SLEEPPROXY_A_HOST_IFINDEX:
		case SLEEPPROXY_A_HOST_LLADDR:
		case SLEEPPROXY_A_HOST_FLAGS:
		case SLEEPPROXY_A_HOST_WAKE_COUNT:
		case SLEEPPROXY_A_HOST_LEASE:
		case SLEEPPROXY_A_HOST_WAKE_LLADDR:
		case SLEEPPROXY_A_HOST_ORIGIN:
		case SLEEPPROXY_A_HOST_WAKE_TIMEOUT:
			if (mnl_attr_get_payload_len(attr) != len[type])
				return "Attribute failed policy validation";
			break;
		case SLEEPPROXY_A_HOST_WAKE_PASSWORD:
			if (mnl_attr_get_payload_len(attr) != 4 &&
			    mnl_attr_get_payload_len(attr) != 6)
				return "a SecureOn password is 4 or 6 bytes";
			break;
		default:
			return "Unknown attribute type";
		}
		if (tb[type])
			return "Duplicate attribute";
		tb[type] = attr;
	}
	return NULL;
}

static uint32_t setting(const struct fake_state *st, unsigned int i)
{
	return st->config_own & (1U << i) ? st->config[i] :
					    fake_settings[i].param;
}

static int config_get(struct fake_sock *fs, const struct nlmsghdr *req)
{
	struct fake_state st;
	struct nlmsghdr *nlh;
	unsigned int i;

	load(&st);
	nlh = genl_reply(req, FAKE_FAMILY, 0, SLEEPPROXY_CMD_CONFIG_GET);
	for (i = 0; i < FAKE_SETTINGS; i++)
		mnl_attr_put_u32(nlh, SLEEPPROXY_A_CONFIG_MAX_HOSTS + i,
				 setting(&st, i));
	mnl_attr_put_u32(nlh, SLEEPPROXY_A_CONFIG_OWN, st.config_own);
	/* One from a newer module, to be ignored. */
	mnl_attr_put_u32(nlh, SLEEPPROXY_A_CONFIG_MAX + 1, 1);
	done(nlh);
	flush(fs);
	if (req->nlmsg_flags & NLM_F_ACK)
		ack(fs, req, 0, NULL);
	return 0;
}

/* As sp_config_policy and sp_config_change() have it. */
static int config_set(struct fake_sock *fs, const struct nlmsghdr *req)
{
	const struct nlattr *tb[SLEEPPROXY_A_CONFIG_MAX + 1] = { 0 }, *attr;
	uint32_t reset = 0;
	struct fake_state st;
	unsigned int i;
	bool any;

	mnl_attr_for_each(attr, req, sizeof(struct genlmsghdr)) {
		uint16_t type = mnl_attr_get_type(attr);
		uint32_t v;

		if (type != SLEEPPROXY_A_CONFIG_RESET &&
		    (type < SLEEPPROXY_A_CONFIG_MAX_HOSTS ||
		     type > SLEEPPROXY_A_CONFIG_MAX))
			return ack(fs, req, -EINVAL, "Unknown attribute type");
		if (mnl_attr_get_payload_len(attr) != 4)
			return ack(fs, req, -ERANGE,
				   "Attribute failed policy validation");
		if (tb[type])
			return ack(fs, req, -EINVAL, "Duplicate attribute");
		tb[type] = attr;
		v = mnl_attr_get_u32(attr);
		if (type == SLEEPPROXY_A_CONFIG_RESET) {
			if (v & ~(uint32_t)__SLEEPPROXY_CONFIG_F_ALL)
				return ack(fs, req, -EINVAL, "reserved bit set");
			reset = v;
			continue;
		}
		i = type - SLEEPPROXY_A_CONFIG_MAX_HOSTS;
		if (v < fake_settings[i].min || v > fake_settings[i].max)
			return ack(fs, req, -ERANGE, "integer out of range");
	}
	any = tb[SLEEPPROXY_A_CONFIG_RESET];
	for (i = 0; i < FAKE_SETTINGS; i++) {
		if (!tb[SLEEPPROXY_A_CONFIG_MAX_HOSTS + i])
			continue;
		any = true;
		if (reset & (1U << i))
			return ack(fs, req, -EINVAL,
				   "a setting is both set and reset");
	}
	if (!any)
		return ack(fs, req, -EINVAL, "no setting to set or reset");
	load(&st);
	st.config_own &= ~reset;
	for (i = 0; i < FAKE_SETTINGS; i++) {
		attr = tb[SLEEPPROXY_A_CONFIG_MAX_HOSTS + i];
		if (!attr)
			continue;
		st.config[i] = mnl_attr_get_u32(attr);
		st.config_own |= 1U << i;
	}
	save(&st);
	return ack(fs, req, 0, NULL);
}

static struct fake_host *find(struct fake_state *st, uint32_t ifindex,
			      const uint8_t *mac)
{
	unsigned int i;

	for (i = 0; i < st->n_hosts; i++)
		if (st->hosts[i].ifindex == ifindex &&
		    !memcmp(st->hosts[i].mac, mac, ETH_ALEN))
			return &st->hosts[i];
	return NULL;
}

static int host_new(struct fake_sock *fs, const struct nlmsghdr *req)
{
	const struct nlattr *tb[SLEEPPROXY_A_HOST_MAX + 1], *attr, *ports;
	unsigned int n4 = 0, n6 = 0;
	struct fake_state st;
	struct fake_host h = { 0 }, *old;
	const char *msg;

	msg = check_attrs(req, tb);
	if (msg)
		return ack(fs, req, -EINVAL, msg);
	if (getenv("FAKE_SP_REFUSE"))
		return ack(fs, req, -EINVAL, getenv("FAKE_SP_REFUSE"));
	if (!tb[SLEEPPROXY_A_HOST_IFINDEX] || !tb[SLEEPPROXY_A_HOST_LLADDR] ||
	    !tb[SLEEPPROXY_A_HOST_ADDRS])
		return ack(fs, req, -EINVAL, "Missing attribute");
	h.ifindex = mnl_attr_get_u32(tb[SLEEPPROXY_A_HOST_IFINDEX]);
	memcpy(h.mac, mnl_attr_get_payload(tb[SLEEPPROXY_A_HOST_LLADDR]),
	       ETH_ALEN);
	if (h.mac[0] & 1)
		return ack(fs, req, -EINVAL, "lladdr is not unicast");

	mnl_attr_for_each_nested(attr, tb[SLEEPPROXY_A_HOST_ADDRS]) {
		uint16_t type = mnl_attr_get_type(attr);
		size_t len = mnl_attr_get_payload_len(attr);

		if (!(type == SLEEPPROXY_A_ADDR_IPV4 && len == 4 &&
		      ++n4 <= SLEEPPROXY_MAX_IPV4) &&
		    !(type == SLEEPPROXY_A_ADDR_IPV6 && len == 16 &&
		      ++n6 <= SLEEPPROXY_MAX_IPV6))
			return ack(fs, req, -EINVAL, "bad address");
		h.addrs[h.n_addrs].type = type;
		memcpy(h.addrs[h.n_addrs++].bytes,
		       mnl_attr_get_payload(attr), len);
	}
	if (!h.n_addrs)
		return ack(fs, req, -EINVAL, "no address");

	ports = tb[SLEEPPROXY_A_HOST_TCP_PORTS];
	if (ports) {
		mnl_attr_for_each_nested(attr, ports) {
			uint16_t port;

			if (mnl_attr_get_type(attr) != SLEEPPROXY_A_PORT ||
			    mnl_attr_get_payload_len(attr) != 2 ||
			    h.n_ports == SLEEPPROXY_MAX_PORTS)
				return ack(fs, req, -EINVAL, "bad port");
			port = mnl_attr_get_u16(attr);
			if (!port ||
			    (h.n_ports && port <= h.ports[h.n_ports - 1]))
				return ack(fs, req, -EINVAL,
					   "ports not ascending");
			h.ports[h.n_ports++] = port;
		}
	}
	if (tb[SLEEPPROXY_A_HOST_FLAGS])
		h.flags = mnl_attr_get_u32(tb[SLEEPPROXY_A_HOST_FLAGS]);
	if (h.flags & ~__SLEEPPROXY_HOST_F_ALL)
		return ack(fs, req, -EINVAL, "unknown flags");
	if ((h.flags & SLEEPPROXY_HOST_F_TCP_ANY) && h.n_ports)
		return ack(fs, req, -EINVAL, "tcp any with a port list");
	h.wake_count = SLEEPPROXY_WAKE_COUNT_DEFAULT;
	if (tb[SLEEPPROXY_A_HOST_WAKE_COUNT])
		h.wake_count =
			mnl_attr_get_u8(tb[SLEEPPROXY_A_HOST_WAKE_COUNT]);
	if (!h.wake_count || h.wake_count > SLEEPPROXY_WAKE_COUNT_MAX)
		return ack(fs, req, -ERANGE, "bad wake count");
	if (tb[SLEEPPROXY_A_HOST_LEASE])
		h.lease = mnl_attr_get_u32(tb[SLEEPPROXY_A_HOST_LEASE]);
	if (h.lease > SLEEPPROXY_LEASE_MAX)
		return ack(fs, req, -ERANGE, "bad lease");
	memcpy(h.wake_mac, h.mac, ETH_ALEN);
	attr = tb[SLEEPPROXY_A_HOST_WAKE_LLADDR];
	if (attr) {
		memcpy(h.wake_mac, mnl_attr_get_payload(attr), ETH_ALEN);
		if (h.wake_mac[0] & 1)
			return ack(fs, req, -EINVAL,
				   "not a unicast wake MAC address");
	}
	attr = tb[SLEEPPROXY_A_HOST_WAKE_PASSWORD];
	if (attr) {
		h.password_len = mnl_attr_get_payload_len(attr);
		memcpy(h.password, mnl_attr_get_payload(attr), h.password_len);
	}
	if (tb[SLEEPPROXY_A_HOST_ORIGIN])
		h.origin = mnl_attr_get_u8(tb[SLEEPPROXY_A_HOST_ORIGIN]);
	if (h.origin > SLEEPPROXY_ORIGIN_MAX)
		return ack(fs, req, -ERANGE, "bad origin");
	if (tb[SLEEPPROXY_A_HOST_WAKE_TIMEOUT]) {
		h.has_wake_timeout = 1;
		h.wake_timeout =
			mnl_attr_get_u32(tb[SLEEPPROXY_A_HOST_WAKE_TIMEOUT]);
	}
	if (h.wake_timeout > SLEEPPROXY_WAKE_TIMEOUT_MAX)
		return ack(fs, req, -ERANGE, "bad wake timeout");

	load(&st);
	old = find(&st, h.ifindex, h.mac);
	if (old) {
		h.id = old->id;
		*old = h;
	} else {
		if (st.n_hosts >= setting(&st, 0))
			return ack(fs, req, -ENOSPC,
				   "host table full (setting max_hosts)");
		if (st.n_hosts == FAKE_MAX_HOSTS)
			return ack(fs, req, -ENOSPC, "too many hosts");
		h.id = st.next_id++;
		st.hosts[st.n_hosts++] = h;
	}
	save(&st);
	return ack(fs, req, 0, NULL);
}

static int host_del(struct fake_sock *fs, const struct nlmsghdr *req)
{
	const struct nlattr *tb[SLEEPPROXY_A_HOST_MAX + 1];
	struct fake_state st;
	struct fake_host *h;
	const char *msg;

	msg = check_attrs(req, tb);
	if (msg)
		return ack(fs, req, -EINVAL, msg);
	if (!tb[SLEEPPROXY_A_HOST_IFINDEX] || !tb[SLEEPPROXY_A_HOST_LLADDR])
		return ack(fs, req, -EINVAL, "Missing attribute");
	load(&st);
	h = find(&st, mnl_attr_get_u32(tb[SLEEPPROXY_A_HOST_IFINDEX]),
		 mnl_attr_get_payload(tb[SLEEPPROXY_A_HOST_LLADDR]));
	if (!h)
		return ack(fs, req, -ENOENT, "no such host");
	memmove(h, h + 1, (char *)&st.hosts[st.n_hosts] - (char *)(h + 1));
	st.n_hosts--;
	save(&st);
	return ack(fs, req, 0, NULL);
}

/* Whether FAKE_SP_CONFLICTS lists the address. */
static int conflicted(const struct fake_addr *a)
{
	const char *list = getenv("FAKE_SP_CONFLICTS");
	int v4 = a->type == SLEEPPROXY_A_ADDR_IPV4;
	uint8_t bytes[16];
	char buf[64];
	size_t len;

	while (list && *list) {
		len = strcspn(list, " ");
		snprintf(buf, sizeof(buf), "%.*s", (int)len, list);
		list += len + (list[len] != '\0');
		if (inet_pton(v4 ? AF_INET : AF_INET6, buf, bytes) == 1 &&
		    !memcmp(bytes, a->bytes, v4 ? 4 : 16))
			return 1;
	}
	return 0;
}

static void put_addrs(struct nlmsghdr *nlh, uint16_t type,
		      const struct fake_host *h, int only_conflicts)
{
	struct nlattr *nest;
	unsigned int i, n = 0;

	for (i = 0; i < h->n_addrs; i++)
		n += conflicted(&h->addrs[i]);
	if (only_conflicts && !n)
		return;
	nest = mnl_attr_nest_start(nlh, type);
	for (i = 0; i < h->n_addrs; i++) {
		uint16_t atype = h->addrs[i].type;

		if (only_conflicts && !conflicted(&h->addrs[i]))
			continue;
		mnl_attr_put(nlh, atype,
			     atype == SLEEPPROXY_A_ADDR_IPV4 ? 4 : 16,
			     h->addrs[i].bytes);
	}
	mnl_attr_nest_end(nlh, nest);
}

/* One host as a dump message; ends the datagram first when it is full. */
static void put_host(struct fake_sock *fs, const struct nlmsghdr *req,
		     uint16_t flags, const struct fake_host *h)
{
	static const uint32_t ages[] = {
		12345, 307000, 7507000, 59000, 273900000
	};
	static const uint8_t zero_mac[ETH_ALEN];
	uint32_t used = env_int("FAKE_SP_LEASE_USED");
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	unsigned int i;

	if (out_len > FAKE_DGRAM - 2048)
		flush(fs);
	nlh = genl_reply(req, FAKE_FAMILY, flags | NLM_F_MULTI,
			 SLEEPPROXY_CMD_HOST_GET);
	mnl_attr_put_u32(nlh, SLEEPPROXY_A_HOST_ID, h->id);
	if (getenv("FAKE_SP_BADATTR"))
		mnl_attr_put_u16(nlh, SLEEPPROXY_A_HOST_IFINDEX, h->ifindex);
	else
		mnl_attr_put_u32(nlh, SLEEPPROXY_A_HOST_IFINDEX, h->ifindex);
	/* Every other host without a name: spctl must find it. */
	if (h->id % 2)
		mnl_attr_put_strz(nlh, SLEEPPROXY_A_HOST_IFNAME,
				  h->ifindex == 1 ? "lo" : "eth\"9");
	mnl_attr_put(nlh, SLEEPPROXY_A_HOST_LLADDR, ETH_ALEN, h->mac);
	put_addrs(nlh, SLEEPPROXY_A_HOST_ADDRS, h, 0);
	nest = mnl_attr_nest_start(nlh, SLEEPPROXY_A_HOST_TCP_PORTS);
	for (i = 0; i < h->n_ports; i++)
		mnl_attr_put_u16(nlh, SLEEPPROXY_A_PORT, h->ports[i]);
	mnl_attr_nest_end(nlh, nest);
	mnl_attr_put_u32(nlh, SLEEPPROXY_A_HOST_FLAGS, h->flags);
	mnl_attr_put_u8(nlh, SLEEPPROXY_A_HOST_WAKE_COUNT, h->wake_count);
	mnl_attr_put_u32(nlh, SLEEPPROXY_A_HOST_LEASE, h->lease);
	if (h->has_wake_timeout)
		mnl_attr_put_u32(nlh, SLEEPPROXY_A_HOST_WAKE_TIMEOUT,
				 h->wake_timeout);
	/* As the module does: nothing once nothing is left. */
	if (h->lease > used)
		mnl_attr_put_u32(nlh, SLEEPPROXY_A_HOST_LEASE_LEFT,
				 h->lease - used);
	/* proxying, woken, awake, registered, then one from a newer module. */
	mnl_attr_put_u8(nlh, SLEEPPROXY_A_HOST_STATE, (h->id - 1) % 5);
	mnl_attr_put_u32(nlh, SLEEPPROXY_A_HOST_STATE_AGE,
			 ages[(h->id - 1) % 5]);
	nest = mnl_attr_nest_start(nlh, SLEEPPROXY_A_HOST_STATS);
	for (i = SLEEPPROXY_A_HOST_STAT_ARP_REQUESTS;
	     i <= SLEEPPROXY_A_HOST_STAT_MAX; i++)
		mnl_attr_put_u64(nlh, i, 100 * h->id + i);
	mnl_attr_put_u64(nlh, SLEEPPROXY_A_HOST_STAT_MAX + 7, 7);
	mnl_attr_nest_end(nlh, nest);
	put_addrs(nlh, SLEEPPROXY_A_HOST_CONFLICTS, h, 1);
	/* Made-up hosts have none: the MAC to wake is their own. */
	mnl_attr_put(nlh, SLEEPPROXY_A_HOST_WAKE_LLADDR, ETH_ALEN,
		     memcmp(h->wake_mac, zero_mac, ETH_ALEN) ? h->wake_mac :
							       h->mac);
	/* The woken one has a wake log: a SYN, then a wake held back. */
	if (h->id == 2) {
		static const uint8_t src_mac[ETH_ALEN] = { 0x52, 0x54, 0, 0, 0, 2 };
		static const uint8_t frame[] = { 0xde, 0xad, 0xbe, 0xef };
		struct nlattr *wakes = mnl_attr_nest_start(nlh,
							   SLEEPPROXY_A_HOST_WAKES);
		struct in_addr src;

		inet_pton(AF_INET, "192.168.1.2", &src);
		nest = mnl_attr_nest_start(nlh, SLEEPPROXY_A_WAKE);
		mnl_attr_put_u8(nlh, SLEEPPROXY_A_WAKE_REASON,
				SLEEPPROXY_WAKE_SYN);
		mnl_attr_put_u64(nlh, SLEEPPROXY_A_WAKE_AGE_MS, 1500);
		mnl_attr_put_u8(nlh, SLEEPPROXY_A_WAKE_SENT, 1);
		mnl_attr_put(nlh, SLEEPPROXY_A_WAKE_SRC_LLADDR, ETH_ALEN,
			     src_mac);
		mnl_attr_put(nlh, SLEEPPROXY_A_WAKE_SRC_IPV4, sizeof(src), &src);
		mnl_attr_put_u16(nlh, SLEEPPROXY_A_WAKE_SRC_PORT, 40312);
		mnl_attr_put_u16(nlh, SLEEPPROXY_A_WAKE_DST_PORT, 22);
		mnl_attr_nest_end(nlh, nest);
		nest = mnl_attr_nest_start(nlh, SLEEPPROXY_A_WAKE);
		mnl_attr_put_u8(nlh, SLEEPPROXY_A_WAKE_REASON,
				SLEEPPROXY_WAKE_LEASE);
		mnl_attr_put_u64(nlh, SLEEPPROXY_A_WAKE_AGE_MS, 90000);
		mnl_attr_put_u8(nlh, SLEEPPROXY_A_WAKE_SENT, 0);
		mnl_attr_nest_end(nlh, nest);
		mnl_attr_nest_end(nlh, wakes);
		mnl_attr_put(nlh, SLEEPPROXY_A_HOST_WAKE_FRAME, sizeof(frame),
			     frame);
	}
	if (h->password_len && !getenv("FAKE_SP_NOPASSWORD"))
		mnl_attr_put(nlh, SLEEPPROXY_A_HOST_WAKE_PASSWORD,
			     h->password_len, h->password);
	mnl_attr_put_u8(nlh, SLEEPPROXY_A_HOST_ORIGIN,
			getenv("FAKE_SP_ORIGIN") ?
			env_int("FAKE_SP_ORIGIN") : h->origin);
	/* An attribute from the future, to be ignored. */
	mnl_attr_put_u32(nlh, SLEEPPROXY_A_HOST_MAX + 3, 0xdead);
	done(nlh);
}

static int host_dump(struct fake_sock *fs, const struct nlmsghdr *req)
{
	const struct nlattr *tb[SLEEPPROXY_A_HOST_MAX + 1];
	uint16_t flags = 0;
	uint32_t ifindex = 0;
	struct fake_state st;
	struct nlmsghdr *nlh;
	unsigned int i;
	const char *msg;
	int extra = env_int("FAKE_SP_EXTRA");

	msg = check_attrs(req, tb);
	if (msg)
		return ack(fs, req, -EINVAL, msg);
	if (tb[SLEEPPROXY_A_HOST_LLADDR])
		return ack(fs, req, -EINVAL, "a dump takes no lladdr");
	if (tb[SLEEPPROXY_A_HOST_IFINDEX])
		ifindex = mnl_attr_get_u32(tb[SLEEPPROXY_A_HOST_IFINDEX]);
	if (fs->dumps++ < (unsigned int)env_int("FAKE_SP_INTR"))
		flags |= NLM_F_DUMP_INTR;

	load(&st);
	for (i = 0; i < st.n_hosts; i++)
		if (!ifindex || st.hosts[i].ifindex == ifindex)
			put_host(fs, req, flags, &st.hosts[i]);
	for (i = 0; (int)i < extra; i++) {
		struct fake_host h = {
			.id = 1000 + i,
			.ifindex = 1000,
			.mac = { 0x02, 0, 0, 0, i >> 8, i },
			.n_addrs = SLEEPPROXY_MAX_IPV4 + SLEEPPROXY_MAX_IPV6,
			.n_ports = SLEEPPROXY_MAX_PORTS,
			.wake_count = 3,
		};
		unsigned int j;

		for (j = 0; j < h.n_addrs; j++) {
			h.addrs[j].type = j < SLEEPPROXY_MAX_IPV4 ?
				SLEEPPROXY_A_ADDR_IPV4 : SLEEPPROXY_A_ADDR_IPV6;
			h.addrs[j].bytes[0] = 10;
			h.addrs[j].bytes[3] = j;
		}
		for (j = 0; j < h.n_ports; j++)
			h.ports[j] = 1000 + j;
		if (!ifindex || ifindex == h.ifindex)
			put_host(fs, req, flags, &h);
	}
	msg = getenv("FAKE_SP_DUMP_ERR");
	nlh = reply(req, NLMSG_DONE, flags | NLM_F_MULTI);
	*(int *)mnl_nlmsg_put_extra_header(nlh, sizeof(int)) =
		msg ? -EINVAL : 0;
	if (msg && fs->ext_ack) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
	}
	done(nlh);
	flush(fs);
	return 0;
}

/*
 * The counters of the namespace (ifindex 0) or of an interface: hosts and
 * proxying from the state, every counter 1000 + its attribute (2000 + for
 * an interface's host totals), and an attribute from a newer module.
 */
static void put_stats(struct nlmsghdr *nlh, const struct fake_state *st,
		      uint32_t ifindex)
{
	unsigned int i, hosts = 0;
	struct nlattr *nest;

	for (i = 0; i < st->n_hosts; i++)
		if (!ifindex || st->hosts[i].ifindex == ifindex)
			hosts++;
	if (ifindex) {
		mnl_attr_put_u32(nlh, SLEEPPROXY_A_STATS_IFINDEX, ifindex);
		mnl_attr_put_strz(nlh, SLEEPPROXY_A_STATS_IFNAME,
				  ifindex == 1 ? "lo" : "eth\"9");
	}
	mnl_attr_put_u32(nlh, SLEEPPROXY_A_STATS_HOSTS, hosts);
	mnl_attr_put_u32(nlh, SLEEPPROXY_A_STATS_HOSTS_PROXYING, hosts / 2);
	for (i = SLEEPPROXY_A_STATS_RX_FRAMES;
	     i <= SLEEPPROXY_A_STATS_MANUAL_WAKES; i++)
		mnl_attr_put_u64(nlh, i, 1000 + i);
	if (ifindex) {
		nest = mnl_attr_nest_start(nlh, SLEEPPROXY_A_STATS_HOST_TOTALS);
		for (i = SLEEPPROXY_A_HOST_STAT_ARP_REQUESTS;
		     i <= SLEEPPROXY_A_HOST_STAT_MAX; i++)
			mnl_attr_put_u64(nlh, i, 2000 + i);
		mnl_attr_nest_end(nlh, nest);
	}
	mnl_attr_put_u64(nlh, SLEEPPROXY_A_STATS_MAX + 1, 1);
}

static bool fake_has_dev(const struct fake_state *st, uint32_t ifindex)
{
	unsigned int i;

	for (i = 0; i < st->n_hosts; i++)
		if (st->hosts[i].ifindex == ifindex)
			return true;
	return false;
}

static int stats_get(struct fake_sock *fs, const struct nlmsghdr *req)
{
	const struct nlattr *attr;
	uint32_t ifindex = 0;
	struct fake_state st;
	struct nlmsghdr *nlh;

	mnl_attr_for_each(attr, req, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) != SLEEPPROXY_A_STATS_IFINDEX ||
		    mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
			return ack(fs, req, -EINVAL, "unexpected attribute");
		ifindex = mnl_attr_get_u32(attr);
	}
	load(&st);
	if (ifindex && !fake_has_dev(&st, ifindex))
		return ack(fs, req, -ENOENT,
			   "no host is registered on that interface");
	nlh = genl_reply(req, FAKE_FAMILY, 0, SLEEPPROXY_CMD_STATS_GET);
	put_stats(nlh, &st, ifindex);
	done(nlh);
	flush(fs);
	if (req->nlmsg_flags & NLM_F_ACK)
		ack(fs, req, 0, NULL);
	return 0;
}

/* One message per interface with hosts, in ifindex order. */
static int stats_dump(struct fake_sock *fs, const struct nlmsghdr *req)
{
	uint32_t ifindex, last = 0;
	struct fake_state st;
	struct nlmsghdr *nlh;
	unsigned int i;

	load(&st);
	for (;;) {
		ifindex = 0;
		for (i = 0; i < st.n_hosts; i++)
			if (st.hosts[i].ifindex > last &&
			    (!ifindex || st.hosts[i].ifindex < ifindex))
				ifindex = st.hosts[i].ifindex;
		if (!ifindex)
			break;
		nlh = genl_reply(req, FAKE_FAMILY, NLM_F_MULTI,
				 SLEEPPROXY_CMD_STATS_GET);
		put_stats(nlh, &st, ifindex);
		done(nlh);
		last = ifindex;
	}
	nlh = reply(req, NLMSG_DONE, NLM_F_MULTI);
	*(int *)mnl_nlmsg_put_extra_header(nlh, sizeof(int)) = 0;
	done(nlh);
	flush(fs);
	return 0;
}

static int get_family(struct fake_sock *fs, const struct nlmsghdr *req)
{
	struct nlmsghdr *nlh;

	if (getenv("FAKE_SP_ABSENT"))
		return ack(fs, req, -ENOENT, NULL);
	nlh = genl_reply(req, GENL_ID_CTRL, 0, CTRL_CMD_NEWFAMILY);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, SLEEPPROXY_GENL_NAME);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, FAKE_FAMILY);
	mnl_attr_put_u32(nlh, CTRL_ATTR_VERSION, SLEEPPROXY_GENL_VERSION);
	done(nlh);
	flush(fs);
	if (req->nlmsg_flags & NLM_F_ACK)
		ack(fs, req, 0, NULL);
	return 0;
}

/* Nothing to send here: the request's shape is all there is to check. */
static int wake(struct fake_sock *fs, const struct nlmsghdr *req)
{
	const struct nlattr *attr;

	mnl_attr_for_each(attr, req, sizeof(struct genlmsghdr)) {
		size_t len = mnl_attr_get_payload_len(attr);

		if (mnl_attr_get_type(attr) == SLEEPPROXY_A_HOST_WAKE_PASSWORD &&
		    len != 4 && len != 6)
			return ack(fs, req, -EINVAL,
				   "a SecureOn password is 4 or 6 bytes");
	}
	return ack(fs, req, 0, NULL);
}

static int handle(struct fake_sock *fs, const struct nlmsghdr *req)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(req);
	const char *log = getenv("FAKE_SP_LOG");
	int dump = (req->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;

	if (log) {
		FILE *f = fopen(log, "a");

		if (f) {
			fprintf(f, "%u %u %s%s\n", req->nlmsg_type, genl->cmd,
				req->nlmsg_flags & NLM_F_ACK ? "ack" : "",
				dump ? "dump" : "");
			fclose(f);
		}
	}
	if (req->nlmsg_type == GENL_ID_CTRL &&
	    genl->cmd == CTRL_CMD_GETFAMILY)
		return get_family(fs, req);
	if (req->nlmsg_type != FAKE_FAMILY)
		return ack(fs, req, -EOPNOTSUPP, NULL);
	if (genl->version != SLEEPPROXY_GENL_VERSION)
		return ack(fs, req, -EINVAL, "bad version");
	if (getenv("FAKE_SP_NOCONFIG") &&
	    (genl->cmd == SLEEPPROXY_CMD_CONFIG_GET ||
	     genl->cmd == SLEEPPROXY_CMD_CONFIG_SET))
		return ack(fs, req, -EOPNOTSUPP, NULL);
	if (getenv("FAKE_SP_EPERM") && (genl->cmd == SLEEPPROXY_CMD_HOST_NEW ||
					genl->cmd == SLEEPPROXY_CMD_HOST_DEL ||
					genl->cmd == SLEEPPROXY_CMD_CONFIG_SET))
		return ack(fs, req, -EPERM, NULL);
	switch (genl->cmd) {
	case SLEEPPROXY_CMD_HOST_NEW:
		return host_new(fs, req);
	case SLEEPPROXY_CMD_HOST_DEL:
		return host_del(fs, req);
	case SLEEPPROXY_CMD_HOST_GET:
		if (dump)
			return host_dump(fs, req);
		return ack(fs, req, -EOPNOTSUPP, NULL);
	case SLEEPPROXY_CMD_STATS_GET:
		if (dump)
			return stats_dump(fs, req);
		return stats_get(fs, req);
	case SLEEPPROXY_CMD_WAKE:
		return wake(fs, req);
	case SLEEPPROXY_CMD_CONFIG_GET:
		return config_get(fs, req);
	case SLEEPPROXY_CMD_CONFIG_SET:
		return config_set(fs, req);
	}
	return ack(fs, req, -EOPNOTSUPP, NULL);
}

/* libmnl's socket calls, replaced. */

struct mnl_socket *mnl_socket_open(int bus)
{
	if (bus != NETLINK_GENERIC) {
		errno = EPROTONOSUPPORT;
		return NULL;
	}
	return calloc(1, sizeof(struct fake_sock));
}

int mnl_socket_setsockopt(const struct mnl_socket *nl, int type, void *buf,
			  socklen_t len)
{
	struct fake_sock *fs = (struct fake_sock *)nl;

	if (len != sizeof(int))
		return errno = EINVAL, -1;
	if (type == NETLINK_EXT_ACK)
		fs->ext_ack = *(int *)buf;
	else if (type == NETLINK_CAP_ACK)
		fs->cap_ack = *(int *)buf;
	return 0;
}

int mnl_socket_bind(struct mnl_socket *nl, unsigned int groups, pid_t pid)
{
	(void)nl;
	(void)groups;
	(void)pid;
	return 0;
}

unsigned int mnl_socket_get_portid(const struct mnl_socket *nl)
{
	(void)nl;
	return FAKE_PORTID;
}

ssize_t mnl_socket_sendto(const struct mnl_socket *nl, const void *req,
			  size_t len)
{
	const struct nlmsghdr *nlh = req;

	if (len < sizeof(*nlh) || nlh->nlmsg_len != len ||
	    !(nlh->nlmsg_flags & NLM_F_REQUEST) ||
	    len < mnl_nlmsg_size(sizeof(struct genlmsghdr))) {
		errno = EINVAL;
		return -1;
	}
	handle((struct fake_sock *)nl, nlh);
	return len;
}

ssize_t mnl_socket_recvfrom(const struct mnl_socket *nl, void *buf,
			    size_t size)
{
	struct fake_sock *fs = (struct fake_sock *)nl;
	struct dgram *d = fs->head;
	ssize_t len;

	if (!d) {
		/* The real socket would block forever: say so loudly. */
		fprintf(stderr, "fake-kernel: recv with nothing to read\n");
		abort();
	}
	fs->head = d->next;
	if (!fs->head)
		fs->tail = NULL;
	len = d->len;
	if ((size_t)len > size) {
		free(d);
		errno = ENOSPC;
		return -1;
	}
	memcpy(buf, d->data, len);
	free(d);
	return len;
}

int mnl_socket_close(struct mnl_socket *nl)
{
	struct fake_sock *fs = (struct fake_sock *)nl;

	while (fs->head) {
		struct dgram *d = fs->head;

		fs->head = d->next;
		free(d);
	}
	free(fs);
	return 0;
}
