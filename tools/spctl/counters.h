/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The counters' names and meanings, shared by show, stats and the
 * Prometheus output so that they cannot drift apart.
 */

#ifndef SPCTL_COUNTERS_H
#define SPCTL_COUNTERS_H

#include <stddef.h>
#include <stdint.h>

#include "netlink.h"

struct counter {
	const char *name;
	size_t offset;
	const char *help;
};

/* A host's counters, in struct sp_host_stats. */
extern const struct counter host_counters[];
extern const size_t n_host_counters;
/* The namespace's or an interface's own counters, in struct sp_stats. */
extern const struct counter stats_counters[];
extern const size_t n_stats_counters;

uint64_t host_counter(const struct sp_host_stats *st, size_t i);
uint64_t stats_counter(const struct sp_stats *st, size_t i);
/* Is a host counter also one of stats_counters[] (the same events)? */
bool host_counter_in_stats(size_t i);

#endif /* SPCTL_COUNTERS_H */
