// SPDX-License-Identifier: GPL-2.0
/*
 * Command line parsing for every spctl command.
 */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "args.h"

static void __attribute__((format(printf, 1, 2)))
usage_err(const char *fmt, ...)
{
	va_list ap;

	fputs("spctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * n bytes, each two hex digits, sep between them: 3 * n - 1 characters,
 * as s must be.
 */
static int parse_hex_bytes(const char *s, size_t n, char sep, uint8_t *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *p = s + 3 * i;
		int hi = hex_digit(p[0]);
		int lo = hex_digit(p[1]);

		if (hi < 0 || lo < 0)
			return -1;
		if (i < n - 1 && p[2] != sep)
			return -1;
		out[i] = hi << 4 | lo;
	}
	return 0;
}

/* xx:xx:xx:xx:xx:xx, or the same with '-' between the bytes. */
int parse_mac(const char *s, uint8_t mac[ETH_ALEN])
{
	char sep;

	if (strlen(s) != 3 * ETH_ALEN - 1)
		return -1;
	sep = s[2];
	if (sep != ':' && sep != '-')
		return -1;
	return parse_hex_bytes(s, ETH_ALEN, sep, mac);
}

/* xx:xx:xx:xx or xx:xx:xx:xx:xx:xx, colons only. */
int parse_password(const char *s, uint8_t password[SP_PASSWORD_MAX])
{
	size_t len = strlen(s);

	if (len == 3 * 4 - 1)
		return parse_hex_bytes(s, 4, ':', password) ? -1 : 4;
	if (len == 3 * SP_PASSWORD_MAX - 1)
		return parse_hex_bytes(s, SP_PASSWORD_MAX, ':', password) ?
		       -1 : SP_PASSWORD_MAX;
	return -1;
}

/* A decimal number of len characters, no sign, no spaces, no suffix. */
static int parse_u32_len(const char *s, size_t len, uint32_t min,
			 uint32_t max, uint32_t *out)
{
	uint64_t val = 0;
	size_t i;

	if (!len)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		val = val * 10 + (s[i] - '0');
		if (val > max)
			return -1;
	}
	if (val < min)
		return -1;
	*out = val;
	return 0;
}

int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	return parse_u32_len(s, strlen(s), min, max, out);
}

/* Seconds with up to three decimals ("60", "1.5"), as milliseconds. */
int parse_msecs(const char *s, uint32_t max_ms, uint32_t *out)
{
	const char *dot = strchr(s, '.');
	uint32_t secs, frac = 0;
	size_t n = 0;

	if (parse_u32_len(s, dot ? (size_t)(dot - s) : strlen(s), 0,
			  max_ms / 1000, &secs))
		return -1;
	if (dot) {
		n = strlen(dot + 1);
		if (n < 1 || n > 3 || parse_u32_len(dot + 1, n, 0, 999, &frac))
			return -1;
		while (n++ < 3)
			frac *= 10;
	}
	if ((uint64_t)secs * 1000 + frac > max_ms)
		return -1;
	*out = secs * 1000 + frac;
	return 0;
}

/* Milliseconds as parse_msecs() reads them: "60", "1.5", "0.25". */
void format_msecs(uint32_t ms, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%u", ms / 1000);

	if (ms % 1000 && n > 0 && (size_t)n < len) {
		snprintf(buf + n, len - n, ".%03u", ms % 1000);
		/* No trailing zeros: 1.500 is 1.5. */
		for (n = strlen(buf); buf[n - 1] == '0'; n--)
			buf[n - 1] = '\0';
	}
}

int parse_addr(const char *s, struct sp_addr *addr)
{
	memset(addr, 0, sizeof(*addr));
	if (inet_pton(AF_INET, s, &addr->v4) == 1) {
		addr->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &addr->v6) == 1) {
		addr->family = AF_INET6;
		return 0;
	}
	return -1;
}

