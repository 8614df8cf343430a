/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SP_WAKE_H
#define _SP_WAKE_H

struct net_device;
struct sp_host;
struct sp_host_cfg;
struct sp_net;

void sp_wake(struct sp_net *spn, struct sp_host *host,
	     const struct sp_host_cfg *cfg, struct net_device *dev);

#endif /* _SP_WAKE_H */
