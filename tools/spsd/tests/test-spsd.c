// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for what spsd decides without the network, the module or
 * Avahi: reading updates, answering them, merging registrations, and the
 * configuration file.  Updates are built with ldns, independently of the
 * parser under test.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <ldns/ldns.h>

#include "../spsd.h"

static int failures;

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			printf("%s:%d: check failed: %s\n",		\
				__FILE__, __LINE__, #cond);		\
			failures++;					\
		}							\
	} while (0)

static const uint8_t mac_a[ETH_ALEN] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t mac_w[ETH_ALEN] = { 0x52, 0x54, 0x00, 0x65, 0x43, 0x21 };

struct msg {
	uint8_t *wire;
	size_t len;
};

/* The owner option: 8 bytes, or 14 with a wake MAC, then a password. */
static size_t owner_opt(uint8_t *o, uint8_t seq, const uint8_t *wake,
			const uint8_t *pw, size_t pwlen)
{
	size_t len = 8;

	o[0] = 0;
	o[1] = seq;
	memcpy(o + 2, mac_a, ETH_ALEN);
	if (wake) {
		memcpy(o + 8, wake, ETH_ALEN);
		len = 14;
	}
	if (pw) {
		memcpy(o + len, pw, pwlen);
		len += pwlen;
	}
	return len;
}

/*
 * An update as macOS sends it: zone "local.", the records in the update
 * section, OPT with the options given (lease_len 0: no Lease option;
 * owner_len 0: no Owner option).
 */
static struct msg build(uint16_t id, const char *const *rrs, uint32_t lease,
			size_t lease_len, const uint8_t *owner,
			size_t owner_len, uint16_t edns_z)
{
	ldns_edns_option_list *opts = ldns_edns_option_list_new();
	ldns_pkt *pkt = ldns_pkt_new();
	struct msg m = { NULL, 0 };
	uint8_t lbuf[8] = { 0 };
	ldns_rr *rr;

	ldns_pkt_set_id(pkt, id);
	ldns_pkt_set_opcode(pkt, LDNS_PACKET_UPDATE);
	CHECK(ldns_rr_new_question_frm_str(&rr, "local. IN SOA", NULL, NULL) ==
	      LDNS_STATUS_OK);
	ldns_pkt_push_rr(pkt, LDNS_SECTION_QUESTION, rr);
	for (; rrs && *rrs; rrs++) {
		if (**rrs == '-') {
			/* "-NAME": delete NAME's A RRset (class ANY, no data). */
			rr = ldns_rr_new();
			ldns_rr_set_owner(rr, ldns_dname_new_frm_str(*rrs + 1));
			ldns_rr_set_type(rr, LDNS_RR_TYPE_A);
			ldns_rr_set_class(rr, LDNS_RR_CLASS_ANY);
			ldns_rr_set_ttl(rr, 0);
		} else if (ldns_rr_new_frm_str(&rr, *rrs, 0, NULL, NULL) !=
			   LDNS_STATUS_OK) {
			printf("cannot build the record \"%s\"\n", *rrs);
			failures++;
			continue;
		}
		ldns_pkt_push_rr(pkt, LDNS_SECTION_AUTHORITY, rr);
	}
	if (lease_len) {
		lbuf[0] = lease >> 24;
		lbuf[1] = lease >> 16;
		lbuf[2] = lease >> 8;
		lbuf[3] = lease;
		ldns_edns_option_list_push(opts,
			ldns_edns_new_from_data(2, lease_len, lbuf));
	}
	if (owner_len)
		ldns_edns_option_list_push(opts,
			ldns_edns_new_from_data(4, owner_len, owner));
	ldns_pkt_set_edns_udp_size(pkt, 1440);
	ldns_pkt_set_edns_z(pkt, edns_z);
	ldns_pkt_set_edns_option_list(pkt, opts);
	CHECK(ldns_pkt2wire(&m.wire, pkt, &m.len) == LDNS_STATUS_OK);
	ldns_pkt_free(pkt);
	return m;
}

