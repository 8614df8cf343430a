/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the commands share: exit statuses, options, a few helpers.
 */

#ifndef SPCTL_H
#define SPCTL_H

#include <stdbool.h>
#include <stdint.h>

#include "args.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Exit statuses, the same for every command; scripts rely on them. */
enum {
	SPCTL_EXIT_OK = 0,
	SPCTL_EXIT_FAIL = 1,	/* kernel refusal, environment failure */
	SPCTL_EXIT_USAGE = 2,	/* a bad command line */
};

/* Options given before the command. */
struct spctl_opts {
	bool json;
};

/*
 * A command gets its own name in argv[0] and returns the exit status.
 * Its synopsis leaves out "spctl "; '\n' separates lines.
 */
int add_host_main(int argc, char **argv, const struct spctl_opts *opts);
int del_host_main(int argc, char **argv, const struct spctl_opts *opts);
int show_main(int argc, char **argv, const struct spctl_opts *opts);
int stats_main(int argc, char **argv, const struct spctl_opts *opts);

extern const char add_host_synopsis[];
extern const char del_host_synopsis[];
extern const char show_synopsis[];
extern const char stats_synopsis[];

/* The exit status for a parser's PARSE_HELP or PARSE_USAGE. */
int parse_exit(enum parse_result res, const char *synopsis);

/* if_nametoindex(), reporting failure; returns 0 or -1. */
int resolve_dev(const char *name, uint32_t *ifindex);

#endif /* SPCTL_H */
