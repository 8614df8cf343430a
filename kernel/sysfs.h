/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SP_SYSFS_H
#define _SP_SYSFS_H

struct net_device;

int sp_sysfs_add(struct net_device *dev);
void sp_sysfs_del(struct net_device *dev);

#endif /* _SP_SYSFS_H */
