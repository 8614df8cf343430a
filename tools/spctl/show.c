// SPDX-License-Identifier: GPL-2.0
/*
 * spctl show: the registered hosts, their state and their counters.
 */

#include <inttypes.h>
#include <stdio.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/socket.h>

#include "json.h"
#include "spctl.h"

const char show_synopsis[] = "show [dev IFNAME] [-j]";

#define STAT(name)	{ #name, offsetof(struct sp_host_stats, name) }

/* Counter names, the same in plain and JSON output. */
static const struct {
	const char *name;
	size_t offset;
} host_stats[] = {
	STAT(arp_requests),
	STAT(arp_replies),
	STAT(garp_sent),
	STAT(syn_wake),
	STAT(syn_other),
	STAT(wakes),
	STAT(magic_sent),
	STAT(awake),
	STAT(awake_probes),
	STAT(ns_requests),
	STAT(na_replies),
	STAT(na_unsolicited),
	STAT(dropped),
	STAT(echo_replies),
};

/*
 * Plain output gives the counters on three lines: ARP, then TCP and wakes,
 * then Neighbor Discovery, drops and echo.
 */
static bool host_stats_line_start(size_t i)
{
	return i == 0 || i == 3 || i == 9;
}

static uint64_t stat_value(const struct sp_host_stats *st, size_t i)
{
	return *(const uint64_t *)((const char *)st + host_stats[i].offset);
}

static const char *state_name(const struct sp_host *host)
{
	static const char *const names[] = {
		[SLEEPPROXY_STATE_PROXYING]	= "proxying",
		[SLEEPPROXY_STATE_WOKEN]	= "woken",
		[SLEEPPROXY_STATE_AWAKE]	= "awake",
	};

	if (!host->has_state || host->state >= ARRAY_SIZE(names) ||
	    !names[host->state])
		return "unknown";
	return names[host->state];
}

/* The name the kernel gave, else the current one, else "if<index>". */
static void dev_name(const struct sp_host *host, char name[IF_NAMESIZE])
{
	if (host->ifname[0])
		snprintf(name, IF_NAMESIZE, "%s", host->ifname);
	else if (!if_indextoname(host->ifindex, name))
		snprintf(name, IF_NAMESIZE, "if%" PRIu32, host->ifindex);
}

static void mac_str(const uint8_t mac[ETH_ALEN], char buf[18])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

static void addr_str(const struct sp_addr *addr, char buf[INET6_ADDRSTRLEN])
{
	const void *raw = addr->family == AF_INET ? (const void *)&addr->v4 :
						    (const void *)&addr->v6;

	if (!inet_ntop(addr->family, raw, buf, INET6_ADDRSTRLEN))
		snprintf(buf, INET6_ADDRSTRLEN, "?");
}

/* 12.3s under a minute, then 5m07s, 2h05m07s, 3d04h05m. */
static void print_age(uint32_t ms)
{
	uint32_t s = ms / 1000;

	if (s < 60)
		printf("%" PRIu32 ".%" PRIu32 "s", s, ms % 1000 / 100);
	else if (s < 3600)
		printf("%" PRIu32 "m%02" PRIu32 "s", s / 60, s % 60);
	else if (s < 86400)
		printf("%" PRIu32 "h%02" PRIu32 "m%02" PRIu32 "s", s / 3600,
		       s / 60 % 60, s % 60);
	else
		printf("%" PRIu32 "d%02" PRIu32 "h%02" PRIu32 "m", s / 86400,
		       s / 3600 % 24, s / 60 % 60);
}

