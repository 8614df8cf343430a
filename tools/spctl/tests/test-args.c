// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the command line parsers and the JSON writer; they need
 * neither the network nor the kernel module.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "../args.h"
#include "../json.h"

static int failures;

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			printf("%s:%d: check failed: %s\n",		\
				__FILE__, __LINE__, #cond);		\
			failures++;					\
		}							\
	} while (0)

#define MAX_WORDS 64

/* Splits a command line on spaces; words live in a static buffer. */
static int split(const char *line, char **argv)
{
	static char buf[4096];
	int argc = 0;
	char *tok;

	snprintf(buf, sizeof(buf), "%s", line);
	for (tok = strtok(buf, " "); tok && argc < MAX_WORDS;
	     tok = strtok(NULL, " "))
		argv[argc++] = tok;
	argv[argc] = NULL;
	return argc;
}

static enum parse_result add(const char *line, struct sp_host *host)
{
	char *argv[MAX_WORDS + 1];
	int argc = split(line, argv);

	return parse_add_host(argc, argv, host);
}

static void test_values(void)
{
	uint8_t mac[ETH_ALEN], pw[SP_PASSWORD_MAX];
	struct sp_addr addr;
	char buf[16];
	uint32_t v;

	CHECK(!parse_mac("52:54:00:AA:bb:cc", mac));
	CHECK(mac[0] == 0x52 && mac[3] == 0xaa && mac[5] == 0xcc);
	CHECK(!parse_mac("52-54-00-aa-bb-cd", mac) && mac[5] == 0xcd);
	CHECK(parse_mac("52:54:00:aa:bb", mac));
	CHECK(parse_mac("52:54:00:aa:bb:cc:dd", mac));
	CHECK(parse_mac("52:54-00:aa:bb:cc", mac));
	CHECK(parse_mac("5:54:00:aa:bb:cc0", mac));
	CHECK(parse_mac("52:54:00:aa:bb:cg", mac));
	CHECK(parse_mac("", mac));

	CHECK(parse_password("de:ad:BE:ef", pw) == 4);
	CHECK(pw[0] == 0xde && pw[2] == 0xbe && pw[3] == 0xef);
	CHECK(parse_password("00:11:22:33:44:55", pw) == 6);
	CHECK(pw[0] == 0x00 && pw[5] == 0x55);
	CHECK(parse_password("de:ad:be", pw) == -1);
	CHECK(parse_password("de:ad:be:ef:00", pw) == -1);
	CHECK(parse_password("00:11:22:33:44:55:66", pw) == -1);
	CHECK(parse_password("de-ad-be-ef", pw) == -1);
	CHECK(parse_password("de:ad-be:ef", pw) == -1);
	CHECK(parse_password("deadbeef", pw) == -1);
	CHECK(parse_password("de:ad:be:eg", pw) == -1);
	CHECK(parse_password("d:ead:be:ef", pw) == -1);
	CHECK(parse_password(" de:ad:be:ef", pw) == -1);
	CHECK(parse_password("de:ad:be:ef:", pw) == -1);
	CHECK(parse_password("0de:ad:be:ef", pw) == -1);
	CHECK(parse_password("", pw) == -1);

	CHECK(!parse_u32("0", 0, 10, &v) && v == 0);
	CHECK(!parse_u32("4294967295", 0, UINT32_MAX, &v) &&
	      v == UINT32_MAX);
	CHECK(parse_u32("4294967296", 0, UINT32_MAX, &v));
	CHECK(parse_u32("99999999999999999999999", 0, UINT32_MAX, &v));
	CHECK(parse_u32("-1", 0, 10, &v));
	CHECK(parse_u32("+1", 0, 10, &v));
	CHECK(parse_u32(" 1", 0, 10, &v));
	CHECK(parse_u32("1s", 0, 10, &v));
	CHECK(parse_u32("0x1", 0, 10, &v));
	CHECK(parse_u32("", 0, 10, &v));
	CHECK(parse_u32("0", 1, 10, &v));
	CHECK(parse_u32("11", 1, 10, &v));

	CHECK(!parse_msecs("0", 3600000, &v) && v == 0);
	CHECK(!parse_msecs("60", 3600000, &v) && v == 60000);
	CHECK(!parse_msecs("1.5", 3600000, &v) && v == 1500);
	CHECK(!parse_msecs("1.25", 3600000, &v) && v == 1250);
	CHECK(!parse_msecs("0.001", 3600000, &v) && v == 1);
	CHECK(!parse_msecs("3600.000", 3600000, &v) && v == 3600000);
	CHECK(parse_msecs("3600.001", 3600000, &v));
	CHECK(parse_msecs("1.0001", 3600000, &v));
	CHECK(parse_msecs("1.", 3600000, &v));
	CHECK(parse_msecs(".5", 3600000, &v));
	CHECK(parse_msecs("", 3600000, &v));
	CHECK(parse_msecs("1.-5", 3600000, &v));
	CHECK(parse_msecs("4294967296", 3600000, &v));
	format_msecs(1500, buf, sizeof(buf));
	CHECK(!strcmp(buf, "1.5"));
	format_msecs(1, buf, sizeof(buf));
	CHECK(!strcmp(buf, "0.001"));
	format_msecs(60000, buf, sizeof(buf));
	CHECK(!strcmp(buf, "60"));
	format_msecs(3600000, buf, sizeof(buf));
	CHECK(!strcmp(buf, "3600"));

	CHECK(!parse_addr("192.0.2.1", &addr) && addr.family == AF_INET &&
	      addr.v4.s_addr == htonl(0xc0000201));
	CHECK(!parse_addr("2001:db8::1", &addr) && addr.family == AF_INET6 &&
	      addr.v6.s6_addr[15] == 1);
	CHECK(parse_addr("192.0.2", &addr));
	CHECK(parse_addr("192.0.2.256", &addr));
	CHECK(parse_addr("fe80::1%eth0", &addr));
	CHECK(parse_addr("192.0.2.1/24", &addr));

	CHECK(valid_ifname("br0"));
	CHECK(valid_ifname("0123456789abcde"));
	CHECK(!valid_ifname("0123456789abcdef"));
	CHECK(!valid_ifname(""));
	CHECK(!valid_ifname("a/b"));
	CHECK(!valid_ifname("a b"));
	CHECK(!valid_ifname(".."));
}

