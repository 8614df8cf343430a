/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SP_CONFIG_H
#define _SP_CONFIG_H

#include <linux/types.h>
#include <linux/sleepproxy.h>
#include <net/netlink.h>

/* In the order of SLEEPPROXY_A_CONFIG_MAX_HOSTS on. */
enum sp_setting {
	SP_MAX_HOSTS,
	SP_AWAKE_GRACE_MS,
	SP_MAX_WAKES_PER_SEC,
	SP_MAX_REPLIES_PER_SEC,
	SP_SYN_HOLD_MS,
	SP_SYN_HOLD_MAX,
	SP_SYN_HOLD_TOTAL,
	SP_WAKE_TIMEOUT_MS,
	SP_SETTING_COUNT
};

/**
 * struct sp_settings - a namespace's own values
 * @own: each one plus 1, or 0 where the module parameter applies (so that
 *	a zeroed struct, as KUnit makes them, has none); written under
 *	&sp_net.lock, read with READ_ONCE() anywhere
 */
struct sp_settings {
	u32 own[SP_SETTING_COUNT];
};

struct sp_net;

extern const struct nla_policy sp_config_policy[SLEEPPROXY_A_CONFIG_MAX + 1];
extern struct netlink_range_validation sp_wake_timeout_range;

unsigned int sp_setting(const struct sp_net *spn, enum sp_setting s);
void sp_setting_set(struct sp_net *spn, enum sp_setting s, unsigned int val);
int sp_config_put(struct sk_buff *skb, const struct sp_net *spn);
int sp_config_change(struct sp_net *spn, struct nlattr **attrs,
		     struct netlink_ext_ack *extack);

#endif /* _SP_CONFIG_H */
