/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SP_NETLINK_H
#define _SP_NETLINK_H

int sp_genl_register(void);
void sp_genl_unregister(void);

#endif /* _SP_NETLINK_H */