static const char *const host_rrs[] = {
	"myhost.local. 120 IN A 192.168.1.4",
	"myhost.local. 120 IN AAAA fe80::5054:ff:fe12:3456",
	"myhost.local. 120 IN AAAA 2001:db8::4",
	"4.1.168.192.in-addr.arpa. 120 IN PTR myhost.local.",
	"_services._dns-sd._udp.local. 4500 IN PTR _ssh._tcp.local.",
	"_ssh._tcp.local. 4500 IN PTR My\\032Host._ssh._tcp.local.",
	"My\\032Host._ssh._tcp.local. 4500 IN SRV 0 0 22 myhost.local.",
	"My\\032Host._ssh._tcp.local. 4500 IN TXT \"path=/\"",
	/* A UDP service's port never wakes the host. */
	"My\\032Host._sleep-test._udp.local. 4500 IN SRV 0 0 5353 myhost.local.",
	/* Kept out: a keepalive record, a deletion, an NSEC. */
	"1._keepalive._dns-sd._udp.local. 4500 IN NULL \\# 4 74657374",
	"-gone.local.",
	"myhost.local. 120 IN NSEC myhost.local. A AAAA",
	NULL,
};

static const char *const more_rrs[] = {
	"My\\032Host._http._tcp.local. 4500 IN SRV 0 0 8080 myhost.local.",
	"_http._tcp.local. 4500 IN PTR My\\032Host._http._tcp.local.",
	/* The same record as in the first message. */
	"myhost.local. 120 IN A 192.168.1.4",
	NULL,
};

static enum spsd_verdict parse(struct msg m, struct spsd_update *u,
			       enum spsd_rcode *rcode)
{
	const char *why;
	enum spsd_verdict v = spsd_msg_parse(m.wire, m.len, u, rcode, &why);

	free(m.wire);
	return v;
}

static const struct spsd_rr *find_rr(const struct spsd_rr *rrs, size_t n,
				     uint16_t type, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (rrs[i].type == type && !strcmp(rrs[i].name, name))
			return &rrs[i];
	return NULL;
}

