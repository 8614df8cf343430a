// SPDX-License-Identifier: GPL-2.0
/*
 * spctl save: the namespace's own settings as a config set line, then
 * every registered host as the add-host line that registers it again,
 * for -batch to restore (the systemd unit does so at boot).
 */

#define _GNU_SOURCE	/* asprintf() */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spctl.h"

const char save_synopsis[] = "save [FILE]";

static bool conflicted(const struct sp_host *host, const struct sp_addr *addr)
{
	unsigned int i;

	for (i = 0; i < host->n_conflicts; i++)
		if (same_addr(&host->conflicts[i], addr))
			return true;
	return false;
}

/* What is left of the lease, a second at least: still a lease. */
static uint32_t lease_left(const struct sp_host *host)
{
	uint32_t left = host->lease_left;

	if (left < 1)
		left = 1;
	if (left > SLEEPPROXY_LEASE_MAX)
		left = SLEEPPROXY_LEASE_MAX;
	return left;
}

/*
 * One add-host line.  The addresses another MAC claimed are left out: the
 * module no longer proxies them, and a restore must not take them back
 * from their new owner.  A host left with no address is not written.
 */
static void write_host(FILE *f, const struct sp_host *host)
{
	char dev[IF_NAMESIZE], mac[MAC_STRLEN], addr[INET6_ADDRSTRLEN];
	char password[PASSWORD_STRLEN], secs[16];
	uint32_t unknown = host->flags & ~(uint32_t)__SLEEPPROXY_HOST_F_ALL;
	unsigned int i, n = 0;
	bool named;

	named = dev_name(host, dev);
	mac_str(host->lladdr, mac);
	for (i = 0; i < host->n_addrs; i++)
		n += !conflicted(host, &host->addrs[i]);
	if (!n) {
		fprintf(stderr,
			"spctl: warning: %s %s not saved: another MAC claimed each of its addresses\n",
			dev, mac);
		return;
	}
	if (!named)
		fprintf(stderr,
			"spctl: warning: %s: interface %" PRIu32 " has no name, saved as dev %s\n",
			mac, host->ifindex, dev);
	if (unknown)
		fprintf(stderr,
			"spctl: warning: %s %s: flags %#" PRIx32 " unknown to spctl, not saved\n",
			dev, mac, unknown);

	fputs("add-host dev ", f);
	print_word(f, dev);
	fprintf(f, " mac %s", mac);
	for (i = 0; i < host->n_addrs; i++) {
		if (conflicted(host, &host->addrs[i]))
			continue;
		addr_str(&host->addrs[i], addr);
		fprintf(f, " ip %s", addr);
	}
	if (host->flags & SLEEPPROXY_HOST_F_TCP_ANY)
		fputs(" tcp any", f);
	for (i = 0; i < host->n_ports; i++)
		fprintf(f, "%s%u", i ? "," : " tcp ", host->ports[i]);
	if (host->wake_count &&
	    host->wake_count != SLEEPPROXY_WAKE_COUNT_DEFAULT)
		fprintf(f, " wake-count %u", host->wake_count);
	if (memcmp(wake_mac(host), host->lladdr, ETH_ALEN)) {
		mac_str(wake_mac(host), mac);
		fprintf(f, " wake-mac %s", mac);
	}
	password_str(host, password);
	if (password[0])
		fprintf(f, " password %s", password);
	if (host->has_wake_timeout) {
		format_msecs(host->wake_timeout, secs, sizeof(secs));
		fprintf(f, " wake-timeout %s", secs);
	}
	if (host->flags & SLEEPPROXY_HOST_F_PING)
		fputs(" ping on", f);
	if (host->flags & SLEEPPROXY_HOST_F_NO_LEASE_WAKE)
		fputs(" lease-wake off", f);
	if (host->lease)
		fprintf(f, " lease %" PRIu32, lease_left(host));
	fputc('\n', f);
}

/*
 * The namespace's own settings as one config set line, ahead of the hosts
 * (max-hosts must be in place before they are).
 */