/* What the kernel accepts as a device name. */
bool valid_ifname(const char *s)
{
	size_t len = strlen(s);

	if (!len || len >= IF_NAMESIZE)
		return false;
	if (!strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	return !strpbrk(s, "/: \t\n\v\f\r");
}

bool is_help(const char *s)
{
	return !strcmp(s, "help") || !strcmp(s, "-h") || !strcmp(s, "--help");
}

bool is_json(const char *s)
{
	return !strcmp(s, "-j") || !strcmp(s, "-json") || !strcmp(s, "--json");
}

/*
 * Keyword handling shared by the commands: every keyword but "-j" and the
 * help words takes exactly one value.
 */
struct keyword_state {
	bool dev;
	bool mac;
	bool wake_count;
	bool lease;
	bool ping;
	bool lease_wake;
	bool wake_mac;
	bool password;
	bool wake_timeout;
};

static bool take_value(int argc, char **argv, int *i, const char **val)
{
	if (*i + 1 >= argc) {
		usage_err("\"%s\" needs a value", argv[*i]);
		return false;
	}
	*val = argv[++*i];
	return true;
}

static bool once(bool *seen, const char *kw)
{
	if (*seen) {
		usage_err("\"%s\" given twice", kw);
		return false;
	}
	*seen = true;
	return true;
}

static bool take_dev(const char *val, char ifname[IF_NAMESIZE])
{
	if (!valid_ifname(val)) {
		usage_err("\"%s\" is not a valid interface name", val);
		return false;
	}
	snprintf(ifname, IF_NAMESIZE, "%s", val);
	return true;
}

static bool take_mac(const char *val, uint8_t mac[ETH_ALEN])
{
	static const uint8_t zero[ETH_ALEN];

	if (parse_mac(val, mac)) {
		usage_err("invalid MAC address \"%s\" (expected xx:xx:xx:xx:xx:xx)",
			  val);
		return false;
	}
	if (mac[0] & 1) {
		usage_err("MAC address \"%s\" is not unicast", val);
		return false;
	}
	if (!memcmp(mac, zero, ETH_ALEN)) {
		usage_err("MAC address \"%s\" is all zeros", val);
		return false;
	}
	return true;
}

bool same_addr(const struct sp_addr *a, const struct sp_addr *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == AF_INET)
		return a->v4.s_addr == b->v4.s_addr;
	return !memcmp(&a->v6, &b->v6, sizeof(a->v6));
}

static bool take_ip(const char *val, struct sp_host *host)
{
	unsigned int i, n = 0, max;
	struct sp_addr addr;

	if (parse_addr(val, &addr)) {
		usage_err("invalid IP address \"%s\"", val);
		return false;
	}
	for (i = 0; i < host->n_addrs; i++) {
		if (same_addr(&host->addrs[i], &addr))
			return true;
		if (host->addrs[i].family == addr.family)
			n++;
	}
	max = addr.family == AF_INET ? SLEEPPROXY_MAX_IPV4 :
				       SLEEPPROXY_MAX_IPV6;
	if (n == max) {
		usage_err("too many %s addresses (at most %u)",
			  addr.family == AF_INET ? "IPv4" : "IPv6", max);
		return false;
	}
	host->addrs[host->n_addrs++] = addr;
	return true;
}

/* Keeps host->ports ascending and distinct. */
static bool add_port(struct sp_host *host, uint16_t port)
{
	unsigned int i;

	for (i = 0; i < host->n_ports && host->ports[i] < port; i++)
		;
	if (i < host->n_ports && host->ports[i] == port)
		return true;
	if (host->n_ports == SLEEPPROXY_MAX_PORTS) {
		usage_err("too many TCP ports (at most %d)",
			  SLEEPPROXY_MAX_PORTS);
		return false;
	}
	memmove(&host->ports[i + 1], &host->ports[i],
		(host->n_ports - i) * sizeof(host->ports[0]));
	host->ports[i] = port;
	host->n_ports++;
	return true;
}

static bool tcp_any_conflict(void)
{
	usage_err("\"tcp any\" cannot be combined with TCP ports");
	return false;
}

