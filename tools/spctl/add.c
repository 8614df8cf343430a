// SPDX-License-Identifier: GPL-2.0
/*
 * spctl add-host: register a host, or replace the one with the same
 * interface and MAC address.
 */

#include "spctl.h"

const char add_host_synopsis[] =
	"add-host dev IFNAME mac LLADDR ip ADDR [ip ADDR]...\n"
	"[tcp PORT[,PORT]...|tcp any] [wake-count N]\n"
	"[lease SECONDS] [ping on|off]";

int add_host_main(int argc, char **argv, const struct spctl_opts *opts)
{
	enum parse_result res;
	struct sp_host host;
	struct sp_nl *nl;
	int ret;

	(void)opts;
	res = parse_add_host(argc, argv, &host);
	if (res != PARSE_OK)
		return parse_exit(res, add_host_synopsis);
	if (resolve_dev(host.ifname, &host.ifindex))
		return SPCTL_EXIT_FAIL;
	if (sp_nl_open(&nl))
		return SPCTL_EXIT_FAIL;
	ret = sp_nl_host_add(nl, &host);
	sp_nl_close(nl);
	return ret ? SPCTL_EXIT_FAIL : SPCTL_EXIT_OK;
}
