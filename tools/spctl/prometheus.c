// SPDX-License-Identifier: GPL-2.0
/*
 * spctl stats -o prometheus: every counter as a metric family, labelled
 * with the interface and, for a host's own, the host's MAC.  Each family
 * is printed whole, HELP and TYPE first, as the format requires.
 */

#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "counters.h"
#include "prometheus.h"
#include "spctl.h"

#define PREFIX	"sleepproxy_"

struct prom {
	const struct sp_stats *ns;	/* NULL for one interface */
	const struct sp_stats_list *devs;
	const struct sp_host_list *hosts;
};

static void family(const char *name, const char *suffix, const char *type,
		   const char *help)
{
	printf("# HELP " PREFIX "%s%s %s\n", name, suffix, help);
	printf("# TYPE " PREFIX "%s%s %s\n", name, suffix, type);
}

/* A label value: backslash, double quote and newline escaped. */
static void label(const char *key, const char *val, bool first)
{
	printf("%s%s=\"", first ? "" : ",", key);
	for (; *val; val++) {
		if (*val == '\\' || *val == '"')
			printf("\\%c", *val);
		else if (*val == '\n')
			fputs("\\n", stdout);
		else
			putchar(*val);
	}
	putchar('"');
}

static void dev_sample(const char *name, const char *suffix,
		       const struct sp_stats *st, uint64_t val)
{
	printf(PREFIX "%s%s{", name, suffix);
	label("interface", st->ifname, true);
	printf("} %" PRIu64 "\n", val);
}

static void host_labels(const struct sp_host *host)
{
	char dev[IF_NAMESIZE], mac[MAC_STRLEN];

	dev_name(host, dev);
	mac_str(host->lladdr, mac);
	label("interface", dev, true);
	label("host", mac, false);
}

static void print_namespace(const struct sp_stats *ns)
{
	size_t i;

	family("netns_hosts", "", "gauge", "Hosts registered.");
	printf(PREFIX "netns_hosts %" PRIu32 "\n", ns->hosts);
	family("netns_hosts_proxying", "", "gauge",
	       "Hosts the proxy answers for (proxying or woken).");
	printf(PREFIX "netns_hosts_proxying %" PRIu32 "\n",
	       ns->hosts_proxying);
	for (i = 0; i < n_stats_counters; i++) {
		char name[64];

		snprintf(name, sizeof(name), "netns_%s",
			 stats_counters[i].name);
		family(name, "_total", "counter", stats_counters[i].help);
		printf(PREFIX "%s_total %" PRIu64 "\n", name,
		       stats_counter(ns, i));
	}
}

static void print_devs(const struct sp_stats_list *devs)
{
	size_t i, d;

	if (!devs->len)
		return;
	family("hosts", "", "gauge", "Hosts registered on the interface.");
	for (d = 0; d < devs->len; d++)
		dev_sample("hosts", "", &devs->stats[d], devs->stats[d].hosts);
	family("hosts_proxying", "", "gauge",
	       "Hosts on the interface the proxy answers for.");
	for (d = 0; d < devs->len; d++)
		dev_sample("hosts_proxying", "", &devs->stats[d],
			   devs->stats[d].hosts_proxying);
	for (i = 0; i < n_stats_counters; i++) {
		family(stats_counters[i].name, "_total", "counter",
		       stats_counters[i].help);
		for (d = 0; d < devs->len; d++)
			dev_sample(stats_counters[i].name, "_total",
				   &devs->stats[d],
				   stats_counter(&devs->stats[d], i));
	}
	for (i = 0; i < n_host_counters; i++) {
		if (host_counter_in_stats(i))
			continue;
		family(host_counters[i].name, "_total", "counter",
		       host_counters[i].help);
		for (d = 0; d < devs->len; d++)
			dev_sample(host_counters[i].name, "_total",
				   &devs->stats[d],
				   host_counter(&devs->stats[d].host_totals,
						i));
	}
}

static void print_hosts(const struct sp_host_list *hosts)
{
	static const char *const states[] = {
		"proxying", "woken", "awake", "registered",
	};
	size_t i, h, s;

	if (!hosts->len)
		return;
	family("host_state", "", "gauge",
	       "1 for the state the host is in, 0 for the others.");
	for (h = 0; h < hosts->len; h++)
		for (s = 0; s < ARRAY_SIZE(states); s++) {
			printf(PREFIX "host_state{");
			host_labels(&hosts->hosts[h]);
			label("state", states[s], false);
			printf("} %d\n", !strcmp(states[s],
					host_state_name(&hosts->hosts[h])));
		}
	for (i = 0; i < n_host_counters; i++) {
		char name[64];

		snprintf(name, sizeof(name), "host_%s", host_counters[i].name);
		family(name, "_total", "counter", host_counters[i].help);
		for (h = 0; h < hosts->len; h++) {
			printf(PREFIX "%s_total{", name);
			host_labels(&hosts->hosts[h]);
			printf("} %" PRIu64 "\n",
			       host_counter(&hosts->hosts[h].stats, i));
		}
	}
}

int print_prometheus(struct sp_nl *nl, uint32_t ifindex)
{
	struct sp_stats_list devs = { 0 };
	struct sp_host_list hosts = { 0 };
	struct sp_stats ns, one;
	int err = -1;
	size_t i;

	if (ifindex) {
		if (sp_nl_stats_get(nl, ifindex, &one))
			return -1;
		devs.stats = &one;
		devs.len = 1;
	} else if (sp_nl_stats_get(nl, 0, &ns) ||
		   sp_nl_stats_dump(nl, &devs)) {
		goto out;
	}
	if (sp_nl_host_dump(nl, ifindex, &hosts))
		goto out;
	for (i = 0; i < devs.len; i++)
		if (!devs.stats[i].ifname[0] &&
		    !if_indextoname(devs.stats[i].ifindex,
				    devs.stats[i].ifname))
			snprintf(devs.stats[i].ifname, IF_NAMESIZE,
				 "if%" PRIu32, devs.stats[i].ifindex);
	if (!ifindex)
		print_namespace(&ns);
	print_devs(&devs);
	print_hosts(&hosts);
	err = 0;
out:
	if (!ifindex)
		sp_stats_list_free(&devs);
	sp_host_list_free(&hosts);
	return err;
}
