// SPDX-License-Identifier: GPL-2.0
/*
 * The messages of the protocol: a DNS Update (RFC 2136) carrying the
 * sleeping host's records, with two EDNS0 options (RFC 6891): Update
 * Lease (code 2) and Owner (code 4), and the answer to it.  ldns does
 * the parsing; this file decides what of it a sleep proxy can use.
 */

#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <avahi-common/domain.h>
#include <ldns/ldns.h>

#include "spsd.h"

#define SPSD_OPT_LEASE		2
#define SPSD_OPT_OWNER		4
#define SPSD_OPT_UDP_SIZE	1440
#define SPSD_DNS_HDR_LEN	12
#define SPSD_DNS_FLAG_QR	0x80	/* in the first flags byte */

static bool spsd_mac_usable(const uint8_t *mac)
{
	static const uint8_t zero[ETH_ALEN];

	/* Not multicast (nor broadcast), not all zeros. */
	return !(mac[0] & 1) && memcmp(mac, zero, ETH_ALEN);
}

/*
 * The Update Lease option: 4 bytes of lease, or 8 with a key lease after
 * it (not used here).
 */
static bool spsd_opt_lease(struct spsd_update *u, const uint8_t *data,
			   size_t len)
{
	uint32_t lease;

	if (len != 4 && len != 8)
		return false;
	memcpy(&lease, data, sizeof(lease));
	u->lease = ntohl(lease);
	return true;
}

/*
 * The Owner option: version 0, a sequence number and the host's MAC;
 * then optionally the MAC to wake, then optionally a 4 or 6-byte
 * SecureOn password.
 */
static bool spsd_opt_owner(struct spsd_update *u, const uint8_t *data,
			   size_t len)
{
	if (len != 8 && len != 14 && len != 18 && len != 20)
		return false;
	if (data[0] != 0)
		return false;
	u->seq = data[1];
	memcpy(u->mac, data + 2, ETH_ALEN);
	memcpy(u->wake_mac, len >= 14 ? data + 8 : data + 2, ETH_ALEN);
	if (!spsd_mac_usable(u->mac) || !spsd_mac_usable(u->wake_mac))
		return false;
	u->password_len = len > 14 ? len - 14 : 0;
	memcpy(u->password, data + 14, u->password_len);
	return true;
}

static const char *spsd_parse_options(ldns_pkt *pkt, struct spsd_update *u)
{
	bool have_lease = false, have_owner = false;
	ldns_edns_option_list *opts;
	const char *why = NULL;
	size_t i, n;

	if (!ldns_pkt_edns(pkt))
		return "no OPT record";
	opts = ldns_pkt_edns_get_option_list(pkt);
	if (!opts)
		return "no EDNS options";
	n = ldns_edns_option_list_get_count(opts);
	for (i = 0; i < n && !why; i++) {
		ldns_edns_option *o = ldns_edns_option_list_get_option(opts, i);
		const uint8_t *data = ldns_edns_get_data(o);
		size_t len = ldns_edns_get_size(o);

		switch ((unsigned int)ldns_edns_get_code(o)) {
		case SPSD_OPT_LEASE:
			if (have_lease)
				why = "two Update Lease options";
			else if (!spsd_opt_lease(u, data, len))
				why = "a malformed Update Lease option";
			have_lease = true;
			break;
		case SPSD_OPT_OWNER:
			if (have_owner)
				why = "two Owner options";
			else if (!spsd_opt_owner(u, data, len))
				why = "a malformed Owner option";
			have_owner = true;
			break;
		default:
			/* Other options (a trace ID, say) do not matter. */
			break;
		}
	}
	if (!why && !have_lease)
		why = "no Update Lease option";
	if (!why && !have_owner)
		why = "no Owner option";
	return why;
}

/*
 * @dname's labels escaped the way Avahi writes them, joined by dots, or
 * NULL for the root or a name Avahi cannot hold.
 */
