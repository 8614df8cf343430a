// SPDX-License-Identifier: GPL-2.0
/*
 * spctl: register sleeping hosts with the sleepproxy kernel module.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <net/if.h>

#include "spctl.h"

#ifndef SPCTL_VERSION
#define SPCTL_VERSION "unknown"
#endif

static int help_main(int argc, char **argv, struct spctl_opts *opts);

static const char help_synopsis[] = "help [COMMAND]";

static const struct command {
	const char *name;
	int (*main)(int argc, char **argv, struct spctl_opts *opts);
	const char *synopsis;
	const char *description;
} commands[] = {
	{ "add-host", add_host_main, add_host_synopsis,
	  "Register a host, or replace the one with the same dev and mac." },
	{ "del-host", del_host_main, del_host_synopsis,
	  "Forget a host." },
	{ "show", show_main, show_synopsis,
	  "List the hosts with their state and counters." },
	{ "stats", stats_main, stats_synopsis,
	  "Show the counters of the packets that belong to no host." },
	{ "save", save_main, save_synopsis,
	  "Write every host as an add-host line, for -batch to restore." },
	{ "wake", wake_main, wake_synopsis,
	  "Send magic packets now, to a registered host or any MAC." },
	{ "monitor", monitor_main, monitor_synopsis,
	  "Print the module's events as they happen." },
	{ "config", config_main, config_synopsis,
	  "Show the namespace's settings, each its own value or the module\n"
	  "      parameter's (default), or set them; KEY is max-hosts N,\n"
	  "      awake-grace SECONDS, wake-rate N, reply-rate N, syn-hold SECONDS,\n"
	  "      syn-hold-max N, syn-hold-total N or wake-timeout SECONDS." },
	{ "help", help_main, help_synopsis,
	  "Show this help, or that of one command." },
};

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

/*
 * "<prefix>spctl <synopsis>", continuation lines lined up under the
 * command's first argument.
 */
static void print_synopsis(FILE *f, const char *prefix, const char *synopsis)
{
	int indent = strlen(prefix) + strlen("spctl ") +
		     strcspn(synopsis, " \n") + 1;
	const char *line = synopsis;

	fprintf(f, "%sspctl ", prefix);
	for (;;) {
		size_t len = strcspn(line, "\n");

		fprintf(f, "%.*s\n", (int)len, line);
		if (!line[len])
			break;
		line += len + 1;
		fprintf(f, "%*s", indent, "");
	}
}

static void print_command_help(FILE *f, const struct command *cmd)
{
	print_synopsis(f, "  ", cmd->synopsis);
	fprintf(f, "      %s\n", cmd->description);
}

static void print_usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"Usage: spctl [OPTIONS] COMMAND [ARGUMENTS]\n"
		"\n"
		"Registers sleeping hosts with the sleepproxy kernel module, which\n"
		"answers ARP and IPv6 Neighbor Solicitations for them and\n"
		"wakes them when a connection arrives.\n"
		"\n"
		"Commands:\n");
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		print_command_help(f, &commands[i]);
	fprintf(f,
		"\n"
		"Options:\n"
		"  -j, -json, --json  print JSON (show, stats and config)\n"
		"  -b, -batch FILE    run the commands of FILE (\"-\": standard\n"
		"                     input), one per line, without \"spctl\";\n"
		"                     '#' starts a comment; every line is run\n"
		"  -V, --version      print the version and exit\n"
		"  -h, --help         print this help and exit\n"
		"\n"
		"Exit status: 0 done, 1 refused by the kernel or failed (with\n"
		"-batch: a line failed), 2 bad command line.  See spctl(8).\n");
}

int parse_exit(enum parse_result res, const char *synopsis,
	       const struct spctl_opts *opts)
{
	if (res == PARSE_HELP) {
		print_synopsis(stdout, "Usage: ", synopsis);
		return SPCTL_EXIT_OK;
	}
	if (!opts->batch)
		print_synopsis(stderr, "Usage: ", synopsis);
	return SPCTL_EXIT_USAGE;
}

