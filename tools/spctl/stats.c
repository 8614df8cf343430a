// SPDX-License-Identifier: GPL-2.0
/*
 * spctl stats: the namespace's counters, or one interface's, as text,
 * JSON or the Prometheus text format.
 */

#include <inttypes.h>
#include <stdio.h>

#include "counters.h"
#include "json.h"
#include "prometheus.h"
#include "spctl.h"

const char stats_synopsis[] =
	"stats [dev IFNAME] [-j | -o text|json|prometheus]";

/* An interface's host totals, but not twice what its own counters hold. */
static bool show_host_total(const struct sp_stats *st, size_t i)
{
	return st->has_host_totals && !host_counter_in_stats(i);
}

static void print_stats_json(const struct sp_stats *st)
{
	struct json_writer jw;
	size_t i;

	json_init(&jw, stdout);
	json_object_start(&jw);
	if (st->ifindex) {
		json_string_field(&jw, "dev", st->ifname);
		json_uint_field(&jw, "ifindex", st->ifindex);
	}
	json_uint_field(&jw, "hosts", st->hosts);
	json_uint_field(&jw, "hosts_proxying", st->hosts_proxying);
	for (i = 0; i < n_stats_counters; i++)
		json_uint_field(&jw, stats_counters[i].name,
				stats_counter(st, i));
	for (i = 0; i < n_host_counters; i++)
		if (show_host_total(st, i))
			json_uint_field(&jw, host_counters[i].name,
					host_counter(&st->host_totals, i));
	json_object_end(&jw);
	putchar('\n');
}

static void print_stats(const struct sp_stats *st)
{
	size_t i;

	if (st->ifindex)
		printf("dev %s\n", st->ifname);
	printf("hosts %" PRIu32 "\n", st->hosts);
	printf("hosts_proxying %" PRIu32 "\n", st->hosts_proxying);
	for (i = 0; i < n_stats_counters; i++)
		printf("%s %" PRIu64 "\n", stats_counters[i].name,
		       stats_counter(st, i));
	for (i = 0; i < n_host_counters; i++)
		if (show_host_total(st, i))
			printf("%s %" PRIu64 "\n", host_counters[i].name,
			       host_counter(&st->host_totals, i));
}

int stats_main(int argc, char **argv, struct spctl_opts *opts)
{
	struct stats_args args;
	enum parse_result res;
	uint32_t ifindex = 0;
	struct sp_stats st;
	struct sp_nl *nl;

	res = parse_stats(argc, argv, &args);
	if (res != PARSE_OK)
		return parse_exit(res, stats_synopsis, opts);
	if (!args.format_set && opts->json)
		args.format = STATS_JSON;
	if (args.ifname[0] && resolve_dev(args.ifname, &ifindex))
		return SPCTL_EXIT_FAIL;
	if (spctl_nl(opts, &nl))
		return SPCTL_EXIT_FAIL;
	if (args.format == STATS_PROMETHEUS)
		return print_prometheus(nl, ifindex) ? SPCTL_EXIT_FAIL :
						       SPCTL_EXIT_OK;
	if (sp_nl_stats_get(nl, ifindex, &st))
		return SPCTL_EXIT_FAIL;
	if (ifindex && !st.ifname[0])
		snprintf(st.ifname, sizeof(st.ifname), "%s", args.ifname);
	if (args.format == STATS_JSON)
		print_stats_json(&st);
	else
		print_stats(&st);
	return SPCTL_EXIT_OK;
}
