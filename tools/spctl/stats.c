// SPDX-License-Identifier: GPL-2.0
/*
 * spctl stats: the counters of the packets that belong to no host.
 */

#include <inttypes.h>
#include <stdio.h>

#include "json.h"
#include "spctl.h"

const char stats_synopsis[] = "stats [-j]";

/* One table serves both outputs, so their names cannot drift apart. */
#define STAT(name)	{ #name, offsetof(struct sp_stats, name) }

static const struct {
	const char *name;
	size_t offset;
} stats_u64[] = {
	STAT(rx_frames),
	STAT(drop_arp_malformed),
	STAT(drop_ipv4_malformed),
	STAT(drop_ipv4_fragment),
	STAT(drop_ipv4_srcroute),
	STAT(drop_tcp_malformed),
	STAT(tx_errors),
	STAT(drop_ipv6_malformed),
	STAT(drop_ipv6_fragment),
	STAT(drop_ipv6_srcroute),
	STAT(drop_nd_malformed),
	STAT(drop_icmp_malformed),
	STAT(wakes_suppressed),
	STAT(replies_suppressed),
	STAT(leases_expired),
	STAT(manual_wakes),
};

static uint64_t stat_value(const struct sp_stats *st, size_t i)
{
	return *(const uint64_t *)((const char *)st + stats_u64[i].offset);
}

static void print_stats_json(const struct sp_stats *st)
{
	struct json_writer jw;
	size_t i;

	json_init(&jw, stdout);
	json_object_start(&jw);
	json_uint_field(&jw, "hosts", st->hosts);
	for (i = 0; i < ARRAY_SIZE(stats_u64); i++)
		json_uint_field(&jw, stats_u64[i].name, stat_value(st, i));
	json_object_end(&jw);
	putchar('\n');
}

static void print_stats(const struct sp_stats *st)
{
	size_t i;

	printf("hosts %" PRIu32 "\n", st->hosts);
	for (i = 0; i < ARRAY_SIZE(stats_u64); i++)
		printf("%s %" PRIu64 "\n", stats_u64[i].name,
		       stat_value(st, i));
}

int stats_main(int argc, char **argv, struct spctl_opts *opts)
{
	struct stats_args args;
	enum parse_result res;
	struct sp_stats st;
	struct sp_nl *nl;

	res = parse_stats(argc, argv, &args);
	if (res != PARSE_OK)
		return parse_exit(res, stats_synopsis, opts);
	if (spctl_nl(opts, &nl) || sp_nl_stats_get(nl, &st))
		return SPCTL_EXIT_FAIL;
	if (args.json || opts->json)
		print_stats_json(&st);
	else
		print_stats(&st);
	return SPCTL_EXIT_OK;
}
