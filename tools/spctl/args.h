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
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "netlink.h"

enum parse_result {
	PARSE_OK,
	PARSE_HELP,	/* "help", "-h" or "--help" among the arguments */
	PARSE_USAGE,	/* a bad command line, already reported */
};

/* Single values; each returns 0, or -1 without printing anything. */
int parse_mac(const char *s, uint8_t mac[ETH_ALEN]);
/* A SecureOn password: returns its length (4 or 6), or -1. */
int parse_password(const char *s, uint8_t password[SP_PASSWORD_MAX]);
int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out);
int parse_msecs(const char *s, uint32_t max_ms, uint32_t *out);
void format_msecs(uint32_t ms, char *buf, size_t len);
int parse_addr(const char *s, struct sp_addr *addr);
bool valid_ifname(const char *s);
bool is_help(const char *s);
bool is_json(const char *s);
bool same_addr(const struct sp_addr *a, const struct sp_addr *b);

struct show_args {
	char ifname[IF_NAMESIZE];	/* "" for every interface */
	bool json;
	bool details;			/* -d: the wake log too */
};

enum stats_format {
	STATS_TEXT,
	STATS_JSON,		/* -j, or -o json */
	STATS_PROMETHEUS,	/* -o prometheus */
};

struct stats_args {
	char ifname[IF_NAMESIZE];	/* "" for the namespace */
	enum stats_format format;
	bool format_set;		/* -j or -o given */
};

struct monitor_args {
	bool json;
};

struct save_args {
	const char *file;	/* an argv word; NULL for standard output */
};

/*
 * The namespace's settings as spctl names them, in the order of struct
 * sp_config: key is the word of "config set", param the module parameter
 * (and the JSON name); a setting in seconds (secs) is milliseconds in
 * the kernel, min and max are the kernel's bounds.
 */
struct config_key {
	const char *key;
	const char *param;
	bool secs;
	uint32_t min, max;
};

extern const struct config_key config_keys[SP_CONFIG_COUNT];

struct config_args {
	bool set;		/* config set: changes is the request */
	bool json;
	struct sp_config changes;
};

/*
 * argv[0] is the command name.  For add-host and del-host the interface
 * goes to host->ifname; host->ifindex is left for the caller to resolve.
 */
enum parse_result parse_add_host(int argc, char **argv, struct sp_host *host);
enum parse_result parse_del_host(int argc, char **argv, struct sp_host *host);
/* wake dev IFNAME mac LLADDR [password HEX] */
enum parse_result parse_wake(int argc, char **argv, struct sp_host *host);
enum parse_result parse_show(int argc, char **argv, struct show_args *args);
/* stats [dev IFNAME] [-j | -o text|json|prometheus] */
enum parse_result parse_stats(int argc, char **argv, struct stats_args *args);
/* monitor [-j] */
enum parse_result parse_monitor(int argc, char **argv,
				struct monitor_args *args);
enum parse_result parse_save(int argc, char **argv, struct save_args *args);
/* config [-j] | config set KEY VALUE|default [KEY VALUE|default ...] */
enum parse_result parse_config(int argc, char **argv,
			       struct config_args *args);
/* A setting's value as "config set" reads it back (seconds for times). */
void format_setting(unsigned int i, uint32_t value, char *buf, size_t len);

/*
 * One line of a -batch file, split into words in place.  Blanks separate
 * words; a word that starts with '#' starts a comment, to the end of the
 * line; double quotes keep blanks and '#' in a word, and between them \"
 * and \\ stand for " and \ (any other backslash is itself).  argv has
 * room for max words and the NULL after them.  Returns the number of
 * words, 0 for a blank or comment line, or -1 (too many words, a quote
 * left open).
 */
int split_line(char *line, char **argv, size_t max);

/* Writes word so that split_line() reads it back as one word; no '\n'. */
void print_word(FILE *f, const char *word);

#endif /* SPCTL_ARGS_H */