static bool take_tcp(const char *val, struct sp_host *host)
{
	const char *p = val;

	if (!strcmp(val, "any")) {
		if (host->n_ports)
			return tcp_any_conflict();
		host->flags |= SLEEPPROXY_HOST_F_TCP_ANY;
		return true;
	}
	for (;;) {
		size_t len = strcspn(p, ",");
		uint32_t port;

		if (len == 3 && !strncmp(p, "any", 3))
			return tcp_any_conflict();
		if (parse_u32_len(p, len, 1, UINT16_MAX, &port)) {
			usage_err("invalid TCP port \"%.*s\" in \"%s\" (expected 1 to 65535)",
				  (int)len, p, val);
			return false;
		}
		if (host->flags & SLEEPPROXY_HOST_F_TCP_ANY)
			return tcp_any_conflict();
		if (!add_port(host, port))
			return false;
		if (!p[len])
			return true;
		p += len + 1;
	}
}

static bool take_wake_count(const char *val, struct sp_host *host)
{
	uint32_t num;

	if (parse_u32(val, 1, SLEEPPROXY_WAKE_COUNT_MAX, &num)) {
		usage_err("invalid wake-count \"%s\" (expected 1 to %d)",
			  val, SLEEPPROXY_WAKE_COUNT_MAX);
		return false;
	}
	host->wake_count = num;
	return true;
}

static bool take_lease(const char *val, struct sp_host *host)
{
	uint32_t num;

	if (parse_u32(val, 0, SLEEPPROXY_LEASE_MAX, &num)) {
		usage_err("invalid lease \"%s\" (expected 0 to %d seconds)",
			  val, SLEEPPROXY_LEASE_MAX);
		return false;
	}
	host->has_lease = true;
	host->lease = num;
	return true;
}

static bool take_wake_timeout(const char *val, struct sp_host *host)
{
	if (parse_msecs(val, SLEEPPROXY_WAKE_TIMEOUT_MAX, &host->wake_timeout)) {
		usage_err("invalid wake-timeout \"%s\" (expected 0 to %d seconds, with up to 3 decimals)",
			  val, SLEEPPROXY_WAKE_TIMEOUT_MAX / 1000);
		return false;
	}
	host->has_wake_timeout = true;
	return true;
}

static bool take_on_off(const char *kw, const char *val, bool *on)
{
	if (!strcmp(val, "on")) {
		*on = true;
		return true;
	}
	if (!strcmp(val, "off")) {
		*on = false;
		return true;
	}
	usage_err("invalid %s \"%s\" (expected on or off)", kw, val);
	return false;
}

static bool take_ping(const char *val, struct sp_host *host)
{
	bool on;

	if (!take_on_off("ping", val, &on))
		return false;
	if (on)
		host->flags |= SLEEPPROXY_HOST_F_PING;
	else
		host->flags &= ~SLEEPPROXY_HOST_F_PING;
	return true;
}

static bool take_password(const char *val, struct sp_host *host)
{
	int len = parse_password(val, host->password);

	if (len < 0) {
		usage_err("invalid password \"%s\" (expected 4 or 6 bytes in hex separated by colons, as de:ad:be:ef or 00:11:22:33:44:55)",
			  val);
		return false;
	}
	host->password_len = len;
	return true;
}

/* On by default: it is "off" that sets a flag. */
static bool take_lease_wake(const char *val, struct sp_host *host)
{
	bool on;

	if (!take_on_off("lease-wake", val, &on))
		return false;
	if (on)
		host->flags &= ~SLEEPPROXY_HOST_F_NO_LEASE_WAKE;
	else
		host->flags |= SLEEPPROXY_HOST_F_NO_LEASE_WAKE;
	return true;
}

