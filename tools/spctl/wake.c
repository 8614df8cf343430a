// SPDX-License-Identifier: GPL-2.0
/*
 * spctl wake: magic packets now, through the module, so that they are
 * counted and logged like every other wake.
 */

#include "spctl.h"

const char wake_synopsis[] = "wake dev IFNAME mac LLADDR [password HEX]";

int wake_main(int argc, char **argv, struct spctl_opts *opts)
{
	enum parse_result res;
	struct sp_host host;
	struct sp_nl *nl;

	res = parse_wake(argc, argv, &host);
	if (res != PARSE_OK)
		return parse_exit(res, wake_synopsis, opts);
	if (resolve_dev(host.ifname, &host.ifindex))
		return SPCTL_EXIT_FAIL;
	if (spctl_nl(opts, &nl) ||
	    sp_nl_wake(nl, host.ifindex, host.lladdr, host.password,
		       host.password_len))
		return SPCTL_EXIT_FAIL;
	return SPCTL_EXIT_OK;
}