static void test_add_host(void)
{
	struct sp_host a, b;
	char line[2048];
	int i;

	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4",
		  &a) == PARSE_OK);
	CHECK(!strcmp(a.ifname, "br0") && a.lladdr[5] == 0xcc);
	CHECK(a.n_addrs == 1 && a.n_ports == 0 && a.flags == 0);
	CHECK(a.wake_count == 0 && !a.has_lease);

	/* Any order; tcp repeats; ports come out sorted and distinct. */
	CHECK(add("add-host lease 60 tcp 445 ip 2001:db8::4 wake-count 16 "
		  "mac 52:54:00:aa:bb:cc tcp 22 dev br0 ip 192.0.2.4 "
		  "tcp 445,22,80", &a) == PARSE_OK);
	CHECK(a.n_addrs == 2 && a.addrs[0].family == AF_INET6);
	CHECK(a.n_ports == 3 && a.ports[0] == 22 && a.ports[1] == 80 &&
	      a.ports[2] == 445);
	CHECK(a.wake_count == 16 && a.has_lease && a.lease == 60);
	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4 "
		  "tcp 22,445", &a) == PARSE_OK);
	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4 "
		  "tcp 445 tcp 22", &b) == PARSE_OK);
	CHECK(!memcmp(&a, &b, sizeof(a)));

	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4 "
		  "tcp any tcp any", &a) == PARSE_OK);
	CHECK(a.flags == SLEEPPROXY_HOST_F_TCP_ANY && a.n_ports == 0);
	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4 "
		  "tcp any tcp 22", &a) == PARSE_USAGE);
	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4 "
		  "tcp 22 tcp any", &a) == PARSE_USAGE);
	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4 "
		  "tcp 22,any", &a) == PARSE_USAGE);
	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4 "
		  "tcp 22,,23", &a) == PARSE_USAGE);
	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4 "
		  "tcp 22,", &a) == PARSE_USAGE);
	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4 "
		  "tcp 65535,1", &a) == PARSE_OK);
	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4 "
		  "lease 2592000", &a) == PARSE_OK);
	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4 "
		  "lease 2592001", &a) == PARSE_USAGE);
	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4 "
		  "lease 0", &a) == PARSE_OK && a.has_lease && !a.lease);
	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4 "
		  "wake-count 1 wake-count 2", &a) == PARSE_USAGE);

	/* ping: on or off, at most once, off by default. */
	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4 "
		  "ping on", &a) == PARSE_OK);
	CHECK(a.flags == SLEEPPROXY_HOST_F_PING);
	CHECK(add("add-host ping on tcp any dev br0 mac 52:54:00:aa:bb:cc "
		  "ip 2001:db8::4", &a) == PARSE_OK);
	CHECK(a.flags == (SLEEPPROXY_HOST_F_PING | SLEEPPROXY_HOST_F_TCP_ANY));
	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4 "
		  "ping off tcp any", &a) == PARSE_OK);
	CHECK(a.flags == SLEEPPROXY_HOST_F_TCP_ANY);
	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4 "
		  "ping off", &b) == PARSE_OK && b.flags == 0);
	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4",
		  &a) == PARSE_OK);
	CHECK(!memcmp(&a, &b, sizeof(a)));
	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4 "
		  "ping", &a) == PARSE_USAGE);
	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4 "
		  "ping maybe", &a) == PARSE_USAGE);
	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4 "
		  "ping ON", &a) == PARSE_USAGE);
	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4 "
		  "ping on ping off", &a) == PARSE_USAGE);
	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4 "
		  "ping on ping on", &a) == PARSE_USAGE);
	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ping on",
		  &a) == PARSE_USAGE);

	/* lease-wake: on by default, so only off sets a flag. */
	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4 "
		  "lease-wake off", &a) == PARSE_OK);
	CHECK(a.flags == SLEEPPROXY_HOST_F_NO_LEASE_WAKE);
	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4 "
		  "lease-wake on", &a) == PARSE_OK && a.flags == 0);
	CHECK(add("add-host lease-wake off ping on lease 600 tcp any "
		  "dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4", &a) == PARSE_OK);
	CHECK(a.flags == (SLEEPPROXY_HOST_F_NO_LEASE_WAKE |
			  SLEEPPROXY_HOST_F_PING | SLEEPPROXY_HOST_F_TCP_ANY));
	CHECK(a.has_lease && a.lease == 600);
	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4 "
		  "ping on lease-wake on", &a) == PARSE_OK &&
	      a.flags == SLEEPPROXY_HOST_F_PING);
	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4 "
		  "lease-wake off lease-wake off", &a) == PARSE_USAGE);
	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4 "
		  "lease-wake on lease-wake off", &a) == PARSE_USAGE);
	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4 "
		  "lease-wake", &a) == PARSE_USAGE);
	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4 "
		  "lease-wake no", &a) == PARSE_USAGE);
	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4 "
		  "lease-wake OFF", &a) == PARSE_USAGE);
	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4 "
		  "lease_wake off", &a) == PARSE_USAGE);
	CHECK(add("add-host dev br0 dev br1 mac 52:54:00:aa:bb:cc "
		  "ip 192.0.2.4", &a) == PARSE_USAGE);
	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc", &a) ==
	      PARSE_USAGE);
	CHECK(add("add-host dev br0 ip 192.0.2.4", &a) == PARSE_USAGE);
	CHECK(add("add-host mac 52:54:00:aa:bb:cc ip 192.0.2.4", &a) ==
	      PARSE_USAGE);
	CHECK(add("add-host dev br0 mac 00:00:00:00:00:00 ip 192.0.2.4",
		  &a) == PARSE_USAGE);
	CHECK(add("add-host dev br0 mac ff:ff:ff:ff:ff:ff ip 192.0.2.4",
		  &a) == PARSE_USAGE);
	CHECK(add("add-host dev br0 mac 01:00:5e:00:00:01 ip 192.0.2.4",
		  &a) == PARSE_USAGE);
	CHECK(add("add-host help", &a) == PARSE_HELP);
	CHECK(add("add-host dev br0 --help", &a) == PARSE_HELP);
	/* A help word where a value is due is the value. */
	CHECK(add("add-host dev help", &a) == PARSE_USAGE);

	/* wake-mac and password: optional, once each, checked. */
	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4",
		  &a) == PARSE_OK);
	CHECK(!a.password_len && !a.wake_lladdr[0] && !a.wake_lladdr[5]);
	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4 "
		  "wake-mac 52:54:00:aa:bb:cd password de:ad:be:ef",
		  &a) == PARSE_OK);
	CHECK(a.lladdr[5] == 0xcc && a.wake_lladdr[0] == 0x52 &&
	      a.wake_lladdr[5] == 0xcd);
	CHECK(a.password_len == 4 && a.password[0] == 0xde &&
	      a.password[3] == 0xef);
	CHECK(add("add-host password 00:11:22:33:44:55 dev br0 "
		  "mac 52:54:00:aa:bb:cc ip 192.0.2.4", &a) == PARSE_OK);
	CHECK(a.password_len == 6 && a.password[5] == 0x55);
	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4 "
		  "wake-mac 52:54:00:aa:bb:cc", &a) == PARSE_OK);
	CHECK(!memcmp(a.wake_lladdr, a.lladdr, ETH_ALEN));
	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4 "
		  "password de:ad:be:ef:00", &a) == PARSE_USAGE);
	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4 "
		  "password deadbeef", &a) == PARSE_USAGE);
	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4 "
		  "password de:ad:be:ef password de:ad:be:ef", &a) ==
	      PARSE_USAGE);
	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4 "
		  "password", &a) == PARSE_USAGE);
	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4 "
		  "wake-mac 01:00:5e:00:00:01", &a) == PARSE_USAGE);
	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4 "
		  "wake-mac 00:00:00:00:00:00", &a) == PARSE_USAGE);
	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4 "
		  "wake-mac 52:54:00:aa:bb", &a) == PARSE_USAGE);
	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4 "
		  "wake-mac 52:54:00:aa:bb:cd wake-mac 52:54:00:aa:bb:cd",
		  &a) == PARSE_USAGE);
	CHECK(add("add-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.4 "
		  "wake_mac 52:54:00:aa:bb:cd", &a) == PARSE_USAGE);

	/* Limits: exactly at them is fine, a duplicate does not count. */
	snprintf(line, sizeof(line), "add-host dev br0 mac 52:54:00:aa:bb:cc");
	for (i = 1; i <= SLEEPPROXY_MAX_IPV4; i++)
		snprintf(line + strlen(line), sizeof(line) - strlen(line),
			 " ip 192.0.2.%d", i);
	for (i = 1; i <= SLEEPPROXY_MAX_IPV6; i++)
		snprintf(line + strlen(line), sizeof(line) - strlen(line),
			 " ip 2001:db8::%x", i);
	strcat(line, " ip 192.0.2.1 ip 2001:db8::1");
	CHECK(add(line, &a) == PARSE_OK);
	CHECK(a.n_addrs == SLEEPPROXY_MAX_IPV4 + SLEEPPROXY_MAX_IPV6);
	strcat(line, " ip 192.0.2.99");
	CHECK(add(line, &a) == PARSE_USAGE);

	snprintf(line, sizeof(line),
		 "add-host dev br0 mac 52:54:00:aa:bb:cc ip 2001:db8::1 tcp 1");
	for (i = 2; i <= SLEEPPROXY_MAX_PORTS; i++)
		snprintf(line + strlen(line), sizeof(line) - strlen(line),
			 ",%d", i);
	strcat(line, " tcp 64,1");
	CHECK(add(line, &a) == PARSE_OK);
	CHECK(a.n_ports == SLEEPPROXY_MAX_PORTS);
	strcat(line, " tcp 65");
	CHECK(add(line, &a) == PARSE_USAGE);
}