static bool take_keyword(const char *kw, const char *val,
			 struct sp_host *host, struct keyword_state *seen)
{
	if (!strcmp(kw, "dev"))
		return once(&seen->dev, kw) && take_dev(val, host->ifname);
	if (!strcmp(kw, "mac"))
		return once(&seen->mac, kw) && take_mac(val, host->lladdr);
	if (!strcmp(kw, "ip"))
		return take_ip(val, host);
	if (!strcmp(kw, "tcp"))
		return take_tcp(val, host);
	if (!strcmp(kw, "wake-count"))
		return once(&seen->wake_count, kw) &&
		       take_wake_count(val, host);
	if (!strcmp(kw, "ping"))
		return once(&seen->ping, kw) && take_ping(val, host);
	if (!strcmp(kw, "lease-wake"))
		return once(&seen->lease_wake, kw) &&
		       take_lease_wake(val, host);
	if (!strcmp(kw, "wake-mac"))
		return once(&seen->wake_mac, kw) &&
		       take_mac(val, host->wake_lladdr);
	if (!strcmp(kw, "password"))
		return once(&seen->password, kw) && take_password(val, host);
	if (!strcmp(kw, "wake-timeout"))
		return once(&seen->wake_timeout, kw) &&
		       take_wake_timeout(val, host);
	return once(&seen->lease, kw) && take_lease(val, host);
}

static const char *const add_host_keywords[] = {
	"dev", "mac", "ip", "tcp", "wake-count", "lease", "ping", "lease-wake",
	"wake-mac", "password", "wake-timeout", NULL
};

static const char *const del_host_keywords[] = { "dev", "mac", NULL };
static const char *const wake_keywords[] = { "dev", "mac", "password", NULL };

static bool in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (!strcmp(*list, s))
			return true;
	return false;
}

/* add-host and del-host: keywords from the list, dev and mac required. */
static enum parse_result parse_host(int argc, char **argv,
				    const char *const *keywords,
				    struct sp_host *host)
{
	struct keyword_state seen = { 0 };
	int i;

	memset(host, 0, sizeof(*host));
	for (i = 1; i < argc; i++) {
		const char *kw = argv[i];
		const char *val;

		if (is_help(kw))
			return PARSE_HELP;
		if (!in_list(keywords, kw)) {
			usage_err("unknown keyword \"%s\"", kw);
			return PARSE_USAGE;
		}
		if (!take_value(argc, argv, &i, &val) ||
		    !take_keyword(kw, val, host, &seen))
			return PARSE_USAGE;
	}

	if (!seen.dev) {
		usage_err("%s needs \"dev IFNAME\"", argv[0]);
		return PARSE_USAGE;
	}
	if (!seen.mac) {
		usage_err("%s needs \"mac LLADDR\"", argv[0]);
		return PARSE_USAGE;
	}
	return PARSE_OK;
}

enum parse_result parse_add_host(int argc, char **argv, struct sp_host *host)
{
	enum parse_result res;

	res = parse_host(argc, argv, add_host_keywords, host);
	if (res == PARSE_OK && !host->n_addrs) {
		usage_err("%s needs at least one \"ip ADDR\"", argv[0]);
		return PARSE_USAGE;
	}
	return res;
}

enum parse_result parse_del_host(int argc, char **argv, struct sp_host *host)
{
	return parse_host(argc, argv, del_host_keywords, host);
}

enum parse_result parse_wake(int argc, char **argv, struct sp_host *host)
{
	return parse_host(argc, argv, wake_keywords, host);
}

enum parse_result parse_show(int argc, char **argv, struct show_args *args)
{
	bool dev = false;
	int i;

	memset(args, 0, sizeof(*args));
	for (i = 1; i < argc; i++) {
		const char *kw = argv[i];
		const char *val;

		if (is_help(kw))
			return PARSE_HELP;
		if (is_json(kw)) {
			args->json = true;
			continue;
		}
		if (!strcmp(kw, "-d") || !strcmp(kw, "-details")) {
			args->details = true;
			continue;
		}
		if (strcmp(kw, "dev")) {
			usage_err("unknown keyword \"%s\"", kw);
			return PARSE_USAGE;
		}
		if (!take_value(argc, argv, &i, &val) || !once(&dev, kw) ||
		    !take_dev(val, args->ifname))
			return PARSE_USAGE;
	}
	return PARSE_OK;
}