static void test_parse(void)
{
	static const uint8_t pw6[6] = { 1, 2, 3, 4, 5, 6 };
	enum spsd_rcode rcode;
	struct spsd_update u;
	const struct spsd_rr *rr;
	uint8_t o[20];
	size_t olen;

	/* The Linux SleepProxyClient's form: version 0, seq 0, the MAC. */
	olen = owner_opt(o, 0, NULL, NULL, 0);
	CHECK(parse(build(0x1234, host_rrs, 7200, 4, o, olen, 0), &u,
		    &rcode) == SPSD_MSG_OK);
	CHECK(u.id == 0x1234 && u.lease == 7200 && u.seq == 0);
	CHECK(!memcmp(u.mac, mac_a, ETH_ALEN));
	CHECK(!memcmp(u.wake_mac, mac_a, ETH_ALEN) && !u.password_len);
	/* 9 records kept: the NULL, the deletion and the NSEC are not. */
	CHECK(u.n_rrs == 9 && u.n_ignored == 3);
	rr = find_rr(u.rrs, u.n_rrs, LDNS_RR_TYPE_SRV,
		     "My\\032Host._ssh._tcp.local");
	CHECK(rr && rr->tcp_service && rr->ttl == 4500 && rr->rdlen > 6);
	CHECK(rr && rr->rdata[4] == 0 && rr->rdata[5] == 22);
	rr = find_rr(u.rrs, u.n_rrs, LDNS_RR_TYPE_SRV,
		     "My\\032Host._sleep-test._udp.local");
	CHECK(rr && !rr->tcp_service);
	rr = find_rr(u.rrs, u.n_rrs, LDNS_RR_TYPE_PTR,
		     "4.1.168.192.in-addr.arpa");
	CHECK(rr && rr->rdlen == 14);	/* "myhost.local." uncompressed */
	spsd_update_free(&u);

	/* A wake MAC, a 6-byte password, EDNS flag bits set. */
	olen = owner_opt(o, 7, mac_w, pw6, 6);
	CHECK(parse(build(1, host_rrs, 60, 4, o, olen, 0x8000), &u,
		    &rcode) == SPSD_MSG_OK);
	CHECK(u.seq == 7 && !memcmp(u.wake_mac, mac_w, ETH_ALEN));
	CHECK(u.password_len == 6 && !memcmp(u.password, pw6, 6));
	spsd_update_free(&u);

	/* A 4-byte password; an 8-byte lease (with a key lease). */
	olen = owner_opt(o, 7, mac_w, pw6, 4);
	CHECK(parse(build(1, NULL, 60, 8, o, olen, 0), &u, &rcode) ==
	      SPSD_MSG_OK);
	CHECK(u.password_len == 4 && u.lease == 60 && !u.n_rrs);
	spsd_update_free(&u);

	/* A name Avahi cannot hold (a NUL byte in a label) is not kept. */
	{
		static const char *const nul_rrs[] = {
			"a\\000b.local. 120 IN A 192.168.1.9",
			"ok.local. 120 IN A 192.168.1.10",
			NULL,
		};

		olen = owner_opt(o, 0, NULL, NULL, 0);
		CHECK(parse(build(1, nul_rrs, 60, 4, o, olen, 0), &u,
			    &rcode) == SPSD_MSG_OK);
		CHECK(u.n_rrs == 1 && u.n_ignored == 1 &&
		      !strcmp(u.rrs[0].name, "ok.local"));
		spsd_update_free(&u);
	}

	/* FORMERR: no lease, no owner, bad lengths, version, MACs. */
	olen = owner_opt(o, 0, NULL, NULL, 0);
	CHECK(parse(build(2, host_rrs, 0, 0, o, olen, 0), &u, &rcode) ==
	      SPSD_MSG_ERROR && rcode == SPSD_FORMERR && u.id == 2);
	CHECK(parse(build(2, host_rrs, 60, 4, o, 0, 0), &u, &rcode) ==
	      SPSD_MSG_ERROR && rcode == SPSD_FORMERR);
	CHECK(parse(build(2, host_rrs, 60, 3, o, olen, 0), &u, &rcode) ==
	      SPSD_MSG_ERROR && rcode == SPSD_FORMERR);
	CHECK(parse(build(2, host_rrs, 60, 4, o, 7, 0), &u, &rcode) ==
	      SPSD_MSG_ERROR && rcode == SPSD_FORMERR);
	CHECK(parse(build(2, host_rrs, 60, 4, o, 16, 0), &u, &rcode) ==
	      SPSD_MSG_ERROR && rcode == SPSD_FORMERR);
	o[0] = 1;
	CHECK(parse(build(2, host_rrs, 60, 4, o, olen, 0), &u, &rcode) ==
	      SPSD_MSG_ERROR && rcode == SPSD_FORMERR);
	o[0] = 0;
	o[2] = 0x01;	/* a multicast MAC */
	CHECK(parse(build(2, host_rrs, 60, 4, o, olen, 0), &u, &rcode) ==
	      SPSD_MSG_ERROR && rcode == SPSD_FORMERR);
}

static void test_malformed(void)
{
	uint8_t o[20], buf[SPSD_MSG_MAX + 100];
	enum spsd_rcode rcode;
	struct spsd_update u;
	const char *why;
	struct msg m;
	size_t i;

	m = build(3, host_rrs, 7200, 4, o, owner_opt(o, 0, NULL, NULL, 0), 0);
	/* Every truncation: a runt is dropped, the rest is FORMERR. */
	for (i = 0; i < m.len; i++) {
		enum spsd_verdict v = spsd_msg_parse(m.wire, i, &u, &rcode,
						     &why);

		CHECK(i < 12 ? v == SPSD_MSG_DROP :
			       v == SPSD_MSG_ERROR && rcode == SPSD_FORMERR);
	}
	/* A response is never answered. */
	m.wire[2] |= 0x80;
	CHECK(spsd_msg_parse(m.wire, m.len, &u, &rcode, &why) ==
	      SPSD_MSG_DROP);
	/* A query: NOTIMP. */
	m.wire[2] = 0;
	CHECK(spsd_msg_parse(m.wire, m.len, &u, &rcode, &why) ==
	      SPSD_MSG_ERROR && rcode == SPSD_NOTIMP && u.id == 3);
	free(m.wire);

	/* Too large for any real registration. */
	memset(buf, 0, sizeof(buf));
	buf[2] = SPSD_DNS_OPCODE_UPDATE << 3;
	CHECK(spsd_msg_parse(buf, sizeof(buf), &u, &rcode, &why) ==
	      SPSD_MSG_ERROR && rcode == SPSD_FORMERR);
}