static void test_other_commands(void)
{
	char *argv[MAX_WORDS + 1];
	struct monitor_args mon;
	struct stats_args st;
	struct show_args sh;
	struct sp_host host;
	int argc;

	argc = split("del-host mac 52-54-00-aa-bb-cc dev br0", argv);
	CHECK(parse_del_host(argc, argv, &host) == PARSE_OK);
	CHECK(!strcmp(host.ifname, "br0") && host.lladdr[0] == 0x52);
	argc = split("del-host dev br0 mac 52:54:00:aa:bb:cc ip 192.0.2.1",
		     argv);
	CHECK(parse_del_host(argc, argv, &host) == PARSE_USAGE);
	argc = split("del-host dev br0", argv);
	CHECK(parse_del_host(argc, argv, &host) == PARSE_USAGE);
	argc = split("del-host dev br0 mac 52:54:00:aa:bb:cc ping on", argv);
	CHECK(parse_del_host(argc, argv, &host) == PARSE_USAGE);

	argc = split("show", argv);
	CHECK(parse_show(argc, argv, &sh) == PARSE_OK && !sh.json &&
	      !sh.ifname[0]);
	argc = split("show -j dev br0", argv);
	CHECK(parse_show(argc, argv, &sh) == PARSE_OK && sh.json &&
	      !strcmp(sh.ifname, "br0"));
	argc = split("show dev", argv);
	CHECK(parse_show(argc, argv, &sh) == PARSE_USAGE);
	argc = split("show all", argv);
	CHECK(parse_show(argc, argv, &sh) == PARSE_USAGE);

	argc = split("stats -json", argv);
	CHECK(parse_stats(argc, argv, &st) == PARSE_OK &&
	      st.format == STATS_JSON && !st.ifname[0]);
	argc = split("stats", argv);
	CHECK(parse_stats(argc, argv, &st) == PARSE_OK &&
	      st.format == STATS_TEXT && !st.format_set);
	argc = split("stats dev br0", argv);
	CHECK(parse_stats(argc, argv, &st) == PARSE_OK &&
	      !strcmp(st.ifname, "br0") && st.format == STATS_TEXT);
	argc = split("stats -o prometheus dev br0", argv);
	CHECK(parse_stats(argc, argv, &st) == PARSE_OK &&
	      st.format == STATS_PROMETHEUS && !strcmp(st.ifname, "br0"));
	argc = split("stats -o text", argv);
	CHECK(parse_stats(argc, argv, &st) == PARSE_OK &&
	      st.format == STATS_TEXT && st.format_set);
	argc = split("stats -o json", argv);
	CHECK(parse_stats(argc, argv, &st) == PARSE_OK &&
	      st.format == STATS_JSON);
	argc = split("stats -o", argv);
	CHECK(parse_stats(argc, argv, &st) == PARSE_USAGE);
	argc = split("stats -o yaml", argv);
	CHECK(parse_stats(argc, argv, &st) == PARSE_USAGE);
	argc = split("stats -j -o prometheus", argv);
	CHECK(parse_stats(argc, argv, &st) == PARSE_USAGE);
	argc = split("stats dev br0 dev br1", argv);
	CHECK(parse_stats(argc, argv, &st) == PARSE_USAGE);
	argc = split("stats dev", argv);
	CHECK(parse_stats(argc, argv, &st) == PARSE_USAGE);
	argc = split("stats all", argv);
	CHECK(parse_stats(argc, argv, &st) == PARSE_USAGE);
	argc = split("monitor -j", argv);
	CHECK(parse_monitor(argc, argv, &mon) == PARSE_OK && mon.json);
	argc = split("monitor dev br0", argv);
	CHECK(parse_monitor(argc, argv, &mon) == PARSE_USAGE);

	argc = split("del-host dev br0 mac 52:54:00:aa:bb:cc lease-wake off",
		     argv);
	CHECK(parse_del_host(argc, argv, &host) == PARSE_USAGE);
	argc = split("del-host dev br0 mac 52:54:00:aa:bb:cc "
		     "wake-mac 52:54:00:aa:bb:cd", argv);
	CHECK(parse_del_host(argc, argv, &host) == PARSE_USAGE);
	argc = split("del-host dev br0 mac 52:54:00:aa:bb:cc "
		     "password de:ad:be:ef", argv);
	CHECK(parse_del_host(argc, argv, &host) == PARSE_USAGE);
}