static bool take_format(const char *val, struct stats_args *args)
{
	static const char *const names[] = {
		[STATS_TEXT] = "text",
		[STATS_JSON] = "json",
		[STATS_PROMETHEUS] = "prometheus",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(val, names[i])) {
			args->format = i;
			return true;
		}
	usage_err("unknown output format \"%s\" (text, json, prometheus)",
		  val);
	return false;
}

enum parse_result parse_stats(int argc, char **argv, struct stats_args *args)
{
	bool dev = false;
	int i;

	memset(args, 0, sizeof(*args));
	for (i = 1; i < argc; i++) {
		const char *kw = argv[i];
		const char *val;

		if (is_help(kw))
			return PARSE_HELP;
		if (is_json(kw) || !strcmp(kw, "-o")) {
			if (args->format_set) {
				usage_err("one output format only");
				return PARSE_USAGE;
			}
			args->format_set = true;
			args->format = STATS_JSON;
			if (!is_json(kw) && (!take_value(argc, argv, &i, &val) ||
					     !take_format(val, args)))
				return PARSE_USAGE;
			continue;
		}
		if (strcmp(kw, "dev")) {
			usage_err("unknown keyword \"%s\"", kw);
			return PARSE_USAGE;
		}
		if (!take_value(argc, argv, &i, &val) || !once(&dev, kw) ||
		    !take_dev(val, args->ifname))
			return PARSE_USAGE;
	}
	return PARSE_OK;
}

enum parse_result parse_monitor(int argc, char **argv,
				struct monitor_args *args)
{
	int i;

	memset(args, 0, sizeof(*args));
	for (i = 1; i < argc; i++) {
		if (is_help(argv[i]))
			return PARSE_HELP;
		if (!is_json(argv[i])) {
			usage_err("unknown keyword \"%s\"", argv[i]);
			return PARSE_USAGE;
		}
		args->json = true;
	}
	return PARSE_OK;
}

enum parse_result parse_save(int argc, char **argv, struct save_args *args)
{
	bool file = false;
	int i;

	memset(args, 0, sizeof(*args));
	for (i = 1; i < argc; i++) {
		const char *word = argv[i];

		if (is_help(word))
			return PARSE_HELP;
		if (word[0] == '-' && word[1]) {
			usage_err("unknown option \"%s\" (a file of that name is ./%s)",
				  word, word);
			return PARSE_USAGE;
		}
		if (file) {
			usage_err("%s takes one file at most", argv[0]);
			return PARSE_USAGE;
		}
		if (!word[0]) {
			usage_err("empty file name");
			return PARSE_USAGE;
		}
		file = true;
		if (strcmp(word, "-"))
			args->file = word;
	}
	return PARSE_OK;
}

static bool is_blank(char c)
{
	return c && strchr(" \t\n\v\f\r", c);
}

int split_line(char *line, char **argv, size_t max)
{
	char *in = line, *out = line;
	size_t argc = 0;

	/* Words are packed in place: out never gets ahead of in. */
	for (;;) {
		bool quoted = false;

		while (is_blank(*in))
			in++;
		if (!*in || *in == '#')
			break;
		if (argc == max) {
			usage_err("too many words (at most %zu)", max);
			return -1;
		}
		argv[argc++] = out;
		while (*in && (quoted || !is_blank(*in))) {
			if (*in == '"') {
				quoted = !quoted;
				in++;
				continue;
			}
			if (quoted && *in == '\\' &&
			    (in[1] == '"' || in[1] == '\\'))
				in++;
			*out++ = *in++;
		}
		if (quoted) {
			usage_err("unterminated double quote");
			return -1;
		}
		/* Step over the blank before out may overwrite it. */
		if (*in)
			in++;
		*out++ = '\0';
	}
	argv[argc] = NULL;
	return argc;
}

