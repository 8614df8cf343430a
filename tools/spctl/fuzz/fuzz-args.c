// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for spctl's command line parsers (args.h).
 *
 * The input is a list of lines, split on '\n' and NUL bytes.  The first
 * byte of the first line picks what is fuzzed (see selectors[] below; any
 * other byte picks by its value modulo their number), the rest of that
 * line holds options: "u MIN MAX" for parse_u32's bounds, "l MAX" for
 * split_line's word limit.  Every further line is one word, empty words
 * included (at most MAX_WORDS); the single value parsers take the first
 * word.  So the seed corpus in fuzz/corpus/ is plain text:
 *
 *	a
 *	add-host
 *	dev
 *	br0
 *	...
 *
 * Every word is a separate allocation, so that AddressSanitizer sees a
 * parser reading past the end of one.  After PARSE_OK (or 0 from a single
 * value parser) the result is checked against what the kernel accepts:
 * counts within the uapi maxima, ports ascending and distinct, no address
 * twice, a unicast MAC (and MAC to wake), a password of 4 or 6 bytes, a
 * valid interface name, only known flags; the number parser against
 * strtoull(), the MAC and password parsers against a plain reading of
 * their formats, and -batch lines by writing the words back with
 * print_word() and splitting them again.  A broken rule aborts, which
 * libFuzzer reports as a crash.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "../args.h"

#define MAX_WORDS 128

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Where broken rules are reported: the stderr libFuzzer writes to. */
static FILE *report;

static void __attribute__((noreturn, format(printf, 1, 2)))
broken(const char *fmt, ...)
{
	va_list ap;

	fputs("fuzz-args: ", report);
	va_start(ap, fmt);
	vfprintf(report, fmt, ap);
	va_end(ap);
	fputc('\n', report);
	fflush(report);
	abort();
}

#define RULE(cond)							\
	do {								\
		if (!(cond))						\
			broken("%s:%d: %s", __FILE__, __LINE__, #cond);	\
	} while (0)

/*
 * The parsers explain every bad word on stderr: millions of lines.  Point
 * the stdio stream they use at /dev/null, but leave file descriptor 2
 * alone: libFuzzer keeps its own pointer to the original stream for its
 * status lines, and the sanitizers write their reports to fd 2.
 */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	FILE *null = fopen("/dev/null", "w");

	(void)argc;
	(void)argv;
	report = stderr;
	if (null)
		stderr = null;
	return 0;
}

static bool mac_ok(const uint8_t mac[ETH_ALEN])
{
	static const uint8_t zero[ETH_ALEN];

	return !(mac[0] & 1) && memcmp(mac, zero, ETH_ALEN);
}

static bool addr_eq(const struct sp_addr *a, const struct sp_addr *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == AF_INET)
		return a->v4.s_addr == b->v4.s_addr;
	return !memcmp(&a->v6, &b->v6, sizeof(a->v6));
}

static void check_ifname(const char *name)
{
	RULE(memchr(name, '\0', IF_NAMESIZE));
	RULE(valid_ifname(name));
}

static void check_host(const struct sp_host *h, bool add)
{
	static const uint8_t zero[ETH_ALEN];
	unsigned int i, j, v4 = 0, v6 = 0;

	check_ifname(h->ifname);
	RULE(mac_ok(h->lladdr));
	/* Zero stands for lladdr; anything else must be a MAC to wake. */
	if (memcmp(h->wake_lladdr, zero, ETH_ALEN))
		RULE(mac_ok(h->wake_lladdr));
	RULE(h->password_len == 0 || h->password_len == 4 ||
	     h->password_len == SP_PASSWORD_MAX);
	/* spctl registers an admin's hosts, never anyone else's. */
	RULE(h->origin == SLEEPPROXY_ORIGIN_ADMIN);
	RULE(h->ifindex == 0);
	RULE(h->n_addrs <= SP_MAX_ADDRS);
	RULE(h->n_ports <= SLEEPPROXY_MAX_PORTS);
	RULE(!(h->flags & ~(uint32_t)__SLEEPPROXY_HOST_F_ALL));
	RULE(h->wake_count <= SLEEPPROXY_WAKE_COUNT_MAX);
	RULE(h->lease <= SLEEPPROXY_LEASE_MAX);
	RULE(h->has_lease || h->lease == 0);
	for (i = 0; i < h->n_addrs; i++) {
		RULE(h->addrs[i].family == AF_INET ||
		     h->addrs[i].family == AF_INET6);
		if (h->addrs[i].family == AF_INET)
			v4++;
		else
			v6++;
		for (j = 0; j < i; j++)
			RULE(!addr_eq(&h->addrs[i], &h->addrs[j]));
	}
	RULE(v4 <= SLEEPPROXY_MAX_IPV4 && v6 <= SLEEPPROXY_MAX_IPV6);
	for (i = 0; i < h->n_ports; i++)
		RULE(h->ports[i] != 0 &&
		     (i == 0 || h->ports[i - 1] < h->ports[i]));
	if (h->flags & SLEEPPROXY_HOST_F_TCP_ANY)
		RULE(h->n_ports == 0);
	if (add) {
		RULE(h->n_addrs >= 1);
	} else {
		RULE(h->n_addrs == 0 && h->n_ports == 0 && h->flags == 0);
		RULE(h->wake_count == 0 && !h->has_lease);
		RULE(!memcmp(h->wake_lladdr, zero, ETH_ALEN));
		RULE(h->password_len == 0);
	}
}

