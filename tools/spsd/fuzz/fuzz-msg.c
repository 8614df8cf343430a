// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for what spsd does with a datagram before the module
 * sees it: spsd_msg_parse(), then spsd_registry_prepare() and commit of
 * what it accepted, then the answer.  Beyond surviving, it checks the
 * rules the rest of spsd relies on.
 */

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../spsd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct spsd_registry reg = { .max_hosts = 4, .max_records = 64 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum spsd_verdict v;
	struct spsd_update u;
	enum spsd_rcode rcode;
	struct spsd_host *h;
	enum spsd_apply how;
	uint8_t reply[64];
	const char *why;
	size_t i, len;

	v = spsd_msg_parse(data, size, &u, &rcode, &why);
	if (v == SPSD_MSG_DROP) {
		/* Only runts and responses are dropped. */
		assert(size < 12 || (data[2] & 0x80));
		return 0;
	}
	if (v == SPSD_MSG_ERROR) {
		assert(why && (rcode == SPSD_FORMERR || rcode == SPSD_NOTIMP));
		assert(!u.rrs && !u.n_rrs);
		len = spsd_msg_reply(reply, sizeof(reply), u.id, 5, rcode, 0);
		assert(len == 12 && reply[3] == rcode);
		return 0;
	}
	assert(size <= SPSD_MSG_MAX && !(u.mac[0] & 1) && !(u.wake_mac[0] & 1));
	assert(u.password_len == 0 || u.password_len == 4 ||
	       u.password_len == 6);
	for (i = 0; i < u.n_rrs; i++)
		assert(u.rrs[i].name && *u.rrs[i].name && u.rrs[i].ttl &&
		       u.rrs[i].rclass == SPSD_DNS_CLASS_IN);

	if (!spsd_registry_prepare(&reg, 1, &u, u.lease, &h, &how, &why) &&
	    h) {
		assert(h->n_v4 <= SPSD_MAX_IPV4 && h->n_v6 <= SPSD_MAX_IPV6 &&
		       h->n_ports <= SPSD_MAX_PORTS);
		spsd_registry_commit(&reg, h);
	}
	assert(reg.n_hosts <= reg.max_hosts);
	assert(reg.n_records <= reg.max_records);
	/* Forget the oldest now and then, so that the registry turns over. */
	if (reg.n_hosts == reg.max_hosts) {
		struct spsd_host *last = reg.hosts;

		while (last->next)
			last = last->next;
		spsd_registry_remove(&reg, last);
	}
	len = spsd_msg_reply(reply, sizeof(reply), u.id, 5, SPSD_NOERROR,
			     u.lease);
	assert(len == 31);
	spsd_update_free(&u);
	return 0;
}
