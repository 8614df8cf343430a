// SPDX-License-Identifier: GPL-2.0
/*
 * spctl -batch FILE: a command on each line, as ip -force -batch runs
 * them.  Every line is run; the messages of each line are caught and
 * printed after it, prefixed with the file name and the line number.
 */

#define _GNU_SOURCE	/* memfd_create() */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "spctl.h"

struct batch {
	const char *name;	/* of the file, for messages */
	unsigned long lineno;
	int saved_err;		/* the real standard error; -1: none */
	int catch_fd;		/* a memfd in its place during a line */
};

/* Until catch_end(), what is written on fd 2 goes to a new memfd. */
static int catch_start(struct batch *b)
{
	fflush(stderr);
	b->catch_fd = memfd_create("spctl-batch", MFD_CLOEXEC);
	if (b->catch_fd < 0)
		return -1;
	if (dup2(b->catch_fd, STDERR_FILENO) < 0) {
		close(b->catch_fd);
		return -1;
	}
	return 0;
}

/* Puts fd 2 back and prints what the line wrote, each line prefixed. */
static void catch_end(struct batch *b, bool failed)
{
	char *buf = NULL, *line, *end;
	off_t len;

	fflush(stderr);
	dup2(b->saved_err, STDERR_FILENO);
	/* The offset was shared with fd 2: it is the length. */
	len = lseek(b->catch_fd, 0, SEEK_CUR);
	if (len > 0)
		buf = malloc(len + 1);
	if (buf && pread(b->catch_fd, buf, len, 0) != len) {
		free(buf);
		buf = NULL;
	}
	close(b->catch_fd);
	if (!buf) {
		if (failed)
			fprintf(stderr, "spctl: %s:%lu: failed\n", b->name,
				b->lineno);
		return;
	}
	buf[len] = '\0';
	for (line = buf; *line; line = end) {
		end = line + strcspn(line, "\n");
		if (*end)
			*end++ = '\0';
		if (!strncmp(line, "spctl: ", 7))
			line += 7;
		fprintf(stderr, "spctl: %s:%lu: %s\n", b->name, b->lineno,
			line);
	}
	free(buf);
}

/* One line: its exit status, 0 for a blank or comment line. */
static int run_line(char *line, size_t len, struct spctl_opts *opts)
{
	/* Every word takes a character and a blank, but the last. */
	size_t max = len / 2 + 1;
	char **argv;
	int argc, ret;

	if (strlen(line) != len) {
		fprintf(stderr, "spctl: a NUL byte in the line\n");
		return SPCTL_EXIT_USAGE;
	}
	argv = malloc((max + 1) * sizeof(*argv));
	if (!argv) {
		fprintf(stderr, "spctl: out of memory\n");
		return SPCTL_EXIT_FAIL;
	}
	argc = split_line(line, argv, max);
	if (argc < 0)
		ret = SPCTL_EXIT_USAGE;
	else if (!argc)
		ret = SPCTL_EXIT_OK;
	else
		ret = spctl_run(argc, argv, opts);
	free(argv);
	return ret;
}

int batch_main(const char *file, struct spctl_opts *opts)
{
	struct batch b = { 0 };
	unsigned long failures = 0;
	char *line = NULL;
	size_t size = 0;
	ssize_t len;
	FILE *f;
	int ret;

	if (!strcmp(file, "-")) {
		f = stdin;
		b.name = "<stdin>";
	} else {
		f = fopen(file, "re");
		if (!f) {
			fprintf(stderr, "spctl: cannot open \"%s\": %s\n", file,
				strerror(errno));
			return SPCTL_EXIT_FAIL;
		}
		b.name = file;
	}
	/* Without a standard error there is nothing to catch. */
	b.saved_err = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);

	opts->batch = true;
	while ((len = getline(&line, &size, f)) >= 0) {
		b.lineno++;
		if (b.saved_err >= 0 && catch_start(&b)) {
			fprintf(stderr, "spctl: %s:%lu: not run: %s\n", b.name,
				b.lineno, strerror(errno));
			failures++;
			continue;
		}
		ret = run_line(line, len, opts);
		/* Its output first, then what went wrong with it. */
		fflush(stdout);
		if (b.saved_err >= 0)
			catch_end(&b, ret != SPCTL_EXIT_OK);
		if (ret) {
			failures++;
			/* A request cut short may have left replies behind. */
			sp_nl_close(opts->nl);
			opts->nl = NULL;
		}
	}
	opts->batch = false;

	ret = failures ? SPCTL_EXIT_FAIL : SPCTL_EXIT_OK;
	if (ferror(f)) {
		fprintf(stderr, "spctl: cannot read \"%s\": %s\n", b.name,
			strerror(errno));
		ret = SPCTL_EXIT_FAIL;
	}
	free(line);
	if (b.saved_err >= 0)
		close(b.saved_err);
	if (f != stdin)
		fclose(f);
	return ret;
}
