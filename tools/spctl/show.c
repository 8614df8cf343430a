// SPDX-License-Identifier: GPL-2.0
/*
 * spctl show: the registered hosts, their state and their counters.
 */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <net/if.h>

#include "counters.h"
#include "json.h"
#include "spctl.h"

const char show_synopsis[] = "show [dev IFNAME] [-d] [-j]";

/*
 * Plain output gives the counters on five lines: ARP, then TCP and wakes,
 * then Neighbor Discovery, drops and echo, then leases, conflicts, the
 * rate limit, the host's own NIC and relays, then SYN replay.
 */
static bool host_stats_line_start(size_t i)
{
	return i == 0 || i == 3 || i == 9 || i == 14 || i == 19;
}

/* Who registered the host: "admin", "spsd", or from a newer module. */
static const char *origin_name(const struct sp_host *host)
{
	static const char *const names[] = {
		[SLEEPPROXY_ORIGIN_ADMIN]	= "admin",
		[SLEEPPROXY_ORIGIN_SPSD]	= "spsd",
	};

	if (host->origin >= ARRAY_SIZE(names) || !names[host->origin])
		return "unknown";
	return names[host->origin];
}

/* 42s under a minute, then 5m07s, 2h05m07s, 3d04h05m. */
static void print_secs(uint32_t s)
{
	if (s < 60)
		printf("%" PRIu32 "s", s);
	else if (s < 3600)
		printf("%" PRIu32 "m%02" PRIu32 "s", s / 60, s % 60);
	else if (s < 86400)
		printf("%" PRIu32 "h%02" PRIu32 "m%02" PRIu32 "s", s / 3600,
		       s / 60 % 60, s % 60);
	else
		printf("%" PRIu32 "d%02" PRIu32 "h%02" PRIu32 "m", s / 86400,
		       s / 3600 % 24, s / 60 % 60);
}

/* 12.3s under a minute, then as print_secs(). */
static void print_age(uint32_t ms)
{
	uint32_t s = ms / 1000;

	if (s < 60)
		printf("%" PRIu32 ".%" PRIu32 "s", s, ms % 1000 / 100);
	else
		print_secs(s);
}

/*
 * -d: "wake syn 12.3s ago from 192.168.1.2 port 40312 (52:54:00:00:00:02)
 * to port 22", newest first, then the first bytes of the frame behind the
 * latest one.
 */
static void print_wakes(const struct sp_host *host)
{
	unsigned int i;

	for (i = 0; i < host->n_wakes; i++) {
		const struct sp_wake *w = &host->wakes[i];

		printf("    wake %s ", wake_reason_name(w->reason));
		print_age(w->age_ms > UINT32_MAX ? UINT32_MAX : w->age_ms);
		printf(" ago");
		print_wake_cause(w);
		putchar('\n');
	}
	if (host->wake_frame_len) {
		printf("    wake frame");
		for (i = 0; i < host->wake_frame_len; i++)
			printf("%s%02x", i % 32 ? "" : (i ? "\n      " : " "),
			       host->wake_frame[i]);
		putchar('\n');
	}
}

static void json_wakes(struct json_writer *jw, const struct sp_host *host)
{
	char frame[2 * SLEEPPROXY_WAKE_FRAME_MAX + 1];
	unsigned int i;

	json_key(jw, "wakes");
	json_array_start(jw);
	for (i = 0; i < host->n_wakes; i++) {
		const struct sp_wake *w = &host->wakes[i];

		json_object_start(jw);
		json_string_field(jw, "reason", wake_reason_name(w->reason));
		json_uint_field(jw, "age_ms", w->age_ms);
		json_wake_cause(jw, w);
		json_object_end(jw);
	}
	json_array_end(jw);
	for (i = 0; i < host->wake_frame_len; i++)
		snprintf(frame + 2 * i, 3, "%02x", host->wake_frame[i]);
	frame[2 * i] = '\0';
	json_string_field(jw, "wake_frame", frame);
}

static void print_addrs(const char *what, const struct sp_addr *addrs,
			unsigned int n)
{
	char addr[INET6_ADDRSTRLEN];
	unsigned int i;

	printf("    %s", what);
	for (i = 0; i < n; i++) {
		addr_str(&addrs[i], addr);
		printf(" %s", addr);
	}
	putchar('\n');
}

static void json_addrs(struct json_writer *jw, const char *key,
		       const struct sp_addr *addrs, unsigned int n)
{
	char addr[INET6_ADDRSTRLEN];
	unsigned int i;

	json_key(jw, key);
	json_array_start(jw);
	for (i = 0; i < n; i++) {
		addr_str(&addrs[i], addr);
		json_string(jw, addr);
	}
	json_array_end(jw);
}

