// SPDX-License-Identifier: GPL-2.0
/*
 * How show and save write interfaces, MAC and IP addresses.
 */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/socket.h>

#include "json.h"
#include "spctl.h"

bool dev_name(const struct sp_host *host, char name[IF_NAMESIZE])
{
	if (host->ifname[0]) {
		snprintf(name, IF_NAMESIZE, "%s", host->ifname);
		return true;
	}
	if (if_indextoname(host->ifindex, name))
		return true;
	snprintf(name, IF_NAMESIZE, "if%" PRIu32, host->ifindex);
	return false;
}

void mac_str(const uint8_t mac[ETH_ALEN], char buf[MAC_STRLEN])
{
	snprintf(buf, MAC_STRLEN, "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

const uint8_t *wake_mac(const struct sp_host *host)
{
	static const uint8_t zero[ETH_ALEN];

	if (!memcmp(host->wake_lladdr, zero, ETH_ALEN))
		return host->lladdr;
	return host->wake_lladdr;
}

void password_str(const struct sp_host *host, char buf[PASSWORD_STRLEN])
{
	unsigned int i;
	char *p = buf;

	buf[0] = '\0';
	for (i = 0; i < host->password_len && i < SP_PASSWORD_MAX; i++)
		p += snprintf(p, buf + PASSWORD_STRLEN - p, "%s%02x",
			      i ? ":" : "", host->password[i]);
}

void addr_str(const struct sp_addr *addr, char buf[INET6_ADDRSTRLEN])
{
	const void *raw = addr->family == AF_INET ? (const void *)&addr->v4 :
						    (const void *)&addr->v6;

	if (!inet_ntop(addr->family, raw, buf, INET6_ADDRSTRLEN))
		snprintf(buf, INET6_ADDRSTRLEN, "?");
}

const char *host_state_name(const struct sp_host *host)
{
	static const char *const names[] = {
		[SLEEPPROXY_STATE_PROXYING]	= "proxying",
		[SLEEPPROXY_STATE_WOKEN]	= "woken",
		[SLEEPPROXY_STATE_AWAKE]	= "awake",
		[SLEEPPROXY_STATE_REGISTERED]	= "registered",
	};

	if (!host->has_state || host->state >= ARRAY_SIZE(names) ||
	    !names[host->state])
		return "unknown";
	return names[host->state];
}

const char *wake_reason_name(uint8_t reason)
{
	static const char *const names[] = {
		[SLEEPPROXY_WAKE_SYN]		= "syn",
		[SLEEPPROXY_WAKE_LEASE]		= "lease",
		[SLEEPPROXY_WAKE_MANUAL]	= "manual",
		[SLEEPPROXY_WAKE_MAGIC]		= "magic",
	};

	if (reason >= ARRAY_SIZE(names) || !names[reason])
		return "unknown";
	return names[reason];
}

static const char *via_name(uint8_t via)
{
	static const char *const names[] = {
		[SLEEPPROXY_VIA_LAN]	= "lan",
		[SLEEPPROXY_VIA_ROUTED]	= "routed",
		[SLEEPPROXY_VIA_LOCAL]	= "local",
	};

	if (via >= ARRAY_SIZE(names) || !names[via])
		return "unknown";
	return names[via];
}

/* The interface a routed packet came in on, by name if it is there. */
static void iif_name(const struct sp_wake *w, char name[IF_NAMESIZE])
{
	if (!if_indextoname(w->iifindex, name))
		snprintf(name, IF_NAMESIZE, "if%" PRIu32, w->iifindex);
}

void print_wake_cause(const struct sp_wake *w)
{
	char addr[INET6_ADDRSTRLEN], mac[MAC_STRLEN], iif[IF_NAMESIZE];

	if (w->has_src) {
		addr_str(&w->src, addr);
		printf(" from %s port %u", addr, w->sport);
	} else if (w->has_src_lladdr) {
		mac_str(w->src_lladdr, mac);
		printf(" from %s", mac);
	}
	if (w->has_src && w->has_src_lladdr) {
		mac_str(w->src_lladdr, mac);
		printf(" (%s)", mac);
	}
	if (w->has_via && w->via == SLEEPPROXY_VIA_LOCAL)
		printf(" (the gateway)");
	if (w->has_via && w->via == SLEEPPROXY_VIA_ROUTED) {
		printf(" routed");
		if (w->iifindex) {
			iif_name(w, iif);
			printf(" in on %s", iif);
		}
	}
	if (w->has_src)
		printf(" to port %u", w->dport);
	if (!w->sent)
		printf(", not sent (wake budget spent)");
}

void json_wake_cause(struct json_writer *jw, const struct sp_wake *w)
{
	char addr[INET6_ADDRSTRLEN], mac[MAC_STRLEN], iif[IF_NAMESIZE];

	json_bool_field(jw, "sent", w->sent);
	if (w->has_via)
		json_string_field(jw, "via", via_name(w->via));
	if (w->iifindex) {
		iif_name(w, iif);
		json_string_field(jw, "in_dev", iif);
	}
	if (w->has_src) {
		addr_str(&w->src, addr);
		json_string_field(jw, "src", addr);
		json_uint_field(jw, "sport", w->sport);
	}
	if (w->has_src_lladdr) {
		mac_str(w->src_lladdr, mac);
		json_string_field(jw, "src_mac", mac);
	}
	if (w->has_src)
		json_uint_field(jw, "dport", w->dport);
}
