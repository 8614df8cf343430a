// SPDX-License-Identifier: GPL-2.0
/*
 * spsd: the daemon's life.  One thread, one Avahi simple poll loop: the
 * UDP sockets, a signalfd and a one-second tick that follows the
 * module's view of each host are watches on it.
 */

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <avahi-common/simple-watch.h>
#include <avahi-common/timeval.h>

#include "spsd.h"

#ifndef SPSD_VERSION
#define SPSD_VERSION "unknown"
#endif

#define SPSD_TICK_MS	1000

struct spsd_loop {
	struct spsd *s;
	AvahiSimplePoll *poll;
	const AvahiPoll *api;
	AvahiTimeout *tick;
	int sigfd;
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: spsd [-c FILE] [-v] [-t]\n"
		"       spsd -V | -h\n"
		"  -c FILE  read FILE, not " SPSD_CONF_PATH "\n"
		"  -v       log every update, records not used included\n"
		"  -t       check the configuration, print the advertised name, exit\n"
		"  -V       print the version\n"
		"  -h       print this help\n");
}

static void spsd_on_socket(AvahiWatch *w, int fd, AvahiWatchEvent event,
			   void *data)
{
	struct spsd_loop *l = data;

	(void)w;
	(void)event;
	spsd_server_receive(l->s, fd);
}

static void spsd_on_tick(AvahiTimeout *t, void *data)
{
	struct spsd_loop *l = data;
	struct timeval tv;

	spsd_server_tick(l->s);
	l->api->timeout_update(t, avahi_elapse_time(&tv, SPSD_TICK_MS, 0));
}

static void spsd_on_signal(AvahiWatch *w, int fd, AvahiWatchEvent event,
			   void *data)
{
	struct signalfd_siginfo si;
	struct spsd_loop *l = data;

	(void)w;
	(void)event;
	if (read(fd, &si, sizeof(si)) != sizeof(si))
		return;
	spsd_log(LOG_INFO, "signal %u: stopping", si.ssi_signo);
	avahi_simple_poll_quit(l->poll);
}

static int spsd_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -1;
	signal(SIGPIPE, SIG_IGN);
	return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

static int spsd_resolve_ifaces(struct spsd *s)
{
	unsigned int i;

	for (i = 0; i < s->cfg.n_ifaces; i++) {
		s->ifindexes[i] = if_nametoindex(s->cfg.ifnames[i]);
		if (!s->ifindexes[i]) {
			spsd_log(LOG_ERR, "interface %s: %s", s->cfg.ifnames[i],
				 strerror(errno));
			return -1;
		}
	}
	return 0;
}

static int spsd_run(struct spsd *s)
{
	struct spsd_loop l = { .s = s, .sigfd = -1 };
	struct timeval tv;
	int ret = 1;

	l.poll = avahi_simple_poll_new();
	if (!l.poll)
		return 1;
	l.api = avahi_simple_poll_get(l.poll);
	l.sigfd = spsd_signals();
	if (l.sigfd < 0 ||
	    !l.api->watch_new(l.api, l.sigfd, AVAHI_WATCH_IN, spsd_on_signal,
			      &l) ||
	    !l.api->watch_new(l.api, s->fd4, AVAHI_WATCH_IN, spsd_on_socket,
			      &l) ||
	    (s->fd6 >= 0 &&
	     !l.api->watch_new(l.api, s->fd6, AVAHI_WATCH_IN, spsd_on_socket,
			       &l)) ||
	    !(l.tick = l.api->timeout_new(l.api,
					  avahi_elapse_time(&tv, SPSD_TICK_MS, 0),
					  spsd_on_tick, &l))) {
		spsd_log(LOG_ERR, "cannot set up the event loop");
		goto out;
	}
	if (spsd_avahi_start(&s->avahi, l.api, &s->cfg, s->ifindexes, s->port))
		goto out;
	spsd_log(LOG_INFO, "listening on UDP port %u", s->port);
	ret = avahi_simple_poll_loop(l.poll) < 0 ? 1 : 0;
	/*
	 * The module goes on proxying the hosts until their leases end; their
	 * mDNS records go with Avahi's groups.
	 */
	spsd_server_flush(s);
	spsd_avahi_stop(s->avahi);
	s->avahi = NULL;
out:
	if (l.sigfd >= 0)
		close(l.sigfd);
	avahi_simple_poll_free(l.poll);
	return ret;
}

int main(int argc, char **argv)
{
	const char *conf = SPSD_CONF_PATH;
	struct spsd s = { .fd4 = -1, .fd6 = -1 };
	bool test = false;
	char name[64];
	int opt, ret;

	while ((opt = getopt(argc, argv, "c:vtVh")) != -1) {
		switch (opt) {
		case 'c':
			conf = optarg;
			break;
		case 'v':
			spsd_verbose = 1;
			break;
		case 't':
			test = true;
			break;
		case 'V':
			printf("spsd %s\n", SPSD_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}

	spsd_log_init();
	spsd_config_defaults(&s.cfg);
	if (spsd_config_load(&s.cfg, conf) ||
	    spsd_config_instance(&s.cfg, name, sizeof(name)))
		return 1;
	if (test) {
		printf("%s\n", name);
		return 0;
	}
	s.reg.max_hosts = s.cfg.max_hosts;
	s.reg.max_records = s.cfg.max_records;
	if (spsd_resolve_ifaces(&s) || spsd_kernel_open(&s.kernel))
		return 1;
	ret = 1;
	if (!spsd_server_open(&s))
		ret = spsd_run(&s);
	spsd_server_close(&s);
	spsd_kernel_close(s.kernel);
	return ret;
}