static void print_host(const struct sp_host *host)
{
	char dev[IF_NAMESIZE], mac[18], addr[INET6_ADDRSTRLEN];
	unsigned int i;

	dev_name(host, dev);
	mac_str(host->lladdr, mac);
	printf("%s %s %s", dev, mac, state_name(host));
	if (host->has_state) {
		putchar(' ');
		print_age(host->state_age_ms);
	}
	putchar('\n');

	printf("    ip");
	for (i = 0; i < host->n_addrs; i++) {
		addr_str(&host->addrs[i], addr);
		printf(" %s", addr);
	}
	putchar('\n');

	printf("    tcp ");
	if (host->flags & SLEEPPROXY_HOST_F_TCP_ANY)
		printf("any");
	else if (!host->n_ports)
		printf("none");
	for (i = 0; i < host->n_ports; i++)
		printf("%s%u", i ? "," : "", host->ports[i]);
	if (host->wake_count)
		printf(" wake-count %u", host->wake_count);
	if (host->has_lease)
		printf(" lease %" PRIu32, host->lease);
	printf(" ping %s",
	       host->flags & SLEEPPROXY_HOST_F_PING ? "on" : "off");
	putchar('\n');

	for (i = 0; i < ARRAY_SIZE(host_stats); i++) {
		bool first = host_stats_line_start(i);
		bool last = i == ARRAY_SIZE(host_stats) - 1 ||
			    host_stats_line_start(i + 1);

		printf("%s%s %" PRIu64 "%s", first ? "    " : " ",
		       host_stats[i].name, stat_value(&host->stats, i),
		       last ? "\n" : "");
	}
}

static void print_host_json(struct json_writer *jw, const struct sp_host *host)
{
	char dev[IF_NAMESIZE], mac[18], addr[INET6_ADDRSTRLEN];
	unsigned int i;

	dev_name(host, dev);
	mac_str(host->lladdr, mac);

	json_object_start(jw);
	json_uint_field(jw, "id", host->id);
	json_string_field(jw, "dev", dev);
	json_uint_field(jw, "ifindex", host->ifindex);
	json_string_field(jw, "mac", mac);
	json_key(jw, "addrs");
	json_array_start(jw);
	for (i = 0; i < host->n_addrs; i++) {
		addr_str(&host->addrs[i], addr);
		json_string(jw, addr);
	}
	json_array_end(jw);
	json_key(jw, "tcp_ports");
	json_array_start(jw);
	for (i = 0; i < host->n_ports; i++)
		json_uint(jw, host->ports[i]);
	json_array_end(jw);
	json_bool_field(jw, "tcp_any",
			host->flags & SLEEPPROXY_HOST_F_TCP_ANY);
	json_bool_field(jw, "ping", host->flags & SLEEPPROXY_HOST_F_PING);
	json_uint_field(jw, "wake_count", host->wake_count);
	json_uint_field(jw, "lease", host->lease);
	json_string_field(jw, "state", state_name(host));
	json_uint_field(jw, "state_age_ms", host->state_age_ms);
	json_key(jw, "stats");
	json_object_start(jw);
	for (i = 0; i < ARRAY_SIZE(host_stats); i++)
		json_uint_field(jw, host_stats[i].name,
				stat_value(&host->stats, i));
	json_object_end(jw);
	json_object_end(jw);
}

int show_main(int argc, char **argv, const struct spctl_opts *opts)
{
	struct sp_host_list list = { 0 };
	struct show_args args;
	enum parse_result res;
	uint32_t ifindex = 0;
	struct sp_nl *nl;
	size_t i;
	int ret;

	res = parse_show(argc, argv, &args);
	if (res != PARSE_OK)
		return parse_exit(res, show_synopsis);
	if (args.ifname[0] && resolve_dev(args.ifname, &ifindex))
		return SPCTL_EXIT_FAIL;
	if (sp_nl_open(&nl))
		return SPCTL_EXIT_FAIL;
	ret = sp_nl_host_dump(nl, ifindex, &list);
	sp_nl_close(nl);
	if (ret) {
		sp_host_list_free(&list);
		return SPCTL_EXIT_FAIL;
	}

	if (args.json || opts->json) {
		struct json_writer jw;

		json_init(&jw, stdout);
		json_array_start(&jw);
		for (i = 0; i < list.len; i++)
			print_host_json(&jw, &list.hosts[i]);
		json_array_end(&jw);
		putchar('\n');
	} else {
		for (i = 0; i < list.len; i++) {
			if (i)
				putchar('\n');
			print_host(&list.hosts[i]);
		}
	}
	sp_host_list_free(&list);
	return SPCTL_EXIT_OK;
}
