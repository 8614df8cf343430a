/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SP_DEVICE_H
#define _SP_DEVICE_H

struct net_device;
struct sp_net;

int sp_dev_attach(struct sp_net *spn, struct net_device *dev);
void sp_dev_detach(struct sp_net *spn, int ifindex);
void sp_devs_release(struct sp_net *spn);
int sp_dev_notifier_register(void);
void sp_dev_notifier_unregister(void);

#endif /* _SP_DEVICE_H */
