/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the commands share: exit statuses, options, a few helpers.
 */

#ifndef SPCTL_H
#define SPCTL_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

#include "args.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Exit statuses, the same for every command; scripts rely on them. */
enum {
	SPCTL_EXIT_OK = 0,
	SPCTL_EXIT_FAIL = 1,	/* kernel refusal, environment failure */
	SPCTL_EXIT_USAGE = 2,	/* a bad command line */
};

/* Options given before the command, and what the commands of a run share. */
struct spctl_opts {
	bool json;
	bool batch;		/* the command is a line of -batch */
	struct sp_nl *nl;	/* opened by spctl_nl(), closed by main() */
};

/*
 * A command gets its own name in argv[0] and returns the exit status.
 * Its synopsis leaves out "spctl "; '\n' separates lines.
 */
int add_host_main(int argc, char **argv, struct spctl_opts *opts);
int del_host_main(int argc, char **argv, struct spctl_opts *opts);
int show_main(int argc, char **argv, struct spctl_opts *opts);
int stats_main(int argc, char **argv, struct spctl_opts *opts);
int save_main(int argc, char **argv, struct spctl_opts *opts);
int wake_main(int argc, char **argv, struct spctl_opts *opts);
int monitor_main(int argc, char **argv, struct spctl_opts *opts);
int config_main(int argc, char **argv, struct spctl_opts *opts);

extern const char add_host_synopsis[];
extern const char del_host_synopsis[];
extern const char show_synopsis[];
extern const char stats_synopsis[];
extern const char save_synopsis[];
extern const char wake_synopsis[];
extern const char monitor_synopsis[];
extern const char config_synopsis[];

/* Runs the command named by argv[0]; an unknown one is a usage error. */
int spctl_run(int argc, char **argv, struct spctl_opts *opts);

/* -batch: runs every line of file ("-": standard input). */
int batch_main(const char *file, struct spctl_opts *opts);

/*
 * The exit status for a parser's PARSE_HELP or PARSE_USAGE.  The usage is
 * left out of a -batch line's error: the parser has said what is wrong.
 */
int parse_exit(enum parse_result res, const char *synopsis,
	       const struct spctl_opts *opts);

/* if_nametoindex(), reporting failure; returns 0 or -1. */
int resolve_dev(const char *name, uint32_t *ifindex);

/* The netlink connection of this run, opened on first use; 0 or -1. */
int spctl_nl(struct spctl_opts *opts, struct sp_nl **nl);

/* How show and save name things (names.c). */
#define MAC_STRLEN	18
#define PASSWORD_STRLEN	(3 * SP_PASSWORD_MAX)

/*
 * The name the kernel gave, else the current one, else "if<index>" and
 * false.
 */
bool dev_name(const struct sp_host *host, char name[IF_NAMESIZE]);
void mac_str(const uint8_t mac[ETH_ALEN], char buf[MAC_STRLEN]);
/* The MAC the host's magic packets carry: its own unless it gave one. */
const uint8_t *wake_mac(const struct sp_host *host);
/* As de:ad:be:ef; "" when the host has none or it was not shown to us. */
void password_str(const struct sp_host *host, char buf[PASSWORD_STRLEN]);
void addr_str(const struct sp_addr *addr, char buf[INET6_ADDRSTRLEN]);
/* "proxying", "woken", "awake", "registered", or "unknown". */
const char *host_state_name(const struct sp_host *host);
/* "syn", "lease", "manual", or "unknown" from a newer module. */
const char *wake_reason_name(uint8_t reason);
/* " from ADDR port N (MAC) to port N", ", not sent (...)": each if so. */
void print_wake_cause(const struct sp_wake *w);
struct json_writer;
/* "sent", then "src", "sport", "src_mac", "dport" for a packet's wake. */
void json_wake_cause(struct json_writer *jw, const struct sp_wake *w);

#endif /* SPCTL_H */
