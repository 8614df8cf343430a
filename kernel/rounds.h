/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SP_ROUNDS_H
#define _SP_ROUNDS_H

#include <linux/timer.h>
#include <linux/types.h>

struct sp_host;
struct sp_net;

/**
 * struct sp_rounds - a wake being repeated until the host shows up
 * @timer: the next round
 * @spn: the host's namespace
 * @started: jiffies of the first magic packets of this wake
 * @n: rounds sent after them
 * @dead: the host is going: no more rounds
 */
struct sp_rounds {
	struct timer_list timer;
	struct sp_net *spn;
	unsigned long started;
	unsigned int n;
	bool dead;
};

void sp_rounds_init(struct sp_net *spn, struct sp_rounds *r);
void sp_rounds_start(struct sp_host *host);
void sp_rounds_stop(struct sp_host *host);

#endif /* _SP_ROUNDS_H */