static char *spsd_name(const ldns_rdf *dname)
{
	const uint8_t *p = ldns_rdf_data(dname);
	size_t left = ldns_rdf_size(dname);
	char out[AVAHI_DOMAIN_NAME_MAX];
	size_t used = 0;

	while (left && *p) {
		size_t len = *p, room;
		char *end;

		if (len > 63 || len + 1 >= left)
			return NULL;
		if (used) {
			if (used + 1 >= sizeof(out))
				return NULL;
			out[used++] = '.';
		}
		end = out + used;
		room = sizeof(out) - used;
		if (!avahi_escape_label((const char *)p + 1, len, &end, &room))
			return NULL;
		used = end - out;
		p += len + 1;
		left -= len + 1;
	}
	if (!used)
		return NULL;
	out[used] = '\0';
	/* Avahi refuses some labels it can escape, a NUL byte in one say. */
	if (!avahi_is_valid_domain_name(out))
		return NULL;
	return strdup(out);
}

/* Whether a label of @dname after the first @skip ones is @label. */
static bool spsd_name_has_label(const ldns_rdf *dname, unsigned int skip,
				const char *label)
{
	const uint8_t *p = ldns_rdf_data(dname);
	size_t left = ldns_rdf_size(dname);
	size_t want = strlen(label);

	for (; left && *p && *p + 1U < left; skip = skip ? skip - 1 : 0) {
		if (!skip && *p == want &&
		    !strncasecmp((const char *)p + 1, label, want))
			return true;
		left -= *p + 1;
		p += *p + 1;
	}
	return false;
}

/*
 * The records a sleeping host's browsers need: its addresses, its
 * services (PTR, SRV, TXT) and its reverse mappings.  Deletions (class
 * NONE or ANY), goodbyes (TTL 0) and whatever else a client adds, such as
 * macOS's _keepalive records or NSEC, are accepted and not kept.
 */
static bool spsd_rr_wanted(const ldns_rr *rr)
{
	uint16_t rclass = ldns_rr_get_class(rr) & ~SPSD_DNS_CLASS_FLUSH;

	if (rclass != SPSD_DNS_CLASS_IN || !ldns_rr_ttl(rr))
		return false;
	if (spsd_name_has_label(ldns_rr_owner(rr), 0, "_keepalive"))
		return false;
	switch (ldns_rr_get_type(rr)) {
	case LDNS_RR_TYPE_A:
	case LDNS_RR_TYPE_AAAA:
	case LDNS_RR_TYPE_PTR:
	case LDNS_RR_TYPE_SRV:
	case LDNS_RR_TYPE_TXT:
		return true;
	default:
		return false;
	}
}

static int spsd_rr_from_ldns(struct spsd_rr *out, const ldns_rr *rr)
{
	ldns_buffer *buf = ldns_buffer_new(LDNS_MAX_PACKETLEN);
	int ret = -1;

	memset(out, 0, sizeof(*out));
	if (!buf)
		return -1;
	if (ldns_rr_rdata2buffer_wire(buf, rr) != LDNS_STATUS_OK ||
	    ldns_buffer_position(buf) > UINT16_MAX)
		goto out;
	out->name = spsd_name(ldns_rr_owner(rr));
	if (!out->name)
		goto out;
	out->type = ldns_rr_get_type(rr);
	out->rclass = ldns_rr_get_class(rr) & ~SPSD_DNS_CLASS_FLUSH;
	out->unique = ldns_rr_get_class(rr) & SPSD_DNS_CLASS_FLUSH;
	out->ttl = ldns_rr_ttl(rr);
	/* Instance._service._tcp.domain: skip the instance's own label. */
	out->tcp_service = out->type == LDNS_RR_TYPE_SRV &&
			   spsd_name_has_label(ldns_rr_owner(rr), 1, "_tcp");
	out->rdlen = ldns_buffer_position(buf);
	out->rdata = malloc(out->rdlen ? out->rdlen : 1);
	if (!out->rdata)
		goto out;
	memcpy(out->rdata, ldns_buffer_begin(buf), out->rdlen);
	ret = 0;
out:
	if (ret)
		spsd_rr_free(out);
	ldns_buffer_free(buf);
	return ret;
}

static const char *spsd_parse_records(ldns_pkt *pkt, struct spsd_update *u)
{
	const ldns_rr_list *list = ldns_pkt_authority(pkt);
	size_t i, n = ldns_rr_list_rr_count(list);

	if (n > SPSD_RR_MAX)
		return "too many records";
	u->rrs = calloc(n ? n : 1, sizeof(*u->rrs));
	if (!u->rrs)
		return "out of memory";
	for (i = 0; i < n; i++) {
		const ldns_rr *rr = ldns_rr_list_rr(list, i);

		if (!spsd_rr_wanted(rr) ||
		    spsd_rr_from_ldns(&u->rrs[u->n_rrs], rr)) {
			u->n_ignored++;
			continue;
		}
		u->n_rrs++;
	}
	return NULL;
}