/* A plain reading of "decimal digits only, within [min, max]". */
static void check_u32(const char *s, uint32_t min, uint32_t max)
{
	uint32_t out;
	int ret = parse_u32(s, min, max, &out);
	bool digits = *s && strspn(s, "0123456789") == strlen(s);
	unsigned long long val;

	errno = 0;
	val = digits ? strtoull(s, NULL, 10) : 0;
	if (digits && errno != ERANGE && val >= min && val <= max)
		RULE(ret == 0 && out == val);
	else
		RULE(ret == -1);
}

/* Six pairs of hex digits, one separator (':' or '-') between them all. */
static void check_mac(const char *s)
{
	uint8_t mac[ETH_ALEN];
	size_t i, len = strlen(s);
	bool ok = len == 3 * ETH_ALEN - 1 && (s[2] == ':' || s[2] == '-');

	for (i = 0; ok && i < len; i++) {
		if (i % 3 == 2)
			ok = s[i] == s[2];
		else
			ok = strchr("0123456789abcdefABCDEF", s[i]);
	}
	RULE((parse_mac(s, mac) == 0) == ok);
	for (i = 0; ok && i < ETH_ALEN; i++)
		RULE(mac[i] == strtoul((char[]){ s[3 * i], s[3 * i + 1], 0 },
				       NULL, 16));
}

/* Four or six pairs of hex digits, a colon between each two. */
static void check_password(const char *s)
{
	uint8_t pw[SP_PASSWORD_MAX];
	size_t i, len = strlen(s);
	bool ok = len == 3 * 4 - 1 || len == 3 * SP_PASSWORD_MAX - 1;
	int ret = parse_password(s, pw);

	for (i = 0; ok && i < len; i++) {
		if (i % 3 == 2)
			ok = s[i] == ':';
		else
			ok = strchr("0123456789abcdefABCDEF", s[i]);
	}
	RULE(ret == (ok ? (int)(len + 1) / 3 : -1));
	for (i = 0; ok && i < (len + 1) / 3; i++)
		RULE(pw[i] == strtoul((char[]){ s[3 * i], s[3 * i + 1], 0 },
				      NULL, 16));
}

/* What parse_addr found prints back to an address that parses the same. */
static void check_addr(const char *s)
{
	char buf[INET6_ADDRSTRLEN];
	struct sp_addr a, b;

	if (parse_addr(s, &a))
		return;
	RULE(a.family == AF_INET || a.family == AF_INET6);
	RULE(inet_ntop(a.family, &a.v6, buf, sizeof(buf)));
	RULE(!parse_addr(buf, &b) && addr_eq(&a, &b));
}

static void check_valid_ifname(const char *s)
{
	size_t len = strlen(s);

	if (!valid_ifname(s))
		return;
	RULE(len >= 1 && len < IF_NAMESIZE);
	RULE(strcmp(s, ".") && strcmp(s, ".."));
	RULE(!strpbrk(s, "/: \t\n\v\f\r"));
}

static void check_save(int argc, char **argv)
{
	struct save_args save;
	int i;

	if (parse_save(argc, argv, &save) != PARSE_OK || !save.file)
		return;
	/* The file name is one of the words, never "-" or an option. */
	for (i = 1; i < argc && argv[i] != save.file; i++)
		;
	RULE(i < argc && save.file[0] && strcmp(save.file, "-"));
	RULE(save.file[0] != '-');
}