static void print_host(const struct sp_host *host)
{
	char dev[IF_NAMESIZE], mac[MAC_STRLEN], password[PASSWORD_STRLEN];
	char secs[16];
	unsigned int i;

	dev_name(host, dev);
	mac_str(host->lladdr, mac);
	printf("%s %s %s", dev, mac, host_state_name(host));
	if (host->has_state) {
		putchar(' ');
		print_age(host->state_age_ms);
	}
	if (host->last_wake_ms) {
		printf(" last-wake-took ");
		print_age(host->last_wake_ms);
	}
	/* An admin's hosts are the usual ones; the others are marked. */
	if (host->origin != SLEEPPROXY_ORIGIN_ADMIN)
		printf(" origin %s", origin_name(host));
	putchar('\n');

	print_addrs("ip", host->addrs, host->n_addrs);
	if (host->n_conflicts)
		print_addrs("conflicts", host->conflicts, host->n_conflicts);

	printf("    tcp ");
	if (host->flags & SLEEPPROXY_HOST_F_TCP_ANY)
		printf("any");
	else if (!host->n_ports)
		printf("none");
	for (i = 0; i < host->n_ports; i++)
		printf("%s%u", i ? "," : "", host->ports[i]);
	if (host->wake_count)
		printf(" wake-count %u", host->wake_count);
	if (memcmp(wake_mac(host), host->lladdr, ETH_ALEN)) {
		mac_str(wake_mac(host), mac);
		printf(" wake-mac %s", mac);
	}
	password_str(host, password);
	if (password[0])
		printf(" password %s", password);
	if (host->has_wake_timeout) {
		format_msecs(host->wake_timeout, secs, sizeof(secs));
		printf(" wake-timeout %s", secs);
	}
	if (host->has_lease)
		printf(" lease %" PRIu32, host->lease);
	if (host->lease) {
		printf(" left ");
		print_secs(host->lease_left);
	}
	printf(" ping %s",
	       host->flags & SLEEPPROXY_HOST_F_PING ? "on" : "off");
	if (host->flags & SLEEPPROXY_HOST_F_NO_LEASE_WAKE)
		printf(" lease-wake off");
	putchar('\n');

	for (i = 0; i < n_host_counters; i++) {
		bool first = host_stats_line_start(i);
		bool last = i == n_host_counters - 1 ||
			    host_stats_line_start(i + 1);

		printf("%s%s %" PRIu64 "%s", first ? "    " : " ",
		       host_counters[i].name, host_counter(&host->stats, i),
		       last ? "\n" : "");
	}
}

static void print_host_json(struct json_writer *jw, const struct sp_host *host)
{
	char dev[IF_NAMESIZE], mac[MAC_STRLEN], password[PASSWORD_STRLEN];
	unsigned int i;

	dev_name(host, dev);
	mac_str(host->lladdr, mac);

	json_object_start(jw);
	json_uint_field(jw, "id", host->id);
	json_string_field(jw, "dev", dev);
	json_uint_field(jw, "ifindex", host->ifindex);
	json_string_field(jw, "mac", mac);
	json_addrs(jw, "addrs", host->addrs, host->n_addrs);
	json_addrs(jw, "conflicts", host->conflicts, host->n_conflicts);
	json_key(jw, "tcp_ports");
	json_array_start(jw);
	for (i = 0; i < host->n_ports; i++)
		json_uint(jw, host->ports[i]);
	json_array_end(jw);
	json_bool_field(jw, "tcp_any",
			host->flags & SLEEPPROXY_HOST_F_TCP_ANY);
	json_bool_field(jw, "ping", host->flags & SLEEPPROXY_HOST_F_PING);
	json_bool_field(jw, "lease_wake",
			!(host->flags & SLEEPPROXY_HOST_F_NO_LEASE_WAKE));
	json_uint_field(jw, "wake_count", host->wake_count);
	if (host->has_wake_timeout)
		json_uint_field(jw, "wake_timeout_ms", host->wake_timeout);
	mac_str(wake_mac(host), mac);
	json_string_field(jw, "wake_mac", mac);
	/* The module gives it only to a caller with CAP_NET_ADMIN. */
	password_str(host, password);
	if (password[0])
		json_string_field(jw, "password", password);
	json_uint_field(jw, "lease", host->lease);
	if (host->lease)
		json_uint_field(jw, "lease_left", host->lease_left);
	json_string_field(jw, "origin", origin_name(host));
	json_string_field(jw, "state", host_state_name(host));
	json_uint_field(jw, "state_age_ms", host->state_age_ms);
	if (host->last_wake_ms)
		json_uint_field(jw, "last_wake_ms", host->last_wake_ms);
	json_wakes(jw, host);
	json_key(jw, "stats");
	json_object_start(jw);
	for (i = 0; i < n_host_counters; i++)
		json_uint_field(jw, host_counters[i].name,
				host_counter(&host->stats, i));
	json_object_end(jw);
	json_object_end(jw);
}

int show_main(int argc, char **argv, struct spctl_opts *opts)
{
	struct sp_host_list list = { 0 };
	struct show_args args;
	enum parse_result res;
	uint32_t ifindex = 0;
	struct sp_nl *nl;
	size_t i;

	res = parse_show(argc, argv, &args);
	if (res != PARSE_OK)
		return parse_exit(res, show_synopsis, opts);
	if (args.ifname[0] && resolve_dev(args.ifname, &ifindex))
		return SPCTL_EXIT_FAIL;
	if (spctl_nl(opts, &nl))
		return SPCTL_EXIT_FAIL;
	if (sp_nl_host_dump(nl, ifindex, &list)) {
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
			if (args.details)
				print_wakes(&list.hosts[i]);
		}
	}
	sp_host_list_free(&list);
	return SPCTL_EXIT_OK;
}
