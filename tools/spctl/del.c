// SPDX-License-Identifier: GPL-2.0
/*
 * spctl del-host: forget a host.
 */

#include "spctl.h"

const char del_host_synopsis[] = "del-host dev IFNAME mac LLADDR";

int del_host_main(int argc, char **argv, struct spctl_opts *opts)
{
	enum parse_result res;
	struct sp_host host;
	struct sp_nl *nl;

	res = parse_del_host(argc, argv, &host);
	if (res != PARSE_OK)
		return parse_exit(res, del_host_synopsis, opts);
	if (resolve_dev(host.ifname, &host.ifindex))
		return SPCTL_EXIT_FAIL;
	if (spctl_nl(opts, &nl) ||
	    sp_nl_host_del(nl, host.ifindex, host.lladdr))
		return SPCTL_EXIT_FAIL;
	return SPCTL_EXIT_OK;
}
