// SPDX-License-Identifier: GPL-2.0
/*
 * The settings of a namespace.  The module parameters are every
 * namespace's defaults; a namespace may have values of its own
 * (SLEEPPROXY_CMD_CONFIG_SET).  A setting without one follows its module
 * parameter as it is at the time of use, so a write to
 * /sys/module/sleepproxy/parameters/ moves every namespace that has not
 * set it.  Readers, on the packet path too, take one word with
 * READ_ONCE(); writers hold &sp_net.lock.
 */

#include <linux/moduleparam.h>
#include <net/netlink.h>

#include "config.h"
#include "netns.h"

static unsigned int sp_max_hosts __read_mostly = 65536;
module_param_named(max_hosts, sp_max_hosts, uint, 0644);
MODULE_PARM_DESC(max_hosts,
		 "Most hosts one network namespace may register; the default of every namespace");

static unsigned int sp_awake_grace_ms __read_mostly = 2000;
module_param_named(awake_grace_ms, sp_awake_grace_ms, uint, 0644);
MODULE_PARM_DESC(awake_grace_ms,
		 "A registered host is taken over once it has sent nothing for this long, ms");

static unsigned int sp_max_wakes_per_sec __read_mostly = 20;
module_param_named(max_wakes_per_sec, sp_max_wakes_per_sec, uint, 0644);
MODULE_PARM_DESC(max_wakes_per_sec,
		 "Wakes one network namespace may send per second (0: no limit)");

static unsigned int sp_max_replies_per_sec __read_mostly = 100;
module_param_named(max_replies_per_sec, sp_max_replies_per_sec, uint, 0644);
MODULE_PARM_DESC(max_replies_per_sec,
		 "Answers one source MAC may get per second (0: no limit)");

static unsigned int sp_syn_hold_ms __read_mostly = 30000;
module_param_named(syn_hold_ms, sp_syn_hold_ms, uint, 0644);
MODULE_PARM_DESC(syn_hold_ms,
		 "How long a SYN is kept for replay to a waking host, ms (default 30000)");

static unsigned int sp_syn_hold_max __read_mostly = 16;
module_param_named(syn_hold_max, sp_syn_hold_max, uint, 0644);
MODULE_PARM_DESC(syn_hold_max,
		 "SYNs kept per host for replay, 0 for none (default 16)");

static unsigned int sp_syn_hold_total __read_mostly = 1024;
module_param_named(syn_hold_total, sp_syn_hold_total, uint, 0644);
MODULE_PARM_DESC(syn_hold_total,
		 "SYNs kept per network namespace for replay (default 1024)");

static unsigned int sp_wake_timeout_ms __read_mostly = 60000;
module_param_named(wake_timeout_ms, sp_wake_timeout_ms, uint, 0644);
MODULE_PARM_DESC(wake_timeout_ms,
		 "How long a woken host is sent magic packets before the wake counts as failed, ms; 0: one burst only (default 60000)");

static unsigned int *const sp_params[SP_SETTING_COUNT] = {
	[SP_MAX_HOSTS] = &sp_max_hosts,
	[SP_AWAKE_GRACE_MS] = &sp_awake_grace_ms,
	[SP_MAX_WAKES_PER_SEC] = &sp_max_wakes_per_sec,
	[SP_MAX_REPLIES_PER_SEC] = &sp_max_replies_per_sec,
	[SP_SYN_HOLD_MS] = &sp_syn_hold_ms,
	[SP_SYN_HOLD_MAX] = &sp_syn_hold_max,
	[SP_SYN_HOLD_TOTAL] = &sp_syn_hold_total,
	[SP_WAKE_TIMEOUT_MS] = &sp_wake_timeout_ms,
};

static struct netlink_range_validation sp_max_hosts_range = {
	.min = 1,
	.max = SLEEPPROXY_MAX_HOSTS_MAX,
};

static struct netlink_range_validation sp_ms_range = {
	.max = SLEEPPROXY_CONFIG_MS_MAX,
};

static struct netlink_range_validation sp_hold_ms_range = {
	.min = 1,
	.max = SLEEPPROXY_CONFIG_MS_MAX,
};

static struct netlink_range_validation sp_rate_range = {
	.max = SLEEPPROXY_RATE_MAX,
};

static struct netlink_range_validation sp_hold_total_range = {
	.max = SLEEPPROXY_SYN_HOLD_TOTAL_MAX,
};

/* A namespace's wake timeout, and a host's own (netlink.c). */
struct netlink_range_validation sp_wake_timeout_range = {
	.max = SLEEPPROXY_WAKE_TIMEOUT_MAX,
};