static enum parse_result config(const char *line, struct config_args *args)
{
	char *argv[MAX_WORDS + 1];
	int argc = split(line, argv);

	return parse_config(argc, argv, args);
}

static void test_config(void)
{
	struct config_args a;
	char buf[16];

	CHECK(config("config", &a) == PARSE_OK && !a.set && !a.json);
	CHECK(config("config -j", &a) == PARSE_OK && !a.set && a.json);
	CHECK(config("config -x", &a) == PARSE_USAGE);
	CHECK(config("config show", &a) == PARSE_USAGE);
	CHECK(config("config set max-hosts 5 help", &a) == PARSE_HELP);

	/* Each key, its unit and its bounds: those of the kernel's policy. */
	CHECK(config("config set max-hosts 1 awake-grace 1.5 wake-rate 0 "
		     "reply-rate 1000000 syn-hold 0.001 syn-hold-max 256 "
		     "syn-hold-total 65536 wake-timeout 3600", &a) == PARSE_OK);
	CHECK(a.set && a.changes.has == __SLEEPPROXY_CONFIG_F_ALL &&
	      !a.changes.reset);
	CHECK(a.changes.value[0] == 1 && a.changes.value[1] == 1500 &&
	      a.changes.value[2] == 0 && a.changes.value[3] == 1000000 &&
	      a.changes.value[4] == 1 && a.changes.value[5] == 256 &&
	      a.changes.value[6] == 65536 && a.changes.value[7] == 3600000);
	CHECK(config("config set max-hosts 1048576", &a) == PARSE_OK &&
	      a.changes.value[0] == SLEEPPROXY_MAX_HOSTS_MAX);
	CHECK(config("config set max-hosts 1048577", &a) == PARSE_USAGE);
	CHECK(config("config set max-hosts 0", &a) == PARSE_USAGE);
	CHECK(config("config set max-hosts -1", &a) == PARSE_USAGE);
	CHECK(config("config set awake-grace 3600.001", &a) == PARSE_USAGE);
	CHECK(config("config set wake-rate 1000001", &a) == PARSE_USAGE);
	CHECK(config("config set reply-rate 1.5", &a) == PARSE_USAGE);
	CHECK(config("config set syn-hold 0", &a) == PARSE_USAGE);
	CHECK(config("config set syn-hold-max 257", &a) == PARSE_USAGE);
	CHECK(config("config set syn-hold-total 65537", &a) == PARSE_USAGE);
	CHECK(config("config set wake-timeout 3601", &a) == PARSE_USAGE);
	CHECK(config("config set wake-timeout 0", &a) == PARSE_OK &&
	      a.changes.has == SLEEPPROXY_CONFIG_F_WAKE_TIMEOUT_MS &&
	      !a.changes.value[7]);

	/* default: back to the module parameter. */
	CHECK(config("config set wake-rate default max-hosts 10", &a) ==
	      PARSE_OK);
	CHECK(a.changes.reset == SLEEPPROXY_CONFIG_F_MAX_WAKES_PER_SEC &&
	      a.changes.has == SLEEPPROXY_CONFIG_F_MAX_HOSTS &&
	      a.changes.value[0] == 10);

	/* Usage errors. */
	CHECK(config("config set", &a) == PARSE_USAGE);
	CHECK(config("config set max-hosts", &a) == PARSE_USAGE);
	CHECK(config("config set max-hosts 1 wake-rate", &a) == PARSE_USAGE);
	CHECK(config("config set max_hosts 1", &a) == PARSE_USAGE);
	CHECK(config("config set max-hosts 1 max-hosts 2", &a) == PARSE_USAGE);
	CHECK(config("config set max-hosts default max-hosts 2", &a) ==
	      PARSE_USAGE);
	CHECK(config("config set max-hosts Default", &a) == PARSE_USAGE);
	CHECK(config("config -j set max-hosts 1", &a) == PARSE_USAGE);

	format_setting(1, 1500, buf, sizeof(buf));
	CHECK(!strcmp(buf, "1.5"));
	format_setting(0, 65536, buf, sizeof(buf));
	CHECK(!strcmp(buf, "65536"));
	format_setting(7, 0, buf, sizeof(buf));
	CHECK(!strcmp(buf, "0"));
}

