/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Command line parsing: words in, plain structs out.  Nothing here touches
 * the network or the kernel, so all of it can be tested on its own.
 *
 * On a bad word the parsers print why on stderr, prefixed with "spctl: ".
 */

#ifndef SPCTL_ARGS_H
#define SPCTL_ARGS_H

#include <stdbool.h>
#include <stdint.h>

#include "netlink.h"

enum parse_result {
	PARSE_OK,
	PARSE_HELP,	/* "help", "-h" or "--help" among the arguments */
	PARSE_USAGE,	/* a bad command line, already reported */
};

/* Single values; each returns 0, or -1 without printing anything. */
int parse_mac(const char *s, uint8_t mac[ETH_ALEN]);
int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out);
int parse_addr(const char *s, struct sp_addr *addr);
bool valid_ifname(const char *s);
bool is_help(const char *s);
bool is_json(const char *s);

struct show_args {
	char ifname[IF_NAMESIZE];	/* "" for every interface */
	bool json;
};

struct stats_args {
	bool json;
};

/*
 * argv[0] is the command name.  For add-host and del-host the interface
 * goes to host->ifname; host->ifindex is left for the caller to resolve.
 */
enum parse_result parse_add_host(int argc, char **argv, struct sp_host *host);
enum parse_result parse_del_host(int argc, char **argv, struct sp_host *host);
enum parse_result parse_show(int argc, char **argv, struct show_args *args);
enum parse_result parse_stats(int argc, char **argv, struct stats_args *args);

#endif /* SPCTL_ARGS_H */
