// SPDX-License-Identifier: GPL-2.0
/*
 * spctl add-host: register a host, or replace the one with the same
 * interface and MAC address.
 */

#include "spctl.h"

const char add_host_synopsis[] =
	"add-host dev IFNAME mac LLADDR ip ADDR [ip ADDR]...\n"
	"[tcp PORT[,PORT]...|tcp any] [wake-count N]\n"
	"[wake-mac LLADDR] [password HEX] [wake-timeout SECONDS]\n"
	"[lease SECONDS] [ping on|off] [lease-wake on|off]";

int add_host_main(int argc, char **argv, struct spctl_opts *opts)
{
	enum parse_result res;
	struct sp_host host;
	struct sp_nl *nl;

	res = parse_add_host(argc, argv, &host);
	if (res != PARSE_OK)
		return parse_exit(res, add_host_synopsis, opts);
	if (resolve_dev(host.ifname, &host.ifindex))
		return SPCTL_EXIT_FAIL;
	if (spctl_nl(opts, &nl) || sp_nl_host_add(nl, &host))
		return SPCTL_EXIT_FAIL;
	return SPCTL_EXIT_OK;
}