static void test_save(void)
{
	char *argv[MAX_WORDS + 1];
	struct save_args sv;
	int argc;

	argc = split("save", argv);
	CHECK(parse_save(argc, argv, &sv) == PARSE_OK && !sv.file);
	argc = split("save /var/lib/sleepproxy/hosts", argv);
	CHECK(parse_save(argc, argv, &sv) == PARSE_OK && sv.file &&
	      !strcmp(sv.file, "/var/lib/sleepproxy/hosts"));
	argc = split("save -", argv);
	CHECK(parse_save(argc, argv, &sv) == PARSE_OK && !sv.file);
	argc = split("save ./-", argv);
	CHECK(parse_save(argc, argv, &sv) == PARSE_OK && sv.file &&
	      !strcmp(sv.file, "./-"));
	argc = split("save a b", argv);
	CHECK(parse_save(argc, argv, &sv) == PARSE_USAGE);
	argc = split("save - a", argv);
	CHECK(parse_save(argc, argv, &sv) == PARSE_USAGE);
	argc = split("save -j", argv);
	CHECK(parse_save(argc, argv, &sv) == PARSE_USAGE);
	argc = split("save -f hosts", argv);
	CHECK(parse_save(argc, argv, &sv) == PARSE_USAGE);
	argc = split("save hosts --help", argv);
	CHECK(parse_save(argc, argv, &sv) == PARSE_HELP);
	argv[0] = "save";
	argv[1] = "";
	argv[2] = NULL;
	CHECK(parse_save(2, argv, &sv) == PARSE_USAGE);
}