const struct nla_policy sp_config_policy[SLEEPPROXY_A_CONFIG_MAX + 1] = {
	[SLEEPPROXY_A_CONFIG_RESET] =
		NLA_POLICY_MASK(NLA_U32, __SLEEPPROXY_CONFIG_F_ALL),
	[SLEEPPROXY_A_CONFIG_MAX_HOSTS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &sp_max_hosts_range),
	[SLEEPPROXY_A_CONFIG_AWAKE_GRACE_MS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &sp_ms_range),
	[SLEEPPROXY_A_CONFIG_MAX_WAKES_PER_SEC] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &sp_rate_range),
	[SLEEPPROXY_A_CONFIG_MAX_REPLIES_PER_SEC] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &sp_rate_range),
	[SLEEPPROXY_A_CONFIG_SYN_HOLD_MS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &sp_hold_ms_range),
	[SLEEPPROXY_A_CONFIG_SYN_HOLD_MAX] =
		NLA_POLICY_MAX(NLA_U32, SLEEPPROXY_SYN_HOLD_MAX_MAX),
	[SLEEPPROXY_A_CONFIG_SYN_HOLD_TOTAL] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &sp_hold_total_range),
	[SLEEPPROXY_A_CONFIG_WAKE_TIMEOUT_MS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &sp_wake_timeout_range),
};

/**
 * sp_setting - what applies in a namespace
 * @spn: the namespace
 * @s: the setting
 *
 * Return: the namespace's own value, else the module parameter's.
 * Context: any.
 */
unsigned int sp_setting(const struct sp_net *spn, enum sp_setting s)
{
	u32 own = READ_ONCE(spn->settings.own[s]);

	return own ? own - 1 : READ_ONCE(*sp_params[s]);
}

/**
 * sp_setting_set - give a namespace a value of its own
 * @spn: the namespace
 * @s: the setting
 * @val: the value, within the bounds of sp_config_policy
 *
 * Context: &sp_net.lock held, or a namespace nobody else sees (KUnit).
 */
void sp_setting_set(struct sp_net *spn, enum sp_setting s, unsigned int val)
{
	WRITE_ONCE(spn->settings.own[s], val + 1);
}

/**
 * sp_config_put - the settings as SLEEPPROXY_CMD_CONFIG_GET returns them
 * @skb: the message
 * @spn: the namespace
 *
 * Return: 0, or -EMSGSIZE.  Context: any.
 */
int sp_config_put(struct sk_buff *skb, const struct sp_net *spn)
{
	u32 own = 0;
	int s;

	BUILD_BUG_ON(SLEEPPROXY_A_CONFIG_MAX_HOSTS + SP_SETTING_COUNT !=
		     __SLEEPPROXY_A_CONFIG_LAST);
	BUILD_BUG_ON(BIT(SP_SETTING_COUNT) - 1 != __SLEEPPROXY_CONFIG_F_ALL);

	for (s = 0; s < SP_SETTING_COUNT; s++) {
		if (READ_ONCE(spn->settings.own[s]))
			own |= BIT(s);
		if (nla_put_u32(skb, SLEEPPROXY_A_CONFIG_MAX_HOSTS + s,
				sp_setting(spn, s)))
			return -EMSGSIZE;
	}
	return nla_put_u32(skb, SLEEPPROXY_A_CONFIG_OWN, own);
}

/**
 * sp_config_change - carry out a SLEEPPROXY_CMD_CONFIG_SET request
 * @spn: the namespace
 * @attrs: the request's attributes, checked against sp_config_policy
 * @extack: what to say when refusing
 *
 * All of the request or nothing.  Bounds lowered below what is in use
 * refuse what comes next; nothing registered or kept is thrown away.
 *
 * Return: 0, or -EINVAL for an empty or self-contradicting request.
 * Context: &sp_net.lock held.
 */
int sp_config_change(struct sp_net *spn, struct nlattr **attrs,
		     struct netlink_ext_ack *extack)
{
	struct nlattr *reset = attrs[SLEEPPROXY_A_CONFIG_RESET];
	u32 mask = reset ? nla_get_u32(reset) : 0;
	bool any = reset;
	int s;

	lockdep_assert_held(&spn->lock);
	for (s = 0; s < SP_SETTING_COUNT; s++) {
		if (!attrs[SLEEPPROXY_A_CONFIG_MAX_HOSTS + s])
			continue;
		any = true;
		if (mask & BIT(s)) {
			NL_SET_ERR_MSG_ATTR(extack,
					    attrs[SLEEPPROXY_A_CONFIG_MAX_HOSTS + s],
					    "a setting is both set and reset");
			return -EINVAL;
		}
	}
	if (!any) {
		NL_SET_ERR_MSG_MOD(extack, "no setting to set or reset");
		return -EINVAL;
	}
	for (s = 0; s < SP_SETTING_COUNT; s++) {
		struct nlattr *attr = attrs[SLEEPPROXY_A_CONFIG_MAX_HOSTS + s];

		if (attr)
			sp_setting_set(spn, s, nla_get_u32(attr));
		else if (mask & BIT(s))
			WRITE_ONCE(spn->settings.own[s], 0);
	}
	return 0;
}

#if IS_ENABLED(CONFIG_SLEEPPROXY_KUNIT_TEST)
#include "../tests/kunit/config_test.c"
#endif