int resolve_dev(const char *name, uint32_t *ifindex)
{
	unsigned int index = if_nametoindex(name);

	if (!index) {
		if (errno == ENODEV || errno == ENXIO)
			fprintf(stderr, "spctl: Cannot find device \"%s\"\n",
				name);
		else
			fprintf(stderr,
				"spctl: Cannot find device \"%s\": %s\n",
				name, strerror(errno));
		return -1;
	}
	*ifindex = index;
	return 0;
}

int spctl_nl(struct spctl_opts *opts, struct sp_nl **nl)
{
	if (!opts->nl && sp_nl_open(&opts->nl))
		return -1;
	*nl = opts->nl;
	return 0;
}

static int help_main(int argc, char **argv, struct spctl_opts *opts)
{
	const struct command *cmd;

	if (argc == 1) {
		print_usage(stdout);
		return SPCTL_EXIT_OK;
	}
	if (argc > 2) {
		fprintf(stderr, "spctl: help takes one command at most\n");
		return parse_exit(PARSE_USAGE, help_synopsis, opts);
	}
	cmd = find_command(argv[1]);
	if (!cmd) {
		fprintf(stderr,
			"spctl: unknown command \"%s\"; try \"spctl help\"\n",
			argv[1]);
		return SPCTL_EXIT_USAGE;
	}
	print_command_help(stdout, cmd);
	return SPCTL_EXIT_OK;
}

/* A command that could not write all its output has failed. */
static int finish(int ret)
{
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "spctl: cannot write the output: %s\n",
			strerror(errno));
		return ret ? ret : SPCTL_EXIT_FAIL;
	}
	return ret;
}

int spctl_run(int argc, char **argv, struct spctl_opts *opts)
{
	const struct command *cmd = find_command(argv[0]);

	if (!cmd) {
		fprintf(stderr,
			"spctl: unknown command \"%s\"; try \"spctl help\"\n",
			argv[0]);
		return SPCTL_EXIT_USAGE;
	}
	return cmd->main(argc, argv, opts);
}

static bool is_batch(const char *s)
{
	return !strcmp(s, "-b") || !strcmp(s, "-batch") ||
	       !strcmp(s, "--batch");
}

int main(int argc, char **argv)
{
	struct spctl_opts opts = { 0 };
	const char *batch = NULL;
	int i, ret;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *opt = argv[i];

		if (is_json(opt)) {
			opts.json = true;
			continue;
		}
		if (is_batch(opt)) {
			if (batch) {
				fprintf(stderr, "spctl: \"%s\" given twice\n",
					opt);
				return SPCTL_EXIT_USAGE;
			}
			if (++i == argc) {
				fprintf(stderr,
					"spctl: \"%s\" needs a file (\"-\" for standard input)\n",
					opt);
				return SPCTL_EXIT_USAGE;
			}
			batch = argv[i];
			continue;
		}
		if (!strcmp(opt, "-V") || !strcmp(opt, "--version")) {
			printf("spctl %s (sleepproxy netlink version %d)\n",
			       SPCTL_VERSION, SLEEPPROXY_GENL_VERSION);
			return finish(SPCTL_EXIT_OK);
		}
		if (!strcmp(opt, "-h") || !strcmp(opt, "--help")) {
			print_usage(stdout);
			return finish(SPCTL_EXIT_OK);
		}
		fprintf(stderr,
			"spctl: unknown option \"%s\"; try \"spctl help\"\n",
			opt);
		return SPCTL_EXIT_USAGE;
	}
	if (batch && i < argc) {
		fprintf(stderr,
			"spctl: \"%s\" after -batch: the commands come from the file\n",
			argv[i]);
		return SPCTL_EXIT_USAGE;
	}
	if (!batch && i == argc) {
		fprintf(stderr, "spctl: no command given\n");
		print_usage(stderr);
		return SPCTL_EXIT_USAGE;
	}
	if (batch)
		ret = batch_main(batch, &opts);
	else
		ret = spctl_run(argc - i, argv + i, &opts);
	sp_nl_close(opts.nl);
	return finish(ret);
}