enum spsd_verdict spsd_msg_parse(const uint8_t *buf, size_t len,
				 struct spsd_update *u,
				 enum spsd_rcode *rcode, const char **why)
{
	enum spsd_verdict verdict = SPSD_MSG_ERROR;
	ldns_pkt *pkt = NULL;

	memset(u, 0, sizeof(*u));
	*rcode = SPSD_FORMERR;
	if (len < SPSD_DNS_HDR_LEN) {
		*why = "shorter than a DNS header";
		return SPSD_MSG_DROP;
	}
	u->id = (uint16_t)(buf[0] << 8 | buf[1]);
	/* Never answer an answer: two servers would loop. */
	if (buf[2] & SPSD_DNS_FLAG_QR) {
		*why = "a response, not a request";
		return SPSD_MSG_DROP;
	}
	if ((buf[2] >> 3 & 0xf) != SPSD_DNS_OPCODE_UPDATE) {
		*why = "not an UPDATE";
		*rcode = SPSD_NOTIMP;
		return SPSD_MSG_ERROR;
	}
	if (len > SPSD_MSG_MAX) {
		*why = "too large";
		return SPSD_MSG_ERROR;
	}
	if (ldns_wire2pkt(&pkt, buf, len) != LDNS_STATUS_OK) {
		*why = "not a well-formed DNS message";
		return SPSD_MSG_ERROR;
	}
	*why = spsd_parse_options(pkt, u);
	if (!*why)
		*why = spsd_parse_records(pkt, u);
	if (!*why)
		verdict = SPSD_MSG_OK;
	else
		spsd_update_free(u);
	ldns_pkt_free(pkt);
	return verdict;
}

void spsd_rr_free(struct spsd_rr *rr)
{
	free(rr->name);
	free(rr->rdata);
	rr->name = NULL;
	rr->rdata = NULL;
}

void spsd_update_free(struct spsd_update *u)
{
	size_t i;

	for (i = 0; i < u->n_rrs; i++)
		spsd_rr_free(&u->rrs[i]);
	free(u->rrs);
	u->rrs = NULL;
	u->n_rrs = 0;
}

/* The same record: names compare as DNS names do, without case. */
bool spsd_rr_equal(const struct spsd_rr *a, const struct spsd_rr *b)
{
	return a->type == b->type && a->rclass == b->rclass &&
	       a->rdlen == b->rdlen && !memcmp(a->rdata, b->rdata, a->rdlen) &&
	       avahi_domain_equal(a->name, b->name);
}

static void spsd_put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static void spsd_put32(uint8_t *p, uint32_t v)
{
	spsd_put16(p, v >> 16);
	spsd_put16(p + 2, v & 0xffff);
}

/*
 * Written out rather than through ldns: the answer is a fixed shape of
 * 12 or 31 bytes, and building it cannot fail for want of memory.
 */
size_t spsd_msg_reply(uint8_t *buf, size_t size, uint16_t id, uint8_t opcode,
		      enum spsd_rcode rcode, uint32_t lease)
{
	size_t len = SPSD_DNS_HDR_LEN;
	uint8_t *opt;

	if (size < SPSD_DNS_HDR_LEN + 21)
		return 0;
	memset(buf, 0, SPSD_DNS_HDR_LEN);
	spsd_put16(buf, id);
	buf[2] = SPSD_DNS_FLAG_QR | (opcode & 0xf) << 3;
	buf[3] = rcode & 0xf;
	if (rcode != SPSD_NOERROR)
		return len;

	spsd_put16(buf + 10, 1);	/* ARCOUNT: the OPT record */
	opt = buf + len;
	opt[0] = 0;			/* root owner */
	spsd_put16(opt + 1, LDNS_RR_TYPE_OPT);
	spsd_put16(opt + 3, SPSD_OPT_UDP_SIZE);
	spsd_put32(opt + 5, 0);		/* extended rcode, version, flags */
	spsd_put16(opt + 9, 8);		/* RDLENGTH: one option */
	spsd_put16(opt + 11, SPSD_OPT_LEASE);
	spsd_put16(opt + 13, 4);
	spsd_put32(opt + 15, lease);
	return len + 19;
}