/*
 * split_line() on line; the words joined with '|', or "ERROR".  The
 * result lives in a static buffer.
 */
static const char *words(const char *line, size_t max)
{
	static char out[512];
	char buf[512], *argv[MAX_WORDS + 1];
	int argc, i;

	snprintf(buf, sizeof(buf), "%s", line);
	argc = split_line(buf, argv, max);
	if (argc < 0)
		return "ERROR";
	out[0] = '\0';
	for (i = 0; i < argc; i++)
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s",
			 i ? "|" : "", argv[i]);
	if (argv[argc])
		return "NOT TERMINATED";
	return out;
}

static void check_words(int lineno, const char *line, const char *want)
{
	const char *got = words(line, MAX_WORDS);

	if (strcmp(got, want)) {
		printf("%s:%d: split_line(\"%s\"): got \"%s\", want \"%s\"\n",
		       __FILE__, lineno, line, got, want);
		failures++;
	}
}

#define CHECK_WORDS(line, want)	check_words(__LINE__, line, want)

/* Lines of a -batch file into words, and words back into lines. */
static void test_split_line(void)
{
	static const char *const tricky[] = {
		"eth\"9", "#x", "a b", "", "\"", "\\", "a\\\"b", "x#y",
		"tab\there", "\\\"", "br0",
	};
	char *argv[MAX_WORDS + 1];
	char line[64];
	size_t i;

	CHECK_WORDS("", "");
	CHECK_WORDS("\n", "");
	CHECK_WORDS("   \t \r\n", "");
	CHECK_WORDS("# add-host dev br0", "");
	CHECK_WORDS("   # indented comment", "");
	CHECK_WORDS("show", "show");
	CHECK_WORDS("show -j\n", "show|-j");
	CHECK_WORDS("  del-host\tdev  br0 mac 52:54:00:aa:bb:cc \r\n",
		    "del-host|dev|br0|mac|52:54:00:aa:bb:cc");
	CHECK_WORDS("show # the rest is a comment", "show");
	CHECK_WORDS("show dev br#0", "show|dev|br#0");
	CHECK_WORDS("show dev \"#br0\"", "show|dev|#br0");
	CHECK_WORDS("show dev \"a b\"c", "show|dev|a bc");
	CHECK_WORDS("show dev a\"b c\"d e", "show|dev|ab cd|e");
	CHECK_WORDS("a \"\" b", "a||b");
	CHECK_WORDS("\"\" x", "|x");
	CHECK_WORDS("\"eth\\\"9\"", "eth\"9");
	CHECK_WORDS("\"a\\\\b\"", "a\\b");
	CHECK_WORDS("\"a\\nb\"", "a\\nb");
	CHECK_WORDS("a\\b", "a\\b");
	CHECK_WORDS("a\\\" b\"", "a\\ b");
	CHECK_WORDS("show \"dev", "ERROR");
	CHECK_WORDS("show dev\"", "ERROR");
	CHECK_WORDS("\"\\\"", "ERROR");

	/* max words, and not one more. */
	CHECK(!strcmp(words("a b c", 3), "a|b|c"));
	CHECK(!strcmp(words("a b c", 2), "ERROR"));
	CHECK(!strcmp(words("a b c # d e f", 3), "a|b|c"));
	CHECK(!strcmp(words("", 0), ""));

	/* Whatever print_word() writes comes back as the same one word. */
	for (i = 0; i < sizeof(tricky) / sizeof(tricky[0]); i++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);

		if (!f) {
			perror("open_memstream");
			exit(1);
		}
		fputs("dev ", f);
		print_word(f, tricky[i]);
		fputs(" # end\n", f);
		fclose(f);
		snprintf(line, sizeof(line), "%s", buf);
		if (split_line(line, argv, MAX_WORDS) != 2 ||
		    strcmp(argv[1], tricky[i])) {
			printf("print_word(\"%s\") wrote %s", tricky[i], buf);
			failures++;
		}
		free(buf);
	}
}