static void write_config(FILE *f, const struct sp_config *c)
{
	char val[16];
	unsigned int i;

	if (!c->own)
		return;
	fputs("config set", f);
	for (i = 0; i < SP_CONFIG_COUNT; i++) {
		if (!(c->own & (1U << i)))
			continue;
		format_setting(i, c->value[i], val, sizeof(val));
		fprintf(f, " %s %s", config_keys[i].key, val);
	}
	fputc('\n', f);
}

/* The whole file, in memory, so that writing it is one plain loop. */
static char *format_hosts(const struct sp_config *config,
			  const struct sp_host_list *list, size_t *len)
{
	char *buf = NULL;
	FILE *f;
	size_t i;

	f = open_memstream(&buf, len);
	if (!f)
		return NULL;
	fputs("# sleepproxy hosts (spctl save); restore them with: spctl -batch FILE\n",
	      f);
	write_config(f, config);
	for (i = 0; i < list->len; i++)
		write_host(f, &list->hosts[i]);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t ret = write(fd, buf, len);

		if (ret < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += ret;
		len -= ret;
	}
	return 0;
}

/*
 * FILE.tmp, written and synced, then renamed over FILE: whoever reads FILE
 * sees the old list or the new one, never half of one.
 */
static int save_file(const char *file, const char *buf, size_t len)
{
	const char *failed;
	int fd, err = 0;
	char *tmp;

	if (asprintf(&tmp, "%s.tmp", file) < 0) {
		fprintf(stderr, "spctl: out of memory\n");
		return -1;
	}
	failed = tmp;
	/* One left by a run that died: start afresh, never through a link. */
	if (unlink(tmp) && errno != ENOENT) {
		err = errno;
		goto out;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		err = errno;
		goto out;
	}
	if (write_all(fd, buf, len) || fsync(fd))
		err = errno;
	if (close(fd) && !err)
		err = errno;
	if (!err && rename(tmp, file)) {
		err = errno;
		failed = file;
	}
	if (err)
		unlink(tmp);
out:
	if (err)
		fprintf(stderr, "spctl: cannot write \"%s\": %s\n", failed,
			strerror(err));
	free(tmp);
	return err ? -1 : 0;
}

int save_main(int argc, char **argv, struct spctl_opts *opts)
{
	struct sp_host_list list = { 0 };
	struct sp_config config;
	struct save_args args;
	enum parse_result res;
	struct sp_nl *nl;
	size_t len;
	char *buf;
	int ret;

	res = parse_save(argc, argv, &args);
	if (res != PARSE_OK)
		return parse_exit(res, save_synopsis, opts);
	if (spctl_nl(opts, &nl))
		return SPCTL_EXIT_FAIL;
	/*
	 * A module older than these tools (loaded before an upgrade, until
	 * it is reloaded) has no settings to save: its hosts must still be
	 * saved, as the service does when it stops.
	 */
	sp_nl_set_quiet(nl, true);
	if (sp_nl_config_get(nl, &config)) {
		if (sp_nl_errno(nl) != EOPNOTSUPP) {
			/* Without an errno, the failure was printed. */
			if (sp_nl_errno(nl))
				fprintf(stderr, "Error: %s\n",
					sp_nl_strerror(nl));
			return SPCTL_EXIT_FAIL;
		}
		memset(&config, 0, sizeof(config));
	}
	sp_nl_set_quiet(nl, false);
	if (sp_nl_host_dump(nl, 0, &list)) {
		sp_host_list_free(&list);
		return SPCTL_EXIT_FAIL;
	}
	if (list.inconsistent || list.truncated) {
		fprintf(stderr, "spctl: nothing saved\n");
		sp_host_list_free(&list);
		return SPCTL_EXIT_FAIL;
	}
	buf = format_hosts(&config, &list, &len);
	sp_host_list_free(&list);
	if (!buf) {
		fprintf(stderr, "spctl: out of memory\n");
		return SPCTL_EXIT_FAIL;
	}
	if (args.file)
		ret = save_file(args.file, buf, len) ? SPCTL_EXIT_FAIL :
						       SPCTL_EXIT_OK;
	else
		ret = fwrite(buf, 1, len, stdout) == len ? SPCTL_EXIT_OK :
							  SPCTL_EXIT_FAIL;
	free(buf);
	return ret;
}