static void test_reply(void)
{
	uint8_t buf[64];
	ldns_pkt *pkt;
	size_t len;

	len = spsd_msg_reply(buf, sizeof(buf), 0xbeef, SPSD_DNS_OPCODE_UPDATE,
			     SPSD_NOERROR, 7200);
	CHECK(len == 31);
	CHECK(ldns_wire2pkt(&pkt, buf, len) == LDNS_STATUS_OK);
	if (pkt) {
		ldns_edns_option_list *opts = ldns_pkt_edns_get_option_list(pkt);
		ldns_edns_option *o;
		const uint8_t *d;

		CHECK(ldns_pkt_id(pkt) == 0xbeef && ldns_pkt_qr(pkt));
		CHECK(ldns_pkt_get_opcode(pkt) == LDNS_PACKET_UPDATE);
		CHECK(ldns_pkt_get_rcode(pkt) == LDNS_RCODE_NOERROR);
		CHECK(opts && ldns_edns_option_list_get_count(opts) == 1);
		o = opts ? ldns_edns_option_list_get_option(opts, 0) : NULL;
		d = o ? ldns_edns_get_data(o) : NULL;
		CHECK(o && ldns_edns_get_code(o) == 2 &&
		      ldns_edns_get_size(o) == 4);
		CHECK(d && d[0] == 0 && d[1] == 0 && d[2] == 0x1c &&
		      d[3] == 0x20);
		ldns_pkt_free(pkt);
	}
	len = spsd_msg_reply(buf, sizeof(buf), 7, SPSD_DNS_OPCODE_UPDATE,
			     SPSD_REFUSED, 0);
	CHECK(len == 12 && buf[3] == SPSD_REFUSED && buf[2] == 0xa8);
	CHECK(!spsd_msg_reply(buf, 20, 7, 5, SPSD_NOERROR, 1));
}

/* Folds a message into @reg as spsd would once the module took it. */
static int apply(struct spsd_registry *reg, const char *const *rrs,
		 uint8_t seq, enum spsd_apply *how)
{
	struct spsd_host *h;
	enum spsd_rcode rcode;
	struct spsd_update u;
	const char *why;
	uint8_t o[20];
	int ret;

	if (parse(build(9, rrs, 7200, 4, o, owner_opt(o, seq, NULL, NULL, 0),
			0), &u, &rcode) != SPSD_MSG_OK)
		return -2;
	ret = spsd_registry_prepare(reg, 3, &u, 7200, &h, how, &why);
	if (!ret && h)
		spsd_registry_commit(reg, h);
	spsd_update_free(&u);
	return ret;
}

