/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SP_NETLINK_H
#define _SP_NETLINK_H

#include <linux/gfp.h>
#include <linux/sleepproxy.h>
#include <linux/types.h>

struct sp_host;
struct sp_net;
struct sp_wake_rec;

int sp_genl_register(void);
void sp_genl_unregister(void);
void sp_nl_notify(struct sp_net *spn, struct sp_host *host,
		  enum sleepproxy_event event, const struct sp_wake_rec *wake,
		  u8 removed, gfp_t gfp);

#endif /* _SP_NETLINK_H */
