// SPDX-License-Identifier: GPL-2.0
/*
 * Logging to stderr.  Under systemd (JOURNAL_STREAM names stderr) each
 * line starts with its syslog priority, "<4>", which the journal turns
 * into the entry's priority; on a terminal it starts with "spsd: ".
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "spsd.h"

#define SPSD_LOG_BURST	10	/* limited lines a second */

int spsd_verbose;
static bool spsd_journal;

void spsd_log_init(void)
{
	spsd_journal = getenv("JOURNAL_STREAM") != NULL;
	setvbuf(stderr, NULL, _IOLBF, 0);
}

__attribute__((format(printf, 2, 0)))
static void spsd_vlog(int level, const char *fmt, va_list ap)
{
	if (level == LOG_DEBUG && !spsd_verbose)
		return;
	if (spsd_journal)
		fprintf(stderr, "<%d>", level);
	else
		fputs("spsd: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void spsd_log(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	spsd_vlog(level, fmt, ap);
	va_end(ap);
}

void spsd_log_limited(int level, const char *fmt, ...)
{
	static unsigned long suppressed;
	static unsigned int burst;
	static time_t second;
	struct timespec now;
	va_list ap;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec != second) {
		if (suppressed)
			spsd_log(LOG_WARNING, "%lu similar messages suppressed",
				 suppressed);
		second = now.tv_sec;
		burst = 0;
		suppressed = 0;
	}
	if (++burst > SPSD_LOG_BURST) {
		suppressed++;
		return;
	}
	va_start(ap, fmt);
	spsd_vlog(level, fmt, ap);
	va_end(ap);
}

void spsd_mac_str(const uint8_t mac[ETH_ALEN], char buf[18])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
		 mac[2], mac[3], mac[4], mac[5]);
}