static void test_registry(void)
{
	struct spsd_registry reg = { .max_hosts = 1, .max_records = 12 };
	enum spsd_apply how;
	struct spsd_host *h;

	CHECK(!apply(&reg, host_rrs, 5, &how) && how == SPSD_APPLY_NEW);
	h = spsd_registry_find(&reg, 3, mac_a);
	CHECK(h && h->n_rrs == 9 && reg.n_records == 9);
	CHECK(h && h->n_v4 == 1 && h->n_v6 == 2);
	CHECK(h && h->n_ports == 1 && h->ports[0] == 22);

	/* The same sequence number: the second message adds to the first. */
	CHECK(!apply(&reg, more_rrs, 5, &how) && how == SPSD_APPLY_MERGED);
	h = spsd_registry_find(&reg, 3, mac_a);
	CHECK(h && h->n_rrs == 11 && reg.n_records == 11 && reg.n_hosts == 1);
	CHECK(h && h->n_ports == 2 && h->ports[1] == 8080);
	CHECK(h && h->n_v4 == 1);

	/* Older: ignored, nothing changes.  255 is older than 5 here. */
	CHECK(!apply(&reg, NULL, 4, &how) && how == SPSD_APPLY_STALE);
	CHECK(!apply(&reg, NULL, 255, &how) && how == SPSD_APPLY_STALE);
	h = spsd_registry_find(&reg, 3, mac_a);
	CHECK(h && h->n_rrs == 11 && h->seq == 5);

	/* Newer starts over; over max_records the registry is unchanged. */
	CHECK(!apply(&reg, more_rrs, 6, &how) && how == SPSD_APPLY_REPLACED);
	h = spsd_registry_find(&reg, 3, mac_a);
	CHECK(h && h->n_rrs == 3 && h->n_ports == 1 && h->ports[0] == 8080);
	reg.max_records = 5;
	CHECK(apply(&reg, host_rrs, 6, &how) == -1);
	CHECK(reg.n_records == 3);
	/* Sequence numbers wrap: 6 + 200 is older, 6 + 100 newer. */
	CHECK(!apply(&reg, NULL, 206, &how) && how == SPSD_APPLY_STALE);
	CHECK(!apply(&reg, NULL, 106, &how) && how == SPSD_APPLY_REPLACED);

	while (reg.hosts)
		spsd_registry_remove(&reg, reg.hosts);
	CHECK(!reg.n_hosts && !reg.n_records);
}

static int conf(const char *text, struct spsd_config *cfg)
{
	char path[] = "/tmp/spsd-test.XXXXXX";
	int fd = mkstemp(path), ret;

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		return -2;
	close(fd);
	spsd_config_defaults(cfg);
	ret = spsd_config_load(cfg, path);
	unlink(path);
	return ret;
}

static void test_config(void)
{
	struct spsd_config cfg;
	char name[64];

	CHECK(!conf("# a gateway\ninterfaces = br0, br0.20\nname = Cellar Box\n"
		    "intent = 20\nmax_lease = 86400 # a day\nport = 5599\n",
		    &cfg));
	CHECK(cfg.n_ifaces == 2 && !strcmp(cfg.ifnames[1], "br0.20"));
	CHECK(cfg.intent == 20 && cfg.max_lease == 86400 && cfg.port == 5599);
	CHECK(!spsd_config_instance(&cfg, name, sizeof(name)) &&
	      !strcmp(name, "20-40-30-65.0 Cellar Box"));
	CHECK(cfg.max_hosts == 256 && cfg.max_records == 10000);

	CHECK(conf("name = x\n", &cfg) == -1);		/* no interfaces */
	CHECK(conf("interfaces = br0\nintent = 9\n", &cfg) == -1);
	CHECK(conf("interfaces = br0\nmax_lease = 86401\n", &cfg) == -1);
	CHECK(conf("interfaces = br0\nbogus = 1\n", &cfg) == -1);
	CHECK(conf("interfaces = br0\nname = a/b\n", &cfg) == -1);
	CHECK(conf("interfaces = br0\nport 53\n", &cfg) == -1);
	CHECK(conf("interfaces = br0\nport = -1\n", &cfg) == -1);
}

int main(void)
{
	/* The parser's notes go to the log; keep the test's output clean. */
	if (!freopen("/dev/null", "w", stderr))
		return 1;
	test_parse();
	test_malformed();
	test_reply();
	test_registry();
	test_config();
	if (failures) {
		printf("test-spsd: %d checks failed\n", failures);
		return 1;
	}
	printf("test-spsd: all checks passed\n");
	return 0;
}