/* Splits buf, a copy of line, and checks the words are inside buf. */
static int split(char *buf, size_t size, char **words, size_t max)
{
	int n = split_line(buf, words, max);
	int i;

	RULE(n >= -1 && n <= (int)max);
	if (n < 0)
		return n;
	RULE(words[n] == NULL);
	for (i = 0; i < n; i++)
		RULE(words[i] >= buf &&
		     words[i] + strlen(words[i]) < buf + size);
	return n;
}

/* Writes words back with print_word(); they must split the same. */
static void check_round_trip(char **words, int n)
{
	char *text = NULL, *again[MAX_WORDS + 1];
	size_t size = 0;
	FILE *f;
	int i;

	f = open_memstream(&text, &size);
	RULE(f);
	for (i = 0; i < n; i++) {
		if (i)
			fputc(' ', f);
		print_word(f, words[i]);
	}
	RULE(!fclose(f));
	RULE(!memchr(text, '\n', size));
	RULE(split(text, size + 1, again, MAX_WORDS) == n);
	for (i = 0; i < n; i++)
		RULE(!strcmp(words[i], again[i]));
	free(text);
}

/* A -batch line: argv[0], split with at most max words. */
static void check_split_line(const char *line, const char *opts)
{
	size_t size = strlen(line) + 1, max = 8;
	char *buf = malloc(size), *words[MAX_WORDS + 1];
	unsigned int m;
	int n;

	if (sscanf(opts, "%u", &m) == 1 && m <= MAX_WORDS)
		max = m;
	RULE(buf);
	memcpy(buf, line, size);
	n = split(buf, size, words, max);
	if (n > 0)
		check_round_trip(words, n);
	free(buf);
}

/* What each byte in the first place picks, in the order of run(). */
static const char selectors[] = "adstvmuinlwp";
#define N_SELECTORS (sizeof(selectors) - 1)

static void run(uint8_t which, const char *opts, int argc, char **argv)
{
	const char *word = argc > 0 ? argv[0] : "";
	const char *p = which ? memchr(selectors, which, N_SELECTORS) : NULL;
	struct stats_args stats;
	struct show_args show;
	uint32_t min, max;
	struct sp_host host;

	switch (p ? (size_t)(p - selectors) : which % N_SELECTORS) {
	case 0:		/* a */
		if (argc > 0 && parse_add_host(argc, argv, &host) == PARSE_OK)
			check_host(&host, true);
		break;
	case 1:		/* d */
		if (argc > 0 && parse_del_host(argc, argv, &host) == PARSE_OK)
			check_host(&host, false);
		break;
	case 2:		/* s */
		if (argc > 0 && parse_show(argc, argv, &show) == PARSE_OK &&
		    show.ifname[0])
			check_ifname(show.ifname);
		break;
	case 3:		/* t */
		if (argc > 0)
			parse_stats(argc, argv, &stats);
		break;
	case 4:		/* v */
		if (argc > 0)
			check_save(argc, argv);
		break;
	case 5:		/* m */
		check_mac(word);
		break;
	case 6:		/* u */
		if (sscanf(opts, "%" SCNu32 " %" SCNu32, &min, &max) != 2) {
			min = 0;
			max = UINT32_MAX;
		}
		check_u32(word, min, max);
		break;
	case 7:		/* i */
		check_addr(word);
		break;
	case 8:		/* n */
		check_valid_ifname(word);
		break;
	case 9:		/* l */
		check_split_line(word, opts);
		break;
	case 10:	/* w: every word alone survives print_word() */
		for (; argc > 0; argc--, argv++)
			check_round_trip(argv, 1);
		break;
	case 11:	/* p */
		check_password(word);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[MAX_WORDS + 1];
	char opts[32] = "";
	size_t i, start, len;
	int argc = 0;

	if (!size)
		return 0;
	/* The rest of the first line: options for the parser. */
	for (i = 1; i < size && data[i] != '\n' && data[i]; i++)
		;
	len = i - 1 < sizeof(opts) - 1 ? i - 1 : sizeof(opts) - 1;
	memcpy(opts, data + 1, len);
	opts[len] = '\0';

	/* Then one word a line; a separator at the very end ends the last. */
	start = i + 1;
	while (start <= size && argc < MAX_WORDS) {
		for (i = start; i < size && data[i] != '\n' && data[i]; i++)
			;
		if (i == size && start == size)
			break;
		argv[argc] = malloc(i - start + 1);
		if (!argv[argc])
			break;
		memcpy(argv[argc], data + start, i - start);
		argv[argc][i - start] = '\0';
		argc++;
		start = i + 1;
	}
	argv[argc] = NULL;

	run(data[0], opts, argc, argv);

	while (argc--)
		free(argv[argc]);
	return 0;
}