void print_word(FILE *f, const char *word)
{
	const char *p;

	if (word[0] && word[0] != '#' && !strpbrk(word, " \t\n\v\f\r\"")) {
		fputs(word, f);
		return;
	}
	fputc('"', f);
	for (p = word; *p; p++) {
		if (*p == '"' || *p == '\\')
			fputc('\\', f);
		fputc(*p, f);
	}
	fputc('"', f);
}

const struct config_key config_keys[SP_CONFIG_COUNT] = {
	{ "max-hosts", "max_hosts", false, 1, SLEEPPROXY_MAX_HOSTS_MAX },
	{ "awake-grace", "awake_grace_ms", true, 0, SLEEPPROXY_CONFIG_MS_MAX },
	{ "wake-rate", "max_wakes_per_sec", false, 0, SLEEPPROXY_RATE_MAX },
	{ "reply-rate", "max_replies_per_sec", false, 0, SLEEPPROXY_RATE_MAX },
	{ "syn-hold", "syn_hold_ms", true, 1, SLEEPPROXY_CONFIG_MS_MAX },
	{ "syn-hold-max", "syn_hold_max", false, 0,
	  SLEEPPROXY_SYN_HOLD_MAX_MAX },
	{ "syn-hold-total", "syn_hold_total", false, 0,
	  SLEEPPROXY_SYN_HOLD_TOTAL_MAX },
	{ "wake-timeout", "wake_timeout_ms", true, 0,
	  SLEEPPROXY_WAKE_TIMEOUT_MAX },
};

void format_setting(unsigned int i, uint32_t value, char *buf, size_t len)
{
	if (config_keys[i].secs)
		format_msecs(value, buf, len);
	else
		snprintf(buf, len, "%u", value);
}

static bool take_setting(const char *key, const char *val,
			 struct sp_config *c)
{
	const struct config_key *k;
	char lo[16], hi[16];
	unsigned int i;
	uint32_t v;

	for (i = 0; i < SP_CONFIG_COUNT; i++)
		if (!strcmp(key, config_keys[i].key))
			break;
	if (i == SP_CONFIG_COUNT) {
		usage_err("unknown setting \"%s\"", key);
		return false;
	}
	k = &config_keys[i];
	if ((c->has | c->reset) & (1U << i)) {
		usage_err("%s given twice", key);
		return false;
	}
	if (!strcmp(val, "default")) {
		c->reset |= 1U << i;
		return true;
	}
	if (k->secs ? parse_msecs(val, k->max, &v) || v < k->min :
		      parse_u32(val, k->min, k->max, &v)) {
		format_setting(i, k->min, lo, sizeof(lo));
		format_setting(i, k->max, hi, sizeof(hi));
		usage_err("invalid %s \"%s\" (expected %s to %s%s, or default)",
			  key, val, lo, hi,
			  k->secs ? " seconds, with up to 3 decimals" : "");
		return false;
	}
	c->value[i] = v;
	c->has |= 1U << i;
	return true;
}

enum parse_result parse_config(int argc, char **argv,
			       struct config_args *args)
{
	int i;

	memset(args, 0, sizeof(*args));
	for (i = 1; i < argc; i++)
		if (is_help(argv[i]))
			return PARSE_HELP;
	if (argc > 1 && !strcmp(argv[1], "set")) {
		args->set = true;
		if (argc == 2) {
			usage_err("config set needs a setting and its value");
			return PARSE_USAGE;
		}
		for (i = 2; i < argc; i += 2) {
			if (i + 1 == argc) {
				usage_err("%s needs a value", argv[i]);
				return PARSE_USAGE;
			}
			if (!take_setting(argv[i], argv[i + 1],
					  &args->changes))
				return PARSE_USAGE;
		}
		return PARSE_OK;
	}
	for (i = 1; i < argc; i++) {
		if (!is_json(argv[i])) {
			usage_err("unknown keyword \"%s\"", argv[i]);
			return PARSE_USAGE;
		}
		args->json = true;
	}
	return PARSE_OK;
}