static void check_json(void (*fn)(struct json_writer *), const char *want)
{
	struct json_writer jw;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	f = open_memstream(&buf, &len);
	if (!f) {
		perror("open_memstream");
		exit(1);
	}
	json_init(&jw, f);
	fn(&jw);
	fclose(f);
	if (strcmp(buf, want)) {
		printf("json: got  %s\njson: want %s\n", buf, want);
		failures++;
	}
	free(buf);
}

static void json_nested(struct json_writer *jw)
{
	json_array_start(jw);
	json_object_start(jw);
	json_uint_field(jw, "a", 1);
	json_key(jw, "b");
	json_array_start(jw);
	json_array_end(jw);
	json_key(jw, "c");
	json_object_start(jw);
	json_object_end(jw);
	json_bool_field(jw, "d", false);
	json_key(jw, "e");
	json_null(jw);
	json_object_end(jw);
	json_uint(jw, UINT64_MAX);
	json_string(jw, "x");
	json_array_end(jw);
}

static void json_escapes(struct json_writer *jw)
{
	json_object_start(jw);
	json_string_field(jw, "q\"b\\", "a\"b\\c/\b\f\n\r\t\x01\x1f\x7f");
	json_string_field(jw, "utf8", "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	json_string_field(jw, "bad", "\xff\xc3(\xed\xa0\x80\xc0\xaf\xe2\x82");
	json_object_end(jw);
}

static void test_json(void)
{
	check_json(json_nested,
		   "[{\"a\":1,\"b\":[],\"c\":{},\"d\":false,\"e\":null},"
		   "18446744073709551615,\"x\"]");
	check_json(json_escapes,
		   "{\"q\\\"b\\\\\":\"a\\\"b\\\\c/\\b\\f\\n\\r\\t\\u0001"
		   "\\u001f\\u007f\","
		   "\"utf8\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\","
		   "\"bad\":\"\\ufffd\\ufffd(\\ufffd\\ufffd\\ufffd"
		   "\\ufffd\\ufffd\\ufffd\\ufffd\"}");
}

/* The parsers explain every refusal on stderr: -v shows that. */
int main(int argc, char **argv)
{
	if (!(argc > 1 && !strcmp(argv[1], "-v")) &&
	    !freopen("/dev/null", "w", stderr)) {
		perror("/dev/null");
		return 1;
	}
	test_values();
	test_add_host();
	test_other_commands();
	test_save();
	test_config();
	test_split_line();
	test_json();
	if (failures) {
		printf("test-args: %d checks failed\n", failures);
		return 1;
	}
	printf("test-args: all checks passed\n");
	return 0;
}
