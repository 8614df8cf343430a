/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SPCTL_PROMETHEUS_H
#define SPCTL_PROMETHEUS_H

#include <stdint.h>

struct sp_nl;

/*
 * The counters in the Prometheus text exposition format (version 0.0.4),
 * for node_exporter's textfile collector: the namespace's, each
 * interface's and each host's, or with ifindex not 0 that interface's and
 * its hosts'.  Returns 0 or -1 (reported).
 */
int print_prometheus(struct sp_nl *nl, uint32_t ifindex);

#endif /* SPCTL_PROMETHEUS_H */
